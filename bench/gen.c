#include "gen.h"

#include <math.h>
#include <stdio.h>

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* A per-item constant in [0, 1). */
static double unit(const struct gen *g, size_t i, unsigned salt)
{
    return (double)(mix(g->rng ^ (i * 0x9e3779b97f4a7c15ULL) ^ salt) >> 11) /
           9007199254740992.0;
}

void gen_init(struct gen *g, size_t items, int64_t hours, uint64_t seed)
{
    g->rng = seed;
    g->items = items;
    g->hours = hours;
    g->start = 1672531200; /* 2023-01-01T00:00:00Z */
}

int64_t gen_published(const struct gen *g, size_t i)
{
    return g->start + (int64_t)(unit(g, i, 1) * (double)g->hours / 4) * 3600;
}

void gen_values(const struct gen *g, size_t i, int64_t h, int64_t *views,
                int64_t *likes, int64_t *comments)
{
    double age = (double)(g->start + h * 3600 - gen_published(g, i)) / 3600;
    double scale = 200 + 50000 * pow(unit(g, i, 2), 3);
    double v = scale * log1p(age / 6);           /* decaying growth */
    if (unit(g, i, 3) < 0.05 && age > 24 * 30)   /* viral after a month */
        v += scale * 20 * (1 - exp(-(age - 24 * 30) / 48));
    if ((mix((uint64_t)h * 31 + i) & 1023) == 0) /* spam views removed */
        v *= 0.97;
    *views = (int64_t)v;
    *likes = (int64_t)(v * (0.02 + 0.03 * unit(g, i, 4)));
    *comments = (int64_t)(v * 0.002);
}

size_t gen_hour(struct gen *g, int64_t h, struct batch *b)
{
    size_t n = 0;
    char id[32], acct[32];
    int64_t t = g->start + h * 3600;

    for (size_t i = 0; i < g->items; i++) {
        struct item *it;
        struct snapshot *s;
        int64_t v, l, c;
        if (gen_published(g, i) > t)
            continue;
        snprintf(id, sizeof id, "video%06zu", i);
        snprintf(acct, sizeof acct, "channel%zu", i % 3);
        it = batch_item(b, PLATFORM_YOUTUBE, ITEM_CONTENT, id);
        item_set(&it->account_ext_id, acct);
        it->published_at = gen_published(g, i);
        s = item_snapshot_at(it, t);
        gen_values(g, i, h, &v, &l, &c);
        if (metrics_set_i64(&s->metrics, M_VIEWS, v) != ERR_OK ||
            metrics_set_i64(&s->metrics, M_LIKES, l) != ERR_OK ||
            metrics_set_i64(&s->metrics, M_COMMENTS, c) != ERR_OK)
            continue;
        n++;
    }
    return n;
}
