/* API token rules (apitoken.h): pure functions, no store, no I/O. */
#include "http/apitoken.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/auth_int.h"
#include "http/route.h"

enum err apitoken_new(struct buf *out)
{
    struct buf raw;
    enum err rc;

    buf_init(&raw, AUTH_TOKEN_CHARS + 1);
    rc = auth_token_new(&raw);
    if (rc == ERR_OK)
        rc = buf_puts(out, APITOKEN_PREFIX);
    if (rc == ERR_OK)
        rc = buf_puts(out, buf_cstr(&raw));
    if (raw.data != NULL)
        sodium_memzero(raw.data, raw.len); /* the secret does not linger */
    buf_free(&raw);
    return rc;
}

bool apitoken_key(const char *token, char *key)
{
    if (token == NULL || strlen(token) != APITOKEN_CHARS ||
        memcmp(token, APITOKEN_PREFIX, APITOKEN_PREFIX_LEN) != 0)
        return false;
    return auth_token_key_hex(token + APITOKEN_PREFIX_LEN, key);
}

bool apitoken_name_valid(const char *name)
{
    return auth_name_valid(name) &&
           strspn(name, "0123456789") != strlen(name);
}

bool apitoken_scope_parse(const char *s, enum apitoken_scope *out)
{
    if (s != NULL && strcmp(s, "read") == 0)
        *out = APITOKEN_READ;
    else if (s != NULL && strcmp(s, "write") == 0)
        *out = APITOKEN_WRITE;
    else
        return false;
    return true;
}

const char *apitoken_scope_name(enum apitoken_scope s)
{
    return s == APITOKEN_WRITE ? "write" : "read";
}

enum err apitoken_parse_expiry(const char *s, int64_t *out)
{
    static const char units[] = "smhdw";
    static const int64_t secs[] = {1, 60, 3600, 86400, 604800};
    const char *u;
    char *end = NULL;
    long long v;

    if (s == NULL || s[0] < '0' || s[0] > '9')
        return ERR_PARSE;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno == ERANGE || end == s || end[0] == '\0' || end[1] != '\0' ||
        v < 1 || v > APITOKEN_EXPIRY_MAX)
        return ERR_PARSE;
    u = strchr(units, end[0]);
    if (u == NULL)
        return ERR_PARSE;
    if (v > APITOKEN_EXPIRY_MAX / secs[u - units])
        return ERR_PARSE;
    *out = (int64_t)v * secs[u - units];
    return ERR_OK;
}

const char *apitoken_bearer(const char *authz)
{
    if (authz == NULL || strncasecmp(authz, "Bearer", 6) != 0 ||
        authz[6] != ' ')
        return NULL;
    authz += 6;
    while (*authz == ' ')
        authz++;
    return authz;
}

enum apitoken_verdict apitoken_allows(enum apitoken_scope s,
                                      const char *method, unsigned flags)
{
    bool reads = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;

    if (flags & ROUTE_SESSION_ONLY)
        return APITOKEN_SESSION_ONLY;
    if (s == APITOKEN_READ && !reads && !(flags & ROUTE_MCP))
        return APITOKEN_READ_ONLY;
    return APITOKEN_ALLOW;
}
