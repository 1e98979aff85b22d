/* libFuzzer: what auth.c parses from requests before anyone has logged
 * in: the session cookie's token, login forms and the path a login
 * redirect carries. Invariants that fail call __builtin_trap(). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "http/auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = xstrndup((const char *)data, size); /* up to a NUL */
    struct buf out;
    enum err rc;

    buf_init(&out, 8192);
    /* A token: a key is 64 hex digits, or there is none. */
    rc = auth_token_key(s, &out);
    check(rc == ERR_OK ? out.len == 64 : rc == ERR_PARSE && out.len == 0);
    /* A form: values decode without NUL bytes and within the cap. */
    buf_reset(&out);
    rc = auth_form_field((const char *)data, size, "password", &out);
    check(rc == ERR_OK || rc == ERR_NOTFOUND || rc == ERR_PARSE);
    check(rc != ERR_OK || strlen(buf_cstr(&out)) == out.len);
    /* A redirect: always to /login, never with a raw CR, LF or space. */
    auth_login_location(s, &out);
    check(strncmp(buf_cstr(&out), "/login", 6) == 0);
    check(strpbrk(buf_cstr(&out), "\r\n \"<>") == NULL);
    check(out.len == 6 || strncmp(buf_cstr(&out), "/login?next=/", 13) == 0);
    buf_free(&out);
    free(s);
    return 0;
}
