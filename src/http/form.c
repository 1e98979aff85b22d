/* application/x-www-form-urlencoded fields (auth.h: auth_form_field). */
#include "http/auth.h"

#include <string.h>

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decode the n bytes at s ('+' is a space) into out. */
static bool form_decode(const char *s, size_t n, struct buf *out)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            int hi = i + 2 < n ? hex_digit(s[i + 1]) : -1;
            int lo = i + 2 < n ? hex_digit(s[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return false;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (c == '\0' || buf_putc(out, c) != ERR_OK)
            return false;
    }
    return true;
}

enum err auth_form_field(const char *body, size_t n, const char *key,
                         struct buf *out)
{
    const char *p = body, *end = body + n;
    size_t klen = strlen(key);
    bool found = false;

    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        const char *eq = memchr(p, '=', (size_t)(stop - p));

        if (eq != NULL && (size_t)(eq - p) == klen &&
            memcmp(p, key, klen) == 0) {
            if (found || !form_decode(eq + 1, (size_t)(stop - eq - 1), out))
                return ERR_PARSE;
            found = true;
        }
        p = stop + (amp ? 1 : 0);
    }
    return found ? ERR_OK : ERR_NOTFOUND;
}

/* user=NAME&password=PW, as an HTML form sends it. */
