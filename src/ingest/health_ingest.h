/* One Oura document into the health tables: what `mediadash import` does
 * with a saved Oura page and the collector with a fetched one. Health
 * data never goes through ingest_document (no items, snapshots, values
 * or import rows). */
#ifndef MEDIADASH_HEALTH_INGEST_H
#define MEDIADASH_HEALTH_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/health.h"
#include "store/store_health.h"

/* Parse the len bytes at data as an Oura page of kind (-1: detect; see
 * oura_parse) named name (a file path or "oura daily_sleep page 2") and,
 * unless dry_run, store it in one transaction with fetched_at now. The
 * parsed kind goes to *kind_out (may be NULL), the counts to *out.
 * Refusals return oura_parse's codes with err naming file, item and
 * field; ERR_DB when the store fails. Nothing is stored on any error. */
enum err health_ingest(struct store *st, const char *name, const char *data,
                       size_t len, int kind, bool dry_run, int64_t now,
                       enum health_kind *kind_out,
                       struct store_health_put *out, struct buf *err)
    WARN_UNUSED;

#endif
