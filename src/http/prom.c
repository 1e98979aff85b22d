/* The Prometheus text format (prom.h). */
#include "http/prom.h"

#include <math.h>
#include <stdio.h>

/* A label value or HELP text: backslash and newline escaped, and in a
 * label value the double quote too. */
static enum err put_escaped(struct buf *out, const char *s, int quote)
{
    enum err rc = ERR_OK;

    for (; rc == ERR_OK && *s; s++) {
        if (*s == '\\')
            rc = buf_puts(out, "\\\\");
        else if (*s == '\n')
            rc = buf_puts(out, "\\n");
        else if (quote && *s == '"')
            rc = buf_puts(out, "\\\"");
        else
            rc = buf_putc(out, *s);
    }
    return rc;
}

enum err prom_family(struct buf *out, const char *name, const char *type,
                     const char *help)
{
    enum err rc = buf_printf(out, "# HELP %s ", name);

    if (rc == ERR_OK)
        rc = put_escaped(out, help, 0);
    if (rc == ERR_OK)
        rc = buf_printf(out, "\n# TYPE %s %s\n", name, type);
    return rc;
}

/* "name{a="x",b="y"}" or "name" without labels. */
static enum err put_series(struct buf *out, const char *name,
                           const struct prom_label *labels, size_t n)
{
    enum err rc = buf_puts(out, name);

    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        rc = buf_printf(out, "%s%s=\"", i ? "," : "{", labels[i].name);
        if (rc == ERR_OK)
            rc = put_escaped(out, labels[i].value ? labels[i].value : "", 1);
        if (rc == ERR_OK)
            rc = buf_putc(out, '"');
    }
    if (rc == ERR_OK && n > 0)
        rc = buf_putc(out, '}');
    return rc;
}

enum err prom_sample_u64(struct buf *out, const char *name,
                         const struct prom_label *labels, size_t nlabels,
                         uint64_t value)
{
    enum err rc = put_series(out, name, labels, nlabels);

    if (rc == ERR_OK)
        rc = buf_printf(out, " %llu\n", (unsigned long long)value);
    return rc;
}

static enum err put_f64(struct buf *out, double v)
{
    if (isnan(v))
        return buf_puts(out, "NaN");
    if (isinf(v))
        return buf_puts(out, v > 0 ? "+Inf" : "-Inf");
    return buf_printf(out, "%.15g", v);
}

enum err prom_sample_f64(struct buf *out, const char *name,
                         const struct prom_label *labels, size_t nlabels,
                         double value)
{
    enum err rc = put_series(out, name, labels, nlabels);

    if (rc == ERR_OK)
        rc = buf_putc(out, ' ');
    if (rc == ERR_OK)
        rc = put_f64(out, value);
    if (rc == ERR_OK)
        rc = buf_putc(out, '\n');
    return rc;
}

#define HIST_LABELS_MAX 8

enum err prom_histogram(struct buf *out, const char *name,
                        const struct prom_label *labels, size_t nlabels,
                        const double *bounds, size_t nbounds,
                        const uint64_t *counts, double sum)
{
    struct prom_label l[HIST_LABELS_MAX];
    char le[32], series[128];
    uint64_t total = 0;
    enum err rc = ERR_OK;

    if (nlabels >= HIST_LABELS_MAX)
        return ERR_INVALID;
    for (size_t i = 0; i < nlabels; i++)
        l[i] = labels[i];
    l[nlabels].name = "le";
    l[nlabels].value = le;
    snprintf(series, sizeof series, "%s_bucket", name);
    for (size_t b = 0; rc == ERR_OK && b <= nbounds; b++) {
        total += counts[b];
        if (b < nbounds)
            snprintf(le, sizeof le, "%.15g", bounds[b]);
        else
            snprintf(le, sizeof le, "+Inf");
        rc = prom_sample_u64(out, series, l, nlabels + 1, total);
    }
    snprintf(series, sizeof series, "%s_sum", name);
    if (rc == ERR_OK)
        rc = prom_sample_f64(out, series, labels, nlabels, sum);
    snprintf(series, sizeof series, "%s_count", name);
    if (rc == ERR_OK)
        rc = prom_sample_u64(out, series, labels, nlabels, total);
    return rc;
}
