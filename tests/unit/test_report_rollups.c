/* The report's rollup state (migration 0018) against the item_day rows
 * it is derived from: after every step below, each owned content item's
 * first_gain/has_first from store_content_sums (item_first) must equal
 * store_item_gain_sum of its views over [day of publication, + 7), and
 * the views gains store_content_day_gains walks (views_day) must be
 * exactly the known gains of store_item_days, day by day and item by
 * item. The steps: hourly snapshots in batches, in order and
 * out of order (older values delivered late, also before publication
 * and across the end of the week), duplicates, items with no or a moved
 * publication time, a rollup zone change, an import removed, a reopen,
 * and the first fill after the migration. */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "store/store.h"

#define fx tu_store_fx
#define setup tu_store_setup
#define teardown tu_store_teardown

#define NITEMS 14
#define DAY0 1727740800 /* 2024-10-01T00:00:00Z */
#define HOURS (24 * 20)

struct sums {
    struct store_content_sum row[64];
    size_t n;
};

static enum err on_sum(void *ud, const struct store_content_sum *c)
{
    struct sums *s = ud;
    assert_true(s->n < 64);
    s->row[s->n++] = *c;
    return ERR_OK;
}

/* The walk over views_day: every (item, day, gain) it hands out. */
struct walked {
    int64_t ids[64];
    size_t nids;
    struct row {
        int64_t item;
        int32_t day;
        int64_t gain;
    } row[NITEMS * 64];
    size_t n;
};

static enum err on_ids(void *ud, const int64_t *ids, size_t n)
{
    struct walked *w = ud;
    assert_true(n <= 64);
    memcpy(w->ids, ids, n * sizeof *ids);
    w->nids = n;
    return ERR_OK;
}

static enum err on_gain(void *ud, size_t k, int32_t day, int64_t gain)
{
    struct walked *w = ud;
    assert_true(k < w->nids && w->n < NITEMS * 64);
    if (w->n > 0) /* day order, then item order */
        assert_true(day > w->row[w->n - 1].day ||
                    (day == w->row[w->n - 1].day &&
                     w->ids[k] > w->row[w->n - 1].item));
    w->row[w->n++] = (struct row){w->ids[k], day, gain};
    return ERR_OK;
}

/* The views gains of every day the data spans, walked (views_day)
 * against each item's item_day rows; returns the rows compared. */
static size_t check_days(struct fx *f, const char *when)
{
    static struct walked w;
    int32_t from = store_day_of(f->st, DAY0) - 3;
    int32_t to = store_day_of(f->st, DAY0 + HOURS * 3600) + 3;
    size_t at = 0;

    w.n = w.nids = 0;
    assert_int_equal(store_content_day_gains(f->st, M_VIEWS, -1, from + 1,
                                             to, on_ids, on_gain, &w),
                     ERR_OK);
    /* Per day, per item: the rows item_day has, in the walk's order. */
    for (int32_t d = from + 1; d < to; d++)
        for (size_t k = 0; k < w.nids; k++) {
            struct store_day *v = NULL;
            size_t n = 0;
            assert_int_equal(store_item_days(f->st, w.ids[k], M_VIEWS, d,
                                             d + 1, &v, &n),
                             ERR_OK);
            for (size_t i = 0; i < n; i++) {
                if (v[i].day != d || !v[i].has_gain)
                    continue;
                if (at >= w.n || w.row[at].item != w.ids[k] ||
                    w.row[at].day != d || w.row[at].gain != v[i].gain)
                    fail_msg("%s: day %d item %lld: item_day gain %lld, "
                             "views_day %s",
                             when, d, (long long)w.ids[k],
                             (long long)v[i].gain,
                             at < w.n ? "differs" : "ends");
                at++;
            }
            free(v);
        }
    if (at != w.n)
        fail_msg("%s: views_day has %zu rows more than item_day", when,
                 w.n - at);
    return at;
}

/* Returns how many items have a first week (to show the data has some). */
static size_t check(struct fx *f, const char *when)
{
    struct sums s = {.n = 0};
    size_t with = 0;

    assert_int_equal(store_content_sums(f->st, -1, on_sum, &s), ERR_OK);
    for (size_t i = 0; i < s.n; i++) {
        const struct store_content_sum *c = &s.row[i];
        int64_t sum = 0;
        bool any = false;
        if (c->published_at != TIME_NONE) {
            int32_t d0 = store_day_of(f->st, c->published_at);
            assert_int_equal(store_item_gain_sum(f->st, c->item_id, M_VIEWS,
                                                 d0, d0 + STORE_FIRST_DAYS,
                                                 &sum, &any),
                             ERR_OK);
        }
        if (c->has_first != any || (any && c->first_gain != sum))
            fail_msg("%s: item %lld: first week %s %lld, item_day says %s "
                     "%lld",
                     when, (long long)c->item_id,
                     c->has_first ? "known" : "unknown",
                     (long long)c->first_gain, any ? "known" : "unknown",
                     (long long)sum);
        with += any;
    }
    assert_true(check_days(f, when) > 0);
    return with;
}

static uint64_t rng = 88172645463325252ULL;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

/* Item k: published at hour 6k (hour 0 = DAY0, some late in a day),
 * except every fifth, whose publication is not known. */
static int64_t pub_of(int k)
{
    return k % 5 == 4 ? TIME_NONE : DAY0 + (int64_t)(k * 31 + 5) * 3600;
}

/* Views of item k at hour h: growing, faster in its first days. */
static int64_t views_at(int k, int h)
{
    int64_t start = (k * 31 + 5);
    int64_t age = h - start;
    if (age < 0)
        return 0;
    return age * (40 + k) + (age < 72 ? age * age : 72 * 72);
}

static struct item *item_of(struct batch *b, int k, int64_t pub)
{
    char id[16];
    struct item *it;

    snprintf(id, sizeof id, "v%d", k);
    it = batch_item(b, k % 2 ? PLATFORM_TIKTOK : PLATFORM_YOUTUBE,
                    ITEM_CONTENT, id);
    item_set(&it->account_ext_id, k % 2 ? "tt" : "yt");
    it->published_at = pub;
    return it;
}

/* Snapshots of every item for hours [h0, h1), stride hours apart. */
static void ingest_hours(struct fx *f, int h0, int h1, int stride,
                         const char *name)
{
    struct import_meta m = {name, name, "test", DAY0, false};
    struct ingest_stats st;
    struct batch b;

    batch_init(&b);
    for (int k = 0; k < NITEMS; k++) {
        struct item *it = item_of(&b, k, pub_of(k));
        for (int h = h0; h < h1; h += stride)
            assert_int_equal(
                metrics_set_i64(&item_snapshot_at(it, DAY0 + h * 3600)->metrics,
                                M_VIEWS, views_at(k, h)),
                ERR_OK);
    }
    assert_int_equal(store_ingest(f->st, &b, name ? &m : NULL, &st, &f->err),
                     ERR_OK);
    batch_free(&b);
}

static void test_report_rollups(void **state)
{
    struct fx *f = *state;
    char name[32];
    int64_t import_late = 0;

    /* Every 6 hours first, in batches of one to three days, in order. */
    for (int h = 0, i = 0; h < HOURS; i++) {
        int n = 6 * (1 + (int)rnd(12)); /* days split across batches */
        snprintf(name, sizeof name, "in-order-%d", i);
        ingest_hours(f, h, h + n < HOURS ? h + n : HOURS, 6, name);
        h += n;
        check(f, name);
    }
    /* The hours between, late and in random order: each older than the
     * latest value, so every one goes the out-of-order way. */
    for (int i = 0; i < 12; i++) {
        int h = (int)rnd(HOURS - 30);
        snprintf(name, sizeof name, "late-%d", i);
        ingest_hours(f, h + 1, h + 30, 3, name);
        check(f, name);
    }
    ingest_hours(f, 0, HOURS, 6, NULL); /* all again: nothing new */
    assert_true(check(f, "duplicates") >= 8);

    /* An import of one late value per item, the last of each day but
     * the last (23:30) and higher than the next day's: removed below. */
    {
        struct import_meta m = {"rm", "rm.json", "test", DAY0, false};
        struct ingest_stats st;
        struct batch b;
        batch_init(&b);
        for (int k = 0; k < NITEMS; k++) {
            struct item *it = item_of(&b, k, pub_of(k));
            for (int h = 23; h < HOURS - 24; h += 24)
                assert_int_equal(
                    metrics_set_i64(
                        &item_snapshot_at(it, DAY0 + h * 3600 + 1800)
                             ->metrics,
                        M_VIEWS, views_at(k, h) + 1000 * k),
                    ERR_OK);
        }
        assert_int_equal(store_ingest(f->st, &b, &m, &st, &f->err), ERR_OK);
        import_late = st.import_id;
        batch_free(&b);
        check(f, "the import to remove");
    }

    {
        struct store_removed out;
        assert_int_equal(store_import_remove(f->st, import_late, "test",
                                             DAY0 + 40 * 86400, &out,
                                             &f->err),
                         ERR_OK);
        assert_true(out.values > 0);
        check(f, "import removed");
    }

    /* Publication times move (two days later; one becomes known). */
    {
        struct batch b;
        struct ingest_stats st;
        batch_init(&b);
        item_of(&b, 2, pub_of(2) + 2 * 86400);
        item_of(&b, 4, DAY0 + 3 * 86400 + 7200);
        assert_true(pub_of(4) == TIME_NONE);
        assert_int_equal(store_ingest(f->st, &b, NULL, &st, &f->err), ERR_OK);
        batch_free(&b);
        check(f, "publication moved");
    }

    /* Another calendar: every day boundary moves. */
    assert_int_equal(store_set_rollup_zone(f->st, "Pacific/Kiritimati",
                                           &f->err),
                     ERR_OK);
    check(f, "zone +14");

    /* Reopened; then the first open after migration 0018 (the table
     * emptied and the setting put back) fills it again. */
    store_close(f->st);
    assert_int_equal(store_open(f->path, &f->st, &f->err), ERR_OK);
    check(f, "reopened");
    store_close(f->st);
    f->st = NULL;
    {
        sqlite3 *db;
        assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
        assert_int_equal(
            sqlite3_exec(db,
                         "DELETE FROM item_first; INSERT INTO setting(key, "
                         "value) VALUES ('report_rollups_stale', '1')",
                         NULL, NULL, NULL),
            SQLITE_OK);
        sqlite3_close(db);
    }
    assert_int_equal(store_open(f->path, &f->st, &f->err), ERR_OK);
    assert_true(check(f, "filled after the migration") >= 8);
    {
        sqlite3 *db;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "SELECT count(*) FROM setting "
                                            "WHERE key = 'report_rollups_stale'",
                                            -1, &st, NULL),
                         SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 0);
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_report_rollups, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
