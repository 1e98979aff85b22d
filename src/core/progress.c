#include "progress.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"

struct progress {
    int fd;
    const char *what, *unit;
    int64_t start_ms, last_ms; /* monotonic; last_ms 0: never written */
    int64_t done, total;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct progress *progress_create(int fd, const char *what, const char *unit,
                                 bool quiet)
{
    struct progress *p;

    if (quiet || !isatty(fd))
        return NULL;
    p = xcalloc(1, sizeof *p);
    p->fd = fd;
    p->what = what;
    p->unit = unit;
    p->start_ms = now_ms();
    p->total = -1;
    return p;
}

/* "12,345" into b. */
static void count(struct buf *b, int64_t v)
{
    char digits[24];
    int n = 0;
    uint64_t u = v < 0 ? 0 : (uint64_t)v;

    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0 && n < (int)sizeof digits);
    while (n > 0) {
        buf_catf(b, "%c", digits[--n]);
        if (n > 0 && n % 3 == 0)
            buf_catf(b, ",");
    }
}

static void render(struct progress *p, int64_t now, struct buf *b)
{
    double secs = (double)(now - p->start_ms) / 1000.0;
    double rate = secs > 0.05 ? (double)p->done / secs : 0.0;

    buf_catf(b, "\r%s: ", p->what);
    count(b, p->done);
    if (p->total >= 0) {
        buf_catf(b, " / ");
        count(b, p->total);
    }
    buf_catf(b, " %s", p->unit);
    if (p->total > 0)
        buf_catf(b, " (%d%%)", (int)(p->done * 100 / p->total));
    if (rate >= 1) {
        buf_catf(b, ", ");
        count(b, (int64_t)rate);
        buf_catf(b, "/s");
    }
    if (p->total > 0 && rate >= 1 && p->done < p->total) {
        int64_t left = (int64_t)((double)(p->total - p->done) / rate);
        buf_catf(b, ", %lld:%02lld left", (long long)(left / 60),
                 (long long)(left % 60));
    }
    buf_catf(b, "\033[K");
}

static void emit(struct progress *p, int64_t now, bool last)
{
    struct buf b;

    buf_init(&b, 256);
    render(p, now, &b);
    if (last)
        buf_catf(&b, "\n");
    /* Best effort: a terminal that fails a write loses one update. */
    if (write(p->fd, buf_cstr(&b), b.len) < 0)
        p->fd = -1;
    buf_free(&b);
    p->last_ms = now;
}

void progress_update(struct progress *p, int64_t done, int64_t total)
{
    int64_t now;

    if (p == NULL || p->fd < 0)
        return;
    p->done = done;
    p->total = total;
    now = now_ms();
    if (p->last_ms != 0 && now - p->last_ms < PROGRESS_INTERVAL_MS)
        return;
    if (p->last_ms == 0 && now - p->start_ms < PROGRESS_INTERVAL_MS)
        return; /* quick work shows no line at all */
    emit(p, now, false);
}

void progress_clear(struct progress *p)
{
    static const char erase[] = "\r\033[K";

    if (p == NULL || p->fd < 0 || p->last_ms == 0)
        return;
    if (write(p->fd, erase, sizeof erase - 1) < 0)
        p->fd = -1;
    p->last_ms = 1; /* shown before: the next update draws at once */
}

void progress_destroy(struct progress *p)
{
    if (p == NULL)
        return;
    if (p->fd >= 0 && p->last_ms != 0)
        emit(p, now_ms(), true);
    free(p);
}
