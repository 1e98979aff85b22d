/* Wake-ups on PostgreSQL (store.h): LISTEN and NOTIFY on one channel per
 * enum store_wake_channel, their SQL constant text from a fixed table
 * (never built from input). A wait blocks in poll() on the connection's
 * socket, so an idle process costs nothing until a NOTIFY arrives or the
 * timeout passes; PQconsumeInput then PQnotifies read what came. */
#include <errno.h>
#include <poll.h>
#include <time.h>

#include "store/pg/pg_ops.h"

static const char *const listen_sql[STORE_WAKE_COUNT] = {
    "LISTEN mediadash_posts", "LISTEN mediadash_accounts"};
static const char *const notify_sql[STORE_WAKE_COUNT] = {
    "NOTIFY mediadash_posts", "NOTIFY mediadash_accounts"};

bool pg_can_wake(struct store *st)
{
    (void)st;
    return true;
}

enum err pg_listen(struct store *st, enum store_wake_channel ch,
                   struct buf *err)
{
    return pg_exec(pg_of(st), listen_sql[ch], "listening for wake-ups", err);
}

enum err pg_wake(struct store *st, enum store_wake_channel ch,
                 struct buf *err)
{
    return pg_exec(pg_of(st), notify_sql[ch], "sending a wake-up", err);
}

/* Read what the server sent; consume every notification. *got: whether
 * there was one. */
static enum err drain(struct store_pg *s, bool *got, struct buf *err)
{
    PGnotify *n;

    if (PQconsumeInput(s->conn) == 0)
        return pg_fail(s, NULL, "waiting for wake-ups", err);
    while ((n = PQnotifies(s->conn)) != NULL) {
        *got = true;
        PQfreemem(n);
    }
    return ERR_OK;
}

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

enum err pg_wait(struct store *st, int timeout_ms, bool *woken,
                 struct buf *err)
{
    struct store_pg *s = pg_of(st);
    int64_t end = now_ms() + timeout_ms;
    struct pollfd pfd = {.fd = PQsocket(s->conn), .events = POLLIN};
    enum err rc = drain(s, woken, err);

    while (rc == ERR_OK && !*woken) {
        int64_t left = end - now_ms();
        int r;
        if (left <= 0)
            break;
        if (pfd.fd < 0)
            return pg_fail(s, NULL, "waiting for wake-ups", err);
        r = poll(&pfd, 1, (int)left);
        if (r < 0 && errno != EINTR) {
            buf_setf(err, "waiting for wake-ups: poll failed");
            return ERR_DB;
        }
        if (r > 0)
            rc = drain(s, woken, err);
    }
    return rc;
}
