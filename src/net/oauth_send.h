/* One authenticated platform request (oauth_send): put
 * "Authorization: Bearer <token>" on it, send it, and when the platform
 * says the token was refused (401, or the platform's own expired-token
 * error: its descriptor's token_rejected, platform.h), refresh once (oauth_access_token_rejected: N callers seeing the
 * same refused token cause one refresh) and send it again. Every live
 * client and every publisher sends through this; none builds the bearer
 * header or calls oauth_access_token itself. Tokens are wiped when done
 * and never written to err. */
#ifndef MEDIADASH_OAUTH_SEND_H
#define MEDIADASH_OAUTH_SEND_H

#include <stdbool.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/model.h"
#include "net/net.h"
#include "net/oauth.h"
#include "store/store.h"

#define OAUTH_SEND_MAX_HEADERS 8 /* extra header lines kept per request */

struct oauth_session {
    /* in: all borrowed */
    struct oauth *o;
    struct store *st;       /* for the credential only */
    struct net_client *nc;
    enum platform platform;
    const char *account;    /* the credential's account */
    bool refresh_once;      /* at most one refresh in the session's life
                             * (else one per oauth_send) */
    /* out */
    struct buf token;       /* the access token; wiped by _free */
    bool refreshed;         /* a refresh was made after a refusal */
    bool token_failed;      /* the last call failed getting a token: its
                             * result is oauth_access_token's */
    bool relogin;           /* that failure needs a new login
                             * (ERR_INVALID / ERR_NOTFOUND) */
    unsigned sends;         /* requests the last oauth_send sent: 0-2 */
    unsigned attempts;      /* net attempts over the session (retries
                             * count) */
};

void oauth_session_init(struct oauth_session *s, struct oauth *o,
                        struct store *st, struct net_client *nc,
                        enum platform p, const char *account);
void oauth_session_free(struct oauth_session *s); /* wipes; NULL: no-op */

/* Get a token into s->token now unless it holds one (publishers ask
 * before their first request to decide a missing login early). Results
 * as oauth_access_token; s->token_failed/relogin set on failure. */
enum err oauth_session_token(struct oauth_session *s,
                             struct buf *err) WARN_UNUSED;

/* Send req (its headers, if any, go after the bearer line; at most
 * OAUTH_SEND_MAX_HEADERS) as described at the top. resp must be
 * net_resp_init'ed. Returns net_request's result for the last send, or
 * the token's failure (s->token_failed set, resp untouched by it). err
 * gets why (never the token). */
enum err oauth_send(struct oauth_session *s, const struct net_req *req,
                    struct net_resp *resp, struct buf *err) WARN_UNUSED;

#endif
