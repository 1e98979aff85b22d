/* The platforms' publishers (worker.h's publisher_ops) and what they
 * share. Each platform's publisher lives in its own file
 * (publish_<platform>.c) and is listed once in publishers.c; the worker
 * (CLI `mediadash worker` and the thread inside `serve`) hands every
 * publisher the same struct pub_ctx as worker_config.ctx. */
#ifndef MEDIADASH_PUBLISHERS_H
#define MEDIADASH_PUBLISHERS_H

#include <stddef.h>

#include "core/config.h"
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
};

/* Every publisher of this build, the platforms' and dryrun. */
extern const struct publisher_ops *const publishers_all[];
extern const size_t publishers_count;

/* YouTube Data v3 resumable upload (publish_youtube.h). */
extern const struct publisher_ops publisher_youtube;

#endif
