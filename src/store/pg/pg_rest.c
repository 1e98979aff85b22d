/* The ingest-time upkeep of pgrest's areas on PostgreSQL (pg_ops.h):
 * one entry for pg_ingest.c, inside its transaction, so that what these
 * areas derive from the items is current when the batch commits. */
#include "store/pg/pg_ops.h"

enum err pg_rest_ingest(struct store_pg *s, const struct batch *b,
                        int64_t now, struct buf *err)
{
    enum err rc = pg_search_upkeep(s, b, now, err);

    if (rc == ERR_OK)
        rc = pg_links_put(s, b, now, err);
    if (rc == ERR_OK)
        rc = pg_docs_upkeep(s, b, now, err);
    return rc;
}
