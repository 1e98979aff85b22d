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

#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"
#include "core/model.h"
#include "net/oauth_quirks.h" /* struct platform_oauth: net owns it */

/* How long a metric a platform refused (a descriptor's dropped_metrics) is
 * not asked for again: the collector's memory, which the sources API shows
 * with the same bound. */
#define PLATFORM_DROPPED_MEMORY_S (7 * 86400)

struct fetch;          /* platforms/fetch.h: one collector round */
struct net_resp;       /* net/net.h */
struct publisher_ops;  /* schedule/worker.h */
struct media_mix;      /* schedule/media_mix.h */
struct post_limits;    /* schedule/post_limits.h */
struct media_limits;   /* schedule/media_limits.h */
struct source_format;  /* sources/source.h */
struct platform_demo;  /* platforms/demo_table.h */
struct health_batch;   /* core/health.h */

/* A health source's parser (a PLATFORM_OTHER platform such as a ring):
 * the import paths (cmd_import.c, api_import.c) ask every descriptor's
 * claims of a file before the social formats, and health_ingest parses
 * it with the claimant's parse. No SQL, no network. */
struct platform_health {
    /* whether the len bytes at data are this source's page or error body */
    bool (*claims)(const char *data, size_t len);
    /* validate and parse one page of kind (enum health_kind; -1: detect)
     * into out, err naming where, the item and the field; on failure out
     * is left empty (ERR_PARSE, ERR_TOOBIG, ERR_UPSTREAM for the source's
     * error body, ERR_UNSUPPORTED for another kind) */
    enum err (*parse)(const char *data, size_t len, int kind,
                      const char *where, struct health_batch *out,
                      struct buf *err);
};

/* What a platform is to the rest of the program. A social platform has
 * accounts, content and snapshots: it is in the views, totals, platform
 * filters and the compose list. Any other kind (a health source such as
 * a ring) is registered for OAuth and collection only and never shows
 * in those. PLATFORM_SOCIAL is 0, so a descriptor that says nothing is
 * social. */
enum platform_kind {
    PLATFORM_SOCIAL = 0,
    PLATFORM_OTHER,
};

struct platform_desc {
    enum platform id;
    enum platform_kind kind; /* PLATFORM_SOCIAL unless said */
    const char *name;    /* "youtube": config section, CLI, API, store */
    const char *display; /* "YouTube" */
    /* its series colour on charts and dots, light and dark theme
     * ("#rrggbb"; GET /api/v1/platforms hands them to the web) */
    const char *colour, *colour_dark;
    const char *env;     /* MEDIADASH_<env>_CLIENT_ID */
    /* the response shapes its parsers take (src/sources/<name>.c; the
     * table source.c recognises files by), ended by a NULL name */
    const struct source_format *formats;
    /* where the platform's OAuth clients are made (the Sources page) */
    const char *console_url, *console_name;
    /* the question the web asks for the account id when connecting
     * needs one (Instagram: the IG user id), or NULL: none is asked */
    const char *connect_account;
    const struct platform_oauth *oauth;
    /* the keys of its config section ([name]): <name>_config_keys in
     * src/platforms/<name>/config.c, ended by a NULL key; config.c takes
     * the same table through the platform list (core/config.h) */
    const struct config_key *config_keys;
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
    /* the metrics its content's insights may refuse per media kind
     * (Instagram: Graph error 100), which the collector remembers in the
     * store (dropped_metric) and does not ask for again for
     * PLATFORM_DROPPED_MEMORY_S: a NULL-ended list of at most
     * FETCH_DROP_METRICS names, bit i of struct fetch_dropped being
     * name i; NULL: nothing is remembered */
    const char *const *dropped_metrics;
    /* reports an API usage percentage per round (Graph usage headers) */
    bool api_usage;
    const struct publisher_ops *publish; /* <name>_publish_ops */
    const struct media_mix *mix;         /* media per post, or NULL */
    /* what it documents for a post's text and files (read by
     * src/schedule: post_limits_for, media_limits_of), or NULL */
    const struct post_limits *post_limits;   /* <name>_post_limits */
    const struct media_limits *media_limits; /* <name>_media_limits */
    /* its made-up data for `mediadash demo` (src/demo walks the
     * registry for these; docs/platforms.md), or NULL: none */
    const struct platform_demo *demo; /* <name>_demo */
    /* how Compose draws a post's preview (GET /api/v1/platforms, web/
     * compose_preview.js): PREVIEW_VIDEO_PAGE, PREVIEW_SQUARE_POST or
     * PREVIEW_VERTICAL_VIDEO; NULL: none (no card: a platform without a
     * publisher) */
    const char *preview;
    /* its content carries no interaction metric (likes, comments,
     * shares, saves): engagement is no figure for it, and the web shows
     * none rather than 0 % (served as "interactions": false) */
    bool no_interactions;
    /* a health source's parser, or NULL: not a health source. Its rows
     * in the health tables' connection (credential, OAuth state, jobs)
     * are stored under .name (store_health.h). */
    const struct platform_health *health;
};

/* The preview kinds (platform_desc.preview; docs/platforms.md). */
#define PREVIEW_VIDEO_PAGE "video_page"         /* thumbnail, title, text */
#define PREVIEW_SQUARE_POST "square_post"       /* square media, folded caption */
#define PREVIEW_VERTICAL_VIDEO "vertical_video" /* tall frame, caption over it */

/* The descriptor of p; NULL only for a value outside enum platform. */
const struct platform_desc *platform_get(enum platform p);
/* The descriptor named name ("youtube", or the short "yt"), or NULL. */
const struct platform_desc *platform_find(const char *name);
/* Whether p is a registered social platform (enum platform_kind). */
bool platform_is_social(enum platform p);
/* The registered names in registry order, social ones only when
 * social_only, as "a, b or c" (or "a|b|c" with sep "|" and last "|")
 * appended to out: for help and error texts. */
enum err platform_names_join(struct buf *out, bool social_only,
                             const char *sep, const char *last) WARN_UNUSED;
/* The first registered health source (a descriptor with .health), or
 * NULL when this build has none: whose connection `health status` and
 * `health remove` count and delete. */
const struct platform_desc *platform_health_source(void);
/* The health source whose claims takes the len bytes at data, or NULL:
 * then the file is for the social import. */
const struct platform_desc *platform_health_claimant(const char *data,
                                                     size_t len);
/* p's OAuth data, or NULL: the lookup oauth_create() takes, so that
 * src/net never reads the registry itself (net -> platforms is banned). */
const struct platform_oauth *platform_oauth_of(enum platform p);

#endif
