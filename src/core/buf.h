/* Growable byte buffer with a hard maximum, always NUL-terminated
 * (STYLE.md 6). */
#ifndef MEDIADASH_BUF_H
#define MEDIADASH_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "err.h"

struct buf {
    char *data;  /* NULL until first append; use buf_cstr() to read */
    size_t len;  /* bytes used, excluding the NUL */
    size_t cap;  /* bytes allocated */
    size_t max;  /* hard maximum of len */
};

#define BUF_MAX_DEFAULT ((size_t)1 << 20)

/* Initialise an empty buffer that refuses to grow past max bytes. */
void buf_init(struct buf *b, size_t max);
/* Release the memory; the buffer is empty and reusable. NULL is a no-op. */
void buf_free(struct buf *b);
/* Keep the memory, drop the contents. */
void buf_reset(struct buf *b);

/* Append n bytes. ERR_TOOBIG (buffer unchanged) when over max. */
enum err buf_append(struct buf *b, const void *p, size_t n) WARN_UNUSED;
enum err buf_puts(struct buf *b, const char *s) WARN_UNUSED;
enum err buf_putc(struct buf *b, char c) WARN_UNUSED;
enum err buf_printf(struct buf *b, const char *fmt, ...) PRINTF_LIKE(2, 3)
    WARN_UNUSED;
enum err buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    PRINTF_LIKE(2, 0) WARN_UNUSED;
/* Replace the contents with a formatted string; on ERR_TOOBIG the contents
 * are truncated at max rather than left stale (for error messages). */
void buf_setf(struct buf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* Append for messages: formats like buf_printf but, past max, keeps what
 * fits instead of failing (a clipped message beats none). */
void buf_catf(struct buf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
void buf_vcatf(struct buf *b, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);

/* The contents as a C string; "" for an empty buffer. Borrowed. */
const char *buf_cstr(const struct buf *b);
/* Hand the contents to the caller (free() them); the buffer is emptied. */
char *buf_steal(struct buf *b);

/* Read a whole file into b (binary safe). ERR_TOOBIG past b->max,
 * ERR_IO with errno text appended to *why on failure. */
enum err buf_read_file(struct buf *b, const char *path, struct buf *why)
    WARN_UNUSED;

#endif
