/* The SQLite event store on real database files. */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "core/tz.h"
#include "store/store.h"

#define fx tu_store_fx
#define setup tu_store_setup
#define teardown tu_store_teardown

/* A channel with one snapshot and two videos, one with a snapshot. */
static void make_batch(struct batch *b, int64_t t, int64_t views)
{
    struct item *ch, *v1, *v2;
    struct snapshot *s;

    batch_init(b);
    ch = batch_item(b, PLATFORM_YOUTUBE, ITEM_ACCOUNT, "UCchan");
    item_set(&ch->title, "My Channel");
    item_set(&ch->kind, "channel");
    s = item_snapshot_at(ch, t);
    assert_int_equal(metrics_set_i64(&s->metrics, M_FOLLOWERS, 1000), ERR_OK);
    v1 = batch_item(b, PLATFORM_YOUTUBE, ITEM_CONTENT, "vid1");
    item_set(&v1->account_ext_id, "UCchan");
    item_set(&v1->title, "First video");
    v1->published_at = 1700000000;
    s = item_snapshot_at(v1, t);
    assert_int_equal(metrics_set_i64(&s->metrics, M_VIEWS, views), ERR_OK);
    assert_int_equal(metrics_set_i64(&s->metrics, M_LIKES, 7), ERR_OK);
    assert_int_equal(metrics_set_real(&s->metrics, "yt.ctr", 0.25), ERR_OK);
    v2 = batch_item(b, PLATFORM_YOUTUBE, ITEM_CONTENT, "vid2");
    item_set(&v2->account_ext_id, "UCchan");
    item_set(&v2->title, "Second video");
    v2->published_at = 1700100000;
}

static struct item *history(struct fx *f, const char *ref)
{
    struct item *it = NULL;
    assert_int_equal(store_item_history(f->st, ref, &it, &f->err), ERR_OK);
    return it;
}

static void test_ingest_and_read_back(void **state)
{
    struct fx *f = *state;
    struct batch b;
    struct ingest_stats s;
    struct import_meta m = {"d1", "file.json", "test", 5, false};
    struct item *it;

    make_batch(&b, 1000, 500);
    assert_int_equal(store_ingest(f->st, &b, &m, &s, &f->err), ERR_OK);
    assert_int_equal(s.items_new, 3);
    assert_int_equal(s.snapshots_new, 2);
    assert_int_equal(s.values_new, 4);
    assert_true(s.import_id > 0);
    it = history(f, "vid1");
    assert_string_equal(it->title, "First video");
    assert_string_equal(it->account_ext_id, "UCchan");
    assert_int_equal(it->published_at, 1700000000);
    assert_int_equal(it->nsnaps, 1);
    assert_ptr_equal(it->snaps[0]->item, it);
    assert_int_equal(it->snaps[0]->observed_at, 1000);
    assert_int_equal(tu_metric(it->snaps[0], M_VIEWS), 500);
    assert_true(metrics_get(&it->snaps[0]->metrics, "yt.ctr")->is_real);
    assert_true(metrics_get(&it->snaps[0]->metrics, "yt.ctr")->r == 0.25);
    item_destroy(it);
    batch_free(&b);
}

static void test_idempotent(void **state)
{
    struct fx *f = *state;
    struct batch b;
    struct ingest_stats s;
    struct import_meta m = {"digest-x", "a.json", "test", 5, false};
    struct item *it;

    make_batch(&b, 1000, 500);
    assert_int_equal(store_ingest(f->st, &b, &m, &s, &f->err), ERR_OK);
    /* The same file again: refused by digest, nothing stored. */
    assert_int_equal(store_ingest(f->st, &b, &m, &s, &f->err), ERR_EXISTS);
    assert_non_null(strstr(buf_cstr(&f->err), "already imported"));
    /* The same data from elsewhere: keyed by item and time, no new rows. */
    assert_int_equal(store_ingest(f->st, &b, NULL, &s, &f->err), ERR_OK);
    assert_int_equal(s.items_new, 0);
    assert_int_equal(s.snapshots_new, 0);
    assert_int_equal(s.values_new, 0);
    assert_int_equal(s.values_same, 4);
    it = history(f, "vid1");
    assert_int_equal(it->nsnaps, 1);
    item_destroy(it);
    batch_free(&b);
}

static void test_never_overwrites(void **state)
{
    struct fx *f = *state;
    struct batch b1, b2, b3;
    struct ingest_stats s;
    struct item *it;
    struct snapshot *snap;

    make_batch(&b1, 1000, 500);
    assert_int_equal(store_ingest(f->st, &b1, NULL, &s, &f->err), ERR_OK);
    /* Same time, another value and a new metric: old value kept, new
     * metric merged into the snapshot. */
    make_batch(&b2, 1000, 999);
    snap = item_snapshot_at(b2.items[1], 1000);
    assert_int_equal(metrics_set_i64(&snap->metrics, M_COMMENTS, 3), ERR_OK);
    FREE_AND_NULL(b2.items[1]->title); /* a NULL field never blanks */
    assert_int_equal(store_ingest(f->st, &b2, NULL, &s, &f->err), ERR_OK);
    assert_int_equal(s.values_conflict, 1);
    assert_int_equal(s.values_new, 1);
    /* An older snapshot arriving later is history, not the latest. */
    make_batch(&b3, 500, 100);
    assert_int_equal(store_ingest(f->st, &b3, NULL, &s, &f->err), ERR_OK);
    it = history(f, "youtube:vid1");
    assert_string_equal(it->title, "First video");
    assert_int_equal(it->nsnaps, 2);
    assert_int_equal(it->snaps[0]->observed_at, 500);
    assert_int_equal(tu_metric(it->snaps[0], M_VIEWS), 100);
    assert_int_equal(tu_metric(it->snaps[1], M_VIEWS), 500);
    assert_int_equal(tu_metric(it->snaps[1], M_COMMENTS), 3);
    item_destroy(it);
    batch_free(&b1);
    batch_free(&b2);
    batch_free(&b3);
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

static void test_all_or_nothing(void **state)
{
    struct fx *f = *state;
    struct batch b;
    struct ingest_stats s;
    struct import_meta m = {"digest-boom", "bad.json", "test", 5, false};
    struct item *it = NULL, *boom;

    /* A real failure in the middle of the transaction. */
    sql(f->path,
        "CREATE TRIGGER boom BEFORE INSERT ON item WHEN NEW.ext_id = 'boom' "
        "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
        SQLITE_OK);
    make_batch(&b, 1000, 500);
    boom = batch_item(&b, PLATFORM_YOUTUBE, ITEM_CONTENT, "boom");
    assert_int_equal(metrics_set_i64(&item_snapshot_at(boom, 1000)->metrics,
                                     M_VIEWS, 1),
                     ERR_OK);
    assert_int_equal(store_ingest(f->st, &b, &m, &s, &f->err), ERR_DB);
    assert_non_null(strstr(buf_cstr(&f->err), "injected failure"));
    assert_int_equal(store_item_history(f->st, "vid1", &it, &f->err),
                     ERR_NOTFOUND);
    assert_int_equal(store_item_history(f->st, "UCchan", &it, &f->err),
                     ERR_NOTFOUND);
    /* The digest was not recorded either: the file can be retried. */
    sql(f->path, "DROP TRIGGER boom;", SQLITE_OK);
    assert_int_equal(store_ingest(f->st, &b, &m, &s, &f->err), ERR_OK);
    assert_int_equal(s.items_new, 4);
    batch_free(&b);
}

static void test_append_only(void **state)
{
    struct fx *f = *state;
    struct batch b;
    struct ingest_stats s;

    make_batch(&b, 1000, 500);
    assert_int_equal(store_ingest(f->st, &b, NULL, &s, &f->err), ERR_OK);
    sql(f->path, "UPDATE snapshot_value SET ival = 0;", SQLITE_CONSTRAINT);
    sql(f->path, "DELETE FROM snapshot;", SQLITE_CONSTRAINT);
    batch_free(&b);
}

struct collect {
    char ids[16][32];
    int64_t views[16];
    size_t n;
};

static enum err collect_fn(void *ud, const struct item *it)
{
    struct collect *c = ud;
    const struct metric *m = it->nsnaps
                                 ? metrics_get(&it->snaps[0]->metrics, "views")
                                 : NULL;
    assert_true(c->n < 16);
    snprintf(c->ids[c->n], sizeof c->ids[0], "%s", it->ext_id);
    c->views[c->n++] = m ? m->i : -1;
    return ERR_OK;
}

static void add_video(struct batch *b, enum platform p, const char *id,
                      const char *title, int64_t views)
{
    struct item *it = batch_item(b, p, ITEM_CONTENT, id);
    item_set(&it->title, title);
    it->published_at = 1700000000 + views;
    assert_int_equal(metrics_set_i64(&item_snapshot_at(it, 10)->metrics,
                                     M_VIEWS, views),
                     ERR_OK);
}

static void test_list_sort_filter(void **state)
{
    struct fx *f = *state;
    struct batch b;
    struct ingest_stats s;
    struct collect c;
    struct item_query q = {.type = ITEM_CONTENT, .platform = -1,
                           .sort = SORT_METRIC, .sort_metric = "views"};
    int64_t n;

    batch_init(&b);
    add_video(&b, PLATFORM_YOUTUBE, "a", "Cooking pasta", 30);
    add_video(&b, PLATFORM_YOUTUBE, "b", "Cooking rice", 10);
    add_video(&b, PLATFORM_TIKTOK, "c", "Dance", 20);
    batch_item(&b, PLATFORM_TIKTOK, ITEM_CONTENT, "d"); /* no metrics */
    assert_int_equal(store_ingest(f->st, &b, NULL, &s, &f->err), ERR_OK);

    memset(&c, 0, sizeof c);
    assert_int_equal(store_list_items(f->st, &q, collect_fn, &c, &f->err),
                     ERR_OK);
    assert_int_equal(c.n, 4);
    assert_string_equal(c.ids[0], "a"); /* 30, 20, 10, then no value */
    assert_string_equal(c.ids[1], "c");
    assert_string_equal(c.ids[2], "b");
    assert_string_equal(c.ids[3], "d");
    assert_int_equal(c.views[3], -1);

    q.ascending = true;
    q.limit = 2;
    q.offset = 1;
    memset(&c, 0, sizeof c);
    assert_int_equal(store_list_items(f->st, &q, collect_fn, &c, &f->err),
                     ERR_OK);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.ids[0], "c");
    assert_string_equal(c.ids[1], "a");

    q = (struct item_query){.type = ITEM_CONTENT, .platform = -1,
                            .search = "COOKING", .sort = SORT_TITLE,
                            .ascending = true};
    memset(&c, 0, sizeof c);
    assert_int_equal(store_list_items(f->st, &q, collect_fn, &c, &f->err),
                     ERR_OK);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.ids[0], "a");
    assert_int_equal(store_count_items(f->st, &q, &n), ERR_OK);
    assert_int_equal(n, 2);
    q.search = NULL;
    q.platform = PLATFORM_TIKTOK;
    assert_int_equal(store_count_items(f->st, &q, &n), ERR_OK);
    assert_int_equal(n, 2);
    batch_free(&b);
}

static void test_ambiguous_and_sole_account(void **state)
{
    struct fx *f = *state;
    struct batch b;
    struct ingest_stats s;
    struct item *it = NULL;
    char *sole = NULL;

    batch_init(&b);
    add_video(&b, PLATFORM_YOUTUBE, "same", "yt", 1);
    add_video(&b, PLATFORM_TIKTOK, "same", "tt", 2);
    batch_item(&b, PLATFORM_TIKTOK, ITEM_ACCOUNT, "tt-user");
    assert_int_equal(store_ingest(f->st, &b, NULL, &s, &f->err), ERR_OK);
    assert_int_equal(store_item_history(f->st, "same", &it, &f->err),
                     ERR_AMBIGUOUS);
    assert_non_null(strstr(buf_cstr(&f->err), "youtube:same"));
    assert_non_null(strstr(buf_cstr(&f->err), "tiktok:same"));
    it = history(f, "tiktok:same");
    assert_string_equal(it->title, "tt");
    item_destroy(it);
    assert_int_equal(store_item_history(f->st, "nope", &it, &f->err),
                     ERR_NOTFOUND);
    assert_int_equal(store_sole_account(f->st, PLATFORM_TIKTOK, &sole),
                     ERR_OK);
    assert_string_equal(sole, "tt-user");
    free(sole);
    assert_int_equal(store_sole_account(f->st, PLATFORM_YOUTUBE, &sole),
                     ERR_OK);
    assert_null(sole);
    batch_free(&b);
}

struct rows {
    size_t n, account_rows;
    int64_t sum;
};

static enum err row_fn(void *ud, const struct export_row *r)
{
    struct rows *x = ud;
    x->n++;
    if (r->content_ext_id == NULL) {
        x->account_rows++;
        assert_string_equal(r->account_ext_id, "UCchan");
    } else {
        assert_string_equal(r->account_ext_id, "UCchan");
    }
    if (!r->is_real)
        x->sum += r->i;
    return ERR_OK;
}

static void test_export_rows(void **state)
{
    struct fx *f = *state;
    struct batch b;
    struct ingest_stats s;
    struct rows x = {0, 0, 0};
    struct export_query q = {-1, TIME_NONE, TIME_NONE};

    make_batch(&b, 1000, 500);
    assert_int_equal(store_ingest(f->st, &b, NULL, &s, &f->err), ERR_OK);
    assert_int_equal(store_export_values(f->st, &q, row_fn, &x, &f->err),
                     ERR_OK);
    assert_int_equal(x.n, 4);
    assert_int_equal(x.account_rows, 1);
    assert_int_equal(x.sum, 1000 + 500 + 7);
    q.since = 1001; /* nothing observed at or after */
    memset(&x, 0, sizeof x);
    assert_int_equal(store_export_values(f->st, &q, row_fn, &x, &f->err),
                     ERR_OK);
    assert_int_equal(x.n, 0);
    batch_free(&b);
}

static void test_reopen_and_future_schema(void **state)
{
    struct fx *f = *state;
    struct store *again = NULL;
    int v;

    assert_int_equal(store_schema_version(f->st, &v), ERR_OK);
    assert_true(v >= 1);
    assert_int_equal(store_open(f->path, &again, &f->err), ERR_OK);
    store_close(again);
    sql(f->path,
        "INSERT INTO schema_migration VALUES (9999, '9999_future.sql', 0);",
        SQLITE_OK);
    assert_int_equal(store_open(f->path, &again, &f->err), ERR_UNSUPPORTED);
    assert_null(again);
    assert_non_null(strstr(buf_cstr(&f->err), "newer"));
}

/* A migration numbered below the newest one a database has (merged from
 * a parallel branch) is still applied at the next open. */
static void test_missing_lower_migration(void **state)
{
    struct fx *f = *state;
    struct store *again = NULL;

    sql(f->path,
        "DROP TABLE session; DROP TABLE app_user; "
        "DELETE FROM schema_migration WHERE version = 3;",
        SQLITE_OK);
    sql(f->path, "SELECT * FROM app_user;", SQLITE_ERROR);
    assert_int_equal(store_open(f->path, &again, &f->err), ERR_OK);
    store_close(again);
    sql(f->path, "SELECT * FROM app_user; SELECT * FROM session;", SQLITE_OK);
}

/* SELECT that fails (integer overflow) unless cond holds. */
#define SQL_ASSERT(cond)                                                      \
    "SELECT CASE WHEN (" cond ") THEN 1 ELSE abs(-9223372036854775807 - 1) "  \
    "END;"

/* Migration 0031 converts 0029's doc_change (rows re-inserted at every
 * change, tombstones among them) into doc_change keyed by document and
 * doc_tomb keyed by seq, every seq kept (a client's cursor stays exact),
 * also two tombstones of the same item id; the next seq handed out is
 * past all of them. */
static void test_doc_change_by_doc(void **state)
{
    struct fx *f = *state;
    struct store *again = NULL;
    int64_t seq = 0;

    sql(f->path,
        "DROP TABLE doc_tomb; DROP TABLE doc_change; "
        "CREATE TABLE doc_change (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
        "item_id INTEGER NOT NULL, kind INTEGER NOT NULL CHECK (kind IN "
        "(0, 1, 2, 3)), day INTEGER NOT NULL, changed_at INTEGER NOT NULL, "
        "platform TEXT, type TEXT, ext_id TEXT, role TEXT); "
        "CREATE UNIQUE INDEX doc_change_doc ON doc_change(item_id, kind, day) "
        "WHERE kind < 2; "
        "INSERT INTO doc_change VALUES (5, 1, 0, 0, 100, NULL, NULL, NULL, "
        "NULL), (6, 2, 2, 0, 110, 'youtube', 'content', 'gone1', 'own'), "
        "(7, 1, 1, 20000, 120, NULL, NULL, NULL, NULL), (9, 2, 2, 0, 130, "
        "'youtube', 'content', 'gone2', 'own'), (11, 3, 3, 20001, 140, "
        "'youtube', 'account', 'acct', 'own'); "
        "DELETE FROM schema_migration WHERE version = 31;",
        SQLITE_OK);
    assert_int_equal(store_open(f->path, &again, &f->err), ERR_OK);
    assert_int_equal(store_doc_last_seq(again, &seq), ERR_OK);
    assert_int_equal(seq, 11);
    store_close(again);
    sql(f->path,
        SQL_ASSERT("(SELECT group_concat(item_id || '/' || kind || '/' || day "
                   "|| '/' || seq || '/' || changed_at, ' ') FROM (SELECT * "
                   "FROM doc_change ORDER BY seq)) = '1/0/0/5/100 "
                   "1/1/20000/7/120'")
        SQL_ASSERT("(SELECT group_concat(seq || '/' || kind || '/' || ext_id, "
                   "' ') FROM (SELECT * FROM doc_tomb ORDER BY seq)) = "
                   "'6/2/gone1 9/2/gone2 11/3/acct'")
        SQL_ASSERT("(SELECT sql FROM sqlite_schema WHERE name = 'doc_change') "
                   "LIKE '%WITHOUT ROWID%'")
        SQL_ASSERT("NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = "
                   "'doc_change')")
        SQL_ASSERT("(SELECT integrity_check FROM pragma_integrity_check) = "
                   "'ok'"),
        SQLITE_OK);
}

/* Migration 0033 moves the collector's memory of refused metrics from
 * 0008's ig_dropped_metric (a database of the release before: that table
 * with rows, 0033 not applied) into dropped_metric with the platform as
 * a column: every row kept as the one platform 0008 knew, the old table
 * gone, and the store's ops read them. */
static enum err drop_cat(void *ud, const char *kind, const char *metric)
{
    char *text = ud;
    size_t n = strlen(text);

    snprintf(text + n, 256 - n, "%s:%s;", kind, metric);
    return ERR_OK;
}

static void test_dropped_metric_moved(void **state)
{
    struct fx *f = *state;
    struct store *again = NULL;
    char text[256] = "";

    sql(f->path,
        "DROP TABLE dropped_metric; "
        "CREATE TABLE ig_dropped_metric (account TEXT NOT NULL, kind TEXT "
        "NOT NULL, metric TEXT NOT NULL, dropped_at INTEGER NOT NULL, "
        "PRIMARY KEY (account, kind, metric)); "
        "INSERT INTO ig_dropped_metric VALUES ('178', 'REELS/VIDEO', "
        "'views', 1000), ('178', 'FEED/IMAGE', 'shares', 900), ('9', "
        "'REELS/VIDEO', 'reach', 800); "
        "DELETE FROM schema_migration WHERE version = 33;",
        SQLITE_OK);
    assert_int_equal(store_open(f->path, &again, &f->err), ERR_OK);
    assert_int_equal(store_dropped_metric_list(again, PLATFORM_INSTAGRAM,
                                               "178", 900, drop_cat, text),
                     ERR_OK);
    assert_string_equal(text, "FEED/IMAGE:shares;REELS/VIDEO:views;");
    text[0] = '\0';
    assert_int_equal(store_dropped_metric_list(again, PLATFORM_YOUTUBE,
                                               "178", 0, drop_cat, text),
                     ERR_OK);
    assert_string_equal(text, "");
    store_close(again);
    sql(f->path,
        SQL_ASSERT("(SELECT group_concat(platform || '/' || account || '/' "
                   "|| kind || '/' || metric || '/' || dropped_at, ' ') "
                   "FROM (SELECT * FROM dropped_metric ORDER BY dropped_at)) "
                   "= 'instagram/9/REELS/VIDEO/reach/800 "
                   "instagram/178/FEED/IMAGE/shares/900 "
                   "instagram/178/REELS/VIDEO/views/1000'")
        SQL_ASSERT("NOT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = "
                   "'ig_dropped_metric')")
        SQL_ASSERT("(SELECT count(*) FROM schema_migration WHERE version = "
                   "33) = 1")
        SQL_ASSERT("(SELECT integrity_check FROM pragma_integrity_check) = "
                   "'ok'"),
        SQLITE_OK);
}

/* Migration 0026: no table lists platform names in a CHECK any more (a
 * new platform needs no migration), the edited schema passes
 * integrity_check, and a name the registry does not know yet is stored
 * (the store writes only registry names; the schema no longer decides).
 * Each check SELECTs abs(INT64_MIN), an integer overflow error, when its
 * condition is false. */
static void test_platform_names_free(void **state)
{
    struct fx *f = *state;
    struct store *again = NULL;

    sql(f->path,
        "SELECT CASE WHEN (SELECT count(*) FROM sqlite_schema WHERE sql "
        "LIKE '%platform IN (%') = 0 THEN 1 ELSE abs(-9223372036854775807 "
        "- 1) END;",
        SQLITE_OK);
    sql(f->path,
        "SELECT CASE WHEN (SELECT count(*) FROM sqlite_schema WHERE sql "
        "LIKE '%platform IN (''youtube''%') = 0 THEN 1 ELSE abs(-9223372036854775807 "
        "- 1) END;",
        SQLITE_OK);
    sql(f->path,
        "SELECT CASE WHEN (SELECT integrity_check FROM pragma_integrity_check) "
        "= 'ok' THEN 1 ELSE abs(-9223372036854775807 - 1) END;",
        SQLITE_OK);
    sql(f->path,
        "INSERT INTO item(platform, type, ext_id, first_seen, updated_at) "
        "VALUES ('newplatform', 'account', 'a1', 1, 1);",
        SQLITE_OK);
    sql(f->path,
        "INSERT INTO item(platform, type, ext_id, first_seen, updated_at) "
        "VALUES ('youtube', 'nonsense', 'a2', 1, 1);",
        SQLITE_CONSTRAINT); /* the other CHECKs are untouched */
    assert_int_equal(store_open(f->path, &again, &f->err), ERR_OK);
    store_close(again);
}

static void test_open_failure(void **state)
{
    struct store *st = NULL;
    struct buf err;
    (void)state;
    buf_init(&err, 1024);
    assert_int_equal(store_open("/nonexistent-dir/x/y.db", &st, &err), ERR_DB);
    assert_null(st);
    assert_non_null(strstr(buf_cstr(&err), "/nonexistent-dir/x/y.db"));
    buf_free(&err);
}

/* Issue 13 defect 11: a new database is 0600 whatever the umask, and its
 * -wal and -shm follow; an existing one others may read is made 0600. */
static void test_open_modes(void **state)
{
    struct fx *f = *state;
    struct store *st = NULL;
    struct buf db, side;
    struct stat sb;
    mode_t old = umask(022);

    buf_init(&db, 4096);
    buf_init(&side, 4096);
    buf_setf(&db, "%s/modes.db", f->dir);
    assert_int_equal(store_open(buf_cstr(&db), &st, &f->err), ERR_OK);
    assert_int_equal(stat(buf_cstr(&db), &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    buf_setf(&side, "%s-wal", buf_cstr(&db));
    assert_int_equal(stat(buf_cstr(&side), &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    buf_setf(&side, "%s-shm", buf_cstr(&db));
    assert_int_equal(stat(buf_cstr(&side), &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    store_close(st);
    assert_int_equal(chmod(buf_cstr(&db), 0644), 0);
    assert_int_equal(store_open(buf_cstr(&db), &st, &f->err), ERR_OK);
    assert_int_equal(stat(buf_cstr(&db), &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    store_close(st);
    umask(old);
    buf_free(&db);
    buf_free(&side);
}

/* Every row of a table, one line each, for comparisons. */
static char *dump(const char *path, const char *query)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    struct buf out;
    buf_init(&out, (size_t)1 << 24);
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

#define DAYS_Q                                                                \
    "SELECT i.ext_id, m.name, d.day, d.first_at, d.first_v, d.last_at, "      \
    "d.last_v, d.gain FROM item_day d JOIN item i ON i.id = d.item_id JOIN "  \
    "metric m ON m.id = d.metric_id ORDER BY 1, 2, 3"
#define ACCT_Q                                                                \
    "SELECT i.ext_id, m.name, d.day, d.gain FROM account_day d JOIN item i "  \
    "ON i.id = d.account_id JOIN metric m ON m.id = d.metric_id "             \
    "ORDER BY 1, 2, 3"

/* One snapshot of views for a video of account "acct". */
static void views_at(struct fx *f, const char *id, int64_t pub, int64_t t,
                     int64_t v)
{
    struct batch b;
    struct ingest_stats s;
    struct item *it;
    batch_init(&b);
    it = batch_item(&b, PLATFORM_YOUTUBE, ITEM_CONTENT, id);
    item_set(&it->account_ext_id, "acct");
    it->published_at = pub;
    assert_int_equal(
        metrics_set_i64(&item_snapshot_at(it, t)->metrics, M_VIEWS, v),
        ERR_OK);
    if (store_ingest(f->st, &b, NULL, &s, &f->err) != ERR_OK)
        fail_msg("%s at %lld: %s", id, (long long)t, buf_cstr(&f->err));
    batch_free(&b);
}

#define DAY 86400
#define D0 (19000 * (int64_t)DAY) /* 2022-01-08, a UTC midnight */

/* The rollups as ingest left them are days and acct (hand-computed),
 * and a rebuild from the raw values gives the same rows. */
static void check_rollups_and_rebuild(struct fx *f, const char *days,
                                      const char *acct)
{
    char *inc_days = dump(f->path, DAYS_Q), *inc_acct = dump(f->path, ACCT_Q);
    char *re_days, *re_acct;

    assert_string_equal(inc_days, days);
    assert_string_equal(inc_acct, acct);
    assert_int_equal(store_rollup_rebuild(f->st, &f->err), ERR_OK);
    re_days = dump(f->path, DAYS_Q);
    re_acct = dump(f->path, ACCT_Q);
    assert_string_equal(re_days, inc_days);
    assert_string_equal(re_acct, inc_acct);
    free(inc_days);
    free(inc_acct);
    free(re_days);
    free(re_acct);
}

/* One snapshot of views, likes and comments (one multi-row statement per
 * table when it is new: the batched same-day rollup rows). */
static void three_at(struct fx *f, const char *id, int64_t pub, int64_t t,
                     int64_t views, int64_t likes, int64_t comments)
{
    struct batch b;
    struct ingest_stats s;
    struct snapshot *sn;
    struct item *it;
    batch_init(&b);
    it = batch_item(&b, PLATFORM_YOUTUBE, ITEM_CONTENT, id);
    item_set(&it->account_ext_id, "acct");
    it->published_at = pub;
    sn = item_snapshot_at(it, t);
    assert_int_equal(metrics_set_i64(&sn->metrics, M_VIEWS, views), ERR_OK);
    assert_int_equal(metrics_set_i64(&sn->metrics, M_LIKES, likes), ERR_OK);
    assert_int_equal(metrics_set_i64(&sn->metrics, M_COMMENTS, comments),
                     ERR_OK);
    if (store_ingest(f->st, &b, NULL, &s, &f->err) != ERR_OK)
        fail_msg("%s at %lld: %s", id, (long long)t, buf_cstr(&f->err));
    batch_free(&b);
}

/* Several metrics per snapshot: the same-day rows of a snapshot are
 * written together; each row moves by its own value (a dip included),
 * and the account's day sums follow; a rebuild gives the same rows. */
static void test_rollups_batched_metrics(void **state)
{
    struct fx *f = *state;

    three_at(f, "m1", D0 + 600, D0 + 3600, 10, 1, 0);
    three_at(f, "m1", D0 + 600, D0 + 2 * 3600, 30, 4, 2);
    three_at(f, "m1", D0 + 600, D0 + 3 * 3600, 70, 3, 5); /* likes dip */
    three_at(f, "m1", D0 + 600, D0 + DAY + 3600, 100, 9, 5);
    three_at(f, "m1", D0 + 600, D0 + DAY + 2 * 3600, 150, 12, 8);
    three_at(f, "m1", D0 + 600, D0 + 3600 + 1800, 20, 2, 1); /* late */
    check_rollups_and_rebuild(f,
                        "m1|comments|19000|1641603600|0|1641610800|5|5\n"
                        "m1|comments|19001|1641690000|5|1641693600|8|3\n"
                        "m1|likes|19000|1641603600|1|1641610800|3|3\n"
                        "m1|likes|19001|1641690000|9|1641693600|12|9\n"
                        "m1|views|19000|1641603600|10|1641610800|70|70\n"
                        "m1|views|19001|1641690000|100|1641693600|150|80\n",
                        "acct|comments|19000|5\n"
                        "acct|comments|19001|3\n"
                        "acct|likes|19000|3\n"
                        "acct|likes|19001|9\n"
                        "acct|views|19000|70\n"
                        "acct|views|19001|80\n");
}

static void test_rollups_incremental_equal_rebuild(void **state)
{
    struct fx *f = *state;

    /* v1: published on day 0 and seen from birth; hourly-ish snapshots,
     * out of order, a gap (day 3 missing) and a dip on day 4. */
    views_at(f, "v1", D0 + 3600, D0 + 2 * 3600, 10);
    views_at(f, "v1", D0 + 3600, D0 + DAY + 5 * 3600, 60);
    views_at(f, "v1", D0 + 3600, D0 + 20 * 3600, 40);
    views_at(f, "v1", D0 + 3600, D0 + 2 * DAY + 3600, 100);
    views_at(f, "v1", D0 + 3600, D0 + 4 * DAY + 3600, 90);   /* dip */
    views_at(f, "v1", D0 + 3600, D0 + DAY + 3600, 50);       /* late, early */
    views_at(f, "v1", D0 + 3600, D0 + 2 * DAY + 7200, 110);  /* late, last */
    /* v2: first seen long after publication: no gain on its first day. */
    views_at(f, "v2", D0 - 30 * DAY, D0 + DAY + 100, 1000);
    views_at(f, "v2", D0 - 30 * DAY, D0 + 2 * DAY + 100, 1500);
    views_at(f, "v2", D0 - 30 * DAY, D0 + 100, 900); /* now day 0 is first */

    /* Hand-computed: v1 day0 last 40 (gain 40 from 0), day1 last 60
     * (+20), day2 last 110 (+50), day4 last 90 (-20, the gap lumped);
     * v2 day0 900 (no gain), day1 1000 (+100), day2 1500 (+500). */
    check_rollups_and_rebuild(f,
                        "v1|views|19000|1641607200|10|1641672000|40|40\n"
                        "v1|views|19001|1641690000|50|1641704400|60|20\n"
                        "v1|views|19002|1641776400|100|1641780000|110|50\n"
                        "v1|views|19004|1641949200|90|1641949200|90|-20\n"
                        "v2|views|19000|1641600100|900|1641600100|900|NULL\n"
                        "v2|views|19001|1641686500|1000|1641686500|1000|100\n"
                        "v2|views|19002|1641772900|1500|1641772900|1500|500\n",
                        "acct|views|19000|40\n"
                        "acct|views|19001|120\n"
                        "acct|views|19002|550\n"
                        "acct|views|19004|-20\n");
}

/* Rollup days in a zone with DST: Europe/Berlin's 2024-03-31 is 23 hours
 * long (from 2024-03-30T23:00Z) and 2024-10-27 is 25 (from
 * 2024-10-26T22:00Z). Snapshots either side of local midnight land on
 * local days; switching the zone regroups them, and it persists. */
#define BERLIN_0330 19812 /* day numbers of local dates */
#define BERLIN_1027 20023
static void test_rollups_in_a_zone_with_dst(void **state)
{
    struct fx *f = *state;
    char *berlin, *utc, *again;
    struct store *st2 = NULL;

    assert_int_equal(store_set_rollup_zone(f->st, "Europe/Berlin", &f->err),
                     ERR_OK);
    assert_int_equal(store_day_of(f->st, 1711839600 - 1), BERLIN_0330);
    assert_int_equal(store_day_of(f->st, 1711839600), BERLIN_0330 + 1);
    assert_int_equal(store_day_start(f->st, BERLIN_0330 + 1), 1711839600);
    assert_int_equal(store_day_start(f->st, BERLIN_0330 + 2),
                     1711839600 + 23 * 3600);
    assert_int_equal(store_day_start(f->st, BERLIN_1027), 1729980000);
    assert_int_equal(store_day_start(f->st, BERLIN_1027 + 1),
                     1729980000 + 25 * 3600);
    assert_int_equal(store_day_of(f->st, 1730070000 - 1), BERLIN_1027);

    /* Published 23:30 local on 03-30; seen at 23:45 and 00:15, 23:59 and
     * 00:01 local. */
    views_at(f, "v1", 1711837800, 1711838700, 5);
    views_at(f, "v1", 1711837800, 1711840500, 25);
    views_at(f, "v1", 1711837800, 1711922340, 70);
    views_at(f, "v1", 1711837800, 1711922460, 100);
    berlin = dump(f->path, DAYS_Q);
    assert_string_equal(berlin,
                        "v1|views|19812|1711838700|5|1711838700|5|5\n"
                        "v1|views|19813|1711840500|25|1711922340|70|65\n"
                        "v1|views|19814|1711922460|100|1711922460|100|30\n");
    assert_int_equal(store_rollup_rebuild(f->st, &f->err), ERR_OK);
    again = dump(f->path, DAYS_Q);
    assert_string_equal(again, berlin);
    free(again);

    /* The same snapshots by UTC days: 22:45Z and 23:15Z share 03-30. */
    assert_int_equal(store_set_rollup_zone(f->st, "UTC", &f->err), ERR_OK);
    utc = dump(f->path, DAYS_Q);
    assert_string_equal(utc,
                        "v1|views|19812|1711838700|5|1711840500|25|25\n"
                        "v1|views|19813|1711922340|70|1711922460|100|75\n");

    /* An unknown zone changes nothing. */
    assert_int_equal(store_set_rollup_zone(f->st, "Not/AZone", &f->err),
                     ERR_NOTFOUND);
    assert_string_equal(tz_name(store_rollup_zone(f->st)), "UTC");
    again = dump(f->path, DAYS_Q);
    assert_string_equal(again, utc);
    free(again);

    /* The zone is the database's: another handle opened later has it. */
    assert_int_equal(store_set_rollup_zone(f->st, "Europe/Berlin", &f->err),
                     ERR_OK);
    assert_int_equal(store_open(f->path, &st2, &f->err), ERR_OK);
    assert_string_equal(tz_name(store_rollup_zone(st2)), "Europe/Berlin");
    assert_int_equal(store_day_of(st2, 1711839600), BERLIN_0330 + 1);
    store_close(st2);
    again = dump(f->path, DAYS_Q);
    assert_string_equal(again, berlin);
    free(again);
    free(berlin);
    free(utc);
}

/* The data generation rises with every ingest and rollup rebuild, and
 * is the database's, so another handle sees it. */
static void test_generation(void **state)
{
    struct fx *f = *state;
    struct store *st2 = NULL;
    int64_t g0, g1, g2, g3;

    assert_int_equal(store_generation(f->st, &g0), ERR_OK);
    assert_int_equal(g0, 0);
    views_at(f, "v1", D0, D0 + 3600, 10);
    assert_int_equal(store_generation(f->st, &g1), ERR_OK);
    assert_true(g1 > g0);
    assert_int_equal(store_rollup_rebuild(f->st, &f->err), ERR_OK);
    assert_int_equal(store_generation(f->st, &g2), ERR_OK);
    assert_true(g2 > g1);
    assert_int_equal(store_open(f->path, &st2, &f->err), ERR_OK);
    views_at(f, "v1", D0, D0 + 7200, 20);
    assert_int_equal(store_generation(st2, &g3), ERR_OK);
    assert_true(g3 > g2);
    store_close(st2);
}

/* store_refresh keeps the generation it read (serve's one read per
 * request): unknown before the first refresh, then what the database
 * held at the last one, including another handle's writes. */
static void test_refreshed_generation(void **state)
{
    struct fx *f = *state;
    struct store *st2 = NULL;
    int64_t g, want;

    assert_int_equal(store_open(f->path, &st2, &f->err), ERR_OK);
    assert_false(store_refreshed_generation(st2, &g));
    assert_int_equal(store_refresh(st2), ERR_OK);
    assert_true(store_refreshed_generation(st2, &g));
    assert_int_equal(g, 0);
    views_at(f, "v1", D0, D0 + 3600, 10); /* written through the other */
    assert_true(store_refreshed_generation(st2, &g));
    assert_int_equal(g, 0); /* as of the refresh */
    assert_int_equal(store_refresh(st2), ERR_OK);
    assert_int_equal(store_generation(f->st, &want), ERR_OK);
    assert_true(store_refreshed_generation(st2, &g));
    assert_true(want > 0);
    assert_int_equal(g, want);
    store_close(st2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ingest_and_read_back, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_never_overwrites, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_sort_filter, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ambiguous_and_sole_account,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_and_future_schema, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_missing_lower_migration, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_platform_names_free, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_dropped_metric_moved, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_doc_change_by_doc, setup,
                                        teardown),
        cmocka_unit_test(test_open_failure),
        cmocka_unit_test_setup_teardown(test_open_modes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollups_batched_metrics, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rollups_incremental_equal_rebuild,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollups_in_a_zone_with_dst,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_generation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refreshed_generation, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
