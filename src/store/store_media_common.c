/* The grace check before a media file is removed (store_media_common.h):
 * the same rule and refusal on SQLite and PostgreSQL. */
#include "store/store_media.h"
#include "store/store_media_common.h"

#define USES_NAMED 20 /* post ids a refusal names at most */

struct holders {
    struct buf *ids;
    size_t n;
};

static enum err note_holder(const struct media_use *u, void *ud)
{
    struct holders *h = ud;

    if (!u->holds)
        return ERR_OK;
    if (h->n < USES_NAMED)
        buf_catf(h->ids, "%s%lld", h->n == 0 ? "" : ", ",
                 (long long)u->post_id);
    else if (h->n == USES_NAMED)
        buf_catf(h->ids, ", ...");
    h->n++;
    return ERR_OK;
}

enum err media_check_unheld(struct store *st, const char *sha256,
                           int64_t now, int64_t grace_s, struct buf *err)
{
    struct buf ids;
    struct holders h = {&ids, 0};
    enum err rc;

    buf_init(&ids, 1024);
    rc = store_media_uses(st, sha256, now, grace_s, note_holder, &h);
    if (rc == ERR_OK && h.n > 0) {
        buf_setf(err, "the file is used by %s %s (cancel %s, or wait until "
                 "%s published, first)", h.n == 1 ? "post" : "posts",
                 buf_cstr(&ids), h.n == 1 ? "it" : "them",
                 h.n == 1 ? "it is" : "they are");
        rc = ERR_BUSY;
    }
    buf_free(&ids);
    return rc;
}
