/* The stream figures and linked items of GET /api/v1/items/P/ID
 * (analytics/stream.h, analytics/itemlinks.h). */
#include <stdlib.h>

#include "analytics/itemlinks.h"
#include "analytics/stream.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "http/api.h"

enum err api_item_extra_load(struct store *st, const struct item *it,
                             bool whole, const char *key,
                             struct api_item_extra *x)
{
    struct item *all = NULL;
    struct buf err;
    enum err rc = ERR_OK;

    *x = (struct api_item_extra){0};
    if (it->type != ITEM_CONTENT)
        return ERR_OK;
    buf_init(&err, 256);
    /* The figures are the whole curve's, whatever window was asked. */
    if (!whole) {
        rc = store_item_history(st, key, &all, &err);
        if (rc != ERR_OK)
            goto out;
    }
    x->is_stream = stream_of_item(whole ? it : all, &x->stream);
    rc = item_links_load(st, it, &x->links);
    x->has_links = rc == ERR_OK;
out:
    item_destroy(all);
    buf_free(&err);
    return rc;
}

void api_item_extra_json(struct jw *w, const struct api_item_extra *x)
{
    if (!x->has_links) /* not content: neither key */
        return;
    jw_key(w, "stream");
    if (x->is_stream)
        stream_json(w, &x->stream);
    else
        jw_null(w);
    jw_key(w, "links");
    item_links_json(w, &x->links);
    jw_kv_bool(w, "links_truncated", x->links.truncated);
}

void api_item_extra_free(struct api_item_extra *x)
{
    item_links_free(&x->links);
}
