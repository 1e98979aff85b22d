/* GET /api/v1/platforms: every registered platform as the dashboard
 * needs it (docs/platforms.md), read from the descriptors, so that the
 * web front end names no platform of its own:
 *
 *   {"platforms": [{"name": "youtube", "display": "YouTube",
 *     "kind": "social", "colour": "#d93025",
 *     "colour_dark": "#f85149", "publishes": true,
 *     "console_url": "...", "console_name": "...",
 *     "connect_account": "..." or null,
 *     "preview": "video_page" | "square_post" | "vertical_video" | null,
 *     "interactions": true (false: no likes, comments, shares, saves),
 *     "limits": {...post_limits_json's members...} | null,
 *     "mix": {"max_videos": N, "max_images": N, "max_mixed": N,
 *             "images_what": "JPEG" | null, "several_name": "a carousel"
 *             | null} | null   (the files one post may carry),
 *     "media": {"video": {"formats": ["mp4", ...], "bytes_max": N,
 *               "ms_min": N, "ms_max": N} | null, "image": ...} | null},
 *    ...]}
 *
 * Registry order. A session or an API token is needed, as for every API
 * GET; the answer is cached (ROUTE_CACHE) with an ETag. */
#include "http/route.h"

#include "core/jsonw.h"
#include "http/api_args.h"
#include "platforms/platform.h"
#include "schedule/media_limits.h"
#include "schedule/media_mix.h"
#include "schedule/post_limits.h"

/* One kind of file: null when the platform takes none. */
static void media_kind_json(struct jw *w, const char *key,
                            const struct media_kind_limits *k)
{
    jw_key(w, key);
    if (k->formats == NULL) {
        jw_null(w);
        return;
    }
    jw_object_begin(w);
    jw_key(w, "formats");
    jw_array_begin(w);
    for (const char *const *f = k->formats; *f != NULL; f++)
        jw_str(w, *f);
    jw_array_end(w);
    jw_kv_i64(w, "bytes_max", k->bytes_max);
    jw_kv_i64(w, "ms_min", k->ms_min);
    jw_kv_i64(w, "ms_max", k->ms_max);
    jw_object_end(w);
}

/* The files one post may carry there (media_mix.h), or null. */
static void mix_json(struct jw *w, const struct media_mix *m)
{
    if (m == NULL) {
        jw_null(w);
        return;
    }
    jw_object_begin(w);
    jw_kv_i64(w, "max_videos", (int64_t)m->max_videos);
    jw_kv_i64(w, "max_images", (int64_t)m->max_images);
    jw_kv_i64(w, "max_mixed", (int64_t)m->max_mixed);
    jw_kv_str(w, "images_what", m->images_what);
    jw_kv_str(w, "several_name", m->several_name);
    jw_object_end(w);
}

static void platform_json(struct jw *w, const struct platform_desc *d)
{
    jw_object_begin(w);
    jw_kv_str(w, "name", d->name);
    jw_kv_str(w, "display", d->display);
    jw_kv_str(w, "kind", d->kind == PLATFORM_SOCIAL ? "social" : "other");
    jw_kv_str(w, "colour", d->colour);
    jw_kv_str(w, "colour_dark", d->colour_dark);
    jw_kv_bool(w, "publishes", d->publish != NULL);
    jw_kv_str(w, "console_url", d->console_url);
    jw_kv_str(w, "console_name", d->console_name);
    jw_kv_str(w, "connect_account", d->connect_account);
    jw_kv_str(w, "preview", d->preview);
    jw_kv_bool(w, "interactions", !d->no_interactions);
    jw_key(w, "limits");
    if (d->post_limits != NULL)
        post_limits_obj_json(w, d->post_limits);
    else
        jw_null(w);
    jw_key(w, "mix");
    mix_json(w, d->mix);
    jw_key(w, "media");
    if (d->media_limits != NULL) {
        jw_object_begin(w);
        media_kind_json(w, "video", &d->media_limits->video);
        media_kind_json(w, "image", &d->media_limits->image);
        jw_object_end(w);
    } else {
        jw_null(w);
    }
    jw_object_end(w);
}

static void api_platforms(struct http_request *req, struct http_response *res)
{
    struct jw w;

    (void)req;
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_key(&w, "platforms");
    jw_array_begin(&w);
    for (int p = 0; p < PLATFORM_COUNT; p++)
        platform_json(&w, platform_get((enum platform)p));
    jw_array_end(&w);
    jw_object_end(&w);
    api_ok_json(res, &w);
}

const struct route http_platform_routes[] = {
    {"GET", "/api/v1/platforms", api_platforms, ROUTE_CACHE},
    {NULL, NULL, NULL, 0},
};
