/* The core model: platforms, items (accounts and content), snapshots and
 * their metrics, and a batch of them on its way into the store.
 *
 * A snapshot is what one fetch saw of one item at observed_at (UTC
 * seconds). A snapshot knows its item (snap->item) and an item lists its
 * snapshots (item->snaps), oldest first once sorted. */
#ifndef MEDIADASH_MODEL_H
#define MEDIADASH_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* One value per line of the platform list (platforms/list.h, the one
 * place that names them): PLATFORM_<ID>, then PLATFORM_COUNT. */
enum platform {
#define PLATFORM_ITEM(id, name, short_name, prefix) PLATFORM_##id,
#include "platforms/list.h"
#undef PLATFORM_ITEM
    PLATFORM_COUNT
};

/* The list's lower-case name ("youtube"); "unknown" outside the enum. */
const char *platform_name(enum platform p);
/* Accepts a listed name or its short form ("yt"). ERR_INVALID else. */
enum err platform_from_name(const char *s, enum platform *out) WARN_UNUSED;
/* Metric prefix for platform-specific metrics ("yt."); "x." outside. */
const char *platform_metric_prefix(enum platform p);
/* The list's ID as the environment spells it ("YOUTUBE": the variables
 * MEDIADASH_YOUTUBE_*); "UNKNOWN" outside the enum. */
const char *platform_env_name(enum platform p);

enum item_type { ITEM_ACCOUNT, ITEM_CONTENT };
const char *item_type_name(enum item_type t); /* "account", "content" */

/* Canonical metric names shared across platforms (DESIGN.md). Anything
 * else is named "<prefix><platform's own name>", e.g. "yt.videoCount". */
#define M_VIEWS "views"
#define M_LIKES "likes"
#define M_COMMENTS "comments"
#define M_SHARES "shares"
#define M_SAVES "saves"
#define M_FOLLOWERS "followers"
#define M_REACH "reach"
#define M_IMPRESSIONS "impressions"
#define M_WATCH_TIME_S "watch_time_s"
#define M_VIEWERS "viewers" /* concurrent live viewers at observed_at */

#define METRIC_NAME_MAX 64
#define ITEM_ID_MAX 128      /* platform ids are far shorter */
#define ITEM_TEXT_MAX 65536  /* titles, descriptions */
#define ITEM_URL_MAX 4096
#define ITEM_TAGS_MAX 4096  /* tags, space-separated (search index) */

struct metric {
    char *name;   /* owned */
    bool is_real; /* ratio metrics; counters are integers */
    int64_t i;
    double r;
};

struct metrics {
    struct metric *v; /* owned array */
    size_t n, cap;
};

/* True when name is 1..METRIC_NAME_MAX chars of [a-z0-9_.] in any case
 * (platform names such as estimatedMinutesWatched keep their case). */
bool metric_name_valid(const char *name);

void metrics_init(struct metrics *m);
void metrics_free(struct metrics *m); /* NULL is a no-op */
/* Set name to an integer/real value, replacing an earlier value of the
 * same name. ERR_INVALID for a bad name (see metric_name_valid). */
enum err metrics_set_i64(struct metrics *m, const char *name, int64_t v)
    WARN_UNUSED;
enum err metrics_set_real(struct metrics *m, const char *name, double v)
    WARN_UNUSED;
/* Borrowed pointer to the metric called name, or NULL. */
const struct metric *metrics_get(const struct metrics *m, const char *name);

struct item;

struct snapshot {
    int64_t id;         /* store row id; 0 until stored */
    struct item *item;  /* borrowed back-link to the owning item */
    int64_t observed_at;
    struct metrics metrics;
};

struct item {
    int64_t id; /* store row id; 0 until stored */
    enum platform platform;
    enum item_type type;
    char *ext_id;         /* the platform's id; owned, never NULL */
    char *account_ext_id; /* content: the owning account's ext id or NULL */
    char *kind;         /* channel, user, video, short, image, reel, carousel */
    char *handle;       /* account: @name or username; may be NULL */
    char *title;        /* may be NULL; likewise below */
    char *description;
    char *tags;         /* the platform's tags, space-separated (YouTube
                           snippet.tags); for search (migration 0028) */
    char *url;
    char *thumbnail_url;
    int64_t published_at; /* TIME_NONE if unknown */
    int64_t duration_s;   /* -1 if unknown */
    int64_t removed_last_seen; /* content the platform no longer returns
                                  (store_item_set_removed): the time of
                                  its last snapshot; else TIME_NONE */
    /* Role 'tracked' (someone else's; migration 0011), false: 'own'. Read
     * from the store; a parser sets it when the document itself says so
     * (an Instagram business_discovery answer), and ingest then stores
     * the item and everything under it as tracked. */
    bool tracked;
    struct snapshot **snaps; /* owned; each snaps[i]->item == this */
    size_t nsnaps, snaps_cap;
};

/* A new item with no snapshots; caller destroys. */
struct item *item_create(enum platform p, enum item_type t,
                         const char *ext_id);
void item_destroy(struct item *it); /* frees its snapshots; NULL no-op */
/* Replace *field with a copy of v when v is not NULL (fields are filled,
 * never blanked, so a later partial response keeps what we know). */
void item_set(char **field, const char *v);
/* The snapshot of it at observed_at, created empty if absent. Borrowed. */
struct snapshot *item_snapshot_at(struct item *it, int64_t observed_at);
/* Sort it->snaps by observed_at ascending. */
void item_sort_snapshots(struct item *it);

/* from_ext is rel of to_ext, e.g. ("123", "vod_of", "456"): VOD 123 was
 * recorded from stream 456; offset_s: where in to_ext it starts, or -1. */
#define ITEM_LINK_REL_MAX 16
struct item_link {
    enum platform platform;
    char *from_ext, *to_ext; /* owned */
    char rel[ITEM_LINK_REL_MAX];
    int64_t offset_s;
};

/* Items gathered from one input, keyed by (platform, type, ext_id). */
struct batch {
    struct item **items; /* owned, in order of first appearance */
    size_t n, cap;
    size_t *index;       /* open-addressing hash of positions + 1 */
    size_t index_cap;
    /* Fields the parse did not keep (source_parse: a link or thumbnail
     * that is not http(s)): how many, and one line per field naming the
     * item and the field, '\n'-separated (the first 20); owned, NULL
     * when none. */
    size_t dropped;
    char *warnings;
    /* Relations between content items that the platform states (a Twitch
     * VOD's stream, a clip's VOD): by ext ids, so that a link may name an
     * item the batch does not hold; owned. */
    struct item_link *links;
    size_t nlinks, links_cap;
};

void batch_init(struct batch *b);
void batch_free(struct batch *b); /* destroys all items; NULL no-op */
/* The item with that key, or NULL. Borrowed. */
struct item *batch_find(const struct batch *b, enum platform p,
                        enum item_type t, const char *ext_id);
/* The item with that key, created if absent. Borrowed. */
struct item *batch_item(struct batch *b, enum platform p, enum item_type t,
                        const char *ext_id);
/* Record a link (struct item_link); a repeated one replaces its offset.
 * ERR_INVALID for an empty id or a rel too long, ERR_NOMEM. */
enum err batch_link(struct batch *b, enum platform p, const char *from_ext,
                    const char *rel, const char *to_ext, int64_t offset_s)
    WARN_UNUSED;

/* Number of snapshots over all items. */
size_t batch_snapshot_count(const struct batch *b);

#endif
