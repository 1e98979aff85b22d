/* The demo's ids, titles and captions: platform-shaped, from word lists
 * of a speedrunning streamer. */
#include <stddef.h>
#include <string.h>

#include "demo/demo_impl.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

uint64_t demo_rng_next(struct demo_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

double demo_rng_unit(struct demo_rng *r)
{
    return (double)(demo_rng_next(r) >> 11) / 9007199254740992.0;
}

uint64_t demo_rng_below(struct demo_rng *r, uint64_t n)
{
    return demo_rng_next(r) % n; /* bias is far below anything visible */
}

double demo_hash_unit(uint64_t a, uint64_t b, uint64_t c)
{
    struct demo_rng r = {a ^ (b * 0xff51afd7ed558ccdULL) ^
                         (c * 0xc4ceb9fe1a85ec53ULL)};
    return demo_rng_unit(&r);
}

static const char *pick(struct demo_rng *r, const char *const *v, size_t n)
{
    return v[demo_rng_below(r, n)];
}
#define PICK(r, a) pick((r), (a), N_OF(a))

static void chars(struct demo_rng *r, const char *set, size_t setlen, size_t n,
                  struct buf *out)
{
    for (size_t i = 0; i < n; i++)
        buf_catf(out, "%c", set[demo_rng_below(r, setlen)]);
}

void demo_text_youtube_video_id(struct demo_rng *r, struct buf *out)
{
    /* 11 characters; the last encodes only 4 bits, as in real ids. */
    chars(r, b64url, 64, 10, out);
    chars(r, "AEIMQUYcgkosw048", 16, 1, out);
}

void demo_text_youtube_channel_id(struct demo_rng *r, struct buf *out)
{
    buf_catf(out, "UC");
    chars(r, b64url, 64, 21, out);
    chars(r, "AQgw", 4, 1, out);
}

void demo_text_instagram_id(struct demo_rng *r, const char *prefix,
                            struct buf *out)
{
    size_t n = strlen(prefix);
    buf_catf(out, "%s", prefix); /* 17 digits in all, as IG ids are */
    chars(r, "0123456789", 10, n < 17 ? 17 - n : 0, out);
}

void demo_text_shortcode(struct demo_rng *r, struct buf *out)
{
    chars(r, "CD", 2, 1, out); /* recent shortcodes start so */
    chars(r, b64url, 64, 10, out);
}

void demo_text_tiktok_open_id(struct demo_rng *r, struct buf *out)
{
    buf_catf(out, "-000");
    chars(r, b64url, 64, 32, out);
}

void demo_text_tiktok_video_id(struct demo_rng *r, int64_t created,
                               struct buf *out)
{
    /* TikTok ids carry their creation second in the top 32 bits. */
    uint64_t id = ((uint64_t)created << 32) | (demo_rng_next(r) >> 32);
    buf_catf(out, "%llu", (unsigned long long)id);
}

static const char *const games[] = {
    "Celeste",       "Hollow Knight", "Super Mario 64", "Portal 2",
    "Hades",         "Elden Ring",    "Minecraft",      "Ocarina of Time",
    "Super Metroid", "Cuphead",       "Dark Souls",     "Spyro",
    "Half-Life 2",   "Katana ZERO",   "Sonic Mania",    "Mega Man X",
};
static const char *const tags[] = {
    "celeste",      "hollowknight", "sm64",       "portal2",
    "hades",        "eldenring",    "minecraft",  "oot",
    "supermetroid", "cuphead",      "darksouls",  "spyro",
    "halflife2",    "katanazero",   "sonicmania", "megamanx",
};
static const char *const categories[] = {
    "any%", "100%", "glitchless", "low%", "all bosses", "any% NMG",
};
static const char *const verdicts[] = {
    "still worth it?",       "a masterpiece with one big flaw",
    "I was wrong about it",  "overrated or underrated?",
    "the perfect speedgame", "10 hours later",
};
static const char *const skills[] = {
    "master the wall clip",      "route your first run",
    "hit frame-perfect jumps",   "manipulate RNG",
    "practise segments quickly", "set up LiveSplit",
};
static const char *const moods[] = {
    "I can't believe this worked",  "so close to world record",
    "the reset that hurt the most", "when the RNG finally works",
    "chat said it was impossible",  "first try, no practice",
};

static void yt_video(struct demo_rng *r, size_t g, struct buf *title,
                     struct buf *desc)
{
    unsigned min = 4 + (unsigned)demo_rng_below(r, 50);
    unsigned sec = (unsigned)demo_rng_below(r, 60);

    switch (demo_rng_below(r, 5)) {
    case 0:
        buf_catf(title, "%s %s speedrun in %u:%02u (personal best)", games[g],
                 PICK(r, categories), min, sec);
        break;
    case 1:
        buf_catf(title, "%s review: %s", games[g], PICK(r, verdicts));
        break;
    case 2:
        buf_catf(title, "How to %s in %s (tutorial)", PICK(r, skills),
                 games[g]);
        break;
    case 3:
        buf_catf(title, "%s %s world record history explained", games[g],
                 PICK(r, categories));
        break;
    default:
        buf_catf(title, "I tried to beat %s without taking damage", games[g]);
    }
    buf_catf(desc,
             "%s.\n\nLive on Twitch most evenings; splits and "
             "routes on the Discord.\n\n#speedrun #%s",
             buf_cstr(title), tags[g]);
}

void demo_text_content(struct demo_rng *r, enum demo_kind k, struct buf *title,
                       struct buf *desc)
{
    size_t g = demo_rng_below(r, N_OF(games));
    unsigned n = 2 + (unsigned)demo_rng_below(r, 28);

    buf_reset(title);
    buf_reset(desc);
    switch (k) {
    case DK_YT_VIDEO:
        yt_video(r, g, title, desc);
        return;
    case DK_YT_SHORT:
        buf_catf(title, "This %s skip saves %u seconds #shorts", games[g], n);
        break;
    case DK_IG_REEL:
        buf_catf(title, "%s: %s", games[g], PICK(r, moods));
        break;
    case DK_IG_IMAGE:
        buf_catf(title, "New PB in %s %s! Full run on YouTube", games[g],
                 PICK(r, categories));
        break;
    case DK_IG_CAROUSEL:
        buf_catf(title, "%u things I learned routing %s", n, games[g]);
        break;
    default:
        buf_catf(title, "%s %s #speedrun #gaming", games[g], PICK(r, moods));
        break;
    }
    buf_catf(desc, "%s\n\n#speedrun #%s #gaming", buf_cstr(title), tags[g]);
}
