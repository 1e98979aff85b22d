/* The PostgreSQL backend's migrations: src/store/pg/sql/NNNN_name.sql,
 * embedded at build time (store_pg_migrations), applied at open in one
 * transaction that holds pg_advisory_xact_lock(PG_MIGRATE_LOCK) first, so
 * that processes opening the same database at once migrate it once: the
 * others wait for the lock, then find every version recorded. */
#include <string.h>

#include "core/str.h"
#include "core/timeutil.h"
#include "store/pg/store_pg.h"

/* The advisory lock key: "mdash" in ASCII, one constant for every
 * mediadash process on a database. */
#define PG_MIGRATE_LOCK "470626296936"

PG_STMT(pg_mig_applied, 1,
        "SELECT count(*) FROM mediadash_migration WHERE version = $1");
PG_STMT(pg_mig_record, 3,
        "INSERT INTO mediadash_migration(version, name, applied_at) "
        "VALUES ($1, $2, $3)");
PG_STMT(pg_mig_version, 0,
        "SELECT coalesce(max(version), 0) FROM mediadash_migration");

static enum err applied(struct store_pg *s, int64_t v, bool *out,
                        struct buf *err)
{
    struct pg_params p;
    PGresult *r = NULL;
    int64_t n = 0;
    enum err rc;

    pg_p_init(&p);
    pg_p_i64(&p, v);
    rc = pg_run(s, &pg_mig_applied, &p, &r, "reading schema migrations",
                err);
    if (rc == ERR_OK && pg_i64(r, 0, 0, &n) != ERR_OK) {
        buf_setf(err, "reading schema migrations: not a count");
        rc = ERR_DB;
    }
    PQclear(r);
    *out = n > 0;
    return rc;
}

static enum err apply(struct store_pg *s, int64_t v,
                      const struct embedded_file *f, struct buf *err)
{
    struct pg_params p;
    bool done = false;
    enum err rc = applied(s, v, &done, err);

    if (rc != ERR_OK || done)
        return rc;
    rc = pg_exec(s, f->text, f->name, err);
    if (rc != ERR_OK)
        return rc;
    pg_p_init(&p);
    pg_p_i64(&p, v);
    pg_p_text(&p, f->name);
    pg_p_i64(&p, time_now());
    return pg_run(s, &pg_mig_record, &p, NULL, f->name, err);
}

/* Inside the transaction, holding the lock. */
static enum err migrate_locked(struct store_pg *s, struct buf *err)
{
    int have = 0, latest = 0;
    enum err rc;

    rc = pg_exec(s,
                 "CREATE TABLE IF NOT EXISTS mediadash_migration ("
                 "version integer PRIMARY KEY, name text NOT NULL, "
                 "applied_at bigint NOT NULL)",
                 "creating mediadash_migration", err);
    if (rc == ERR_OK)
        rc = pg_schema_version(&s->base, &have);
    for (const struct embedded_file *f = store_pg_migrations;
         rc == ERR_OK && f->name; f++) {
        int64_t v;
        if (parse_i64n(f->name, 4, 1, 9999, &v) != ERR_OK) {
            buf_setf(err, "migration %s is not named NNNN_*.sql", f->name);
            return ERR_INVALID;
        }
        latest = (int)v;
        rc = apply(s, v, f, err);
    }
    if (rc == ERR_OK && have > latest) {
        buf_setf(err,
                 "database schema version %d is newer than this program "
                 "knows (%d): upgrade mediadash (database %s)",
                 have, latest, s->where);
        rc = ERR_UNSUPPORTED;
    }
    return rc;
}

PG_STMT(pg_mig_standby, 0,
        "SELECT pg_is_in_recovery(), "
        "to_regclass('mediadash_migration') IS NOT NULL");

/* A hot standby (serve --db-read on a replica) cannot be written: its
 * schema comes from the primary's migrations, and it must be the one
 * this program knows. *standby: whether s is one (then checked here). */
static enum err check_standby(struct store_pg *s, bool *standby,
                              struct buf *err)
{
    PGresult *r = NULL;
    int have = 0;
    enum err rc = pg_run(s, &pg_mig_standby, NULL, &r,
                         "asking whether the server is a standby", err);

    *standby = rc == ERR_OK && pg_text(r, 0, 0) != NULL &&
               strcmp(pg_text(r, 0, 0), "t") == 0;
    if (rc == ERR_OK && *standby && pg_text(r, 0, 1) != NULL &&
        strcmp(pg_text(r, 0, 1), "t") == 0)
        rc = pg_schema_version(&s->base, &have);
    PQclear(r);
    if (rc == ERR_OK && *standby && have != pg_schema_latest()) {
        buf_setf(err, "%s is a read-only standby at schema version %d, "
                 "this program's is %d: migrate its primary with this "
                 "version first", s->where, have, pg_schema_latest());
        rc = ERR_UNSUPPORTED;
    }
    return rc;
}

enum err pg_migrate(struct store_pg *s, struct buf *err)
{
    bool standby = false;
    enum err rc = check_standby(s, &standby, err);

    if (rc != ERR_OK || standby)
        return rc;
    rc = pg_begin(s, err);
    if (rc != ERR_OK)
        return rc;
    rc = pg_exec(s, "SELECT pg_advisory_xact_lock(" PG_MIGRATE_LOCK ")",
                 "waiting for the migration lock", err);
    if (rc == ERR_OK)
        rc = migrate_locked(s, err);
    if (rc == ERR_OK)
        return pg_commit(s, err);
    pg_rollback(s);
    return rc;
}

enum err pg_schema_version(struct store *st, int *out)
{
    struct store_pg *s = pg_of(st);
    PGresult *r = NULL;
    int64_t v = 0;
    enum err rc = pg_run(s, &pg_mig_version, NULL, &r, "schema version",
                         NULL);

    if (rc == ERR_OK && pg_i64(r, 0, 0, &v) != ERR_OK)
        rc = ERR_DB;
    PQclear(r);
    *out = (int)v;
    return rc;
}

int pg_schema_latest(void)
{
    int64_t v, latest = 0;

    for (const struct embedded_file *f = store_pg_migrations; f->name; f++)
        if (parse_i64n(f->name, 4, 1, 9999, &v) == ERR_OK && v > latest)
            latest = v;
    return (int)latest;
}
