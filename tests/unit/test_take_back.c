/* Owned and tracked accounts, removing an import or an account (issue
 * 11, part 3) on real SQLite files, against hand-computed rollups that
 * must also equal `rollup --rebuild`'s.
 *
 * The scenario (UTC; day 20000 = 2024-10-04, T0..T2 01:00 on days
 * 20000..20002; v1 and o1 published 2024-09-22, before any snapshot):
 *   A (a.json): UCown followers 100 @T0; v1 views 10 @T0, 30 @T1
 *   B (b.json): v1 views 30 @T1 again (same), likes 5 @T1 (a metric
 *               added to A's snapshot), views 70 @T2
 *   C (c.json): UCother followers 5000 @T0; o1 views 100 @T0, 150 @T1
 * All three as saved files (foreign_tracked): A creates the first youtube
 * account (own), C one more (tracked). */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

#define fx tu_store_fx
#define setup tu_store_setup
#define teardown tu_store_teardown

#define T0 1728003600 /* 2024-10-04T01:00:00Z, day 20000 */
#define T1 1728090000
#define T2 1728176400
#define PUB 1727000000

static void snap(struct item *it, int64_t t, const char *m, int64_t v)
{
    assert_int_equal(metrics_set_i64(&item_snapshot_at(it, t)->metrics, m, v),
                     ERR_OK);
}

static struct item *video(struct batch *b, const char *id, const char *acct)
{
    struct item *it = batch_item(b, PLATFORM_YOUTUBE, ITEM_CONTENT, id);
    item_set(&it->account_ext_id, acct);
    it->published_at = PUB;
    return it;
}

static void ingest(struct fx *f, const struct batch *b, const char *name,
                   struct ingest_stats *s)
{
    struct import_meta m = {name, name, "test", 5, true};
    assert_int_equal(store_ingest(f->st, b, &m, s, &f->err), ERR_OK);
}

static void import_abc(struct fx *f, struct ingest_stats *sc)
{
    struct batch b;
    struct ingest_stats s;
    struct item *it;

    batch_init(&b);
    snap(batch_item(&b, PLATFORM_YOUTUBE, ITEM_ACCOUNT, "UCown"), T0,
         M_FOLLOWERS, 100);
    it = video(&b, "v1", "UCown");
    snap(it, T0, M_VIEWS, 10);
    snap(it, T1, M_VIEWS, 30);
    ingest(f, &b, "a.json", &s);
    assert_int_equal(s.accounts_tracked, 0); /* the first: own */
    batch_free(&b);

    batch_init(&b);
    it = video(&b, "v1", "UCown");
    snap(it, T1, M_VIEWS, 30);
    snap(it, T1, M_LIKES, 5);
    snap(it, T2, M_VIEWS, 70);
    ingest(f, &b, "b.json", &s);
    assert_int_equal(s.values_new, 2);
    assert_int_equal(s.values_same, 1);
    batch_free(&b);

    batch_init(&b);
    snap(batch_item(&b, PLATFORM_YOUTUBE, ITEM_ACCOUNT, "UCother"), T0,
         M_FOLLOWERS, 5000);
    it = video(&b, "o1", "UCother");
    snap(it, T0, M_VIEWS, 100);
    snap(it, T1, M_VIEWS, 150);
    ingest(f, &b, "c.json", sc);
    batch_free(&b);
}

static char *dump(const char *path, const char *query)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    struct buf out;
    buf_init(&out, (size_t)1 << 20);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, query, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++)
            assert_int_equal(
                buf_printf(&out, "%s%s", c ? "|" : "",
                           sqlite3_column_type(st, c) == SQLITE_NULL
                               ? "NULL"
                               : (const char *)sqlite3_column_text(st, c)),
                ERR_OK);
        assert_int_equal(buf_putc(&out, '\n'), ERR_OK);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return buf_steal(&out);
}

static void sql(const char *path, const char *text, int want)
{
    sqlite3 *db;
    int rc;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    rc = sqlite3_exec(db, text, NULL, NULL, NULL);
    if (rc != want)
        fail_msg("%s: got %d (%s), want %d", text, rc, sqlite3_errmsg(db),
                 want);
    sqlite3_close(db);
}

#define DAYS_Q                                                                \
    "SELECT i.ext_id, m.name, d.day, d.first_at, d.first_v, d.last_at, "      \
    "d.last_v, d.gain FROM item_day d JOIN item i ON i.id = d.item_id JOIN "  \
    "metric m ON m.id = d.metric_id ORDER BY 1, 2, 3"
#define ACCT_Q                                                                \
    "SELECT i.ext_id, m.name, d.day, d.gain FROM account_day d JOIN item i "  \
    "ON i.id = d.account_id JOIN metric m ON m.id = d.metric_id "             \
    "ORDER BY 1, 2, 3"
#define LATEST_Q                                                              \
    "SELECT i.ext_id, m.name, l.observed_at, l.ival FROM item_latest l "      \
    "JOIN item i ON i.id = l.item_id JOIN metric m ON m.id = l.metric_id "    \
    "ORDER BY 1, 2"
#define IMPORTS_Q                                                             \
    "SELECT source, items, snapshots, vals FROM import ORDER BY id"

/* The rows of query q, as text, equal want. */
static void expect(struct fx *f, const char *q, const char *want)
{
    char *got = dump(f->path, q);
    assert_string_equal(got, want);
    free(got);
}

/* The rollups and latest values equal want_*, and again after a rebuild. */
static void check_state(struct fx *f, const char *want_days,
                        const char *want_acct, const char *want_latest)
{
    const char *q[3] = {DAYS_Q, ACCT_Q, LATEST_Q};
    const char *want[3] = {want_days, want_acct, want_latest};
    char *got[3];

    for (int i = 0; i < 3; i++) {
        got[i] = dump(f->path, q[i]);
        assert_string_equal(got[i], want[i]);
    }
    assert_int_equal(store_rollup_rebuild(f->st, &f->err), ERR_OK);
    for (int i = 0; i < 2; i++) {
        char *re = dump(f->path, q[i]);
        assert_string_equal(re, got[i]);
        free(re);
    }
    for (int i = 0; i < 3; i++)
        free(got[i]);
}

#define OTHER_DAYS                                                            \
    "UCother|followers|20000|1728003600|5000|1728003600|5000|NULL\n"
#define O1_DAYS                                                               \
    "o1|views|20000|1728003600|100|1728003600|100|NULL\n"                     \
    "o1|views|20001|1728090000|150|1728090000|150|50\n"
#define OTHER_LATEST                                                          \
    "UCother|followers|1728003600|5000\n"
#define O1_LATEST "o1|views|1728090000|150\n"

static int64_t import_id(struct fx *f, const char *name)
{
    char q[128];
    char *s;
    int64_t id;
    snprintf(q, sizeof q, "SELECT id FROM import WHERE source = '%s'", name);
    s = dump(f->path, q);
    id = strtoll(s, NULL, 10);
    free(s);
    assert_true(id > 0);
    return id;
}

static enum err role_of(void *ud, const struct item *it)
{
    struct buf *b = ud;
    buf_catf(b, "%s=%s ", it->ext_id, it->tracked ? "tracked" : "own");
    return ERR_OK;
}

static void test_roles_at_ingest(void **state)
{
    struct fx *f = *state;
    struct ingest_stats sc;
    struct item_query q = {.type = ITEM_ACCOUNT, .platform = -1,
                           .sort = SORT_TITLE, .ascending = true};
    struct buf roles;
    char *sole = NULL;

    import_abc(f, &sc);
    assert_int_equal(sc.accounts_tracked, 1);
    assert_true(sc.tracked_id > 0);
    buf_init(&roles, 1024);
    assert_int_equal(store_list_items(f->st, &q, role_of, &roles, &f->err),
                     ERR_OK);
    q.type = ITEM_CONTENT;
    assert_int_equal(store_list_items(f->st, &q, role_of, &roles, &f->err),
                     ERR_OK);
    /* By title (none), then id. Content carries its account's role. */
    assert_string_equal(buf_cstr(&roles),
                        "UCown=own UCother=tracked v1=own o1=tracked ");
    /* The sole *own* account is still found for content-only files. */
    assert_int_equal(store_sole_account(f->st, PLATFORM_YOUTUBE, &sole),
                     ERR_OK);
    assert_string_equal(sole, "UCown");
    free(sole);
    buf_free(&roles);
    expect(f, IMPORTS_Q, "a.json|2|3|3\nb.json|1|1|2\nc.json|2|3|3\n");
    check_state(f,
                OTHER_DAYS
                "UCown|followers|20000|1728003600|100|1728003600|100|NULL\n"
                O1_DAYS
                "v1|likes|20001|1728090000|5|1728090000|5|NULL\n"
                "v1|views|20000|1728003600|10|1728003600|10|NULL\n"
                "v1|views|20001|1728090000|30|1728090000|30|20\n"
                "v1|views|20002|1728176400|70|1728176400|70|40\n",
                "UCother|views|20001|50\nUCown|views|20001|20\n"
                "UCown|views|20002|40\n",
                OTHER_LATEST "UCown|followers|1728003600|100\n" O1_LATEST
                "v1|likes|1728090000|5\nv1|views|1728176400|70\n");
}

static enum err audit_of(void *ud, const struct store_audit *a)
{
    struct buf *b = ud;
    buf_catf(b, "%lld %s %s: %s\n", (long long)a->at, a->who, a->action,
             a->what);
    return ERR_OK;
}

/* Removing B takes its views at T2 and the likes it added to A's
 * snapshot; A's snapshot stays (it holds A's views). */
static void test_remove_later_import(void **state)
{
    struct fx *f = *state;
    struct ingest_stats sc;
    struct store_removed r;
    struct buf audit;

    import_abc(f, &sc);
    assert_int_equal(store_import_remove(f->st, import_id(f, "b.json"),
                                         "tester", 4242, &r, &f->err),
                     ERR_OK);
    assert_int_equal(r.items, 0);
    assert_int_equal(r.snapshots, 1);
    assert_int_equal(r.values, 2);
    check_state(f,
                OTHER_DAYS
                "UCown|followers|20000|1728003600|100|1728003600|100|NULL\n"
                O1_DAYS
                "v1|views|20000|1728003600|10|1728003600|10|NULL\n"
                "v1|views|20001|1728090000|30|1728090000|30|20\n",
                "UCother|views|20001|50\nUCown|views|20001|20\n",
                OTHER_LATEST "UCown|followers|1728003600|100\n" O1_LATEST
                "v1|views|1728090000|30\n");
    expect(f, IMPORTS_Q, "a.json|2|3|3\nc.json|2|3|3\n");
    buf_init(&audit, 1024);
    assert_int_equal(store_audit_list(f->st, audit_of, &audit), ERR_OK);
    assert_string_equal(buf_cstr(&audit),
                        "4242 tester import remove: import 2 (b.json, "
                        "sha256 b.json): 0 items, 1 snapshots, 2 values\n");
    buf_free(&audit);
    /* Outside a removal, history is still append-only. */
    sql(f->path, "DELETE FROM snapshot_value;", SQLITE_CONSTRAINT);
    sql(f->path, "DELETE FROM snapshot;", SQLITE_CONSTRAINT);
    sql(f->path, "UPDATE snapshot SET import_id = NULL;", SQLITE_CONSTRAINT);
    assert_int_equal(store_import_remove(f->st, 2, "tester", 1, &r, &f->err),
                     ERR_NOTFOUND);
}

/* Removing A first: its snapshot at T1 keeps B's likes and becomes B's;
 * then removing B leaves nothing of UCown or v1. */
static void test_remove_earlier_import_then_later(void **state)
{
    struct fx *f = *state;
    struct ingest_stats sc;
    struct store_removed r;

    import_abc(f, &sc);
    assert_int_equal(store_import_remove(f->st, import_id(f, "a.json"), "t",
                                         1, &r, &f->err),
                     ERR_OK);
    assert_int_equal(r.items, 0); /* UCown still has content, v1 snapshots */
    assert_int_equal(r.snapshots, 2);
    assert_int_equal(r.values, 3);
    check_state(f,
                OTHER_DAYS O1_DAYS
                "v1|likes|20001|1728090000|5|1728090000|5|NULL\n"
                "v1|views|20002|1728176400|70|1728176400|70|NULL\n",
                "UCother|views|20001|50\n",
                OTHER_LATEST O1_LATEST
                "v1|likes|1728090000|5\nv1|views|1728176400|70\n");
    expect(f, "SELECT count(*) FROM value_import", "0\n");
    assert_int_equal(store_import_remove(f->st, import_id(f, "b.json"), "t",
                                         2, &r, &f->err),
                     ERR_OK);
    assert_int_equal(r.items, 2);
    assert_int_equal(r.snapshots, 2);
    assert_int_equal(r.values, 2);
    check_state(f, OTHER_DAYS O1_DAYS, "UCother|views|20001|50\n",
                OTHER_LATEST O1_LATEST);
    expect(f, "SELECT ext_id FROM item ORDER BY 1", "UCother\no1\n");
}

static void test_account_remove_and_roles(void **state)
{
    struct fx *f = *state;
    struct ingest_stats sc;
    struct store_removed r;
    int64_t changed = -1;
    char *sole = NULL;

    import_abc(f, &sc);
    assert_int_equal(store_account_set_role(f->st, PLATFORM_YOUTUBE,
                                            "UCother", false, "t", 1,
                                            &changed, &f->err),
                     ERR_OK);
    assert_int_equal(changed, 2); /* the account and o1 */
    expect(f, "SELECT ext_id, role FROM item "
                                      "ORDER BY 1", "UCother|own\nUCown|own\no1|own\nv1|own\n");
    assert_int_equal(store_account_set_role(f->st, PLATFORM_YOUTUBE, "UCown",
                                            true, "t", 1, &changed, &f->err),
                     ERR_OK);
    assert_int_equal(changed, 2);
    assert_int_equal(store_sole_account(f->st, PLATFORM_YOUTUBE, &sole),
                     ERR_OK);
    assert_string_equal(sole, "UCother");
    free(sole);
    assert_int_equal(store_account_set_role(f->st, PLATFORM_YOUTUBE, "nope",
                                            true, "t", 1, &changed, &f->err),
                     ERR_NOTFOUND);

    assert_int_equal(store_account_remove(f->st, PLATFORM_YOUTUBE, "UCother",
                                          "t", 1, &r, &f->err),
                     ERR_OK);
    assert_int_equal(r.items, 2);
    assert_int_equal(r.snapshots, 3);
    assert_int_equal(r.values, 3);
    check_state(f,
                "UCown|followers|20000|1728003600|100|1728003600|100|NULL\n"
                "v1|likes|20001|1728090000|5|1728090000|5|NULL\n"
                "v1|views|20000|1728003600|10|1728003600|10|NULL\n"
                "v1|views|20001|1728090000|30|1728090000|30|20\n"
                "v1|views|20002|1728176400|70|1728176400|70|40\n",
                "UCown|views|20001|20\nUCown|views|20002|40\n",
                "UCown|followers|1728003600|100\n"
                "v1|likes|1728090000|5\nv1|views|1728176400|70\n");
    /* C held nothing else: left empty, it is forgotten (its file can be
     * imported again); A and B keep their counts. */
    expect(f, IMPORTS_Q, "a.json|2|3|3\nb.json|1|1|2\n");
    assert_int_equal(store_account_remove(f->st, PLATFORM_YOUTUBE, "UCother",
                                          "t", 1, &r, &f->err),
                     ERR_NOTFOUND);
}

static enum err cmp_line(void *ud, const struct store_account_cmp *c)
{
    struct buf *b = ud;
    buf_catf(b, "%s %s f=%lld g=%s%lld content=%lld active=%lld views=%lld\n",
             c->ext_id, c->tracked ? "tracked" : "own", (long long)c->followers,
             c->has_growth ? "" : "none:", (long long)c->followers_growth,
             (long long)c->content, (long long)c->active,
             (long long)c->views);
    return ERR_OK;
}

static void expect_cmp(struct fx *f, int32_t from, int32_t to,
                       const char *want)
{
    struct buf b;
    buf_init(&b, 4096);
    assert_int_equal(store_account_compare(f->st, from, to, cmp_line, &b),
                     ERR_OK);
    assert_string_equal(buf_cstr(&b), want);
    buf_free(&b);
}

/* The Competitors figures, own accounts first. UCown gets a second
 * followers value (130 @T2) so that it has a growth. */
static void test_compare(void **state)
{
    struct fx *f = *state;
    struct ingest_stats s;
    struct batch b;

    import_abc(f, &s);
    /* One followers value each: no growth known; views gained = the
     * known content gains (v1: 20 + 40, o1: 50), each from one item. */
    expect_cmp(f, 20000, 20003,
               "UCown own f=100 g=none:0 content=1 active=1 views=60\n"
               "UCother tracked f=5000 g=none:0 content=1 active=1 "
               "views=50\n");
    batch_init(&b);
    snap(batch_item(&b, PLATFORM_YOUTUBE, ITEM_ACCOUNT, "UCown"), T2,
         M_FOLLOWERS, 130);
    ingest(f, &b, "d.json", &s);
    batch_free(&b);
    /* Days 20001..20002: 130 - 100 (the last value before the range). */
    expect_cmp(f, 20001, 20003,
               "UCown own f=130 g=30 content=1 active=1 views=60\n"
               "UCother tracked f=5000 g=none:0 content=1 active=1 "
               "views=50\n");
    /* Day 20002 only: v1 gained 40, o1 nothing. */
    expect_cmp(f, 20002, 20003,
               "UCown own f=130 g=30 content=1 active=1 views=40\n"
               "UCother tracked f=5000 g=none:0 content=1 active=0 "
               "views=0\n");
    /* Day 20000 only: one followers value up to then: none. */
    expect_cmp(f, 20000, 20001,
               "UCown own f=130 g=none:0 content=1 active=0 views=0\n"
               "UCother tracked f=5000 g=none:0 content=1 active=0 "
               "views=0\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roles_at_ingest, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_remove_later_import, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_remove_earlier_import_then_later,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_account_remove_and_roles, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_compare, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
