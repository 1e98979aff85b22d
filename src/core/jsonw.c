#include "jsonw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "timeutil.h"

void jw_init(struct jw *w, struct buf *out)
{
    w->out = out;
    w->status = ERR_OK;
    w->depth = 0;
    w->first[0] = true;
    w->after_key = false;
}

enum err jw_status(const struct jw *w)
{
    if (w->status == ERR_OK && w->depth != 0)
        return ERR_INVALID; /* unbalanced: a bug in the caller */
    return w->status;
}

static void put(struct jw *w, const char *s, size_t n)
{
    if (w->status == ERR_OK)
        w->status = buf_append(w->out, s, n);
}

static void puts_(struct jw *w, const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    put(w, s, n);
}

/* Comma before a value or key, unless it follows a key or comes first. */
static void sep(struct jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (!w->first[w->depth])
        put(w, ",", 1);
    w->first[w->depth] = false;
}

static void escaped(struct jw *w, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const char *run = s;

    put(w, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        const char *esc = NULL;
        char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        if (c == '"')
            esc = "\\\"";
        else if (c == '\\')
            esc = "\\\\";
        else if (c == '\n')
            esc = "\\n";
        else if (c == '\r')
            esc = "\\r";
        else if (c == '\t')
            esc = "\\t";
        else if (c >= 0x20 && c != 0x7f)
            continue;
        put(w, run, (size_t)(s - run));
        if (esc)
            puts_(w, esc);
        else
            put(w, u, sizeof u);
        run = s + 1;
    }
    put(w, run, (size_t)(s - run));
    put(w, "\"", 1);
}

static void open_(struct jw *w, char c)
{
    sep(w);
    put(w, &c, 1);
    if (w->depth + 1 >= JW_MAX_DEPTH) {
        w->status = ERR_TOOBIG;
        return;
    }
    w->first[++w->depth] = true;
}

static void close_(struct jw *w, char c)
{
    if (w->depth == 0) {
        w->status = ERR_INVALID;
        return;
    }
    w->depth--;
    put(w, &c, 1);
}

void jw_object_begin(struct jw *w)
{
    open_(w, '{');
}

void jw_object_end(struct jw *w)
{
    close_(w, '}');
}

void jw_array_begin(struct jw *w)
{
    open_(w, '[');
}

void jw_array_end(struct jw *w)
{
    close_(w, ']');
}

void jw_key(struct jw *w, const char *key)
{
    sep(w);
    escaped(w, key);
    put(w, ":", 1);
    w->after_key = true;
}

void jw_str(struct jw *w, const char *s)
{
    if (s == NULL) {
        jw_null(w);
        return;
    }
    sep(w);
    escaped(w, s);
}

void jw_written(struct jw *w, const char *json, size_t n)
{
    sep(w);
    put(w, json, n);
}

void jw_i64(struct jw *w, int64_t v)
{
    sep(w);
    if (w->status == ERR_OK)
        w->status = buf_printf(w->out, "%lld", (long long)v);
}

void jw_real(struct jw *w, double v)
{
    if (!isfinite(v)) {
        jw_null(w);
        return;
    }
    sep(w);
    if (w->status == ERR_OK) {
        /* Shortest of 15 or 17 digits that reads back as the same value. */
        char tmp[40];
        snprintf(tmp, sizeof tmp, "%.15g", v);
        if (strtod(tmp, NULL) != v)
            snprintf(tmp, sizeof tmp, "%.17g", v);
        puts_(w, tmp);
    }
}

void jw_bool(struct jw *w, bool v)
{
    sep(w);
    puts_(w, v ? "true" : "false");
}

void jw_null(struct jw *w)
{
    sep(w);
    puts_(w, "null");
}

void jw_time(struct jw *w, int64_t t)
{
    if (t == TIME_NONE) {
        jw_null(w);
        return;
    }
    sep(w);
    put(w, "\"", 1);
    if (w->status == ERR_OK)
        w->status = time_format_iso8601(t, w->out);
    put(w, "\"", 1);
}

void jw_kv_str(struct jw *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_str(w, s);
}

void jw_kv_i64(struct jw *w, const char *key, int64_t v)
{
    jw_key(w, key);
    jw_i64(w, v);
}

void jw_kv_real(struct jw *w, const char *key, double v)
{
    jw_key(w, key);
    jw_real(w, v);
}

void jw_kv_bool(struct jw *w, const char *key, bool v)
{
    jw_key(w, key);
    jw_bool(w, v);
}

void jw_kv_time(struct jw *w, const char *key, int64_t t)
{
    jw_key(w, key);
    jw_time(w, t);
}
