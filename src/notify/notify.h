/* Notifications (issue 14): people are told when a post is published,
 * fails or is missed, when an account needs a login again, when an owned
 * item spikes and when a collector has failed for a day.
 *
 * Events go to the durable outbox in the store (store_notify.h): a post's
 * change of state writes its row in the same transaction; the sweep
 * (notify_sweep, after each collector round) writes the others. The
 * delivery loop (notify_deliver_due, run by serve and by worker) sends
 * each due event on each configured channel:
 *   webhook  POST notify.webhook_url, the event as JSON, with
 *            X-Mediadash-Signature: sha256=HEX (HMAC-SHA256 of the body
 *            keyed by notify.webhook_secret), X-Mediadash-Event: KIND,
 *            X-Mediadash-Delivery: EVENT-ID
 *   mail     over SMTP (net/smtp.h) to notify.smtp_to
 * A failed attempt is retried after notify.retry_base_s, doubling (at
 * most 6 h), up to notify.max_attempts; every attempt is logged. */
#ifndef MEDIADASH_NOTIFY_H
#define MEDIADASH_NOTIFY_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"
#include "net/net.h"
#include "store/store.h"
#include "store/store_notify.h"

#define NOTIFY_BACKOFF_CAP_S (6 * 3600)
#define NOTIFY_LEASE_S 300   /* a claimed event waits this long for a result */
#define NOTIFY_BATCH 20      /* events claimed per channel per round */
#define NOTIFY_KEEP_S (30 * 86400) /* delivered events are kept this long */
#define NOTIFY_FAILING_S 86400 /* a collector job failing this long */

/* Whether channel c is configured (its URL set; mail also needs from and
 * to). */
bool notify_channel_on(const struct config *cfg, enum notify_channel c);

/* The wait before retry number `attempt` (1-based: after the first
 * failed attempt): base * 2^(attempt-1), at most NOTIFY_BACKOFF_CAP_S. */
int64_t notify_backoff(int64_t base_s, int64_t attempt);

/* One line saying what ev is about ("Post failed: Title (tiktok
 * 7001)"), "[test] " first for a test event. Appended to out. */
enum err notify_summary(const struct notify_event *ev, struct buf *out)
    WARN_UNUSED;

/* The webhook body: one JSON object (id, kind, test, created_at,
 * summary, post_id, platform, account, item, title, detail; absent
 * values null). Appended to out. */
enum err notify_render_json(const struct notify_event *ev, struct buf *out)
    WARN_UNUSED;

/* The mail (RFC 5322 headers and a text/plain UTF-8 body, CRLF lines,
 * no line over 998 bytes; the subject stripped of line breaks and
 * RFC 2047-encoded when it is not ASCII) from `from` to `to` (the
 * comma-separated list as configured), dated now. Appended to out. */
enum err notify_render_mail(const struct notify_event *ev, const char *from,
                            const char *to, int64_t now, struct buf *out)
    WARN_UNUSED;

/* "sha256=" and the lowercase hex HMAC-SHA256 of body[0..len) keyed by
 * secret (its bytes as given; "" when secret is NULL), into out
 * (replaced). */
enum err notify_sign(const char *secret, const char *body, size_t len,
                     struct buf *out) WARN_UNUSED;

struct notify_stats {
    size_t sent, retried, failed, off; /* attempts by outcome */
};

/* One round at now: for each channel, switch pending events off when the
 * channel is not configured, else claim due events and send each once,
 * recording the outcome. nc (borrowed) sends the webhook; mail makes its
 * own connection. Adds to *stats. ERR_DB when the store fails (err says
 * why); an event's own failure is recorded on it, not returned. */
enum err notify_deliver_due(struct store *st, struct net_client *nc,
                            const struct config *cfg, int64_t now,
                            struct notify_stats *stats, struct buf *err)
    WARN_UNUSED;

/* A net config for the delivery client: cfg's notify.timeout, no retries
 * inside one attempt (the outbox retries), a 64 KiB answer cap. */
void notify_net_config(const struct config *cfg, struct net_config *out);

/* Seconds until the loop should run again after a round at now: until
 * the earliest pending event is due, in [1, max_s]. */
int64_t notify_next_wait(struct store *st, int64_t now, int64_t max_s);

#define NOTIFY_TEST_COUNT 7 /* kinds, one test event each */
/* Write one test event of each kind (test = true), due at once; ids
 * gets their ids. */
enum err notify_test(struct store *st, int64_t now,
                     int64_t ids[NOTIFY_TEST_COUNT], struct buf *err)
    WARN_UNUSED;

/* The conditions that last, after a collector round at now (the store
 * holds what it saw): an account whose login is refused
 * (account.relogin, once per time it happens), a collector job failing
 * for NOTIFY_FAILING_S (collector.failing, once per time), and spikes on
 * owned content whose peak day is today or yesterday (content.spike,
 * once per item and day). Only a store failure is returned. *n (may be
 * NULL) gets how many events were written. */
enum err notify_sweep(struct store *st, int64_t now, size_t *n,
                      struct buf *err) WARN_UNUSED;

/* ---- what the loops call ------------------------------------------------ */

struct notify_sender; /* opaque; one per thread: its own net client */

/* A sender for cfg (borrowed until destroyed); cancel (may be NULL) as
 * net_config.cancel. ERR_INVALID / ERR_IO as net_client_create. */
enum err notify_sender_create(const struct config *cfg,
                              const atomic_bool *cancel,
                              struct notify_sender **out, struct buf *err)
    WARN_UNUSED;
void notify_sender_destroy(struct notify_sender *s); /* NULL is a no-op */

/* notify_deliver_due at now with s's client. */
enum err notify_sender_deliver(struct notify_sender *s, struct store *st,
                               int64_t now, struct notify_stats *stats,
                               struct buf *err) WARN_UNUSED;

/* notify_deliver_due at now with s's client, logging what happened (an
 * info line when something was sent, an error when the store failed).
 * Returns notify_next_wait(st, now, max_s). */
int64_t notify_sender_round(struct notify_sender *s, struct store *st,
                            int64_t now, int64_t max_s);

/* notify_sweep at now, logging a store failure: the collector's one call
 * after each round. */
void notify_after_collect(struct store *st, int64_t now);

#endif
