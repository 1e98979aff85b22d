/* The PostgreSQL backend's rollup zone, the days it cuts, and the
 * generation (raised by whatever rewrites the rollups). The same
 * arithmetic as the SQLite side (store_sqlite_rollup.c), so that both
 * backends give the same days. */
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "store/pg/store_pg.h"

PG_STMT(pg_zone_get, 0,
        "SELECT value FROM mediadash_setting WHERE key = 'rollup_zone'");
PG_STMT(pg_gen_get, 0,
        "SELECT value FROM mediadash_setting WHERE key = 'generation'");

enum err pg_zone_load(struct store_pg *s, struct buf *err)
{
    PGresult *r = NULL;
    struct tz *z = NULL;
    const char *name;
    enum err rc = pg_run(s, &pg_zone_get, NULL, &r, "reading the rollup zone",
                         err);

    if (rc != ERR_OK)
        return rc;
    name = PQntuples(r) > 0 ? pg_text(r, 0, 0) : NULL;
    rc = tz_load(name != NULL ? name : "UTC", &z, err);
    PQclear(r);
    if (rc != ERR_OK)
        return rc;
    tz_destroy(s->zone);
    s->zone = z;
    s->zone_utc = strcmp(tz_name(z), "UTC") == 0;
    return ERR_OK;
}

const struct tz *pg_rollup_zone(struct store *st)
{
    return pg_of(st)->zone;
}

int32_t pg_day_of(struct store *st, int64_t t)
{
    const struct store_pg *s = pg_of(st);

    return store_zone_day(s->zone, s->zone_utc, t);
}

int64_t pg_day_start(struct store *st, int32_t day)
{
    const struct store_pg *s = pg_of(st);

    return store_zone_day_start(s->zone, s->zone_utc, day);
}

enum err pg_generation(struct store *st, int64_t *out)
{
    PGresult *r = NULL;
    enum err rc = pg_run(pg_of(st), &pg_gen_get, NULL, &r, "generation",
                         NULL);

    *out = 0;
    if (rc == ERR_OK && PQntuples(r) > 0)
        *out = pg_i64_or(r, 0, 0, 0);
    PQclear(r);
    return rc;
}

/* A zone change rebuilds the rollups, which raises the generation: reload
 * the zone when the generation moved. */
enum err pg_refresh(struct store *st, int64_t *gen)
{
    struct store_pg *s = pg_of(st);
    struct buf err;
    enum err rc = pg_generation(st, gen);

    if (rc != ERR_OK || *gen == s->seen_gen)
        return rc;
    buf_init(&err, 1024);
    rc = pg_zone_load(s, &err);
    if (rc == ERR_OK)
        s->seen_gen = *gen;
    buf_free(&err);
    return rc;
}
