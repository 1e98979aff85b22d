/* The cost of the /metrics hook on a request's end (server.c
 * on_completed): two CLOCK_MONOTONIC reads, the route's number
 * (routes_number) and counters_request, per call, alone and with two
 * threads on the same route (the worst case: one cache line bounced
 * between cores). Prints the best of RUNS runs of N calls (ns/call).
 * usage: bench_counters [N [RUNS]] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/counters.h"
#include "http/routes.h"

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static long n_calls = 2000000;

/* What on_first and on_completed add to one request. */
static void *hammer(void *ud)
{
    const struct route *r = ud;
    for (long i = 0; i < n_calls; i++) {
        uint64_t start = mono_ns();
        counters_request(routes_number(r), 200, mono_ns() - start);
    }
    return NULL;
}

/* ns per call with nthreads threads each making n_calls calls. */
static double run(const struct route *r, int nthreads)
{
    pthread_t t[2];
    uint64_t t0 = mono_ns();

    for (int i = 0; i < nthreads; i++)
        pthread_create(&t[i], NULL, hammer, (void *)r);
    for (int i = 0; i < nthreads; i++)
        pthread_join(t[i], NULL);
    return (double)(mono_ns() - t0) / (double)n_calls;
}

int main(int argc, char **argv)
{
    int runs = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 5;
    const struct route *r;
    double best1 = 1e18, best2 = 1e18, clock = 1e18;

    if (argc > 1)
        n_calls = strtol(argv[1], NULL, 10);
    if (n_calls < 1 || runs < 1 || !routes_init())
        return 2;
    r = routes_nth(routes_count()); /* the last: the longest search */
    for (int i = 0; i < runs; i++) {
        uint64_t t0 = mono_ns();
        for (long j = 0; j < n_calls; j++)
            (void)mono_ns();
        double c = (double)(mono_ns() - t0) / (double)n_calls;
        double a = run(r, 1), b = run(r, 2);
        clock = c < clock ? c : clock;
        best1 = a < best1 ? a : best1;
        best2 = b < best2 ? b : best2;
    }
    printf("routes: %u; calls per run: %ld; best of %d runs\n",
           routes_count(), n_calls, runs);
    printf("one clock_gettime(CLOCK_MONOTONIC):      %6.1f ns\n", clock);
    printf("request hook, 1 thread:                  %6.1f ns/request\n",
           best1);
    printf("request hook, 2 threads, same route:     %6.1f ns/request "
           "(wall time per call of one thread)\n", best2);
    return 0;
}
