/* Queue slots (issue 14): per account weekly posting times, the next free
 * ones, proposals from the account's own best times, and the hook that
 * puts a new post in the queue (POST /api/v1/posts with "queue").
 *   GET    /api/v1/slots?platform=&account=     the slots, each with its
 *          next occurrence
 *   POST   /api/v1/slots   {platform, account, days: ["tue","thu"] (or
 *          day), time: "17:00", zone}: adds one slot per day (a slot
 *          stored already is kept: "existing")
 *   POST or PATCH /api/v1/slots/ID   {day, time, zone}, each optional
 *   DELETE /api/v1/slots/ID
 *   GET    /api/v1/slots/next?platform=&account=&count=&after=  the next
 *          free occurrences (after `after`, default now)
 *   GET    /api/v1/slots/propose?platform=&account=&count=&min=&range=
 *          the account's best weekday-hours (mean first-week views of its
 *          own content, at least min items each) in the rollup zone
 * 400 names the field; 404 for no such slot or account; 409 when the
 * account has that slot already or too many slots. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/analytics.h"
#include "analytics/report.h"
#include "core/alloc.h"
#include "core/jread.h"
#include "core/jsonw.h"
#include "core/model.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "core/tz.h"
#include "http/api_args.h"
#include "http/api_fail.h"
#include "http/api_slots.h"
#include "http/route.h"
#include "platforms/platform.h"
#include "schedule/slots.h"

#define SLOTS_PREFIX "/api/v1/slots/"
#define NEXT_MAX 50

/* ---- writing ---------------------------------------------------------- */

struct list_ctx {
    struct jw *w;
    int64_t now;
};

static enum err emit_slot(const struct slot *s, void *ud)
{
    struct list_ctx *c = ud;
    slots_slot_json(c->w, s, c->now);
    return c->w->status;
}

/* {"slots": [...]} of platform/account (NULL: all) into res. */
static void answer_slots(struct http_request *req, struct http_response *res,
                         const char *platform, const char *account,
                         void (*extra)(struct jw *w, void *ud), void *ud)
{
    struct jw w;
    struct buf err;
    struct list_ctx c = {&w, time_now()};
    enum err rc;

    buf_init(&err, 1024);
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    if (extra != NULL)
        extra(&w, ud);
    jw_key(&w, "slots");
    jw_array_begin(&w);
    rc = store_slot_list(req->st, platform, account, emit_slot, &c, &err);
    jw_array_end(&w);
    jw_object_end(&w);
    if (rc != ERR_OK && w.status == ERR_OK)
        api_store_failed(req, res, rc, "listing queue slots failed");
    else
        api_ok_json(res, &w);
    buf_free(&err);
}

/* ---- arguments -------------------------------------------------------- */

/* platform and account query arguments; required ones must be there. */
static bool arg_account(struct http_request *req, struct http_response *res,
                        bool required, const char **platform,
                        const char **account)
{
    enum platform p;
    *platform = http_arg(req, "platform");
    *account = http_arg(req, "account");
    if (*platform != NULL && strcmp(*platform, "dryrun") != 0 &&
        platform_from_name(*platform, &p) != ERR_OK) {
        struct buf names;
        buf_init(&names, 1024);
        if (platform_names_join(&names, false, ", ", ", ") != ERR_OK)
            buf_reset(&names);
        http_error(res, 400, "platform", "platform must be %s or dryrun",
                   buf_cstr(&names));
        buf_free(&names);
        return false;
    }
    if ((required && (*platform == NULL || *account == NULL)) ||
        (*account != NULL &&
         (**account == '\0' || strlen(*account) > ITEM_ID_MAX))) {
        http_error(res, 400, *platform == NULL ? "platform" : "account",
                   "platform and account (the account id) are needed");
        return false;
    }
    return true;
}

/* The body as a JSON object with only the keys in `keys`; 400 else. */
static json_t *body_object(struct http_request *req,
                           struct http_response *res,
                           const char *const *keys, size_t nkeys)
{
    json_t *o = json_loadb(req->body.data ? req->body.data : "",
                           req->body.len, JSON_REJECT_DUPLICATES, NULL);

    if (!json_is_object(o)) {
        http_error(res, 400, "body", "the body must be a JSON object");
        json_decref(o);
        return NULL;
    }
    if (!api_json_known_keys(o, keys, nkeys, res)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* A string member (absent: *out untouched); 400 naming it otherwise. */
static bool get_str(json_t *o, const char *key, size_t max, const char **out,
                    struct http_response *res)
{
    struct buf err;
    struct jread r;
    const char *v = NULL;
    bool ok;

    buf_init(&err, 512);
    jread_init(&r, &err);
    ok = jread_string(&r, o, key, J_OPTIONAL, max, &v) == ERR_OK;
    if (!ok)
        http_error(res, 400, key, "%s must be a string of at most %zu bytes",
                   key, max);
    else if (v != NULL)
        *out = v;
    jread_free(&r);
    buf_free(&err);
    return ok;
}

static bool get_day(const char *v, int *out, struct http_response *res)
{
    if (slots_parse_day(v, out) != ERR_OK) {
        http_error(res, 400, "days", "a day is one of sun, mon, tue, wed, "
                   "thu, fri, sat (or a full name)");
        return false;
    }
    return true;
}

static bool get_time(const char *v, int *out, struct http_response *res)
{
    if (slots_parse_time(v, out) != ERR_OK) {
        http_error(res, 400, "time", "time must be a wall time HH:MM from "
                   "00:00 to 23:59");
        return false;
    }
    return true;
}

/* "days": [..] or "day": ".." into a 7-bit set; 400 when neither. */
static bool get_days(json_t *o, unsigned *set, struct http_response *res)
{
    json_t *a = json_object_get(o, "days"), *v;
    const char *one = NULL;
    size_t i;
    int d;

    *set = 0;
    if (!get_str(o, "day", 16, &one, res))
        return false;
    if (one != NULL) {
        if (!get_day(one, &d, res))
            return false;
        *set |= 1u << d;
    }
    if (a != NULL && (!json_is_array(a) || json_array_size(a) > 7)) {
        http_error(res, 400, "days", "days must be an array of at most 7 "
                   "day names");
        return false;
    }
    json_array_foreach(a, i, v)
    {
        if (!get_day(json_string_value(v), &d, res))
            return false;
        *set |= 1u << d;
    }
    if (*set == 0)
        http_error(res, 400, "days", "days (e.g. [\"tue\", \"thu\"]) are "
                   "needed");
    return *set != 0;
}

/* ---- POST /api/v1/slots ------------------------------------------------ */

struct added {
    int64_t ids[7], existing[7];
    size_t n, nexisting;
};

static void added_json(struct jw *w, void *ud)
{
    const struct added *a = ud;
    jw_key(w, "added");
    jw_array_begin(w);
    for (size_t i = 0; i < a->n; i++)
        jw_i64(w, a->ids[i]);
    jw_array_end(w);
    jw_key(w, "existing");
    jw_array_begin(w);
    for (size_t i = 0; i < a->nexisting; i++)
        jw_i64(w, a->existing[i]);
    jw_array_end(w);
}

/* Check s, then add it once per day in set; false after answering. */
static bool add_days(struct http_request *req, struct http_response *res,
                     struct slot *s, unsigned set, struct added *a)
{
    const char *param = NULL;
    struct buf err;
    enum err rc = ERR_OK;
    int64_t id;

    buf_init(&err, 1024);
    for (int d = 0; d < 7 && rc == ERR_OK; d++) {
        if (!(set & (1u << d)))
            continue;
        s->weekday = d;
        rc = slots_check(s, &param, &err);
        if (rc != ERR_OK) {
            http_error(res, 400, param, "%s", buf_cstr(&err));
            break;
        }
        rc = store_slot_add(req->st, s, time_now(), &id, &err);
        if (rc == ERR_OK)
            a->ids[a->n++] = id;
        else if (rc == ERR_EXISTS)
            a->existing[a->nexisting++] = id;
        if (rc == ERR_EXISTS)
            rc = ERR_OK;
        else if (rc == ERR_TOOBIG)
            http_error(res, 409, "days", "%s", buf_cstr(&err));
        else if (rc != ERR_OK)
            api_store_failed(req, res, rc, "adding a queue slot failed");
    }
    buf_free(&err);
    return rc == ERR_OK;
}

static void api_slot_create(struct http_request *req,
                            struct http_response *res)
{
    static const char *const keys[] = {"platform", "account", "days",
                                       "day",      "time",    "zone"};
    struct slot s = {0};
    struct added a = {0};
    const char *time = NULL, *platform = NULL, *account = NULL, *zone = NULL;
    unsigned set = 0;
    json_t *o = body_object(req, res, keys, 6);

    if (o == NULL)
        return;
    if (!get_str(o, "platform", 16, &platform, res) ||
        !get_str(o, "account", ITEM_ID_MAX, &account, res) ||
        !get_str(o, "zone", TZ_NAME_MAX, &zone, res) ||
        !get_str(o, "time", 8, &time, res) || !get_days(o, &set, res) ||
        !get_time(time, &s.minute, res))
        goto out;
    /* borrowed from o for the call (store_slots.h) */
    s.platform = (char *)platform;
    s.account = (char *)account;
    s.zone = (char *)zone;
    if (s.zone == NULL) {
        http_error(res, 400, "zone", "zone (an IANA zone such as "
                   "Europe/Berlin) is needed");
        goto out;
    }
    if (!add_days(req, res, &s, set, &a))
        goto out;
    answer_slots(req, res, s.platform, s.account, added_json, &a);
    if (res->status == 200 && a.n > 0)
        res->status = 201;
out:
    json_decref(o); /* s's strings were borrowed from o */
}

/* ---- /api/v1/slots/ID ------------------------------------------------- */

static bool path_id(struct http_request *req, struct http_response *res,
                    int64_t *id)
{
    const char *s = req->path + strlen(SLOTS_PREFIX);
    size_t n = strlen(s);
    if (n == 0 || n > 18 || parse_i64n(s, n, 1, INT64_MAX, id) != ERR_OK) {
        http_error(res, 404, "id", "no such resource: a slot id is a "
                   "positive integer");
        return false;
    }
    return true;
}

/* The slot id in the path into *cur (caller slot_free's); false after
 * answering 404 / 500. */
static bool load_slot(struct http_request *req, struct http_response *res,
                      struct slot *cur)
{
    struct buf err;
    int64_t id;
    enum err rc;

    if (!path_id(req, res, &id))
        return false;
    buf_init(&err, 512);
    rc = store_slot_get(req->st, id, cur, &err);
    if (rc == ERR_NOTFOUND)
        http_error(res, 404, NULL, "no queue slot %lld", (long long)id);
    else if (rc != ERR_OK)
        api_store_failed(req, res, rc, "reading queue slot %lld failed",
                         (long long)id);
    buf_free(&err);
    return rc == ERR_OK;
}

static bool edit_fields(json_t *o, struct slot *s, const char **zone,
                        struct http_response *res)
{
    const char *day = NULL, *time = NULL;
    return get_str(o, "day", 16, &day, res) &&
           get_str(o, "time", 8, &time, res) &&
           get_str(o, "zone", TZ_NAME_MAX, zone, res) &&
           (day == NULL || get_day(day, &s->weekday, res)) &&
           (time == NULL || get_time(time, &s->minute, res));
}

static void api_slot_edit(struct http_request *req,
                          struct http_response *res)
{
    static const char *const keys[] = {"day", "time", "zone"};
    struct slot cur = {0};
    const char *zone = NULL, *param = NULL;
    struct buf err;
    json_t *o = NULL;
    enum err rc;

    buf_init(&err, 1024);
    if (!load_slot(req, res, &cur) ||
        (o = body_object(req, res, keys, 3)) == NULL ||
        !edit_fields(o, &cur, &zone, res))
        goto out;
    if (zone != NULL) {
        free(cur.zone);
        cur.zone = xstrdup(zone);
    }
    rc = slots_check(&cur, &param, &err);
    if (rc != ERR_OK) {
        http_error(res, 400, param, "%s", buf_cstr(&err));
        goto out;
    }
    rc = store_slot_update(req->st, cur.id, cur.weekday, cur.minute, cur.zone,
                           time_now(), &err);
    if (rc == ERR_OK)
        answer_slots(req, res, cur.platform, cur.account, NULL, NULL);
    else if (rc == ERR_EXISTS || rc == ERR_NOTFOUND)
        http_error(res, rc == ERR_EXISTS ? 409 : 404, "day", "%s",
                   buf_cstr(&err));
    else
        api_store_failed(req, res, rc, "changing the queue slot failed");
out:
    json_decref(o);
    slot_free(&cur);
    buf_free(&err);
}

static void api_slot_delete(struct http_request *req,
                            struct http_response *res)
{
    struct slot cur = {0};
    struct buf err;
    enum err rc;

    buf_init(&err, 512);
    if (!load_slot(req, res, &cur))
        goto out;
    rc = store_slot_delete(req->st, cur.id, &err);
    if (rc == ERR_OK)
        answer_slots(req, res, cur.platform, cur.account, NULL, NULL);
    else if (rc == ERR_NOTFOUND)
        http_error(res, 404, NULL, "%s", buf_cstr(&err));
    else
        api_store_failed(req, res, rc, "removing the queue slot failed");
out:
    slot_free(&cur);
    buf_free(&err);
}

static void api_slot_list(struct http_request *req, struct http_response *res)
{
    const char *platform, *account;
    if (arg_account(req, res, false, &platform, &account))
        answer_slots(req, res, platform, account, NULL, NULL);
}

/* ---- GET /api/v1/slots/next ------------------------------------------ */

static bool arg_after(struct http_request *req, struct http_response *res,
                      int64_t *out)
{
    const char *v = http_arg(req, "after");
    int64_t now = time_now();
    *out = now;
    if (v == NULL)
        return true;
    if (time_parse_iso8601(v, out) != ERR_OK || *out > TIME_MAX_VALID) {
        http_error(res, 400, "after", "after must be an ISO 8601 time, "
                   "e.g. 2027-03-20T00:00:00Z");
        return false;
    }
    if (*out < now)
        *out = now; /* the queue never fills the past */
    return true;
}

/* The first count free occurrences of q as {"next": [...]} into w. */
static enum err free_json(struct http_request *req, const char *platform,
                          const char *account, const struct slots_queue *q,
                          size_t count, struct jw *w, struct buf *err)
{
    bool *taken = xcalloc(q->nwhen ? q->nwhen : 1, sizeof *taken);
    size_t shown = 0;
    enum err rc = store_slot_taken(req->st, platform, account, q->when,
                                   q->nwhen, taken, err);
    jw_key(w, "next");
    jw_array_begin(w);
    for (size_t i = 0; rc == ERR_OK && i < q->nwhen && shown < count; i++) {
        if (taken[i])
            continue;
        slots_when_json(w, q, &q->when[i]);
        shown++;
    }
    jw_array_end(w);
    free(taken);
    return rc;
}

static void api_slot_next(struct http_request *req, struct http_response *res)
{
    struct slots_queue q = {0};
    const char *platform, *account;
    int64_t count = 5, after;
    struct buf err;
    struct jw w;
    enum err rc;

    if (!arg_account(req, res, true, &platform, &account) ||
        !api_arg_int(req, res, "count", 1, NEXT_MAX, &count) ||
        !arg_after(req, res, &after))
        return;
    buf_init(&err, 1024);
    rc = slots_queue_load(req->st, platform, account, after, &q, &err);
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_kv_str(&w, "platform", platform);
    jw_kv_str(&w, "account", account);
    if (rc == ERR_NOTFOUND) { /* no slots: an empty list, not an error */
        jw_key(&w, "next");
        jw_array_begin(&w);
        jw_array_end(&w);
        rc = ERR_OK;
    } else if (rc == ERR_OK) {
        rc = free_json(req, platform, account, &q, (size_t)count, &w, &err);
    }
    jw_object_end(&w);
    if (rc != ERR_OK)
        api_store_failed(req, res, rc, "reading the queue failed: %s",
                         buf_cstr(&err));
    else
        api_ok_json(res, &w);
    slots_queue_free(&q);
    buf_free(&err);
}

/* ---- GET /api/v1/slots/propose ---------------------------------------- */

struct heat {
    struct store *st;
    struct api_range r;
    int64_t account_id;
    struct heatmap h;
    size_t items;
};

static enum err on_item(void *ud, const struct store_content_sum *c)
{
    struct heat *x = ud;
    int32_t day;
    if (c->published_at == TIME_NONE || c->account_id != x->account_id)
        return ERR_OK;
    day = store_day_of(x->st, c->published_at);
    if (day >= x->r.from_day && day < x->r.to_day) {
        report_heatmap_add_sum(x->st, c, &x->h);
        x->items++;
    }
    return ERR_OK;
}

/* Whether platform/account has a slot at weekday/minute in zone. */
struct has_ctx {
    int weekday, minute;
    const char *zone;
    bool found;
};

static enum err on_has(const struct slot *s, void *ud)
{
    struct has_ctx *c = ud;
    c->found = c->found || (s->weekday == c->weekday &&
                            s->minute == c->minute && str_eq(s->zone, c->zone));
    return ERR_OK;
}

/* The count buckets with at least min_n items and the highest means,
 * best first, into best[] (-1 past the end). */
static void top_buckets(const struct heatmap *h, int64_t min_n, int *best,
                        size_t count)
{
    for (size_t k = 0; k < count; k++) {
        double m, top = 0;
        best[k] = -1;
        for (int b = 0; b < 168; b++) {
            bool used = false;
            for (size_t j = 0; j < k; j++)
                used = used || best[j] == b;
            if (!used && h->count[b] >= (uint32_t)min_n &&
                heatmap_mean(h, b, &m) && (best[k] < 0 || m > top)) {
                best[k] = b;
                top = m;
            }
        }
    }
}

static void proposals_json(struct http_request *req, struct jw *w,
                           const struct heat *x, const char *platform,
                           const char *account, int64_t min_n, size_t count)
{
    const char *zone = tz_name(store_rollup_zone(req->st));
    int best[24];
    struct buf err, t;
    double mean;

    buf_init(&err, 512);
    buf_init(&t, 16);
    top_buckets(&x->h, min_n, best, count);
    jw_key(w, "proposals");
    jw_array_begin(w);
    for (size_t k = 0; k < count && best[k] >= 0; k++) {
        struct has_ctx c = {best[k] / 24, (best[k] % 24) * 60, zone, false};
        if (store_slot_list(req->st, platform, account, on_has, &c, &err) !=
            ERR_OK)
            c.found = false;
        buf_reset(&t);
        jw_object_begin(w);
        jw_kv_i64(w, "weekday", c.weekday);
        jw_kv_str(w, "day", slots_day_name(c.weekday));
        jw_kv_i64(w, "hour", best[k] % 24);
        jw_kv_str(w, "time", slots_format_time(c.minute, &t) == ERR_OK
                                 ? buf_cstr(&t) : NULL);
        jw_kv_str(w, "zone", zone);
        if (heatmap_mean(&x->h, best[k], &mean))
            jw_kv_real(w, "mean", mean);
        jw_kv_i64(w, "n", x->h.count[best[k]]);
        jw_kv_bool(w, "exists", c.found);
        jw_object_end(w);
    }
    jw_array_end(w);
    buf_free(&err);
    buf_free(&t);
}

/* The account's item id: 404 (false) when the store does not know it. */
static bool account_item(struct http_request *req, struct http_response *res,
                         const char *platform, const char *account,
                         int64_t *id)
{
    struct item *it = NULL;
    struct buf ref, err;
    bool ok = false;

    buf_init(&ref, 256);
    buf_init(&err, 1024);
    if (buf_printf(&ref, "%s:%s", platform, account) == ERR_OK &&
        store_item_find(req->st, buf_cstr(&ref), &it, &err) == ERR_OK &&
        it->type == ITEM_ACCOUNT) {
        *id = it->id;
        ok = true;
    } else {
        http_error(res, 404, "account", "no %s account %s with data: its "
                   "best times come from its own content", platform, account);
    }
    item_destroy(it);
    buf_free(&ref);
    buf_free(&err);
    return ok;
}

static void api_slot_propose(struct http_request *req,
                             struct http_response *res)
{
    struct heat x = {.st = req->st};
    const char *platform, *account;
    int64_t count = 3, min_n = REPORT_MIN_SAMPLE;
    struct jw w;

    heatmap_init(&x.h);
    if (!arg_account(req, res, true, &platform, &account) ||
        !api_arg_int(req, res, "count", 1, 24, &count) ||
        !api_arg_int(req, res, "min", 1, 1000, &min_n) ||
        !api_arg_range(req, res, 365, &x.r) ||
        !account_item(req, res, platform, account, &x.account_id))
        return;
    if (store_content_sums(req->st, -1, on_item, &x) != ERR_OK) {
        http_error(res, 500, NULL, "database error");
        return;
    }
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    api_json_range(&w, &x.r, false);
    jw_kv_str(&w, "platform", platform);
    jw_kv_str(&w, "account", account);
    jw_kv_str(&w, "zone", tz_name(store_rollup_zone(req->st)));
    jw_kv_i64(&w, "min_n", min_n);
    jw_kv_i64(&w, "items", (int64_t)x.items);
    proposals_json(req, &w, &x, platform, account, min_n, (size_t)count);
    jw_object_end(&w);
    api_ok_json(res, &w);
}

/* ---- "Add to queue": the hook in POST /api/v1/posts ------------------- */

/* "queue": true / false / {"after": ISO}: *on and *after (now when not
 * given or past). False after answering 400. */
static bool queue_member(json_t *v, bool *on, int64_t *after,
                         struct http_response *res)
{
    json_t *a = json_object_get(v, "after");
    int64_t now = time_now();

    *on = json_is_true(v) || json_is_object(v);
    *after = now;
    if (json_is_object(v) &&
        (json_object_size(v) != (a != NULL ? 1u : 0u) ||
         (a != NULL && (!json_is_string(a) ||
                        time_parse_iso8601(json_string_value(a), after) !=
                            ERR_OK ||
                        *after > TIME_MAX_VALID)))) {
        http_error(res, 400, "queue", "queue must be true or {\"after\": "
                   "\"2027-03-20T00:00:00Z\"}");
        return false;
    }
    if (!json_is_boolean(v) && !json_is_object(v)) {
        http_error(res, 400, "queue", "queue must be true or {\"after\": "
                   "ISO 8601 time}");
        return false;
    }
    if (*after < now)
        *after = now;
    return true;
}

bool api_slots_queue_read(struct http_request *req, json_t *o,
                          struct sched_input *in, struct slots_queue *q,
                          struct http_response *res)
{
    json_t *v = json_object_get(o, "queue");
    struct buf err;
    int64_t after;
    bool on = false;
    enum err rc;

    *q = (struct slots_queue){0};
    if (v == NULL || json_is_false(v))
        return true;
    if (!queue_member(v, &on, &after, res))
        return false;
    if (in->at != NULL || in->zone != NULL || in->draft) {
        http_error(res, 400, "queue", "a queued post takes its time from "
                   "the account's next free slot: leave out at, zone and "
                   "draft");
        return false;
    }
    if (in->platform == NULL || in->account == NULL) {
        http_error(res, 400, in->platform == NULL ? "platform" : "account",
                   "platform and account are needed to find the queue");
        return false;
    }
    buf_init(&err, 1024);
    rc = slots_queue_load(req->st, in->platform, in->account, after, q, &err);
    if (rc == ERR_OK && q->nwhen == 0) {
        buf_setf(&err, "no slot occurs within %d days", SLOTS_HORIZON_DAYS);
        rc = ERR_NOTFOUND;
    }
    if (rc == ERR_NOTFOUND)
        http_error(res, 409, "queue", "%s", buf_cstr(&err));
    else if (rc != ERR_OK)
        api_store_failed(req, res, rc, "reading the queue failed: %s",
                         buf_cstr(&err));
    if (rc == ERR_OK) {
        in->at = q->when[0].local;
        in->zone = q->when[0].zone;
        in->opts.shift_gap = true;
    } else {
        slots_queue_free(q);
    }
    buf_free(&err);
    return rc == ERR_OK;
}

enum err api_slots_queue_store(struct http_request *req,
                               const struct slots_queue *q, struct post *p,
                               int64_t *id_out, struct buf *note,
                               struct buf *err)
{
    return slots_queue_add(req->st, q, p, time_now(), id_out, note, err);
}

const struct route http_slot_routes[] = {
    {"GET", "/api/v1/slots", api_slot_list, 0},
    {"POST", "/api/v1/slots", api_slot_create, 0},
    {"GET", "/api/v1/slots/next", api_slot_next, 0},
    {"GET", "/api/v1/slots/propose", api_slot_propose, 0},
    {"POST", SLOTS_PREFIX, api_slot_edit, 0},
    {"PATCH", SLOTS_PREFIX, api_slot_edit, 0},
    {"DELETE", SLOTS_PREFIX, api_slot_delete, 0},
    {NULL, NULL, NULL, 0},
};
