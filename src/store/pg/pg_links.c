/* Links between content items on PostgreSQL (PostgreSQL migration 0005;
 * model.h struct item_link): written at ingest inside the batch's
 * transaction (pg_rest_ingest), read by store_item_links, with the
 * answers of store_sqlite_links.c (byte order: COLLATE "C"). */
#include <string.h>

#include "store/pg/pg_ops.h"

PG_STMT(pg_lnk_put, 6,
        "INSERT INTO item_link(platform, from_ext, rel, to_ext, offset_s, "
        "first_seen) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (platform, "
        "from_ext, rel, to_ext) DO UPDATE SET offset_s = "
        "coalesce(excluded.offset_s, item_link.offset_s)");
PG_STMT(pg_lnk_of, 3,
        "SELECT from_ext, rel, to_ext, offset_s FROM (SELECT from_ext, rel, "
        "to_ext, offset_s FROM item_link WHERE platform = $1 AND "
        "from_ext = $2 UNION ALL SELECT from_ext, rel, to_ext, offset_s "
        "FROM item_link WHERE platform = $1 AND to_ext = $2 AND "
        "from_ext <> $2) u ORDER BY rel COLLATE \"C\", from_ext COLLATE "
        "\"C\", to_ext COLLATE \"C\" LIMIT $3");

enum err pg_links_put(struct store_pg *s, const struct batch *b, int64_t now,
                      struct buf *err)
{
    struct pg_params p;
    enum err rc = ERR_OK;

    for (size_t i = 0; i < b->nlinks && rc == ERR_OK; i++) {
        const struct item_link *l = &b->links[i];
        pg_p_init(&p);
        pg_p_text(&p, platform_name(l->platform));
        pg_p_text(&p, l->from_ext);
        pg_p_text(&p, l->rel);
        pg_p_text(&p, l->to_ext);
        if (l->offset_s < 0)
            pg_p_null(&p);
        else
            pg_p_i64(&p, l->offset_s);
        pg_p_i64(&p, now);
        rc = pg_run(s, &pg_lnk_put, &p, NULL, "storing an item link", err);
    }
    return rc;
}

enum err pg_item_links(struct store *st, enum platform p, const char *ext_id,
                       size_t limit, store_link_fn fn, void *ud)
{
    struct pg_params pp;
    PGresult *r = NULL;
    enum err rc;

    pg_p_init(&pp);
    pg_p_text(&pp, platform_name(p));
    pg_p_text(&pp, ext_id);
    pg_p_i64(&pp, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
    rc = pg_run(pg_of(st), &pg_lnk_of, &pp, &r, "reading item links", NULL) ==
                 ERR_OK
             ? ERR_OK
             : ERR_DB;
    for (int i = 0; rc == ERR_OK && i < PQntuples(r); i++) {
        struct item_link l = {.platform = p, .offset_s = -1};
        const char *rel = pg_text(r, i, 1);
        l.from_ext = (char *)pg_text(r, i, 0);
        l.to_ext = (char *)pg_text(r, i, 2);
        if (l.from_ext == NULL || l.to_ext == NULL || rel == NULL ||
            strlen(rel) >= sizeof l.rel)
            continue;
        memcpy(l.rel, rel, strlen(rel) + 1);
        l.offset_s = pg_i64_or(r, i, 3, -1);
        rc = fn(ud, &l);
    }
    PQclear(r);
    return rc;
}
