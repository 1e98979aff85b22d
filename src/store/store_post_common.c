/* Post states, the one table of the edges allowed between them, and the
 * backend-neutral flows of a state change and of an edit
 * (store_post_common.h): the same checks, order and messages on SQLite
 * and PostgreSQL, so the two backends cannot drift apart. */
#include <string.h>

#include "core/timeutil.h"
#include "store/store_post_common.h"

static const char *const state_names[POST_STATE_COUNT] = {
    "draft",  "scheduled",   "claimed",       "publishing", "published",
    "failed", "needs_check", "needs_relogin", "cancelled",
};

const char *post_state_name(enum post_state s)
{
    return (unsigned)s < POST_STATE_COUNT ? state_names[s] : "?";
}

enum err post_state_from_name(const char *s, enum post_state *out)
{
    for (int i = 0; s != NULL && i < POST_STATE_COUNT; i++) {
        if (strcmp(s, state_names[i]) == 0) {
            *out = (enum post_state)i;
            return ERR_OK;
        }
    }
    return ERR_INVALID;
}

#define B(s) (1u << (s))
static const unsigned edges[POST_STATE_COUNT] = {
    [POST_DRAFT] = B(POST_SCHEDULED) | B(POST_CANCELLED),
    [POST_SCHEDULED] = B(POST_CLAIMED) | B(POST_CANCELLED) | B(POST_DRAFT),
    [POST_CLAIMED] = B(POST_PUBLISHING) | B(POST_SCHEDULED) | B(POST_FAILED) |
                     B(POST_CANCELLED),
    [POST_PUBLISHING] = B(POST_PUBLISHED) | B(POST_FAILED) |
                        B(POST_NEEDS_CHECK) | B(POST_NEEDS_RELOGIN) |
                        B(POST_SCHEDULED),
    [POST_NEEDS_CHECK] = B(POST_PUBLISHED) | B(POST_SCHEDULED) |
                         B(POST_FAILED) | B(POST_CANCELLED),
    [POST_FAILED] = B(POST_SCHEDULED) | B(POST_CANCELLED),
    [POST_NEEDS_RELOGIN] = B(POST_SCHEDULED) | B(POST_CANCELLED),
};

bool post_edge_allowed(enum post_state from, enum post_state to)
{
    return (unsigned)from < POST_STATE_COUNT &&
           (unsigned)to < POST_STATE_COUNT && (edges[from] & B(to)) != 0;
}

enum err post_transition_flow(const struct post_tx_ops *ops, void *be,
                              int64_t id, enum post_state from,
                              enum post_state to,
                              const struct post_change *ch, const char *note,
                              int64_t now, struct buf *err)
{
    struct post_change none = POST_CHANGE_NONE;
    enum post_state cur;
    enum err rc;

    if (!post_edge_allowed(from, to)) {
        buf_setf(err, "a post cannot go from %s to %s", post_state_name(from),
                 post_state_name(to));
        return ERR_UNSUPPORTED;
    }
    rc = ops->begin(be, err);
    if (rc != ERR_OK)
        return rc;
    rc = ops->update(be, id, from, to, ch ? ch : &none, now, err);
    if (rc == ERR_EXISTS) {
        rc = ops->state(be, id, &cur, err);
        if (rc == ERR_OK) {
            buf_setf(err, "post %lld is %s, not %s%s", (long long)id,
                     post_state_name(cur), post_state_name(from),
                     cur == from ? " of this worker" : "");
            rc = ERR_EXISTS;
        }
    }
    if (rc == ERR_OK) /* the outbox row commits with the change */
        rc = ops->after(be, id, from, to, note, now, true, err);
    return ops->end(be, rc, err);
}

enum err post_move_flow(const struct post_tx_ops *ops, void *be, int64_t id,
                        enum post_state to, const char *note, int64_t now,
                        enum post_state *from_out, struct buf *err)
{
    struct post_change ch = POST_CHANGE_NONE;
    enum post_state cur;
    enum err rc = ops->begin(be, err);

    if (rc != ERR_OK)
        return rc;
    rc = ops->state(be, id, &cur, err);
    if (rc == ERR_OK && from_out != NULL)
        *from_out = cur;
    if (rc == ERR_OK && !post_edge_allowed(cur, to)) {
        buf_setf(err, "post %lld is %s: it cannot become %s", (long long)id,
                 post_state_name(cur), post_state_name(to));
        rc = ERR_UNSUPPORTED;
    }
    if (rc == ERR_OK && to == POST_SCHEDULED)
        ch.publish_at = now; /* a past publish_at becomes now */
    if (rc == ERR_OK)
        rc = ops->update(be, id, cur, to, &ch, now, err);
    if (rc == ERR_OK)
        rc = ops->after(be, id, cur, to, note, now, false, err);
    return ops->end(be, rc, err);
}

/* ---- editing --------------------------------------------------------- */

bool post_editable(enum post_state s)
{
    return s == POST_DRAFT || s == POST_SCHEDULED;
}

/* Whether an edit made on version `version` may go ahead; err says why
 * not. */
static enum err may_edit(int64_t id, enum post_state state, int64_t have,
                         int64_t version, struct buf *err)
{
    if (!post_editable(state)) {
        buf_setf(err,
                 "post %lld is %s: only a draft or a scheduled post can "
                 "be changed%s",
                 (long long)id, post_state_name(state),
                 state == POST_CLAIMED || state == POST_PUBLISHING
                     ? " (a worker has taken it to publish)"
                     : "");
        return ERR_UNSUPPORTED;
    }
    if (have != version) {
        buf_setf(err,
                 "post %lld was changed meanwhile: it is at version %lld, "
                 "this edit was made on version %lld; reload it and edit "
                 "again",
                 (long long)id, (long long)have, (long long)version);
        return ERR_EXISTS;
    }
    return ERR_OK;
}

static enum err check_args(const struct post *p, const char *by,
                           const char *changes, struct buf *err)
{
    if (!post_editable(p->state)) {
        buf_setf(err, "an edited post is a draft or scheduled");
        return ERR_UNSUPPORTED;
    }
    if ((by && strlen(by) > POST_EDIT_BY_MAX) ||
        (changes && strlen(changes) > POST_EDIT_CHANGES_MAX)) {
        buf_setf(err, "the edit's record is too long");
        return ERR_TOOBIG;
    }
    return ERR_OK;
}

enum err post_edit_flow(const struct post_edit_ops *ops, void *be, int64_t id,
                        int64_t version, const struct post *p,
                        const char *by, const char *changes, int64_t now,
                        int64_t *version_out, struct buf *err)
{
    enum post_state state = POST_DRAFT;
    int64_t have = 0;
    enum err rc = check_args(p, by, changes, err);

    if (rc == ERR_OK)
        rc = ops->tx->begin(be, err);
    if (rc != ERR_OK)
        return rc;
    rc = ops->current(be, id, &state, &have, err);
    if (rc == ERR_OK)
        rc = may_edit(id, state, have, version, err);
    if (rc == ERR_OK)
        rc = ops->update(be, id, version, p, now, err);
    if (rc == ERR_OK)
        rc = ops->record(be, id, now, version + 1, by, changes, err);
    if (rc == ERR_OK && state != p->state)
        rc = ops->event(be, id, now, post_state_name(state),
                        post_state_name(p->state),
                        p->state == POST_SCHEDULED ? "scheduled by an edit"
                                                   : "made a draft by an edit",
                        err);
    if (rc == ERR_OK && p->state == POST_SCHEDULED && ops->wake != NULL)
        rc = ops->wake(be, err);
    if (rc == ERR_OK && version_out != NULL)
        *version_out = version + 1;
    return ops->tx->end(be, rc, err);
}
