#include "log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>

/* The level is process-wide by nature (stderr is); atomic so threads may
 * read it while start-up is long over. */
static _Atomic int log_level = LOG_LVL_WARN;

void log_set_level(enum log_level lvl)
{
    atomic_store(&log_level, (int)lvl);
}

enum log_level log_get_level(void)
{
    return (enum log_level)atomic_load(&log_level);
}

void log_msg(enum log_level lvl, const char *module, const char *fmt, ...)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};
    va_list ap;

    if ((int)lvl > atomic_load(&log_level))
        return;
    flockfile(stderr);
    fprintf(stderr, "%s: %s: ", module, names[lvl]);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    funlockfile(stderr);
}
