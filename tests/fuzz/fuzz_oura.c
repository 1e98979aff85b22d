/* libFuzzer: the Oura parser (sources/oura.c) on any bytes, detecting the
 * kind and forcing each. Invariants that fail call __builtin_trap(): a
 * refusal leaves the batch empty and says why; an accepted page holds
 * only values within the documented ranges. */
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include "core/buf.h"
#include "core/health.h"
#include "sources/oura.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

static bool in(int64_t v, int64_t lo, int64_t hi)
{
    return v == HEALTH_NONE || (v >= lo && v <= hi);
}

static void check_batch(const struct health_batch *b)
{
    for (size_t i = 0; i < b->ndaily; i++) {
        const struct health_daily *d = &b->daily[i];
        check(strlen(d->day) == HEALTH_DAY_LEN && d->id != NULL);
        check(in(d->score, 0, 100) && d->ncontrib <= HEALTH_CONTRIB_MAX);
        for (size_t k = 0; k < d->ncontrib; k++)
            check(d->contrib[k].value >= 0 && d->contrib[k].value <= 100);
    }
    for (size_t i = 0; i < b->nsleep; i++)
        check(b->sleep[i].end >= b->sleep[i].start &&
              in(b->sleep[i].efficiency, 0, 100));
    for (size_t i = 0; i < b->nhr; i++)
        check(b->hr[i].bpm >= 1 && b->hr[i].bpm <= 300 &&
              b->hr[i].source != NULL);
    for (size_t i = 0; i < b->nworkout; i++)
        check(b->workout[i].end >= b->workout[i].start &&
              b->workout[i].activity != NULL);
    for (size_t i = 0; i < b->nsession; i++)
        check(b->session[i].end >= b->session[i].start &&
              b->session[i].id != NULL && b->session[i].type != NULL &&
              strlen(b->session[i].day) == HEALTH_DAY_LEN);
    for (size_t i = 0; i < b->nspo2; i++)
        check(b->spo2[i].id != NULL && in(b->spo2[i].bdi, 0, 100) &&
              (isnan(b->spo2[i].average) ||
               (b->spo2[i].average >= 0 && b->spo2[i].average <= 100)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct health_batch b;
    struct buf err;

    buf_init(&err, 4096);
    health_batch_init(&b);
    for (int kind = -1; kind < HEALTH_KIND_COUNT; kind++) {
        buf_reset(&err);
        if (oura_parse((const char *)data, size, kind, "fuzz", &b, &err) ==
            ERR_OK) {
            check_batch(&b);
            check(kind < 0 || (int)b.kind == kind);
        } else {
            check(health_batch_count(&b) == 0 && b.next_token == NULL &&
                  err.len > 0);
        }
        health_batch_free(&b);
    }
    (void)oura_claims((const char *)data, size);
    buf_free(&err);
    return 0;
}
