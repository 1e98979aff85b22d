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
 * xmin = pg_current_xact_id(). A mark rewrites the document's row with the
 * next seq unless this transaction marked it already (seq > seq0), so the
 * seqs are handed out in the same order as on SQLite. */
#include <string.h>

#include "core/timeutil.h"
#include "store/pg/pg_ops.h"

#define SQL_THIS_XACT(alias) alias ".xmin = pg_current_xact_id()::xid"

PG_STMT(pg_doc_seq, 0,
        "SELECT greatest(coalesce((SELECT max(seq) FROM doc_change), 0), "
        "coalesce((SELECT max(seq) FROM doc_tomb), 0))");
/* $1..$3 the item's key, $4 the ingest's time: its id, whether this
 * batch wrote its row, its account and whether this batch created that
 * account's row. */
PG_STMT(pg_doc_item, 4,
        "SELECT i.id, " SQL_THIS_XACT("i") " AND i.updated_at = $4::bigint, "
        "i.account_id, coalesce((SELECT " SQL_THIS_XACT("a") " AND "
        "a.first_seen = $4::bigint FROM item a WHERE a.id = i.account_id), "
        "false) FROM item i WHERE i.platform = $1 AND i.type = $2 AND "
        "i.ext_id = $3");
/* The item $1's snapshots in [$2, $3] that got a value in this batch. */
PG_STMT(pg_doc_snaps, 3,
        "SELECT s.observed_at FROM snapshot s WHERE s.item_id = $1 AND "
        "s.observed_at BETWEEN $2 AND $3 AND EXISTS (SELECT 1 FROM "
        "snapshot_value v WHERE v.snapshot_id = s.id AND "
        SQL_THIS_XACT("v") ") ORDER BY s.observed_at");
/* $1 item, $2 kind, $3 day, $4 now, $5 seq0, $6 the next seq. */
PG_STMT(pg_doc_mark, 6,
        "INSERT INTO doc_change(item_id, kind, day, seq, changed_at) VALUES "
        "($1, $2, $3, $6, $4) ON CONFLICT (item_id, kind, day) DO UPDATE SET "
        "seq = excluded.seq, changed_at = excluded.changed_at WHERE "
        "doc_change.seq <= $5");

struct marker {
    struct store_pg *s;
    int64_t now, seq0, last;
    struct buf *err;
};

static enum err mark(struct marker *m, int64_t item_id,
                     enum store_doc_kind kind, int32_t day)
{
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_i64(&p, item_id);
    pg_p_i64(&p, (int64_t)kind);
    pg_p_i64(&p, kind == STORE_DOC_DAY ? day : 0);
    pg_p_i64(&p, m->now);
    pg_p_i64(&p, m->seq0);
    pg_p_i64(&p, m->last + 1);
    rc = pg_run(m->s, &pg_doc_mark, &p, &r, "marking documents", m->err);
    if (rc == ERR_OK && pg_changes(r) > 0)
        m->last++;
    PQclear(r);
    return rc;
}

static bool is_true(const PGresult *r, int c)
{
    const char *v = pg_text(r, 0, c);
    return v != NULL && strcmp(v, "t") == 0;
}

/* The marks of it's snapshots with a new value. */
static enum err mark_snaps(struct marker *m, const struct item *it,
                           int64_t id, int64_t acct)
{
    struct pg_params p;
    PGresult *r = NULL;
    int64_t lo = INT64_MAX, hi = INT64_MIN, t;
    enum err rc;

    for (size_t i = 0; i < it->nsnaps; i++) {
        lo = it->snaps[i]->observed_at < lo ? it->snaps[i]->observed_at : lo;
        hi = it->snaps[i]->observed_at > hi ? it->snaps[i]->observed_at : hi;
    }
    if (it->nsnaps == 0)
        return ERR_OK;
    pg_p_init(&p);
    pg_p_i64(&p, id);
    pg_p_i64(&p, lo);
    pg_p_i64(&p, hi);
    rc = pg_run(m->s, &pg_doc_snaps, &p, &r, "marking documents", m->err);
    for (int i = 0; rc == ERR_OK && i < PQntuples(r); i++) {
        rc = pg_i64(r, i, 0, &t);
        if (rc == ERR_OK)
            rc = mark(m, id, STORE_DOC_ITEM, 0);
        if (rc == ERR_OK && acct != 0)
            rc = mark(m, acct, STORE_DOC_DAY, pg_day_of(&m->s->base, t));
    }
    PQclear(r);
    return rc;
}

static enum err mark_item(struct marker *m, const struct item *it)
{
    struct pg_params p;
    PGresult *r = NULL;
    int64_t id = 0, acct = 0;
    enum err rc;

    pg_p_init(&p);
    pg_p_text(&p, platform_name(it->platform));
    pg_p_text(&p, item_type_name(it->type));
    pg_p_text(&p, it->ext_id);
    pg_p_i64(&p, m->now);
    rc = pg_run(m->s, &pg_doc_item, &p, &r, "marking documents", m->err);
    if (rc != ERR_OK || PQntuples(r) != 1 || pg_i64(r, 0, 0, &id) != ERR_OK) {
        PQclear(r);
        return rc != ERR_OK ? rc : ERR_DB;
    }
    acct = it->type == ITEM_ACCOUNT ? id : pg_i64_or(r, 0, 2, 0);
    if (it->type == ITEM_CONTENT && acct != 0 && is_true(r, 3))
        rc = mark(m, acct, STORE_DOC_ITEM, 0); /* a bare account */
    if (rc == ERR_OK && is_true(r, 1))
        rc = mark(m, id, STORE_DOC_ITEM, 0);
    PQclear(r);
    return rc == ERR_OK ? mark_snaps(m, it, id, acct) : rc;
}

enum err pg_docs_upkeep(struct store_pg *s, const struct batch *b,
                        int64_t now, struct buf *err)
{
    struct marker m = {s, now, 0, 0, err};
    PGresult *r = NULL;
    enum err rc = pg_run(s, &pg_doc_seq, NULL, &r, "marking documents", err);

    if (rc == ERR_OK && pg_i64(r, 0, 0, &m.seq0) != ERR_OK)
        rc = ERR_DB;
    PQclear(r);
    m.last = m.seq0;
    for (int pass = 0; pass < 2 && rc == ERR_OK; pass++) {
        enum item_type want = pass == 0 ? ITEM_ACCOUNT : ITEM_CONTENT;
        for (size_t i = 0; i < b->n && rc == ERR_OK; i++)
            if (b->items[i]->type == want)
                rc = mark_item(&m, b->items[i]);
    }
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
