#include "demo_load.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/buf.h"

size_t demo_load(struct store *st, struct demo *g, int hours_per_batch,
                 size_t *values)
{
    struct buf err;
    size_t rows = 0, vals = 0, n = 1;

    buf_init(&err, 4096);
    while (n > 0) {
        struct batch b;
        struct ingest_stats s;
        batch_init(&b);
        n = 0;
        for (int h = 0; h < hours_per_batch; h++) {
            size_t k = demo_hour(g, &b);
            n += k;
            if (k == 0)
                break;
        }
        if (n > 0 && store_ingest(st, &b, NULL, &s, &err) != ERR_OK) {
            fprintf(stderr, "ingest: %s\n", buf_cstr(&err));
            exit(1);
        }
        rows += n;
        vals += n > 0 ? s.values_new : 0;
        batch_free(&b);
    }
    buf_free(&err);
    if (values != NULL)
        *values = vals;
    return rows;
}
