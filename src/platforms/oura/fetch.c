/* Oura client (API v2): GET /v2/usercollection/<collection> with
 * start_date/end_date (heartrate: start_datetime/end_datetime) over the
 * next_token pages, each page validated by the import's parser
 * (oura_parse) for the collection asked for. Nothing is stored here: the
 * pages go to f->health and the collector stores them when the round
 * succeeded, so an error on any page stores nothing of the round. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/health.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "platforms/fetch.h"
#include "platforms/oura/oura.h"
#include "sources/oura.h"
#include "store/store_health.h"

#define DAY_S 86400
#define BACKFILL_DEFAULT 30
#define NEWEST_LOOKBACK 730 /* days searched for the newest stored day */

/* The order a round asks in: the daily scores first. */
static const enum health_kind order[] = {
    HEALTH_DAILY_SLEEP, HEALTH_DAILY_READINESS, HEALTH_DAILY_ACTIVITY,
    HEALTH_SLEEP,       HEALTH_WORKOUT,         HEALTH_SESSION,
    HEALTH_DAILY_SPO2,  HEALTH_HEARTRATE,
};

struct span {
    char from[HEALTH_DAY_LEN + 1], to[HEALTH_DAY_LEN + 1];
};

static enum err newest_day(const struct store_health_day *d, void *ud)
{
    char *newest = ud;

    if (strcmp(d->day, newest) > 0)
        memcpy(newest, d->day, sizeof d->day);
    return ERR_OK;
}

static void day_text(int64_t day, char out[HEALTH_DAY_LEN + 1])
{
    struct buf b;

    buf_init(&b, 32);
    out[0] = '\0';
    if (time_format_day(day, &b) == ERR_OK && b.len == HEALTH_DAY_LEN)
        memcpy(out, b.data, HEALTH_DAY_LEN + 1);
    buf_free(&b);
}

/* The days of this round (oura.h): from the day before the newest
 * stored day, at most backfill_days back, to tomorrow (UTC), so that a
 * wearer east of UTC gets their today. */
static enum err oura_span(struct fetch *f, struct span *s)
{
    int64_t today = f->observed_at / DAY_S, start, t;
    int64_t back =
        config_plat_int(f->cfg, PLATFORM_OURA, "oura.backfill_days");
    char newest[HEALTH_DAY_LEN + 1] = "", from[HEALTH_DAY_LEN + 1];
    enum err rc;

    day_text(today - NEWEST_LOOKBACK, from);
    rc = store_health_days(f->st, from, NULL, newest_day, newest, &f->err);
    if (rc != ERR_OK) {
        f->status = JOB_FAILED;
        return rc;
    }
    start = today - (back > 0 ? back : BACKFILL_DEFAULT);
    if (newest[0] != '\0' && time_parse_iso8601(newest, &t) == ERR_OK &&
        t / DAY_S - OURA_OVERLAP_DAYS > start)
        start = t / DAY_S - OURA_OVERLAP_DAYS;
    if (start > today)
        start = today;
    day_text(start, s->from);
    day_text(today + 1, s->to);
    return s->from[0] && s->to[0] ? ERR_OK : ERR_INVALID;
}

/* The URL of collection k's page after token (empty: the first). */
static enum err oura_url(struct fetch *f, enum health_kind k,
                         const struct span *s, const struct buf *token,
                         struct buf *url)
{
    bool hr = k == HEALTH_HEARTRATE;
    char a[32], b[32];
    enum err rc;

    rc = fetch_url(f, f->cfg->plat[PLATFORM_OURA].api_base,
                   "/v2/usercollection/", url);
    if (rc == ERR_OK)
        rc = buf_puts(url, health_kind_name(k));
    snprintf(a, sizeof a, "%sT00:00:00Z", s->from);
    snprintf(b, sizeof b, "%sT00:00:00Z", s->to);
    if (rc == ERR_OK)
        rc = net_url_add_param(url, hr ? "start_datetime" : "start_date",
                               hr ? a : s->from);
    if (rc == ERR_OK)
        rc = net_url_add_param(url, hr ? "end_datetime" : "end_date",
                               hr ? b : s->to);
    if (rc == ERR_OK && token->len > 0)
        rc = net_url_add_param(url, "next_token", buf_cstr(token));
    if (rc == ERR_TOOBIG) {
        f->status = JOB_FAILED;
        buf_setf(&f->err, "oura %s: the page URL is too long",
                 health_kind_name(k));
    }
    return rc;
}

/* A refused call: f->err (fetch_call's, never a token) gets the
 * collection's name in front and Oura's error detail behind. */
static void oura_refused(struct fetch *f, enum health_kind k,
                         const struct net_resp *resp)
{
    struct buf was, why;
    struct health_batch hb;

    buf_init(&was, 4096);
    buf_init(&why, 2048);
    health_batch_init(&hb);
    if (buf_puts(&was, buf_cstr(&f->err)) != ERR_OK)
        buf_reset(&was);
    buf_setf(&f->err, "oura %s: %s", health_kind_name(k), buf_cstr(&was));
    if (resp->body.len > 0 &&
        oura_parse(resp->body.data, resp->body.len, (int)k, "answer", &hb,
                   &why) == ERR_UPSTREAM)
        buf_catf(&f->err, " (%s)", buf_cstr(&why));
    health_batch_free(&hb);
    buf_free(&was);
    buf_free(&why);
}

static void health_keep(struct fetch *f, struct health_batch *hb)
{
    struct fetch_health *h = &f->health;

    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 8;
        h->v = xrealloc(h->v, h->cap * sizeof(*h->v));
    }
    h->v[h->n++] = *hb;
    health_batch_init(hb);
}

/* Validate page number page of collection k into f->health; token gets
 * its next_token (empty on the last page). */
static enum err oura_page(struct fetch *f, enum health_kind k, int page,
                          const struct buf *body, struct buf *token)
{
    struct health_batch hb;
    char where[64];
    enum err rc;

    health_batch_init(&hb);
    snprintf(where, sizeof where, "oura %s page %d", health_kind_name(k),
             page);
    buf_reset(&f->err);
    rc = oura_parse(body->data ? body->data : "", body->len, (int)k, where,
                    &hb, &f->err);
    if (rc == ERR_OK && hb.next_token != NULL &&
        strcmp(hb.next_token, buf_cstr(token)) == 0) {
        buf_setf(&f->err, "%s: next_token names this page again", where);
        rc = ERR_PARSE;
    }
    buf_reset(token);
    if (rc == ERR_OK && hb.next_token != NULL &&
        buf_puts(token, hb.next_token) != ERR_OK) {
        buf_setf(&f->err, "%s: next_token too long", where);
        rc = ERR_TOOBIG;
    }
    if (rc == ERR_OK)
        health_keep(f, &hb);
    else
        f->status = JOB_FAILED;
    health_batch_free(&hb);
    return rc;
}

/* Collection k over its next_token pages, at most OURA_MAX_PAGES. */
static enum err oura_collection(struct fetch *f, enum health_kind k,
                                const struct span *s)
{
    struct buf url, token;
    struct net_resp resp;
    enum err rc = ERR_OK;
    int page;

    buf_init(&url, NET_MAX_URL);
    buf_init(&token, NET_MAX_URL);
    for (page = 1; rc == ERR_OK && page <= OURA_MAX_PAGES; page++) {
        net_resp_init(&resp);
        rc = oura_url(f, k, s, &token, &url);
        if (rc == ERR_OK) {
            rc = fetch_call(f, NET_GET, buf_cstr(&url), NULL, 0, &resp);
            if (rc != ERR_OK)
                oura_refused(f, k, &resp);
        }
        if (rc == ERR_OK)
            rc = oura_page(f, k, page, &resp.body, &token);
        net_resp_free(&resp);
        if (token.len == 0)
            break;
    }
    if (rc == ERR_OK && token.len > 0) {
        f->status = JOB_FAILED;
        buf_setf(&f->err, "oura %s: more than %d pages", health_kind_name(k),
                 OURA_MAX_PAGES);
        rc = ERR_TOOBIG;
    }
    buf_free(&url);
    buf_free(&token);
    return rc;
}

enum err oura_fetch(struct fetch *f)
{
    struct span s;
    enum err rc;

    if (!f->want_account)
        return ERR_OK;
    rc = oura_span(f, &s);
    for (size_t i = 0; i < sizeof order / sizeof order[0] && rc == ERR_OK;
         i++)
        rc = oura_collection(f, order[i], &s);
    if (rc != ERR_OK)
        fetch_health_free(&f->health); /* nothing of a failed round */
    return rc;
}
