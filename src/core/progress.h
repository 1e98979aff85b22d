/* Progress of long work on a terminal (issue 15): one line on stderr,
 * rewritten in place ("\r" + the line + erase to its end) with the count
 * done, the total when known, the rate and the time left, at most every
 * PROGRESS_INTERVAL_MS. Silent when quiet (the global -q) or when the
 * descriptor is not a terminal, so logs and pipes never get it. */
#ifndef MEDIADASH_PROGRESS_H
#define MEDIADASH_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#define PROGRESS_INTERVAL_MS 100 /* at most 10 updates a second */

struct progress;

/* A progress line on fd labelled what ("backup") counting unit
 * ("pages"); both borrowed, must outlive it. Returns NULL when quiet or
 * fd is not a terminal: every function below takes NULL as "do
 * nothing", so callers need no test. Destroy with progress_destroy. */
struct progress *progress_create(int fd, const char *what, const char *unit,
                                 bool quiet);
/* done so far out of total (total < 0: unknown). Writes only when
 * PROGRESS_INTERVAL_MS passed since the last write. */
void progress_update(struct progress *p, int64_t done, int64_t total);
/* Erase the line (when one is shown) so that a message can be printed
 * on stderr; the next update draws it again. NULL is a no-op. */
void progress_clear(struct progress *p);
/* Write the final counts, end the line and free p. NULL is a no-op. */
void progress_destroy(struct progress *p);

#endif
