#include "model_json.h"

#include "str.h"
#include "timeutil.h"

void item_json_fields(struct jw *w, const struct item *it)
{
    jw_kv_str(w, "platform", platform_name(it->platform));
    jw_kv_str(w, "type", item_type_name(it->type));
    jw_kv_str(w, "id", it->ext_id);
    if (it->type == ITEM_CONTENT)
        jw_kv_str(w, "account_id", it->account_ext_id);
    jw_kv_str(w, "kind", it->kind);
    if (it->type == ITEM_ACCOUNT)
        jw_kv_str(w, "handle", it->handle);
    jw_kv_str(w, "title", it->title);
    /* null for a stored value that is not http(s) (stored before ingest
     * refused them): the API hands out no javascript: or data: URL */
    jw_kv_str(w, "url", str_http_url(it->url) ? it->url : NULL);
    jw_kv_str(w, "thumbnail_url",
              str_http_url(it->thumbnail_url) ? it->thumbnail_url : NULL);
    jw_kv_time(w, "published_at", it->published_at);
    if (it->duration_s >= 0)
        jw_kv_i64(w, "duration_s", it->duration_s);
    /* Only when set: the platform no longer returns the item. */
    if (it->type == ITEM_CONTENT && it->removed_last_seen != TIME_NONE)
        jw_kv_time(w, "removed_last_seen", it->removed_last_seen);
    if (it->id != 0) /* a stored item: its role (migration 0011) */
        jw_kv_str(w, "role", it->tracked ? "tracked" : "own");
}

void metrics_json(struct jw *w, const struct metrics *m)
{
    jw_object_begin(w);
    for (size_t i = 0; i < m->n; i++) {
        if (m->v[i].is_real)
            jw_kv_real(w, m->v[i].name, m->v[i].r);
        else
            jw_kv_i64(w, m->v[i].name, m->v[i].i);
    }
    jw_object_end(w);
}

void item_json_latest(struct jw *w, const struct item *it)
{
    const struct snapshot *snap =
        it->nsnaps > 0 ? it->snaps[it->nsnaps - 1] : NULL;
    jw_object_begin(w);
    item_json_fields(w, it);
    jw_kv_time(w, "observed_at", snap ? snap->observed_at : TIME_NONE);
    jw_key(w, "metrics");
    if (snap)
        metrics_json(w, &snap->metrics);
    else
        jw_null(w);
    jw_object_end(w);
}

void item_json_snapshots(struct jw *w, const struct item *it)
{
    jw_key(w, "snapshots");
    jw_array_begin(w);
    for (size_t s = 0; s < it->nsnaps; s++) {
        jw_object_begin(w);
        jw_kv_time(w, "observed_at", it->snaps[s]->observed_at);
        jw_key(w, "metrics");
        metrics_json(w, &it->snaps[s]->metrics);
        jw_object_end(w);
    }
    jw_array_end(w);
}

void item_json_history(struct jw *w, const struct item *it)
{
    jw_object_begin(w);
    item_json_fields(w, it);
    jw_kv_str(w, "description", it->description);
    item_json_snapshots(w, it);
    jw_object_end(w);
}
