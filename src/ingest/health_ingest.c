#include "health_ingest.h"

#include <string.h>

#include "platforms/platform.h"

enum err health_ingest(struct store *st, const struct platform_desc *src,
                       const char *name, const char *data,
                       size_t len, int kind, bool dry_run, int64_t now,
                       enum health_kind *kind_out,
                       struct store_health_put *out, struct buf *err)
{
    struct health_batch b;
    enum err rc;

    memset(out, 0, sizeof *out);
    health_batch_init(&b);
    rc = src->health->parse(data, len, kind, name, &b, err);
    if (rc == ERR_OK && kind_out != NULL)
        *kind_out = b.kind;
    if (rc == ERR_OK && dry_run)
        out->docs = health_batch_count(&b);
    else if (rc == ERR_OK)
        rc = store_health_put(st, &b, now, out, err);
    health_batch_free(&b);
    return rc;
}
