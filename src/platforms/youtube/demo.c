/* YouTube's demo data (platforms/demo_table.h): the creator's channel,
 * videos and shorts. */
#include "platforms/youtube/youtube.h"

#include "core/model.h"
#include "platforms/demo_table.h"

static void video_text(struct demo_rng *r, size_t g, unsigned n,
                       struct buf *title, struct buf *desc)
{
    unsigned min = 4 + (unsigned)demo_rng_below(r, 50);
    unsigned sec = (unsigned)demo_rng_below(r, 60);

    (void)n;
    switch (demo_rng_below(r, 5)) {
    case 0:
        buf_catf(title, "%s %s speedrun in %u:%02u (personal best)",
                 demo_games[g], demo_word(r, DEMO_CATEGORIES), min, sec);
        break;
    case 1:
        buf_catf(title, "%s review: %s", demo_games[g],
                 demo_word(r, DEMO_VERDICTS));
        break;
    case 2:
        buf_catf(title, "How to %s in %s (tutorial)",
                 demo_word(r, DEMO_SKILLS), demo_games[g]);
        break;
    case 3:
        buf_catf(title, "%s %s world record history explained",
                 demo_games[g], demo_word(r, DEMO_CATEGORIES));
        break;
    default:
        buf_catf(title, "I tried to beat %s without taking damage",
                 demo_games[g]);
    }
    buf_catf(desc,
             "%s.\n\nLive on Twitch most evenings; splits and "
             "routes on the Discord.\n\n#speedrun #%s",
             buf_cstr(title), demo_tags[g]);
}

static void short_text(struct demo_rng *r, size_t g, unsigned n,
                       struct buf *title, struct buf *desc)
{
    (void)r;
    buf_catf(title, "This %s skip saves %u seconds #shorts", demo_games[g],
             n);
    buf_catf(desc, "%s\n\n#speedrun #%s #gaming", buf_cstr(title),
             demo_tags[g]);
}

static const struct demo_shape shapes[] = {
    {"video", 0.65, 14000, 40, 0.6, 0.08, 0.045, 0.006, 0, 0, 360, 2400,
     video_text},
    {"short", 1, 9000, 14, 0.85, 0.03, 0.035, 0.002, 0, 0, 15, 59,
     short_text},
    {NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
};

static const struct demo_slot slots[] = {
    {DEMO_BEST_WDAY, DEMO_BEST_HOUR, 3, 1.8},
    {2, 17, 2, 1.0},
    {6, 15, 2, 1.1},
    {0, 0, 0, 0},
};

static void channel_id(struct demo_rng *r, struct buf *id)
{
    buf_catf(id, "UC");
    demo_chars(r, demo_b64url, 64, 21, id);
    demo_chars(r, "AQgw", 4, 1, id);
}

static void channel_url(const char *id, const char *handle, struct buf *url)
{
    (void)handle;
    buf_catf(url, "https://www.youtube.com/channel/%s", id);
}

static void account_values(const struct demo_account_now *a, int64_t t,
                           struct demo_values *v)
{
    (void)t;
    demo_put(v, M_FOLLOWERS, a->followers);
    demo_put(v, M_VIEWS, (double)a->views);
    demo_put(v, "yt.videoCount", (double)a->count);
}

/* 11 characters; the last encodes only 4 bits, as in real ids. */
static void content_id(struct demo_rng *r, const struct demo_shape *s,
                       int64_t published, const char *handle, struct buf *id,
                       struct buf *url)
{
    (void)s;
    (void)published;
    (void)handle;
    demo_chars(r, demo_b64url, 64, 10, id);
    demo_chars(r, "AEIMQUYcgkosw048", 16, 1, id);
    buf_catf(url, "https://www.youtube.com/watch?v=%s", buf_cstr(id));
}

const struct platform_demo youtube_demo = {
    .account = {.handle = "@pixelpaceruns",
                .kind = "channel",
                .followers = 18400,
                .organic = 6,
                .follow_rate = 0.004,
                .views = 2140000,
                .count = 138,
                .id = channel_id,
                .url = channel_url},
    .account_values = account_values,
    .items_share = 120,
    .shapes = shapes,
    .slots = slots,
    .slot_minutes = 0,
    .content_id = content_id,
    .prefer_deleted = true,
};
