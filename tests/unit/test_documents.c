/* Documents for retrieval (analytics/documents.h): ids (stable, encoded,
 * parsed back), numbers with thousands separators, the summary sentence
 * from fixed figures, and on a small fixed dataset in a real store: the
 * figures, the exact summary, and which documents a later ingest and a
 * removal mark changed (tombstones included). The clock is set with
 * MEDIADASH_TEST_NOW, which test builds honour. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "analytics/documents.h"
#include "analytics/typical.h"
#include "core/jread.h"
#include "core/timeutil.h"
#include "core/tz.h"
#include "store/store.h"

#define DAY 86400
#define D0 19000 /* 2022-01-08, a Saturday */
#define T(d, h) (((int64_t)(D0 + (d))) * DAY + (h) * 3600)

#define fx tu_store_fx

/* ---- ids --------------------------------------------------------------- */

static void id_is(enum platform p, enum item_type t, const char *ext,
                  int32_t day, const char *want)
{
    struct buf b;
    enum platform p2;
    enum item_type t2;
    char *ext2 = NULL;
    int32_t day2;

    buf_init(&b, 1024);
    assert_int_equal(documents_id(&b, p, t, ext, day), ERR_OK);
    assert_string_equal(buf_cstr(&b), want);
    assert_int_equal(documents_id_parse(want, &p2, &t2, &ext2, &day2),
                     ERR_OK);
    assert_int_equal(p2, p);
    assert_int_equal(t2, t);
    assert_string_equal(ext2, ext);
    assert_int_equal(day2, day);
    free(ext2);
    buf_free(&b);
}

static void test_ids(void **state)
{
    (void)state;
    id_is(PLATFORM_YOUTUBE, ITEM_CONTENT, "dQw4w9WgXcQ", DOCUMENTS_NO_DAY,
          "mediadash://youtube/dQw4w9WgXcQ");
    id_is(PLATFORM_YOUTUBE, ITEM_ACCOUNT, "UC_x5XG1OV2P6uZZ5FSM9Ttw",
          DOCUMENTS_NO_DAY,
          "mediadash://youtube/account/UC_x5XG1OV2P6uZZ5FSM9Ttw");
    id_is(PLATFORM_TIKTOK, ITEM_ACCOUNT, "-000XFEQ", 20423,
          "mediadash://tiktok/account/-000XFEQ/day/2025-12-01");
    /* bytes outside the unreserved set are percent-encoded */
    id_is(PLATFORM_INSTAGRAM, ITEM_CONTENT, "a/b c%d\xc3\xa9",
          DOCUMENTS_NO_DAY,
          "mediadash://instagram/a%2Fb%20c%25d%C3%A9");
}

static void test_id_parse_refuses(void **state)
{
    static const char *const bad[] = {
        "youtube/abc",                      /* no scheme */
        "mediadash://youtube/",             /* no id */
        "mediadash://yt/abc",               /* a short form, not the name */
        "mediadash://nosuch/abc",           /* unknown platform */
        "mediadash://youtube/a%2fb",        /* lower-case hex: not ours */
        "mediadash://youtube/a%41b",        /* 'A' need not be encoded */
        "mediadash://youtube/a b",          /* a raw space */
        "mediadash://youtube/a%00b",        /* NUL */
        "mediadash://youtube/a%4",          /* cut short */
        "mediadash://youtube/account/x/day/2025-13-01",
        "mediadash://youtube/account/x/day/yesterday",
        "mediadash://youtube/account//day/2025-12-01",
    };
    enum platform p;
    enum item_type t;
    char *ext;
    int32_t day;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (documents_id_parse(bad[i], &p, &t, &ext, &day) != ERR_PARSE)
            fail_msg("accepted %s", bad[i]);
        assert_null(ext);
    }
}

static void num_is(int64_t n, const char *want)
{
    struct buf b;
    buf_init(&b, 64);
    documents_num(&b, n);
    assert_string_equal(buf_cstr(&b), want);
    buf_free(&b);
}

static void test_num(void **state)
{
    (void)state;
    num_is(0, "0");
    num_is(999, "999");
    num_is(1000, "1,000");
    num_is(18409, "18,409");
    num_is(-1234567, "-1,234,567");
    num_is(INT64_MIN, "-9,223,372,036,854,775,808");
}

/* ---- the summary from fixed figures ------------------------------------ */

static void test_summary_fixed(void **state)
{
    struct documents_figures f;
    struct tz *utc = tz_utc();
    struct buf b;

    (void)state;
    buf_init(&b, 4096);
    memset(&f, 0, sizeof f);
    f.published_at = T(0, 17);
    f.has_views = true;
    f.views = 19000;
    f.has_at[2] = true;
    f.at[2] = 18409;
    f.has_typical = true;
    f.typical.age_days = 30;
    f.typical.has_ratio = true;
    f.typical.ratio = 2.34;
    f.has_peak = true;
    f.peak_day = D0 + 1;
    f.peak_gain = 9266;
    f.has_engagement = true;
    f.engagement = 0.0612;
    documents_summary(&b, utc, &f);
    assert_string_equal(buf_cstr(&b),
                        "Published Sat 17:00 UTC; 18,409 views in 28 days; "
                        "2.3x the typical at 30 days; peak day +9,266 on "
                        "2022-01-09; engagement 6.1%");
    /* what is unknown is left out; a dip is a negative peak */
    memset(&f, 0, sizeof f);
    f.published_at = TIME_NONE;
    f.has_views = true;
    f.views = 12;
    f.has_peak = true;
    f.peak_day = D0;
    f.peak_gain = -3;
    f.has_typical = true; /* without a ratio: not said */
    documents_summary(&b, utc, &f);
    assert_string_equal(buf_cstr(&b), "12 views; peak day -3 on 2022-01-08");
    memset(&f, 0, sizeof f);
    f.published_at = TIME_NONE;
    documents_summary(&b, utc, &f);
    assert_string_equal(buf_cstr(&b), "");
    buf_free(&b);
    tz_destroy(utc);
}

/* ---- a small store ------------------------------------------------------ */

#include <jansson.h>

static void set_now(int64_t t)
{
    char v[32];
    snprintf(v, sizeof v, "%lld", (long long)t);
    setenv("MEDIADASH_TEST_NOW", v, 1);
}

/* One snapshot of content item id (owned by account "acct") at t. */
static void put(struct fx *f, const char *id, int64_t pub, int64_t t,
                int64_t views, int64_t likes, int64_t comments)
{
    struct batch b;
    struct ingest_stats s;
    struct item *it;
    struct snapshot *sn;

    batch_init(&b);
    it = batch_item(&b, PLATFORM_YOUTUBE, ITEM_CONTENT, id);
    item_set(&it->account_ext_id, "acct");
    item_set(&it->title, id);
    item_set(&it->description, "about #it");
    it->published_at = pub;
    sn = item_snapshot_at(it, t);
    assert_int_equal(metrics_set_i64(&sn->metrics, M_VIEWS, views), ERR_OK);
    if (likes >= 0)
        assert_int_equal(metrics_set_i64(&sn->metrics, M_LIKES, likes),
                         ERR_OK);
    if (comments >= 0)
        assert_int_equal(metrics_set_i64(&sn->metrics, M_COMMENTS, comments),
                         ERR_OK);
    assert_int_equal(store_ingest(f->st, &b, NULL, &s, &f->err), ERR_OK);
    batch_free(&b);
}

static void put_followers(struct fx *f, int64_t t, int64_t v)
{
    struct batch b;
    struct ingest_stats s;
    struct item *it;

    batch_init(&b);
    it = batch_item(&b, PLATFORM_YOUTUBE, ITEM_ACCOUNT, "acct");
    item_set(&it->handle, "@acct");
    item_set(&it->kind, "channel");
    assert_int_equal(
        metrics_set_i64(&item_snapshot_at(it, t)->metrics, M_FOLLOWERS, v),
        ERR_OK);
    assert_int_equal(store_ingest(f->st, &b, NULL, &s, &f->err), ERR_OK);
    batch_free(&b);
}

/* p1 (published day 0, 17:00): views 100, 400, 900, 1000, 1100 on days
 * 0, 1, 7, 28, 30 (gains 100, 300, 500, 100, 100: peak +500 on day 7);
 * 50 likes and 5 comments at the end. p2 and p3 (day 0): 250 and 20
 * views on day 30, so the typical at 30 days is their median, 135, and
 * p1 is 1100 / 135 = 8.1x it. The account: 10 followers on day 0, 12
 * on day 1. All written at clock 1000. */
static int setup(void **state)
{
    struct fx *f;

    set_now(1000);
    tu_store_setup(state);
    f = *state;
    put_followers(f, T(0, 20), 10);
    put_followers(f, T(1, 20), 12);
    put(f, "p1", T(0, 17), T(0, 20), 100, -1, -1);
    put(f, "p1", T(0, 17), T(1, 20), 400, -1, -1);
    put(f, "p1", T(0, 17), T(7, 20), 900, -1, -1);
    put(f, "p1", T(0, 17), T(28, 20), 1000, -1, -1);
    put(f, "p1", T(0, 17), T(30, 20), 1100, 50, 5);
    put(f, "p2", T(0, 9), T(0, 20), 50, -1, -1);
    put(f, "p2", T(0, 9), T(30, 20), 250, -1, -1);
    put(f, "p3", T(0, 9), T(0, 20), 10, -1, -1);
    put(f, "p3", T(0, 9), T(30, 20), 20, -1, -1);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    unsetenv("MEDIADASH_TEST_NOW");
    return tu_store_teardown(state);
}

struct collected {
    json_t *docs; /* array */
};

static enum err collect(void *ud, const struct store_doc_change *c,
                        const char *json, size_t len)
{
    struct collected *col = ud;
    json_error_t e;
    json_t *v = json_loadb(json, len, 0, &e);

    (void)c;
    assert_non_null(v);
    json_array_append_new(col->docs, v);
    return ERR_OK;
}

/* The documents q selects, as JSON values (caller decrefs). */
static json_t *walk(struct fx *f, int64_t since)
{
    struct store_doc_query q = {since, 0, -1, -1, 0};
    struct collected col = {json_array()};
    struct documents *d = NULL;

    assert_int_equal(documents_open(f->st, NULL, &d, &f->err), ERR_OK);
    assert_int_equal(documents_each(d, &q, collect, &col, &f->err), ERR_OK);
    documents_close(d);
    return col.docs;
}

static json_t *find(json_t *docs, const char *id)
{
    size_t i;
    json_t *v;
    json_array_foreach(docs, i, v)
    {
        if (strcmp(json_string_value(json_object_get(v, "id")), id) == 0)
            return v;
    }
    fail_msg("no document %s", id);
    return NULL;
}

static int64_t num(json_t *doc, const char *key)
{
    json_t *v = json_object_get(doc, key);
    if (!json_is_integer(v))
        fail_msg("%s is not an integer", key);
    return (int64_t)json_integer_value(v);
}

static const char *str(json_t *doc, const char *key)
{
    json_t *v = json_object_get(doc, key);
    if (!json_is_string(v))
        fail_msg("%s is not a string", key);
    return json_string_value(v);
}

static void test_content_document(void **state)
{
    struct fx *f = *state;
    json_t *docs = walk(f, TIME_NONE);
    json_t *p1 = find(docs, "mediadash://youtube/p1");
    json_t *typ = json_object_get(p1, "vs_typical");

    assert_string_equal(str(p1, "type"), "content");
    assert_string_equal(str(p1, "account"), "@acct");
    assert_string_equal(str(p1, "account_id"), "acct");
    assert_string_equal(str(p1, "text"), "p1\n\nabout #it");
    assert_string_equal(str(p1, "published_at"), "2022-01-08T17:00:00Z");
    assert_string_equal(str(p1, "updated_at"), "1970-01-01T00:16:40Z");
    assert_int_equal(num(p1, "views"), 1100);
    assert_int_equal(num(p1, "likes"), 50);
    assert_int_equal(num(p1, "views_1d"), 400);
    assert_int_equal(num(p1, "views_7d"), 900);
    assert_int_equal(num(p1, "views_28d"), 1000);
    assert_int_equal(num(typ, "age_days"), 30);
    assert_int_equal(num(typ, "n"), 2);
    assert_true(json_number_value(json_object_get(typ, "median")) == 135.0);
    assert_int_equal(num(json_object_get(p1, "peak_day"), "views_gain"), 500);
    assert_string_equal(str(json_object_get(p1, "peak_day"), "date"),
                        "2022-01-15");
    assert_string_equal(str(p1, "summary"),
                        "Published Sat 17:00 UTC; 1,000 views in 28 days; "
                        "8.1x the typical at 30 days; peak day +500 on "
                        "2022-01-15; engagement 5.0%");
    /* p2: a row on day 30, so known at 28 days: its value of day 0 */
    assert_int_equal(num(find(docs, "mediadash://youtube/p2"), "views_28d"),
                     50);
    json_decref(docs);
}

static void test_account_and_day_documents(void **state)
{
    struct fx *f = *state;
    json_t *docs = walk(f, TIME_NONE);
    json_t *acct = find(docs, "mediadash://youtube/account/acct");
    json_t *d1 = find(docs, "mediadash://youtube/account/acct/day/2022-01-09");
    json_t *d30 = find(docs, "mediadash://youtube/account/acct/day/2022-02-07");

    assert_string_equal(str(acct, "summary"), "@acct on youtube: 12 followers");
    assert_string_equal(str(d1, "type"), "account_day");
    assert_int_equal(num(d1, "followers"), 12);
    assert_int_equal(num(d1, "followers_gain"), 2);
    assert_int_equal(num(d1, "views_gained"), 300);
    assert_string_equal(str(d1, "summary"),
                        "2022-01-09, @acct on youtube: 12 followers (+2); "
                        "content gained 300 views across 1 items; top: "
                        "\"p1\" +300 views");
    /* day 30: p1 +100, p2 +200, p3 +10 (each over its previous row) */
    assert_int_equal(num(d30, "views_gained"), 310);
    assert_string_equal(str(json_object_get(d30, "top_item"), "id"),
                        "mediadash://youtube/p2");
    assert_string_equal(str(d30, "summary"),
                        "2022-02-07, @acct on youtube; content gained 310 "
                        "views across 3 items; top: \"p2\" +200 views");
    /* 3 content items, the account, its days 0, 1, 7, 28 and 30 */
    assert_int_equal(json_array_size(docs), 3 + 1 + 5);
    json_decref(docs);
}

static void test_get_one(void **state)
{
    struct fx *f = *state;
    json_t *docs = walk(f, TIME_NONE);
    struct collected col = {json_array()};
    struct documents *d = NULL;
    static const char *const ids[] = {
        "mediadash://youtube/p1", "mediadash://youtube/account/acct",
        "mediadash://youtube/account/acct/day/2022-01-09"};

    assert_int_equal(documents_open(f->st, NULL, &d, &f->err), ERR_OK);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(documents_get(d, ids[i], collect, &col, &f->err),
                         ERR_OK);
        assert_true(json_equal(json_array_get(col.docs, i),
                               find(docs, ids[i])));
    }
    assert_int_equal(json_array_size(col.docs), 3);
    assert_int_equal(documents_get(d, "mediadash://youtube/nosuch", collect,
                                   &col, &f->err),
                     ERR_NOTFOUND);
    assert_string_equal(buf_cstr(&f->err),
                        "no document mediadash://youtube/nosuch");
    /* p1 is content, not an account; no day 2000-01-01 */
    assert_int_equal(documents_get(d, "mediadash://youtube/account/p1",
                                   collect, &col, &f->err),
                     ERR_NOTFOUND);
    assert_int_equal(documents_get(d, "mediadash://youtube/account/acct/day/"
                                      "2000-01-01",
                                   collect, &col, &f->err),
                     ERR_NOTFOUND);
    assert_int_equal(documents_get(d, "youtube:p1", collect, &col, &f->err),
                     ERR_PARSE);
    assert_int_equal(json_array_size(col.docs), 3);
    documents_close(d);
    json_decref(col.docs);
    json_decref(docs);
}

/* The ids of docs, '\n'-joined, with " deleted" after tombstones. */
static char *ids_of(json_t *docs)
{
    struct buf b;
    size_t i;
    json_t *v;

    buf_init(&b, 1 << 16);
    json_array_foreach(docs, i, v)
    {
        buf_catf(&b, "%s%s\n", str(v, "id"),
                 json_is_true(json_object_get(v, "deleted")) ? " deleted"
                                                             : "");
    }
    return buf_steal(&b);
}

static void ids_are(struct fx *f, int64_t since, const char *want)
{
    json_t *docs = walk(f, since);
    char *got = ids_of(docs);
    assert_string_equal(got, want);
    free(got);
    json_decref(docs);
}

static void test_changed_since(void **state)
{
    struct fx *f = *state;

    ids_are(f, 1000 + 1, "");
    set_now(2000);
    put(f, "p2", T(0, 9), T(31, 20), 300, -1, -1);
    ids_are(f, 2000, "mediadash://youtube/p2\n"
                     "mediadash://youtube/account/acct/day/2022-02-08\n");
    /* the same observation again: nothing changes */
    set_now(2500);
    put(f, "p2", T(0, 9), T(31, 20), 300, -1, -1);
    ids_are(f, 2000, "mediadash://youtube/p2\n"
                     "mediadash://youtube/account/acct/day/2022-02-08\n");
    ids_are(f, 2500, "");
    /* a new field changes the item's document only */
    set_now(2600);
    put(f, "p3", T(0, 9), T(30, 20), 20, -1, -1); /* same value */
    ids_are(f, 2600, "");
    {
        struct batch b;
        struct ingest_stats s;
        batch_init(&b);
        item_set(&batch_item(&b, PLATFORM_YOUTUBE, ITEM_CONTENT, "p3")->title,
                 "p3, renamed");
        assert_int_equal(store_ingest(f->st, &b, NULL, &s, &f->err), ERR_OK);
        batch_free(&b);
    }
    ids_are(f, 2600, "mediadash://youtube/p3\n");
}

/* ---- the command line's export: one state ------------------------------- */

/* Commits p4 (a new item of acct, 60 views on day 30) through a second
 * connection, as an import running beside the export would. */
static void import_p4(void *ud)
{
    struct fx *f = ud;
    struct store *mine = f->st, *other = NULL;

    assert_int_equal(store_open(f->path, &other, &f->err), ERR_OK);
    f->st = other;
    set_now(3000);
    put(f, "p4", T(0, 9), T(30, 20), 60, -1, -1);
    f->st = mine;
    store_close(other);
}

struct exported {
    struct fx *f;
    json_t *docs;
};

static void exp_opened(void *ud)
{
    import_p4(((struct exported *)ud)->f);
}

static enum err exp_doc(void *ud, const struct store_doc_change *c,
                        const char *json, size_t len)
{
    struct collected col = {((struct exported *)ud)->docs};
    return collect(&col, c, json, len);
}

/* An import commits between the curves and the walk: the export is of
 * the state before it (p4 is not in it, and no document lacks its
 * comparison); the next walk has p4 with its comparison, and --since
 * the export's start sends it. Without the one read, p4 was written with
 * the curves that did not know it (vs_typical null) and never again. */
static void test_export_one_state(void **state)
{
    struct fx *f = *state;
    struct store_doc_query q = {TIME_NONE, 0, -1, -1, 0};
    struct exported e = {f, json_array()};
    char *got;
    json_t *after, *p4;

    assert_int_equal(documents_export(f->st, &q, exp_doc, exp_opened, &e,
                                      &f->err),
                     ERR_OK);
    got = ids_of(e.docs);
    assert_null(strstr(got, "/p4"));
    assert_non_null(strstr(got, "/p1"));
    assert_true(json_is_object(
        json_object_get(find(e.docs, "mediadash://youtube/p3"), "vs_typical")));
    free(got);
    json_decref(e.docs);
    after = walk(f, 2000);
    p4 = find(after, "mediadash://youtube/p4");
    assert_true(json_is_object(json_object_get(p4, "vs_typical")));
    assert_int_equal(num(json_object_get(p4, "vs_typical"), "n"), 3);
    json_decref(after);
}

static void test_account_removed(void **state)
{
    struct fx *f = *state;
    struct store_removed rm;
    json_t *docs;
    size_t i;
    json_t *v;

    set_now(3000);
    assert_int_equal(store_account_remove(f->st, PLATFORM_YOUTUBE, "acct",
                                          "test", 3000, &rm, &f->err),
                     ERR_OK);
    ids_are(f, 3000,
            "mediadash://youtube/account/acct deleted\n"
            "mediadash://youtube/p1 deleted\n"
            "mediadash://youtube/p2 deleted\n"
            "mediadash://youtube/p3 deleted\n"
            "mediadash://youtube/account/acct/day/2022-01-08 deleted\n"
            "mediadash://youtube/account/acct/day/2022-01-09 deleted\n"
            "mediadash://youtube/account/acct/day/2022-01-15 deleted\n"
            "mediadash://youtube/account/acct/day/2022-02-05 deleted\n"
            "mediadash://youtube/account/acct/day/2022-02-07 deleted\n");
    docs = walk(f, 3000);
    json_array_foreach(docs, i, v)
    {
        assert_int_equal(json_object_size(v), 3);
        assert_string_equal(str(v, "deleted_at"), "1970-01-01T00:50:00Z");
    }
    json_decref(docs);
    ids_are(f, TIME_NONE, ""); /* no live document, no tombstone */
    /* imported again: the same ids, live documents again (the day has
     * no known gain yet, first seen after publication: nothing to say,
     * so still a tombstone) */
    set_now(3100);
    put(f, "p1", T(0, 17), T(30, 20), 1100, 50, 5);
    ids_are(f, 3100, "mediadash://youtube/account/acct\n"
                     "mediadash://youtube/p1\n"
                     "mediadash://youtube/account/acct/day/2022-02-07 "
                     "deleted\n");
}

static void test_import_removed_item_stays(void **state)
{
    struct fx *f = *state;
    struct import_meta meta = {"00ff", "more.json", "test", 4000, false};
    struct ingest_stats s;
    struct store_removed rm;
    struct batch b;
    struct item *it;
    json_t *docs;

    set_now(4000);
    batch_init(&b);
    it = batch_item(&b, PLATFORM_YOUTUBE, ITEM_CONTENT, "p1");
    item_set(&it->account_ext_id, "acct");
    assert_int_equal(metrics_set_i64(&item_snapshot_at(it, T(31, 20))->metrics,
                                     M_VIEWS, 1200),
                     ERR_OK);
    assert_int_equal(store_ingest(f->st, &b, &meta, &s, &f->err), ERR_OK);
    batch_free(&b);
    ids_are(f, 4000, "mediadash://youtube/p1\n"
                     "mediadash://youtube/account/acct/day/2022-02-08\n");
    set_now(5000);
    assert_int_equal(store_import_remove(f->st, s.import_id, "test", 5000,
                                         &rm, &f->err),
                     ERR_OK);
    /* the day held only that snapshot: a tombstone; p1 stays, with its
     * views as before the import */
    ids_are(f, 5000, "mediadash://youtube/account/acct/day/2022-02-08 "
                     "deleted\n"
                     "mediadash://youtube/p1\n");
    docs = walk(f, 5000);
    assert_int_equal(num(json_array_get(docs, 1), "views"), 1100);
    json_decref(docs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_id_parse_refuses),
        cmocka_unit_test(test_num),
        cmocka_unit_test(test_summary_fixed),
        cmocka_unit_test_setup_teardown(test_content_document, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_account_and_day_documents, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_get_one, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_since, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_one_state, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_account_removed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_import_removed_item_stays,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
