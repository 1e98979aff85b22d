/* The Prometheus text exposition format 0.0.4 into a struct buf: a
 * family's # HELP and # TYPE lines, samples with escaped label values,
 * and histograms with cumulative buckets ending in +Inf. The only code
 * that emits this format (as jsonw for JSON). */
#ifndef MEDIADASH_HTTP_PROM_H
#define MEDIADASH_HTTP_PROM_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

#define PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* One label: name (a constant [a-zA-Z_][a-zA-Z0-9_]* of ours) and value
 * (any text: escaped here). Both borrowed. */
struct prom_label {
    const char *name, *value;
};

/* "# HELP name help" (help escaped) and "# TYPE name type"; type is
 * counter, gauge or histogram. ERR_TOOBIG when out is full. */
enum err prom_family(struct buf *out, const char *name, const char *type,
                     const char *help) WARN_UNUSED;
/* "name{labels} value" with an integer value. */
enum err prom_sample_u64(struct buf *out, const char *name,
                         const struct prom_label *labels, size_t nlabels,
                         uint64_t value) WARN_UNUSED;
/* The same with a real value (NaN and infinities as Prometheus spells
 * them). */
enum err prom_sample_f64(struct buf *out, const char *name,
                         const struct prom_label *labels, size_t nlabels,
                         double value) WARN_UNUSED;
/* A histogram's samples (after prom_family(..., "histogram", ...)):
 * name_bucket{labels,le="B"} for each of the nbounds ascending bounds and
 * le="+Inf", cumulative from counts (nbounds + 1 per-bucket counts, the
 * last over every bound), then name_sum (sum) and name_count (the +Inf
 * bucket's value, so the two always agree). labels may be NULL with
 * nlabels 0; at most 7 labels. */
enum err prom_histogram(struct buf *out, const char *name,
                        const struct prom_label *labels, size_t nlabels,
                        const double *bounds, size_t nbounds,
                        const uint64_t *counts, double sum) WARN_UNUSED;

#endif
