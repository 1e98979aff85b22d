#include "analytics/typical.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/jsonw.h"

struct titem {
    int64_t id;
    enum platform platform;
    bool own;
    int32_t age;
    int64_t views;
};

struct pair {
    int32_t age;
    int64_t v;
};

/* The values of every age of one platform: ages [0, nages), the values
 * of age a sorted ascending in v[off[a] .. off[a + 1]). */
struct curve {
    int32_t nages;
    size_t *off;
    int64_t *v;
    struct pair *tmp; /* while building */
    size_t ntmp, tmp_cap;
};

struct typical {
    struct titem *items; /* by id ascending */
    size_t n, cap;
    struct curve c[PLATFORM_COUNT];
};

/* The rows of the item being read. */
struct rows {
    struct typical *t;
    int64_t id;
    struct store_age_row first;
    int32_t *day;
    int64_t *v;
    size_t n, cap, cap_v;
};

/* Pairs (a, value at a) of an owned item for every age 0..age: the last
 * row on or before publication day + a, when one exists. */
static void add_curve(struct curve *c, const struct rows *r, int32_t age)
{
    size_t k = 0;
    bool have = false;
    int64_t v = 0;

    for (int32_t a = 0; a <= age; a++) {
        while (k < r->n && r->day[k] <= r->first.pub_day + a) {
            v = r->v[k++];
            have = true;
        }
        if (!have)
            continue;
        c->tmp = xgrow(c->tmp, &c->tmp_cap, c->ntmp + 1, sizeof *c->tmp);
        c->tmp[c->ntmp++] = (struct pair){a, v};
        if (a + 1 > c->nages)
            c->nages = a + 1;
    }
}

/* The item whose rows were read: its age and views, its curve pairs. */
static void item_end(struct rows *r)
{
    struct typical *t = r->t;
    struct titem it;

    if (r->n == 0 || r->day[r->n - 1] < r->first.pub_day)
        goto out; /* no row from its publication day on */
    it = (struct titem){r->id, r->first.platform, r->first.own,
                        r->day[r->n - 1] - r->first.pub_day,
                        r->v[r->n - 1]};
    t->items = xgrow(t->items, &t->cap, t->n + 1, sizeof *t->items);
    t->items[t->n++] = it;
    if (it.own)
        add_curve(&t->c[it.platform], r, it.age);
out:
    r->n = 0;
}

static enum err on_row(void *ud, const struct store_age_row *row)
{
    struct rows *r = ud;
    size_t cap = r->cap;

    if (r->n > 0 && row->item_id != r->id)
        item_end(r);
    if (r->n == 0) {
        r->id = row->item_id;
        r->first = *row;
    }
    r->day = xgrow(r->day, &cap, r->n + 1, sizeof *r->day);
    r->v = xgrow(r->v, &r->cap_v, r->n + 1, sizeof *r->v);
    r->cap = cap;
    r->day[r->n] = row->day;
    r->v[r->n++] = row->last_v;
    return ERR_OK;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Counting sort of the pairs by age, then each age's values sorted. */
static void curve_finish(struct curve *c)
{
    size_t *fill;

    c->off = xcalloc((size_t)c->nages + 1, sizeof *c->off);
    c->v = xcalloc(c->ntmp ? c->ntmp : 1, sizeof *c->v);
    for (size_t i = 0; i < c->ntmp; i++)
        c->off[c->tmp[i].age + 1]++;
    for (int32_t a = 0; a < c->nages; a++)
        c->off[a + 1] += c->off[a];
    fill = xcalloc((size_t)c->nages + 1, sizeof *fill);
    memcpy(fill, c->off, ((size_t)c->nages + 1) * sizeof *fill);
    for (size_t i = 0; i < c->ntmp; i++)
        c->v[fill[c->tmp[i].age]++] = c->tmp[i].v;
    for (int32_t a = 0; a < c->nages; a++)
        qsort(c->v + c->off[a], c->off[a + 1] - c->off[a], sizeof *c->v,
              cmp_i64);
    free(fill);
    free(c->tmp);
    c->tmp = NULL;
    c->ntmp = c->tmp_cap = 0;
}

enum err typical_build(struct store *st, struct typical **out)
{
    struct typical *t = xcalloc(1, sizeof *t);
    struct rows r = {.t = t};
    enum err rc = store_age_rows(st, M_VIEWS, on_row, &r);

    if (rc == ERR_OK && r.n > 0)
        item_end(&r);
    free(r.day);
    free(r.v);
    for (int p = 0; p < PLATFORM_COUNT; p++)
        curve_finish(&t->c[p]);
    if (rc != ERR_OK) {
        typical_free(t);
        t = NULL;
    }
    *out = t;
    return rc;
}

void typical_free(struct typical *t)
{
    if (t == NULL)
        return;
    for (int p = 0; p < PLATFORM_COUNT; p++) {
        free(t->c[p].off);
        free(t->c[p].v);
        free(t->c[p].tmp);
    }
    free(t->items);
    free(t);
}

/* Rank k of the sorted s[0..n) without s[skip] (skip == n: none). */
static double rank_without(const int64_t *s, size_t skip, size_t k)
{
    return (double)s[k < skip ? k : k + 1];
}

/* The median of sorted s[0..n) without one element equal to drop (when
 * without is set; it is among them). *m: how many remain. */
static double median_without(const int64_t *s, size_t n, bool without,
                             int64_t drop, size_t *m)
{
    size_t skip = n, lo = 0, hi = n;

    if (without) {
        while (lo < hi) { /* the first element >= drop */
            size_t mid = lo + (hi - lo) / 2;
            if (s[mid] < drop)
                lo = mid + 1;
            else
                hi = mid;
        }
        skip = lo;
    }
    *m = without ? n - 1 : n;
    if (*m == 0)
        return 0;
    return *m % 2 ? rank_without(s, skip, *m / 2)
                  : (rank_without(s, skip, *m / 2 - 1) +
                     rank_without(s, skip, *m / 2)) / 2.0;
}

bool typical_of(const struct typical *t, int64_t item_id,
                struct report_typical *out)
{
    size_t lo = 0, hi = t->n;
    const struct titem *it;
    const struct curve *c;
    struct report_typical r = {0};

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->items[mid].id < item_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == t->n || t->items[lo].id != item_id)
        return false;
    it = &t->items[lo];
    c = &t->c[it->platform];
    r.age_days = it->age;
    r.views = it->views;
    if (it->age < c->nages) {
        const int64_t *s = c->v + c->off[it->age];
        size_t n = c->off[it->age + 1] - c->off[it->age];
        r.median = median_without(s, n, it->own, it->views, &r.n);
    }
    if (r.n > 0) {
        r.has_ratio = r.median > 0;
        r.ratio = r.has_ratio ? (double)r.views / r.median : 0;
    }
    *out = r;
    return true;
}

double typical_median(const struct typical *t, enum platform p,
                      int32_t age, size_t *n)
{
    const struct curve *c = &t->c[p];

    *n = 0;
    if (age < 0 || age >= c->nages)
        return 0;
    return median_without(c->v + c->off[age],
                          c->off[age + 1] - c->off[age], false, 0, n);
}

void typical_json(struct jw *w, bool has, const struct report_typical *t)
{
    jw_key(w, "vs_typical");
    if (!has) {
        jw_null(w);
        return;
    }
    jw_object_begin(w);
    jw_kv_i64(w, "age_days", t->age_days);
    jw_kv_i64(w, "views", t->views);
    jw_kv_i64(w, "n", (int64_t)t->n);
    jw_key(w, "median");
    t->n > 0 ? jw_real(w, t->median) : jw_null(w);
    jw_key(w, "ratio");
    t->has_ratio ? jw_real(w, t->ratio) : jw_null(w);
    jw_object_end(w);
}
