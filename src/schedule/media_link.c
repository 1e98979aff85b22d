/* Public media links (media_link.h). */
#include "schedule/media_link.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "core/str.h"
#include "schedule/post.h"

#define MAC_BYTES 32
#define MAC_TEXT 43 /* base64url of 32 bytes, unpadded */
#define KDF_CONTEXT "medialnk"
#define KDF_ID 1
#define DOMAIN "mediadash media link v1"

static bool hex64(const char *s)
{
    if (s == NULL || strlen(s) != 64)
        return false;
    for (size_t i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

enum err media_link_token(const struct secret_key *k, int64_t post_id,
                          size_t index, const char *sha256, struct buf *out)
{
    unsigned char key[crypto_generichash_KEYBYTES], mac[MAC_BYTES];
    char text[MAC_TEXT + 1], msg[160];
    crypto_generichash_state h;
    enum err rc;
    int n;

    buf_reset(out);
    if (post_id <= 0 || index >= SCHED_MEDIA_MAX || !hex64(sha256))
        return ERR_INVALID;
    rc = secret_derive(k, KDF_ID, KDF_CONTEXT, key, sizeof key);
    if (rc != ERR_OK)
        return rc;
    /* Fixed fields with separators: no two inputs share a message. */
    n = snprintf(msg, sizeof msg, "%s|%lld|%zu|%s", DOMAIN, (long long)post_id,
                 index, sha256);
    if (n < 0 || (size_t)n >= sizeof msg) {
        sodium_memzero(key, sizeof key);
        return ERR_INVALID;
    }
    crypto_generichash_init(&h, key, sizeof key, sizeof mac);
    crypto_generichash_update(&h, (const unsigned char *)msg, (size_t)n);
    crypto_generichash_final(&h, mac, sizeof mac);
    sodium_memzero(key, sizeof key);
    sodium_bin2base64(text, sizeof text, mac, sizeof mac,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return buf_printf(out, "%lld.%zu.%s", (long long)post_id, index, text);
}

enum err media_link_url(const struct secret_key *k, const char *base,
                        int64_t post_id, size_t index, const char *sha256,
                        struct buf *out)
{
    struct buf tok;
    size_t n = base ? strlen(base) : 0;
    enum err rc;

    buf_reset(out);
    if (base == NULL ||
        (!str_has_prefix(base, "https://") && !str_has_prefix(base, "http://")))
        return ERR_INVALID;
    while (n > 0 && base[n - 1] == '/')
        n--;
    buf_init(&tok, MEDIA_LINK_TOKEN_MAX + 1);
    rc = media_link_token(k, post_id, index, sha256, &tok);
    if (rc == ERR_OK)
        rc = buf_append(out, base, n);
    if (rc == ERR_OK)
        rc = buf_printf(out, MEDIA_LINK_PREFIX "%s", buf_cstr(&tok));
    buf_free(&tok);
    return rc;
}

enum err media_link_parse(const char *token, int64_t *post_id, size_t *index)
{
    const char *d1 = token ? strchr(token, '.') : NULL;
    const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    int64_t id, idx;

    if (d2 == NULL || strlen(token) > MEDIA_LINK_TOKEN_MAX ||
        strlen(d2 + 1) != MAC_TEXT ||
        parse_i64n(token, (size_t)(d1 - token), 1, INT64_MAX, &id) != ERR_OK ||
        parse_i64n(d1 + 1, (size_t)(d2 - d1 - 1), 0, SCHED_MEDIA_MAX - 1,
                   &idx) != ERR_OK)
        return ERR_PARSE;
    for (const char *p = d2 + 1; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
            return ERR_PARSE;
    *post_id = id;
    *index = (size_t)idx;
    return ERR_OK;
}

bool media_link_verify(const struct secret_key *k, const char *token,
                       int64_t post_id, size_t index, const char *sha256)
{
    struct buf want;
    bool ok = false;

    buf_init(&want, MEDIA_LINK_TOKEN_MAX + 1);
    if (media_link_token(k, post_id, index, sha256, &want) == ERR_OK &&
        strlen(token) == want.len)
        ok = sodium_memcmp(token, buf_cstr(&want), want.len) == 0;
    buf_free(&want);
    return ok;
}

bool media_link_servable(const struct post *p, int64_t now)
{
    switch (p->state) {
    case POST_SCHEDULED:
    case POST_CLAIMED:
    case POST_PUBLISHING:
        return true;
    case POST_PUBLISHED:
        return now - p->updated_at <= MEDIA_LINK_GRACE_S;
    default:
        return false;
    }
}

static enum err copy_str(const json_t *o, const char *key, struct buf *out)
{
    const json_t *v = json_object_get(o, key);
    buf_reset(out);
    if (!json_is_string(v))
        return ERR_PARSE;
    return buf_append(out, json_string_value(v), json_string_length(v));
}

enum err media_link_item(const char *media_json, size_t index, struct buf *path,
                         struct buf *sha256, int64_t *bytes,
                         struct buf *content_type)
{
    json_t *a = media_json
                    ? json_loads(media_json, JSON_REJECT_DUPLICATES, NULL)
                    : NULL;
    const json_t *m, *b;
    enum err rc = ERR_PARSE;

    if (!json_is_array(a))
        goto out;
    rc = ERR_NOTFOUND;
    m = json_array_get(a, index);
    if (m == NULL)
        goto out;
    rc = ERR_PARSE;
    b = json_object_get(m, "bytes");
    if (!json_is_object(m) || !json_is_integer(b) || json_integer_value(b) < 0)
        goto out;
    *bytes = (int64_t)json_integer_value(b);
    rc = copy_str(m, "path", path);
    if (rc == ERR_OK)
        rc = copy_str(m, "sha256", sha256);
    if (rc == ERR_OK)
        rc = copy_str(m, "content_type", content_type);
out:
    json_decref(a);
    return rc;
}
