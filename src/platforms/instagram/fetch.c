/* Instagram client (Graph API v21.0, graph.facebook.com or, for
 * Instagram Login connections (f->login), instagram.ig_graph_base): the IG
 * user's fields, its media pages (cursor paging, limit 25) and the
 * insights of the media not tracked yet and of the due ones (f->due). A
 * metric a media kind does not support (Graph error 100 in any of its
 * wordings, see refused_index) is dropped for that kind, remembered in
 * f->dropped, and the call repeated without it; a refusal naming no metric
 * loses that media's insights only. When X-App-Usage or
 * X-Business-Use-Case-Usage reach FETCH_USAGE_HIGH percent, the remaining
 * insight calls of the round are skipped. See fetch.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/oauth.h"
#include "platforms/fetch.h"
#include "platforms/instagram/instagram.h"

#define IG_VERSION "/v21.0/"
#define IG_USER_FIELDS                                                        \
    "id,username,name,biography,followers_count,follows_count,media_count"
#define IG_MEDIA_FIELDS                                                       \
    "id,caption,media_type,media_product_type,permalink,thumbnail_url,"       \
    "timestamp,like_count,comments_count"

/* The insight metrics asked for, in this order: the descriptor's
 * dropped_metrics, so bit i of the collector's memory is metric i. */
#define IG_NMETRICS 7
const char *const instagram_insight_metrics[IG_NMETRICS + 1] = {
    "reach", "views", "likes", "comments", "saved", "shares",
    "total_interactions", NULL};

/* GET IG_VERSION + path with the params, parsed as format. The body is
 * left in resp. */
static enum err ig_get(struct fetch *f, const char *path,
                       const char *const *params, const char *format,
                       struct net_resp *resp)
{
    /* Instagram Login connections talk to graph.instagram.com */
    bool ig_login = f->login != NULL &&
                    strcmp(f->login, INSTAGRAM_LOGIN_INSTAGRAM) == 0;
    const char *base =
        ig_login ? config_plat_str(f->cfg, PLATFORM_INSTAGRAM,
                                   "instagram.ig_graph_base")
                 : f->cfg->plat[PLATFORM_INSTAGRAM].api_base;
    struct buf url;
    enum err rc;
    int pct;

    buf_init(&url, NET_MAX_URL);
    rc = fetch_url(f, base, path, &url);
    for (size_t i = 0; params[i] != NULL && rc == ERR_OK; i += 2)
        rc = net_url_add_param(&url, params[i], params[i + 1]);
    if (rc == ERR_OK)
        rc = fetch_call(f, NET_GET, buf_cstr(&url), NULL, 0, resp);
    pct = fetch_graph_usage(net_resp_header(resp, NET_HDR_X_APP_USAGE),
                            net_resp_header(resp,
                                            NET_HDR_X_BUSINESS_USE_CASE_USAGE));
    if (pct > f->usage_pct)
        f->usage_pct = pct;
    if (pct >= FETCH_USAGE_HIGH && !f->usage_high) {
        f->usage_high = true;
        buf_catf(&f->note, "%sGraph API usage at %d %%: insights skipped "
                           "until a later round",
                 f->note.len ? "; " : "", pct);
    }
    if (rc == ERR_OK && format != NULL)
        rc = fetch_parse(f, format, f->account, &resp->body);
    buf_free(&url);
    return rc;
}

static enum err ig_user(struct fetch *f)
{
    struct buf path;
    struct net_resp resp;
    const char *params[] = {"fields", IG_USER_FIELDS, NULL};
    enum err rc;

    buf_init(&path, 512);
    net_resp_init(&resp);
    rc = buf_printf(&path, IG_VERSION "%s", f->account);
    if (rc == ERR_OK)
        rc = ig_get(f, buf_cstr(&path), params, "instagram.user", &resp);
    net_resp_free(&resp);
    buf_free(&path);
    return rc;
}

/* Whether metric name m occurs in msg as a word of its own (not inside
 * "total_interactions" when m is "interactions", say). */
static bool names_metric(const char *msg, const char *m)
{
    size_t n = strlen(m);

    for (const char *p = strstr(msg, m); p != NULL; p = strstr(p + 1, m)) {
        char before = p == msg ? ' ' : p[-1], after = p[n];
        bool word_before = before == '_' || (before >= 'a' && before <= 'z');
        bool word_after = after == '_' || (after >= 'a' && after <= 'z');
        if (!word_before && !word_after)
            return true;
    }
    return false;
}

/* Which asked metric (index into asked[0..n)) a Graph error 100 message
 * refuses, or -1 when it names none. The documented wordings:
 *   "(#100) metric[i] must be one of the following values: ..." (an
 *       unknown name; the list that follows names the others)
 *   "(#100) The Media Insights API does not support the views metric for
 *       this media product type."
 *   "(#100) The metric shares is not supported for this media type" */
static int refused_index(const char *msg, const int *asked, int n)
{
    const char *p = strstr(msg, "metric[");
    char *end;
    long v;

    if (p != NULL) {
        v = strtol(p + 7, &end, 10);
        return end != p + 7 && *end == ']' && v >= 0 && v < n ? (int)v : -1;
    }
    if (strstr(msg, "not support") == NULL)
        return -1;
    for (int i = 0; i < n; i++)
        if (names_metric(msg, instagram_insight_metrics[asked[i]]))
            return i;
    return -1;
}

/* A refused insights call that names no metric ("(#10) Not enough
 * viewers", an error 100 about this media): only this media's insights
 * are lost; the round goes on. */
static bool media_only_refusal(const struct fetch *f,
                               const struct net_resp *resp)
{
    return f->status == JOB_FAILED && resp->status >= 400 &&
           resp->status < 500 && resp->status != 401 && resp->status != 404;
}

/* Insights of one media, dropping refused metrics (at most all of them). */
static enum err ig_insights(struct fetch *f, const char *id, const char *kind)
{
    unsigned local;
    unsigned *dropped = fetch_dropped_slot(f->dropped, kind, &local);
    struct buf path, list;
    struct net_resp resp;
    const char *params[] = {"metric", NULL, NULL};
    int asked[IG_NMETRICS], n, idx;
    enum err rc = ERR_OK;

    buf_init(&path, 512);
    buf_init(&list, 512);
    net_resp_init(&resp);
    for (int tries = 0; tries <= IG_NMETRICS && !f->usage_high; tries++) {
        buf_reset(&list);
        n = 0;
        for (int i = 0; i < IG_NMETRICS; i++)
            if (!(*dropped & (1u << i))) {
                buf_catf(&list, "%s%s", n ? "," : "", instagram_insight_metrics[i]);
                asked[n++] = i;
            }
        if (n == 0)
            break;
        params[1] = buf_cstr(&list);
        buf_reset(&path);
        buf_catf(&path, IG_VERSION "%s/insights", id);
        rc = ig_get(f, buf_cstr(&path), params, "instagram.insights", &resp);
        if (rc != ERR_UPSTREAM || !media_only_refusal(f, &resp))
            break;
        idx = refused_index(buf_cstr(&f->err), asked, n);
        if (idx >= 0) {
            *dropped |= 1u << asked[idx];
            buf_catf(&f->note, "%sinsight metric %s dropped for %s (Graph "
                               "error 100)",
                     f->note.len ? "; " : "", instagram_insight_metrics[asked[idx]],
                     kind);
        } else {
            buf_catf(&f->note, "%sno insights for media %s (%s)",
                     f->note.len ? "; " : "", id, buf_cstr(&f->err));
        }
        f->status = JOB_OK;
        buf_reset(&f->err);
        rc = ERR_OK;
        if (idx < 0)
            break;
    }
    net_resp_free(&resp);
    buf_free(&list);
    buf_free(&path);
    return rc;
}

/* One media page: parse it, fetch insights of its media, and put the
 * next cursor (or "") into after. */
static enum err ig_media_page(struct fetch *f, struct buf *after)
{
    struct buf path;
    struct net_resp resp;
    const char *params[] = {"fields", IG_MEDIA_FIELDS, "limit", "25",
                            NULL, NULL, NULL};
    json_t *root = NULL, *data, *m, *next, *cur;
    char kind[32];
    size_t i;
    enum err rc;

    buf_init(&path, 512);
    net_resp_init(&resp);
    if (after->len > 0) {
        params[4] = "after";
        params[5] = buf_cstr(after);
    }
    rc = buf_printf(&path, IG_VERSION "%s/media", f->account);
    if (rc == ERR_OK)
        rc = ig_get(f, buf_cstr(&path), params, "instagram.media", &resp);
    if (rc == ERR_OK && (root = fetch_json(f, &resp.body)) == NULL)
        rc = ERR_PARSE;
    if (rc != ERR_OK)
        goto out;
    data = json_object_get(root, "data");
    json_array_foreach(data, i, m) {
        const char *id = json_string_value(json_object_get(m, "id"));
        const char *mt = json_string_value(json_object_get(m, "media_type"));
        const char *pt =
            json_string_value(json_object_get(m, "media_product_type"));
        snprintf(kind, sizeof(kind), "%s/%s", pt ? pt : "FEED",
                 mt ? mt : "UNKNOWN");
        if (id != NULL && rc == ERR_OK && !f->usage_high &&
            fetch_ask_new(f, id, kind))
            rc = ig_insights(f, id, kind);
    }
    next = json_object_get(json_object_get(root, "paging"), "next");
    cur = json_object_get(
        json_object_get(json_object_get(root, "paging"), "cursors"), "after");
    buf_reset(after);
    if (rc == ERR_OK && json_is_string(next) && json_is_string(cur))
        rc = buf_puts(after, json_string_value(cur));
out:
    json_decref(root);
    net_resp_free(&resp);
    buf_free(&path);
    return rc;
}

/* The account names the IG user in request paths: digits only. */
static bool ig_user_id_ok(const char *id)
{
    size_t n = strspn(id, "0123456789");
    return n > 0 && n <= ITEM_ID_MAX && id[n] == '\0';
}

enum err instagram_fetch(struct fetch *f)
{
    struct buf after;
    unsigned pages = 0;
    enum err rc = ERR_OK;

    buf_init(&after, 1024);
    if (!ig_user_id_ok(f->account)) {
        f->status = JOB_FAILED;
        buf_setf(&f->err, "the Instagram account must be the IG user id "
                          "(digits): connect with --account IG_USER_ID");
        rc = ERR_INVALID;
    }
    if (rc == ERR_OK && f->want_account)
        rc = ig_user(f);
    while (rc == ERR_OK && f->want_content) {
        size_t before = f->asked.n;
        rc = ig_media_page(f, &after);
        if (after.len == 0 || ++pages >= FETCH_MAX_PAGES ||
            fetch_listing_done(f, before))
            break;
    }
    /* the due media's insights (their list fields came with the listing,
     * when it ran); with high usage they stay due */
    for (size_t i = 0; f->due != NULL && i < f->due->n && rc == ERR_OK &&
                       !f->usage_high;
         i++) {
        fetch_items_add(&f->asked, f->due->v[i].id, f->due->v[i].kind);
        rc = ig_insights(f, f->due->v[i].id, f->due->v[i].kind);
    }
    buf_free(&after);
    return rc;
}
