/* The PostgreSQL backend's ingest (store_ingest): one transaction per
 * batch holding pg_advisory_xact_lock(PG_INGEST_LOCK), so that ingests
 * from several processes run one after the other as on SQLite (BEGIN
 * IMMEDIATE) and every "look up, else add" below is safe; items created
 * or refreshed (a NULL field never blanks a stored one), snapshots keyed
 * by item and observed_at, values append-only (a value already stored is
 * kept and counted as same or conflicting), item_latest kept, roles and
 * the import's counts set, the generation raised. On any error the
 * transaction is rolled back: nothing of the batch stays.
 *
 * The statements do not grow with the batch (round trips are the cost
 * on a busy machine): the ids of every item it names and the stored
 * snapshots of its existing items are read once at the start, the
 * existing items' refreshes and the new snapshots with their values and
 * latest values are gathered and written once each (arrays through
 * unnest); what stays per row is a new item's INSERT (its id is needed
 * next, and ids keep SQLite's order), a tracked item's role and a stored
 * snapshot's values (a re-import).
 *
 * The daily rollups are brought in step before the commit, by one call
 * (pg_rollup.c) with what the batch touched; the search index, item
 * links and documents are kept by pg_rest_ingest (pg_rest.c), called
 * once after it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "store/pg/pg_ops.h"
#include "store/pg/pg_rollup.h"
#include "store/pg/store_pg.h"

PG_STMT(pg_ing_lock, 0, "SELECT pg_advisory_xact_lock(" PG_INGEST_LOCK ")");
PG_STMT(pg_ing_import_find, 1,
        "SELECT imported_at, source FROM import WHERE digest = $1");
PG_STMT(pg_ing_import_add, 4,
        "INSERT INTO import(digest, source, format, imported_at) "
        "VALUES ($1, $2, $3, $4) RETURNING id");
PG_STMT(pg_ing_import_count, 4,
        "UPDATE import SET snapshots = $2, items = $3, vals = $4 "
        "WHERE id = $1");
PG_STMT(pg_ing_item_find, 3,
        "SELECT id FROM item WHERE platform = $1 AND type = $2 AND "
        "ext_id = $3");
/* The ids of the items stored under the keys $1..$3 (u.ord: 1-based). */
PG_STMT(pg_ing_item_find_many, 3,
        "SELECT u.ord, i.id FROM unnest($1::text[], $2::text[], $3::text[]) "
        "WITH ORDINALITY AS u(pl, ty, ext, ord) JOIN item i ON "
        "i.platform = u.pl AND i.type = u.ty AND i.ext_id = u.ext");
PG_STMT(pg_ing_item_add, 13,
        "INSERT INTO item(platform, type, ext_id, account_id, kind, handle, "
        "title, description, url, thumbnail_url, published_at, duration_s, "
        "first_seen, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
        "$9, $10, $11, $12, $13, $13) RETURNING id");
/* The batch's existing items refreshed ($1 ids, $2..$10 the fields,
 * NULL: keep; $11 now), a row written only when a field changes. */
PG_STMT(pg_ing_item_update_many, 11,
        "UPDATE item SET account_id = coalesce(u.a, item.account_id), "
        "kind = coalesce(u.k, item.kind), handle = coalesce(u.h, item.handle), "
        "title = coalesce(u.ti, item.title), "
        "description = coalesce(u.de, item.description), "
        "url = coalesce(u.ur, item.url), "
        "thumbnail_url = coalesce(u.th, item.thumbnail_url), "
        "published_at = coalesce(u.pu, item.published_at), "
        "duration_s = coalesce(u.du, item.duration_s), updated_at = $11 "
        "FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], "
        "$5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[], "
        "$10::bigint[]) AS u(id, a, k, h, ti, de, ur, th, pu, du) "
        "WHERE item.id = u.id AND ("
        "u.a IS DISTINCT FROM item.account_id AND u.a IS NOT NULL OR "
        "u.k IS DISTINCT FROM item.kind AND u.k IS NOT NULL OR "
        "u.h IS DISTINCT FROM item.handle AND u.h IS NOT NULL OR "
        "u.ti IS DISTINCT FROM item.title AND u.ti IS NOT NULL OR "
        "u.de IS DISTINCT FROM item.description AND u.de IS NOT NULL OR "
        "u.ur IS DISTINCT FROM item.url AND u.ur IS NOT NULL OR "
        "u.th IS DISTINCT FROM item.thumbnail_url AND u.th IS NOT NULL OR "
        "u.pu IS DISTINCT FROM item.published_at AND u.pu IS NOT NULL OR "
        "u.du IS DISTINCT FROM item.duration_s AND u.du IS NOT NULL)");
PG_STMT(pg_ing_item_tracked, 1,
        "UPDATE item SET role = 'tracked' WHERE (id = $1 OR "
        "account_id = $1) AND role <> 'tracked'");
PG_STMT(pg_ing_metric_find, 1, "SELECT id FROM metric WHERE name = $1");
PG_STMT(pg_ing_metric_add, 1,
        "INSERT INTO metric(name) VALUES ($1) RETURNING id");
PG_STMT(pg_ing_value_find, 2,
        "SELECT ival, rval FROM snapshot_value WHERE snapshot_id = $1 AND "
        "metric_id = $2");
PG_STMT(pg_ing_value_add, 4,
        "INSERT INTO snapshot_value(snapshot_id, metric_id, ival, rval) "
        "VALUES ($1, $2, $3, $4)");
/* The stored snapshots of the batch's items that existed before it, by
 * item ($1) and time ($2): their ids and imports (0: none). */
PG_STMT(pg_ing_snap_find_many, 2,
        "SELECT s.item_id, s.observed_at, s.id, coalesce(s.import_id, 0) "
        "FROM unnest($1::bigint[], $2::bigint[]) AS u(i, t) JOIN snapshot s "
        "ON s.item_id = u.i AND s.observed_at = u.t");
/* The batch's new snapshots ($1 items, $2 times, $3 the import), their
 * values ($4 items, $5 times, $6 metrics, $7 integers, $8 reals) and the
 * latest values (the latest of each item and metric of the batch, kept
 * when not older than the stored one) in one statement. */
PG_STMT(pg_ing_fresh_many, 8,
        "WITH s AS (INSERT INTO snapshot(item_id, observed_at, import_id) "
        "SELECT u.i, u.t, $3 FROM unnest($1::bigint[], $2::bigint[]) WITH "
        "ORDINALITY AS u(i, t, o) ORDER BY u.o "
        "RETURNING id, item_id, observed_at), "
        "u AS (SELECT * FROM unnest($4::bigint[], $5::bigint[], "
        "$6::bigint[], $7::bigint[], $8::double precision[]) "
        "AS u(it, t, m, i, r)), "
        "v AS (INSERT INTO snapshot_value(snapshot_id, metric_id, ival, rval) "
        "SELECT s.id, u.m, u.i, u.r FROM u JOIN s ON s.item_id = u.it AND "
        "s.observed_at = u.t) "
        "INSERT INTO item_latest(item_id, metric_id, observed_at, ival, rval) "
        "SELECT DISTINCT ON (it, m) it, m, t, i, r FROM u "
        "ORDER BY it, m, t DESC "
        "ON CONFLICT (item_id, metric_id) "
        "DO UPDATE SET observed_at = excluded.observed_at, "
        "ival = excluded.ival, rval = excluded.rval "
        "WHERE excluded.observed_at >= item_latest.observed_at");
PG_STMT(pg_ing_value_import, 3,
        "INSERT INTO value_import(snapshot_id, metric_id, import_id) "
        "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
PG_STMT(pg_ing_latest, 5,
        "INSERT INTO item_latest(item_id, metric_id, observed_at, ival, "
        "rval) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (item_id, metric_id) "
        "DO UPDATE SET observed_at = excluded.observed_at, "
        "ival = excluded.ival, rval = excluded.rval "
        "WHERE excluded.observed_at >= item_latest.observed_at");
PG_STMT(pg_ing_max_item, 0, "SELECT coalesce(max(id), 0) FROM item");
PG_STMT(pg_ing_role_foreign, 1,
        "UPDATE item SET role = 'tracked' WHERE id > $1 AND "
        "type = 'account' AND EXISTS (SELECT 1 FROM item o WHERE "
        "o.platform = item.platform AND o.type = 'account' AND "
        "o.role = 'own' AND o.id <= $1)");
PG_STMT(pg_ing_role_first, 1,
        "SELECT coalesce(min(id), 0) FROM item WHERE id > $1 AND "
        "type = 'account' AND role = 'tracked'");
PG_STMT(pg_ing_role_content, 1,
        "UPDATE item SET role = a.role FROM item a WHERE item.id > $1 AND "
        "item.type = 'content' AND a.id = item.account_id AND "
        "item.role IS DISTINCT FROM a.role");
PG_STMT(pg_ing_item_import, 2,
        "UPDATE item SET import_id = $2 WHERE id > $1");
PG_STMT(pg_ing_gen_bump, 0,
        "UPDATE mediadash_setting SET value = (value::bigint + 1)::text "
        "WHERE key = 'generation'");

/* An item key of the batch (ext borrowed from it) and its stored id (0:
 * none yet). */
struct ikey {
    enum platform platform;
    enum item_type type;
    const char *ext;
    int64_t id;
};

/* A stored snapshot of an item of the batch. */
struct isnap {
    int64_t item, t, id, import_id;
};

/* Metric ids kept per batch (more names are looked up each time). */
#define INGEST_METRICS_MAX 64

struct ingest {
    struct store_pg *s;
    const struct import_meta *meta;
    struct ingest_stats *stats;
    struct buf *err;
    int64_t import_id; /* 0: none */
    int64_t now;
    struct pg_touched touched; /* for the rollups */
    /* Metric ids looked up in this batch (names borrowed from it). */
    const char *mname[INGEST_METRICS_MAX];
    int64_t mid[INGEST_METRICS_MAX];
    size_t nmetric;
    /* Every item key the batch looks up (its items and its content's
     * accounts), sorted, read in one statement (ids_prefetch). */
    struct ikey *keys;
    size_t nkeys;
    /* The stored snapshots of the batch's items (snaps_prefetch), sorted
     * by item and time. */
    struct isnap *snaps;
    size_t nsnaps;
    /* The batch's new snapshots (item, time) and their values (item,
     * time, metric, integer, real), written together (fresh_flush). */
    struct buf fs[2], fv[5];
    size_t nfresh;
    /* The batch's existing items' refreshes (pg_ing_item_update_many),
     * written together (updates_flush). */
    struct buf up[10];
    size_t nup;
};

/* Run st and read the first column of its first row into *out (0 when
 * there is no row; *found says which, when not NULL). */
static enum err run_i64(struct ingest *in, const struct pg_stmt *st,
                        const struct pg_params *p, const char *what,
                        int64_t *out, bool *found)
{
    PGresult *r = NULL;
    enum err rc = pg_run(in->s, st, p, &r, what, in->err);

    *out = 0;
    if (found != NULL)
        *found = false;
    if (rc == ERR_OK && PQntuples(r) > 0) {
        if (pg_i64(r, 0, 0, out) != ERR_OK) {
            buf_setf(in->err, "%s: not an integer", what);
            rc = ERR_DB;
        } else if (found != NULL) {
            *found = true;
        }
    }
    PQclear(r);
    return rc;
}

static void p_i64_or_null(struct pg_params *p, int64_t v, int64_t none)
{
    if (v == none)
        pg_p_null(p);
    else
        pg_p_i64(p, v);
}

static enum err import_begin(struct ingest *in)
{
    const struct import_meta *m = in->meta;
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;

    if (m == NULL)
        return ERR_OK;
    if (m->digest != NULL) {
        pg_p_init(&p);
        pg_p_text(&p, m->digest);
        rc = pg_run(in->s, &pg_ing_import_find, &p, &r, "looking up import",
                    in->err);
        if (rc == ERR_OK && PQntuples(r) > 0) {
            struct buf when;
            buf_init(&when, 64);
            if (time_format_iso8601(pg_i64_or(r, 0, 0, 0), &when) != ERR_OK)
                buf_setf(&when, "an unknown time");
            buf_setf(in->err, "already imported at %s (as %s)",
                     buf_cstr(&when),
                     pg_text(r, 0, 1) ? pg_text(r, 0, 1) : "?");
            buf_free(&when);
            rc = ERR_EXISTS;
        }
        PQclear(r);
        if (rc != ERR_OK)
            return rc;
    }
    pg_p_init(&p);
    pg_p_text(&p, m->digest);
    pg_p_text(&p, m->source);
    pg_p_text(&p, m->format);
    pg_p_i64(&p, m->imported_at);
    return run_i64(in, &pg_ing_import_add, &p, "recording import",
                   &in->import_id, NULL);
}

static void item_params(struct pg_params *p, const struct item *it,
                        int64_t account_id)
{
    p_i64_or_null(p, account_id, 0);
    pg_p_text(p, it->kind);
    pg_p_text(p, it->handle);
    pg_p_text(p, it->title);
    pg_p_text(p, it->description);
    pg_p_text(p, it->url);
    pg_p_text(p, it->thumbnail_url);
    p_i64_or_null(p, it->published_at, TIME_NONE);
    p_i64_or_null(p, it->duration_s, -1);
}

static int ikey_cmp(const void *a, const void *b)
{
    const struct ikey *x = a, *y = b;
    if (x->platform != y->platform)
        return x->platform < y->platform ? -1 : 1;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    return strcmp(x->ext, y->ext);
}

static struct ikey *ikey_of(struct ingest *in, const struct item *it)
{
    struct ikey k = {it->platform, it->type, it->ext_id, 0};

    if (in->nkeys == 0)
        return NULL;
    return bsearch(&k, in->keys, in->nkeys, sizeof k, ikey_cmp);
}

/* The batch's keys, sorted and each once, as the arrays of
 * pg_ing_item_find_many. */
static enum err keys_arrays(struct ingest *in, const struct batch *b,
                            struct buf a[3])
{
    size_t k = 0;
    enum err rc = ERR_OK;

    in->keys = xcalloc(2 * b->n + 1, sizeof *in->keys);
    for (size_t i = 0; i < b->n; i++) {
        const struct item *it = b->items[i];
        in->keys[in->nkeys++] = (struct ikey){it->platform, it->type,
                                              it->ext_id, 0};
        if (it->type == ITEM_CONTENT && it->account_ext_id != NULL)
            in->keys[in->nkeys++] = (struct ikey){
                it->platform, ITEM_ACCOUNT, it->account_ext_id, 0};
    }
    qsort(in->keys, in->nkeys, sizeof *in->keys, ikey_cmp);
    for (size_t i = 0; i < in->nkeys; i++)
        if (k == 0 || ikey_cmp(&in->keys[i], &in->keys[k - 1]) != 0)
            in->keys[k++] = in->keys[i];
    in->nkeys = k;
    for (int c = 0; c < 3; c++)
        pg_arr_start(&a[c]);
    for (size_t i = 0; i < in->nkeys && rc == ERR_OK; i++) {
        rc = pg_arr_text(&a[0], platform_name(in->keys[i].platform));
        if (rc == ERR_OK)
            rc = pg_arr_text(&a[1], item_type_name(in->keys[i].type));
        if (rc == ERR_OK)
            rc = pg_arr_text(&a[2], in->keys[i].ext);
    }
    for (int c = 0; c < 3 && rc == ERR_OK; c++)
        rc = pg_arr_end(&a[c]);
    return rc;
}

/* The stored ids of every item the batch names, in one statement (the
 * lookups below then ask no more). */
static enum err ids_prefetch(struct ingest *in, const struct batch *b)
{
    struct buf a[3];
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;

    for (int c = 0; c < 3; c++)
        buf_init(&a[c], (size_t)1 << 28);
    rc = keys_arrays(in, b, a);
    if (rc != ERR_OK)
        buf_setf(in->err, "looking up items: too many in one batch");
    pg_p_init(&p);
    for (int c = 0; c < 3; c++)
        pg_p_text(&p, buf_cstr(&a[c]));
    if (rc == ERR_OK)
        rc = pg_run(in->s, &pg_ing_item_find_many, &p, &r,
                    "looking up items", in->err);
    for (int i = 0; rc == ERR_OK && i < PQntuples(r); i++) {
        int64_t ord = 0, id = 0;
        if (pg_i64(r, i, 0, &ord) != ERR_OK || pg_i64(r, i, 1, &id) != ERR_OK ||
            ord < 1 || (size_t)ord > in->nkeys) {
            buf_setf(in->err, "looking up items: a bad row");
            rc = ERR_DB;
        } else {
            in->keys[ord - 1].id = id;
        }
    }
    PQclear(r);
    for (int c = 0; c < 3; c++)
        buf_free(&a[c]);
    if (rc != ERR_OK)
        in->nkeys = 0;
    return rc;
}

static enum err item_find(struct ingest *in, const struct item *it,
                          int64_t *id, bool *found)
{
    struct pg_params p;
    const struct ikey *k = ikey_of(in, it);

    if (k != NULL) {
        *id = k->id;
        *found = k->id != 0;
        return ERR_OK;
    }

    pg_p_init(&p);
    pg_p_text(&p, platform_name(it->platform));
    pg_p_text(&p, item_type_name(it->type));
    pg_p_text(&p, it->ext_id);
    return run_i64(in, &pg_ing_item_find, &p, "looking up item", id, found);
}

static int isnap_cmp(const void *a, const void *b)
{
    const struct isnap *x = a, *y = b;
    if (x->item != y->item)
        return (x->item > y->item) - (x->item < y->item);
    return (x->t > y->t) - (x->t < y->t);
}

/* The snapshots of the batch's items stored before it (ids_prefetch
 * done), in one statement. */
static enum err snaps_prefetch(struct ingest *in, const struct batch *b)
{
    struct buf a[2];
    struct pg_params p;
    PGresult *r = NULL;
    size_t n = 0;
    enum err rc = ERR_OK;

    for (int c = 0; c < 2; c++) {
        buf_init(&a[c], (size_t)1 << 28);
        pg_arr_start(&a[c]);
    }
    for (size_t i = 0; i < b->n && rc == ERR_OK; i++) {
        const struct item *it = b->items[i];
        const struct ikey *k = ikey_of(in, it);
        for (size_t j = 0; k != NULL && k->id != 0 && j < it->nsnaps &&
                           rc == ERR_OK; j++) {
            rc = pg_arr_i64(&a[0], k->id);
            if (rc == ERR_OK)
                rc = pg_arr_i64(&a[1], it->snaps[j]->observed_at);
            n++;
        }
    }
    for (int c = 0; c < 2 && rc == ERR_OK; c++)
        rc = pg_arr_end(&a[c]);
    if (rc != ERR_OK)
        buf_setf(in->err, "reading snapshots: too many in one batch");
    pg_p_init(&p);
    for (int c = 0; c < 2; c++)
        pg_p_text(&p, buf_cstr(&a[c]));
    if (rc == ERR_OK && n > 0)
        rc = pg_run(in->s, &pg_ing_snap_find_many, &p, &r,
                    "reading snapshots", in->err);
    n = rc == ERR_OK && r != NULL ? (size_t)PQntuples(r) : 0;
    in->snaps = xcalloc(n + 1, sizeof *in->snaps);
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        struct isnap *v = &in->snaps[i];
        if (pg_i64(r, (int)i, 0, &v->item) != ERR_OK ||
            pg_i64(r, (int)i, 1, &v->t) != ERR_OK ||
            pg_i64(r, (int)i, 2, &v->id) != ERR_OK ||
            pg_i64(r, (int)i, 3, &v->import_id) != ERR_OK) {
            buf_setf(in->err, "reading snapshots: a bad row");
            rc = ERR_DB;
        }
    }
    PQclear(r);
    for (int c = 0; c < 2; c++)
        buf_free(&a[c]);
    if (rc == ERR_OK) {
        in->nsnaps = n;
        qsort(in->snaps, n, sizeof *in->snaps, isnap_cmp);
    }
    return rc;
}

static enum err arr_i64_or_null(struct buf *b, int64_t v, int64_t none)
{
    return v == none ? pg_arr_null(b) : pg_arr_i64(b, v);
}

/* The refresh of the stored item id from it, for updates_flush. */
static enum err update_add(struct ingest *in, const struct item *it,
                           int64_t id, int64_t account_id)
{
    const char *t[6] = {it->kind,        it->handle, it->title,
                        it->description, it->url,    it->thumbnail_url};
    enum err rc = pg_arr_i64(&in->up[0], id);

    if (rc == ERR_OK)
        rc = arr_i64_or_null(&in->up[1], account_id, 0);
    for (int c = 0; c < 6 && rc == ERR_OK; c++)
        rc = pg_arr_text(&in->up[2 + c], t[c]);
    if (rc == ERR_OK)
        rc = arr_i64_or_null(&in->up[8], it->published_at, TIME_NONE);
    if (rc == ERR_OK)
        rc = arr_i64_or_null(&in->up[9], it->duration_s, -1);
    if (rc != ERR_OK)
        buf_setf(in->err, "updating items: too many in one batch");
    in->nup++;
    return rc;
}

/* The batch's existing items refreshed in one statement. */
static enum err updates_flush(struct ingest *in)
{
    struct pg_params p;
    enum err rc = ERR_OK;

    if (in->nup == 0)
        return ERR_OK;
    for (int c = 0; c < 10 && rc == ERR_OK; c++)
        rc = pg_arr_end(&in->up[c]);
    if (rc != ERR_OK) {
        buf_setf(in->err, "updating items: too many in one batch");
        return rc;
    }
    pg_p_init(&p);
    for (int c = 0; c < 10; c++)
        pg_p_text(&p, buf_cstr(&in->up[c]));
    pg_p_i64(&p, in->now);
    return pg_run(in->s, &pg_ing_item_update_many, &p, NULL,
                  "updating items", in->err);
}

/* Create or refresh the row of it; *id: its id; *added (when not NULL):
 * whether this call added it. */
static enum err item_put(struct ingest *in, const struct item *it,
                         int64_t account_id, int64_t *id, bool *added)
{
    struct pg_params p;
    bool found = false;
    enum err rc = item_find(in, it, id, &found);

    if (added != NULL)
        *added = rc == ERR_OK && !found;
    if (rc != ERR_OK)
        return rc;
    if (found) {
        in->stats->items_seen++;
        return update_add(in, it, *id, account_id);
    }
    pg_p_init(&p);
    pg_p_text(&p, platform_name(it->platform));
    pg_p_text(&p, item_type_name(it->type));
    pg_p_text(&p, it->ext_id);
    item_params(&p, it, account_id);
    pg_p_i64(&p, in->now);
    rc = run_i64(in, &pg_ing_item_add, &p, "adding item", id, NULL);
    if (rc == ERR_OK) {
        struct ikey *k = ikey_of(in, it);
        if (k != NULL)
            k->id = *id;
        in->stats->items_new++;
    }
    return rc;
}

/* The id of the account a content item belongs to, creating a bare
 * account row when the batch did not describe it. 0 when unknown. */
static enum err owner_id(struct ingest *in, const struct item *it,
                         int64_t *out)
{
    struct item *bare;
    bool found = false;
    enum err rc;

    *out = 0;
    if (it->type != ITEM_CONTENT || it->account_ext_id == NULL)
        return ERR_OK;
    bare = item_create(it->platform, ITEM_ACCOUNT, it->account_ext_id);
    rc = item_find(in, bare, out, &found);
    if (rc == ERR_OK && !found)
        rc = item_put(in, bare, 0, out, NULL);
    item_destroy(bare);
    return rc;
}

static enum err metric_id(struct ingest *in, const char *name, int64_t *out)
{
    struct pg_params p;
    bool found = false;
    enum err rc;

    for (size_t i = 0; i < in->nmetric; i++)
        if (strcmp(in->mname[i], name) == 0) {
            *out = in->mid[i];
            return ERR_OK;
        }
    pg_p_init(&p);
    pg_p_text(&p, name);
    rc = run_i64(in, &pg_ing_metric_find, &p, "looking up metric", out,
                 &found);
    if (rc == ERR_OK && !found)
        rc = run_i64(in, &pg_ing_metric_add, &p, "adding metric", out, NULL);
    if (rc == ERR_OK && in->nmetric < INGEST_METRICS_MAX) {
        in->mname[in->nmetric] = name;
        in->mid[in->nmetric++] = *out;
    }
    return rc;
}

/* A metric's value as two parameters, ival and rval (one of them NULL).
 * A real is written with 17 significant digits: read back exactly. */
static void value_params(struct pg_params *p, const struct metric *m,
                         char *real, size_t realsz)
{
    if (m->is_real) {
        snprintf(real, realsz, "%.17g", m->r);
        pg_p_null(p);
        pg_p_text(p, real);
    } else {
        pg_p_i64(p, m->i);
        pg_p_null(p);
    }
}

/* A value already stored for this snapshot and metric: count it as the
 * same or conflicting; it is kept either way. */
static enum err value_seen(struct ingest *in, int64_t sid, int64_t mid,
                           const struct metric *m)
{
    struct pg_params p;
    PGresult *r = NULL;
    double d;
    int64_t v;
    bool same = false;
    enum err rc;

    pg_p_init(&p);
    pg_p_i64(&p, sid);
    pg_p_i64(&p, mid);
    rc = pg_run(in->s, &pg_ing_value_find, &p, &r, "reading value", in->err);
    if (rc == ERR_OK && PQntuples(r) == 1) {
        if (m->is_real)
            same = pg_text(r, 0, 1) != NULL &&
                   parse_double(pg_text(r, 0, 1), &d) == ERR_OK && d == m->r;
        else
            same = pg_i64(r, 0, 0, &v) == ERR_OK && v == m->i;
    }
    PQclear(r);
    if (same)
        in->stats->values_same++;
    else
        in->stats->values_conflict++;
    return rc;
}

/* Add one value to the stored snapshot sid unless one is stored already
 * (a new snapshot's values go in with the batch's: fresh_flush). foreign: the
 * snapshot is another import's (note the value's import). */
static enum err value_put(struct ingest *in, int64_t item_id, int64_t sid,
                          int64_t t, const struct metric *m, bool foreign)
{
    bool fresh;
    struct pg_params p;
    PGresult *r = NULL;
    char real[40];
    int64_t mid;
    enum err rc = metric_id(in, m->name, &mid);

    if (rc != ERR_OK)
        return rc;
    pg_p_init(&p);
    pg_p_i64(&p, sid);
    pg_p_i64(&p, mid);
    rc = pg_run(in->s, &pg_ing_value_find, &p, &r, "reading value", in->err);
    fresh = rc == ERR_OK && PQntuples(r) == 0;
    PQclear(r);
    if (rc != ERR_OK)
        return rc;
    if (!fresh)
        return value_seen(in, sid, mid, m);
    pg_p_init(&p);
    pg_p_i64(&p, sid);
    pg_p_i64(&p, mid);
    value_params(&p, m, real, sizeof real);
    rc = pg_run(in->s, &pg_ing_value_add, &p, NULL, "adding value", in->err);
    if (rc != ERR_OK)
        return rc;
    in->stats->values_new++;
    if (!m->is_real)
        pg_touched_add(&in->touched, item_id, t, TIME_NONE);
    if (foreign && in->import_id != 0) {
        pg_p_init(&p);
        pg_p_i64(&p, sid);
        pg_p_i64(&p, mid);
        pg_p_i64(&p, in->import_id);
        rc = pg_run(in->s, &pg_ing_value_import, &p, NULL,
                    "recording a value's import", in->err);
    }
    if (rc != ERR_OK)
        return rc;
    pg_p_init(&p);
    pg_p_i64(&p, item_id);
    pg_p_i64(&p, mid);
    pg_p_i64(&p, t);
    value_params(&p, m, real, sizeof real);
    return pg_run(in->s, &pg_ing_latest, &p, NULL, "updating latest values",
                  in->err);
}

/* The snapshot of item_id at t: found among those stored (*sid,
 * *foreign: another import's) or new (*fresh: it goes in with the
 * batch's other new snapshots, fresh_flush). */
static enum err snapshot_row(struct ingest *in, int64_t item_id, int64_t t,
                             int64_t *sid, bool *fresh, bool *foreign)
{
    struct isnap k = {item_id, t, 0, 0}, *f = NULL;
    enum err rc = ERR_OK;

    *sid = 0;
    if (in->nsnaps > 0)
        f = bsearch(&k, in->snaps, in->nsnaps, sizeof k, isnap_cmp);
    if (f != NULL) {
        *sid = f->id;
        *foreign = f->import_id != in->import_id;
        return ERR_OK;
    }
    rc = pg_arr_i64(&in->fs[0], item_id);
    if (rc == ERR_OK)
        rc = pg_arr_i64(&in->fs[1], t);
    if (rc != ERR_OK)
        buf_setf(in->err, "adding snapshots: too many in one batch");
    *fresh = true;
    in->nfresh++;
    if (rc == ERR_OK)
        in->stats->snapshots_new++;
    return rc;
}

/* The index of the first metric of snap named as metric k, or k. */
static size_t first_named(const struct snapshot *snap, size_t k)
{
    for (size_t j = 0; j < k; j++)
        if (strcmp(snap->metrics.v[j].name, snap->metrics.v[k].name) == 0)
            return j;
    return k;
}

/* Metric k of a fresh snapshot into the arrays (a repeated name counts
 * as the same or a conflicting value, as against a stored one). */
static enum err fresh_one(struct ingest *in, int64_t item_id, int64_t t,
                          const struct snapshot *snap, size_t k)
{
    struct buf *cols = &in->fv[2];
    const struct metric *m = &snap->metrics.v[k], *f;
    size_t j = first_named(snap, k);
    int64_t mid;
    enum err rc;

    if (j != k) {
        f = &snap->metrics.v[j];
        if (f->is_real == m->is_real &&
            (m->is_real ? f->r == m->r : f->i == m->i))
            in->stats->values_same++;
        else
            in->stats->values_conflict++;
        return ERR_OK;
    }
    rc = metric_id(in, m->name, &mid);
    if (rc == ERR_OK)
        rc = pg_arr_i64(&in->fv[0], item_id);
    if (rc == ERR_OK)
        rc = pg_arr_i64(&in->fv[1], t);
    if (rc == ERR_OK)
        rc = pg_arr_i64(&cols[0], mid);
    if (rc == ERR_OK)
        rc = m->is_real ? pg_arr_null(&cols[1]) : pg_arr_i64(&cols[1], m->i);
    if (rc == ERR_OK)
        rc = m->is_real ? pg_arr_real(&cols[2], m->r) : pg_arr_null(&cols[2]);
    if (rc == ERR_OK) {
        in->stats->values_new++;
        if (!m->is_real)
            pg_touched_add(&in->touched, item_id, t, TIME_NONE);
    }
    return rc;
}

static void fresh_start(struct ingest *in)
{
    for (int c = 0; c < 10; c++) {
        buf_init(&in->up[c], (size_t)1 << 28);
        pg_arr_start(&in->up[c]);
    }
    for (int c = 0; c < 2; c++) {
        buf_init(&in->fs[c], (size_t)1 << 28);
        pg_arr_start(&in->fs[c]);
    }
    for (int c = 0; c < 5; c++) {
        buf_init(&in->fv[c], (size_t)1 << 28);
        pg_arr_start(&in->fv[c]);
    }
}

static void fresh_free(struct ingest *in)
{
    for (int c = 0; c < 10; c++)
        buf_free(&in->up[c]);
    for (int c = 0; c < 2; c++)
        buf_free(&in->fs[c]);
    for (int c = 0; c < 5; c++)
        buf_free(&in->fv[c]);
}

/* The batch's new snapshots, their values and the latest values: one
 * statement. */
static enum err fresh_flush(struct ingest *in)
{
    struct pg_params p;
    enum err rc = ERR_OK;

    if (in->nfresh == 0)
        return ERR_OK;
    for (int c = 0; c < 2 && rc == ERR_OK; c++)
        rc = pg_arr_end(&in->fs[c]);
    for (int c = 0; c < 5 && rc == ERR_OK; c++)
        rc = pg_arr_end(&in->fv[c]);
    if (rc != ERR_OK) {
        buf_setf(in->err, "adding values: too many in one batch");
        return rc;
    }
    pg_p_init(&p);
    pg_p_text(&p, buf_cstr(&in->fs[0]));
    pg_p_text(&p, buf_cstr(&in->fs[1]));
    p_i64_or_null(&p, in->import_id, 0);
    for (int c = 0; c < 5; c++)
        pg_p_text(&p, buf_cstr(&in->fv[c]));
    return pg_run(in->s, &pg_ing_fresh_many, &p, NULL,
                  "adding snapshots and values", in->err);
}

static enum err snapshot_put(struct ingest *in, int64_t item_id,
                             const struct snapshot *snap)
{
    int64_t sid = 0;
    bool fresh = false, foreign = false;
    enum err rc;

    if (snap->metrics.n == 0)
        return ERR_OK; /* an empty snapshot says nothing */
    rc = snapshot_row(in, item_id, snap->observed_at, &sid, &fresh,
                      &foreign);
    for (size_t k = 0; rc == ERR_OK && fresh && k < snap->metrics.n; k++)
        rc = fresh_one(in, item_id, snap->observed_at, snap, k);
    if (fresh)
        return rc;
    for (size_t i = 0; i < snap->metrics.n && rc == ERR_OK; i++)
        rc = value_put(in, item_id, sid, snap->observed_at,
                       &snap->metrics.v[i], foreign);
    return rc;
}

static enum err ingest_item(struct ingest *in, const struct item *it)
{
    struct pg_params p;
    int64_t account_id = 0, id = 0;
    enum err rc = owner_id(in, it, &account_id);

    if (rc == ERR_OK)
        rc = item_put(in, it, account_id, &id, NULL);
    if (rc == ERR_OK && it->published_at != TIME_NONE)
        pg_touched_add(&in->touched, id, TIME_NONE, it->published_at);
    if (rc == ERR_OK && it->tracked) {
        pg_p_init(&p);
        pg_p_i64(&p, id);
        rc = pg_run(in->s, &pg_ing_item_tracked, &p, NULL,
                    "marking item tracked", in->err);
    }
    for (size_t i = 0; i < it->nsnaps && rc == ERR_OK; i++)
        rc = snapshot_put(in, id, it->snaps[i]);
    return rc;
}

/* Roles of the items this ingest added (ids above first_new), per
 * import_meta.foreign_tracked; content takes its account's role. */
static enum err roles_set(struct ingest *in, int64_t first_new)
{
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc = ERR_OK;

    pg_p_init(&p);
    pg_p_i64(&p, first_new);
    if (in->meta != NULL && in->meta->foreign_tracked) {
        rc = pg_run(in->s, &pg_ing_role_foreign, &p, &r, "setting roles",
                    in->err);
        if (rc == ERR_OK)
            in->stats->accounts_tracked = (size_t)strtoull(PQcmdTuples(r),
                                                           NULL, 10);
        PQclear(r);
        if (rc == ERR_OK && in->stats->accounts_tracked > 0)
            rc = run_i64(in, &pg_ing_role_first, &p, "setting roles",
                         &in->stats->tracked_id, NULL);
    }
    if (rc == ERR_OK)
        rc = pg_run(in->s, &pg_ing_role_content, &p, NULL, "setting roles",
                    in->err);
    if (rc == ERR_OK && in->import_id != 0) {
        pg_p_i64(&p, in->import_id);
        rc = pg_run(in->s, &pg_ing_item_import, &p, NULL,
                    "recording the items' import", in->err);
    }
    return rc;
}

static enum err ingest_all(struct ingest *in, const struct batch *b)
{
    struct pg_params p;
    int64_t first_new = 0;
    enum err rc = pg_run(in->s, &pg_ing_lock, NULL, NULL,
                         "waiting for the ingest lock", in->err);

    if (rc == ERR_OK)
        rc = import_begin(in);
    if (rc == ERR_OK)
        rc = run_i64(in, &pg_ing_max_item, NULL, "reading items", &first_new,
                     NULL);
    if (rc == ERR_OK && b->n > 0)
        rc = ids_prefetch(in, b);
    if (rc == ERR_OK && b->n > 0)
        rc = snaps_prefetch(in, b);
    /* Accounts first, so content rows can point at them. */
    for (int pass = 0; pass < 2 && rc == ERR_OK; pass++) {
        enum item_type want = pass == 0 ? ITEM_ACCOUNT : ITEM_CONTENT;
        for (size_t i = 0; i < b->n && rc == ERR_OK; i++)
            if (b->items[i]->type == want)
                rc = ingest_item(in, b->items[i]);
    }
    if (rc == ERR_OK)
        rc = updates_flush(in);
    if (rc == ERR_OK)
        rc = fresh_flush(in);
    if (rc == ERR_OK)
        rc = roles_set(in, first_new);
    if (rc == ERR_OK)
        rc = pg_rollup_batch(in->s, &in->touched, in->err);
    if (rc == ERR_OK)
        rc = pg_rest_ingest(in->s, b, in->now, in->err);
    if (rc == ERR_OK && in->import_id != 0) {
        pg_p_init(&p);
        pg_p_i64(&p, in->import_id);
        pg_p_i64(&p, (int64_t)in->stats->snapshots_new);
        pg_p_i64(&p, (int64_t)b->n);
        pg_p_i64(&p, (int64_t)in->stats->values_new);
        rc = pg_run(in->s, &pg_ing_import_count, &p, NULL, "recording import",
                    in->err);
    }
    if (rc == ERR_OK)
        rc = pg_run(in->s, &pg_ing_gen_bump, NULL, NULL,
                    "bumping the data generation", in->err);
    return rc;
}

enum err pg_ingest(struct store *st, const struct batch *b,
                   const struct import_meta *meta, struct ingest_stats *out,
                   struct buf *err)
{
    struct ingest in;
    enum err rc;

    memset(&in, 0, sizeof in);
    in.s = pg_of(st);
    in.meta = meta;
    in.stats = out;
    in.err = err;
    in.now = time_now();
    memset(out, 0, sizeof *out);
    rc = pg_begin(in.s, err);
    if (rc != ERR_OK)
        return rc;
    fresh_start(&in);
    rc = ingest_all(&in, b);
    pg_touched_free(&in.touched);
    free(in.keys);
    free(in.snaps);
    fresh_free(&in);
    if (rc == ERR_OK)
        rc = pg_commit(in.s, err);
    if (rc != ERR_OK) {
        pg_rollback(in.s);
        memset(out, 0, sizeof *out);
        return rc;
    }
    out->import_id = in.import_id;
    return ERR_OK;
}
