/* RFC 4180 CSV records read from a buffer in memory.
 *
 * Fields are separated by commas and records by CRLF, LF or a lone CR; the
 * last record may lack its line break. A field in double quotes may hold
 * commas, line breaks and quotes (written ""). Outside quotes a quote is
 * an ordinary character (lenient, as spreadsheets are). Empty lines are
 * skipped. A UTF-8 byte order mark is not stripped: the caller does that.
 *
 * Hard limits: CSV_MAX_FIELD bytes in one field, CSV_MAX_FIELDS fields in
 * one record. Nothing is allocated for fields beyond what was read. */
#ifndef MEDIADASH_CSV_H
#define MEDIADASH_CSV_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define CSV_MAX_FIELDS 256
#define CSV_MAX_FIELD ((size_t)64 << 10)

struct csv {
    const char *p, *end;              /* borrowed: the unread input */
    size_t at;                        /* line of the read position, 1-based */
    size_t line;                      /* line the current record starts on */
    size_t nfields;                   /* fields in the current record, >= 1 */
    struct buf field[CSV_MAX_FIELDS]; /* the current record, unquoted */
};

/* Start reading the len bytes at data, which must outlive the reader. */
void csv_init(struct csv *c, const char *data, size_t len);
/* Release the field memory. NULL is a no-op. */
void csv_free(struct csv *c);

/* Read the next record into field 0 .. nfields-1. Returns ERR_NOTFOUND
 * at the end of the input, or with a message in why that names the line:
 * ERR_PARSE for a quote that never closes (the line it opens on) or text
 * after a closing quote; ERR_TOOBIG for a field or record over the
 * limits. After an error the reader is at its end. */
enum err csv_next(struct csv *c, struct buf *why) WARN_UNUSED;

/* Field i of the current record, NUL-terminated; "" when i >= nfields.
 * Borrowed until the next csv_next or csv_free. A field may contain NUL
 * bytes if the input does: csv_len gives the true length. */
const char *csv_get(const struct csv *c, size_t i);
size_t csv_len(const struct csv *c, size_t i);

#endif
