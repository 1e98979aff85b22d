/* A published post's first hours and first week (postperf.h). */
#include "analytics/postperf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/timeutil.h"

#define HOUR 3600
#define DAY 86400

const int64_t postperf_ages[POSTPERF_NAGES] = {
    1 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 1 * DAY, 2 * DAY, 3 * DAY,
    7 * DAY,
};

/* The views of snapshot s, or -1. */
static int64_t views_of(const struct snapshot *s)
{
    const struct metric *m = metrics_get(&s->metrics, M_VIEWS);
    return m != NULL && !m->is_real ? m->i : -1;
}

int64_t postperf_views_at(const struct item *it, int64_t age_s)
{
    const struct snapshot *before = NULL, *after = NULL;
    int64_t t, vb, va;

    if (it == NULL || it->published_at == TIME_NONE || age_s <= 0)
        return -1;
    t = it->published_at + age_s;
    for (size_t i = 0; i < it->nsnaps; i++) {
        const struct snapshot *s = it->snaps[i];
        if (views_of(s) < 0)
            continue;
        if (s->observed_at <= t)
            before = s;
        if (s->observed_at >= t && after == NULL)
            after = s;
    }
    if (before == NULL || after == NULL ||
        after->observed_at - before->observed_at > 2 * age_s)
        return -1;
    vb = views_of(before);
    va = views_of(after);
    if (after->observed_at == before->observed_at)
        return va;
    return vb + (int64_t)((double)(va - vb) * (double)(t - before->observed_at) /
                          (double)(after->observed_at - before->observed_at));
}

/* The first POSTPERF_NAGES days of snapshots of "platform:ext". */
static enum err first_week(struct store *st, enum platform p,
                           const char *ext, int64_t published_at,
                           struct item **out, struct buf *err)
{
    struct history_query q = {published_at - DAY,
                              published_at + postperf_ages[POSTPERF_NAGES - 1] +
                                  DAY,
                              0};
    char ref[ITEM_ID_MAX + 32];

    snprintf(ref, sizeof ref, "%s:%.*s", platform_name(p), ITEM_ID_MAX, ext);
    return store_item_history_range(st, ref, &q, out, NULL, err);
}

struct peer {
    char *ext;
    int64_t published_at;
};

struct peers {
    struct peer v[POSTPERF_PEERS];
    size_t n;
    const char *skip; /* the post's own item */
};

static enum err add_peer(void *ud, const struct item *it)
{
    struct peers *ps = ud;
    if (it->tracked || it->published_at == TIME_NONE ||
        strcmp(it->ext_id, ps->skip) == 0 || ps->n >= POSTPERF_PEERS)
        return ERR_OK;
    ps->v[ps->n++] = (struct peer){xstrdup(it->ext_id), it->published_at};
    return ERR_OK;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Median per age over the peers (views known at that age). */
static enum err peer_typical(struct store *st, enum platform p,
                             const char *ext, struct postperf *out,
                             struct buf *err)
{
    struct item_query q = {.type = ITEM_CONTENT, .platform = (int)p,
                           .sort = SORT_PUBLISHED, .ascending = false,
                           .limit = POSTPERF_PEERS + 1};
    struct peers ps = {.n = 0, .skip = ext};
    int64_t vals[POSTPERF_NAGES][POSTPERF_PEERS];
    size_t nv[POSTPERF_NAGES] = {0};
    enum err rc = store_list_items(st, &q, add_peer, &ps, err);

    for (size_t i = 0; rc == ERR_OK && i < ps.n; i++) {
        struct item *it = NULL;
        rc = first_week(st, p, ps.v[i].ext, ps.v[i].published_at, &it, err);
        for (size_t a = 0; rc == ERR_OK && a < POSTPERF_NAGES; a++) {
            int64_t v = postperf_views_at(it, postperf_ages[a]);
            if (v >= 0)
                vals[a][nv[a]++] = v;
        }
        if (rc == ERR_NOTFOUND || rc == ERR_AMBIGUOUS)
            rc = ERR_OK; /* vanished meanwhile, or an id on two types */
        item_destroy(it);
    }
    for (size_t a = 0; rc == ERR_OK && a < POSTPERF_NAGES; a++) {
        size_t n = nv[a];
        qsort(vals[a], n, sizeof vals[a][0], cmp_i64);
        out->pt[a].peers = n;
        out->pt[a].typical =
            n == 0 ? 0
            : n % 2 ? (double)vals[a][n / 2]
                    : ((double)vals[a][n / 2 - 1] + (double)vals[a][n / 2]) / 2;
    }
    for (size_t i = 0; i < ps.n; i++)
        free(ps.v[i].ext);
    return rc;
}

/* The item's descriptive fields and its newest snapshot. */
static enum err newest(struct store *st, enum platform p, const char *ext,
                       struct postperf *out, struct buf *err)
{
    struct history_query q = {TIME_NONE, TIME_NONE, 1};
    char ref[ITEM_ID_MAX + 32];
    enum err rc;

    if (strlen(ext) > ITEM_ID_MAX)
        return ERR_NOTFOUND;
    snprintf(ref, sizeof ref, "%s:%s", platform_name(p), ext);
    rc = store_item_history_range(st, ref, &q, &out->item, NULL, err);
    if (rc == ERR_OK && out->item->type != ITEM_CONTENT)
        rc = ERR_NOTFOUND;
    if (rc == ERR_OK && out->item->nsnaps > 0) {
        out->views_now = views_of(out->item->snaps[out->item->nsnaps - 1]);
        out->observed_at = out->item->snaps[out->item->nsnaps - 1]->observed_at;
    }
    return rc;
}

enum err postperf_build(struct store *st, enum platform p,
                        const char *ext_id, struct postperf *out,
                        struct buf *err)
{
    struct item *week = NULL;
    enum err rc;

    memset(out, 0, sizeof *out);
    out->views_now = -1;
    out->observed_at = TIME_NONE;
    for (size_t a = 0; a < POSTPERF_NAGES; a++)
        out->pt[a] = (struct postperf_point){postperf_ages[a], -1, 0, 0};
    rc = newest(st, p, ext_id, out, err);
    if (rc == ERR_OK && out->item->published_at != TIME_NONE)
        rc = first_week(st, p, ext_id, out->item->published_at, &week, err);
    for (size_t a = 0; rc == ERR_OK && week && a < POSTPERF_NAGES; a++)
        out->pt[a].views = postperf_views_at(week, postperf_ages[a]);
    if (rc == ERR_OK)
        rc = peer_typical(st, p, ext_id, out, err);
    item_destroy(week);
    if (rc != ERR_OK)
        postperf_free(out);
    return rc;
}

enum err postperf_latest(struct store *st, enum platform p,
                         const char *ext_id, struct postperf *out,
                         struct buf *err)
{
    enum err rc;

    memset(out, 0, sizeof *out);
    out->views_now = -1;
    out->observed_at = TIME_NONE;
    rc = newest(st, p, ext_id, out, err);
    if (rc != ERR_OK)
        postperf_free(out);
    return rc;
}

void postperf_free(struct postperf *pp)
{
    if (pp == NULL)
        return;
    item_destroy(pp->item);
    pp->item = NULL;
}
