/* The SQLite backend's ingest (store_ingest): one BEGIN IMMEDIATE
 * transaction per batch; items created or refreshed, snapshots keyed by
 * item and observed_at, values append-only (a value already stored is
 * kept and counted as same or conflicting), the rollups and their state
 * brought up to date before the commit (store_sqlite_rollup.c, _first.c,
 * _views_day.c), the data generation raised. On any error the
 * transaction is rolled back and the handle's caches are dropped. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "store/store_sqlite.h"

#define S sqlite_store_of

static void metric_cache_put(struct sqlite_store *s, const char *name,
                             int64_t id)
{
    s->metric_names = xgrow(s->metric_names, &s->metrics_cap,
                            s->metrics_n + 1, sizeof *s->metric_names);
    s->metric_ids = xgrow(s->metric_ids, &s->metric_ids_cap,
                          s->metrics_n + 1, sizeof *s->metric_ids);
    s->metric_names[s->metrics_n] = xstrdup(name);
    s->metric_ids[s->metrics_n++] = id;
    if (strcmp(name, M_VIEWS) == 0)
        s->views_mid = id;
}

static int bind_i64_or_null(sqlite3_stmt *st, int i, int64_t v, int64_t none)
{
    if (v == none)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_int64(st, i, v);
}

struct ingest {
    struct sqlite_store *s;
    const struct import_meta *meta;
    struct ingest_stats *stats;
    struct buf *err;
    int64_t import_id; /* 0: none */
    int64_t now;
    int64_t doc_seq0;  /* doc_change's largest seq when ingest began */
    bool item_written; /* item_write changed the row of the item */
};

static enum err step_done(struct ingest *in, sqlite3_stmt *st,
                          const char *what)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        return sqlite_fail(in->s, in->err, what);
    return ERR_OK;
}

static enum err import_begin(struct ingest *in)
{
    const struct import_meta *m = in->meta;
    sqlite3_stmt *st;

    if (m == NULL)
        return ERR_OK;
    if (m->digest != NULL) {
        st = sqlite_use(in->s, S_IMPORT_FIND);
        sqlite3_bind_text(st, 1, m->digest, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            struct buf when;
            buf_init(&when, 64);
            if (time_format_iso8601(sqlite3_column_int64(st, 0), &when) !=
                ERR_OK)
                buf_setf(&when, "an unknown time");
            buf_setf(in->err, "already imported at %s (as %s)",
                     buf_cstr(&when),
                     (const char *)sqlite3_column_text(st, 1)
                         ? (const char *)sqlite3_column_text(st, 1)
                         : "?");
            buf_free(&when);
            return ERR_EXISTS;
        }
    }
    st = sqlite_use(in->s, S_IMPORT_ADD);
    if (sqlite_bind_text_or_null(st, 1, m->digest) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 2, m->source) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 3, m->format) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, m->imported_at) != SQLITE_OK)
        return sqlite_fail(in->s, in->err, "recording import");
    if (step_done(in, st, "recording import") != ERR_OK)
        return ERR_DB;
    in->import_id = sqlite3_last_insert_rowid(in->s->db);
    return ERR_OK;
}

/* Look an item up; out->id is 0 when there is none. */
static enum err item_find(struct sqlite_store *s, enum platform p,
                          enum item_type t, const char *ext_id,
                          struct rollup_item *out)
{
    sqlite3_stmt *st = sqlite_use(s, S_ITEM_FIND);
    int r;
    *out = (struct rollup_item){0, 0, TIME_NONE};
    sqlite3_bind_text(st, 1, platform_name(p), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, item_type_name(t), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ext_id, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        out->account_id = sqlite3_column_int64(st, 1);
        if (sqlite3_column_type(st, 2) != SQLITE_NULL)
            out->published_at = sqlite3_column_int64(st, 2);
    } else if (r != SQLITE_DONE) {
        return ERR_DB;
    }
    return ERR_OK;
}

/* Bind the descriptive fields shared by S_ITEM_ADD (from ?first) and
 * S_ITEM_UPDATE; account_id 0 binds NULL. */
static int bind_item_fields(sqlite3_stmt *st, int first, const struct item *it,
                            int64_t account_id)
{
    int rc = bind_i64_or_null(st, first, account_id, 0);
    if (rc == SQLITE_OK)
        rc = sqlite_bind_text_or_null(st, first + 1, it->kind);
    if (rc == SQLITE_OK)
        rc = sqlite_bind_text_or_null(st, first + 2, it->handle);
    if (rc == SQLITE_OK)
        rc = sqlite_bind_text_or_null(st, first + 3, it->title);
    if (rc == SQLITE_OK)
        rc = sqlite_bind_text_or_null(st, first + 4, it->description);
    if (rc == SQLITE_OK)
        rc = sqlite_bind_text_or_null(st, first + 5, it->url);
    if (rc == SQLITE_OK)
        rc = sqlite_bind_text_or_null(st, first + 6, it->thumbnail_url);
    if (rc == SQLITE_OK)
        rc = bind_i64_or_null(st, first + 7, it->published_at, TIME_NONE);
    if (rc == SQLITE_OK)
        rc = bind_i64_or_null(st, first + 8, it->duration_s, -1);
    return rc;
}

#define ITEM_FIELDS_MAX 1024 /* longer field sets are not cached */

/* account_id and the descriptive fields of it, serialized into f (a
 * NULL string is a 0 byte, any other one 1, its bytes and a NUL).
 * ERR_OK when they fit f's maximum. */
static enum err item_fields(struct buf *f, const struct item *it,
                            int64_t account_id)
{
    const char *const str[] = {it->kind,          it->handle, it->title,
                               it->description,   it->url,
                               it->thumbnail_url, it->tags};
    const int64_t num[] = {account_id, it->published_at, it->duration_s};
    enum err rc = buf_append(f, num, sizeof num);

    for (size_t i = 0; i < sizeof str / sizeof *str && rc == ERR_OK; i++) {
        rc = buf_putc(f, str[i] ? 1 : 0);
        if (rc == ERR_OK && str[i] != NULL)
            rc = buf_append(f, str[i], strlen(str[i]) + 1);
    }
    return rc;
}

static enum err item_write(struct ingest *in, const struct item *it,
                           int64_t account_id, struct rollup_item *out);

/* Create or refresh the row of it (a row that would not change is not
 * written: the item cache knows the fields last applied); *out = its id,
 * owner and publication time as stored now. */
static enum err item_put(struct ingest *in, const struct item *it,
                         int64_t account_id, struct rollup_item *out)
{
    struct item_entry *e =
        item_cache_get(&in->s->items, it->platform, it->type, it->ext_id);
    struct buf f;
    bool fits;
    enum err rc = ERR_OK;

    buf_init(&f, ITEM_FIELDS_MAX);
    fits = item_fields(&f, it, account_id) == ERR_OK;
    if (e != NULL && fits && e->fields != NULL && e->fields_len == f.len &&
        memcmp(e->fields, f.data, f.len) == 0) {
        *out = e->ri; /* the same fields again: the row stays as it is */
        in->stats->items_seen++;
        goto out;
    }
    if (e != NULL) {
        *out = e->ri;
    } else if (item_find(in->s, it->platform, it->type, it->ext_id, out) !=
               ERR_OK) {
        rc = sqlite_fail(in->s, in->err, "looking up item");
        goto out;
    }
    rc = item_write(in, it, account_id, out);
    if (rc == ERR_OK)
        item_cache_put(&in->s->items, it->platform, it->type, it->ext_id,
                       out, fits ? f.data : NULL, f.len);
out:
    buf_free(&f);
    return rc;
}

/* Add or update the row of it; *out holds the stored row's id, owner
 * and publication time (id 0: none) and is updated to the new ones. */
static enum err item_write(struct ingest *in, const struct item *it,
                           int64_t account_id, struct rollup_item *out)
{
    sqlite3_stmt *st;
    enum err rc;

    if (account_id != 0)
        out->account_id = account_id;
    if (it->published_at != TIME_NONE) {
        /* The first week moved with it (a new item has no rows yet). */
        if (out->id != 0 && it->published_at != out->published_at)
            sqlite_first_mark_item(in->s, out->id, it->published_at);
        out->published_at = it->published_at;
    }
    if (out->id != 0) {
        st = sqlite_use(in->s, S_ITEM_UPDATE);
        if (sqlite3_bind_int64(st, 1, out->id) != SQLITE_OK ||
            bind_item_fields(st, 2, it, account_id) != SQLITE_OK ||
            sqlite3_bind_int64(st, 11, in->now) != SQLITE_OK)
            return sqlite_fail(in->s, in->err, "updating item");
        in->stats->items_seen++;
        rc = step_done(in, st, "updating item");
        if (rc == ERR_OK) {
            bool changed = sqlite3_changes(in->s->db) > 0;
            if (changed)
                in->item_written = true;
            if (it->type == ITEM_CONTENT)
                rc = sqlite_search_upkeep(in->s, out->id, it->tags, false,
                                          changed, in->err);
        }
        return rc;
    }
    st = sqlite_use(in->s, S_ITEM_ADD);
    if (sqlite3_bind_text(st, 1, platform_name(it->platform), -1,
                          SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, item_type_name(it->type), -1,
                          SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, it->ext_id, -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        bind_item_fields(st, 4, it, account_id) != SQLITE_OK ||
        sqlite3_bind_int64(st, 13, in->now) != SQLITE_OK)
        return sqlite_fail(in->s, in->err, "adding item");
    rc = step_done(in, st, "adding item");
    if (rc != ERR_OK)
        return rc;
    out->id = sqlite3_last_insert_rowid(in->s->db);
    in->stats->items_new++;
    in->item_written = true;
    return it->type == ITEM_CONTENT
               ? sqlite_search_upkeep(in->s, out->id, it->tags, true, true,
                                      in->err)
               : ERR_OK;
}

/* The id of the account a content item belongs to, creating a bare
 * account row when the batch did not describe it. 0 when unknown. */
static enum err owner_id(struct ingest *in, const struct item *it,
                         int64_t *out)
{
    struct rollup_item acct;
    struct item *bare;
    enum err rc;

    const struct item_entry *e;

    *out = 0;
    if (it->type != ITEM_CONTENT || it->account_ext_id == NULL)
        return ERR_OK;
    e = item_cache_get(&in->s->items, it->platform, ITEM_ACCOUNT,
                       it->account_ext_id);
    if (e != NULL) {
        *out = e->ri.id;
        return ERR_OK;
    }
    rc = item_find(in->s, it->platform, ITEM_ACCOUNT, it->account_ext_id,
                   &acct);
    if (rc != ERR_OK)
        return sqlite_fail(in->s, in->err, "looking up account");
    if (acct.id != 0) /* fields unknown: its own put still writes them */
        item_cache_put(&in->s->items, it->platform, ITEM_ACCOUNT,
                       it->account_ext_id, &acct, NULL, 0);
    if (acct.id == 0) {
        bare = item_create(it->platform, ITEM_ACCOUNT, it->account_ext_id);
        rc = item_put(in, bare, 0, &acct);
        item_destroy(bare);
        if (rc == ERR_OK &&
            sqlite_doc_mark(in->s, acct.id, STORE_DOC_ITEM, 0, in->now,
                            in->doc_seq0) != ERR_OK)
            rc = sqlite_fail(in->s, in->err, "marking documents");
    }
    *out = acct.id;
    return rc;
}

static enum err metric_id(struct ingest *in, const char *name, int64_t *out)
{
    struct sqlite_store *s = in->s;
    sqlite3_stmt *st;

    for (size_t i = 0; i < s->metrics_n; i++)
        if (strcmp(s->metric_names[i], name) == 0) {
            *out = s->metric_ids[i];
            return ERR_OK;
        }
    st = sqlite_use(s, S_METRIC_FIND);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
    } else {
        st = sqlite_use(s, S_METRIC_ADD);
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        if (step_done(in, st, "adding metric") != ERR_OK)
            return ERR_DB;
        *out = sqlite3_last_insert_rowid(s->db);
    }
    metric_cache_put(s, name, *out);
    return ERR_OK;
}

static int bind_value(sqlite3_stmt *st, int i, const struct metric *m)
{
    int rc;
    if (m->is_real) {
        rc = sqlite3_bind_null(st, i);
        return rc == SQLITE_OK ? sqlite3_bind_double(st, i + 1, m->r) : rc;
    }
    rc = sqlite3_bind_int64(st, i, m->i);
    return rc == SQLITE_OK ? sqlite3_bind_null(st, i + 1) : rc;
}

/* A value already stored for this snapshot and metric: count it as the
 * same or conflicting; it is kept either way (history is never
 * overwritten). */
static enum err value_seen(struct ingest *in, int64_t snap_id, int64_t mid,
                           const struct metric *m)
{
    sqlite3_stmt *st = sqlite_use(in->s, S_VALUE_FIND);
    bool same;
    sqlite3_bind_int64(st, 1, snap_id);
    sqlite3_bind_int64(st, 2, mid);
    if (sqlite3_step(st) != SQLITE_ROW)
        return sqlite_fail(in->s, in->err, "reading value");
    same = m->is_real ? sqlite3_column_type(st, 1) == SQLITE_FLOAT &&
                            sqlite3_column_double(st, 1) == m->r
                      : sqlite3_column_type(st, 0) == SQLITE_INTEGER &&
                            sqlite3_column_int64(st, 0) == m->i;
    if (same)
        in->stats->values_same++;
    else
        in->stats->values_conflict++;
    return ERR_OK;
}

/* Keep item_latest and the rollups in step with a new value. */
/* The latest stored value of (item, metric): from the cache, or read
 * (and cached). NULL when there is none. */
static struct latest_entry *latest_of(struct ingest *in, int64_t item,
                                      int64_t mid)
{
    struct latest_entry *e = latest_get(&in->s->latest, item, mid), fresh;
    sqlite3_stmt *st;

    if (e != NULL)
        return e;
    st = sqlite_use(in->s, S_LATEST_GET);
    sqlite3_bind_int64(st, 1, item);
    sqlite3_bind_int64(st, 2, mid);
    if (sqlite3_step(st) != SQLITE_ROW)
        return NULL;
    fresh.item_id = item;
    fresh.metric_id = mid;
    fresh.t = sqlite3_column_int64(st, 0);
    fresh.v = sqlite3_column_int64(st, 1);
    fresh.is_int = sqlite3_column_type(st, 1) == SQLITE_INTEGER;
    fresh.day = sqlite_rollup_day(in->s, fresh.t);
    fresh.day_gain = -1;
    return latest_put(&in->s->latest, &fresh);
}

static enum err value_derive(struct ingest *in, const struct rollup_item *ri,
                             int64_t mid, int64_t t, const struct metric *m,
                             struct value_rows *defer)
{
    struct latest_entry *cached = latest_of(in, ri->id, mid), next;
    struct latest_entry prev = {0, 0, 0, 0, 0, -1, false};
    bool has_prev = cached != NULL;
    sqlite3_stmt *st;
    enum err rc = ERR_OK;

    /* A copy: the cache may be cleared or moved below. */
    if (has_prev)
        prev = *cached;
    next = (struct latest_entry){ri->id, mid, t, m->i,
                                 sqlite_rollup_day(in->s, t), -1, !m->is_real};
    if (!m->is_real && (!has_prev || (prev.is_int && t > prev.t))) {
        next.day_gain = has_prev && prev.day == next.day ? prev.day_gain : -1;
        rc = sqlite_rollup_append(in->s, ri, mid, has_prev,
                                  has_prev ? prev.t : 0, has_prev ? prev.v : 0,
                                  t, m->i, &next.day_gain,
                                  defer, in->err);
    } else if (!m->is_real) {
        /* An older value: rollups of later days may move; forget them. */
        latest_drop(&in->s->latest, ri->id, mid);
        rc = sqlite_rollup_add(in->s, ri, mid, t, m->i, in->err);
    }
    if (rc == ERR_OK && !m->is_real)
        sqlite_first_mark(in->s, ri, m->name, t);
    if (rc != ERR_OK || (has_prev && t < prev.t))
        return rc;
    latest_put(&in->s->latest, &next);
    /* Known to exist (the cache is dropped on rollback and when another
     * writer was seen) and not newer than t: a plain UPDATE, one seek,
     * where the upsert tries an INSERT first. */
    st = sqlite_use(in->s, has_prev ? S_LATEST_SET : S_LATEST_UPSERT);
    if (sqlite3_bind_int64(st, 1, ri->id) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, mid) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, t) != SQLITE_OK ||
        bind_value(st, 4, m) != SQLITE_OK)
        return sqlite_fail(in->s, in->err, "updating latest values");
    return step_done(in, st, "updating latest values");
}

#define SQL_VALUE_IMPORT                                                      \
    "INSERT OR IGNORE INTO value_import(snapshot_id, metric_id, import_id) "  \
    "VALUES (?1, ?2, ?3)"

/* Record that this import added metric mid to snapshot snap_id, which
 * another import stored (migration 0012), so that removing either import
 * takes out only its own values. Rare: prepared per call. */
static enum err value_import_note(struct ingest *in, int64_t snap_id,
                                  int64_t mid)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (sqlite3_prepare_v2(in->s->db, SQL_VALUE_IMPORT, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, snap_id) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, mid) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, in->import_id) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(in->s, in->err, "recording a value's import");
    sqlite3_finalize(st);
    return rc;
}

/* Add one value to snapshot snap_id unless one is stored already.
 * foreign: the snapshot is another import's (note the value's import). */
static enum err value_put(struct ingest *in, const struct rollup_item *ri,
                          int64_t snap_id, int64_t observed_at,
                          const struct metric *m, bool foreign)
{
    sqlite3_stmt *st;
    int64_t mid;
    enum err rc = metric_id(in, m->name, &mid);

    if (rc != ERR_OK)
        return rc;
    st = sqlite_use(in->s, S_VALUE_ADD);
    if (sqlite3_bind_int64(st, 1, snap_id) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, mid) != SQLITE_OK ||
        bind_value(st, 3, m) != SQLITE_OK ||
        step_done(in, st, "adding value") != ERR_OK)
        return sqlite_fail(in->s, in->err, "adding value");
    if (sqlite3_changes(in->s->db) == 0)
        return value_seen(in, snap_id, mid, m);
    in->stats->values_new++;
    if (foreign && in->import_id != 0) {
        rc = value_import_note(in, snap_id, mid);
        if (rc != ERR_OK)
            return rc;
    }
    return value_derive(in, ri, mid, observed_at, m, NULL);
}

/* The values of a new snapshot sid (so none is stored yet), when there
 * are 2 to VALUES_ROWS_MAX of distinct metrics: one multi-row INSERT.
 * *done false: not taken, add them one by one. */
static enum err values_put_new(struct ingest *in, const struct rollup_item *ri,
                               int64_t sid, const struct snapshot *snap,
                               bool *done)
{
    size_t n = snap->metrics.n;
    int64_t mid[VALUES_ROWS_MAX];
    struct value_rows defer = {0, {0}, {0}}; /* the same-day rollups */
    sqlite3_stmt *st;
    enum err rc = ERR_OK;

    *done = false;
    if (n < 2 || n > VALUES_ROWS_MAX)
        return ERR_OK;
    for (size_t i = 0; i < n; i++) {
        rc = metric_id(in, snap->metrics.v[i].name, &mid[i]);
        if (rc != ERR_OK)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (mid[j] == mid[i])
                return ERR_OK; /* a metric twice: the first one counts */
    }
    st = sqlite_use(in->s, (enum stmt_id)(S_VALUES_ADD2 + (int)n - 2));
    for (size_t i = 0; i < n; i++) {
        int k = (int)i * 4;
        if (sqlite3_bind_int64(st, k + 1, sid) != SQLITE_OK ||
            sqlite3_bind_int64(st, k + 2, mid[i]) != SQLITE_OK ||
            bind_value(st, k + 3, &snap->metrics.v[i]) != SQLITE_OK)
            return sqlite_fail(in->s, in->err, "adding values");
    }
    if (step_done(in, st, "adding values") != ERR_OK)
        return ERR_DB;
    *done = true;
    in->stats->values_new += n;
    for (size_t i = 0; i < n && rc == ERR_OK; i++)
        rc = value_derive(in, ri, mid[i], snap->observed_at,
                          &snap->metrics.v[i], &defer);
    if (rc == ERR_OK)
        rc = sqlite_rollup_append_flush(in->s, ri->id, snap->observed_at,
                                        &defer, in->err);
    return rc;
}

static enum err snapshot_put(struct ingest *in, const struct rollup_item *ri,
                             const struct snapshot *snap)
{
    bool done = false;
    int64_t item_id = ri->id;
    sqlite3_stmt *st;
    int64_t sid = 0;
    bool foreign = false;
    enum err rc = ERR_OK;

    if (snap->metrics.n == 0)
        return ERR_OK; /* an empty snapshot says nothing */
    st = sqlite_use(in->s, S_SNAP_ADD);
    if (sqlite3_bind_int64(st, 1, item_id) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, snap->observed_at) != SQLITE_OK ||
        bind_i64_or_null(st, 3, in->import_id, 0) != SQLITE_OK ||
        step_done(in, st, "adding snapshot") != ERR_OK)
        return sqlite_fail(in->s, in->err, "adding snapshot");
    if (sqlite3_changes(in->s->db) > 0) {
        sid = sqlite3_last_insert_rowid(in->s->db);
        in->stats->snapshots_new++;
        rc = values_put_new(in, ri, sid, snap, &done);
        if (rc != ERR_OK || done)
            return rc;
    } else { /* already there: merge new metrics into it */
        st = sqlite_use(in->s, S_SNAP_FIND);
        sqlite3_bind_int64(st, 1, item_id);
        sqlite3_bind_int64(st, 2, snap->observed_at);
        if (sqlite3_step(st) != SQLITE_ROW)
            return sqlite_fail(in->s, in->err, "reading snapshot");
        sid = sqlite3_column_int64(st, 0);
        foreign = sqlite3_column_int64(st, 1) != in->import_id;
    }
    for (size_t i = 0; i < snap->metrics.n && rc == ERR_OK; i++)
        rc = value_put(in, ri, sid, snap->observed_at,
                       &snap->metrics.v[i], foreign);
    return rc;
}

/* Documents (migration 0029): the item's own one when a value of
 * snapshot snap was new, and the daily summary of its account's day. */
static enum err snapshot_doc_mark(struct ingest *in,
                                  const struct rollup_item *ri,
                                  const struct snapshot *snap)
{
    int64_t acct = snap->item->type == ITEM_ACCOUNT ? ri->id : ri->account_id;
    enum err rc = sqlite_doc_mark(in->s, ri->id, STORE_DOC_ITEM, 0, in->now,
                                  in->doc_seq0);
    if (rc == ERR_OK && acct != 0)
        rc = sqlite_doc_mark(in->s, acct, STORE_DOC_DAY,
                             sqlite_rollup_day(in->s, snap->observed_at),
                             in->now, in->doc_seq0);
    return rc == ERR_OK ? rc : sqlite_fail(in->s, in->err, "marking documents");
}

static enum err ingest_item(struct ingest *in, const struct item *it)
{
    struct rollup_item ri = {0, 0, TIME_NONE};
    int64_t account_id;
    enum err rc = owner_id(in, it, &account_id);
    in->item_written = false;
    if (rc == ERR_OK)
        rc = item_put(in, it, account_id, &ri);
    if (rc == ERR_OK && it->tracked) {
        sqlite3_stmt *st = sqlite_use(in->s, S_ITEM_TRACKED);
        sqlite3_bind_int64(st, 1, ri.id);
        rc = step_done(in, st, "marking item tracked");
    }
    if (rc == ERR_OK && in->item_written &&
        sqlite_doc_mark(in->s, ri.id, STORE_DOC_ITEM, 0, in->now,
                        in->doc_seq0) != ERR_OK)
        rc = sqlite_fail(in->s, in->err, "marking documents");
    for (size_t i = 0; i < it->nsnaps && rc == ERR_OK; i++) {
        size_t before = in->stats->values_new;
        rc = snapshot_put(in, &ri, it->snaps[i]);
        if (rc == ERR_OK && in->stats->values_new > before)
            rc = snapshot_doc_mark(in, &ri, it->snaps[i]);
    }
    return rc;
}

/* Roles of the items this ingest added (ids above first_new), per
 * import_meta.foreign_tracked; content takes its account's role. */
#define SQL_ROLE_FOREIGN                                                      \
    "UPDATE item SET role = 'tracked' WHERE id > ?1 AND type = 'account' "    \
    "AND EXISTS (SELECT 1 FROM item o WHERE o.platform = item.platform AND "  \
    "o.type = 'account' AND o.role = 'own' AND o.id <= ?1)"
#define SQL_ROLE_FIRST_TRACKED                                                \
    "SELECT coalesce(min(id), 0) FROM item WHERE id > ?1 AND "                \
    "type = 'account' AND role = 'tracked'"
#define SQL_ROLE_CONTENT                                                      \
    "UPDATE item SET role = (SELECT a.role FROM item a WHERE "                \
    "a.id = item.account_id) WHERE id > ?1 AND type = 'content' AND "         \
    "account_id IS NOT NULL AND role IS NOT (SELECT a.role FROM item a "      \
    "WHERE a.id = item.account_id)"
#define SQL_MAX_ITEM "SELECT coalesce(max(id), 0) FROM item"
#define SQL_ITEM_IMPORT "UPDATE item SET import_id = ?2 WHERE id > ?1"

/* Run sql with ?1 = v; *out (may be NULL): the first column of its first
 * row (0 when none). */
static enum err run_i64(struct ingest *in, const char *sql, int64_t v,
                        int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int r = SQLITE_ERROR;
    enum err rc = ERR_OK;

    if (out != NULL)
        *out = 0;
    if (sqlite3_prepare_v2(in->s->db, sql, -1, &st, NULL) == SQLITE_OK &&
        (sqlite3_bind_parameter_count(st) == 0 ||
         sqlite3_bind_int64(st, 1, v) == SQLITE_OK))
        r = sqlite3_step(st);
    if (r == SQLITE_ROW && out != NULL)
        *out = sqlite3_column_int64(st, 0);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        rc = sqlite_fail(in->s, in->err, "setting roles");
    sqlite3_finalize(st);
    return rc;
}

/* Record this import as the creator of the items it added. */
static enum err item_import_set(struct ingest *in, int64_t first_new)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (sqlite3_prepare_v2(in->s->db, SQL_ITEM_IMPORT, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, first_new) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, in->import_id) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(in->s, in->err, "recording the items' import");
    sqlite3_finalize(st);
    return rc;
}

static enum err roles_set(struct ingest *in, int64_t first_new)
{
    enum err rc = ERR_OK;

    if (in->meta != NULL && in->meta->foreign_tracked) {
        rc = run_i64(in, SQL_ROLE_FOREIGN, first_new, NULL);
        if (rc == ERR_OK)
            in->stats->accounts_tracked =
                (size_t)sqlite3_changes(in->s->db);
        if (rc == ERR_OK && in->stats->accounts_tracked > 0)
            rc = run_i64(in, SQL_ROLE_FIRST_TRACKED, first_new,
                         &in->stats->tracked_id);
    }
    if (rc == ERR_OK)
        rc = run_i64(in, SQL_ROLE_CONTENT, first_new, NULL);
    if (rc == ERR_OK && in->import_id != 0)
        rc = item_import_set(in, first_new);
    return rc;
}

static enum err ingest_all(struct ingest *in, const struct batch *b)
{
    int64_t first_new = 0;
    enum err rc = import_begin(in);

    if (rc == ERR_OK && sqlite_doc_seq(in->s, &in->doc_seq0) != ERR_OK)
        rc = sqlite_fail(in->s, in->err, "reading documents");

    if (rc == ERR_OK)
        rc = run_i64(in, SQL_MAX_ITEM, 0, &first_new);
    /* Accounts first, so content rows can point at them. */
    for (int pass = 0; pass < 2 && rc == ERR_OK; pass++) {
        enum item_type want = pass == 0 ? ITEM_ACCOUNT : ITEM_CONTENT;
        for (size_t i = 0; i < b->n && rc == ERR_OK; i++)
            if (b->items[i]->type == want)
                rc = ingest_item(in, b->items[i]);
    }
    if (rc == ERR_OK)
        rc = roles_set(in, first_new);
    if (rc == ERR_OK)
        rc = sqlite_links_put(in->s, b, in->now, in->err);
    if (rc == ERR_OK)
        rc = sqlite_rollup_flush(in->s, in->err);
    if (rc == ERR_OK)
        rc = sqlite_first_flush(in->s, in->err);
    if (rc == ERR_OK)
        rc = sqlite_vday_flush(in->s, in->err);
    if (rc == ERR_OK && in->import_id != 0) {
        sqlite3_stmt *st = sqlite_use(in->s, S_IMPORT_COUNT);
        sqlite3_bind_int64(st, 1, in->import_id);
        sqlite3_bind_int64(st, 2, (int64_t)in->stats->snapshots_new);
        sqlite3_bind_int64(st, 3, (int64_t)b->n);
        sqlite3_bind_int64(st, 4, (int64_t)in->stats->values_new);
        rc = step_done(in, st, "recording import");
    }
    return rc;
}

/* Another connection may have written since our last transaction: then
 * the cached latest values may be stale. Inside BEGIN IMMEDIATE no one
 * else can write until we commit. */
static void check_data_version(struct sqlite_store *s)
{
    sqlite3_stmt *st = sqlite_use(s, S_DATA_VERSION);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0)
                                               : -1;
    sqlite3_reset(st);
    if (v != s->data_version || v < 0) {
        latest_clear(&s->latest);
        item_cache_clear(&s->items);
    }
    s->data_version = v;
}

enum err sq_ingest(struct store *st, const struct batch *b,
                   const struct import_meta *meta, struct ingest_stats *out,
                   struct buf *err)
{
    struct ingest in = {S(st), meta, out, err, 0, time_now(), 0, false};
    enum err rc;

    memset(out, 0, sizeof *out);
    rc = sqlite_exec(in.s, "BEGIN IMMEDIATE", err);
    if (rc != ERR_OK)
        return rc;
    check_data_version(in.s);
    rc = ingest_all(&in, b);
    if (rc == ERR_OK)
        rc = step_done(&in, sqlite_use(in.s, S_GEN_BUMP),
                       "bumping the data generation");
    sqlite_reset_all(in.s);
    if (rc == ERR_OK)
        rc = sqlite_exec(in.s, "COMMIT", err);
    if (rc != ERR_OK) {
        sqlite_rollback(in.s);
        sqlite_metric_cache_clear(in.s);
        latest_clear(&in.s->latest);
        item_cache_clear(&in.s->items);
        sqlite_rollup_discard(in.s);
        sqlite_first_discard(in.s);
        sqlite_vday_discard(in.s);
        memset(out, 0, sizeof *out);
        return rc;
    }
    out->import_id = in.import_id;
    return ERR_OK;
}
