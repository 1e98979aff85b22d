/* Live collection: the platform clients (src/platforms/<name>/fetch.c,
 * each its descriptor's fetch op, platform.h). Each builds its platform's requests
 * from the configuration (api_base), authenticates with the stored OAuth
 * credential (one refresh and one retry after a 401), pages through the
 * results and hands every response body to the same validated parsers
 * `mediadash import` uses (source_parse with only_format set), gathering
 * one batch per account round. Storing the batch is the caller's job
 * (src/collect), so a round is stored whole or not at all. */
#ifndef MEDIADASH_FETCH_H
#define MEDIADASH_FETCH_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"
#include "core/health.h"
#include "core/model.h"
#include "net/net.h"
#include "net/oauth.h"
#include "net/oauth_send.h"
#include "store/store.h"

#define FETCH_MAX_PAGES 1000   /* per listing: a loop guard */
#define FETCH_DROP_KINDS 8     /* media kinds a dropped metric memory keeps */
#define FETCH_DROP_METRICS 16  /* metrics one descriptor may list for it */
#define FETCH_USAGE_HIGH 80    /* Graph usage percentage that backs off */
#define FETCH_REGAIN_MAX_MIN (7 * 24 * 60) /* longer waits are not believed */

/* YouTube Data API quota costs (units per call). Analytics reports are
 * counted by their own API, not here. */
#define FETCH_YT_COST_LIST 1

/* The metrics a media kind refused, for a platform whose descriptor lists
 * them (platform.h: dropped_metrics; Instagram's insights refused with
 * Graph error 100), kept by the caller across rounds (src/collect keeps
 * it in the store) so that a refused metric is not asked for again. */
struct fetch_dropped {
    char kind[FETCH_DROP_KINDS][32]; /* the platform's media kind */
    /* bit i: the descriptor's dropped_metrics[i] */
    unsigned dropped[FETCH_DROP_KINDS];
    size_t n;
};
/* The dropped bits of media kind `kind` in m (its slot made when new), or
 * local (zeroed) when m is NULL, full or the kind too long: such a kind's
 * refusals last this round only. */
unsigned *fetch_dropped_slot(struct fetch_dropped *m, const char *kind,
                             unsigned *local);
/* The index of metric in the NULL-ended list metrics, or -1. */
int fetch_dropped_index(const char *const *metrics, const char *metric);

/* Content items whose metrics a round asks for: ids and (Instagram) media
 * kinds, owned copies. */
struct fetch_items {
    struct fetch_item {
        char *id;
        char *kind; /* "" when not Instagram */
    } *v;
    size_t n, cap;
};
void fetch_items_add(struct fetch_items *l, const char *id, const char *kind);
void fetch_items_free(struct fetch_items *l); /* NULL is a no-op */

/* A health source's round (a PLATFORM_OTHER platform such as Oura): its
 * pages, each validated into a struct health_batch, owned. The collector
 * stores them in the health tables (store_health_put), never as items or
 * snapshots, and only when the whole round succeeded. */
struct fetch_health {
    struct health_batch *v;
    size_t n, cap;
};
void fetch_health_free(struct fetch_health *h); /* empties it */

struct fetch {
    /* in: all borrowed */
    const struct config *cfg;
    struct oauth *o;
    /* for the credential; a health source also reads what it holds
     * already (the newest stored day) */
    struct store *st;
    struct net_client *nc;
    struct net_ratelimit *rl;   /* TikTok: 600/min per endpoint, or NULL */
    /* the refused metrics (a descriptor with dropped_metrics), or NULL */
    struct fetch_dropped *dropped;
    enum platform platform;
    const char *account;        /* the credential's account */
    /* the credential's login flavour (store_cred.login), or NULL; a
     * platform with several (Meta's) picks its API base from it */
    const char *login;
    int64_t observed_at;        /* the round's fetch time */
    bool want_account;
    /* want_content: list the uploads/media to discover new items; the
     * metrics of the listed items not tracked yet (tracked, or all when
     * tracked is NULL) are asked for, plus those of every due item. */
    bool want_content;
    const struct fetch_items *due; /* items whose metrics are due, or NULL */
    bool (*tracked)(void *ud, const char *id);
    void *tracked_ud;
    int64_t quota_left;         /* YouTube units this round may use */
    /* out */
    struct batch batch;         /* what the round fetched */
    struct fetch_health health; /* a health source's pages */
    struct fetch_items asked;   /* items whose metrics were asked for */
    unsigned calls;             /* HTTP requests sent (retries count) */
    int64_t quota_used;         /* YouTube Data units */
    enum job_status status;     /* set when a fetch fails */
    int64_t retry_at;           /* rate limited: epoch s to come back, or 0 */
    bool usage_high;            /* Graph usage >= 80 %: insights skipped */
    int usage_pct;              /* highest Graph usage seen, -1: none */
    struct buf note;            /* non-fatal remarks (dropped metrics) */
    struct buf err;             /* the failure, never a token */
    struct oauth_session auth;  /* private: the token, oauth_send's state */
};

/* Zero f and set its buffers up; the caller then fills the inputs. */
void fetch_init(struct fetch *f);
void fetch_free(struct fetch *f); /* wipes the token; NULL is a no-op */

/* Run the round of f->platform (its descriptor's fetch op): ERR_OK with f->batch filled, else an
 * error with f->status and f->err saying why (f->batch then holds
 * nothing that should be stored). */
enum err fetch_run(struct fetch *f) WARN_UNUSED;

/* ---- shared by the platform clients ------------------------------------ */

/* Ask for the metrics of listed item id (kind: Instagram media kind or
 * "") when it is not tracked yet: added to f->asked; true if so. */
bool fetch_ask_new(struct fetch *f, const char *id, const char *kind);

/* Listings are newest first: once a page (that asked_before was f->asked.n
 * before) brought no new item, the older pages hold none either, and the
 * listing stops there (saving YouTube quota on large channels). Never
 * before anything is tracked (f->tracked NULL: every page is read). */
bool fetch_listing_done(const struct fetch *f, size_t asked_before);

/* One authenticated API call. cost is charged to the YouTube quota (0
 * elsewhere); a call that would go over f->quota_left is not made.
 * ERR_OK: resp holds a 2xx answer. Otherwise f->status and f->err are
 * set and resp holds what came back (the platform's error body). */
enum err fetch_call(struct fetch *f, enum net_method m, const char *url,
                    const char *body, int64_t cost, struct net_resp *resp)
    WARN_UNUSED;
/* Parse body with source format `format` into f->batch with the account
 * hint hint (may be NULL). On failure f->status = failed, f->err says
 * where, and the batch is emptied. */
enum err fetch_parse(struct fetch *f, const char *format, const char *hint,
                     const struct buf *body) WARN_UNUSED;
/* Load body as JSON for paging (after fetch_parse accepted it). Caller
 * json_decref()s; NULL (f->err set) when it is not a JSON object. */
json_t *fetch_json(struct fetch *f, const struct buf *body);
/* "<api_base><path>" into url (replaced). */
enum err fetch_url(struct fetch *f, const char *base, const char *path,
                   struct buf *url) WARN_UNUSED;
/* The highest percentage in Graph usage headers (X-App-Usage,
 * X-Business-Use-Case-Usage: call_count, total_cputime, total_time), or
 * -1 when none can be read. Exposed for tests. */
int fetch_graph_usage(const char *app_usage, const char *buc_usage);
/* Seconds until a throttled Graph app or business may call again: the
 * longest estimated_time_to_regain_access (minutes, at most
 * FETCH_REGAIN_MAX_MIN) of the two usage headers times 60; 0 when they
 * say 0, -1 when neither says. Exposed for tests. */
int64_t fetch_graph_regain_s(const char *app_usage, const char *buc_usage);
/* Whether Graph error code c is a throttle: 4, 17, 32, 613 and the
 * business-use-case codes 80000-80099 (80002: Instagram). */
bool fetch_graph_throttled(long c);

#endif
