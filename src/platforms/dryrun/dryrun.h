/* The dryrun publisher: the test hook that "publishes" to nowhere,
 * recording the attempt in the store only (remote id "dryrun-<post id>").
 * Not a platform (nothing to collect, no OAuth): listed by publishers.c
 * beside the platforms' publishers. */
#ifndef MEDIADASH_PLATFORM_DRYRUN_H
#define MEDIADASH_PLATFORM_DRYRUN_H

#include "schedule/worker.h"

extern const struct publisher_ops dryrun_publish_ops;

#endif
