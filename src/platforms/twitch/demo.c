/* Twitch's demo data (platforms/demo_table.h): the creator's channel and
 * their streams, most evenings, each with its past broadcast (an
 * "archive" video, linked "vod_of" the stream) and a few clips (linked
 * "clip_of" the archive), shaped as src/sources/twitch.c stores what
 * Helix answers: a stream's title, its game as the description, the
 * channel page as its url. */
#include "platforms/twitch/twitch.h"

#include "core/model.h"
#include "platforms/demo_table.h"

#define CHANNEL_URL "https://www.twitch.tv/"

static const char *const clip_words[] = {
    "Awkward", "Helpless", "Salamander", "SwiftRage", "Brave",  "Tiny",
    "Kappa",   "Pog",      "Clever",     "Frantic",  "Golden", "Lucky",
};

static void digits(struct demo_rng *r, const char *first, size_t n,
                   struct buf *out)
{
    buf_catf(out, "%s", first);
    demo_chars(r, "0123456789", 10, n, out);
}

static void stream_text(struct demo_rng *r, const struct demo_live_text *in,
                        struct buf *id, struct buf *title, struct buf *desc,
                        struct buf *url)
{
    const char *g = demo_games[in->game];

    digits(r, "4", 10, id); /* stream ids: 11 digits */
    switch (demo_rng_below(r, 4)) {
    case 0:
        buf_catf(title, "%s %s PB attempts | !splits", g,
                 demo_word(r, DEMO_CATEGORIES));
        break;
    case 1:
        buf_catf(title, "Routing %s live, come help", g);
        break;
    case 2:
        buf_catf(title, "%s: %s", g, demo_word(r, DEMO_MOODS));
        break;
    default:
        buf_catf(title, "Chill %s practice, then races", g);
    }
    buf_catf(desc, "%s", g); /* the collector keeps the game there */
    buf_catf(url, CHANNEL_URL "%s", in->handle);
}

static void vod_text(struct demo_rng *r, const struct demo_live_text *in,
                     struct buf *id, struct buf *title, struct buf *desc,
                     struct buf *url)
{
    (void)desc;
    digits(r, "19", 8, id); /* video ids: 10 digits */
    buf_catf(title, "%s", in->stream_title);
    buf_catf(url, CHANNEL_URL "videos/%s", buf_cstr(id));
}

static void clip_text(struct demo_rng *r, const struct demo_live_text *in,
                      struct buf *id, struct buf *title, struct buf *desc,
                      struct buf *url)
{
    (void)desc;
    for (int k = 0; k < 4; k++)
        buf_catf(id, "%s", clip_words[demo_rng_below(r, 12)]);
    buf_catf(id, "-");
    demo_chars(r, demo_b64url, 62, 16, id); /* no '-' or '_' after it */
    buf_catf(title, "%s", demo_word(r, DEMO_MOODS));
    buf_catf(url, "https://clips.twitch.tv/%s", buf_cstr(id));
    (void)in;
}

static void live_text(struct demo_rng *r, const struct demo_live_text *in,
                      struct buf *id, struct buf *title, struct buf *desc,
                      struct buf *url)
{
    if (in->part == DEMO_LIVE_STREAM)
        stream_text(r, in, id, title, desc, url);
    else if (in->part == DEMO_LIVE_VOD)
        vod_text(r, in, id, title, desc, url);
    else
        clip_text(r, in, id, title, desc, url);
}

/* Streams 3 to 5 evenings a week, starting 18:00-20:59 UTC, 2 to 4
 * hours, a viewer point every 5 minutes (the collector's round). */
static const struct demo_live live = {
    .per_week_lo = 3,
    .per_week_hi = 5,
    .hour_lo = 18,
    .hour_hi = 20,
    .dur_lo = 2 * 3600,
    .dur_hi = 4 * 3600,
    .point_s = 300,
    .peak = 140,
    .growth = 1.6,
    .raid_p = 0.3,
    .clips_max = 3,
    .stream_kind = "stream",
    .vod_kind = "archive",
    .clip_kind = "clip",
    .vod_rel = "vod_of",
    .clip_rel = "clip_of",
    .text = live_text,
};

static void user_id(struct demo_rng *r, struct buf *id)
{
    digits(r, "5", 8, id); /* user ids: digits */
}

static void channel_url(const char *id, const char *handle, struct buf *url)
{
    (void)id;
    buf_catf(url, CHANNEL_URL "%s", handle);
}

static void account_values(const struct demo_account_now *a, int64_t t,
                           struct demo_values *v)
{
    (void)t;
    demo_put(v, M_FOLLOWERS, a->followers);
}

const struct platform_demo twitch_demo = {
    .own_stream = true,
    .stream_salt = 0x7477697463680001ULL, /* "twitch" */
    .account = {.handle = "pixelpaceruns",
                .kind = "channel",
                .followers = 6100,
                .organic = 2,
                .follow_rate = 0.02, /* per live viewer-hour */
                .id = user_id,
                .url = channel_url},
    .account_values = account_values,
    .live = &live,
};
