/* Checked string parsing helpers (STYLE.md 7). */
#ifndef MEDIADASH_STR_H
#define MEDIADASH_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Parse a whole decimal integer in [lo, hi]. Leading/trailing junk,
 * empty strings and overflow give ERR_PARSE. */
enum err parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out)
    WARN_UNUSED;
/* Same for the n bytes at s (not NUL-terminated). */
enum err parse_i64n(const char *s, size_t n, int64_t lo, int64_t hi,
                    int64_t *out) WARN_UNUSED;
/* Parse a whole finite decimal number. */
enum err parse_double(const char *s, double *out) WARN_UNUSED;
enum err parse_doublen(const char *s, size_t n, double *out) WARN_UNUSED;

bool str_eq(const char *a, const char *b);          /* NULL-safe */
bool str_has_prefix(const char *s, const char *prefix);
/* Whether s is an absolute http:// or https:// URL (scheme in any case)
 * with something after the "//", and holds no control character, space
 * or DEL anywhere: the only links and images we store or render. Leading
 * whitespace or control bytes (" javascript:", "\tjava\nscript:"),
 * other schemes (javascript:, data:, file:, vbscript:) and relative or
 * scheme-relative ("//host") URLs are not. NULL is not. */
bool str_http_url(const char *s);
/* Length of the longest prefix of the n bytes that is valid UTF-8 without
 * NUL bytes (n when all of it is). */
size_t str_utf8_valid_len(const char *s, size_t n);
bool str_valid_utf8(const char *s, size_t n);

#endif
