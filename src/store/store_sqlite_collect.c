/* Collector job state and the quota ledger (SQLite backend). Rare
 * statements: prepared per call, finalized at out:. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "store/store_sqlite.h"

#define S sqlite_store_of

#define SQL_JOB_COLS                                                          \
    "SELECT platform, account, kind, last_fetch, next_due, failures, "        \
    "last_status, last_error FROM collect_job "
#define SQL_JOB_GET SQL_JOB_COLS "WHERE platform = ?1 AND account = ?2 AND kind = ?3"
#define SQL_JOB_LIST SQL_JOB_COLS "ORDER BY platform, account, kind"
#define SQL_JOB_PUT                                                           \
    "INSERT INTO collect_job(platform, account, kind, last_fetch, next_due, " \
    "failures, last_status, last_error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, " \
    "?8) ON CONFLICT(platform, account, kind) DO UPDATE SET last_fetch = "    \
    "excluded.last_fetch, next_due = excluded.next_due, failures = "          \
    "excluded.failures, last_status = excluded.last_status, last_error = "    \
    "excluded.last_error"
#define SQL_QUOTA_GET                                                         \
    "SELECT units FROM quota_ledger WHERE platform = ?1 AND day_start = ?2"
#define SQL_QUOTA_ADD                                                         \
    "INSERT INTO quota_ledger(platform, day_start, units) VALUES (?1, ?2, "   \
    "?3) ON CONFLICT(platform, day_start) DO UPDATE SET units = units + ?3"

static enum err row_to_job(sqlite3_stmt *st, struct store_job *out)
{
    const char *pl = (const char *)sqlite3_column_text(st, 0);
    const char *acct = (const char *)sqlite3_column_text(st, 1);
    const char *kind = (const char *)sqlite3_column_text(st, 2);
    const char *status = (const char *)sqlite3_column_text(st, 6);
    const char *le = (const char *)sqlite3_column_text(st, 7);

    *out = (struct store_job){0};
    if (pl == NULL || acct == NULL || kind == NULL || status == NULL ||
        platform_from_name(pl, &out->platform) != ERR_OK)
        return ERR_DB;
    out->kind = strcmp(kind, "content") == 0 ? JOB_CONTENT : JOB_ACCOUNT;
    out->last_fetch = sqlite3_column_type(st, 3) == SQLITE_NULL
                          ? TIME_NONE
                          : sqlite3_column_int64(st, 3);
    out->next_due = sqlite3_column_int64(st, 4);
    out->failures = sqlite3_column_int64(st, 5);
    out->status = JOB_FAILED;
    for (int i = 0; i < JOB_STATUS_COUNT; i++)
        if (strcmp(status, job_status_name((enum job_status)i)) == 0)
            out->status = (enum job_status)i;
    out->account = xstrdup(acct);
    out->last_error = le ? xstrdup(le) : NULL;
    return ERR_OK;
}

enum err sq_job_get(struct store *base, enum platform p, const char *account,
                    enum job_kind kind, struct store_job *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int step;

    *out = (struct store_job){0};
    if (sqlite_prepare_for(s, SQL_JOB_GET, p, account, &st) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, job_kind_name(kind), -1, SQLITE_STATIC) !=
            SQLITE_OK)
        goto out;
    step = sqlite3_step(st);
    if (step == SQLITE_DONE)
        rc = ERR_NOTFOUND;
    else if (step == SQLITE_ROW)
        rc = row_to_job(st, out);
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_job_put(struct store *base, const struct store_job *j)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;

    if (sqlite_prepare_for(s, SQL_JOB_PUT, j->platform, j->account, &st) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 3, job_kind_name(j->kind), -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        (j->last_fetch == TIME_NONE
             ? sqlite3_bind_null(st, 4)
             : sqlite3_bind_int64(st, 4, j->last_fetch)) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, j->next_due) != SQLITE_OK ||
        sqlite3_bind_int64(st, 6, j->failures) != SQLITE_OK ||
        sqlite3_bind_text(st, 7, job_status_name(j->status), -1,
                          SQLITE_STATIC) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 8, j->last_error) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        goto out;
    rc = ERR_OK;
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_job_list(struct store *base, store_job_fn fn, void *ud)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    struct store_job j = {0};
    enum err rc = ERR_DB;
    int step;

    if (sqlite3_prepare_v2(s->db, SQL_JOB_LIST, -1, &st, NULL) != SQLITE_OK)
        goto out;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        rc = row_to_job(st, &j);
        if (rc == ERR_OK)
            rc = fn(ud, &j);
        store_job_free(&j);
        if (rc != ERR_OK)
            goto out;
    }
    rc = step == SQLITE_DONE ? ERR_OK : ERR_DB;
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_quota_get(struct store *base, enum platform p, int64_t day_start,
                      int64_t *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int step;

    *out = 0;
    if (sqlite_prepare_for(s, SQL_QUOTA_GET, p, NULL, &st) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, day_start) != SQLITE_OK)
        goto out;
    step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    if (step == SQLITE_ROW || step == SQLITE_DONE)
        rc = ERR_OK;
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_quota_add(struct store *base, enum platform p, int64_t day_start,
                      int64_t units)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;

    if (units < 0)
        return ERR_INVALID;
    if (sqlite_prepare_for(s, SQL_QUOTA_ADD, p, NULL, &st) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, day_start) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, units) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        goto out;
    rc = ERR_OK;
out:
    sqlite3_finalize(st);
    return rc;
}
