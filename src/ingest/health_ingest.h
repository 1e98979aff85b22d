/* One health source's document into the health tables: what `mediadash
 * import` and POST /api/v1/import do with a saved page that a health
 * source's descriptor claims (platform_health_claimant). Health data never
 * goes through ingest_document (no items, snapshots, values or import
 * rows). */
#ifndef MEDIADASH_HEALTH_INGEST_H
#define MEDIADASH_HEALTH_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/health.h"
#include "store/store_health.h"

struct platform_desc; /* platforms/platform.h */

/* Parse the len bytes at data with src's health parse (src->health must
 * not be NULL) as a page of kind (-1: detect) named name (a file path)
 * and, unless dry_run, store it in one transaction with fetched_at now.
 * The parsed kind goes to *kind_out (may be NULL), the counts to *out.
 * Refusals return the parse's codes with err naming file, item and
 * field; ERR_DB when the store fails. Nothing is stored on any error. */
enum err health_ingest(struct store *st, const struct platform_desc *src,
                       const char *name, const char *data,
                       size_t len, int kind, bool dry_run, int64_t now,
                       enum health_kind *kind_out,
                       struct store_health_put *out, struct buf *err)
    WARN_UNUSED;

#endif
