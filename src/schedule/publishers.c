/* The list of publishers (publishers.h): dryrun, then each registered
 * platform's publish ops in registry order. */
#include "schedule/publishers.h"

#include <pthread.h>
#include <string.h>

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

const struct publisher_ops *publishers_find(const char *platform)
{
    size_t n;
    const struct publisher_ops *const *pubs = publishers_list(&n);

    for (size_t i = 0; platform != NULL && i < n; i++)
        if (strcmp(pubs[i]->platform, platform) == 0)
            return pubs[i];
    return NULL;
}

void publishers_names(struct buf *out)
{
    size_t n;
    const struct publisher_ops *const *pubs = publishers_list(&n);

    buf_reset(out);
    for (size_t i = 1; i < n; i++) /* pubs[0] is dryrun: named last */
        buf_catf(out, "%s, ", pubs[i]->platform);
    if (out->len >= 2) { /* "a, b, " -> "a, b" */
        out->len -= 2;
        out->data[out->len] = '\0';
    }
    buf_catf(out, "%s%s", out->len ? " or " : "", pubs[0]->platform);
}
