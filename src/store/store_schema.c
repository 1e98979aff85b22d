/* Schema versions without opening a store (store.h): what the program
 * knows, and what a database file is at (for --version). */
#include <sqlite3.h>
#include <sys/stat.h>

#include "core/str.h"
#include "store/store.h"
#include "store/store_impl.h"

int store_schema_latest(void)
{
    int64_t v, latest = 0;

    for (const struct embedded_file *f = store_migrations; f->name; f++)
        if (parse_i64n(f->name, 4, 1, 9999, &v) == ERR_OK && v > latest)
            latest = v;
    return (int)latest;
}

enum err sq_schema_peek(const char *path, int *out, struct buf *err)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    struct stat sb;
    enum err rc = ERR_DB;
    int step;

    *out = 0;
    if (stat(path, &sb) != 0)
        return ERR_NOTFOUND;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_busy_timeout(db, 2000);
    /* A database no migration ran on has no table: version 0. */
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM sqlite_master WHERE "
                           "type = 'table' AND name = 'schema_migration'",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        goto fail;
    step = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (step == 0) {
        rc = ERR_OK;
        goto out;
    }
    if (sqlite3_prepare_v2(db,
                           "SELECT coalesce(max(version), 0) FROM "
                           "schema_migration",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        goto fail;
    *out = sqlite3_column_int(st, 0);
    rc = ERR_OK;
    goto out;
fail:
    buf_setf(err, "%s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}
