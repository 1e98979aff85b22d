/* Links between content items (migration 0030; model.h struct
 * item_link): written at ingest inside the batch's transaction, read by
 * store_item_links. Prepared per call, finalized at out:. */
#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#include "store/store_sqlite.h"

#define S sqlite_store_of

#define SQL_LINK_PUT                                                          \
    "INSERT INTO item_link(platform, from_ext, rel, to_ext, offset_s, "       \
    "first_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(platform, "      \
    "from_ext, rel, to_ext) DO UPDATE SET offset_s = "                        \
    "coalesce(excluded.offset_s, offset_s)"
#define SQL_LINK_OF                                                           \
    "SELECT from_ext, rel, to_ext, offset_s FROM item_link WHERE platform = " \
    "?1 AND from_ext = ?2 UNION ALL SELECT from_ext, rel, to_ext, offset_s "  \
    "FROM item_link WHERE platform = ?1 AND to_ext = ?2 AND from_ext <> ?2 "  \
    "ORDER BY 2, 1, 3 LIMIT ?3"

static int bind_link(sqlite3_stmt *st, const struct item_link *l, int64_t now)
{
    int rc = sqlite3_bind_text(st, 1, platform_name(l->platform), -1,
                               SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 2, l->from_ext, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 3, l->rel, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 4, l->to_ext, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = l->offset_s < 0 ? sqlite3_bind_null(st, 5)
                             : sqlite3_bind_int64(st, 5, l->offset_s);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 6, now);
    return rc;
}

enum err sqlite_links_put(struct sqlite_store *s, const struct batch *b,
                          int64_t now, struct buf *err)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (b->nlinks == 0)
        return ERR_OK;
    if (sqlite3_prepare_v2(s->db, SQL_LINK_PUT, -1, &st, NULL) != SQLITE_OK)
        return sqlite_fail(s, err, "preparing the item links");
    for (size_t i = 0; i < b->nlinks && rc == ERR_OK; i++) {
        if (bind_link(st, &b->links[i], now) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_DONE)
            rc = sqlite_fail(s, err, "storing an item link");
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    sqlite3_finalize(st);
    return rc;
}

enum err sq_item_links(struct store *base, enum platform p,
                       const char *ext_id, size_t limit,
                       store_link_fn fn, void *ud)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int step;

    if (sqlite3_prepare_v2(S(base)->db, SQL_LINK_OF, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 1, platform_name(p), -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 2, ext_id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, (int64_t)limit) != SQLITE_OK)
        goto out;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct item_link l = {.platform = p, .offset_s = -1};
        const char *rel = (const char *)sqlite3_column_text(st, 1);
        l.from_ext = (char *)sqlite3_column_text(st, 0);
        l.to_ext = (char *)sqlite3_column_text(st, 2);
        if (l.from_ext == NULL || l.to_ext == NULL || rel == NULL ||
            strlen(rel) >= sizeof l.rel)
            continue;
        memcpy(l.rel, rel, strlen(rel) + 1);
        if (sqlite3_column_type(st, 3) != SQLITE_NULL)
            l.offset_s = sqlite3_column_int64(st, 3);
        rc = fn(ud, &l);
        if (rc != ERR_OK)
            goto out;
    }
    rc = step == SQLITE_DONE ? ERR_OK : ERR_DB;
out:
    sqlite3_finalize(st);
    return rc;
}
