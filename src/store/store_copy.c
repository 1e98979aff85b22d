/* `db copy` (store_copy.h): the tables, the checks before anything is
 * written, and the batches from one backend's scan into the other's put.
 * Backend-neutral: everything goes through struct store_copy_ops. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/tz.h"
#include "store/store_impl.h"

#define DEFAULT_BATCH 5000
#define MAX_BATCH 100000

/* Derived tables that every backend keeps alike (item_latest, the daily
 * rollups, document marks) are copied as rows: the same rows on both, so
 * the copy answers exactly as the source did without a rebuild. */
const struct store_copy_table store_copy_tables[] = {
    {"metric", "id,name", "IT", "id"},
    {"import", "id,digest,source,format,imported_at,snapshots,items,vals",
     "ITTTIIII", "id"},
    /* accounts first: content refers to its account */
    {"item",
     "id,platform,type,ext_id,account_id,kind,handle,title,description,url,"
     "thumbnail_url,published_at,duration_s,first_seen,updated_at,role,"
     "import_id,removed_last_seen,tags",
     "ITTTITTTTTTIIIITIIT", "account_id IS NOT NULL, id"},
    {"snapshot", "id,item_id,observed_at,import_id", "IIII", "id"},
    {"snapshot_value", "snapshot_id,metric_id,ival,rval", "IIIR",
     "snapshot_id, metric_id"},
    {"value_import", "snapshot_id,metric_id,import_id", "III",
     "snapshot_id, metric_id"},
    {"item_latest", "item_id,metric_id,observed_at,ival,rval", "IIIIR",
     "item_id, metric_id"},
    {"item_day",
     "item_id,metric_id,day,first_at,first_v,last_at,last_v,gain",
     "IIIIIIII", "metric_id, day, item_id"},
    {"account_day", "account_id,metric_id,day,gain", "IIII",
     "account_id, metric_id, day"},
    {"item_link", "platform,from_ext,rel,to_ext,offset_s,first_seen",
     "TTTTII", "platform, from_ext, rel, to_ext"},
    {"doc_change", "item_id,kind,day,seq,changed_at", "IIIII",
     "item_id, kind, day"},
    {"doc_tomb",
     "seq,item_id,kind,day,changed_at,platform,type,ext_id,role",
     "IIIIITTTT", "seq"},
    {"audit", "id,at,who,action,what", "IITTT", "id"},
    {"app_user", "id,name,pw_hash,created_at,disabled", "ITTII", "id"},
    {"session", "token_hash,user_id,csrf,created_at,last_seen", "TITII",
     "token_hash"},
    {"api_token",
     "id,name,token_hash,scope,created_at,created_by,expires_at,"
     "last_used_at,revoked_at",
     "ITTTITIII", "id"},
    {"credential",
     "platform,account,access_token,refresh_token,expires_at,scopes,status,"
     "last_error,updated_at,issued_at,refresh_expires_at,renew_error,login",
     "TTTTITTTIIITT", "platform, account"},
    {"oauth_state", "state,platform,account,verifier,expires_at,login",
     "TTTTIT", "state"},
    {"oauth_pending",
     "id,state,code,platform,account,status,message,created_at,finished_at",
     "ITTTTTTII", "id"},
    {"post",
     "id,platform,account,title,caption,tags,privacy,media,publish_at,zone,"
     "local_time,state,attempts,claimed_by,claimed_until,remote_id,"
     "remote_url,last_error,idem_key,body_hash,created_at,updated_at,"
     "progress,version,failure",
     "ITTTTTTTITTTITITTTTTIITIT", "id"},
    {"post_event", "id,post_id,at,from_state,to_state,note", "IIITTT", "id"},
    {"post_edit", "id,post_id,at,version,by,changes", "IIIITT", "id"},
    {"media",
     "sha256,path,name,bytes,content_type,container,video_codec,audio_codec,"
     "duration_ms,width,height,thumb,uploaded_at",
     "TTTITTTTIIITI", "sha256"},
    {"queue_slot",
     "id,platform,account,weekday,minute,zone,created_at,updated_at",
     "ITTIITII", "id"},
    {"notify_outbox",
     "id,kind,dedup_key,created_at,post_id,platform,account,item,title,"
     "detail,test,wh_state,wh_attempts,wh_next_at,mail_state,mail_attempts,"
     "mail_next_at",
     "ITTIITTTTTITIITII", "id"},
    {"notify_delivery",
     "id,outbox_id,channel,at,attempt,ok,status,detail", "IITIIIIT", "id"},
    {"notify_watch", "key,first_seen,seen_at,notified", "TIII", "key"},
    {"collect_job",
     "platform,account,kind,last_fetch,next_due,failures,last_status,"
     "last_error",
     "TTTIIITT", "platform, account, kind"},
    {"quota_ledger", "platform,day_start,units", "TII",
     "platform, day_start"},
    {"collect_item",
     "platform,account,item_id,kind,published_at,last_fetch,next_due",
     "TTTTIII", "platform, account, item_id"},
    {"api_usage", "platform,account,pct,observed_at", "TTII",
     "platform, account"},
    {"dropped_metric", "platform,account,kind,metric,dropped_at", "TTTTI",
     "platform, account, kind, metric"},
    /* health data (store_health.h) */
    {"health_daily",
     "kind,day,doc_id,score,steps,active_calories,total_calories,high_s,"
     "medium_s,low_s,sedentary_s,temp_dev,temp_trend_dev,fetched_at",
     "TTTIIIIIIIIRRI", "kind, day"},
    {"health_contrib", "kind,day,name,value", "TTTI", "kind, day, name"},
    {"health_sleep",
     "id,day,type,start_at,end_at,total_s,in_bed_s,deep_s,rem_s,light_s,"
     "awake_s,latency_s,efficiency,lowest_hr,average_hrv,restless,"
     "average_hr,average_breath,fetched_at",
     "TTTIIIIIIIIIIIIIRRI", "id"},
    {"health_hr", "ts,source,bpm", "ITI", "ts, source"},
    {"health_workout",
     "id,day,activity,intensity,source,label,start_at,end_at,calories,"
     "distance,fetched_at",
     "TTTTTTIIRRI", "id"},
    {"health_session", "id,day,type,mood,start_at,end_at,fetched_at",
     "TTTTIII", "id"},
    {"health_spo2", "day,doc_id,average,bdi,fetched_at", "TTRII", "day"},
};
const size_t store_copy_ntables_ =
    sizeof store_copy_tables / sizeof store_copy_tables[0];

size_t store_copy_ntables(void)
{
    return store_copy_ntables_;
}

const char *store_copy_table_name(size_t i)
{
    return i < store_copy_ntables_ ? store_copy_tables[i].name : NULL;
}

void store_copy_cols(const struct store_copy_table *t, const char *prefix,
                     struct buf *out)
{
    const char *p = t->cols;

    buf_reset(out);
    while (*p != '\0') {
        int n = (int)strcspn(p, ",");
        buf_catf(out, "%s%s\"%.*s\"", out->len > 0 ? "," : "",
                 prefix != NULL ? prefix : "", n, p);
        p += n;
        if (*p == ',')
            p++;
    }
}

enum err store_copy_counts(struct store *st, int64_t *out, struct buf *err)
{
    enum err rc = ERR_OK;

    STORE_NEED(st, copy, err);
    for (size_t i = 0; i < store_copy_ntables_ && rc == ERR_OK; i++) {
        rc = st->ops->copy->count(st, &store_copy_tables[i], &out[i], err);
        if (rc == ERR_UNSUPPORTED) {
            out[i] = -1;
            rc = ERR_OK;
        }
    }
    return rc;
}

/* What dst holds (ERR_EXISTS) or cannot take (ERR_UNSUPPORTED), in err. */
static enum err precheck(const int64_t *sc, const int64_t *dc, bool replace,
                         const char *dname, struct buf *err)
{
    bool missing = false, full = false;

    for (size_t i = 0; i < store_copy_ntables_; i++)
        missing = missing || (sc[i] > 0 && dc[i] < 0);
    if (missing) {
        buf_setf(err, "the destination (%s) cannot store", dname);
        for (size_t i = 0; i < store_copy_ntables_; i++)
            if (sc[i] > 0 && dc[i] < 0)
                buf_catf(err, " %s (%lld rows)", store_copy_tables[i].name,
                         (long long)sc[i]);
        buf_catf(err, " yet: nothing was copied");
        return ERR_UNSUPPORTED;
    }
    for (size_t i = 0; i < store_copy_ntables_; i++)
        full = full || dc[i] > 0;
    if (full && !replace) {
        const char *sep = " ";
        buf_setf(err, "the destination is not empty, it holds");
        for (size_t i = 0; i < store_copy_ntables_; i++)
            if (dc[i] > 0) {
                buf_catf(err, "%s%s: %lld", sep, store_copy_tables[i].name,
                         (long long)dc[i]);
                sep = ", ";
            }
        buf_catf(err, " (--replace empties it first)");
        return ERR_EXISTS;
    }
    return ERR_OK;
}

struct copy_run {
    struct store *dst;
    const struct store_copy_table *t;
    const struct store_copy_opts *o;
    int64_t rows, total;
    struct buf *err;
};

static enum err copy_batch(void *ud, const struct store_copy_val *v,
                           size_t n)
{
    struct copy_run *run = ud;
    enum err rc = run->dst->ops->copy->put(run->dst, run->t, v, n, run->err);

    run->rows += (int64_t)n;
    if (rc == ERR_OK && run->o->progress != NULL)
        run->o->progress(run->o->ud, run->t->name, run->rows, run->total);
    return rc;
}

static enum err copy_tables(struct store *src, struct store *dst,
                            const struct store_copy_opts *o,
                            const int64_t *sc, struct buf *err)
{
    size_t batch = o->batch == 0 ? DEFAULT_BATCH : o->batch;
    enum err rc = ERR_OK;

    if (batch > MAX_BATCH)
        batch = MAX_BATCH;
    for (size_t i = 0; i < store_copy_ntables_ && rc == ERR_OK; i++) {
        struct copy_run run = {dst, &store_copy_tables[i], o, 0, sc[i], err};
        if (sc[i] <= 0)
            continue;
        if (o->progress != NULL) /* the table's start, for its rate */
            o->progress(o->ud, run.t->name, 0, sc[i]);
        rc = src->ops->copy->scan(src, run.t, batch, copy_batch, &run, err);
        if (rc == ERR_OK && run.rows != sc[i]) {
            buf_setf(err, "%s: read %lld rows, counted %lld", run.t->name,
                     (long long)run.rows, (long long)sc[i]);
            rc = ERR_INVALID;
        }
    }
    return rc;
}

enum err store_copy(struct store *src, struct store *dst,
                    const struct store_copy_opts *o, struct buf *err)
{
    int64_t *sc, *dc;
    bool reading = false, writing = false;
    enum err rc;

    STORE_NEED(src, copy, err);
    STORE_NEED(dst, copy, err);
    sc = xcalloc(store_copy_ntables_, sizeof *sc);
    dc = xcalloc(store_copy_ntables_, sizeof *dc);
    rc = store_read_begin(src, err);
    reading = rc == ERR_OK;
    if (rc == ERR_OK)
        rc = store_copy_counts(src, sc, err);
    if (rc == ERR_OK)
        rc = store_copy_counts(dst, dc, err);
    if (rc == ERR_OK)
        rc = precheck(sc, dc, o->replace, dst->ops->name, err);
    /* The zone first (setting it rebuilds dst's rollups: cheap while they
     * are about to be replaced), and only when it differs, so that a
     * copy refused later leaves an empty dst's zone as it was. */
    if (rc == ERR_OK && strcmp(tz_name(store_rollup_zone(src)),
                               tz_name(store_rollup_zone(dst))) != 0)
        rc = store_set_rollup_zone(dst, tz_name(store_rollup_zone(src)), err);
    if (rc == ERR_OK)
        rc = dst->ops->copy->begin(dst, o->replace, err);
    writing = rc == ERR_OK;
    if (rc == ERR_OK)
        rc = copy_tables(src, dst, o, sc, err);
    if (writing) {
        enum err rc2 = dst->ops->copy->end(dst, rc == ERR_OK, err);
        if (rc == ERR_OK)
            rc = rc2;
    }
    if (reading)
        store_read_end(src);
    free(sc);
    free(dc);
    return rc;
}
