/* The import list and audit as JSON (see imports.h). */
#include "ingest/imports.h"

static enum err import_row(void *ud, const struct store_import *im)
{
    struct jw *w = ud;
    jw_object_begin(w);
    jw_kv_i64(w, "id", im->id);
    jw_kv_str(w, "file", im->source);
    jw_kv_str(w, "sha256", im->digest);
    jw_kv_time(w, "imported_at", im->imported_at);
    jw_kv_str(w, "format", im->format);
    jw_kv_i64(w, "items", im->items);
    jw_kv_i64(w, "snapshots", im->snapshots);
    jw_kv_i64(w, "values", im->values);
    jw_object_end(w);
    return w->status; /* sticky; the document is still open */
}

static enum err audit_row(void *ud, const struct store_audit *a)
{
    struct jw *w = ud;
    jw_object_begin(w);
    jw_kv_time(w, "at", a->at);
    jw_kv_str(w, "who", a->who);
    jw_kv_str(w, "action", a->action);
    jw_kv_str(w, "what", a->what);
    jw_object_end(w);
    return w->status; /* sticky; the document is still open */
}

enum err imports_json(struct store *st, struct jw *w)
{
    enum err rc;

    jw_object_begin(w);
    jw_key(w, "imports");
    jw_array_begin(w);
    rc = store_imports_list(st, import_row, w);
    jw_array_end(w);
    if (rc == ERR_OK) {
        jw_key(w, "audit");
        jw_array_begin(w);
        rc = store_audit_list(st, audit_row, w);
        jw_array_end(w);
    }
    jw_object_end(w);
    return rc == ERR_OK ? jw_status(w) : rc;
}
