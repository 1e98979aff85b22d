/* The OAuth data of a platform, as src/net reads it. The type lives in
 * src/net so that net never includes src/platforms (layers go one way:
 * platforms -> net). Each descriptor fills one (platform.h); the net
 * layer gets them through the lookup its caller hands to oauth_create(). */
#ifndef MEDIADASH_OAUTH_QUIRKS_H
#define MEDIADASH_OAUTH_QUIRKS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/model.h"

struct net_resp; /* net/net.h */

/* One way a platform's connections may log in, for a platform that has
 * more than one (Meta: Facebook Login, or the Instagram API with
 * Instagram Login). The name is stored with the connection and chosen
 * with connect --login / the API's "login". Each *_key names a key of
 * the platform's own config table (read with config_plat_str); NULL
 * means the platform's client keys (auth_url, token_url, scopes) and,
 * with meta_exchange, Meta's fb_exchange_token form at token_url. */
struct oauth_login {
    const char *name;  /* "facebook" */
    const char *label; /* for the log ("Instagram Login"), or NULL */
    const char *auth_url_key;  /* its consent page */
    const char *token_url_key; /* its code exchange */
    const char *scopes_key;    /* the scopes it asks for */
    /* the code exchange sends grant_type=authorization_code even under
     * meta_exchange (Facebook Login's Graph exchange takes none) */
    bool code_grant_type;
    /* the long-lived token by GET <value of base_key><path>
     * ?grant_type=<grant>&access_token=...: the exchange of the code's
     * token (with client_secret) and its renewal; NULL base_key: none */
    const char *base_key;
    const char *exchange_path, *exchange_grant;
    const char *refresh_path, *refresh_grant;
};

/* How a platform's OAuth2 differs from the plain authorization-code
 * flow (read by src/net/oauth.c and oauth_send.c only). */
struct platform_oauth {
    const char *client_id_param; /* "client_id"; TikTok: "client_key" */
    bool pkce;                   /* code_challenge S256 + code_verifier */
    bool pkce_hex;               /* the challenge as hex (TikTok's
                                  * variant), else base64url (RFC 7636) */
    /* more consent URL parameters: name, value, ..., NULL */
    const char *const *consent_params;
    /* Meta: no refresh token; the code's token is exchanged for a
     * long-lived one (fb_exchange_token) and "refreshing" exchanges the
     * long-lived token again; the connection has a login flavour
     * (Facebook Login or Instagram Login, oauth.h) */
    bool meta_exchange;
    /* token lives: the long-lived access token itself is renewed while
     * valid (Meta, about 60 days) once min_age_s old */
    bool renews_access;
    int64_t min_age_s;
    int64_t refresh_life_s;         /* when the answer does not say; 0 */
    int64_t testing_refresh_life_s; /* while testing_key is 1 */
    /* whether an API error answer refuses the token beyond a plain 401
     * (Graph error 190, TikTok access_token_invalid); NULL: 401 only */
    bool (*token_rejected)(const struct net_resp *resp);
    /* its login flavours, ended by a NULL name, or NULL: one plain
     * flavour; and the config key (config_plat_str) naming a new
     * connection's flavour when none is asked for (unset: the first) */
    const struct oauth_login *logins;
    const char *login_key;
    /* a config key (config_plat_int): when 1, refresh tokens end after
     * testing_refresh_life_s (Google apps in testing status); NULL:
     * never */
    const char *testing_key;
};

/* p's OAuth data, or NULL for the plain authorization-code flow. */
typedef const struct platform_oauth *(*oauth_quirks_fn)(enum platform p);

#endif
