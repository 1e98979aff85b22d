/* The collector: due jobs, one round per account, stored whole, with
 * backoff, quota and auth state kept in the store. See collect.h. */
#define LOG_MODULE "collect"
#include "collect/collect.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/counters.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "platforms/fetch.h"
#include "platforms/platform.h"
#include "store/store_health.h"

#define DAY_S 86400

struct collector {
    const struct config *cfg;      /* borrowed */
    struct oauth *o;               /* borrowed */
    struct tz *la;                 /* owned: the quota day's zone */
    /* owned: per platform with a per-minute limit (descriptor), or NULL */
    struct net_ratelimit *rl[PLATFORM_COUNT];
    const atomic_bool *cancel;     /* borrowed, or NULL */
};

static bool is_cancelled(const struct collector *c)
{
    return c->cancel != NULL && atomic_load(c->cancel);
}

void collector_set_cancel(struct collector *c, const atomic_bool *cancel)
{
    c->cancel = cancel;
}

enum err collector_create(const struct config *cfg, struct oauth *o,
                          struct collector **out, struct buf *err)
{
    struct collector *c = xcalloc(1, sizeof(*c));
    enum err rc;

    c->cfg = cfg;
    c->o = o;
    rc = tz_load(COLLECT_QUOTA_ZONE, &c->la, err);
    if (rc != ERR_OK) {
        free(c);
        return rc;
    }
    for (int p = 0; p < PLATFORM_COUNT; p++) {
        int n = platform_get((enum platform)p)->per_minute;
        if (n > 0)
            c->rl[p] = net_ratelimit_create(n, 60000, 0, NULL);
    }
    *out = c;
    return ERR_OK;
}

void collector_destroy(struct collector *c)
{
    if (c == NULL)
        return;
    tz_destroy(c->la);
    for (int p = 0; p < PLATFORM_COUNT; p++)
        net_ratelimit_destroy(c->rl[p]);
    free(c);
}

void collect_net_config(const struct config *cfg, struct net_config *out)
{
    net_config_defaults(out);
    out->timeout_ms = (long)cfg->collect_timeout_s * 1000;
    if (out->connect_timeout_ms > out->timeout_ms)
        out->connect_timeout_ms = out->timeout_ms;
    if (out->low_speed_time_s > cfg->collect_timeout_s)
        out->low_speed_time_s = (long)cfg->collect_timeout_s;
    out->max_retries = (unsigned)cfg->collect_retries;
}

/* ---- policy (pure) ------------------------------------------------------ */

int64_t collect_next_due(int64_t published_at, int64_t last_fetch,
                         int64_t now)
{
    int64_t age, every;

    if (last_fetch == TIME_NONE)
        return now;
    if (published_at == TIME_NONE)
        return last_fetch + DAY_S;
    age = last_fetch - published_at;
    if (age < 2 * DAY_S)
        every = 3600;
    else if (age < 7 * DAY_S)
        every = 6 * 3600;
    else if (age < 30 * DAY_S)
        every = DAY_S;
    else
        every = 7 * DAY_S;
    return last_fetch + every;
}

int64_t collect_backoff_s(int64_t failures)
{
    int64_t w = COLLECT_BACKOFF_BASE_S;

    for (int64_t i = 1; i < failures && w < COLLECT_BACKOFF_CAP_S; i++)
        w *= 2;
    return w < COLLECT_BACKOFF_CAP_S ? w : COLLECT_BACKOFF_CAP_S;
}

int64_t collect_quota_day_start(const struct tz *la, int64_t now)
{
    return tz_day_start(la, now);
}

int64_t collect_quota_reset(const struct tz *la, int64_t now)
{
    return tz_next_day_start(la, now);
}

/* ---- one account's round ------------------------------------------------ */

struct round {
    struct collector *c;
    struct store *st;
    struct net_client *nc;
    enum platform p;
    const struct platform_desc *d; /* p's descriptor */
    const char *account;   /* borrowed */
    enum cred_status cred;
    int64_t now;
    struct store_job job[JOB_KIND_COUNT];
    bool due[JOB_KIND_COUNT];
    int64_t day_start, quota_before;
    struct fetch_items items;      /* content items whose metrics are due */
    struct fetch_dropped dropped;  /* refused metrics, loaded */
    const char *login;             /* the credential's login flavour */
};

static enum err item_due_add(void *ud, const struct store_item_sched *s)
{
    fetch_items_add(ud, s->item_id, s->kind);
    return ERR_OK;
}

static enum err load_jobs(struct round *r)
{
    for (int k = 0; k < JOB_KIND_COUNT; k++) {
        enum err rc = store_job_get(r->st, r->p, r->account,
                                    (enum job_kind)k, &r->job[k]);
        if (rc == ERR_NOTFOUND) {
            r->job[k] = (struct store_job){.platform = r->p,
                                           .kind = (enum job_kind)k,
                                           .last_fetch = TIME_NONE,
                                           .next_due = r->now};
            rc = ERR_OK;
        }
        if (rc != ERR_OK)
            return rc;
        r->due[k] = r->job[k].next_due <= r->now;
    }
    /* A source that is not social (health data) has no content items:
     * its account job is the whole round. */
    if (!platform_is_social(r->p)) {
        r->due[JOB_CONTENT] = false;
        return ERR_OK;
    }
    /* Due items wait while the content job backs off after a failure. */
    if (r->job[JOB_CONTENT].status != JOB_OK && !r->due[JOB_CONTENT])
        return ERR_OK;
    return store_item_sched_due(r->st, r->p, r->account, r->now,
                                COLLECT_ITEMS_PER_ROUND, item_due_add,
                                &r->items);
}

/* A round records its outcome in the content job when it listed or
 * fetched due items. */
static bool records(const struct round *r, int k)
{
    return r->due[k] || (k == JOB_CONTENT && r->items.n > 0);
}

static int64_t failure_due(const struct round *r, const struct fetch *f,
                           int64_t failures)
{
    switch (f->status) {
    case JOB_QUOTA_EXCEEDED:
        return collect_quota_reset(r->c->la, r->now);
    case JOB_RATE_LIMITED:
        return f->retry_at > r->now ? f->retry_at
                                    : r->now + collect_backoff_s(failures);
    case JOB_AUTH_NEEDED:
        return r->now + COLLECT_ACCOUNT_EVERY_S;
    default:
        return r->now + collect_backoff_s(failures);
    }
}

/* The account job's period: the descriptor's, else hourly. */
static int64_t account_every(enum platform p)
{
    int64_t s = platform_get(p)->account_every_s;
    return s > 0 ? s : COLLECT_ACCOUNT_EVERY_S;
}

/* Record the outcome of f in the due jobs. */
static enum err save_jobs(struct round *r, const struct fetch *f, bool ok)
{
    for (int k = 0; k < JOB_KIND_COUNT; k++) {
        struct store_job j = r->job[k];
        enum err rc;
        if (!records(r, k))
            continue;
        j.account = (char *)r->account;
        j.last_fetch = r->now;
        j.status = ok ? JOB_OK : f->status;
        j.failures = ok ? 0 : j.failures + 1;
        j.last_error = ok ? (f->note.len ? f->note.data : NULL)
                          : (char *)buf_cstr(&f->err);
        if (ok && r->due[k])
            j.next_due = r->now + (k == JOB_CONTENT ? COLLECT_LIST_EVERY_S
                                                    : account_every(r->p));
        else if (!ok)
            j.next_due = failure_due(r, f, j.failures);
        rc = store_job_put(r->st, &j);
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

/* Why no call may be made now (auth or quota), into f; false if none. */
static bool blocked(struct round *r, struct fetch *f)
{
    if (r->cred == CRED_NEEDS_RELOGIN) {
        f->status = JOB_AUTH_NEEDED;
        buf_setf(&f->err, "the account needs a new login: run 'mediadash "
                          "connect %s --account %s'",
                 platform_name(r->p), r->account);
        return true;
    }
    if (r->d->daily_quota != NULL &&
        r->quota_before >= r->d->daily_quota(r->c->cfg)) {
        f->status = JOB_QUOTA_EXCEEDED;
        buf_setf(&f->err, "%s daily quota used up (%lld of %lld "
                          "units): no call until midnight Pacific time",
                 r->d->display, (long long)r->quota_before,
                 (long long)r->d->daily_quota(r->c->cfg));
        return true;
    }
    return false;
}

/* fetch's question: is a listed id tracked already? (A store failure
 * says no: its metrics are fetched once more.) */
static bool tracked(void *ud, const char *id)
{
    struct round *r = ud;
    bool has = false;

    if (store_item_sched_has(r->st, r->p, r->account, id, &has) != ERR_OK)
        return false;
    return has;
}

/* After a stored round: every item asked for is due again by its age.
 * An id the platform did not return when asked by id (the round having
 * succeeded) is marked removed, with its last snapshot's time; one it
 * returned loses the mark. */
static enum err items_done(struct round *r, const struct fetch *f)
{
    for (size_t i = 0; i < f->asked.n; i++) {
        const struct item *it = batch_find(&f->batch, r->p, ITEM_CONTENT,
                                           f->asked.v[i].id);
        struct store_item_sched s = {r->p, r->account, f->asked.v[i].id,
                                     f->asked.v[i].kind, TIME_NONE, r->now,
                                     0};
        enum err rc;
        if (it != NULL)
            s.published_at = it->published_at;
        s.next_due = collect_next_due(s.published_at, r->now, r->now);
        rc = store_item_set_removed(r->st, r->p, f->asked.v[i].id,
                                    it == NULL);
        if (rc == ERR_OK)
            rc = store_item_sched_put(r->st, &s);
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

/* A stored refusal into the round's memory: a metric the descriptor no
 * longer lists is forgotten. */
static enum err memory_add(void *ud, const char *kind, const char *metric)
{
    struct round *r = ud;
    unsigned local;
    unsigned *bits = fetch_dropped_slot(&r->dropped, kind, &local);
    int i = fetch_dropped_index(r->d->dropped_metrics, metric);

    if (i >= 0 && i < FETCH_DROP_METRICS)
        *bits |= 1u << i;
    return ERR_OK;
}

/* Keep the metrics refused this round (not in before) in the store. */
static enum err memory_save(struct round *r,
                            const struct fetch_dropped *before)
{
    const char *const *names = r->d->dropped_metrics;

    for (size_t k = 0; k < r->dropped.n; k++) {
        unsigned old = 0;
        for (size_t j = 0; j < before->n; j++)
            if (strcmp(before->kind[j], r->dropped.kind[k]) == 0)
                old = before->dropped[j];
        for (int i = 0; names[i] != NULL && i < FETCH_DROP_METRICS; i++) {
            enum err rc;
            if (!(r->dropped.dropped[k] & (1u << i)) || (old & (1u << i)))
                continue;
            rc = store_dropped_metric_add(r->st, r->p, r->account,
                                          r->dropped.kind[k], names[i],
                                          r->now);
            if (rc != ERR_OK)
                return rc;
        }
    }
    return ERR_OK;
}

static void fetch_setup(struct round *r, struct fetch *f)
{
    f->cfg = r->c->cfg;
    f->o = r->c->o;
    f->st = r->st;
    f->nc = r->nc;
    f->rl = r->c->rl[r->p];
    f->dropped = r->d->dropped_metrics != NULL ? &r->dropped : NULL;
    f->due = &r->items;
    f->tracked = tracked;
    f->tracked_ud = r;
    f->platform = r->p;
    f->account = r->account;
    f->observed_at = r->now;
    f->login = r->login;
    f->want_account = r->due[JOB_ACCOUNT];
    f->want_content = r->due[JOB_CONTENT];
    if (r->d->daily_quota != NULL)
        f->quota_left = r->d->daily_quota(r->c->cfg) - r->quota_before;
}

/* A health source's pages (fetch.h: struct fetch_health) into the health
 * tables, each page in one transaction; re-collected days replace their
 * rows (store_health_put), so a round stored twice changes nothing. */
static enum err health_store(struct round *r, struct fetch *f,
                             struct collect_summary *sum)
{
    struct store_health_put put;
    struct buf serr;
    enum err rc = ERR_OK;

    buf_init(&serr, 2048);
    for (size_t i = 0; i < f->health.n && rc == ERR_OK; i++) {
        rc = store_health_put(r->st, &f->health.v[i], r->now, &put, &serr);
        if (rc == ERR_OK)
            sum->items += put.docs;
    }
    if (rc != ERR_OK) {
        f->status = JOB_FAILED;
        buf_setf(&f->err, "storing the health pages: %s", buf_cstr(&serr));
    }
    buf_free(&serr);
    return rc;
}

/* Fetch, store the batch in one transaction, account for the quota. */
static enum err fetch_and_store(struct round *r, struct fetch *f,
                                struct collect_summary *sum)
{
    struct import_meta meta = {NULL, "collector", NULL, r->now, false};
    struct ingest_stats stats = {0};
    struct fetch_dropped before = r->dropped; /* what this round adds */
    struct buf serr;
    enum err rc;

    buf_init(&serr, 2048);
    rc = fetch_run(f);
    sum->items = rc == ERR_OK ? f->batch.n : 0;
    if (r->d->dropped_metrics != NULL && memory_save(r, &before) != ERR_OK)
        rc = ERR_DB;
    if (f->usage_pct >= 0 &&
        store_usage_put(r->st, r->p, r->account, f->usage_pct, r->now) !=
            ERR_OK)
        rc = ERR_DB;
    if (rc == ERR_OK && f->batch.dropped > 0) { /* source_parse's */
        const char *w = f->batch.warnings ? f->batch.warnings : "";
        LOG_WARN("%s %s: %zu links or thumbnails not stored (not http(s)), "
                 "first: %.*s", platform_name(r->p), r->account,
                 f->batch.dropped, (int)strcspn(w, "\n"), w);
    }
    if (rc == ERR_OK && !platform_is_social(r->p)) {
        rc = health_store(r, f, sum);
    } else if (rc == ERR_OK) {
        meta.format = platform_name(r->p);
        rc = store_ingest(r->st, &f->batch, &meta, &stats, &serr);
        if (rc == ERR_OK)
            counters_ingest(COUNTERS_SRC_COLLECT, stats.snapshots_new,
                            stats.values_new);
        if (rc != ERR_OK) {
            f->status = JOB_FAILED;
            buf_setf(&f->err, "storing the round: %s", buf_cstr(&serr));
        } else if (items_done(r, f) != ERR_OK) {
            rc = ERR_DB;
        }
    }
    sum->snapshots = stats.snapshots_new;
    if (r->d->daily_quota != NULL) {
        int64_t units = f->quota_used;
        int64_t limit = r->d->daily_quota(r->c->cfg);
        /* The platform says the day's quota is gone: believe it. */
        if (f->status == JOB_QUOTA_EXCEEDED &&
            r->quota_before + units < limit)
            units = limit - r->quota_before;
        if (units > 0 &&
            store_quota_add(r->st, r->p, r->day_start, units) != ERR_OK)
            rc = ERR_DB;
    }
    buf_free(&serr);
    return rc;
}

static enum err run_round(struct round *r, collect_report_fn fn, void *ud)
{
    struct fetch f;
    struct collect_summary sum = {0};
    enum err rc = ERR_OK, src;

    fetch_init(&f);
    sum.platform = r->p;
    sum.account = r->account;
    sum.quota_limit = r->d->daily_quota ? r->d->daily_quota(r->c->cfg) : 0;
    r->day_start = collect_quota_day_start(r->c->la, r->now);
    if (r->d->daily_quota != NULL &&
        store_quota_get(r->st, r->p, r->day_start, &r->quota_before) !=
            ERR_OK) {
        rc = ERR_DB;
        goto out;
    }
    if (r->d->dropped_metrics != NULL &&
        store_dropped_metric_list(r->st, r->p, r->account,
                                  r->now - COLLECT_DROPPED_MEMORY_S,
                                  memory_add, r) != ERR_OK) {
        rc = ERR_DB;
        goto out;
    }
    sum.ran = r->due[JOB_ACCOUNT] || r->due[JOB_CONTENT] || r->items.n > 0;
    if (sum.ran && blocked(r, &f))
        rc = ERR_INVALID;
    else if (sum.ran) {
        fetch_setup(r, &f);
        rc = fetch_and_store(r, &f, &sum);
    }
    if (rc != ERR_OK && is_cancelled(r->c)) {
        rc = ERR_OK; /* stopping: leave the jobs due, record nothing */
        goto out;
    }
    src = sum.ran ? save_jobs(r, &f, rc == ERR_OK) : ERR_OK;
    if (src != ERR_OK)
        rc = src;
    sum.calls = f.calls;
    sum.quota_used = f.quota_used;
    sum.status = rc == ERR_OK ? JOB_OK : f.status;
    sum.message = rc == ERR_OK ? (f.note.len ? f.note.data : NULL)
                               : buf_cstr(&f.err);
    if (r->d->daily_quota != NULL &&
        store_quota_get(r->st, r->p, r->day_start, &sum.quota_today) !=
            ERR_OK)
        rc = ERR_DB;
    if (rc != ERR_OK && rc != ERR_DB)
        LOG_WARN("%s account %s: %s: %s", platform_name(r->p), r->account,
                 job_status_name(f.status), buf_cstr(&f.err));
    if (sum.ran)
        counters_round(platform_name(r->p), job_status_name(sum.status),
                       sum.quota_used);
    if (fn != NULL)
        fn(ud, &sum);
out:
    fetch_free(&f);
    return rc;
}

/* ---- every account -------------------------------------------------------- */

struct acct_list {
    struct acct {
        enum platform p;
        char *account;
        enum cred_status status;
        char *login; /* owned; store_cred.login, or NULL */
    } *v;
    size_t n, cap;
    int platform;
};

static enum err acct_add(void *ud, const struct store_cred *c)
{
    struct acct_list *l = ud;

    if (l->platform >= 0 && (int)c->platform != l->platform)
        return ERR_OK;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
    }
    l->v[l->n].p = c->platform;
    l->v[l->n].account = xstrdup(c->account);
    l->v[l->n].status = c->status;
    l->v[l->n].login = c->login != NULL ? xstrdup(c->login) : NULL;
    l->n++;
    return ERR_OK;
}

/* Log that a login ends within OAUTH_WARN_DAYS (the banner says so too). */
static void warn_login_end(const struct store_cred *cred, int64_t now)
{
    int64_t end = oauth_login_deadline(platform_oauth_of(cred->platform), cred);

    if (end != TIME_NONE && end - now < OAUTH_WARN_DAYS * DAY_S)
        LOG_WARN("%s account %s: the login ends in %lld day(s) unless "
                 "renewed: reconnect with 'mediadash connect %s --account "
                 "%s'", platform_name(cred->platform), cred->account,
                 (long long)oauth_days_left(end, now),
                 platform_name(cred->platform), cred->account);
}

/* Token renewal on its own schedule (oauth_renew_if_due), before the
 * account's round and whether or not a job is due. Only a store failure
 * stops the run; an expired token turns the account to needs_relogin. */
static enum err renew_token(struct collector *c, struct store *st,
                            struct net_client *nc, struct acct *a,
                            int64_t now)
{
    struct buf err;
    bool renewed = false;
    enum err rc = ERR_OK;

    if (a->status != CRED_OK || c->o == NULL)
        return ERR_OK;
    buf_init(&err, 1024);
    rc = oauth_renew_if_due(c->o, st, nc, a->p, a->account, now, &renewed,
                            &err);
    /* the store says whether the account now needs a login (an expired
     * token, a refused renewal), not the error: a missing client_id is
     * ERR_INVALID too */
    if (rc != ERR_DB) {
        struct store_cred cred = {0};
        rc = store_cred_get(st, a->p, a->account, &cred, &err);
        if (rc == ERR_OK) {
            a->status = cred.status;
            warn_login_end(&cred, now);
        }
        store_cred_free(&cred);
    }
    buf_free(&err);
    return rc == ERR_DB ? ERR_DB : ERR_OK;
}

enum err collect_run_once(struct collector *c, struct store *st,
                          struct net_client *nc, int platform, int64_t now,
                          collect_report_fn fn, void *ud, struct buf *err)
{
    struct acct_list l = {NULL, 0, 0, platform};
    enum err rc, first = ERR_OK;

    rc = store_cred_list(st, acct_add, &l, err);
    for (size_t i = 0; i < l.n && rc == ERR_OK && !is_cancelled(c); i++) {
        struct round r = {c, st, nc, l.v[i].p, platform_get(l.v[i].p),
                          l.v[i].account,
                          l.v[i].status, now, {{0}}, {false}, 0, 0,
                          {NULL, 0, 0}, {{{0}}, {0}, 0}, NULL};
        enum err one = renew_token(c, st, nc, &l.v[i], now);
        r.cred = l.v[i].status;
        r.login = l.v[i].login;
        if (one == ERR_OK)
            one = load_jobs(&r);
        if (one == ERR_OK)
            one = run_round(&r, fn, ud);
        for (int k = 0; k < JOB_KIND_COUNT; k++)
            store_job_free(&r.job[k]);
        fetch_items_free(&r.items);
        if (one == ERR_DB) {
            buf_setf(err, "the store failed while collecting %s account %s",
                     platform_name(l.v[i].p), l.v[i].account);
            rc = ERR_DB;
        } else if (one != ERR_OK && first == ERR_OK) {
            first = one;
        }
    }
    for (size_t i = 0; i < l.n; i++) {
        free(l.v[i].account);
        free(l.v[i].login);
    }
    free(l.v);
    return rc != ERR_OK ? rc : first;
}

struct wake {
    struct store *st;
    int64_t at;
};

static enum err wake_job(void *ud, const struct store_job *j)
{
    struct wake *w = ud;
    int64_t count = 0, soonest = INT64_MAX;
    enum err rc = ERR_OK;

    if (j->next_due < w->at)
        w->at = j->next_due;
    /* items wait while their content job backs off (load_jobs) */
    if (j->kind == JOB_CONTENT && j->status == JOB_OK)
        rc = store_item_sched_stats(w->st, (int)j->platform, j->account,
                                    &count, &soonest);
    if (rc == ERR_OK && soonest < w->at)
        w->at = soonest;
    return rc;
}

enum err collect_next_wake(struct store *st, int64_t *at)
{
    struct wake w = {st, *at};
    enum err rc = store_job_list(st, wake_job, &w);

    if (rc == ERR_OK)
        *at = w.at;
    return rc;
}
