/* Row readers shared by the PostgreSQL files (pg_rows.h). */
#include "store/pg/pg_ops.h"
#include "store/pg/pg_rows.h"

enum err pg_run_id(struct store_pg *s, const struct pg_stmt *q, int64_t id,
                   const char *what, const char *doing, PGresult **res,
                   struct buf *err)
{
    struct pg_params p;
    enum err rc;

    pg_p_init(&p);
    pg_p_i64(&p, id);
    rc = pg_run(s, q, &p, res, doing, err);
    if (rc == ERR_OK && PQntuples(*res) == 0 && pg_changes(*res) == 0) {
        if (err != NULL)
            buf_setf(err, "no %s %lld", what, (long long)id);
        rc = ERR_NOTFOUND;
    }
    return rc;
}

enum err pg_each_id_row(struct store_pg *s, const struct pg_stmt *q,
                        int64_t id, const char *doing, pg_row_fn fn,
                        void *ud, struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_i64(&p, id);
    rc = pg_run(s, q, &p, &res, doing, err);
    for (int r = 0; rc == ERR_OK && r < PQntuples(res); r++)
        rc = fn(res, r, ud);
    PQclear(res);
    return rc;
}
