/* progress: one updating line on a terminal (a pseudo-terminal here),
 * at most ~10 writes a second, nothing on a pipe or when quiet. */
#include "testutil.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/progress.h"

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Everything fd delivers until it stays quiet for 200 ms (a pty hands
 * over what was written a moment later), NUL-terminated. */
static size_t drain(int fd, char *out, size_t cap)
{
    struct pollfd pfd = {fd, POLLIN, 0};
    size_t n = 0;
    ssize_t r;

    while (n + 1 < cap && poll(&pfd, 1, 200) == 1 &&
           (r = read(fd, out + n, cap - 1 - n)) > 0)
        n += (size_t)r;
    out[n] = '\0';
    return n;
}

static size_t count_char(const char *s, char c)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == c;
    return n;
}

static void test_tty_rate_limited(void **state)
{
    static char out[1 << 16];
    int master, slave;
    struct progress *p;
    int64_t t0, elapsed;
    size_t writes;

    (void)state;
    assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
    p = progress_create(slave, "backup", "pages", false);
    assert_non_null(p);
    t0 = mono_ms();
    /* 600 ms of updates as fast as they come. */
    for (int64_t i = 0; mono_ms() - t0 < 600; i++)
        progress_update(p, i % 1000, 1000);
    progress_update(p, 1000, 1000);
    elapsed = mono_ms() - t0;
    progress_destroy(p);
    drain(master, out, sizeof out);
    writes = count_char(out, '\r');
    /* ONLCR turns the final "\n" into "\r\n": one '\r' more. */
    assert_true(writes >= 3);
    assert_true(writes <= (size_t)(elapsed / PROGRESS_INTERVAL_MS) + 3);
    assert_non_null(strstr(out, "backup: "));
    assert_non_null(strstr(out, " / 1,000 pages"));
    assert_non_null(strstr(out, "1,000 / 1,000 pages (100%)"));
    assert_non_null(strstr(out, "/s"));
    assert_int_equal(out[strlen(out) - 1], '\n');
    close(master);
    close(slave);
}

static void test_tty_eta_unknown_total(void **state)
{
    static char out[4096];
    int master, slave;
    struct progress *p;

    (void)state;
    assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
    p = progress_create(slave, "import", "files", false);
    assert_non_null(p);
    sleep_ms(150);
    progress_update(p, 2, 10);
    assert_true(drain(master, out, sizeof out) > 0);
    assert_non_null(strstr(out, "2 / 10 files (20%)"));
    assert_non_null(strstr(out, "left"));
    sleep_ms(150);
    progress_update(p, 12345, -1); /* total unknown: no percent, no ETA */
    drain(master, out, sizeof out);
    assert_non_null(strstr(out, "import: 12,345 files"));
    assert_null(strstr(out, "%"));
    assert_null(strstr(out, "left"));
    progress_destroy(p);
    close(master);
    close(slave);
}

static void test_quick_work_silent(void **state)
{
    char out[256];
    int master, slave;
    struct progress *p;

    (void)state;
    assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
    p = progress_create(slave, "export", "rows", false);
    progress_update(p, 5, 5);
    progress_destroy(p);
    assert_int_equal(drain(master, out, sizeof out), 0);
    close(master);
    close(slave);
}

static void test_quiet_and_pipe_silent(void **state)
{
    char out[256];
    int master, slave, fds[2];

    (void)state;
    assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
    assert_null(progress_create(slave, "backup", "pages", true));
    assert_int_equal(pipe(fds), 0);
    assert_null(progress_create(fds[1], "backup", "pages", false));
    /* NULL is "do nothing" for every call */
    progress_update(NULL, 1, 2);
    progress_destroy(NULL);
    assert_int_equal(drain(fds[0], out, sizeof out), 0);
    assert_int_equal(drain(master, out, sizeof out), 0);
    close(fds[0]);
    close(fds[1]);
    close(master);
    close(slave);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tty_rate_limited),
        cmocka_unit_test(test_tty_eta_unknown_total),
        cmocka_unit_test(test_quick_work_silent),
        cmocka_unit_test(test_quiet_and_pipe_silent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
