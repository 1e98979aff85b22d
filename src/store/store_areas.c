/* The public functions of the areas with their own header (posts,
 * slots, media, notifications, API tokens): each dispatches to the
 * backend's ops (store_impl.h). No backend code here. */
#include "store/store_impl.h"

enum err store_post_add(struct store *st, const struct post *p, int64_t now,
                        int64_t *id_out, struct buf *err)
{
    STORE_NEED(st, post->add, err);
    return st->ops->post->add(st, p, now, id_out, err);
}

enum err store_post_get(struct store *st, int64_t id, struct post *out)
{
    STORE_NEED(st, post->get, NULL);
    return st->ops->post->get(st, id, out);
}

enum err store_post_list(struct store *st, const struct post_query *q,
                         store_post_fn fn, void *ud)
{
    STORE_NEED(st, post->list, NULL);
    return st->ops->post->list(st, q, fn, ud);
}

enum err store_post_events(struct store *st, int64_t id,
                           store_post_event_fn fn, void *ud)
{
    STORE_NEED(st, post->events, NULL);
    return st->ops->post->events(st, id, fn, ud);
}

enum err store_post_transition(struct store *st, int64_t id,
                               enum post_state from, enum post_state to,
                               const struct post_change *ch, const char *note,
                               int64_t now, struct buf *err)
{
    STORE_NEED(st, post->transition, err);
    return st->ops->post->transition(st, id, from, to, ch, note, now, err);
}

enum err store_post_set_progress(struct store *st, int64_t id,
                                 const char *worker, const char *progress,
                                 int64_t now, struct buf *err)
{
    STORE_NEED(st, post->set_progress, err);
    return st->ops->post->set_progress(st, id, worker, progress, now, err);
}

enum err store_post_move(struct store *st, int64_t id, enum post_state to,
                         const char *note, int64_t now,
                         enum post_state *from_out, struct buf *err)
{
    STORE_NEED(st, post->move, err);
    return st->ops->post->move(st, id, to, note, now, from_out, err);
}

enum err store_post_claim_due(struct store *st, const char *worker,
                              const char *platforms, int64_t now,
                              int64_t lease_s, size_t limit, int64_t **out,
                              size_t *n, struct buf *err)
{
    STORE_NEED(st, post->claim_due, err);
    return st->ops->post->claim_due(st, worker, platforms, now, lease_s, limit,
                                    out, n, err);
}

enum err store_post_expire_leases(struct store *st, int64_t now, size_t *back,
                                  size_t *check, struct buf *err)
{
    STORE_NEED(st, post->expire_leases, err);
    return st->ops->post->expire_leases(st, now, back, check, err);
}

enum err store_post_edit(struct store *st, int64_t id, int64_t version,
                         const struct post *p, const char *by,
                         const char *changes, int64_t now,
                         int64_t *version_out, struct buf *err)
{
    STORE_NEED(st, post->edit, err);
    return st->ops->post->edit(st, id, version, p, by, changes, now,
                               version_out, err);
}

enum err store_post_edits(struct store *st, int64_t id, store_post_edit_fn fn,
                          void *ud)
{
    STORE_NEED(st, post->edits, NULL);
    return st->ops->post->edits(st, id, fn, ud);
}

enum err store_slot_list(struct store *st, const char *platform,
                         const char *account, store_slot_fn fn, void *ud,
                         struct buf *err)
{
    STORE_NEED(st, slot->list, err);
    return st->ops->slot->list(st, platform, account, fn, ud, err);
}

enum err store_slot_get(struct store *st, int64_t id, struct slot *out,
                        struct buf *err)
{
    STORE_NEED(st, slot->get, err);
    return st->ops->slot->get(st, id, out, err);
}

enum err store_slot_add(struct store *st, const struct slot *s, int64_t now,
                        int64_t *id_out, struct buf *err)
{
    STORE_NEED(st, slot->add, err);
    return st->ops->slot->add(st, s, now, id_out, err);
}

enum err store_slot_update(struct store *st, int64_t id, int weekday,
                           int minute, const char *zone, int64_t now,
                           struct buf *err)
{
    STORE_NEED(st, slot->update, err);
    return st->ops->slot->update(st, id, weekday, minute, zone, now, err);
}

enum err store_slot_delete(struct store *st, int64_t id, struct buf *err)
{
    STORE_NEED(st, slot->delete, err);
    return st->ops->slot->delete(st, id, err);
}

enum err store_slot_taken(struct store *st, const char *platform,
                          const char *account, const struct slot_when *c,
                          size_t n, bool *taken, struct buf *err)
{
    STORE_NEED(st, slot->taken, err);
    return st->ops->slot->taken(st, platform, account, c, n, taken, err);
}

enum err store_slot_queue_post(struct store *st, struct post *p,
                               const struct slot_when *c, size_t n,
                               int64_t now, int64_t *id_out,
                               size_t *chosen_out, struct buf *err)
{
    STORE_NEED(st, slot->queue_post, err);
    return st->ops->slot->queue_post(st, p, c, n, now, id_out, chosen_out,
                                     err);
}

enum err store_media_put(struct store *st, const struct media_row *m,
                         struct buf *err)
{
    STORE_NEED(st, media->put, err);
    return st->ops->media->put(st, m, err);
}

enum err store_media_get(struct store *st, const char *sha256,
                         struct media_row *out)
{
    STORE_NEED(st, media->get, NULL);
    return st->ops->media->get(st, sha256, out);
}

enum err store_media_list(struct store *st, size_t limit, store_media_fn fn,
                          void *ud)
{
    STORE_NEED(st, media->list, NULL);
    return st->ops->media->list(st, limit, fn, ud);
}

enum err store_media_uses(struct store *st, const char *sha256, int64_t now,
                          int64_t grace_s, store_media_use_fn fn, void *ud)
{
    STORE_NEED(st, media->uses, NULL);
    return st->ops->media->uses(st, sha256, now, grace_s, fn, ud);
}

enum err store_media_delete(struct store *st, const char *sha256, int64_t now,
                            int64_t grace_s, struct buf *err)
{
    STORE_NEED(st, media->delete, err);
    return st->ops->media->delete(st, sha256, now, grace_s, err);
}

enum err store_notify_add(struct store *st, const struct notify_event *ev,
                          const char *dedup_key, int64_t now, int64_t *id_out,
                          struct buf *err)
{
    STORE_NEED(st, notify->add, err);
    return st->ops->notify->add(st, ev, dedup_key, now, id_out, err);
}

enum err store_notify_claim(struct store *st, enum notify_channel c,
                            int64_t now, int64_t lease_s, size_t limit,
                            int64_t **ids, size_t *n, struct buf *err)
{
    STORE_NEED(st, notify->claim, err);
    return st->ops->notify->claim(st, c, now, lease_s, limit, ids, n, err);
}

enum err store_notify_get(struct store *st, int64_t id, store_notify_fn fn,
                          void *ud)
{
    STORE_NEED(st, notify->get, NULL);
    return st->ops->notify->get(st, id, fn, ud);
}

enum err store_notify_result(struct store *st, int64_t id,
                             enum notify_channel c,
                             const struct notify_attempt *a, int64_t now,
                             struct buf *err)
{
    STORE_NEED(st, notify->result, err);
    return st->ops->notify->result(st, id, c, a, now, err);
}

enum err store_notify_off(struct store *st, enum notify_channel c, size_t *n,
                          struct buf *err)
{
    STORE_NEED(st, notify->off, err);
    return st->ops->notify->off(st, c, n, err);
}

enum err store_notify_next_due(struct store *st, int64_t *out)
{
    STORE_NEED(st, notify->next_due, NULL);
    return st->ops->notify->next_due(st, out);
}

enum err store_notify_list(struct store *st, size_t limit, store_notify_fn fn,
                           void *ud)
{
    STORE_NEED(st, notify->list, NULL);
    return st->ops->notify->list(st, limit, fn, ud);
}

enum err store_notify_deliveries(struct store *st, size_t limit,
                                 store_notify_delivery_fn fn, void *ud)
{
    STORE_NEED(st, notify->deliveries, NULL);
    return st->ops->notify->deliveries(st, limit, fn, ud);
}

enum err store_notify_watch(struct store *st, const char *key, int64_t now,
                            int64_t *first_seen, bool *notified,
                            struct buf *err)
{
    STORE_NEED(st, notify->watch, err);
    return st->ops->notify->watch(st, key, now, first_seen, notified, err);
}

enum err store_notify_watch_mark(struct store *st, const char *key,
                                 struct buf *err)
{
    STORE_NEED(st, notify->watch_mark, err);
    return st->ops->notify->watch_mark(st, key, err);
}

enum err store_notify_watch_clear(struct store *st, const char *prefix,
                                  int64_t now, struct buf *err)
{
    STORE_NEED(st, notify->watch_clear, err);
    return st->ops->notify->watch_clear(st, prefix, now, err);
}

enum err store_notify_prune(struct store *st, int64_t before, size_t *n,
                            struct buf *err)
{
    STORE_NEED(st, notify->prune, err);
    return st->ops->notify->prune(st, before, n, err);
}

enum err store_token_add(struct store *st, const char *key,
                         const struct store_token *t, int64_t *id_out,
                         struct buf *err)
{
    STORE_NEED(st, token->add, err);
    return st->ops->token->add(st, key, t, id_out, err);
}

enum err store_token_by_key(struct store *st, const char *key,
                            struct store_token *out, struct buf *err)
{
    STORE_NEED(st, token->by_key, err);
    return st->ops->token->by_key(st, key, out, err);
}

enum err store_token_touch(struct store *st, int64_t id, int64_t now)
{
    STORE_NEED(st, token->touch, NULL);
    return st->ops->token->touch(st, id, now);
}

enum err store_token_list(struct store *st, store_token_fn fn, void *ud,
                          struct buf *err)
{
    STORE_NEED(st, token->list, err);
    return st->ops->token->list(st, fn, ud, err);
}

enum err store_token_revoke_id(struct store *st, int64_t id, int64_t now,
                               int64_t *n, struct buf *err)
{
    STORE_NEED(st, token->revoke_id, err);
    return st->ops->token->revoke_id(st, id, now, n, err);
}

enum err store_token_revoke_name(struct store *st, const char *name,
                                 int64_t now, int64_t *n, struct buf *err)
{
    STORE_NEED(st, token->revoke_name, err);
    return st->ops->token->revoke_name(st, name, now, n, err);
}
