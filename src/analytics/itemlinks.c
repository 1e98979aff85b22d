/* Linked items, two steps deep. See itemlinks.h. */
#include "analytics/itemlinks.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/timeutil.h"

struct step {
    struct item_links *out;
    const char *self;   /* the item asked about */
    const char *at;     /* the item whose links are read */
    int depth;
    int want;           /* depth 2: only links in this direction
                           (1 came_from, 0 came from it) */
    size_t seen;        /* links the step delivered */
};

static bool known(const struct item_links *l, const char *self,
                  const char *id)
{
    if (strcmp(id, self) == 0)
        return true;
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].ext_id, id) == 0)
            return true;
    return false;
}

static enum err on_link(void *ud, const struct item_link *k)
{
    struct step *s = ud;
    bool from_it = strcmp(k->from_ext, s->at) == 0;
    const char *other = from_it ? k->to_ext : k->from_ext;
    struct linked_item *li;

    s->seen++;
    if (s->want >= 0 && (int)from_it != s->want)
        return ERR_OK;
    if (known(s->out, s->self, other))
        return ERR_OK;
    if (s->out->n >= ITEMLINKS_MAX) {
        s->out->truncated = true;
        return ERR_OK;
    }
    s->out->v = xgrow(s->out->v, &s->out->cap, s->out->n + 1,
                      sizeof *s->out->v);
    li = &s->out->v[s->out->n++];
    *li = (struct linked_item){.ext_id = xstrdup(other),
                               .came_from = from_it, .depth = s->depth};
    memcpy(li->rel, k->rel, sizeof li->rel);
    if (s->depth == 2)
        li->via = xstrdup(s->at);
    return ERR_OK;
}

/* Fill li from the store: descriptive fields and the latest views. */
static enum err describe(struct store *st, enum platform p,
                         struct linked_item *li)
{
    struct history_query q = {TIME_NONE, TIME_NONE, 1};
    struct item *it = NULL;
    struct buf ref, err;
    enum err rc;

    buf_init(&ref, 256);
    buf_init(&err, 256);
    buf_catf(&ref, "%s:%s", platform_name(p), li->ext_id);
    rc = store_item_history_range(st, buf_cstr(&ref), &q, &it, NULL, &err);
    if (rc == ERR_NOTFOUND || rc == ERR_AMBIGUOUS || rc == ERR_INVALID) {
        rc = ERR_OK; /* named by a link, not stored (or not one item) */
        goto out;
    }
    if (rc != ERR_OK)
        goto out;
    li->stored = true;
    li->kind = xstrdup(it->kind);
    li->title = xstrdup(it->title);
    li->url = xstrdup(it->url);
    if (it->nsnaps > 0) {
        const struct metric *m =
            metrics_get(&it->snaps[it->nsnaps - 1]->metrics, M_VIEWS);
        if (m != NULL && !m->is_real) {
            li->has_views = true;
            li->views = m->i;
        }
    }
out:
    item_destroy(it);
    buf_free(&ref);
    buf_free(&err);
    return rc;
}

static enum err read_step(struct store *st, enum platform p,
                          struct step *s)
{
    enum err rc = store_item_links(st, p, s->at, ITEMLINKS_STEP_MAX,
                                   on_link, s);
    if (rc == ERR_OK && s->seen >= ITEMLINKS_STEP_MAX)
        s->out->truncated = true;
    return rc;
}

/* What it came from first, then what came from it; nearer first; else
 * in the order read (insertion sort: stable, n <= ITEMLINKS_MAX). */
static int rank(const struct linked_item *li)
{
    return (li->came_from ? 0 : 4) + li->depth;
}

static void order(struct item_links *l)
{
    for (size_t i = 1; i < l->n; i++)
        for (size_t j = i; j > 0 && rank(&l->v[j - 1]) > rank(&l->v[j]);
             j--) {
            struct linked_item t = l->v[j];
            l->v[j] = l->v[j - 1];
            l->v[j - 1] = t;
        }
}

enum err item_links_load(struct store *st, const struct item *it,
                         struct item_links *out)
{
    struct step s = {.out = out, .self = it->ext_id, .at = it->ext_id,
                     .depth = 1, .want = -1};
    size_t first;
    enum err rc;

    *out = (struct item_links){0};
    rc = read_step(st, it->platform, &s);
    first = out->n;
    for (size_t i = 0; rc == ERR_OK && i < first; i++) {
        struct step s2 = {.out = out, .self = it->ext_id,
                          .at = out->v[i].ext_id, .depth = 2,
                          .want = out->v[i].came_from};
        rc = read_step(st, it->platform, &s2);
    }
    for (size_t i = 0; rc == ERR_OK && i < out->n; i++)
        rc = describe(st, it->platform, &out->v[i]);
    if (rc != ERR_OK)
        item_links_free(out);
    order(out);
    return rc;
}

void item_links_free(struct item_links *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].ext_id);
        free(l->v[i].kind);
        free(l->v[i].title);
        free(l->v[i].url);
        free(l->v[i].via);
    }
    free(l->v);
    *l = (struct item_links){0};
}

void item_links_json(struct jw *w, const struct item_links *l)
{
    jw_array_begin(w);
    for (size_t i = 0; i < l->n; i++) {
        const struct linked_item *li = &l->v[i];
        jw_object_begin(w);
        jw_kv_str(w, "id", li->ext_id);
        jw_kv_str(w, "kind", li->kind);
        jw_kv_str(w, "title", li->title);
        jw_kv_str(w, "url", li->url);
        jw_key(w, "views");
        if (li->has_views)
            jw_i64(w, li->views);
        else
            jw_null(w);
        jw_kv_str(w, "rel", li->rel);
        jw_kv_bool(w, "came_from", li->came_from);
        jw_kv_i64(w, "depth", li->depth);
        jw_kv_str(w, "via", li->via);
        jw_kv_bool(w, "stored", li->stored);
        jw_object_end(w);
    }
    jw_array_end(w);
}
