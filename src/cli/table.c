/* Aligned text tables and number formatting for the CLI. */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/alloc.h"

struct table {
    size_t ncols;
    char **headers;
    bool *right;
    char ***rows; /* rows[r][c], owned */
    size_t nrows, cap;
};

struct table *table_create(size_t ncols, const char *const *headers,
                           const bool *right_align)
{
    struct table *t = xcalloc(1, sizeof *t);
    t->ncols = ncols;
    t->headers = xcalloc(ncols, sizeof *t->headers);
    t->right = xcalloc(ncols, sizeof *t->right);
    for (size_t c = 0; c < ncols; c++) {
        t->headers[c] = xstrdup(headers[c]);
        t->right[c] = right_align ? right_align[c] : false;
    }
    return t;
}

void table_destroy(struct table *t)
{
    if (t == NULL)
        return;
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++)
            free(t->rows[r][c]);
        free(t->rows[r]);
    }
    for (size_t c = 0; c < t->ncols; c++)
        free(t->headers[c]);
    free(t->rows);
    free(t->headers);
    free(t->right);
    free(t);
}

/* A copy with control characters (newlines in titles...) as spaces. */
static char *clean(const char *s)
{
    char *d = xstrdup(s ? s : "");
    for (char *p = d; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
    return d;
}

void table_add(struct table *t, const char *const *cells)
{
    char **row = xcalloc(t->ncols, sizeof *row);
    for (size_t c = 0; c < t->ncols; c++)
        row[c] = clean(cells[c]);
    t->rows = xgrow(t->rows, &t->cap, t->nrows + 1, sizeof *t->rows);
    t->rows[t->nrows++] = row;
}

/* Display width: one column per code point (no wide-glyph table). */
static size_t width_of(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

/* Bytes of s that fit in w columns, cut on a code point boundary. */
static size_t bytes_for_width(const char *s, size_t w)
{
    size_t cols = 0, i = 0;
    while (s[i]) {
        size_t n = 1;
        while (((unsigned char)s[i + n] & 0xC0) == 0x80)
            n++;
        if (cols + 1 > w)
            break;
        cols++;
        i += n;
    }
    return i;
}

static void print_cell(FILE *f, const char *s, size_t w, bool right,
                       bool last)
{
    size_t sw = width_of(s);
    if (sw > w) { /* cut, with an ellipsis */
        size_t n = bytes_for_width(s, w > 0 ? w - 1 : 0);
        fwrite(s, 1, n, f);
        if (w > 0)
            fputs("\xE2\x80\xA6", f);
        return;
    }
    if (right)
        fprintf(f, "%*s%s", (int)(w - sw), "", s);
    else if (last)
        fputs(s, f);
    else
        fprintf(f, "%s%*s", s, (int)(w - sw), "");
}

void table_print(const struct table *t, FILE *f, int shrink, int width)
{
    size_t *w = xcalloc(t->ncols, sizeof *w);
    size_t total = 0;

    for (size_t c = 0; c < t->ncols; c++) {
        w[c] = width_of(t->headers[c]);
        for (size_t r = 0; r < t->nrows; r++) {
            size_t cw = width_of(t->rows[r][c]);
            if (cw > w[c])
                w[c] = cw;
        }
        total += w[c] + (c + 1 < t->ncols ? 2 : 0);
    }
    if (width > 0 && shrink >= 0 && (size_t)shrink < t->ncols &&
        total > (size_t)width) {
        size_t over = total - (size_t)width;
        size_t floor_w = width_of(t->headers[shrink]) + 2;
        w[shrink] = w[shrink] > over + floor_w ? w[shrink] - over : floor_w;
    }
    for (size_t c = 0; c < t->ncols; c++) {
        print_cell(f, t->headers[c], w[c], t->right[c], c + 1 == t->ncols);
        fputs(c + 1 < t->ncols ? "  " : "\n", f);
    }
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            print_cell(f, t->rows[r][c], w[c], t->right[c],
                       c + 1 == t->ncols);
            fputs(c + 1 < t->ncols ? "  " : "\n", f);
        }
    free(w);
}

int cli_term_width(void)
{
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
        ws.ws_col > 20)
        return ws.ws_col;
    return 0;
}

void fmt_count(int64_t v, struct buf *out)
{
    char digits[32];
    int n, lead;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)u);
    if (v < 0)
        buf_catf(out, "-");
    lead = n % 3 ? n % 3 : 3;
    buf_catf(out, "%.*s", lead, digits);
    for (int i = lead; i < n; i += 3)
        buf_catf(out, ",%.3s", digits + i);
}

void fmt_metric(const struct metric *m, struct buf *out)
{
    if (m == NULL)
        return;
    if (m->is_real)
        buf_catf(out, "%.4g", m->r);
    else
        fmt_count(m->i, out);
}
