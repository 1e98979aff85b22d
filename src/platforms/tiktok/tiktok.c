/* TikTok (OAuth v2, Display API, Content Posting API): the descriptor. */
#include "platforms/tiktok/tiktok.h"

#include <jansson.h>
#include <string.h>

#include "net/net.h"
#include "schedule/media_mix.h"
#include "platforms/tiktok/publish.h"
#include "sources/source.h"

#define DAY_S 86400
#define PER_MINUTE 600 /* Display API: requests per minute and endpoint */

/* {"error": {"code": "access_token_invalid", ...}} */
static bool token_rejected(const struct net_resp *r)
{
    json_t *o = json_loadb(r->body.data ? r->body.data : "", r->body.len,
                           JSON_REJECT_DUPLICATES, NULL);
    const char *code = json_string_value(
        json_object_get(json_object_get(o, "error"), "code"));
    bool yes = code != NULL && strcmp(code, "access_token_invalid") == 0;

    json_decref(o);
    return yes;
}

static const struct platform_oauth oauth = {
    .client_id_param = "client_key",
    .pkce = true,
    .pkce_hex = true, /* TikTok documents hex(SHA-256) */
    /* access 24 h, refresh token 365 days (refresh_expires_in) */
    .refresh_life_s = 365 * DAY_S,
    .token_rejected = token_rejected,
};

const struct platform_desc tiktok_platform = {
    .id = PLATFORM_TIKTOK,
    .name = "tiktok",
    .display = "TikTok",
    .colour = "#00838f",
    .colour_dark = "#39c5cf",
    .formats = tiktok_formats,
    .env = "TIKTOK",
    .console_url = "https://developers.tiktok.com/apps/",
    .console_name = "TikTok for Developers: Manage apps",
    .oauth = &oauth,
    .config_keys = tiktok_config_keys,
    .fetch = tiktok_fetch,
    .per_minute = PER_MINUTE,
    .publish = &tiktok_publish_ops,
    .mix = &tiktok_media_mix,
    .post_limits = &tiktok_post_limits,
    .media_limits = &tiktok_media_limits,
    .demo = &tiktok_demo,
    .preview = PREVIEW_VERTICAL_VIDEO,
};
