/* Post states as a person reads them (status.h). */
#include "schedule/status.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/model.h"
#include "core/str.h"
#include "core/timeutil.h"

static bool is_missed(const struct post *p)
{
    return p->state == POST_FAILED && str_eq(p->failure, POST_FAILURE_MISSED);
}

const char *status_name(const struct post *p)
{
    return is_missed(p) ? "missed" : post_state_name(p->state);
}

const char *status_explain(const struct post *p)
{
    if (is_missed(p))
        return "Missed: no worker ran while it was due, and it was found "
               "later than the grace window. Nothing was sent to the "
               "platform; retry to publish it now, or cancel it.";
    switch (p->state) {
    case POST_FAILED:
        return "The platform refused it, or every retry failed: its error "
               "is below. Fix the cause, then retry.";
    case POST_NEEDS_CHECK:
        return "It may have gone out: check the platform before retrying.";
    case POST_NEEDS_RELOGIN:
        return "The platform refused the account's login: reconnect the "
               "account on the Sources page, then retry.";
    case POST_DRAFT:
        return "A draft: it is not published until it is scheduled.";
    case POST_SCHEDULED:
        return "Waiting for its time; a worker publishes it then.";
    case POST_CLAIMED:
    case POST_PUBLISHING:
        return "A worker is publishing it now.";
    case POST_PUBLISHED:
        return "Published.";
    case POST_CANCELLED:
        return "Cancelled: it will not be published.";
    case POST_STATE_COUNT:
        break;
    }
    return "";
}

enum err status_query(const char *name, struct post_query *q)
{
    enum post_state s;

    if (str_eq(name, "missed") || str_eq(name, "platform_error")) {
        q->state = POST_FAILED;
        q->failure = str_eq(name, "missed") ? POST_FAILURE_MISSED
                                            : POST_FAILURE_PLATFORM;
        return ERR_OK;
    }
    if (post_state_from_name(name, &s) != ERR_OK)
        return ERR_INVALID;
    q->state = (int)s;
    q->failure = NULL;
    return ERR_OK;
}

const char *status_account_name(enum status_account s)
{
    switch (s) {
    case STATUS_ACCOUNT_CONNECTED:
        return "connected";
    case STATUS_ACCOUNT_NEEDS_RELOGIN:
        return "needs_relogin";
    case STATUS_ACCOUNT_NOT_CONNECTED:
        return "not_connected";
    case STATUS_ACCOUNT_NONE:
        break;
    }
    return NULL;
}

struct acct {
    enum platform platform;
    char *account;
    enum status_account state;
};

struct status_accounts {
    struct acct *v;
    size_t n, cap;
    int64_t now;
};

#define STATUS_ACCOUNTS_MAX 10000 /* credentials read; more are ignored */

static enum err add_cred(void *ud, const struct store_cred *c)
{
    struct status_accounts *a = ud;
    bool dead = c->status == CRED_NEEDS_RELOGIN ||
                (c->refresh_expires_at != TIME_NONE &&
                 c->refresh_expires_at <= a->now) ||
                (c->refresh_sealed == NULL && c->expires_at != TIME_NONE &&
                 c->expires_at <= a->now);

    if (a->n >= STATUS_ACCOUNTS_MAX || c->account == NULL)
        return ERR_OK;
    a->v = xgrow(a->v, &a->cap, a->n + 1, sizeof *a->v);
    a->v[a->n++] = (struct acct){
        c->platform, xstrdup(c->account),
        dead ? STATUS_ACCOUNT_NEEDS_RELOGIN : STATUS_ACCOUNT_CONNECTED};
    return ERR_OK;
}

enum err status_accounts_load(struct store *st, int64_t now,
                              struct status_accounts **out, struct buf *err)
{
    struct status_accounts *a = xcalloc(1, sizeof *a);
    enum err rc;

    a->now = now;
    rc = store_cred_list(st, add_cred, a, err);
    if (rc != ERR_OK) {
        status_accounts_destroy(a);
        a = NULL;
    }
    *out = a;
    return rc;
}

void status_accounts_destroy(struct status_accounts *a)
{
    if (a == NULL)
        return;
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i].account);
    free(a->v);
    free(a);
}

size_t status_accounts_count(const struct status_accounts *a)
{
    return a != NULL ? a->n : 0;
}

void status_accounts_at(const struct status_accounts *a, size_t i,
                        enum platform *platform, const char **account,
                        enum status_account *state)
{
    *platform = a->v[i].platform;
    *account = a->v[i].account;
    *state = a->v[i].state;
}

enum status_account status_account_of(const struct status_accounts *a,
                                      const char *platform,
                                      const char *account)
{
    enum platform p;

    if (platform == NULL || platform_from_name(platform, &p) != ERR_OK)
        return STATUS_ACCOUNT_NONE;
    for (size_t i = 0; a != NULL && i < a->n; i++)
        if (a->v[i].platform == p && str_eq(a->v[i].account, account))
            return a->v[i].state;
    return STATUS_ACCOUNT_NOT_CONNECTED;
}
