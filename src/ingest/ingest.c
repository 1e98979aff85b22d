/* One document into the store (see ingest.h). */
#include "ingest/ingest.h"

#include <stdlib.h>
#include <string.h>

#include "core/counters.h"
#include "core/digest.h"
#include "core/timeutil.h"
#include "sources/source.h"

/* Account hints: the explicit ones, else the only account of that
 * platform already stored, asked before each document since an earlier
 * one may have just added it. owned[] receives what must be freed. */
static void hints(struct store *st, const struct ingest_opts *o,
                  struct source_opts *src, char *owned[PLATFORM_COUNT])
{
    for (int p = 0; p < PLATFORM_COUNT; p++) {
        owned[p] = NULL;
        src->account_hint[p] = o->account[p];
        if (o->account[p] != NULL || st == NULL)
            continue;
        if (store_sole_account(st, (enum platform)p, &owned[p]) != ERR_OK)
            owned[p] = NULL;
        src->account_hint[p] = owned[p];
    }
}

static void refuse(struct ingest_result *out, enum err rc, struct buf *msg)
{
    if (rc == ERR_UPSTREAM)
        buf_catf(msg, " (a platform error response holds no data)");
    out->status = INGEST_REFUSED;
    out->db_failed = rc == ERR_DB;
}

/* For a document whose new account was stored as tracked: msg says so,
 * naming the first one (how many when several). */
static void tracked_note(struct store *st, const struct ingest_stats *s,
                         struct buf *msg)
{
    struct item *it = NULL;

    if (s->accounts_tracked == 0)
        return;
    if (s->tracked_id == 0 || store_item_by_id(st, s->tracked_id, &it) !=
                                  ERR_OK) {
        buf_setf(msg, "stored as tracked: %zu new accounts (not yours)",
                 s->accounts_tracked);
        return;
    }
    buf_setf(msg, "stored as tracked: %s:%s is not one of your %s accounts",
             platform_name(it->platform), it->ext_id,
             platform_name(it->platform));
    if (s->accounts_tracked > 1)
        buf_catf(msg, " (nor are %zu more)", s->accounts_tracked - 1);
    item_destroy(it);
}

static void store_it(struct store *st, const char *name, const char *data,
                     size_t len, const struct batch *b,
                     struct ingest_result *out, struct buf *msg)
{
    struct buf digest;
    enum err rc;

    buf_init(&digest, 128);
    rc = digest_sha256_hex(data, len, &digest);
    if (rc == ERR_OK) {
        /* A saved file may be someone else's (a competitor, a sample):
         * see import_meta.foreign_tracked. */
        struct import_meta meta = {buf_cstr(&digest), name, out->format,
                                   time_now(), true};
        rc = store_ingest(st, b, &meta, &out->stats, msg);
    }
    if (rc == ERR_EXISTS) {
        memset(&out->stats, 0, sizeof out->stats);
        out->status = INGEST_EXISTS;
    } else if (rc != ERR_OK) {
        memset(&out->stats, 0, sizeof out->stats);
        if (msg->len == 0)
            buf_setf(msg, "storing: %s", err_str(rc));
        refuse(out, rc, msg);
    } else {
        out->status = INGEST_STORED;
        counters_ingest(COUNTERS_SRC_IMPORT, out->stats.snapshots_new,
                        out->stats.values_new);
        tracked_note(st, &out->stats, msg);
    }
    buf_free(&digest);
}

void ingest_result_free(struct ingest_result *r)
{
    if (r != NULL) {
        free(r->warnings);
        r->warnings = NULL;
    }
}

enum err ingest_document(struct store *st, const char *name, const char *data,
                         size_t len, const struct ingest_opts *o,
                         struct ingest_result *out, struct buf *msg)
{
    struct source_opts src;
    char *owned[PLATFORM_COUNT];
    struct batch b;
    enum err rc;

    memset(out, 0, sizeof *out);
    buf_reset(msg);
    if (st == NULL && !o->dry_run)
        return ERR_INVALID;
    memset(&src, 0, sizeof src);
    src.observed_at = o->observed_at;
    src.only_format = o->only_format;
    hints(st, o, &src, owned);
    batch_init(&b);
    rc = source_parse(data ? data : "", len, &src, &b, &out->format, msg);
    if (rc != ERR_OK) {
        refuse(out, rc, msg);
        goto out;
    }
    out->items = b.n;
    out->snapshots = batch_snapshot_count(&b);
    out->dropped = b.dropped;
    out->warnings = b.warnings; /* taken */
    b.warnings = NULL;
    if (o->dry_run)
        out->status = INGEST_VALID;
    else
        store_it(st, name, data, len, &b, out, msg);
out:
    batch_free(&b);
    for (int p = 0; p < PLATFORM_COUNT; p++)
        free(owned[p]);
    return ERR_OK;
}
