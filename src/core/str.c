#include "str.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"

enum err parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    long long v;

    if (s == NULL || *s == '\0' || *s == ' ' || *s == '\t' || *s == '+')
        return ERR_PARSE;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE || v < lo || v > hi)
        return ERR_PARSE;
    *out = (int64_t)v;
    return ERR_OK;
}

enum err parse_i64n(const char *s, size_t n, int64_t lo, int64_t hi,
                    int64_t *out)
{
    char tmp[32];
    if (n == 0 || n >= sizeof tmp)
        return ERR_PARSE;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    return parse_i64(tmp, lo, hi, out);
}

enum err parse_double(const char *s, double *out)
{
    char *end;
    double v;

    if (s == NULL || *s == '\0' || *s == ' ' || *s == '\t')
        return ERR_PARSE;
    errno = 0;
    v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v))
        return ERR_PARSE;
    *out = v;
    return ERR_OK;
}

enum err parse_doublen(const char *s, size_t n, double *out)
{
    char tmp[64];
    if (n == 0 || n >= sizeof tmp)
        return ERR_PARSE;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    return parse_double(tmp, out);
}

bool str_eq(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

bool str_http_url(const char *s)
{
    size_t skip;

    if (s == NULL)
        return false;
    if (strncasecmp(s, "https://", 8) == 0)
        skip = 8;
    else if (strncasecmp(s, "http://", 7) == 0)
        skip = 7;
    else
        return false;
    if (s[skip] == '\0' || s[skip] == '/')
        return false;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if (*c <= 0x20 || *c == 0x7f)
            return false;
    return true;
}

bool str_has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

size_t str_utf8_valid_len(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        unsigned c = p[i], cp;
        size_t k;
        if (c == 0)
            return i;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            k = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (n - i <= k)
            return i;
        for (size_t j = 1; j <= k; j++) {
            if ((p[i + j] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + j] & 0x3F);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += k + 1;
    }
    return n;
}

bool str_valid_utf8(const char *s, size_t n)
{
    return str_utf8_valid_len(s, n) == n;
}
