/* The content items linked to one item (store_item_links, migration
 * 0030), two steps deep, with what the store knows of each: for a live
 * stream, the VOD recorded from it and the clips of that VOD; for a VOD,
 * its stream and its clips. No platform is named: the links are the
 * platform's own (rel "vod_of", "clip_of", ...). */
#ifndef MEDIADASH_ITEMLINKS_H
#define MEDIADASH_ITEMLINKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/jsonw.h"
#include "core/model.h"
#include "store/store.h"

#define ITEMLINKS_STEP_MAX 50 /* links read per item visited */
#define ITEMLINKS_MAX 200     /* linked items kept in all */

struct linked_item {
    char *ext_id;             /* owned */
    char *kind, *title, *url; /* owned; NULL when unknown (not stored) */
    char *via;                /* owned: the depth-1 item it is linked
                                 through; NULL at depth 1 */
    char rel[ITEM_LINK_REL_MAX];
    bool came_from;  /* true: the item asked about is rel of this one
                        (its stream, its VOD); false: this one is rel of
                        the item asked about (or of via): came from it */
    int depth;       /* 1 or 2 */
    bool stored;     /* the item is in the store */
    bool has_views;
    int64_t views;   /* M_VIEWS at its latest snapshot */
};

struct item_links {
    struct linked_item *v;
    size_t n, cap;
    bool truncated; /* ITEMLINKS_MAX or a step's limit was reached */
};

/* The items linked to content item it: depth 1, every link from or to
 * it; depth 2, the items that came from a depth-1 item that came from it
 * and the items a depth-1 item it came from came from in turn. Each
 * item once (the nearest), never it itself. Ordered: what it came from
 * first, then what came from it, depth 1 before 2, else as the store
 * lists links (by rel, then ids). Errors are the store's; on
 * error out is freed and empty. Free with item_links_free. */
enum err item_links_load(struct store *st, const struct item *it,
                         struct item_links *out) WARN_UNUSED;
void item_links_free(struct item_links *l);

/* [{"id","kind","title","url","views","rel","came_from","depth","via",
 *   "stored"}, ...] */
void item_links_json(struct jw *w, const struct item_links *l);

#endif
