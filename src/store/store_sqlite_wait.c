/* Wake-ups on SQLite (store.h): there are none. One file has no channel
 * to other processes, so listening and waking do nothing and a wait is a
 * plain sleep: callers poll, as they did before wake-ups existed. */
#include <errno.h>
#include <time.h>

#include "store/store_sqlite.h"

enum err sq_listen(struct store *st, enum store_wake_channel ch,
                   struct buf *err)
{
    (void)st;
    (void)ch;
    (void)err;
    return ERR_OK;
}

enum err sq_wake(struct store *st, enum store_wake_channel ch,
                 struct buf *err)
{
    (void)st;
    (void)ch;
    (void)err;
    return ERR_OK;
}

/* Sleep timeout_ms (resumed after a signal handler ran); never woken. */
enum err sq_wait(struct store *st, int timeout_ms, bool *woken,
                 struct buf *err)
{
    struct timespec left = {.tv_sec = timeout_ms / 1000,
                            .tv_nsec = (long)(timeout_ms % 1000) * 1000000L};

    (void)st;
    (void)err;
    *woken = false;
    while (nanosleep(&left, &left) != 0 && errno == EINTR)
        ;
    return ERR_OK;
}
