/* YouTube client: Data API v3 channels.list (mine=true) for the channel
 * and its uploads playlist, playlistItems.list over every page for the
 * video ids (those not tracked yet are new), videos.list of the new and
 * the due videos in batches of at most 50 ids, and the Analytics
 * API v2 daily report of the channel's last days. Every answer goes
 * through the import parsers. See fetch.h. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

#include "core/timeutil.h"
#include "platforms/fetch.h"
#include "platforms/youtube/youtube.h"

#define YT_PAGE 50
#define YT_REPORT_DAYS 7
#define YT_MAX_VIDEOS 20000
#define YT_VIDEO_PARTS "snippet,statistics,contentDetails"
#define YT_REPORT_METRICS                                                     \
    "views,estimatedMinutesWatched,likes,comments,shares,subscribersGained"

/* GET base+path?query and parse the answer as format. */
static enum err yt_get(struct fetch *f, const struct buf *url,
                       const char *format, const char *hint, int64_t cost,
                       struct net_resp *resp)
{
    enum err rc = fetch_call(f, NET_GET, buf_cstr(url), NULL, cost, resp);
    if (rc == ERR_OK)
        rc = fetch_parse(f, format, hint, &resp->body);
    return rc;
}

/* channels.list: the channel (into the batch), its id and uploads. */
static enum err yt_channel(struct fetch *f, struct buf *channel,
                           struct buf *uploads)
{
    struct buf url;
    struct net_resp resp;
    json_t *root = NULL;
    const char *id, *up;
    enum err rc;

    buf_init(&url, NET_MAX_URL);
    net_resp_init(&resp);
    rc = fetch_url(f, f->cfg->plat[PLATFORM_YOUTUBE].api_base,
                   "/youtube/v3/channels", &url);
    if (rc == ERR_OK)
        rc = net_url_add_param(&url, "part", YT_VIDEO_PARTS);
    if (rc == ERR_OK)
        rc = net_url_add_param(&url, "mine", "true");
    if (rc == ERR_OK)
        rc = yt_get(f, &url, "youtube.channels.list", NULL,
                    FETCH_YT_COST_LIST, &resp);
    if (rc != ERR_OK)
        goto out;
    root = fetch_json(f, &resp.body);
    id = json_string_value(
        json_object_get(json_array_get(json_object_get(root, "items"), 0),
                        "id"));
    up = json_string_value(json_object_get(
        json_object_get(
            json_object_get(json_array_get(json_object_get(root, "items"), 0),
                            "contentDetails"),
            "relatedPlaylists"),
        "uploads"));
    if (id == NULL || up == NULL || *up == '\0') {
        f->status = JOB_FAILED;
        buf_setf(&f->err, "channels.list (mine=true) named no channel with "
                          "an uploads playlist");
        rc = ERR_PARSE;
        goto out;
    }
    if (buf_puts(channel, id) != ERR_OK || buf_puts(uploads, up) != ERR_OK)
        rc = ERR_TOOBIG;
out:
    json_decref(root);
    net_resp_free(&resp);
    buf_free(&url);
    return rc;
}

/* One playlistItems page: the ids of videos not tracked yet into
 * f->asked, the next token (or "") into next. */
static enum err yt_playlist_page(struct fetch *f, const char *uploads,
                                 const char *channel, struct buf *next)
{
    struct buf url;
    struct net_resp resp;
    json_t *root = NULL, *items, *it;
    size_t i;
    enum err rc;

    buf_init(&url, NET_MAX_URL);
    net_resp_init(&resp);
    rc = fetch_url(f, f->cfg->plat[PLATFORM_YOUTUBE].api_base,
                   "/youtube/v3/playlistItems", &url);
    if (rc == ERR_OK)
        rc = net_url_add_param(&url, "part", "snippet,contentDetails");
    if (rc == ERR_OK)
        rc = net_url_add_param(&url, "playlistId", uploads);
    if (rc == ERR_OK)
        rc = net_url_add_param(&url, "maxResults", "50");
    if (rc == ERR_OK && next->len > 0)
        rc = net_url_add_param(&url, "pageToken", buf_cstr(next));
    if (rc == ERR_OK)
        rc = yt_get(f, &url, "youtube.playlistItems.list", channel,
                    FETCH_YT_COST_LIST, &resp);
    if (rc == ERR_OK && (root = fetch_json(f, &resp.body)) == NULL)
        rc = ERR_PARSE;
    if (rc != ERR_OK)
        goto out;
    items = json_object_get(root, "items");
    json_array_foreach(items, i, it) {
        const char *vid = json_string_value(json_object_get(
            json_object_get(it, "contentDetails"), "videoId"));
        if (vid != NULL && f->asked.n < YT_MAX_VIDEOS)
            fetch_ask_new(f, vid, "");
    }
    buf_reset(next);
    it = json_object_get(root, "nextPageToken");
    if (json_is_string(it) && json_string_length(it) > 0)
        rc = buf_puts(next, json_string_value(it));
out:
    json_decref(root);
    net_resp_free(&resp);
    buf_free(&url);
    return rc;
}

/* videos.list for ids[from, from + n), n <= 50. */
static enum err yt_videos(struct fetch *f, const struct fetch_items *ids,
                          size_t from, size_t n, const char *channel)
{
    struct buf url, list;
    struct net_resp resp;
    enum err rc;

    buf_init(&url, NET_MAX_URL);
    buf_init(&list, NET_MAX_URL);
    net_resp_init(&resp);
    rc = fetch_url(f, f->cfg->plat[PLATFORM_YOUTUBE].api_base,
                   "/youtube/v3/videos", &url);
    for (size_t i = from; i < from + n && rc == ERR_OK; i++)
        rc = buf_printf(&list, "%s%s", i > from ? "," : "", ids->v[i].id);
    if (rc == ERR_OK)
        rc = net_url_add_param(&url, "part", YT_VIDEO_PARTS);
    if (rc == ERR_OK)
        rc = net_url_add_param(&url, "id", buf_cstr(&list));
    if (rc == ERR_OK)
        rc = net_url_add_param(&url, "maxResults", "50");
    if (rc == ERR_OK)
        rc = yt_get(f, &url, "youtube.videos.list", channel,
                    FETCH_YT_COST_LIST, &resp);
    net_resp_free(&resp);
    buf_free(&list);
    buf_free(&url);
    return rc;
}

/* Analytics reports.query: the channel's days over the last week. */
static enum err yt_report(struct fetch *f, const char *channel)
{
    struct buf url, from, to;
    struct net_resp resp;
    enum err rc;

    buf_init(&url, NET_MAX_URL);
    buf_init(&from, 32);
    buf_init(&to, 32);
    net_resp_init(&resp);
    rc = fetch_url(f,
                   config_plat_str(f->cfg, PLATFORM_YOUTUBE,
                                   "collect.youtube_analytics_base"),
                   "/v2/reports", &url);
    if (rc == ERR_OK)
        rc = time_format_date(f->observed_at - YT_REPORT_DAYS * 86400, &from);
    if (rc == ERR_OK)
        rc = time_format_date(f->observed_at, &to);
    if (rc == ERR_OK)
        rc = net_url_add_param(&url, "ids", "channel==MINE");
    if (rc == ERR_OK)
        rc = net_url_add_param(&url, "startDate", buf_cstr(&from));
    if (rc == ERR_OK)
        rc = net_url_add_param(&url, "endDate", buf_cstr(&to));
    if (rc == ERR_OK)
        rc = net_url_add_param(&url, "metrics", YT_REPORT_METRICS);
    if (rc == ERR_OK)
        rc = net_url_add_param(&url, "dimensions", "day");
    if (rc == ERR_OK)
        rc = yt_get(f, &url, "youtube_analytics.reports.query", channel, 0,
                    &resp);
    net_resp_free(&resp);
    buf_free(&to);
    buf_free(&from);
    buf_free(&url);
    return rc;
}

enum err youtube_fetch(struct fetch *f)
{
    struct buf channel, uploads, next;
    struct fetch_items *ids = &f->asked;
    unsigned pages = 0;
    enum err rc;

    buf_init(&channel, ITEM_ID_MAX + 1);
    buf_init(&uploads, ITEM_ID_MAX + 1);
    buf_init(&next, 1024);
    rc = yt_channel(f, &channel, &uploads);
    if (rc == ERR_OK && f->want_account)
        rc = yt_report(f, buf_cstr(&channel));
    while (rc == ERR_OK && f->want_content) {
        size_t before = ids->n;
        rc = yt_playlist_page(f, buf_cstr(&uploads), buf_cstr(&channel),
                              &next);
        if (next.len == 0 || ++pages >= FETCH_MAX_PAGES ||
            fetch_listing_done(f, before))
            break;
    }
    for (size_t i = 0; f->due != NULL && i < f->due->n && rc == ERR_OK &&
                       ids->n < YT_MAX_VIDEOS;
         i++)
        fetch_items_add(ids, f->due->v[i].id, "");
    /* videos.list costs a unit whatever the number of ids: full batches */
    for (size_t i = 0; i < ids->n && rc == ERR_OK; i += YT_PAGE)
        rc = yt_videos(f, ids, i, ids->n - i < YT_PAGE ? ids->n - i : YT_PAGE,
                       buf_cstr(&channel));
    buf_free(&next);
    buf_free(&uploads);
    buf_free(&channel);
    return rc;
}
