/* Private to src/store/pg: the PostgreSQL backend (docs/postgresql.md).
 *
 * The only place libpq is used (tools/check-src.sh refuses it elsewhere).
 * Its handle, struct store_pg, holds one connection; every statement with
 * parameters is a struct pg_stmt, prepared once per connection under its
 * name on first use (pg_run) and executed with text parameters. Each area
 * file declares its own statements (PG_STMT), so that areas are written
 * and reviewed apart, as on the SQLite side. */
#ifndef MEDIADASH_STORE_PG_H
#define MEDIADASH_STORE_PG_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/tz.h"
#include "store/store_impl.h"

/* A parameterised statement: name unique in the backend ("pg_<area>_..."),
 * constant SQL with $1..$nparams. Prepared at most once per connection. */
struct pg_stmt {
    const char *name;
    const char *sql;
    int nparams;
};
#define PG_STMT(var, nparams, sql)                                            \
    static const struct pg_stmt var = {#var, sql, nparams}

#define PG_MAX_PARAMS 32

/* Parameters of one pg_run, as text. pg_p_* append one; NULL is SQL NULL.
 * Strings are borrowed (must outlive the pg_run); numbers are copied. */
struct pg_params {
    const char *v[PG_MAX_PARAMS];
    char num[PG_MAX_PARAMS][24];
    int n;
};
void pg_p_init(struct pg_params *p);
void pg_p_text(struct pg_params *p, const char *s);
void pg_p_i64(struct pg_params *p, int64_t v);
void pg_p_null(struct pg_params *p);

struct store_pg {
    struct store base; /* first: a struct store * is a struct store_pg * */
    PGconn *conn;
    char *where;   /* the target for messages: never the password */
    char *secret;  /* the password given in the target, to scrub, or NULL */
    const struct pg_stmt **prepared; /* the statements this connection has */
    size_t nprepared, capprepared;
    struct tz *zone;   /* the rollup zone */
    bool zone_utc;
    int64_t seen_gen;  /* the generation the zone was read at */
    enum store_fault fault; /* of the last failure, for store_fault */
};

static inline struct store_pg *pg_of(struct store *st)
{
    return (struct store_pg *)st;
}

/* Run st with params (NULL: none). OK: *res (when res is not NULL) is the
 * result, PGRES_TUPLES_OK or PGRES_COMMAND_OK, for the caller to PQclear.
 * Otherwise the error mapped by pg_fail, with what in the message. */
enum err pg_run(struct store_pg *s, const struct pg_stmt *st,
                const struct pg_params *params, PGresult **res,
                const char *what, struct buf *err);
/* pg_run with the result in binary format (integers in network byte
 * order, bytea as its bytes): for a reader of many bytes, where text
 * would double them and cost a parse. */
enum err pg_run_binary(struct store_pg *s, const struct pg_stmt *st,
                       const struct pg_params *params, PGresult **res,
                       const char *what, struct buf *err);
/* Run constant SQL without parameters (BEGIN, COMMIT, a migration). */
enum err pg_exec(struct store_pg *s, const char *sql, const char *what,
                 struct buf *err);

/* Map a failed result (res may be NULL: a connection failure) onto
 * store.h's error table: 23505 unique_violation ERR_EXISTS, 23503
 * foreign_key_violation ERR_BUSY, class 22 (data exception) ERR_INVALID,
 * anything else ERR_DB (53100 disk_full: store_fault says FULL, class
 * 58: IO). err: "<what>: <server message> (SQLSTATE xxxxx)", the password
 * scrubbed. */
enum err pg_fail(struct store_pg *s, const PGresult *res, const char *what,
                 struct buf *err);

/* Transactions. pg_rollback never fails the caller (a lost connection
 * has rolled back already). */
enum err pg_begin(struct store_pg *s, struct buf *err);
enum err pg_commit(struct store_pg *s, struct buf *err);
void pg_rollback(struct store_pg *s);

/* Typed readers of row r, column c. pg_i64: ERR_PARSE when NULL or not a
 * whole int64 in text (strict: sign and digits only). pg_text: NULL when
 * SQL NULL, else the borrowed text. pg_i64_or: dflt when NULL. */
bool pg_null(const PGresult *res, int r, int c);
enum err pg_i64(const PGresult *res, int r, int c, int64_t *out);
int64_t pg_i64_or(const PGresult *res, int r, int c, int64_t dflt);
const char *pg_text(const PGresult *res, int r, int c);

/* pg_migrate.c: apply the embedded migrations (store_pg_migrations) under
 * pg_advisory_xact_lock, in one transaction; *version: the newest. */
enum err pg_migrate(struct store_pg *s, struct buf *err);
enum err pg_schema_version(struct store *st, int *out);
/* The newest version of the embedded migrations. */
int pg_schema_latest(void);

/* pg_backend.c: a connection to target without migrating (the target
 * functions of pg_target.c); close it with pg_target_close (NULL: no-op).
 * pg_target_display: target without its password, caller frees. */
enum err pg_target_connect(const char *target, struct store_pg **out,
                           struct buf *err);
void pg_target_close(struct store_pg *s);
char *pg_target_display(const char *target);

/* pg_zone.c: the rollup zone and the days it cuts. */
enum err pg_zone_load(struct store_pg *s, struct buf *err);
const struct tz *pg_rollup_zone(struct store *st);
int32_t pg_day_of(struct store *st, int64_t t);
int64_t pg_day_start(struct store *st, int32_t day);
enum err pg_generation(struct store *st, int64_t *out);
enum err pg_refresh(struct store *st, int64_t *gen);

/* pg_ingest.c */
enum err pg_ingest(struct store *st, const struct batch *b,
                   const struct import_meta *meta, struct ingest_stats *out,
                   struct buf *err);

/* pg_query.c: reads of the event store */
enum err pg_list_items(struct store *st, const struct item_query *q,
                       store_item_fn fn, void *ud, struct buf *err);
enum err pg_count_items(struct store *st, const struct item_query *q,
                        int64_t *out);
enum err pg_item_history(struct store *st, const char *ref,
                         const struct history_query *q, struct item **out,
                         bool *truncated, struct buf *err);
enum err pg_export_values(struct store *st, const struct export_query *q,
                          store_row_fn fn, void *ud, struct buf *err);
enum err pg_item_by_id(struct store *st, int64_t id, struct item **out);
enum err pg_imports_list(struct store *st, store_import_fn fn, void *ud);
enum err pg_audit_list(struct store *st, store_audit_fn fn, void *ud);
enum err pg_sole_account(struct store *st, enum platform p, char **out);

#endif
