/* The platforms' publishers (worker.h's publisher_ops) and what they
 * share. Each platform's publisher lives in its platform's folder
 * (src/platforms/<name>/publish.c, <name>_publish_ops) and is found
 * through its descriptor (platform.h); the worker
 * (CLI `mediadash worker` and the thread inside `serve`) hands every
 * publisher the same struct pub_ctx as worker_config.ctx. */
#ifndef MEDIADASH_PUBLISHERS_H
#define MEDIADASH_PUBLISHERS_H

#include <stddef.h>

#include "core/config.h"
#include "core/secret.h"
#include "net/net.h"
#include "net/oauth.h"
#include "schedule/worker.h"
#include "store/store.h"

/* Borrowed by the publishers for the duration of a worker round; one per
 * worker thread (the store handle and net client are not shared). */
struct pub_ctx {
    struct store *st;         /* the worker's store handle */
    struct net_client *nc;    /* the worker's HTTP client */
    struct oauth *o;          /* access tokens (thread-safe, shared) */
    const struct config *cfg; /* base URLs, media settings */
    const struct secret_key *key; /* public media links (media_link.h) */
};

/* Every publisher of this build, dryrun and the platforms' (from the
 * registry); *n gets how many. The array is built once and never
 * changes. */
const struct publisher_ops *const *publishers_list(size_t *n);

/* The publisher of platform ("youtube", ... or "dryrun"; full names
 * only), or NULL: posts and slots are for these. */
const struct publisher_ops *publishers_find(const char *platform);

/* Their names for messages, "youtube, instagram, tiktok or dryrun"
 * (platforms in registry order, dryrun last), into out (replaced). */
void publishers_names(struct buf *out);

#endif
