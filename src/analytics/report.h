/* The overview the dashboard and `mediadash report` show, composed from
 * the store's rollup reads and the analytics functions. */
#ifndef MEDIADASH_REPORT_H
#define MEDIADASH_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analytics/analytics.h"
#include "core/buf.h"
#include "core/model.h"
#include "store/store.h"

struct report_opts {
    int32_t from_day, to_day; /* rollup days [from, to) */
    int platform;             /* enum platform, or -1 for all */
    size_t top_n;
};

/* What a range gained: the report's range, or the equal range just
 * before it. Owned accounts and their content only (store.h). */
struct report_gains {
    int64_t views_gain;        /* content views gained in the range */
    int64_t interactions_gain; /* likes+comments+shares+saves gained */
    int64_t followers_gain;    /* the accounts' follower growth */
    bool has_followers_gain;   /* some account has followers by then */
    double engagement;         /* interactions_gain / views_gain */
    bool has_engagement;       /* false without views gained (<= 0) */
};

struct report_platform {
    bool present;             /* has at least one account or item */
    int64_t accounts, content;
    int64_t followers;        /* sum of the accounts' latest followers */
    bool has_followers;
    struct report_gains range;    /* [from_day, to_day) */
    struct report_gains previous; /* [prev_from_day, from_day) */
    /* Lifetime: latest values, whatever the range. */
    int64_t channel_views;     /* the accounts' own view counts (a
                                * channel's lifetime views) */
    bool has_channel_views;
    int64_t content_views;     /* the stored content's latest views */
    int64_t content_interactions; /* and likes+comments+shares+saves */
    double lifetime_engagement;   /* content_interactions / content_views */
    bool has_lifetime_engagement;
    int64_t *daily_views;     /* views gained per day, to_day-from_day */
    /* Followers at the end of each day of the range: the sum of the
     * accounts' last known values (a day without a snapshot keeps the
     * one before); known[d] false before any account has one. */
    int64_t *daily_followers;
    bool *daily_followers_known;
};

struct report_top {
    struct item *item; /* owned: with its latest values */
    int64_t gain;
};

/* One entry per item (analytics_spike_run): its peak day in the range,
 * the views gained that day, the baseline it was judged against, how
 * many days around it stayed above that baseline and the views above
 * it over those days. */
struct report_spike {
    struct item *item; /* owned */
    int32_t day;       /* the peak day */
    int64_t gain;      /* views gained on it */
    double baseline, score;
    int32_t days_above;
    double excess;
};

struct report {
    int32_t from_day, to_day;
    int32_t prev_from_day; /* the previous range: [prev_from_day, from_day),
                            * as many days as the report's */
    const char *zone; /* the rollup zone's name; borrowed from the store */
    struct report_platform platform[PLATFORM_COUNT];
    struct report_platform total; /* across platforms */
    struct report_top *top;
    size_t ntop;
    struct heatmap heat; /* mean views in the first 7 days, by publish hour */
    int best_hour;       /* heatmap bucket with at least REPORT_MIN_SAMPLE
                            items, or -1 */
    struct report_spike *spikes;
    size_t nspikes;
};

/* Build the report. On failure *out is left empty and err says why. */
enum err report_build(struct store *st, const struct report_opts *o,
                      struct report *out, struct buf *err) WARN_UNUSED;
void report_free(struct report *r); /* NULL is a no-op */

/* Add content item it (with its published_at) to heatmap h, scored by
 * the views it gained in its first 7 days (from the rollups), when it
 * has a publication time and rollup rows for those days; the report's
 * heatmap is the sum of this over its content. */
void report_heatmap_add(struct store *st, const struct item *it,
                        struct heatmap *h);

/* The same score from a row of store_content_sums (its first week is
 * the store's, kept at ingest): one statement for all content instead
 * of a read per item. */
#define REPORT_FIRST_DAYS STORE_FIRST_DAYS
/* Items a heatmap slot needs before its mean is trusted: a slot with
 * fewer is "too few" and is never the best hour. */
#define REPORT_MIN_SAMPLE 3
void report_heatmap_add_sum(struct store *st,
                            const struct store_content_sum *c,
                            struct heatmap *h);

/* The relative change from prev to cur, (cur - prev) / |prev| (0.12
 * for +12%); false when prev is 0 (no base to compare with). */
bool report_change(int64_t cur, int64_t prev, double *out);

/* "vs typical": an item's views at its age (rollup days since its
 * publication day, k = the day of its latest views row) against the
 * median views of the creator's other owned items of its platform at the
 * same age (store_values_at_age). */
struct report_typical {
    int32_t age_days;
    int64_t views;      /* the item's last views on day publication + age */
    size_t n;           /* other items that old */
    double median;      /* their median views at that age (n > 0) */
    double ratio;       /* views / median */
    bool has_ratio;     /* n > 0 and median > 0 */
};
/* true with *out filled; false (*out untouched) when the item is not
 * content, has no publication time or no views row from its publication
 * day on, or the store failed: then *rc says so (ERR_OK otherwise). */
bool report_vs_typical(struct store *st, const struct item *it,
                       struct report_typical *out, enum err *rc);

/* Parse a range such as "7d", "28d", "365d" (1 to 3660 days). */
enum err report_parse_range(const char *s, int32_t *days) WARN_UNUSED;

struct jw;
/* The report as one JSON object (days as YYYY-MM-DD). */
void report_json(struct jw *w, const struct report *r);

/* Weekday names, Sunday first, for heatmap buckets (bucket / 24). */
extern const char *const report_wday_names[7];

#endif
