/* Post states as a person reads them (issue 14, "states a person
 * understands"): a failed post that was missed (no platform call made)
 * reads "missed", distinct from a platform's refusal; and whether the
 * account a post goes out on is connected, so that a post that will not
 * publish is flagged before it is due. */
#ifndef MEDIADASH_SCHEDULE_STATUS_H
#define MEDIADASH_SCHEDULE_STATUS_H

#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"
#include "store/store_post.h"

/* "missed" for a failed post whose failure is missed, else the stored
 * state's name (post_state_name). Never NULL. */
const char *status_name(const struct post *p);

/* One sentence on what the status means and what to do, e.g. for missed
 * "No worker ran while it was due ... Nothing was sent to the platform";
 * static text, never NULL. */
const char *status_explain(const struct post *p);

/* Set q->state (and q->failure) from a name: a state name, "missed" (its
 * failed posts that were missed) or "platform_error" (failed ones the
 * platform refused). ERR_INVALID for anything else, q untouched. */
enum err status_query(const char *name, struct post_query *q) WARN_UNUSED;

/* The names status_query takes, for an error message. */
#define STATUS_QUERY_NAMES                                                    \
    "draft, scheduled, claimed, publishing, published, failed, missed, "      \
    "platform_error, needs_check, needs_relogin or cancelled"

enum status_account {
    STATUS_ACCOUNT_NONE,          /* a platform without accounts (dryrun) */
    STATUS_ACCOUNT_CONNECTED,     /* a usable credential */
    STATUS_ACCOUNT_NEEDS_RELOGIN, /* refused, or its tokens ran out */
    STATUS_ACCOUNT_NOT_CONNECTED, /* no credential at all */
};
/* "connected", "needs_relogin", "not_connected"; NULL for NONE. */
const char *status_account_name(enum status_account s);

struct status_accounts; /* the credentials' states, read once */

/* Read every credential's state (no token is decrypted or kept) as of
 * now. Caller destroys *out. ERR_DB with err on a store failure. */
enum err status_accounts_load(struct store *st, int64_t now,
                              struct status_accounts **out, struct buf *err)
    WARN_UNUSED;
void status_accounts_destroy(struct status_accounts *a); /* NULL: no-op */
/* How many credentials a holds (0 for NULL), and the i-th (i < that):
 * *platform and *account borrowed from a. */
size_t status_accounts_count(const struct status_accounts *a);
void status_accounts_at(const struct status_accounts *a, size_t i,
                        enum platform *platform, const char **account,
                        enum status_account *state);

/* The state of (platform, account): NONE for a platform name the model
 * does not know (dryrun), NOT_CONNECTED without a credential,
 * NEEDS_RELOGIN when it was refused, its refresh token ended, or its
 * access token ended with no refresh token; else CONNECTED. */
enum status_account status_account_of(const struct status_accounts *a,
                                      const char *platform,
                                      const char *account);

#endif
