/* The PostgreSQL backend: which targets are its own, opening one (connect,
 * migrate, read the zone), and its ops tables. The ops still NULL here
 * answer ERR_UNSUPPORTED through store.c's guard (STORE_NEED): the list
 * docs/postgresql.md keeps, and tests/unit/test_store_conformance.c's
 * expected-unsupported list, shrink as areas are written. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "store/pg/pg_ops.h"
#include "store/pg/store_pg.h"

/* Seconds libpq may take to connect (a server that does not answer). */
#define PG_CONNECT_TIMEOUT "10"

static bool pg_claims(const char *target)
{
    return str_has_prefix(target, "postgresql://") ||
           str_has_prefix(target, "postgres://") ||
           strcmp(target, "postgresql:") == 0;
}

/* The conninfo libpq is given: the bare word means "all from PG*". */
static const char *conninfo_of(const char *target)
{
    return strcmp(target, "postgresql:") == 0 ? "" : target;
}

/* "postgresql://user@host:port/dbname" for messages, from what libpq
 * parses out of target (and the environment), never the password, which
 * goes to *secret for pg_fail to scrub from libpq's messages. */
static char *display_of(const char *target, char **secret)
{
    PQconninfoOption *o = PQconninfoParse(conninfo_of(target), NULL);
    const char *user = "", *host = "", *port = "", *db = "";
    struct buf b;
    char *out;

    *secret = NULL;
    if (o == NULL)
        return xstrdup("postgresql (an unreadable URI)");
    for (PQconninfoOption *p = o; p->keyword != NULL; p++) {
        const char *v = p->val != NULL ? p->val : "";
        if (strcmp(p->keyword, "user") == 0)
            user = v;
        else if (strcmp(p->keyword, "host") == 0)
            host = v;
        else if (strcmp(p->keyword, "port") == 0)
            port = v;
        else if (strcmp(p->keyword, "dbname") == 0)
            db = v;
        else if (strcmp(p->keyword, "password") == 0 && *v)
            *secret = xstrdup(v);
    }
    buf_init(&b, 4096);
    buf_setf(&b, "postgresql://%s%s%s%s%s/%s", user, *user ? "@" : "", host,
             *port ? ":" : "", port, db);
    out = xstrdup(buf_cstr(&b));
    buf_free(&b);
    PQconninfoFree(o);
    return out;
}

static void pg_close(struct store *st)
{
    struct store_pg *s = pg_of(st);

    if (s->conn != NULL)
        PQfinish(s->conn);
    tz_destroy(s->zone);
    free(s->prepared);
    free(s->where);
    free(s->secret);
    free(s);
}

static enum store_fault pg_fault(struct store *st)
{
    struct store_pg *s = pg_of(st);
    enum store_fault f = s->fault;

    s->fault = STORE_FAULT_OTHER;
    return f;
}

static enum err connect_to(struct store_pg *s, const char *target,
                           struct buf *err)
{
    const char *keys[] = {"application_name", "dbname", "connect_timeout",
                          "client_encoding", NULL};
    const char *vals[] = {"mediadash", conninfo_of(target),
                          PG_CONNECT_TIMEOUT, "UTF8", NULL};

    s->conn = PQconnectdbParams(keys, vals, 1);
    if (s->conn == NULL) {
        buf_setf(err, "cannot connect to %s: out of memory", s->where);
        return ERR_DB;
    }
    if (PQstatus(s->conn) != CONNECTION_OK) {
        pg_fail(s, NULL, "cannot connect", err);
        return ERR_DB;
    }
    /* Quiet NOTICEs (CREATE ... IF NOT EXISTS) and a fixed zone: the
     * store reads and writes epoch seconds only. */
    return pg_exec(s, "SET client_min_messages = warning; SET TimeZone = 'UTC'",
                   "setting up the session", err);
}

static const struct store_ops pg_ops;

static enum err pg_open(const char *target, struct store **out,
                        struct buf *err)
{
    struct store_pg *s = xcalloc(1, sizeof *s);
    enum err rc;

    s->base.ops = &pg_ops;
    s->where = display_of(target, &s->secret);
    rc = connect_to(s, target, err);
    if (rc == ERR_OK)
        rc = pg_migrate(s, err);
    if (rc == ERR_OK)
        rc = pg_generation(&s->base, &s->seen_gen);
    if (rc == ERR_OK)
        rc = pg_zone_load(s, err);
    if (rc != ERR_OK) {
        if (err != NULL && buf_cstr(err)[0] == '\0')
            buf_setf(err, "cannot open %s", s->where);
        pg_close(&s->base);
        *out = NULL;
        return rc;
    }
    *out = &s->base;
    return ERR_OK;
}

PG_STMT(pg_peek_has, 0,
        "SELECT to_regclass('mediadash_migration') IS NOT NULL");

enum err pg_target_connect(const char *target, struct store_pg **out,
                           struct buf *err)
{
    struct store_pg *s = xcalloc(1, sizeof *s);
    enum err rc;

    s->base.ops = &pg_ops;
    s->where = display_of(target, &s->secret);
    rc = connect_to(s, target, err);
    if (rc != ERR_OK) {
        pg_close(&s->base);
        s = NULL;
    }
    *out = s;
    return rc;
}

void pg_target_close(struct store_pg *s)
{
    if (s != NULL)
        pg_close(&s->base);
}

char *pg_target_display(const char *target)
{
    char *secret = NULL, *out = display_of(target, &secret);

    free(secret);
    return out;
}

/* The schema version without migrating: 0 when mediadash never
 * migrated this database. */
static enum err pg_schema_peek(const char *target, int *out, struct buf *err)
{
    struct store_pg *s = NULL;
    PGresult *r = NULL;
    enum err rc;

    *out = 0;
    rc = pg_target_connect(target, &s, err);
    if (rc == ERR_OK)
        rc = pg_run(s, &pg_peek_has, NULL, &r, "reading the schema version",
                    err);
    if (rc == ERR_OK && pg_text(r, 0, 0) != NULL &&
        strcmp(pg_text(r, 0, 0), "t") == 0)
        rc = pg_schema_version(&s->base, out);
    PQclear(r);
    pg_target_close(s);
    return rc;
}

/* PostgreSQL has no page cache of ours to shrink: nothing to do. */
static enum err pg_small_cache(struct store *st)
{
    (void)st;
    return ERR_OK;
}

/* The areas with their own header: filled as they are written (pgops). */
/* pgposts: posts, with SKIP LOCKED claims and leases (pg_post*.c) */
static const struct store_post_ops pg_post_ops = {
    .add = pg_post_add,
    .get = pg_post_get,
    .list = pg_post_list,
    .events = pg_post_events,
    .transition = pg_post_transition,
    .set_progress = pg_post_set_progress,
    .move = pg_post_move,
    .claim_due = pg_post_claim_due,
    .expire_leases = pg_post_expire_leases,
    .edit = pg_post_edit,
    .edits = pg_post_edits,
};
/* pgposts: queue slots (pg_slots.c) */
static const struct store_slot_ops pg_slot_ops = {
    .list = pg_slot_list_op,
    .get = pg_slot_get_op,
    .add = pg_slot_add_op,
    .update = pg_slot_update_op,
    .delete = pg_slot_delete_op,
    .taken = pg_slot_taken_op,
    .queue_post = pg_slot_queue_post_op,
};
/* pgposts: the media library (pg_media.c) */
static const struct store_media_ops pg_media_ops = {
    .put = pg_media_put_op,
    .get = pg_media_get_op,
    .list = pg_media_list_op,
    .uses = pg_media_uses_op,
    .delete = pg_media_delete_op,
};
/* pgposts: the notification outbox (pg_notify.c) */
static const struct store_notify_ops pg_notify_ops = {
    .add = pg_notify_add_op,
    .claim = pg_notify_claim_op,
    .get = pg_notify_get_op,
    .result = pg_notify_result_op,
    .off = pg_notify_off_op,
    .next_due = pg_notify_next_due_op,
    .list = pg_notify_list_op,
    .deliveries = pg_notify_deliveries_op,
    .watch = pg_notify_watch_op,
    .watch_mark = pg_notify_watch_mark_op,
    .watch_clear = pg_notify_watch_clear_op,
    .prune = pg_notify_prune_op,
};

extern const struct store_copy_ops pg_copy_ops; /* pg_copy.c */

static const struct store_ops pg_ops = {
    .post = &pg_post_ops,
    .slot = &pg_slot_ops,
    .media = &pg_media_ops,
    .notify = &pg_notify_ops,
    .token = &pg_token_ops,
    .name = "PostgreSQL",
    .close = pg_close,
    .fault = pg_fault,
    .schema_version = pg_schema_version,
    .rollup_zone = pg_rollup_zone,
    .generation = pg_generation,
    .refresh = pg_refresh,
    .small_cache = pg_small_cache,
    .can_wake = pg_can_wake,
    .listen = pg_listen,
    .wake = pg_wake,
    .wait = pg_wait,
    .day_of = pg_day_of,
    .day_start = pg_day_start,
    .ingest = pg_ingest,
    .sole_account = pg_sole_account,
    .list_items = pg_list_items,
    .count_items = pg_count_items,
    .item_history = pg_item_history,
    .item_by_id = pg_item_by_id,
    .export_values = pg_export_values,
    .imports_list = pg_imports_list,
    .audit_list = pg_audit_list,
    /* taking data back and roles (pg_remove.c) */
    .import_remove = pg_import_remove,
    .account_remove = pg_account_remove,
    .account_set_role = pg_account_set_role,
    /* users and sessions (pg_auth.c) */
    .user_add = pg_user_add,
    .user_get = pg_user_get,
    .user_set_password = pg_user_set_password,
    .user_del = pg_user_del,
    .user_list = pg_user_list,
    .user_count = pg_user_count,
    .session_add = pg_session_add,
    .session_get = pg_session_get,
    .session_touch = pg_session_touch,
    .session_del = pg_session_del,
    .session_purge = pg_session_purge,
    /* credentials and authorization states (pg_cred.c) */
    .cred_put = pg_cred_put_op,
    .cred_get = pg_cred_get_op,
    .cred_set_status = pg_cred_set_status,
    .cred_list = pg_cred_list_op,
    .cred_set_renew_error = pg_cred_set_renew_error,
    .oauth_state_put = pg_oauth_state_put,
    .oauth_state_take = pg_oauth_state_take,
    .oauth_pending_add = pg_oauth_pending_add,
    .oauth_pending_claim = pg_oauth_pending_claim,
    .oauth_pending_done = pg_oauth_pending_done,
    .oauth_pending_list = pg_oauth_pending_list,
    /* the daily rollups and their reads (pgroll: pg_rollup.c,
     * pg_rollup_query.c, pg_rollup_account.c) */
    .rollup_rebuild = pg_rollup_rebuild,
    .set_rollup_zone = pg_set_rollup_zone,
    .item_days = pg_item_days,
    .item_gain_sum = pg_item_gain_sum,
    .content_sums = pg_content_sums,
    .account_sums = pg_account_sums,
    .account_gains = pg_account_gains,
    .content_day_gains = pg_content_day_gains,
    .values_at_age = pg_values_at_age,
    .age_rows = pg_age_rows,
    .account_compare = pg_account_compare,
    .account_day_get = pg_account_day_get,
    /* pgrest: search (pg_search.c), the collector's state (pg_collect.c) */
    .search = pg_search,
    .copy = &pg_copy_ops, /* `db copy` (pg_copy.c) */
    .job_get = pg_job_get,
    .job_put = pg_job_put,
    .job_list = pg_job_list,
    .quota_get = pg_quota_get,
    .quota_add = pg_quota_add,
    .item_sched_put = pg_item_sched_put,
    .item_sched_has = pg_item_sched_has,
    .item_sched_due = pg_item_sched_due,
    .item_sched_stats = pg_item_sched_stats,
    .usage_put = pg_usage_put,
    .usage_get = pg_usage_get,
    .item_set_removed = pg_item_set_removed,
    .dropped_metric_add = pg_dropped_metric_add, /* pg_dropped.c */
    .dropped_metric_list = pg_dropped_metric_list,
    /* pghealth: health data (pg_health.c) */
    .health_put = pg_health_put,
    .health_count = pg_health_count,
    .health_remove = pg_health_remove,
    .health_days = pg_health_days,
    .item_links = pg_item_links, /* pg_links.c */
    .gauges_read = pg_gauges_read, /* pg_gauges.c */
    .doc_changes = pg_doc_changes, /* pg_docs.c */
    .doc_find = pg_doc_find,
    .doc_last_seq = pg_doc_last_seq,
    /* reads at one state: export documents (pg_read.c, webfin) */
    .read_begin = pg_read_begin,
    .read_end = pg_read_end,
};

const struct store_backend store_pg_backend = {
    .name = "PostgreSQL",
    .claims = pg_claims,
    .open = pg_open,
    .schema_peek = pg_schema_peek,
    .schema_latest = pg_schema_latest,
    .display = pg_target_display,
    .share_group = pg_share_group,
    .backup_copy = pg_backup_copy,
    .verify = pg_verify,
    .in_use = pg_in_use,
    .facts_read = pg_facts_read,
};
