/* bgloop: rounds run at once, after the wait, on a kick, and stop
 * promptly even in a long wait. */
#include "testutil.h"

#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "core/bgloop.h"

struct counter {
    pthread_mutex_t mu;
    int rounds;
    int64_t wait_s;
};

static int64_t round_fn(void *ud, int64_t now)
{
    struct counter *c = ud;
    assert_true(now > 0);
    pthread_mutex_lock(&c->mu);
    c->rounds++;
    pthread_mutex_unlock(&c->mu);
    return c->wait_s;
}

static int rounds(struct counter *c)
{
    pthread_mutex_lock(&c->mu);
    int n = c->rounds;
    pthread_mutex_unlock(&c->mu);
    return n;
}

/* Wait up to 5 s for at least n rounds. */
static bool reach(struct counter *c, int n)
{
    for (int i = 0; i < 500 && rounds(c) < n; i++)
        usleep(10000);
    return rounds(c) >= n;
}

static double mono(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_kick_and_stop(void **state)
{
    struct counter c = {.mu = PTHREAD_MUTEX_INITIALIZER, .wait_s = 3600};
    struct bgloop *b = NULL;
    double t0;
    (void)state;

    assert_int_equal(bgloop_start("test", round_fn, &c, &b), ERR_OK);
    assert_true(reach(&c, 1)); /* the first round runs at once */
    usleep(50000);
    assert_int_equal(rounds(&c), 1); /* then it waits (an hour) */
    bgloop_kick(b);
    assert_true(reach(&c, 2));
    t0 = mono();
    bgloop_stop(b); /* in the middle of an hour's wait */
    assert_true(mono() - t0 < 1.0);
    assert_int_equal(rounds(&c), 2);
    bgloop_kick(NULL);
    bgloop_stop(NULL);
}

static void test_short_wait(void **state)
{
    struct counter c = {.mu = PTHREAD_MUTEX_INITIALIZER, .wait_s = -5};
    struct bgloop *b = NULL;
    (void)state;

    /* a wait below 1 s is clamped to 1 s: two rounds in about a second */
    assert_int_equal(bgloop_start("test", round_fn, &c, &b), ERR_OK);
    assert_true(reach(&c, 2));
    bgloop_stop(b);
    assert_true(rounds(&c) <= 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kick_and_stop),
        cmocka_unit_test(test_short_wait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
