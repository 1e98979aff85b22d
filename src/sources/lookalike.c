/* Documents that no format takes but that we can name: other services'
 * responses (the Oura API; Twitch Helix pages no twitch.* format takes,
 * such as search/channels), OAuth token responses and API
 * descriptions (Google discovery, OpenAPI). Naming them turns "not a
 * recognised platform API response" into a message a user can act on.
 * Detection only: nothing here is ever parsed into items. */
#include <string.h>

#include "sources/source.h"

/* Does the object o have every key in keys (a NULL-ended list)? */
static bool has_all(const json_t *o, const char *const *keys)
{
    if (!json_is_object(o))
        return false;
    for (; *keys; keys++)
        if (json_object_get(o, *keys) == NULL)
            return false;
    return true;
}

/* Append s, cut to max bytes, with control characters as '?': text from
 * the file goes into a one-line message. */
static void cat_clean(struct buf *out, const char *s, size_t max)
{
    for (size_t i = 0; s[i] && i < max; i++) {
        unsigned char c = (unsigned char)s[i];
        if (buf_putc(out, c < 0x20 || c == 0x7f ? '?' : (char)c) != ERR_OK)
            return;
    }
}

/* ---- Oura API v2 ---------------------------------------------------------- */

/* Oura collections: {"data": [{"id", "day", ...}], "next_token": ...}. */
static const char *oura_kind(const json_t *root)
{
    static const struct {
        const char *key, *kind;
    } kinds[] = {
        {"active_calories", "daily_activity"},
        {"temperature_deviation", "daily_readiness"},
        {"bedtime_start", "sleep"},
        {"contributors", "daily_sleep"},
    };
    const json_t *first = json_array_get(json_object_get(root, "data"), 0);

    if (json_object_get(root, "next_token") == NULL ||
        !json_is_array(json_object_get(root, "data")))
        return NULL;
    if (first == NULL)
        return "";
    if (!json_is_string(json_object_get(first, "day")))
        return NULL;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (json_object_get(first, kinds[i].key))
            return kinds[i].kind;
    return "";
}

/* ---- Twitch Helix -------------------------------------------------------- */

static const char *twitch_kind(const json_t *root)
{
    static const char *const videos[] = {"stream_id", "viewable", NULL};
    static const char *const clips[] = {"broadcaster_id", "creator_id",
                                        "embed_url", NULL};
    static const char *const streams[] = {"user_login", "viewer_count", NULL};
    static const char *const search[] = {"broadcaster_login", "is_live", NULL};
    static const char *const users[] = {"login", "broadcaster_type", NULL};
    static const char *const follows[] = {"user_id", "followed_at", NULL};
    static const struct {
        const char *const *keys;
        const char *kind;
    } kinds[] = {
        {videos, "videos"},          {clips, "clips"},
        {streams, "streams"},        {search, "search/channels"},
        {users, "users"},            {follows, "channels/followers"},
    };
    const json_t *data = json_object_get(root, "data");
    const json_t *first = json_array_get(data, 0);

    if (!json_is_array(data))
        return NULL;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (has_all(first, kinds[i].keys))
            return kinds[i].kind;
    return json_is_object(json_object_get(root, "pagination")) ? "" : NULL;
}

/* ---- descriptions and credentials ---------------------------------------- */

static bool describe_api_doc(const json_t *root, struct buf *out)
{
    const json_t *kind = json_object_get(root, "kind");
    const json_t *name = json_object_get(root, "name");
    const json_t *ver = json_object_get(root, "version");
    const json_t *title = json_object_get(json_object_get(root, "info"),
                                          "title");

    if (json_is_string(kind) &&
        strcmp(json_string_value(kind), "discovery#restDescription") == 0) {
        buf_catf(out, "the Google API discovery document of ");
        cat_clean(out, json_is_string(name) ? json_string_value(name) : "?",
                  64);
        buf_catf(out, " ");
        cat_clean(out, json_is_string(ver) ? json_string_value(ver) : "?", 32);
        buf_catf(out, ", which describes the API and holds no data");
        return true;
    }
    if (json_is_string(json_object_get(root, "openapi")) &&
        json_is_object(json_object_get(root, "paths"))) {
        buf_catf(out, "an OpenAPI document");
        if (json_is_string(title)) {
            buf_catf(out, " (\"");
            cat_clean(out, json_string_value(title), 80);
            buf_catf(out, "\")");
        }
        buf_catf(out, ", which describes an API and holds no data");
        return true;
    }
    if (json_is_string(json_object_get(root, "access_token")) &&
        json_is_string(json_object_get(root, "token_type"))) {
        buf_catf(out, "an OAuth token response, which holds credentials and "
                      "no data (do not keep tokens in files)");
        return true;
    }
    return false;
}

bool source_lookalike(const json_t *root, struct buf *out)
{
    const char *kind;

    if (describe_api_doc(root, out))
        return true;
    kind = oura_kind(root);
    if (kind != NULL) {
        buf_catf(out, "an Oura API v2 %s%spage: health data, which is not "
                      "imported",
                 kind, *kind ? " " : "");
        return true;
    }
    kind = twitch_kind(root);
    if (kind != NULL) {
        if (strcmp(kind, "search/channels") == 0)
            buf_catf(out, "a Twitch Helix search/channels page: search "
                          "results are other people's channels and hold no "
                          "figures, so they are not imported");
        else
            buf_catf(out, "a Twitch Helix %s%spage of a shape mediadash "
                          "does not import (see the twitch.* formats)",
                     kind, *kind ? " " : "");
        return true;
    }
    return false;
}
