/* Documents for retrieval on PostgreSQL (PostgreSQL migration 0005;
 * store.h store_doc_*; the SQLite side: store_sqlite_docs.c).
 *
 * Upkeep at ingest (pg_docs_upkeep, through pg_rest_ingest, inside the
 * batch's transaction and under its ingest lock): the batch's items are
 * walked in the order the ingest wrote them (accounts, then content, each
 * in batch order) and marked as SQLite marks them: a bare account the
 * batch created, an item whose row the batch wrote (a new row or a
 * changed field), and per snapshot that got a new value, the item and its
 * account's daily summary for the snapshot's rollup day. What the batch
 * wrote is read back from the rows: rows written by this transaction have
 * xmin = pg_current_xact_id(). The batch's items and snapshots are read
 * back in one statement, the marks made here in that order, each document
 * kept at its first mark, and written with the seqs after the highest one
 * in one more statement, so the seqs are handed out in the same order as
 * on SQLite and the statements do not grow with the batch. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

#include "core/timeutil.h"
#include "store/pg/pg_ops.h"
#include "store/pg/pg_rollup.h"

#define SQL_THIS_XACT(alias) alias ".xmin = pg_current_xact_id()::xid"

PG_STMT(pg_doc_seq, 0,
        "SELECT greatest(coalesce((SELECT max(seq) FROM doc_change), 0), "
        "coalesce((SELECT max(seq) FROM doc_tomb), 0))");
/* The batch's items ($1..$3: keys, in the order of the walk) with $4..$5
 * the range of each one's snapshots (NULL: none) and $6 the ingest's
 * time: per item (u.ord) its id, whether this batch wrote its row, its
 * account (an account: itself; 0: none), whether this batch created that
 * account's row (content only), and one row
 * per snapshot in the range that got a value in this batch (its time;
 * NULL when none did), in walk and time order. */
PG_STMT(pg_doc_items, 6,
        "SELECT u.ord, i.id, " SQL_THIS_XACT("i") " AND "
        "i.updated_at = $6::bigint, CASE WHEN i.type = 'account' THEN i.id "
        "ELSE coalesce(i.account_id, 0) END, i.type = 'content' AND "
        "coalesce((SELECT " SQL_THIS_XACT("a") " AND a.first_seen = "
        "$6::bigint FROM item a WHERE a.id = i.account_id), false), "
        "s.observed_at FROM unnest($1::text[], $2::text[], $3::text[], "
        "$4::bigint[], $5::bigint[]) WITH ORDINALITY AS u(pl, ty, ext, lo, "
        "hi, ord) JOIN item i ON i.platform = u.pl AND i.type = u.ty AND "
        "i.ext_id = u.ext LEFT JOIN LATERAL (SELECT s.observed_at FROM "
        "snapshot s WHERE s.item_id = i.id AND s.observed_at BETWEEN u.lo "
        "AND u.hi AND EXISTS (SELECT 1 FROM snapshot_value v WHERE "
        "v.snapshot_id = s.id AND " SQL_THIS_XACT("v") ")) s ON true "
        "ORDER BY u.ord, s.observed_at");
/* The batch's marks, each key once, with their seqs; $5 now. */
PG_STMT(pg_doc_marks, 5,
        "INSERT INTO doc_change(item_id, kind, day, seq, changed_at) "
        "SELECT u.i, u.k, u.d, u.s, $5 FROM unnest($1::bigint[], "
        "$2::smallint[], $3::integer[], $4::bigint[]) AS u(i, k, d, s) "
        "ON CONFLICT (item_id, kind, day) DO UPDATE SET seq = excluded.seq, "
        "changed_at = excluded.changed_at");

/* One mark: a document's key and its place in the walk. */
struct dmark {
    int64_t item;
    int32_t kind, day;
    size_t ord;
};

/* The marks of a batch, in walk order. */
struct marker {
    struct store_pg *s;
    struct dmark *v;
    size_t n, cap;
};

static void mark(struct marker *m, int64_t item_id, enum store_doc_kind kind,
                 int32_t day)
{
    m->v = xgrow(m->v, &m->cap, m->n + 1, sizeof *m->v);
    m->v[m->n] = (struct dmark){item_id, (int32_t)kind,
                                kind == STORE_DOC_DAY ? day : 0, m->n};
    m->n++;
}

static bool is_true(const PGresult *r, int i, int c)
{
    const char *v = pg_text(r, i, c);
    return v != NULL && strcmp(v, "t") == 0;
}

/* The batch's items in walk order (accounts, then content, each in batch
 * order) as the five arrays of pg_doc_items. */
static enum err items_arrays(const struct batch *b, struct buf a[5])
{
    enum err rc = ERR_OK;

    for (int c = 0; c < 5; c++)
        pg_arr_start(&a[c]);
    for (int pass = 0; pass < 2; pass++) {
        enum item_type want = pass == 0 ? ITEM_ACCOUNT : ITEM_CONTENT;
        for (size_t i = 0; i < b->n && rc == ERR_OK; i++) {
            const struct item *it = b->items[i];
            int64_t lo = INT64_MAX, hi = INT64_MIN;
            if (it->type != want)
                continue;
            for (size_t k = 0; k < it->nsnaps; k++) {
                int64_t t = it->snaps[k]->observed_at;
                lo = t < lo ? t : lo;
                hi = t > hi ? t : hi;
            }
            rc = pg_arr_text(&a[0], platform_name(it->platform));
            if (rc == ERR_OK)
                rc = pg_arr_text(&a[1], item_type_name(it->type));
            if (rc == ERR_OK)
                rc = pg_arr_text(&a[2], it->ext_id);
            if (rc == ERR_OK)
                rc = it->nsnaps == 0 ? pg_arr_null(&a[3])
                                     : pg_arr_i64(&a[3], lo);
            if (rc == ERR_OK)
                rc = it->nsnaps == 0 ? pg_arr_null(&a[4])
                                     : pg_arr_i64(&a[4], hi);
        }
    }
    for (int c = 0; c < 5 && rc == ERR_OK; c++)
        rc = pg_arr_end(&a[c]);
    return rc;
}

/* The marks of r's rows (pg_doc_items), as SQLite makes them: per item a
 * bare account the batch created, the item when the batch wrote its row,
 * and per snapshot with a new value the item and its account's day.
 * ERR_DB when an item of the batch has no row. */
static enum err marks_of(struct marker *m, const PGresult *r, size_t nitems)
{
    int64_t ord = 0, prev = 0, id, acct, t;
    size_t seen = 0;

    for (int i = 0; i < PQntuples(r); i++) {
        if (pg_i64(r, i, 0, &ord) != ERR_OK || pg_i64(r, i, 1, &id) != ERR_OK)
            return ERR_DB;
        acct = pg_i64_or(r, i, 3, 0);
        if (ord != prev) {
            if (ord != prev + 1)
                return ERR_DB; /* an item without a row */
            prev = ord;
            seen++;
            if (acct != 0 && is_true(r, i, 4))
                mark(m, acct, STORE_DOC_ITEM, 0); /* a bare account */
            if (is_true(r, i, 2))
                mark(m, id, STORE_DOC_ITEM, 0);
        }
        if (pg_text(r, i, 5) == NULL || pg_i64(r, i, 5, &t) != ERR_OK)
            continue;
        mark(m, id, STORE_DOC_ITEM, 0);
        if (acct != 0)
            mark(m, acct, STORE_DOC_DAY, pg_day_of(&m->s->base, t));
    }
    return seen == nitems ? ERR_OK : ERR_DB;
}

static int key_cmp(const void *a, const void *b)
{
    const struct dmark *x = a, *y = b;
    if (x->item != y->item)
        return (x->item > y->item) - (x->item < y->item);
    if (x->kind != y->kind)
        return (x->kind > y->kind) - (x->kind < y->kind);
    if (x->day != y->day)
        return (x->day > y->day) - (x->day < y->day);
    return (x->ord > y->ord) - (x->ord < y->ord);
}

static int ord_cmp(const void *a, const void *b)
{
    const struct dmark *x = a, *y = b;
    return (x->ord > y->ord) - (x->ord < y->ord);
}

/* Keep each key's first mark only, in walk order: a document marked
 * twice in one batch keeps its first seq, as on SQLite. */
static void marks_dedup(struct marker *m)
{
    size_t k = 0;

    if (m->n == 0)
        return;
    qsort(m->v, m->n, sizeof *m->v, key_cmp);
    for (size_t i = 0; i < m->n; i++)
        if (k == 0 || m->v[i].item != m->v[k - 1].item ||
            m->v[i].kind != m->v[k - 1].kind || m->v[i].day != m->v[k - 1].day)
            m->v[k++] = m->v[i];
    m->n = k;
    qsort(m->v, m->n, sizeof *m->v, ord_cmp);
}

/* The marks, with the seqs after seq0 in walk order, in one statement. */
static enum err marks_write(struct marker *m, int64_t seq0, int64_t now,
                            struct buf *err)
{
    struct buf a[4];
    struct pg_params p;
    enum err rc = ERR_OK;

    if (m->n == 0)
        return ERR_OK;
    for (int c = 0; c < 4; c++) {
        buf_init(&a[c], (size_t)1 << 28);
        pg_arr_start(&a[c]);
    }
    for (size_t i = 0; i < m->n && rc == ERR_OK; i++) {
        int64_t v[4] = {m->v[i].item, m->v[i].kind, m->v[i].day,
                        seq0 + 1 + (int64_t)i};
        for (int c = 0; c < 4 && rc == ERR_OK; c++)
            rc = pg_arr_i64(&a[c], v[c]);
    }
    for (int c = 0; c < 4 && rc == ERR_OK; c++)
        rc = pg_arr_end(&a[c]);
    if (rc != ERR_OK)
        buf_setf(err, "marking documents: too many in one batch");
    pg_p_init(&p);
    for (int c = 0; c < 4; c++)
        pg_p_text(&p, buf_cstr(&a[c]));
    pg_p_i64(&p, now);
    if (rc == ERR_OK)
        rc = pg_run(m->s, &pg_doc_marks, &p, NULL, "marking documents", err);
    for (int c = 0; c < 4; c++)
        buf_free(&a[c]);
    return rc;
}

/* The batch's items and their new snapshots read back in one statement,
 * their marks computed here and written in one more. */
static enum err marks_read(struct marker *m, const struct batch *b,
                           int64_t now, struct buf *err)
{
    struct buf a[5];
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;

    for (int c = 0; c < 5; c++)
        buf_init(&a[c], (size_t)1 << 28);
    rc = items_arrays(b, a);
    if (rc != ERR_OK)
        buf_setf(err, "marking documents: too many items in one batch");
    pg_p_init(&p);
    for (int c = 0; c < 5; c++)
        pg_p_text(&p, buf_cstr(&a[c]));
    pg_p_i64(&p, now);
    if (rc == ERR_OK)
        rc = pg_run(m->s, &pg_doc_items, &p, &r, "marking documents", err);
    if (rc == ERR_OK && marks_of(m, r, b->n) != ERR_OK) {
        buf_setf(err, "marking documents: an item of the batch is missing");
        rc = ERR_DB;
    }
    PQclear(r);
    for (int c = 0; c < 5; c++)
        buf_free(&a[c]);
    return rc;
}

enum err pg_docs_upkeep(struct store_pg *s, const struct batch *b,
                        int64_t now, struct buf *err)
{
    struct marker m = {s, NULL, 0, 0};
    PGresult *r = NULL;
    int64_t seq0 = 0;
    enum err rc = pg_run(s, &pg_doc_seq, NULL, &r, "marking documents", err);

    if (rc == ERR_OK && pg_i64(r, 0, 0, &seq0) != ERR_OK)
        rc = ERR_DB;
    PQclear(r);
    if (rc == ERR_OK && b->n > 0)
        rc = marks_read(&m, b, now, err);
    marks_dedup(&m);
    if (rc == ERR_OK)
        rc = marks_write(&m, seq0, now, err);
    free(m.v);
    return rc;
}

/* ---- reads ------------------------------------------------------------ */

/* Live rows and (when $3) tombstones after cursor $1 changed at or after
 * $2, in seq order; $4 platform, $5 role, $6 limit (NULL: none). */
PG_STMT(pg_doc_list, 6,
        "SELECT d.seq, d.kind, d.item_id, d.day, d.changed_at, "
        "coalesce(i.platform, d.platform), coalesce(i.type, d.type), "
        "coalesce(i.ext_id, d.ext_id), coalesce(i.role, d.role) "
        "FROM (SELECT seq, kind, item_id, day, changed_at, NULL AS platform, "
        "NULL AS type, NULL AS ext_id, NULL AS role FROM doc_change "
        "WHERE seq > $1 AND changed_at >= $2 UNION ALL "
        "SELECT seq, kind, item_id, day, changed_at, platform, type, ext_id, "
        "role FROM doc_tomb WHERE $3::boolean AND seq > $1 AND "
        "changed_at >= $2) d "
        "LEFT JOIN item i ON d.kind < 2 AND i.id = d.item_id "
        "WHERE (d.kind >= 2 OR i.id IS NOT NULL) "
        "AND ($4::text IS NULL OR coalesce(i.platform, d.platform) = $4) "
        "AND ($5::text IS NULL OR coalesce(i.role, d.role) = $5) "
        "AND (d.kind IN (0, 2) OR coalesce(i.role, d.role) = 'own') "
        "ORDER BY d.seq LIMIT $6");
/* $1 platform, $2 type, $3 ext id, $4 kind (0 or 1), $5 day. */
PG_STMT(pg_doc_one, 5,
        "SELECT d.seq, d.kind, d.item_id, d.day, d.changed_at, i.platform, "
        "i.type, i.ext_id, i.role FROM item i JOIN doc_change d ON "
        "d.item_id = i.id AND d.kind = $4 AND d.day = $5 WHERE "
        "i.platform = $1 AND i.type = $2 AND i.ext_id = $3 AND "
        "($4::int = 0 OR i.role = 'own')");

/* Row i of r as a change; false when its platform or type is not one
 * this program knows (a row another version wrote): skipped. */
static bool doc_row(const PGresult *r, int i, struct store_doc_change *c)
{
    const char *p = pg_text(r, i, 5), *t = pg_text(r, i, 6);
    const char *role = pg_text(r, i, 8);
    int64_t kind = -1, day = 0;

    memset(c, 0, sizeof *c);
    if (pg_i64(r, i, 0, &c->seq) != ERR_OK ||
        pg_i64(r, i, 1, &kind) != ERR_OK ||
        pg_i64(r, i, 2, &c->item_id) != ERR_OK ||
        pg_i64(r, i, 3, &day) != ERR_OK ||
        pg_i64(r, i, 4, &c->changed_at) != ERR_OK)
        return false;
    c->kind = (enum store_doc_kind)kind;
    c->day = (int32_t)day;
    c->ext_id = pg_text(r, i, 7);
    c->tracked = role != NULL && strcmp(role, "tracked") == 0;
    if (p == NULL || t == NULL || c->ext_id == NULL ||
        platform_from_name(p, &c->platform) != ERR_OK)
        return false;
    c->type = strcmp(t, "account") == 0 ? ITEM_ACCOUNT : ITEM_CONTENT;
    return kind >= 0 && kind <= STORE_DOC_DAY_GONE;
}

enum err pg_doc_changes(struct store *st, const struct store_doc_query *q,
                        store_doc_fn fn, void *ud, struct buf *err)
{
    bool all = q->since == TIME_NONE;
    struct store_doc_change c;
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_i64(&p, q->after_seq > 0 ? q->after_seq : 0);
    pg_p_i64(&p, all ? INT64_MIN : q->since);
    pg_p_text(&p, all ? "false" : "true");
    pg_p_text(&p, q->platform >= 0 && q->platform < PLATFORM_COUNT
                      ? platform_name((enum platform)q->platform)
                      : NULL);
    pg_p_text(&p, q->role < 0 ? NULL : q->role ? "tracked" : "own");
    if (q->limit > 0)
        pg_p_i64(&p, q->limit);
    else
        pg_p_null(&p);
    rc = pg_run(pg_of(st), &pg_doc_list, &p, &r, "listing documents", err);
    for (int i = 0; rc == ERR_OK && i < PQntuples(r); i++)
        if (doc_row(r, i, &c))
            rc = fn(ud, &c);
    PQclear(r);
    return rc;
}

enum err pg_doc_find(struct store *st, enum platform pl, enum item_type type,
                     const char *ext_id, enum store_doc_kind kind,
                     int32_t day, store_doc_fn fn, void *ud, struct buf *err)
{
    bool is_day = kind == STORE_DOC_DAY;
    struct store_doc_change c;
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_text(&p, platform_name(pl));
    pg_p_text(&p, item_type_name(type));
    pg_p_text(&p, ext_id);
    pg_p_i64(&p, is_day ? 1 : 0);
    pg_p_i64(&p, is_day ? day : 0);
    rc = pg_run(pg_of(st), &pg_doc_one, &p, &r, "finding a document", err);
    if (rc == ERR_OK)
        rc = PQntuples(r) > 0 && doc_row(r, 0, &c) ? fn(ud, &c)
                                                   : ERR_NOTFOUND;
    PQclear(r);
    return rc;
}

enum err pg_doc_last_seq(struct store *st, int64_t *out)
{
    PGresult *r = NULL;
    enum err rc = pg_run(pg_of(st), &pg_doc_seq, NULL, &r, "reading documents",
                         NULL);

    *out = 0;
    if (rc == ERR_OK && pg_i64(r, 0, 0, out) != ERR_OK)
        rc = ERR_DB;
    PQclear(r);
    return rc == ERR_OK ? ERR_OK : ERR_DB;
}
