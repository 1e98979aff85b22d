/* libFuzzer: what auth_bearer.c and `mediadash token` parse from outside
 * before a token is known: the Authorization header, the token and its
 * key, scope and expiry text, token names. Invariants that fail call
 * __builtin_trap(). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "http/apitoken.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = xstrndup((const char *)data, size); /* up to a NUL */
    char key[AUTH_KEY_CHARS + 1];
    const char *tok = apitoken_bearer(s);
    enum apitoken_scope scope;
    int64_t life = -1;

    /* The bearer's token is a suffix of the header, after "Bearer ". */
    check(tok == NULL || (tok >= s + 7 && tok <= s + strlen(s)));
    if (apitoken_key(tok ? tok : s, key))
        check(strlen(key) == AUTH_KEY_CHARS &&
              strspn(key, "0123456789abcdef") == AUTH_KEY_CHARS &&
              strlen(tok ? tok : s) == APITOKEN_CHARS);
    if (apitoken_parse_expiry(s, &life) == ERR_OK)
        check(life >= 1 && life <= APITOKEN_EXPIRY_MAX);
    else
        check(life == -1);
    if (apitoken_scope_parse(s, &scope))
        check(strcmp(apitoken_scope_name(scope), s) == 0);
    if (apitoken_name_valid(s))
        check(strlen(s) >= 1 && strlen(s) <= AUTH_NAME_MAX);
    free(s);
    return 0;
}
