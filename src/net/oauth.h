/* OAuth2 for the platforms (DESIGN.md, src/net): consent URLs with a
 * random state (and PKCE S256 where the platform takes it), the code
 * exchange, refreshes, and valid access tokens for the collector.
 *
 * How each platform's flow differs from the plain authorization-code
 * flow is data, struct platform_oauth (oauth_quirks.h), which each
 * descriptor fills in (src/platforms/<name>/<name>.c, with the platform's
 * documentation) and which this layer gets through the lookup given to
 * oauth_create(): PKCE and its challenge encoding, the client id's
 * parameter name, Meta's long-lived token exchange instead of refresh
 * tokens, and which error answers refuse a token. A refresh answer
 * without a new refresh token keeps the stored one.
 *
 * Tokens are sealed with core/secret before they reach the store and are
 * never written to logs or error messages. A struct oauth is shared by
 * every thread of the process: it owns the single-flight table (one mutex)
 * that makes N callers needing a refresh of one credential cause exactly
 * one token request. Each thread passes its own store handle and net
 * client. (Two processes refreshing at once are not coordinated.) */
#ifndef MEDIADASH_OAUTH_H
#define MEDIADASH_OAUTH_H

#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"
#include "core/model.h"
#include "core/secret.h"
#include "net/net.h"
#include "net/oauth_quirks.h"
#include "store/store.h"

#define OAUTH_STATE_TTL_S 600 /* a consent must finish within 10 minutes */
#define OAUTH_MAX_TOKEN 4096  /* longer tokens are refused */
#define OAUTH_DEFAULT_ACCOUNT "default"

struct oauth; /* opaque; thread-safe */

/* cfg and key are borrowed and must outlive the oauth object. quirks
 * says how each platform's OAuth differs (the caller passes
 * platform_oauth_of from src/platforms; NULL, or a NULL answer, means
 * the plain flow). Caller destroys *out. */
enum err oauth_create(const struct config *cfg, const struct secret_key *key,
                      oauth_quirks_fn quirks, struct oauth **out) WARN_UNUSED;
/* How p's OAuth differs, from the lookup given to oauth_create; never
 * NULL (the plain flow when the lookup has nothing). */
const struct platform_oauth *oauth_quirks(const struct oauth *o,
                                          enum platform p);
/* q's login flavour named login, or NULL (q or its table NULL, or no such
 * name). */
const struct oauth_login *oauth_login_find(const struct platform_oauth *q,
                                           const char *login);
/* q's login flavours for a message, appended to out: "a", "b" or "c";
 * nothing when q has none. */
void oauth_login_names(const struct platform_oauth *q, struct buf *out);
void oauth_destroy(struct oauth *o); /* NULL is a no-op */

/* Start a consent: make a random state bound to a fresh PKCE verifier,
 * store both (verifier sealed) for OAUTH_STATE_TTL_S, and write the consent
 * page URL to url and the state to state_out (both replaced). account may
 * be NULL (then the account is the TikTok open_id, else "default").
 * ERR_INVALID when the platform's client_id is not configured. */
enum err oauth_begin(struct oauth *o, struct store *st, enum platform p,
                     const char *account, struct buf *url,
                     struct buf *state_out, struct buf *err) WARN_UNUSED;
/* The same with the connection's login flavour: one of the names of the
 * platform's flavour table (struct oauth_login, oauth_quirks.h: its
 * consent page, code exchange, scopes and long-lived token calls); NULL:
 * the flavour its login_key names, else the first. Ignored for a
 * platform without flavours. ERR_INVALID (err names the flavours) for
 * another value. */
enum err oauth_begin_login(struct oauth *o, struct store *st, enum platform p,
                           const char *account, const char *login,
                           struct buf *url, struct buf *state_out,
                           struct buf *err) WARN_UNUSED;

/* Finish a consent (the CLI's loopback listener, --code, and later the
 * dashboard's /oauth/callback call this): take the state (single use; it
 * must exist and not be expired, else ERR_NOTFOUND), exchange code for
 * tokens, and store them sealed with status ok. The platform and account
 * come from the state; *p_out (may be NULL) and account_out (replaced)
 * say which. ERR_UPSTREAM when the platform refused (err has its error
 * code and description), ERR_IO when it could not be reached. */
enum err oauth_finish(struct oauth *o, struct store *st,
                      struct net_client *nc, const char *state,
                      const char *code, enum platform *p_out,
                      struct buf *account_out, struct buf *err) WARN_UNUSED;

/* A valid access token for (p, account) in out (replaced; wipe it with
 * secret_buf_wipe when done), refreshing first when it expires within
 * cfg->refresh_margin_s. Concurrent callers share one refresh. Returns:
 *   ERR_OK        out holds the token
 *   ERR_NOTFOUND  no credential: connect first
 *   ERR_INVALID   the credential needs a new login (status needs_relogin,
 *                 set when the platform answered invalid_grant or Meta
 *                 error 190); no network request is made
 *   ERR_UPSTREAM / ERR_IO / ERR_TOOBIG  the refresh failed for now (the
 *                 platform's 5xx, a timeout): try again later
 *   ERR_DB        the store failed; ERR_PARSE a malformed token response */
enum err oauth_access_token(struct oauth *o, struct store *st,
                            struct net_client *nc, enum platform p,
                            const char *account, struct buf *out,
                            struct buf *err) WARN_UNUSED;

/* The same after an API call answered 401 with token `rejected`: refresh
 * unless another caller already replaced that token (then return the new
 * one), so N threads that see a 401 cause one refresh. */
enum err oauth_access_token_rejected(struct oauth *o, struct store *st,
                                     struct net_client *nc, enum platform p,
                                     const char *account,
                                     const char *rejected, struct buf *out,
                                     struct buf *err) WARN_UNUSED;

/* ---- renewal on a schedule of its own ------------------------------------
 * Per platform (token_rules in oauth.c): Instagram/Facebook long-lived
 * access tokens (about 60 days, no refresh token) are renewed once fewer
 * than cfg->renew_before_days days are left and the token is at least
 * 24 hours old, whatever the collection rounds' timing; once expired they
 * cannot be renewed (needs_relogin). YouTube and TikTok access tokens are
 * refreshed when used; their refresh tokens' ends are watched (TikTok:
 * 365 days or refresh_expires_in; Google apps in testing status, with
 * oauth.google_testing: 7 days). */
enum oauth_renew {
    OAUTH_RENEW_NOT_DUE,   /* nothing to do now */
    OAUTH_RENEW_TOO_YOUNG, /* in the window but too young to renew */
    OAUTH_RENEW_DUE,       /* renew now */
    OAUTH_RENEW_EXPIRED,   /* ended unrenewed: a new login is needed */
};
/* q: c's platform's OAuth data (platform_oauth_of(c->platform)); NULL
 * is the plain flow. */
enum oauth_renew oauth_renew_need(const struct platform_oauth *q,
                                  const struct config *cfg,
                                  const struct store_cred *c, int64_t now);

/* When the login of c ends unless renewed (Meta: the access token's end;
 * elsewhere the refresh token's), TIME_NONE when none is known or the
 * credential already needs a new login. */
int64_t oauth_login_deadline(const struct platform_oauth *q,
                             const struct store_cred *c);
/* Whole days from now until end (rounded down; 0 once passed). */
int64_t oauth_days_left(int64_t end, int64_t now);
#define OAUTH_WARN_DAYS 7 /* a login ending sooner is announced */

/* Renew (p, account) when oauth_renew_need says so at now (*renewed then
 * true). An expired long-lived token is marked needs_relogin (ERR_INVALID,
 * no request made). A renewal that fails for now (ERR_UPSTREAM, ERR_IO,
 * ...) is recorded as the credential's renew_error and logged with the
 * days left; the token stays usable. ERR_OK when nothing was due. */
enum err oauth_renew_if_due(struct oauth *o, struct store *st,
                            struct net_client *nc, enum platform p,
                            const char *account, int64_t now, bool *renewed,
                            struct buf *err) WARN_UNUSED;

#endif
