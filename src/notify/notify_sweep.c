/* Events that come from conditions rather than from one change (notify.h
 * notify_sweep), and the test events. Lists are read whole first, then
 * written: no write while a read statement runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/report.h"
#include "core/alloc.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "notify/notify.h"
#include "platforms/platform.h"

#define SWEEP_MAX 256       /* accounts or jobs looked at per sweep */
#define SPIKE_RANGE_DAYS 28 /* history the spike baseline is judged on */

struct cond {
    char key[320];
    enum platform p;
    char *account;    /* owned */
    char *detail;     /* owned; may be NULL */
};

struct conds {
    struct cond v[SWEEP_MAX];
    size_t n;
};

static void conds_free(struct conds *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].account);
        free(l->v[i].detail);
    }
    l->n = 0;
}

static void cond_add(struct conds *l, const char *prefix, enum platform p,
                     const char *account, const char *extra,
                     const char *detail)
{
    struct cond *c;

    if (l->n == SWEEP_MAX)
        return;
    c = &l->v[l->n++];
    snprintf(c->key, sizeof c->key, "%s:%s:%.200s%s", prefix,
             platform_name(p), account, extra);
    c->p = p;
    c->account = xstrdup(account);
    /* xstrndup copies n bytes: cut at the text's end or the cap */
    c->detail = detail ? xstrndup(detail, strnlen(detail, NOTIFY_TEXT_MAX))
                       : NULL;
}

static enum err cred_cb(void *ud, const struct store_cred *c)
{
    if (c->status == CRED_NEEDS_RELOGIN)
        cond_add(ud, "relogin", c->platform, c->account, "", c->last_error);
    return ERR_OK;
}

static enum err job_cb(void *ud, const struct store_job *j)
{
    if (j->status != JOB_OK)
        cond_add(ud, "failing", j->platform, j->account,
                 j->kind == JOB_ACCOUNT ? ":account" : ":content",
                 j->last_error);
    return ERR_OK;
}

/* Record each condition of l at now; write kind's event for those that
 * have held for at least hold_s and were not told yet; forget the
 * conditions under prefix that no longer hold. */
static enum err settle(struct store *st, struct conds *l, const char *prefix,
                       const char *kind, int64_t hold_s, int64_t now,
                       size_t *n, struct buf *err)
{
    enum err rc = ERR_OK;

    for (size_t i = 0; rc == ERR_OK && i < l->n; i++) {
        struct cond *c = &l->v[i];
        struct notify_event ev = {.kind = kind,
                                  .platform = platform_name(c->p),
                                  .account = c->account,
                                  .detail = c->detail};
        char dedup[360];
        int64_t first = now;
        bool told = false;

        rc = store_notify_watch(st, c->key, now, &first, &told, err);
        if (rc != ERR_OK || told || now - first < hold_s)
            continue;
        snprintf(dedup, sizeof dedup, "%s:%lld", c->key, (long long)first);
        rc = store_notify_add(st, &ev, dedup, now, NULL, err);
        if (rc == ERR_OK)
            (*n)++;
        if (rc == ERR_OK || rc == ERR_EXISTS) /* another sweep told */
            rc = store_notify_watch_mark(st, c->key, err);
    }
    if (rc == ERR_OK)
        rc = store_notify_watch_clear(st, prefix, now, err);
    return rc;
}

/* content.spike for owned items whose spike peaks today or yesterday
 * (the rollup zone's days), once per item and peak day. */
static enum err spikes(struct store *st, int64_t now, size_t *n,
                       struct buf *err)
{
    struct report_opts o = {.platform = -1, .top_n = 1};
    struct report r;
    struct buf day, detail, dedup;
    enum err rc;

    o.to_day = store_day_of(st, now) + 1;
    o.from_day = o.to_day - SPIKE_RANGE_DAYS;
    rc = report_build(st, &o, &r, err);
    if (rc != ERR_OK)
        return rc == ERR_DB ? rc : ERR_OK; /* nothing to judge yet */
    buf_init(&day, 64);
    buf_init(&detail, 512);
    buf_init(&dedup, 1024);
    for (size_t i = 0; rc == ERR_OK && i < r.nspikes; i++) {
        const struct report_spike *s = &r.spikes[i];
        if (s->day < o.to_day - 2)
            continue;
        buf_reset(&day);
        buf_reset(&detail);
        buf_reset(&dedup);
        if (time_format_day(s->day, &day) != ERR_OK)
            continue;
        buf_catf(&detail, "%lld views on %s, %.1fx the usual %.0f a day",
                 (long long)s->gain, buf_cstr(&day),
                 s->baseline > 0 ? (double)s->gain / s->baseline : 0.0,
                 s->baseline);
        buf_catf(&dedup, "spike:%s:%.300s:%d", platform_name(s->item->platform),
                 s->item->ext_id, (int)s->day);
        struct notify_event ev = {
            .kind = "content.spike",
            .platform = platform_name(s->item->platform),
            .account = s->item->account_ext_id,
            .item = s->item->ext_id,
            .title = s->item->title,
            .detail = buf_cstr(&detail)};
        rc = store_notify_add(st, &ev, buf_cstr(&dedup), now, NULL, err);
        if (rc == ERR_OK)
            (*n)++;
        else if (rc == ERR_EXISTS)
            rc = ERR_OK;
    }
    buf_free(&day);
    buf_free(&detail);
    buf_free(&dedup);
    report_free(&r);
    return rc;
}

enum err notify_sweep(struct store *st, int64_t now, size_t *n,
                      struct buf *err)
{
    struct conds *l = xcalloc(1, sizeof *l);
    size_t written = 0;
    enum err rc;

    rc = store_cred_list(st, cred_cb, l, err);
    if (rc == ERR_OK)
        rc = settle(st, l, "relogin:", "account.relogin", 0, now, &written,
                    err);
    conds_free(l);
    if (rc == ERR_OK)
        rc = store_job_list(st, job_cb, l);
    if (rc == ERR_OK)
        rc = settle(st, l, "failing:", "collector.failing", NOTIFY_FAILING_S,
                    now, &written, err);
    conds_free(l);
    if (rc == ERR_OK)
        rc = spikes(st, now, &written, err);
    free(l);
    if (n != NULL)
        *n = written;
    return rc;
}

/* ---- test events ---------------------------------------------------------- */

/* The platform the sample events name: the first social platform of the
 * registry (the samples are examples; no platform is named here). */
static const char *sample_platform(void)
{
    for (int p = 0; p < PLATFORM_COUNT; p++)
        if (platform_is_social((enum platform)p))
            return platform_name((enum platform)p);
    return platform_name((enum platform)0);
}

enum err notify_test(struct store *st, int64_t now,
                     int64_t ids[NOTIFY_TEST_COUNT], struct buf *err)
{
    static const struct notify_event evs[NOTIFY_TEST_COUNT] = {
        {.kind = "post.published", .account = "test", .title = "Test post",
         .detail = "https://example.com/test"},
        {.kind = "post.failed", .account = "test", .title = "Test post",
         .detail = "HTTP 400 invalid_params"},
        {.kind = "post.missed", .account = "test", .title = "Test post",
         .detail = "due more than the grace window ago: not sent"},
        {.kind = "post.needs_relogin", .account = "test",
         .title = "Test post", .detail = "invalid_grant"},
        {.kind = "account.relogin", .account = "test",
         .detail = "the token was refused"},
        {.kind = "content.spike", .account = "test", .item = "test_video",
         .title = "Test video",
         .detail = "12000 views on a day, 8.0x the usual 1500 a day"},
        {.kind = "collector.failing", .account = "test",
         .detail = "HTTP 500 for a day"},
    };
    enum err rc = ERR_OK;

    for (size_t i = 0; rc == ERR_OK && i < NOTIFY_TEST_COUNT; i++) {
        struct notify_event ev = evs[i];
        ev.platform = sample_platform();
        ev.test = true;
        rc = store_notify_add(st, &ev, NULL, now, &ids[i], err);
    }
    return rc;
}
