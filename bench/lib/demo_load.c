#include "demo_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/timeutil.h"

size_t demo_load(struct store *st, struct demo *g, int hours_per_batch,
                 size_t *values)
{
    struct buf err;
    size_t rows = 0, vals = 0, n = 1;

    buf_init(&err, 4096);
    while (n > 0) {
        struct batch b;
        struct ingest_stats s;
        batch_init(&b);
        n = 0;
        for (int h = 0; h < hours_per_batch; h++) {
            size_t k = demo_hour(g, &b);
            n += k;
            if (k == 0)
                break;
        }
        if (n > 0 && store_ingest(st, &b, NULL, &s, &err) != ERR_OK) {
            fprintf(stderr, "ingest: %s\n", buf_cstr(&err));
            exit(1);
        }
        rows += n;
        vals += n > 0 ? s.values_new : 0;
        batch_free(&b);
    }
    buf_free(&err);
    if (values != NULL)
        *values = vals;
    return rows;
}

bool bench_file_exists(const char *target)
{
    return store_target_is_file(target) && access(target, F_OK) == 0;
}

bool bench_store_filled(const char *target, bool file_existed,
                        struct store *st)
{
    struct item_query q = {.type = ITEM_CONTENT, .platform = -1};
    int64_t n = 0;

    if (store_target_is_file(target))
        return file_existed;
    return store_count_items(st, &q, &n) == ERR_OK && n > 0;
}

double bench_now_s(void)
{
    return (double)time_mono_ms() / 1000.0;
}

double bench_cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

struct demo *bench_ingest_demo(size_t items, int64_t hours)
{
    struct demo_opts o;
    struct demo *d = NULL;
    struct buf err;

    buf_init(&err, 1024);
    demo_opts_default(&o, 1672531200 + (hours - 1) * 3600);
    o.items = items;
    o.hours = hours;
    o.seed = 42;
    o.publish_span = 0.25;
    if (demo_create(&o, &d, &err) != ERR_OK) {
        fprintf(stderr, "demo: %s\n", buf_cstr(&err));
        exit(1);
    }
    buf_free(&err);
    return d;
}

double bench_timed_ingest(struct store *st, struct demo *g, int64_t hours,
                          size_t *rows, size_t *values, double *cpu)
{
    struct buf err;
    double t = 0;

    buf_init(&err, 4096);
    *rows = *values = 0;
    *cpu = 0;
    /* The batches are built (and freed) as a parser would, off the
     * clock. */
    for (int64_t h = 0; h < hours; h++) {
        struct batch b;
        struct ingest_stats s;
        double w, c;
        batch_init(&b);
        *rows += demo_hour(g, &b);
        c = bench_cpu_s();
        w = bench_now_s();
        if (store_ingest(st, &b, NULL, &s, &err) != ERR_OK) {
            fprintf(stderr, "ingest: %s\n", buf_cstr(&err));
            exit(1);
        }
        t += bench_now_s() - w;
        *cpu += bench_cpu_s() - c;
        *values += s.values_new;
        batch_free(&b);
    }
    buf_free(&err);
    return t;
}

double bench_run_store(size_t items, int64_t hours, const char *target,
                       size_t *rows, size_t *values, double *cpu)
{
    struct demo *g = bench_ingest_demo(items, hours);
    struct store *st = NULL;
    struct buf err;
    double t;

    buf_init(&err, 4096);
    if (store_open(target, &st, &err) != ERR_OK) {
        fprintf(stderr, "%s\n", buf_cstr(&err));
        exit(1);
    }
    t = bench_timed_ingest(st, g, hours, rows, values, cpu);
    store_close(st);
    buf_free(&err);
    demo_destroy(g);
    return t;
}

double bench_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
