/* Reads of the PostgreSQL backend from the event store: listings, item
 * history, exports, the imports list. The same rows in the same order as
 * the SQLite side (store_sqlite_query.c): text compares and sorts under
 * COLLATE "C" (bytes, as SQLite's BINARY, whatever the database's
 * collation), lower() of ASCII only (as SQLite's). */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "store/pg/pg_rollup.h"
#include "store/pg/store_pg.h"

/* Columns every item read selects, in this order (see item_from_row). */
#define ITEM_COLUMNS                                                          \
    "i.id, i.platform, i.type, i.ext_id, a.ext_id, i.kind, i.handle, "        \
    "i.title, i.description, i.url, i.thumbnail_url, i.published_at, "       \
    "i.duration_s, i.removed_last_seen, i.role"

#define LOWER(x) "lower(" x " COLLATE \"C\")"
/* role ($r: "own", "tracked" or NULL) is the last parameter: $7 in a
 * listing, $4 in the count */
#define ITEM_FILTER_ROLE(r)                                                   \
    " FROM item i LEFT JOIN item a ON a.id = i.account_id "                   \
    "WHERE i.type = $1 AND ($2::text IS NULL OR i.platform = $2) "            \
    "AND ($3::text IS NULL OR strpos(" LOWER("coalesce(i.title, '')")        \
    ", " LOWER("$3") ") > 0 OR strpos(i.ext_id, $3) > 0 "                     \
    "OR strpos(" LOWER("coalesce(i.handle, '')") ", " LOWER("$3") ") > 0) "  \
    "AND (" r "::text IS NULL OR i.role = " r ")"
#define ITEM_FILTER ITEM_FILTER_ROLE("$7")
#define METRIC_KEY                                                            \
    "(SELECT coalesce(l.rval, l.ival) FROM item_latest l WHERE "              \
    "l.item_id = i.id AND l.metric_id = (SELECT id FROM metric WHERE "        \
    "name = $4))"
/* Every listing takes the same seven parameters (the role last); $4 (the sort metric) is
 * named in each so that its type is known where the key does not use it. */
#define LIST(dir, key)                                                        \
    "SELECT " ITEM_COLUMNS ITEM_FILTER " AND $4::text IS NOT DISTINCT FROM "  \
    "$4 ORDER BY " key " " dir " NULLS LAST, i.id LIMIT $5 OFFSET $6"

PG_STMT(pg_q_list_pub_desc, 7, LIST("DESC", "i.published_at"));
PG_STMT(pg_q_list_pub_asc, 7, LIST("ASC", "i.published_at"));
PG_STMT(pg_q_list_metric_desc, 7, LIST("DESC", METRIC_KEY));
PG_STMT(pg_q_list_metric_asc, 7, LIST("ASC", METRIC_KEY));
PG_STMT(pg_q_list_title_desc, 7, LIST("DESC", LOWER("i.title")));
PG_STMT(pg_q_list_title_asc, 7, LIST("ASC", LOWER("i.title")));
PG_STMT(pg_q_count, 4, "SELECT count(*)" ITEM_FILTER_ROLE("$4"));
PG_STMT(pg_q_latest_of_item, 1,
        "SELECT m.name, l.observed_at, l.ival, l.rval FROM item_latest l "
        "JOIN metric m ON m.id = l.metric_id WHERE l.item_id = $1 "
        "ORDER BY m.name COLLATE \"C\"");
/* The latest values of many items in one round trip (a listing's page,
 * or every content item for "vs typical"), by item then metric. */
PG_STMT(pg_q_latest_of_items, 1,
        "SELECT l.item_id, m.name, l.observed_at, l.ival, l.rval FROM "
        "item_latest l JOIN metric m ON m.id = l.metric_id WHERE "
        "l.item_id = ANY($1::bigint[]) ORDER BY l.item_id, "
        "m.name COLLATE \"C\"");
PG_STMT(pg_q_resolve, 2,
        "SELECT " ITEM_COLUMNS " FROM item i LEFT JOIN item a ON "
        "a.id = i.account_id WHERE i.ext_id = $1 AND ($2::text IS NULL OR "
        "i.platform = $2) ORDER BY i.id");
PG_STMT(pg_q_by_id, 1,
        "SELECT " ITEM_COLUMNS " FROM item i LEFT JOIN item a ON "
        "a.id = i.account_id WHERE i.id = $1");
/* The observed_at of the newest snapshot in [$2, $3) left out by a limit
 * of $4. */
PG_STMT(pg_q_history_cut, 4,
        "SELECT observed_at FROM snapshot WHERE item_id = $1 AND "
        "observed_at >= $2 AND observed_at < $3 ORDER BY observed_at DESC "
        "LIMIT 1 OFFSET $4");
PG_STMT(pg_q_history, 3,
        "SELECT s.id, s.observed_at, m.name, v.ival, v.rval FROM snapshot s "
        "JOIN snapshot_value v ON v.snapshot_id = s.id JOIN metric m ON "
        "m.id = v.metric_id WHERE s.item_id = $1 AND s.observed_at >= $2 "
        "AND s.observed_at < $3 ORDER BY s.observed_at, m.name COLLATE \"C\"");
PG_STMT(pg_q_export, 3,
        "SELECT i.platform, CASE WHEN i.type = 'account' THEN i.ext_id ELSE "
        "a.ext_id END, CASE WHEN i.type = 'content' THEN i.ext_id END, "
        "s.observed_at, m.name, v.ival, v.rval FROM snapshot s "
        "JOIN item i ON i.id = s.item_id LEFT JOIN item a ON a.id = "
        "i.account_id JOIN snapshot_value v ON v.snapshot_id = s.id "
        "JOIN metric m ON m.id = v.metric_id "
        "WHERE ($1::text IS NULL OR i.platform = $1) AND ($2::bigint IS NULL "
        "OR s.observed_at >= $2) AND ($3::bigint IS NULL OR "
        "s.observed_at < $3) "
        "ORDER BY s.item_id, s.observed_at, m.name COLLATE \"C\"");
PG_STMT(pg_q_imports, 0,
        "SELECT id, digest, source, format, imported_at, items, snapshots, "
        "vals FROM import ORDER BY id DESC");
PG_STMT(pg_q_audit, 0,
        "SELECT id, at, who, action, what FROM audit ORDER BY id DESC");
PG_STMT(pg_q_sole_account, 1,
        "SELECT ext_id FROM item WHERE platform = $1 AND type = 'account' "
        "AND role = 'own' LIMIT 2");

/* The item of row k, or NULL when its platform is not one this build
 * knows (or a column is not what it should be). */
static struct item *item_from_row(const PGresult *r, int k)
{
    enum platform p;
    const char *type = pg_text(r, k, 2);
    struct item *it;

    if (pg_text(r, k, 1) == NULL || type == NULL || pg_text(r, k, 3) == NULL ||
        platform_from_name(pg_text(r, k, 1), &p) != ERR_OK)
        return NULL;
    it = item_create(p, strcmp(type, "account") == 0 ? ITEM_ACCOUNT
                                                     : ITEM_CONTENT,
                     pg_text(r, k, 3));
    it->id = pg_i64_or(r, k, 0, 0);
    item_set(&it->account_ext_id, pg_text(r, k, 4));
    item_set(&it->kind, pg_text(r, k, 5));
    item_set(&it->handle, pg_text(r, k, 6));
    item_set(&it->title, pg_text(r, k, 7));
    item_set(&it->description, pg_text(r, k, 8));
    item_set(&it->url, pg_text(r, k, 9));
    item_set(&it->thumbnail_url, pg_text(r, k, 10));
    it->published_at = pg_i64_or(r, k, 11, TIME_NONE);
    it->duration_s = pg_i64_or(r, k, 12, it->duration_s);
    it->removed_last_seen = pg_i64_or(r, k, 13, it->removed_last_seen);
    it->tracked = pg_text(r, k, 14) != NULL &&
                  strcmp(pg_text(r, k, 14), "tracked") == 0;
    return it;
}

/* Set a metric from columns ival (c) and rval (c + 1) of row k. */
static enum err metric_from_row(const PGresult *r, int k, int c,
                                const char *name, struct metrics *m)
{
    int64_t v;
    double d;

    if (name == NULL)
        return ERR_DB;
    if (!pg_null(r, k, c + 1)) {
        if (parse_double(pg_text(r, k, c + 1), &d) != ERR_OK)
            return ERR_DB;
        return metrics_set_real(m, name, d);
    }
    if (pg_i64(r, k, c, &v) != ERR_OK)
        return ERR_DB;
    return metrics_set_i64(m, name, v);
}

/* Attach one snapshot holding the latest value of every metric, from
 * rows [from, to) of r: the metric's name in column c, then observed_at,
 * ival and rval. */
static enum err latest_from_rows(struct item *it, const PGresult *r,
                                 int from, int to, int c)
{
    struct metrics m;
    int64_t newest = TIME_NONE;
    enum err rc = ERR_OK;

    metrics_init(&m);
    for (int k = from; rc == ERR_OK && k < to; k++) {
        int64_t t = pg_i64_or(r, k, c + 1, TIME_NONE);
        if (t > newest)
            newest = t;
        rc = metric_from_row(r, k, c + 2, pg_text(r, k, c), &m);
    }
    if (rc == ERR_OK && m.n > 0) {
        struct snapshot *snap = item_snapshot_at(it, newest);
        snap->metrics = m;
        metrics_init(&m);
    }
    metrics_free(&m);
    return rc;
}

/* Attach one snapshot holding the latest value of every metric. */
static enum err attach_latest(struct store_pg *s, struct item *it)
{
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_i64(&p, it->id);
    rc = pg_run(s, &pg_q_latest_of_item, &p, &r, "reading latest values",
                NULL);
    if (rc == ERR_OK)
        rc = latest_from_rows(it, r, 0, PQntuples(r), 0);
    PQclear(r);
    return rc;
}

/* The latest values of every item of listing r (ids in column 0) in one
 * statement: *out sorted by item id, NULL when r is empty. One round
 * trip for a page where there was one per item: at a few hundred items
 * (every content item for "vs typical") the round trips were most of the
 * listing's time on PostgreSQL (bench/README.md, session 13). */
static enum err latest_of_rows(struct store_pg *s, const PGresult *r,
                               PGresult **out, struct buf *err)
{
    int n = PQntuples(r);
    struct pg_params p;
    struct buf ids;
    enum err rc = ERR_OK;

    *out = NULL;
    if (n == 0)
        return ERR_OK;
    buf_init(&ids, (size_t)n * 24 + 16);
    pg_arr_start(&ids);
    for (int k = 0; k < n && rc == ERR_OK; k++)
        rc = pg_arr_i64(&ids, pg_i64_or(r, k, 0, 0));
    if (rc == ERR_OK)
        rc = pg_arr_end(&ids);
    if (rc != ERR_OK)
        buf_setf(err, "reading latest values: too many items");
    pg_p_init(&p);
    pg_p_text(&p, buf_cstr(&ids));
    if (rc == ERR_OK)
        rc = pg_run(s, &pg_q_latest_of_items, &p, out,
                    "reading latest values", err);
    buf_free(&ids);
    return rc;
}

/* Attach the rows of latest (sorted by item id in column 0) that are
 * it's: found by bisection, then read while the id is the same. */
static enum err attach_latest_of(struct item *it, const PGresult *latest)
{
    int lo = 0, hi = latest != NULL ? PQntuples(latest) : 0, end;

    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (pg_i64_or(latest, mid, 0, 0) < it->id)
            lo = mid + 1;
        else
            hi = mid;
    }
    end = lo;
    while (latest != NULL && end < PQntuples(latest) &&
           pg_i64_or(latest, end, 0, 0) == it->id)
        end++;
    return latest_from_rows(it, latest, lo, end, 1);
}

static void query_params(struct pg_params *p, const struct item_query *q)
{
    pg_p_init(p);
    pg_p_text(p, item_type_name(q->type));
    pg_p_text(p, q->platform >= 0 ? platform_name(q->platform) : NULL);
    pg_p_text(p, q->search != NULL && *q->search ? q->search : NULL);
}

static const struct pg_stmt *list_stmt(const struct item_query *q)
{
    switch (q->sort) {
    case SORT_METRIC:
        return q->ascending ? &pg_q_list_metric_asc : &pg_q_list_metric_desc;
    case SORT_TITLE:
        return q->ascending ? &pg_q_list_title_asc : &pg_q_list_title_desc;
    case SORT_DEFAULT:
    case SORT_PUBLISHED:
    default:
        return q->ascending ? &pg_q_list_pub_asc : &pg_q_list_pub_desc;
    }
}

enum err pg_list_items(struct store *st, const struct item_query *q,
                       store_item_fn fn, void *ud, struct buf *err)
{
    struct store_pg *s = pg_of(st);
    struct pg_params p;
    PGresult *r = NULL, *latest = NULL;
    enum err rc;

    if ((unsigned)q->sort > SORT_TITLE ||
        (q->sort == SORT_METRIC && q->sort_metric == NULL))
        return ERR_INVALID;
    query_params(&p, q);
    pg_p_text(&p, q->sort == SORT_METRIC ? q->sort_metric : NULL);
    if (q->limit > 0)
        pg_p_i64(&p, q->limit);
    else
        pg_p_null(&p); /* LIMIT NULL: no limit */
    pg_p_i64(&p, q->offset > 0 ? q->offset : 0);
    pg_p_text(&p, q->role);
    rc = pg_run(s, list_stmt(q), &p, &r, "listing items", err);
    if (rc == ERR_OK)
        rc = latest_of_rows(s, r, &latest, err);
    for (int k = 0; rc == ERR_OK && k < PQntuples(r); k++) {
        struct item *it = item_from_row(r, k);
        if (it == NULL)
            continue; /* a platform this build does not know */
        rc = attach_latest_of(it, latest);
        if (rc == ERR_OK)
            rc = fn(ud, it);
        item_destroy(it);
    }
    PQclear(latest);
    PQclear(r);
    return rc;
}

enum err pg_count_items(struct store *st, const struct item_query *q,
                        int64_t *out)
{
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;

    *out = 0;
    query_params(&p, q);
    pg_p_text(&p, q->role);
    rc = pg_run(pg_of(st), &pg_q_count, &p, &r, "counting items", NULL);
    if (rc == ERR_OK && pg_i64(r, 0, 0, out) != ERR_OK)
        rc = ERR_DB;
    PQclear(r);
    return rc;
}

/* Split "platform:ext_id" (platform optional). *ext borrowed from ref. */
static void split_ref(const char *ref, int *platform, const char **ext)
{
    const char *colon = strchr(ref, ':');
    *platform = -1;
    *ext = ref;
    if (colon != NULL) {
        char name[16];
        enum platform p;
        size_t n = (size_t)(colon - ref);
        if (n < sizeof name) {
            memcpy(name, ref, n);
            name[n] = '\0';
            if (platform_from_name(name, &p) == ERR_OK) {
                *platform = (int)p;
                *ext = colon + 1;
            }
        }
    }
}

static enum err resolve_ref(struct store_pg *s, const char *ref,
                            struct item **out, struct buf *err)
{
    struct pg_params p;
    PGresult *r = NULL;
    const char *ext;
    int platform, n = 0;
    enum err rc;

    *out = NULL;
    split_ref(ref, &platform, &ext);
    pg_p_init(&p);
    pg_p_text(&p, ext);
    pg_p_text(&p, platform >= 0 ? platform_name(platform) : NULL);
    rc = pg_run(s, &pg_q_resolve, &p, &r, "looking up item", err);
    if (rc != ERR_OK)
        return rc;
    buf_setf(err, "\"%s\" names several items:", ref);
    for (int k = 0; k < PQntuples(r); k++) {
        enum platform known;
        if (platform_from_name(pg_text(r, k, 1), &known) != ERR_OK)
            continue; /* a platform this build does not know */
        buf_catf(err, " %s:%s (%s)", pg_text(r, k, 1), pg_text(r, k, 3),
                 pg_text(r, k, 2));
        if (n++ == 0)
            *out = item_from_row(r, k);
    }
    PQclear(r);
    if (n == 0 || (n == 1 && *out == NULL)) {
        buf_setf(err, "no item \"%s\" (try 'mediadash content')", ref);
        rc = ERR_NOTFOUND;
    } else if (n > 1) {
        rc = ERR_AMBIGUOUS;
    }
    if (rc != ERR_OK) {
        item_destroy(*out);
        *out = NULL;
    }
    return rc;
}

/* Raise *since past the snapshots q->limit leaves out; *truncated says
 * whether there were any. */
static enum err history_cut(struct store_pg *s, int64_t item_id,
                            const struct history_query *q, int64_t *since,
                            bool *truncated, struct buf *err)
{
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;

    *truncated = false;
    if (q->limit <= 0)
        return ERR_OK;
    pg_p_init(&p);
    pg_p_i64(&p, item_id);
    pg_p_i64(&p, *since);
    pg_p_i64(&p, q->until == TIME_NONE ? INT64_MAX : q->until);
    pg_p_i64(&p, q->limit);
    rc = pg_run(s, &pg_q_history_cut, &p, &r, "reading snapshots", err);
    if (rc == ERR_OK && PQntuples(r) > 0) {
        int64_t t;
        if (pg_i64(r, 0, 0, &t) != ERR_OK) {
            rc = ERR_DB;
        } else {
            *since = t + 1;
            *truncated = true;
        }
    }
    PQclear(r);
    return rc;
}

static enum err load_snapshots(struct store_pg *s, struct item *it,
                               int64_t since, int64_t until, struct buf *err)
{
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_i64(&p, it->id);
    pg_p_i64(&p, since);
    pg_p_i64(&p, until);
    rc = pg_run(s, &pg_q_history, &p, &r, "reading snapshots", err);
    for (int k = 0; rc == ERR_OK && k < PQntuples(r); k++) {
        int64_t t, id;
        struct snapshot *snap;
        if (pg_i64(r, k, 1, &t) != ERR_OK || pg_i64(r, k, 0, &id) != ERR_OK) {
            rc = ERR_DB;
            break;
        }
        snap = item_snapshot_at(it, t);
        snap->id = id;
        rc = metric_from_row(r, k, 3, pg_text(r, k, 2), &snap->metrics);
    }
    if (rc == ERR_DB && buf_cstr(err)[0] == '\0')
        buf_setf(err, "reading snapshots: a malformed row");
    PQclear(r);
    return rc;
}

enum err pg_item_history(struct store *st, const char *ref,
                         const struct history_query *q, struct item **out,
                         bool *truncated, struct buf *err)
{
    struct store_pg *s = pg_of(st);
    struct item *it = NULL;
    int64_t since = q->since == TIME_NONE ? INT64_MIN : q->since;
    int64_t until = q->until == TIME_NONE ? INT64_MAX : q->until;
    bool cut = false;
    enum err rc = resolve_ref(s, ref, &it, err);

    *out = NULL;
    if (rc != ERR_OK)
        return rc;
    buf_reset(err);
    rc = history_cut(s, it->id, q, &since, &cut, err);
    if (rc == ERR_OK)
        rc = load_snapshots(s, it, since, until, err);
    if (rc != ERR_OK) {
        item_destroy(it);
        return rc;
    }
    if (truncated != NULL)
        *truncated = cut;
    *out = it;
    return ERR_OK;
}

static enum err export_row(const PGresult *r, int k, store_row_fn fn,
                           void *ud)
{
    struct export_row row;
    enum platform p;

    if (platform_from_name(pg_text(r, k, 0), &p) != ERR_OK)
        return ERR_OK; /* a platform this build does not know */
    row.platform = p;
    row.account_ext_id = pg_text(r, k, 1);
    row.content_ext_id = pg_text(r, k, 2);
    row.metric = pg_text(r, k, 4);
    row.is_real = !pg_null(r, k, 6);
    row.i = 0;
    row.r = 0;
    if (pg_i64(r, k, 3, &row.observed_at) != ERR_OK || row.metric == NULL ||
        (row.is_real ? parse_double(pg_text(r, k, 6), &row.r)
                     : pg_i64(r, k, 5, &row.i)) != ERR_OK)
        return ERR_DB;
    return fn(ud, &row);
}

enum err pg_export_values(struct store *st, const struct export_query *q,
                          store_row_fn fn, void *ud, struct buf *err)
{
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_text(&p, q->platform >= 0 ? platform_name(q->platform) : NULL);
    if (q->since != TIME_NONE)
        pg_p_i64(&p, q->since);
    else
        pg_p_null(&p);
    if (q->until != TIME_NONE)
        pg_p_i64(&p, q->until);
    else
        pg_p_null(&p);
    rc = pg_run(pg_of(st), &pg_q_export, &p, &r, "exporting", err);
    for (int k = 0; rc == ERR_OK && k < PQntuples(r); k++)
        rc = export_row(r, k, fn, ud);
    PQclear(r);
    return rc;
}

enum err pg_item_by_id(struct store *st, int64_t id, struct item **out)
{
    struct store_pg *s = pg_of(st);
    struct pg_params p;
    PGresult *r = NULL;
    struct item *it = NULL;
    enum err rc;

    *out = NULL;
    pg_p_init(&p);
    pg_p_i64(&p, id);
    rc = pg_run(s, &pg_q_by_id, &p, &r, "reading item", NULL);
    if (rc == ERR_OK && PQntuples(r) == 0)
        rc = ERR_NOTFOUND;
    if (rc == ERR_OK) {
        it = item_from_row(r, 0);
        rc = it != NULL ? attach_latest(s, it) : ERR_NOTFOUND;
    }
    PQclear(r);
    if (rc != ERR_OK) {
        item_destroy(it);
        return rc;
    }
    *out = it;
    return ERR_OK;
}

enum err pg_imports_list(struct store *st, store_import_fn fn, void *ud)
{
    PGresult *r = NULL;
    enum err rc = pg_run(pg_of(st), &pg_q_imports, NULL, &r,
                         "listing imports", NULL);

    for (int k = 0; rc == ERR_OK && k < PQntuples(r); k++) {
        struct store_import im = {
            pg_i64_or(r, k, 0, 0), pg_text(r, k, 1), pg_text(r, k, 2),
            pg_text(r, k, 3),      pg_i64_or(r, k, 4, 0),
            pg_i64_or(r, k, 5, 0), pg_i64_or(r, k, 6, 0),
            pg_i64_or(r, k, 7, 0)};
        rc = fn(ud, &im);
    }
    PQclear(r);
    return rc;
}

enum err pg_sole_account(struct store *st, enum platform p, char **out)
{
    struct pg_params pp;
    PGresult *r = NULL;
    enum err rc;

    *out = NULL;
    pg_p_init(&pp);
    pg_p_text(&pp, platform_name(p));
    rc = pg_run(pg_of(st), &pg_q_sole_account, &pp, &r, "reading accounts",
                NULL);
    if (rc == ERR_OK && PQntuples(r) == 1 && pg_text(r, 0, 0) != NULL)
        *out = xstrdup(pg_text(r, 0, 0));
    PQclear(r);
    return rc;
}

enum err pg_audit_list(struct store *st, store_audit_fn fn, void *ud)
{
    PGresult *r = NULL;
    enum err rc = pg_run(pg_of(st), &pg_q_audit, NULL, &r, "listing audit",
                         NULL);

    for (int k = 0; rc == ERR_OK && k < PQntuples(r); k++) {
        struct store_audit a = {pg_i64_or(r, k, 0, 0), pg_i64_or(r, k, 1, 0),
                                pg_text(r, k, 2), pg_text(r, k, 3),
                                pg_text(r, k, 4)};
        if (a.who == NULL || a.action == NULL || a.what == NULL)
            rc = ERR_DB;
        else
            rc = fn(ud, &a);
    }
    PQclear(r);
    return rc;
}
