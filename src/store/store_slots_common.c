/* The backend-neutral flow of the queue's writes (store_slots_common.h):
 * the same checks, order and messages on SQLite and PostgreSQL, so the
 * two backends cannot drift apart. */
#include <stdlib.h>

#include "core/alloc.h"
#include "store/store_slots_common.h"

enum err slot_add_flow(const struct slot_tx_ops *ops, void *be,
                       const struct slot *x, int64_t now, int64_t *id_out,
                       struct buf *err)
{
    int64_t n = 0;
    enum err rc;

    *id_out = 0;
    rc = ops->begin(be, x->platform, x->account, err);
    if (rc != ERR_OK)
        return rc;
    rc = ops->find(be, x, id_out, err);
    if (rc == ERR_OK)
        rc = ops->count(be, x, &n, err);
    if (rc == ERR_OK && n >= SLOTS_PER_ACCOUNT_MAX) {
        buf_setf(err, "%s account %s has %d queue slots, the most allowed",
                 x->platform, x->account, SLOTS_PER_ACCOUNT_MAX);
        rc = ERR_TOOBIG;
    }
    if (rc == ERR_OK)
        rc = ops->insert(be, x, now, id_out, err);
    return ops->end(be, rc, err);
}

/* The index of the first free candidate, or n; reads one at a time so a
 * long queue costs a read per taken slot, not per candidate. */
static enum err first_free(const struct slot_tx_ops *ops, void *be,
                           const struct post *p, const struct slot_when *c,
                           size_t n, size_t *out, struct buf *err)
{
    enum err rc = ERR_OK;
    bool taken = true;
    size_t i;

    for (i = 0; i < n && rc == ERR_OK; i++) {
        rc = ops->taken(be, p->platform, p->account, &c[i], 1, &taken, err);
        if (rc == ERR_OK && !taken)
            break;
    }
    *out = i;
    return rc;
}

static void set_time(struct post *p, const struct slot_when *w)
{
    free(p->zone);
    free(p->local_time);
    p->zone = xstrdup(w->zone);
    p->local_time = xstrdup(w->local);
    p->publish_at = w->utc;
}

enum err slot_queue_flow(const struct slot_tx_ops *ops, void *be,
                         struct post *p, const struct slot_when *c, size_t n,
                         int64_t now, int64_t *id_out, size_t *chosen_out,
                         struct buf *err)
{
    struct buf note;
    size_t i = n;
    enum err rc;

    *chosen_out = n;
    if (p->state != POST_SCHEDULED) {
        buf_setf(err, "a queued post is scheduled");
        return ERR_INVALID;
    }
    rc = ops->begin(be, p->platform, p->account, err);
    if (rc != ERR_OK)
        return rc;
    buf_init(&note, 256);
    rc = first_free(ops, be, p, c, n, &i, err);
    if (rc == ERR_OK && i == n) {
        buf_setf(err, "every queue slot of %s account %s is taken for the "
                 "next %zu occurrences: add slots or pick a time",
                 p->platform, p->account, n);
        rc = ERR_NOTFOUND;
    }
    if (rc == ERR_OK) {
        set_time(p, &c[i]);
        buf_setf(&note, "created: added to the queue (slot %lld)",
                 (long long)c[i].slot_id);
        rc = ops->add_post(be, p, buf_cstr(&note), now, id_out, err);
    }
    if (rc == ERR_OK)
        *chosen_out = i;
    buf_free(&note);
    return ops->end(be, rc, err);
}

enum err slot_clash(const struct slot *cur, struct buf *err)
{
    buf_setf(err, "%s account %s has that slot already", cur->platform,
             cur->account);
    return ERR_EXISTS;
}
