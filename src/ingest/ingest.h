/* One document into the store: the work `mediadash import` does per file
 * and POST /api/v1/import does per request body, shared so both validate,
 * store and word their messages the same way. */
#ifndef MEDIADASH_INGEST_H
#define MEDIADASH_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/model.h"
#include "store/store.h"

struct ingest_opts {
    int64_t observed_at;                  /* TIME_NONE: now */
    const char *account[PLATFORM_COUNT];  /* given explicitly, or NULL: then
                                             the only account of that
                                             platform in the store */
    const char *only_format;              /* force a format, or NULL */
    bool dry_run;                         /* validate only, store nothing */
};

enum ingest_status {
    INGEST_STORED,  /* validated and stored (stats filled) */
    INGEST_VALID,   /* dry run: valid, nothing stored */
    INGEST_EXISTS,  /* the same bytes were imported before: nothing stored */
    INGEST_REFUSED, /* refused: msg says why, nothing stored */
};

struct ingest_result {
    enum ingest_status status;
    const char *format;       /* static source_format name, or NULL */
    size_t items, snapshots;  /* in the document (valid or stored) */
    struct ingest_stats stats;
    bool db_failed;           /* refused because the store failed */
    /* Fields of a valid document not kept (a link or thumbnail that is
     * not http(s)): how many, and '\n'-separated lines naming item and
     * field ("item tiktok:73...: thumbnail_url is not an http(s) URL: not
     * stored"); owned, NULL when none: ingest_result_free. */
    size_t dropped;
    char *warnings;
};

/* Free what *r owns (its warnings); r itself is the caller's. */
void ingest_result_free(struct ingest_result *r);

/* Validate the len bytes at data (a file's contents or a request body)
 * and, unless o->dry_run, store them in one transaction, recording the
 * document by its SHA-256 under the name `name` (borrowed; a file path or
 * an upload's name). st may be NULL only for a dry run. The outcome is in
 * *out. msg receives the text for INGEST_REFUSED (what the CLI prints
 * after "NAME: error: ": the item and field where there is one) and for
 * INGEST_EXISTS (e.g. "already imported at ...") and, for INGEST_STORED,
 * a note when a new account was stored as tracked ("stored as tracked:
 * youtube:UC... is not one of your youtube accounts"), else empty. Returns ERR_OK whenever
 * *out says what happened; the document's own faults are not errors. */
enum err ingest_document(struct store *st, const char *name, const char *data,
                         size_t len, const struct ingest_opts *o,
                         struct ingest_result *out, struct buf *msg)
    WARN_UNUSED;

#endif
