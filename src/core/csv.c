#include "csv.h"

void csv_init(struct csv *c, const char *data, size_t len)
{
    c->p = data;
    c->end = data + len;
    c->line = 1;
    c->at = 1;
    c->nfields = 0;
    for (size_t i = 0; i < CSV_MAX_FIELDS; i++)
        buf_init(&c->field[i], CSV_MAX_FIELD);
}

void csv_free(struct csv *c)
{
    for (size_t i = 0; i < CSV_MAX_FIELDS; i++)
        buf_free(&c->field[i]);
}

const char *csv_get(const struct csv *c, size_t i)
{
    return i < c->nfields ? buf_cstr(&c->field[i]) : "";
}

/* A quoted field, from just after the opening quote. */
static enum err quoted(struct csv *c, struct buf *f, size_t *nl,
                       struct buf *why)
{
    for (;;) {
        char ch;
        if (c->p >= c->end) {
            buf_setf(why, "line %zu: unterminated quoted field", c->line);
            return ERR_PARSE;
        }
        ch = *c->p++;
        if (ch == '"') {
            if (c->p < c->end && *c->p == '"') {
                c->p++;
            } else {
                if (c->p < c->end && *c->p != ',' && *c->p != '\n' &&
                    *c->p != '\r') {
                    buf_setf(why, "line %zu: text after a closing quote",
                             c->line + *nl);
                    return ERR_PARSE;
                }
                return ERR_OK;
            }
        } else if (ch == '\n') {
            (*nl)++;
        }
        if (buf_putc(f, ch) != ERR_OK) {
            buf_setf(why, "line %zu: field over %zu bytes", c->line,
                     CSV_MAX_FIELD);
            return ERR_TOOBIG;
        }
    }
}

static enum err plain(struct csv *c, struct buf *f, struct buf *why)
{
    const char *s = c->p;
    while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
        c->p++;
    if (buf_append(f, s, (size_t)(c->p - s)) != ERR_OK) {
        buf_setf(why, "line %zu: field over %zu bytes", c->line,
                 CSV_MAX_FIELD);
        return ERR_TOOBIG;
    }
    return ERR_OK;
}

enum err csv_next(struct csv *c, struct buf *why)
{
    size_t nl = 0;
    enum err rc = ERR_OK;

    while (c->p < c->end && (*c->p == '\n' || *c->p == '\r')) {
        if (*c->p == '\n')
            c->at++;
        c->p++;
    }
    if (c->p >= c->end)
        return ERR_NOTFOUND;
    c->line = c->at;
    c->nfields = 0;
    for (;;) {
        struct buf *f;
        if (c->nfields == CSV_MAX_FIELDS) {
            buf_setf(why, "line %zu: more than %d fields", c->line,
                     CSV_MAX_FIELDS);
            return ERR_TOOBIG;
        }
        f = &c->field[c->nfields++];
        buf_reset(f);
        if (c->p < c->end && *c->p == '"') {
            c->p++;
            rc = quoted(c, f, &nl, why);
        } else {
            rc = plain(c, f, why);
        }
        if (rc != ERR_OK)
            return rc;
        if (c->p < c->end && *c->p == ',') {
            c->p++;
            continue;
        }
        break;
    }
    if (c->p < c->end && *c->p == '\r')
        c->p++;
    if (c->p < c->end && *c->p == '\n')
        c->p++;
    c->at += nl + 1;
    return ERR_OK;
}
