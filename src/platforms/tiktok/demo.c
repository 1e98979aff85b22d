/* TikTok's demo data (platforms/demo_table.h): the creator's user and
 * videos. */
#include "platforms/tiktok/tiktok.h"

#include "core/model.h"
#include "platforms/demo_table.h"

static void video_text(struct demo_rng *r, size_t g, unsigned n,
                       struct buf *title, struct buf *desc)
{
    (void)n;
    buf_catf(title, "%s %s #speedrun #gaming", demo_games[g],
             demo_word(r, DEMO_MOODS));
    buf_catf(desc, "%s\n\n#speedrun #%s #gaming", buf_cstr(title),
             demo_tags[g]);
}

static const struct demo_shape shapes[] = {
    {"video", 1, 11000, 18, 0.85, 0.03, 0.09, 0.005, 0.012, 0, 9, 90,
     video_text},
    {NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
};

static const struct demo_slot slots[] = {
    {DEMO_BEST_WDAY, DEMO_BEST_HOUR, 2, 1.8},
    {3, 20, 2, 1.0},
    {0, 18, 2, 1.1},
    {0, 0, 0, 0},
};

static void open_id(struct demo_rng *r, struct buf *id)
{
    buf_catf(id, "-000");
    demo_chars(r, demo_b64url, 64, 32, id);
}

static void user_url(const char *id, const char *handle, struct buf *url)
{
    (void)id;
    buf_catf(url, "https://www.tiktok.com/@%s", handle);
}

static void account_values(const struct demo_account_now *a, int64_t t,
                           struct demo_values *v)
{
    (void)t;
    demo_put(v, M_FOLLOWERS, a->followers);
    demo_put(v, "tt.likes_count", (double)a->likes);
    demo_put(v, "tt.video_count", (double)a->count);
}

/* TikTok ids carry their creation second in the top 32 bits. */
static void content_id(struct demo_rng *r, const struct demo_shape *s,
                       int64_t published, const char *handle, struct buf *id,
                       struct buf *url)
{
    uint64_t v = ((uint64_t)published << 32) | (demo_rng_next(r) >> 32);

    (void)s;
    buf_catf(id, "%llu", (unsigned long long)v);
    buf_catf(url, "https://www.tiktok.com/@%s/video/%s", handle,
             buf_cstr(id));
}

const struct platform_demo tiktok_demo = {
    .account = {.handle = "pixelpaceruns",
                .kind = "user",
                .followers = 25300,
                .organic = 9,
                .follow_rate = 0.006,
                .likes = 641000,
                .count = 176,
                .id = open_id,
                .url = user_url},
    .account_values = account_values,
    .items_share = 100,
    .shapes = shapes,
    .slots = slots,
    .slot_minutes = 25,
    .content_id = content_id,
    .prefer_viral = true,
};
