/* One descriptor per platform (STYLE.md layout, docs/platforms.md): what
 * the core needs to know about a platform, as data and ops, registered
 * once in registry.c. The core (collect, ingest, net/oauth, the worker,
 * http, cli) looks a platform up here and never switches on its name.
 *
 * This header is a leaf: core types and forward declarations only, so
 * any layer may read a descriptor. Each op is called only by the layer
 * that owns its facet (fetch: src/collect; publish: the worker; the
 * OAuth data: src/net/oauth.c), and each platform's code lives in
 * src/platforms/<name>/. */
#ifndef MEDIADASH_PLATFORM_H
#define MEDIADASH_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/err.h"
#include "core/model.h"

struct fetch;          /* platforms/fetch.h: one collector round */
struct net_resp;       /* net/net.h */
struct publisher_ops;  /* schedule/worker.h */
struct media_mix;      /* schedule/media_mix.h */
struct source_format;  /* sources/source.h */

/* How a platform's OAuth2 differs from the plain authorization-code
 * flow (read by src/net/oauth.c only). */
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

struct platform_desc {
    enum platform id;
    const char *name;    /* "youtube": config section, CLI, API, store */
    const char *display; /* "YouTube" */
    const char *env;     /* MEDIADASH_<env>_CLIENT_ID */
    /* the response shapes its parsers take (src/sources/<name>.c; the
     * table source.c recognises files by), ended by a NULL name */
    const struct source_format *formats;
    /* where the platform's OAuth clients are made (the Sources page) */
    const char *console_url, *console_name;
    const struct platform_oauth *oauth;
    /* one collector round for one account (platforms/fetch.h) */
    enum err (*fetch)(struct fetch *f);
    /* collector limits: requests per minute and endpoint (0: none) */
    int per_minute;
    /* a daily unit quota (YouTube Data API) counted per Pacific day:
     * the configured limit, or NULL when the platform has none */
    int64_t (*daily_quota)(const struct config *cfg);
    /* how often the account job runs, in seconds; 0: hourly
     * (COLLECT_ACCOUNT_EVERY_S). Twitch samples a live stream's viewers
     * on it. */
    int64_t account_every_s;
    /* a header that carries the OAuth client id on every API call
     * (Twitch Helix: "Client-Id"), or NULL: none */
    const char *client_id_header;
    /* remembers insight metrics a media kind refused (Instagram) */
    bool metric_memory;
    /* reports an API usage percentage per round (Graph usage headers) */
    bool api_usage;
    const struct publisher_ops *publish; /* <name>_publish_ops */
    const struct media_mix *mix;         /* media per post, or NULL */
};

/* The descriptor of p; NULL only for a value outside enum platform. */
const struct platform_desc *platform_get(enum platform p);
/* The descriptor named name ("youtube", or the short "yt"), or NULL. */
const struct platform_desc *platform_find(const char *name);

#endif
