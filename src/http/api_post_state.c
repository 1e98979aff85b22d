/* Post objects joined with accounts and content (api_post_state.h). */
#include "http/api_post_state.h"

#include "analytics/postperf.h"
#include "analytics/typical.h"
#include "core/log.h"
#include "core/model.h"
#include "core/timeutil.h"
#include "http/api.h"

void api_post_extra_init(struct api_post_extra *x, struct store *st)
{
    struct buf err;

    buf_init(&err, 512);
    x->st = st;
    x->accts = NULL;
    if (status_accounts_load(st, time_now(), &x->accts, &err) != ERR_OK)
        LOG_WARN("reading the accounts' states: %s", buf_cstr(&err));
    buf_free(&err);
}

void api_post_extra_free(struct api_post_extra *x)
{
    status_accounts_destroy(x->accts);
    x->accts = NULL;
}

/* The item of a published post, into *pp (full: with the first week);
 * false when there is none. */
static bool item_of(struct store *st, const struct post *p, bool full,
                    struct postperf *pp)
{
    enum platform pl;
    struct buf err;
    enum err rc;

    if (p->state != POST_PUBLISHED || p->remote_id == NULL ||
        *p->remote_id == '\0' || platform_from_name(p->platform, &pl) != ERR_OK)
        return false;
    buf_init(&err, 512);
    rc = full ? postperf_build(st, pl, p->remote_id, pp, &err)
              : postperf_latest(st, pl, p->remote_id, pp, &err);
    if (rc != ERR_OK && rc != ERR_NOTFOUND && rc != ERR_AMBIGUOUS)
        LOG_WARN("post %lld: reading its item: %s", (long long)p->id,
                 buf_cstr(&err));
    buf_free(&err);
    return rc == ERR_OK;
}

static void item_json(struct jw *w, const struct postperf *pp)
{
    const struct item *it = pp->item;

    jw_object_begin(w);
    jw_kv_str(w, "platform", platform_name(it->platform));
    jw_kv_str(w, "id", it->ext_id);
    jw_kv_str(w, "title", it->title);
    jw_kv_str(w, "url", it->url);
    jw_kv_time(w, "published_at", it->published_at);
    jw_key(w, "views");
    pp->views_now >= 0 ? jw_i64(w, pp->views_now) : jw_null(w);
    jw_kv_time(w, "observed_at", pp->observed_at);
    jw_object_end(w);
}

void api_post_extra_json(struct jw *w, const struct post *p, void *ud)
{
    struct api_post_extra *x = ud;
    struct postperf pp;

    jw_kv_str(w, "account_status",
              x->accts ? status_account_name(status_account_of(
                             x->accts, p->platform, p->account))
                       : NULL);
    jw_key(w, "item");
    if (item_of(x->st, p, false, &pp)) {
        item_json(w, &pp);
        postperf_free(&pp);
    } else {
        jw_null(w);
    }
}

static void points_json(struct jw *w, const struct postperf *pp)
{
    jw_key(w, "points");
    jw_array_begin(w);
    for (size_t a = 0; a < POSTPERF_NAGES; a++) {
        const struct postperf_point *pt = &pp->pt[a];
        jw_object_begin(w);
        jw_kv_i64(w, "age_s", pt->age_s);
        jw_key(w, "views");
        pt->views >= 0 ? jw_i64(w, pt->views) : jw_null(w);
        jw_key(w, "typical");
        pt->peers > 0 ? jw_real(w, pt->typical) : jw_null(w);
        jw_kv_i64(w, "peers", (int64_t)pt->peers);
        jw_object_end(w);
    }
    jw_array_end(w);
}

void api_post_performance(struct jw *w, struct store *st,
                          const struct post *p)
{
    struct postperf pp;
    struct report_typical rt = {0};
    const struct typical *t;
    void *lease = NULL;
    bool has = false;

    jw_key(w, "performance");
    if (!item_of(st, p, true, &pp)) {
        jw_null(w);
        return;
    }
    jw_object_begin(w);
    jw_key(w, "item");
    item_json(w, &pp);
    jw_key(w, "views_now");
    pp.views_now >= 0 ? jw_i64(w, pp.views_now) : jw_null(w);
    jw_kv_time(w, "observed_at", pp.observed_at);
    points_json(w, &pp);
    t = api_typical_get(st, &lease);
    has = t != NULL && typical_of(t, pp.item->id, &rt);
    typical_json(w, has, &rt);
    if (lease != NULL)
        api_typical_release(lease);
    jw_object_end(w);
    postperf_free(&pp);
}

void api_post_connections(struct jw *w, struct store *st)
{
    struct api_post_extra x;

    api_post_extra_init(&x, st);
    jw_key(w, "accounts");
    jw_array_begin(w);
    for (size_t i = 0; i < status_accounts_count(x.accts); i++) {
        enum status_account state;
        enum platform p;
        const char *account;

        status_accounts_at(x.accts, i, &p, &account, &state);
        jw_object_begin(w);
        jw_kv_str(w, "platform", platform_name(p));
        jw_kv_str(w, "account", account);
        jw_kv_str(w, "status", status_account_name(state));
        jw_object_end(w);
    }
    jw_array_end(w);
    api_post_extra_free(&x);
}
