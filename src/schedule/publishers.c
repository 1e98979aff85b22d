/* The list of publishers (publishers.h): dryrun, then each registered
 * platform's publish ops in registry order. */
#include "schedule/publishers.h"

#include <pthread.h>

#include "platforms/dryrun/dryrun.h"
#include "platforms/platform.h"

static const struct publisher_ops *all[1 + PLATFORM_COUNT];
static size_t n_all;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void fill(void)
{
    all[n_all++] = &dryrun_publish_ops;
    for (int p = 0; p < PLATFORM_COUNT; p++) {
        const struct platform_desc *d = platform_get((enum platform)p);
        if (d != NULL && d->publish != NULL)
            all[n_all++] = d->publish;
    }
}

const struct publisher_ops *const *publishers_list(size_t *n)
{
    pthread_once(&once, fill);
    *n = n_all;
    return all;
}
