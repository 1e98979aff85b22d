#include "csv.h"

#include <stdbool.h>

void csv_init(struct csv *c, const char *data, size_t len)
{
    c->p = data;
    c->end = data + len;
    c->at = 1;
    c->line = 1;
    c->nfields = 0;
    for (size_t i = 0; i < CSV_MAX_FIELDS; i++)
        buf_init(&c->field[i], CSV_MAX_FIELD);
}

void csv_free(struct csv *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < CSV_MAX_FIELDS; i++)
        buf_free(&c->field[i]);
    c->nfields = 0;
}

const char *csv_get(const struct csv *c, size_t i)
{
    return i < c->nfields ? buf_cstr(&c->field[i]) : "";
}

size_t csv_len(const struct csv *c, size_t i)
{
    return i < c->nfields ? c->field[i].len : 0;
}

/* Consume one line break (CRLF, LF or a lone CR) if one is next. */
static bool eat_eol(struct csv *c)
{
    if (c->p >= c->end || (*c->p != '\r' && *c->p != '\n'))
        return false;
    if (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n')
        c->p++;
    c->p++;
    c->at++;
    return true;
}

static enum err put(struct csv *c, struct buf *f, const char *s, size_t n,
                    struct buf *why)
{
    if (buf_append(f, s, n) == ERR_OK)
        return ERR_OK;
    buf_setf(why, "line %zu: field %zu is over %zu bytes", c->at, c->nfields,
             CSV_MAX_FIELD);
    return ERR_TOOBIG;
}

/* A quoted field, from just after its opening quote. */
static enum err quoted(struct csv *c, struct buf *f, struct buf *why)
{
    size_t opened = c->at;

    for (;;) {
        const char *s = c->p;
        while (c->p < c->end && *c->p != '"' && *c->p != '\r' && *c->p != '\n')
            c->p++;
        if (put(c, f, s, (size_t)(c->p - s), why) != ERR_OK)
            return ERR_TOOBIG;
        if (c->p >= c->end) {
            buf_setf(why,
                     "line %zu: unterminated quoted field (the quote opened "
                     "there never closes)",
                     opened);
            return ERR_PARSE;
        }
        if (*c->p != '"') {
            /* A line break inside quotes is data; keep it as written. */
            s = c->p;
            eat_eol(c);
            if (put(c, f, s, (size_t)(c->p - s), why) != ERR_OK)
                return ERR_TOOBIG;
            continue;
        }
        c->p++;
        if (c->p < c->end && *c->p == '"') {
            if (put(c, f, c->p++, 1, why) != ERR_OK)
                return ERR_TOOBIG;
            continue;
        }
        if (c->p < c->end && *c->p != ',' && *c->p != '\r' && *c->p != '\n') {
            buf_setf(why, "line %zu: text after the closing quote of field %zu",
                     c->at, c->nfields);
            return ERR_PARSE;
        }
        return ERR_OK;
    }
}

static enum err plain(struct csv *c, struct buf *f, struct buf *why)
{
    const char *s = c->p;
    while (c->p < c->end && *c->p != ',' && *c->p != '\r' && *c->p != '\n')
        c->p++;
    return put(c, f, s, (size_t)(c->p - s), why);
}

static enum err one_field(struct csv *c, struct buf *why)
{
    struct buf *f;

    if (c->nfields == CSV_MAX_FIELDS) {
        buf_setf(why, "line %zu: more than %d fields in a record", c->at,
                 CSV_MAX_FIELDS);
        return ERR_TOOBIG;
    }
    f = &c->field[c->nfields++];
    buf_reset(f);
    if (c->p < c->end && *c->p == '"') {
        c->p++;
        return quoted(c, f, why);
    }
    return plain(c, f, why);
}

enum err csv_next(struct csv *c, struct buf *why)
{
    enum err rc;

    while (eat_eol(c))
        ; /* empty lines are no records */
    c->nfields = 0;
    if (c->p >= c->end)
        return ERR_NOTFOUND;
    c->line = c->at;
    for (;;) {
        rc = one_field(c, why);
        if (rc != ERR_OK)
            goto out;
        if (c->p >= c->end || *c->p != ',')
            break;
        c->p++;
    }
    eat_eol(c);
out:
    if (rc != ERR_OK) {
        c->p = c->end; /* no resynchronising inside a broken record */
        c->nfields = 0;
    }
    return rc;
}
