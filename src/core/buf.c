#include "buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

void buf_init(struct buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void buf_free(struct buf *b)
{
    if (b == NULL)
        return;
    FREE_AND_NULL(b->data);
    b->len = 0;
    b->cap = 0;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static enum err reserve(struct buf *b, size_t extra)
{
    size_t need;
    if (extra > b->max || b->len > b->max - extra)
        return ERR_TOOBIG;
    need = b->len + extra + 1;
    if (need > b->cap) {
        size_t ncap = b->cap ? b->cap : 64;
        while (ncap < need)
            ncap = ncap > ((size_t)-1) / 2 ? need : ncap * 2;
        b->data = xrealloc(b->data, ncap);
        b->cap = ncap;
    }
    return ERR_OK;
}

enum err buf_append(struct buf *b, const void *p, size_t n)
{
    enum err rc = reserve(b, n);
    if (rc != ERR_OK)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return ERR_OK;
}

enum err buf_puts(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

enum err buf_putc(struct buf *b, char c)
{
    return buf_append(b, &c, 1);
}

enum err buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    enum err rc;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return ERR_INVALID;
    rc = reserve(b, (size_t)n);
    if (rc != ERR_OK)
        return rc;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return ERR_OK;
}

enum err buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    enum err rc;
    va_start(ap, fmt);
    rc = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void buf_vcatf(struct buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    size_t room;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || b->len >= b->max)
        return;
    room = b->max - b->len;
    if ((size_t)n < room)
        room = (size_t)n;
    if (reserve(b, room) != ERR_OK)
        return;
    /* vsnprintf writes at most room bytes and the NUL. */
    vsnprintf(b->data + b->len, room + 1, fmt, ap);
    b->len += room;
}

void buf_catf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vcatf(b, fmt, ap);
    va_end(ap);
}

void buf_setf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    buf_reset(b);
    va_start(ap, fmt);
    buf_vcatf(b, fmt, ap);
    va_end(ap);
}

const char *buf_cstr(const struct buf *b)
{
    return b->data ? b->data : "";
}

char *buf_steal(struct buf *b)
{
    char *p = b->data ? b->data : xstrdup("");
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}

enum err buf_read_file(struct buf *b, const char *path, struct buf *why)
{
    FILE *f;
    char chunk[65536];
    size_t n;
    enum err rc = ERR_OK;

    f = fopen(path, "rb");
    if (f == NULL) {
        buf_setf(why, "cannot open: %s", strerror(errno));
        return ERR_IO;
    }
    for (;;) {
        n = fread(chunk, 1, sizeof chunk, f);
        if (n > 0) {
            rc = buf_append(b, chunk, n);
            if (rc != ERR_OK) {
                buf_setf(why, "file is larger than the %zu byte limit",
                         b->max);
                break;
            }
        }
        if (n < sizeof chunk) {
            if (ferror(f)) {
                buf_setf(why, "read failed: %s", strerror(errno));
                rc = ERR_IO;
            }
            break;
        }
    }
    fclose(f);
    return rc;
}
