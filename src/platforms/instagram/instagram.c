/* Instagram (Meta: Facebook Login or Instagram Login, Graph API): the
 * descriptor. */
#include "platforms/instagram/instagram.h"

#include <jansson.h>

#include "net/net.h"
#include "schedule/media_mix.h"
#include "platforms/instagram/publish.h"
#include "sources/source.h"

#define DAY_S 86400

/* Graph error 190: the access token is invalid or expired. */
static bool token_rejected(const struct net_resp *r)
{
    json_t *o = json_loadb(r->body.data ? r->body.data : "", r->body.len,
                           JSON_REJECT_DUPLICATES, NULL);
    json_t *code = json_object_get(json_object_get(o, "error"), "code");
    bool yes = json_is_integer(code) && json_integer_value(code) == 190;

    json_decref(o);
    return yes;
}

/* Its two ways to log in (instagram.login picks a new connection's):
 * Facebook Login (graph.facebook.com, a Page linked to the account: the
 * client keys of [instagram]) and the Instagram API with Instagram Login
 * (no Page: the consent at ig_auth_url, the code exchanged at
 * ig_token_url with a grant_type, then ig_exchange_token for a 60-day
 * token and ig_refresh_token to renew it at ig_graph_base, which the
 * collector then calls: fetch.c). */
static const struct oauth_login logins[] = {
    {.name = INSTAGRAM_LOGIN_FACEBOOK},
    {.name = INSTAGRAM_LOGIN_INSTAGRAM,
     .label = "Instagram Login",
     .auth_url_key = "instagram.ig_auth_url",
     .token_url_key = "instagram.ig_token_url",
     .scopes_key = "instagram.ig_scopes",
     .code_grant_type = true,
     .base_key = "instagram.ig_graph_base",
     .exchange_path = "/access_token",
     .exchange_grant = "ig_exchange_token",
     .refresh_path = "/refresh_access_token",
     .refresh_grant = "ig_refresh_token"},
    {.name = NULL},
};

static const struct platform_oauth oauth = {
    .client_id_param = "client_id",
    .pkce = false,
    .meta_exchange = true,
    /* long-lived tokens: 60 days, renewed once at least 24 h old */
    .renews_access = true,
    .min_age_s = DAY_S,
    .token_rejected = token_rejected,
    .logins = logins,
    .login_key = "instagram.login",
};

const struct platform_desc instagram_platform = {
    .id = PLATFORM_INSTAGRAM,
    .name = "instagram",
    .display = "Instagram",
    .colour = "#b0368f",
    .colour_dark = "#db61a2",
    .formats = instagram_formats,
    .env = "INSTAGRAM",
    .console_url = "https://developers.facebook.com/apps/",
    .console_name = "Meta for Developers: My Apps",
    .connect_account = "Instagram business account id (IG user id, digits):",
    .oauth = &oauth,
    .config_keys = instagram_config_keys,
    .fetch = instagram_fetch,
    .dropped_metrics = instagram_insight_metrics,
    .api_usage = true,
    .publish = &instagram_publish_ops,
    .mix = &instagram_media_mix,
    .post_limits = &instagram_post_limits,
    .media_limits = &instagram_media_limits,
    .demo = &instagram_demo,
    .preview = PREVIEW_SQUARE_POST,
};
