/* The demo tables' shared helpers (platforms/demo_table.h): the random
 * source and the creator's word lists. */
#include <assert.h>
#include <math.h>

#include "platforms/demo_table.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

const char demo_b64url[] =
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

void demo_chars(struct demo_rng *r, const char *set, size_t setlen, size_t n,
                struct buf *out)
{
    for (size_t i = 0; i < n; i++)
        buf_catf(out, "%c", set[demo_rng_below(r, setlen)]);
}

const char *const demo_games[DEMO_GAMES] = {
    "Celeste",       "Hollow Knight", "Super Mario 64", "Portal 2",
    "Hades",         "Elden Ring",    "Minecraft",      "Ocarina of Time",
    "Super Metroid", "Cuphead",       "Dark Souls",     "Spyro",
    "Half-Life 2",   "Katana ZERO",   "Sonic Mania",    "Mega Man X",
};
const char *const demo_tags[DEMO_GAMES] = {
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

const char *demo_word(struct demo_rng *r, enum demo_words w)
{
    switch (w) {
    case DEMO_CATEGORIES:
        return categories[demo_rng_below(r, N_OF(categories))];
    case DEMO_VERDICTS:
        return verdicts[demo_rng_below(r, N_OF(verdicts))];
    case DEMO_SKILLS:
        return skills[demo_rng_below(r, N_OF(skills))];
    default:
        return moods[demo_rng_below(r, N_OF(moods))];
    }
}

void demo_put(struct demo_values *v, const char *name, double x)
{
    assert(v->n < DEMO_VALUES_MAX);
    v->name[v->n] = name;
    v->v[v->n++] = (int64_t)floor(x);
}
