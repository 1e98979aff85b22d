/* The one way we emit JSON (STYLE.md 8): a streaming writer into a buf
 * that escapes strings and tracks nesting and commas. Errors are sticky:
 * write everything, then check jw_status() once. */
#ifndef MEDIADASH_JSONW_H
#define MEDIADASH_JSONW_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

#define JW_MAX_DEPTH 32

struct jw {
    struct buf *out;   /* borrowed */
    enum err status;   /* first failure, sticky */
    int depth;
    bool first[JW_MAX_DEPTH]; /* no member written yet at this level */
    bool after_key;
};

void jw_init(struct jw *w, struct buf *out);
enum err jw_status(const struct jw *w) WARN_UNUSED;

void jw_object_begin(struct jw *w);
void jw_object_end(struct jw *w);
void jw_array_begin(struct jw *w);
void jw_array_end(struct jw *w);
void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *s);  /* NULL writes null */
void jw_i64(struct jw *w, int64_t v);
void jw_real(struct jw *w, double v);     /* non-finite writes null */
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* ISO 8601 UTC string, or null for TIME_NONE. */
void jw_time(struct jw *w, int64_t t);

/* A value another jw wrote whole (n bytes at json): spliced in as the
 * next value, so that values written apart can be emitted in another
 * order. Never for text from outside. */
void jw_written(struct jw *w, const char *json, size_t n);

/* Key plus value, for objects. */
void jw_kv_str(struct jw *w, const char *key, const char *s);
void jw_kv_i64(struct jw *w, const char *key, int64_t v);
void jw_kv_real(struct jw *w, const char *key, double v);
void jw_kv_bool(struct jw *w, const char *key, bool v);
void jw_kv_time(struct jw *w, const char *key, int64_t t);

#endif
