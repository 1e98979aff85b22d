#include "health.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

static const char *const kind_names[HEALTH_KIND_COUNT] = {
    "daily_sleep", "daily_readiness", "daily_activity",
    "sleep",       "heartrate",       "workout",
    "session",     "daily_spo2"};

const char *health_kind_name(enum health_kind k)
{
    return (unsigned)k < HEALTH_KIND_COUNT ? kind_names[k] : "?";
}

int health_kind_find(const char *name)
{
    for (int k = 0; name != NULL && k < HEALTH_KIND_COUNT; k++)
        if (strcmp(kind_names[k], name) == 0)
            return k;
    return -1;
}

void health_batch_init(struct health_batch *b)
{
    memset(b, 0, sizeof *b);
}

void health_batch_free(struct health_batch *b)
{
    for (size_t i = 0; i < b->ndaily; i++)
        free(b->daily[i].id);
    for (size_t i = 0; i < b->nsleep; i++) {
        free(b->sleep[i].id);
        free(b->sleep[i].type);
    }
    for (size_t i = 0; i < b->nworkout; i++) {
        free(b->workout[i].id);
        free(b->workout[i].activity);
        free(b->workout[i].label);
    }
    for (size_t i = 0; i < b->nsession; i++)
        free(b->session[i].id);
    for (size_t i = 0; i < b->nspo2; i++)
        free(b->spo2[i].id);
    free(b->session);
    free(b->spo2);
    free(b->daily);
    free(b->sleep);
    free(b->hr);
    free(b->workout);
    free(b->next_token);
    health_batch_init(b);
}

size_t health_batch_count(const struct health_batch *b)
{
    return b->ndaily + b->nsleep + b->nhr + b->nworkout + b->nsession +
           b->nspo2;
}

/* Grow *arr (n elements of size sz) by one zeroed slot at the end. */
static void *grow(void *arr, size_t *n, size_t sz, void **slot)
{
    char *p = xrealloc(arr, (*n + 1) * sz);
    memset(p + *n * sz, 0, sz);
    *slot = p + *n * sz;
    (*n)++;
    return p;
}

struct health_daily *health_batch_add_daily(struct health_batch *b)
{
    void *v;
    struct health_daily *d;

    b->daily = grow(b->daily, &b->ndaily, sizeof *b->daily, &v);
    d = v;
    d->score = d->steps = d->active_calories = d->total_calories =
        HEALTH_NONE;
    d->high_s = d->medium_s = d->low_s = d->sedentary_s = HEALTH_NONE;
    d->temp_dev = d->temp_trend_dev = NAN;
    return d;
}

struct health_sleep *health_batch_add_sleep(struct health_batch *b)
{
    void *v;
    struct health_sleep *s;

    b->sleep = grow(b->sleep, &b->nsleep, sizeof *b->sleep, &v);
    s = v;
    s->total_s = s->in_bed_s = s->deep_s = s->rem_s = s->light_s =
        s->awake_s = s->latency_s = HEALTH_NONE;
    s->efficiency = s->lowest_hr = s->average_hrv = s->restless =
        HEALTH_NONE;
    s->average_hr = s->average_breath = NAN;
    return s;
}

struct health_hr *health_batch_add_hr(struct health_batch *b)
{
    void *v;

    b->hr = grow(b->hr, &b->nhr, sizeof *b->hr, &v);
    return v;
}

struct health_workout *health_batch_add_workout(struct health_batch *b)
{
    void *v;
    struct health_workout *w;

    b->workout = grow(b->workout, &b->nworkout, sizeof *b->workout, &v);
    w = v;
    w->calories = w->distance = NAN;
    return w;
}

struct health_session *health_batch_add_session(struct health_batch *b)
{
    void *v;

    b->session = grow(b->session, &b->nsession, sizeof *b->session, &v);
    return v;
}

struct health_spo2 *health_batch_add_spo2(struct health_batch *b)
{
    void *v;
    struct health_spo2 *o;

    b->spo2 = grow(b->spo2, &b->nspo2, sizeof *b->spo2, &v);
    o = v;
    o->average = NAN;
    o->bdi = HEALTH_NONE;
    return o;
}
