/* A platform's demo data (docs/platforms.md, "Demo data"): what the demo
 * generator (src/demo) needs to make up a platform's account, content and
 * text. The descriptor points at one (struct platform_desc.demo); the
 * generator walks the registry for descriptors that have one and never
 * names a platform. Plain data and small pure makers of ids and text; the
 * engine owns the plan, the hourly stepping and the events.
 *
 * Also the creator's shared word lists (games, categories...) and the
 * random source, so that a table's text makers draw from the engine's
 * stream (src/demo may include src/platforms, not the other way). */
#ifndef MEDIADASH_DEMO_TABLE_H
#define MEDIADASH_DEMO_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* splitmix64: small, fast, and the same sequence everywhere. */
struct demo_rng {
    uint64_t s;
};
uint64_t demo_rng_next(struct demo_rng *r);
double demo_rng_unit(struct demo_rng *r);                /* [0, 1) */
uint64_t demo_rng_below(struct demo_rng *r, uint64_t n); /* [0, n), n > 0 */
/* A stateless hash of (a, b, c) to [0, 1), for per-hour noise that does
 * not depend on the order of calls. */
double demo_hash_unit(uint64_t a, uint64_t b, uint64_t c);
/* n characters drawn from set (setlen of them), appended to out. */
void demo_chars(struct demo_rng *r, const char *set, size_t setlen, size_t n,
                struct buf *out);
extern const char demo_b64url[]; /* the 64 characters of base64url */

/* The creator's word lists (a speedrunning streamer), shared by every
 * platform's text. demo_games[g] and demo_tags[g] go together. */
#define DEMO_GAMES 16
extern const char *const demo_games[DEMO_GAMES];
extern const char *const demo_tags[DEMO_GAMES];
enum demo_words {
    DEMO_CATEGORIES, /* "any%", "100%", ... */
    DEMO_VERDICTS,   /* a review's verdict */
    DEMO_SKILLS,     /* what a tutorial teaches */
    DEMO_MOODS,      /* a clip's or reel's caption */
};
/* One word of list w, drawn from r. */
const char *demo_word(struct demo_rng *r, enum demo_words w);

/* The hour of the week that does best on every platform (Thursday 17:00
 * UTC): the slot tables use it, the engine reports it. */
#define DEMO_BEST_WDAY 4
#define DEMO_BEST_HOUR 17

/* The metric values of one item at one time (the engine's output). */
#define DEMO_VALUES_MAX 8
struct demo_values {
    int64_t observed_at;
    size_t n;
    const char *name[DEMO_VALUES_MAX]; /* static strings */
    int64_t v[DEMO_VALUES_MAX];
};
/* Append name = floor(x) to v (at most DEMO_VALUES_MAX). */
void demo_put(struct demo_values *v, const char *name, double x);

/* One content shape: its kind, how often it is picked and how it grows. */
struct demo_shape {
    const char *kind;                  /* the item's kind ("video") */
    double pick;                       /* picked when u < pick (the last: 1) */
    double scale;                      /* median lifetime views */
    double tau;                        /* hours: the early burst */
    double w_fast, w_tail;             /* shares of scale: burst, long tail */
    double like, comment, share, save; /* per view; 0: not reported */
    int64_t dur_lo, dur_hi;            /* seconds; 0, 0: no duration */
    /* title and description (appended to the empty bufs) of a post about
     * game g; n is a small number (2..29) the text may use */
    void (*text)(struct demo_rng *r, size_t g, unsigned n, struct buf *title,
                 struct buf *desc);
};

/* A weekly slot the platform posts in, and how well it does. */
struct demo_slot {
    int wday, hour; /* Sunday = 0, UTC */
    double weight, boost;
};

/* Where an account stands when the period begins, and how it moves. */
struct demo_account {
    const char *handle, *kind; /* "@pixelpaceruns", "channel" */
    double followers, organic; /* organic: new followers a day anyway */
    double follow_rate;        /* followers per content view (or per
                                  live viewer-hour) */
    int64_t views, likes, count; /* lifetime counters before the period */
    /* its id, drawn from r, appended to id; its page into url */
    void (*id)(struct demo_rng *r, struct buf *id);
    void (*url)(const char *id, const char *handle, struct buf *url);
};

/* The account's counters at one hour, for its values op. */
struct demo_account_now {
    double followers;
    int64_t views, likes, count; /* lifetime, its content included */
    int64_t day_reach;           /* yesterday's reach; -1: none yet */
};

/* Live streams (a platform whose content is its streams): each stream is
 * a content item whose history is its viewer curve, one point every
 * point_s seconds; each has a recording (vod_kind, linked vod_rel to the
 * stream) and 0..clips_max clips (clip_kind, linked clip_rel to the
 * recording). */
enum demo_live_part { DEMO_LIVE_STREAM, DEMO_LIVE_VOD, DEMO_LIVE_CLIP };
struct demo_live_text {
    enum demo_live_part part;
    size_t game;              /* index into demo_games */
    int64_t at;               /* start of the stream, or the clip's time */
    const char *handle;       /* the account's */
    const char *stream_title; /* the stream's (VOD and clip) */
};
struct demo_live {
    int per_week_lo, per_week_hi; /* streams a week */
    int hour_lo, hour_hi;         /* start hour, UTC */
    int64_t dur_lo, dur_hi;       /* seconds; dur_lo >= 1200 */
    int64_t point_s;              /* seconds between viewer points */
    double peak;                  /* median plateau viewers at the start */
    double growth;                /* ... times this by the end */
    double raid_p;                /* chance of a raid in a stream */
    int clips_max;
    const char *stream_kind, *vod_kind, *clip_kind;
    const char *vod_rel, *clip_rel; /* item_link rels */
    /* id, title, description and url of one part, appended to the
     * empty bufs */
    void (*text)(struct demo_rng *r, const struct demo_live_text *in,
                 struct buf *id, struct buf *title, struct buf *desc,
                 struct buf *url);
};

/* The demo of one platform. Platforms with own_stream false share the
 * engine's main random stream in registry order (the first ones, kept as
 * they always were, so their data never shift); a platform added later
 * sets own_stream and draws from a stream of its own, seeded from the
 * demo's seed and stream_salt, so that adding it shifts nothing. */
struct platform_demo {
    bool own_stream;
    uint64_t stream_salt;
    struct demo_account account;
    /* its account's metric values at an hour (t: the hour's time) */
    void (*account_values)(const struct demo_account_now *a, int64_t t,
                           struct demo_values *v);
    /* keeps a daily reach figure (account_values shows it at midnight) */
    bool day_reach;
    /* posted content: share of the --items (0: none), its shapes (ended
     * by a NULL kind), weekly slots (ended by weight 0), and the minute
     * past the slot's hour it posts at (0: on the hour; else drawn below
     * this) */
    unsigned items_share;
    const struct demo_shape *shapes;
    const struct demo_slot *slots;
    unsigned slot_minutes;
    /* a content item's id and page, appended to the empty bufs */
    void (*content_id)(struct demo_rng *r, const struct demo_shape *s,
                       int64_t published, const char *handle, struct buf *id,
                       struct buf *url);
    /* the engine prefers this platform's content for the viral item and
     * for the deleted one */
    bool prefer_viral, prefer_deleted;
    const struct demo_live *live; /* NULL: no streams */
};

#endif
