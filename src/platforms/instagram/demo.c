/* Instagram's demo data (platforms/demo_table.h): the creator's business
 * account, reels, images and carousels. */
#include <string.h>

#include "platforms/instagram/instagram.h"

#include "core/model.h"
#include "platforms/demo_table.h"

#define DAY_S 86400

static void caption(struct buf *title, struct buf *desc, size_t g)
{
    buf_catf(desc, "%s\n\n#speedrun #%s #gaming", buf_cstr(title),
             demo_tags[g]);
}

static void reel_text(struct demo_rng *r, size_t g, unsigned n,
                      struct buf *title, struct buf *desc)
{
    (void)n;
    buf_catf(title, "%s: %s", demo_games[g], demo_word(r, DEMO_MOODS));
    caption(title, desc, g);
}

static void image_text(struct demo_rng *r, size_t g, unsigned n,
                       struct buf *title, struct buf *desc)
{
    (void)n;
    buf_catf(title, "New PB in %s %s! Full run on YouTube", demo_games[g],
             demo_word(r, DEMO_CATEGORIES));
    caption(title, desc, g);
}

static void carousel_text(struct demo_rng *r, size_t g, unsigned n,
                          struct buf *title, struct buf *desc)
{
    (void)r;
    buf_catf(title, "%u things I learned routing %s", n, demo_games[g]);
    caption(title, desc, g);
}

static const struct demo_shape shapes[] = {
    {"reel", 0.5, 9000, 12, 0.9, 0.02, 0.07, 0.004, 0.008, 0.012, 10, 60,
     reel_text},
    {"image", 0.8, 4000, 8, 0.92, 0.01, 0.09, 0.006, 0.003, 0.010, 0, 0,
     image_text},
    {"carousel", 1, 5000, 10, 0.9, 0.015, 0.085, 0.007, 0.005, 0.025, 0, 0,
     carousel_text},
    {NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
};

static const struct demo_slot slots[] = {
    {DEMO_BEST_WDAY, DEMO_BEST_HOUR, 2, 1.8},
    {1, 12, 2, 0.9},
    {5, 19, 2, 1.0},
    {0, 0, 0, 0},
};

/* 17 digits in all, as IG ids are */
static void ig_id(struct demo_rng *r, const char *prefix, struct buf *out)
{
    size_t n = strlen(prefix);
    buf_catf(out, "%s", prefix);
    demo_chars(r, "0123456789", 10, n < 17 ? 17 - n : 0, out);
}

static void user_id(struct demo_rng *r, struct buf *id)
{
    ig_id(r, "178414", id);
}

static void user_url(const char *id, const char *handle, struct buf *url)
{
    (void)id;
    buf_catf(url, "https://www.instagram.com/%s/", handle);
}

static void account_values(const struct demo_account_now *a, int64_t t,
                           struct demo_values *v)
{
    demo_put(v, M_FOLLOWERS, a->followers);
    demo_put(v, "ig.media_count", (double)a->count);
    if (t % DAY_S == 0 && a->day_reach >= 0) {
        demo_put(v, "ig.day.reach", (double)a->day_reach);
        demo_put(v, "ig.day.impressions", (double)a->day_reach * 1.7);
    }
}

static void content_id(struct demo_rng *r, const struct demo_shape *s,
                       int64_t published, const char *handle, struct buf *id,
                       struct buf *url)
{
    (void)published;
    (void)handle;
    ig_id(r, "179", id);
    buf_catf(url, "https://www.instagram.com/%s/",
             strcmp(s->kind, "reel") == 0 ? "reel" : "p");
    demo_chars(r, "CD", 2, 1, url); /* recent shortcodes start so */
    demo_chars(r, demo_b64url, 64, 10, url);
    buf_catf(url, "/");
}

const struct platform_demo instagram_demo = {
    .account = {.handle = "pixelpace.runs",
                .kind = "user",
                .followers = 9200,
                .organic = 4,
                .follow_rate = 0.010,
                .count = 312,
                .id = user_id,
                .url = user_url},
    .account_values = account_values,
    .day_reach = true,
    .items_share = 100,
    .shapes = shapes,
    .slots = slots,
    .slot_minutes = 25,
    .content_id = content_id,
};
