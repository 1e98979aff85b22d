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
    int64_t testing_refresh_life_s; /* with oauth.google_testing = 1 */
    /* whether an API error answer refuses the token beyond a plain 401
     * (Graph error 190, TikTok access_token_invalid); NULL: 401 only */
    bool (*token_rejected)(const struct net_resp *resp);
};

/* p's OAuth data, or NULL for the plain authorization-code flow. */
typedef const struct platform_oauth *(*oauth_quirks_fn)(enum platform p);

#endif
