/* Type-checked reading of parsed upstream JSON (jansson) with errors that
 * name the item and the field (STYLE.md 8).
 *
 * Paths are dotted member names from the given object:
 * "statistics.viewCount". A member that is missing, or JSON null, is
 * "absent": an error for J_REQUIRED, *out = NULL / *present = false for
 * J_OPTIONAL. Any other type mismatch is always an error. Every failure
 * writes "<where>: field \"<path>\": <why>" to the error buffer and returns
 * ERR_PARSE. */
#ifndef MEDIADASH_JREAD_H
#define MEDIADASH_JREAD_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

enum jreq { J_OPTIONAL, J_REQUIRED };

struct jread {
    struct buf *err;  /* borrowed: receives the message */
    struct buf where; /* the item being read, e.g. `items[3] (id "x")` */
};

void jread_init(struct jread *r, struct buf *err);
void jread_free(struct jread *r);
/* Name the item now being read; "" means the document itself. */
void jread_where(struct jread *r, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* Report a failure at field (may be NULL); returns ERR_PARSE. */
enum err jread_fail(struct jread *r, const char *field, const char *fmt, ...)
    PRINTF_LIKE(3, 4);

/* JSON type name for messages: "object", "string", "number", ... */
const char *jread_type_name(const json_t *v);

/* The value at path, any type. *out borrowed from the tree. */
enum err jread_get(struct jread *r, const json_t *obj, const char *path,
                   enum jreq req, json_t **out) WARN_UNUSED;
enum err jread_object(struct jread *r, const json_t *obj, const char *path,
                      enum jreq req, json_t **out) WARN_UNUSED;
enum err jread_array(struct jread *r, const json_t *obj, const char *path,
                     enum jreq req, json_t **out) WARN_UNUSED;
/* A string of at most max bytes. *out borrowed from the tree. */
enum err jread_string(struct jread *r, const json_t *obj, const char *path,
                      enum jreq req, size_t max, const char **out)
    WARN_UNUSED;
/* A platform id: 1..ITEM_ID_MAX printable ASCII bytes, no spaces. */
enum err jread_id(struct jread *r, const json_t *obj, const char *path,
                  enum jreq req, const char **out) WARN_UNUSED;
/* A JSON integer in [lo, hi]. */
enum err jread_int(struct jread *r, const json_t *obj, const char *path,
                   enum jreq req, int64_t lo, int64_t hi, int64_t *out,
                   bool *present) WARN_UNUSED;
/* A count sent as a JSON string of decimal digits (YouTube's uint64). */
enum err jread_count_str(struct jread *r, const json_t *obj,
                         const char *path, enum jreq req, int64_t *out,
                         bool *present) WARN_UNUSED;
/* Any JSON number, integer or real. */
enum err jread_number(struct jread *r, const json_t *obj, const char *path,
                      enum jreq req, double *out, bool *present) WARN_UNUSED;
enum err jread_bool(struct jread *r, const json_t *obj, const char *path,
                    enum jreq req, bool *out, bool *present) WARN_UNUSED;
/* An ISO 8601 time string; *out = TIME_NONE when absent. */
enum err jread_time(struct jread *r, const json_t *obj, const char *path,
                    enum jreq req, int64_t *out) WARN_UNUSED;

#endif
