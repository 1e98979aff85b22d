/* The publishing worker (worker.h). */
#include "schedule/worker.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/counters.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timeutil.h"

static const struct publisher_ops *find_pub(const struct worker_config *cfg,
                                            const char *platform)
{
    for (size_t i = 0; i < cfg->npubs; i++)
        if (str_eq(cfg->pubs[i]->platform, platform))
            return cfg->pubs[i];
    return NULL;
}

/* ["youtube","dryrun"] of the configured publishers. */
static enum err platforms_json(const struct worker_config *cfg,
                               struct buf *out)
{
    enum err rc = buf_putc(out, '[');
    for (size_t i = 0; rc == ERR_OK && i < cfg->npubs; i++)
        rc = buf_printf(out, "%s\"%s\"", i ? "," : "",
                        cfg->pubs[i]->platform);
    if (rc == ERR_OK)
        rc = buf_putc(out, ']');
    return rc;
}

static enum err move(struct store *st, const struct worker_config *cfg,
                     const struct post *p, enum post_state from,
                     enum post_state to, const struct post_change *ch,
                     const char *note, int64_t now, struct buf *err)
{
    struct post_change c = ch ? *ch : POST_CHANGE_NONE;
    c.worker = cfg->id;
    return store_post_transition(st, p->id, from, to, &c, note, now, err);
}

/* Settle a publishing post from what the platform answered. */
static enum err settle(struct store *st, const struct worker_config *cfg,
                       const struct post *p, struct publish_result *res,
                       int64_t now, struct worker_stats *stats,
                       struct buf *err)
{
    struct post_change ch = POST_CHANGE_NONE;
    enum pub_outcome o =
        res->has_outcome
            ? res->outcome
            : sched_classify(res->http_status,
                             res->error_code[0] ? res->error_code : NULL);
    int64_t delay;
    enum sched_next next = sched_next_step_base(
        o, (int)p->attempts + 1, res->retry_after_s, randombytes_random(),
        cfg->retry_base_s, &delay);
    char note[160];
    enum post_state to = POST_FAILED;
    enum counters_publish outcome = COUNTERS_PUB_FAILED;
    enum err rc;

    ch.remote_id = res->remote_id.len ? buf_cstr(&res->remote_id) : NULL;
    ch.remote_url = res->remote_url.len ? buf_cstr(&res->remote_url) : NULL;
    ch.last_error = res->message.len ? buf_cstr(&res->message) : NULL;
    snprintf(note, sizeof note, "attempt %lld: HTTP %d%s%s",
             (long long)p->attempts + 1, res->http_status,
             res->error_code[0] ? " " : "", res->error_code);
    switch (next) {
    case SCHED_NEXT_PUBLISHED:
        to = POST_PUBLISHED;
        outcome = COUNTERS_PUB_PUBLISHED;
        stats->published++;
        break;
    case SCHED_NEXT_RETRY:
        to = POST_SCHEDULED;
        ch.publish_at = now + delay;
        snprintf(note, sizeof note, "attempt %lld: HTTP %d, retry in %lld s",
                 (long long)p->attempts + 1, res->http_status,
                 (long long)delay);
        outcome = COUNTERS_PUB_RETRY;
        stats->retried++;
        break;
    case SCHED_NEXT_CHECK:
        to = POST_NEEDS_CHECK;
        outcome = COUNTERS_PUB_NEEDS_CHECK;
        stats->checks++;
        break;
    case SCHED_NEXT_RELOGIN:
        to = POST_NEEDS_RELOGIN;
        outcome = COUNTERS_PUB_NEEDS_RELOGIN;
        stats->relogin++;
        break;
    case SCHED_NEXT_FAILED:
        stats->failed++;
        break;
    }
    rc = move(st, cfg, p, POST_PUBLISHING, to, &ch, note, now, err);
    if (rc == ERR_OK) /* counted once its state is stored */
        counters_publish(p->platform, outcome);
    return rc;
}

static void result_init(struct publish_result *r)
{
    memset(r, 0, sizeof *r);
    buf_init(&r->remote_id, 2048);
    buf_init(&r->remote_url, 2048);
    buf_init(&r->message, 4096);
}

static void result_free(struct publish_result *r)
{
    buf_free(&r->remote_id);
    buf_free(&r->remote_url);
    buf_free(&r->message);
}

/* Publish one claimed post, whose lease is ours. */
static enum err publish_one(struct store *st, const struct worker_config *cfg,
                            const struct post *p, int64_t now,
                            struct worker_stats *stats, struct buf *err)
{
    const struct publisher_ops *pub = find_pub(cfg, p->platform);
    struct post_change ch = POST_CHANGE_NONE;
    struct publish_result res;
    struct buf why;
    enum err rc;

    if (pub == NULL) /* claim_due only takes our platforms */
        return move(st, cfg, p, POST_CLAIMED, POST_SCHEDULED, NULL,
                    "no publisher for this platform", now, err);
    buf_init(&why, 512);
    if (sched_missed(now, p->publish_at, cfg->grace_s, &why)) {
        ch.last_error = buf_cstr(&why);
        ch.failure = POST_FAILURE_MISSED; /* no platform call was made */
        stats->missed++;
        rc = move(st, cfg, p, POST_CLAIMED, POST_FAILED, &ch, buf_cstr(&why),
                  now, err);
        if (rc == ERR_OK)
            counters_publish(p->platform, COUNTERS_PUB_MISSED);
        buf_free(&why);
        return rc;
    }
    buf_free(&why);
    ch.count_attempt = true;
    rc = move(st, cfg, p, POST_CLAIMED, POST_PUBLISHING, &ch, cfg->id, now,
              err);
    if (rc == ERR_EXISTS) { /* cancelled or taken meanwhile: not ours */
        stats->lost++;
        return ERR_OK;
    }
    if (rc != ERR_OK)
        return rc;
    result_init(&res);
    rc = pub->publish(cfg->ctx, p, &res);
    if (rc != ERR_OK && res.http_status >= 200 && res.http_status < 300)
        res.http_status = 0; /* a local failure after a 2xx: unclear */
    rc = settle(st, cfg, p, &res, now, stats, err);
    result_free(&res);
    return rc;
}

static enum err run_batch(struct store *st, const struct worker_config *cfg,
                          const char *platforms, int64_t now,
                          struct worker_stats *stats, size_t *n,
                          struct buf *err)
{
    int64_t *ids = NULL;
    enum err rc;

    rc = store_post_claim_due(st, cfg->id, platforms, now, cfg->lease_s,
                              cfg->batch, &ids, n, err);
    stats->claimed += *n;
    for (size_t i = 0; rc == ERR_OK && i < *n; i++) {
        struct post p;
        rc = store_post_get(st, ids[i], &p);
        if (rc == ERR_OK)
            rc = publish_one(st, cfg, &p, now, stats, err);
        if (rc != ERR_OK && rc != ERR_DB) {
            LOG_WARN("post %lld: %s", (long long)ids[i], buf_cstr(err));
            rc = ERR_OK;
        }
        post_free(&p);
    }
    free(ids);
    return rc;
}

struct check_ctx {
    struct store *st;
    const struct worker_config *cfg;
    int64_t now;
    struct worker_stats *stats;
    struct buf *err;
};

/* Settle one needs_check post by asking its platform, when its publisher
 * can: found -> published, not found -> scheduled (safe to send again);
 * an error leaves it for the next round or a person. */
static enum err check_one(const struct post *p, void *ud)
{
    struct check_ctx *c = ud;
    const struct publisher_ops *pub = find_pub(c->cfg, p->platform);
    struct post_change ch = POST_CHANGE_NONE;
    struct publish_result res;
    bool found = false;
    enum err rc;

    if (pub == NULL || pub->check == NULL)
        return ERR_OK;
    result_init(&res);
    rc = pub->check(c->cfg->ctx, p, &found, &res);
    if (rc == ERR_OK) {
        ch.remote_id = res.remote_id.len ? buf_cstr(&res.remote_id) : NULL;
        ch.remote_url = res.remote_url.len ? buf_cstr(&res.remote_url) : NULL;
        ch.publish_at = c->now;
        rc = store_post_transition(
            c->st, p->id, POST_NEEDS_CHECK,
            found ? POST_PUBLISHED : POST_SCHEDULED, &ch,
            found ? "the platform has it: published"
                  : "the platform does not have it: scheduled again",
            c->now, c->err);
        c->stats->checked++;
    }
    result_free(&res);
    /* another worker settled it first, or the check failed: not fatal */
    return rc == ERR_DB ? rc : ERR_OK;
}

struct id_list {
    int64_t ids[100];
    size_t n;
};

static enum err collect(const struct post *p, void *ud)
{
    struct id_list *l = ud;
    if (l->n < sizeof l->ids / sizeof *l->ids)
        l->ids[l->n++] = p->id;
    return ERR_OK;
}

/* Ids first, then one post at a time: no write while a read runs. */
static enum err check_unclear(struct store *st, const struct worker_config *cfg,
                              int64_t now, struct worker_stats *stats,
                              struct buf *err)
{
    struct post_query q = {.state = POST_NEEDS_CHECK, .from = TIME_NONE,
                           .to = TIME_NONE, .limit = 100};
    struct check_ctx c = {st, cfg, now, stats, err};
    struct id_list l = {.n = 0};
    enum err rc = store_post_list(st, &q, collect, &l);

    for (size_t i = 0; rc == ERR_OK && i < l.n; i++) {
        struct post p;
        rc = store_post_get(st, l.ids[i], &p);
        if (rc == ERR_OK && p.state == POST_NEEDS_CHECK)
            rc = check_one(&p, &c);
        post_free(&p);
        if (rc == ERR_NOTFOUND)
            rc = ERR_OK;
    }
    return rc;
}

/* Whole seconds since t0 (time_now), never negative. */
static int64_t elapsed_s(int64_t t0)
{
    int64_t d = time_now() - t0;
    return d > 0 ? d : 0;
}

enum err worker_run_once(struct store *st, const struct worker_config *cfg,
                         int64_t now, struct worker_stats *stats,
                         struct buf *err)
{
    struct buf platforms;
    size_t back = 0, check = 0, n = 1;
    int64_t t0 = time_now();
    enum err rc;

    buf_init(&platforms, 4096);
    rc = store_post_expire_leases(st, now, &back, &check, err);
    stats->expired_back += back;
    stats->expired_check += check;
    if (rc == ERR_OK)
        rc = check_unclear(st, cfg, now, stats, err);
    if (rc == ERR_OK)
        rc = platforms_json(cfg, &platforms);
    /* A long round moves its clock on by the time spent, so that a late
     * batch's lease (now + lease_s) is not over before it starts: other
     * workers would take it back at once. */
    while (rc == ERR_OK && n > 0)
        rc = run_batch(st, cfg, buf_cstr(&platforms),
                       now + elapsed_s(t0), stats, &n, err);
    buf_free(&platforms);
    return rc;
}
