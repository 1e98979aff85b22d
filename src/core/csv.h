/* RFC 4180 CSV records from a buffer: quoted fields with commas, quotes
 * ("" escape) and newlines; CRLF or LF; a last line without newline.
 * Hard limits on field length and fields per record. */
#ifndef MEDIADASH_CSV_H
#define MEDIADASH_CSV_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define CSV_MAX_FIELDS 256
#define CSV_MAX_FIELD ((size_t)64 << 10)

struct csv {
    const char *p, *end;
    size_t line;               /* line the current record starts on, 1-based */
    size_t at;                 /* line of the read position */
    size_t nfields;
    struct buf field[CSV_MAX_FIELDS]; /* the current record's fields */
};

void csv_init(struct csv *c, const char *data, size_t len);
void csv_free(struct csv *c);
/* Read the next record into c->field[0 .. c->nfields). ERR_NOTFOUND at the
 * end; ERR_PARSE (unterminated quote, junk after a closing quote) or
 * ERR_TOOBIG with why set, naming the line. Blank lines are skipped. */
enum err csv_next(struct csv *c, struct buf *why) WARN_UNUSED;
/* Field i of the current record as a C string ("" past the end). */
const char *csv_get(const struct csv *c, size_t i);

#endif
