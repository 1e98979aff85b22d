#define LOG_MODULE "oauth"
#include "net/oauth.h"

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/jread.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timeutil.h"

#define MAX_TOKEN_RESPONSE ((size_t)64 << 10)
#define MAX_ERROR_TEXT 200

#define DAY_S 86400


/* One credential someone is refreshing (or reading) right now. */
struct flight {
    enum platform p;
    char *account; /* owned */
    bool busy;
};

struct oauth {
    const struct config *cfg;     /* borrowed */
    const struct secret_key *key; /* borrowed */
    oauth_quirks_fn quirks;       /* may be NULL */
    pthread_mutex_t mu;           /* guards flights */
    pthread_cond_t cv;            /* a flight went idle */
    struct flight *flights;
    size_t n, cap;
};

/* The plain authorization-code flow, for a platform without OAuth data. */
static const struct platform_oauth plain_flow = {.client_id_param =
                                                     "client_id"};

const struct platform_oauth *oauth_quirks(const struct oauth *o,
                                          enum platform p)
{
    const struct platform_oauth *q =
        o->quirks != NULL ? o->quirks(p) : NULL;

    return q != NULL ? q : &plain_flow;
}

enum err oauth_create(const struct config *cfg, const struct secret_key *key,
                      oauth_quirks_fn quirks, struct oauth **out)
{
    struct oauth *o = xcalloc(1, sizeof(*o));
    o->cfg = cfg;
    o->key = key;
    o->quirks = quirks;
    if (pthread_mutex_init(&o->mu, NULL) != 0) {
        free(o);
        return ERR_NOMEM;
    }
    if (pthread_cond_init(&o->cv, NULL) != 0) {
        pthread_mutex_destroy(&o->mu);
        free(o);
        return ERR_NOMEM;
    }
    *out = o;
    return ERR_OK;
}

void oauth_destroy(struct oauth *o)
{
    if (o == NULL)
        return;
    for (size_t i = 0; i < o->n; i++)
        free(o->flights[i].account);
    free(o->flights);
    pthread_cond_destroy(&o->cv);
    pthread_mutex_destroy(&o->mu);
    free(o);
}

/* ---- single flight ---------------------------------------------------- */

/* Wait until no other thread works on (p, account), then claim it. */
static size_t flight_enter(struct oauth *o, enum platform p,
                           const char *account)
{
    size_t i;

    pthread_mutex_lock(&o->mu);
    for (i = 0; i < o->n; i++)
        if (o->flights[i].p == p && strcmp(o->flights[i].account, account) == 0)
            break;
    if (i == o->n) {
        o->flights = xgrow(o->flights, &o->cap, o->n + 1, sizeof(*o->flights));
        o->flights[o->n++] = (struct flight){p, xstrdup(account), false};
    }
    while (o->flights[i].busy)
        pthread_cond_wait(&o->cv, &o->mu);
    o->flights[i].busy = true;
    pthread_mutex_unlock(&o->mu);
    return i; /* entries are never removed, so the index stays valid */
}

static void flight_leave(struct oauth *o, size_t i)
{
    pthread_mutex_lock(&o->mu);
    o->flights[i].busy = false;
    pthread_cond_broadcast(&o->cv);
    pthread_mutex_unlock(&o->mu);
}

/* ---- helpers ---------------------------------------------------------- */

static const struct config_platform *pcfg(const struct oauth *o,
                                          enum platform p)
{
    return &o->cfg->plat[p];
}

const struct oauth_login *oauth_login_find(const struct platform_oauth *q,
                                           const char *login)
{
    if (q == NULL || q->logins == NULL || login == NULL)
        return NULL;
    for (const struct oauth_login *l = q->logins; l->name != NULL; l++)
        if (strcmp(l->name, login) == 0)
            return l;
    return NULL;
}

void oauth_login_names(const struct platform_oauth *q, struct buf *out)
{
    if (q == NULL || q->logins == NULL)
        return;
    for (const struct oauth_login *l = q->logins; l->name != NULL; l++)
        buf_catf(out, "%s\"%s\"", l == q->logins ? ""
                                  : l[1].name ? ", " : " or ",
                 l->name);
}

/* p's flavour login, or NULL (the platform's client keys). */
static const struct oauth_login *flavour(const struct oauth *o,
                                         enum platform p, const char *login)
{
    return oauth_login_find(oauth_quirks(o, p), login);
}

/* The value of a flavour's key (from p's table), or dflt when key is
 * NULL (no flavour, or one that keeps the platform's own). */
static const char *flavour_str(const struct oauth *o, enum platform p,
                               const char *key, const char *dflt)
{
    return key != NULL ? config_plat_str(o->cfg, p, key) : dflt;
}

/* The scopes a new connection of p with flavour login asks for. */
static const char *login_scopes(const struct oauth *o, enum platform p,
                                const char *login)
{
    const struct oauth_login *l = flavour(o, p, login);

    return flavour_str(o, p, l ? l->scopes_key : NULL,
                       pcfg(o, p)->scopes);
}

static enum err need_client(const struct oauth *o, enum platform p,
                            bool secret, struct buf *err)
{
    const struct config_platform *c = pcfg(o, p);
    const char *name = platform_name(p);

    if (c->client_id == NULL || c->auth_url == NULL || c->token_url == NULL ||
        c->redirect_uri == NULL) {
        buf_setf(err, "%s.client_id is not set (config file [%s] client_id, "
                 "or MEDIADASH_%s_CLIENT_ID)", name, name,
                 platform_env_name(p));
        return ERR_INVALID;
    }
    if (secret && c->client_secret == NULL) {
        buf_setf(err, "%s.client_secret is not set (environment, or "
                 "%s.client_secret_file)", name, name);
        return ERR_INVALID;
    }
    return ERR_OK;
}

/* n random bytes, base64url without padding, into out (replaced). */
static enum err random_b64url(size_t n, struct buf *out)
{
    unsigned char raw[64];
    char text[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

    if (n > sizeof(raw))
        return ERR_INVALID;
    randombytes_buf(raw, n);
    sodium_bin2base64(text, sizeof(text), raw, n,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    buf_reset(out);
    return buf_puts(out, text);
}

/* The PKCE challenge of verifier: base64url(SHA-256) per RFC 7636, or
 * hex(SHA-256) where the platform documents it so (pkce_hex). */
static enum err pkce_challenge(const struct oauth *o, enum platform p,
                               const char *verifier,
                               struct buf *out)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char text[2 * crypto_hash_sha256_BYTES + 1];

    crypto_hash_sha256(h, (const unsigned char *)verifier, strlen(verifier));
    if (oauth_quirks(o, p)->pkce_hex)
        sodium_bin2hex(text, sizeof(text), h, sizeof(h));
    else
        sodium_bin2base64(text, sizeof(text), h, sizeof(h),
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    buf_reset(out);
    return buf_puts(out, text);
}

/* ---- the consent URL -------------------------------------------------- */

static enum err consent_url(const struct oauth *o, enum platform p,
                            const char *login, const char *state,
                            const char *challenge, struct buf *url)
{
    const struct config_platform *c = pcfg(o, p);
    const struct oauth_login *l = flavour(o, p, login);
    const char *scopes = login_scopes(o, p, login);
    const char *auth = flavour_str(o, p, l ? l->auth_url_key : NULL,
                                   c->auth_url);
    enum err rc;

    buf_reset(url);
    rc = buf_puts(url, auth);
    if (rc == ERR_OK)
        rc = net_url_add_param(url, oauth_quirks(o, p)->client_id_param,
                               c->client_id);
    if (rc == ERR_OK)
        rc = net_url_add_param(url, "redirect_uri", c->redirect_uri);
    if (rc == ERR_OK)
        rc = net_url_add_param(url, "response_type", "code");
    if (rc == ERR_OK && scopes != NULL)
        rc = net_url_add_param(url, "scope", scopes);
    if (rc == ERR_OK)
        rc = net_url_add_param(url, "state", state);
    for (const char *const *kv = oauth_quirks(o, p)->consent_params;
         rc == ERR_OK && kv != NULL && kv[0] != NULL; kv += 2)
        rc = net_url_add_param(url, kv[0], kv[1]);
    if (rc == ERR_OK && oauth_quirks(o, p)->pkce) {
        rc = net_url_add_param(url, "code_challenge", challenge);
        if (rc == ERR_OK)
            rc = net_url_add_param(url, "code_challenge_method", "S256");
    }
    return rc;
}

enum err oauth_begin(struct oauth *o, struct store *st, enum platform p,
                     const char *account, struct buf *url,
                     struct buf *state_out, struct buf *err)
{
    return oauth_begin_login(o, st, p, account, NULL, url, state_out, err);
}

/* The login flavour of a new connection: one of the platform's
 * flavours (NULL: the one its login_key names, else the first); a
 * platform without flavours has none. */
static enum err pick_login(const struct oauth *o, enum platform p,
                           const char *login, const char **out,
                           struct buf *err)
{
    const struct platform_oauth *q = oauth_quirks(o, p);
    const struct oauth_login *l;

    *out = NULL;
    if (q->logins == NULL || q->logins[0].name == NULL)
        return ERR_OK;
    if (login == NULL && q->login_key != NULL)
        login = config_plat_str(o->cfg, p, q->login_key);
    if (login == NULL)
        login = q->logins[0].name;
    l = oauth_login_find(q, login);
    if (l == NULL) {
        buf_setf(err, "login must be ");
        oauth_login_names(q, err);
        return ERR_INVALID;
    }
    *out = l->name;
    return ERR_OK;
}

enum err oauth_begin_login(struct oauth *o, struct store *st, enum platform p,
                           const char *account, const char *login,
                           struct buf *url, struct buf *state_out,
                           struct buf *err)
{
    struct buf verifier, sealed, chal;
    struct store_oauth_state s = {.platform = p, .account = (char *)account};
    int64_t now = time_now();
    enum err rc;

    buf_init(&verifier, 128);
    buf_init(&sealed, 1024);
    buf_init(&chal, 128);
    rc = need_client(o, p, false, err);
    if (rc == ERR_OK)
        rc = pick_login(o, p, login, (const char **)&s.login, err);
    if (rc != ERR_OK)
        goto out;
    rc = random_b64url(32, &verifier); /* 43 characters */
    if (rc == ERR_OK)
        rc = random_b64url(24, state_out);
    if (rc == ERR_OK)
        rc = pkce_challenge(o, p, buf_cstr(&verifier), &chal);
    if (rc == ERR_OK)
        rc = secret_seal(o->key, verifier.data, verifier.len, &sealed);
    if (rc == ERR_OK)
        rc = consent_url(o, p, s.login, buf_cstr(state_out), buf_cstr(&chal),
                         url);
    if (rc != ERR_OK) {
        buf_setf(err, "consent URL: %s", err_str(rc));
        goto out;
    }
    s.verifier_sealed = sealed.data;
    s.expires_at = now + OAUTH_STATE_TTL_S;
    rc = store_oauth_state_put(st, buf_cstr(state_out), &s, now, err);
out:
    secret_buf_wipe(&verifier);
    buf_free(&sealed);
    buf_free(&chal);
    return rc;
}

/* ---- token endpoint ----------------------------------------------------- */

/* What a token response said. Strings borrowed from root. */
struct tokens {
    json_t *root;
    const char *access, *refresh, *scope, *open_id;
    char user_id[32]; /* Instagram Login's code exchange: the user id */
    int64_t expires_in;         /* -1: not given */
    int64_t refresh_expires_in; /* -1: not given (TikTok gives it) */
};

static void tokens_free(struct tokens *t)
{
    json_decref(t->root);
    *t = (struct tokens){0};
}

/* The object of a token response holding the tokens: the answer itself,
 * or (Instagram Login's code exchange) its data[0]; that one's user_id
 * (a string or a number) goes to uid ("" when none). */
static json_t *token_object(json_t *root, char *uid, size_t cap)
{
    json_t *data = json_object_get(root, "data");
    json_t *obj = root, *id;

    uid[0] = '\0';
    if (json_is_array(data) && json_is_object(json_array_get(data, 0)))
        obj = json_array_get(data, 0);
    id = json_object_get(obj, "user_id");
    if (json_is_integer(id) && json_integer_value(id) > 0)
        snprintf(uid, cap, "%lld", (long long)json_integer_value(id));
    else if (json_is_string(id) && json_string_length(id) < cap &&
             strspn(json_string_value(id), "0123456789") ==
                 json_string_length(id))
        snprintf(uid, cap, "%s", json_string_value(id));
    return obj;
}

/* RFC 6749 sends "scope" as one space-separated string; id.twitch.tv
 * sends an array of strings. An array is replaced in obj by the string
 * (at most 4096 bytes; a longer or mixed one is left for jread to
 * refuse). */
static void scope_array_to_string(json_t *obj)
{
    json_t *a = json_object_get(obj, "scope"), *v;
    struct buf joined;
    size_t i;

    if (!json_is_array(a))
        return;
    buf_init(&joined, 4097);
    json_array_foreach(a, i, v) {
        if (!json_is_string(v) ||
            buf_printf(&joined, "%s%s", i ? " " : "", json_string_value(v)) !=
                ERR_OK) {
            buf_free(&joined);
            return;
        }
    }
    json_object_set_new(obj, "scope", json_string(buf_cstr(&joined)));
    buf_free(&joined);
}

static enum err parse_tokens(enum platform p, const struct buf *body,
                             struct tokens *t, struct buf *err)
{
    struct jread r;
    json_t *obj;
    bool has_exp = false, has_rexp = false;
    enum err rc;

    *t = (struct tokens){.expires_in = -1, .refresh_expires_in = -1};
    t->root = json_loadb(body->data ? body->data : "", body->len,
                         JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(t->root)) {
        buf_setf(err, "%s token endpoint: the answer is not a JSON object",
                 platform_name(p));
        return ERR_PARSE;
    }
    jread_init(&r, err);
    jread_where(&r, "%s token response", platform_name(p));
    obj = token_object(t->root, t->user_id, sizeof(t->user_id));
    scope_array_to_string(obj);
    rc = jread_string(&r, obj, "access_token", J_REQUIRED,
                      OAUTH_MAX_TOKEN, &t->access);
    if (rc == ERR_OK)
        rc = jread_string(&r, obj, "refresh_token", J_OPTIONAL,
                          OAUTH_MAX_TOKEN, &t->refresh);
    if (rc == ERR_OK)
        rc = jread_int(&r, obj, "expires_in", J_OPTIONAL, 0,
                       (int64_t)10 * 365 * 86400, &t->expires_in, &has_exp);
    if (rc == ERR_OK)
        rc = jread_int(&r, obj, "refresh_expires_in", J_OPTIONAL, 0,
                       (int64_t)10 * 365 * 86400, &t->refresh_expires_in,
                       &has_rexp);
    if (rc == ERR_OK)
        rc = jread_string(&r, obj, "scope", J_OPTIONAL, 4096, &t->scope);
    if (rc == ERR_OK)
        rc = jread_id(&r, obj, "open_id", J_OPTIONAL, &t->open_id);
    if (rc == ERR_OK && *t->access == '\0')
        rc = jread_fail(&r, "access_token", "empty");
    if (!has_exp)
        t->expires_in = -1;
    if (!has_rexp)
        t->refresh_expires_in = -1;
    if (t->refresh != NULL && *t->refresh == '\0')
        t->refresh = NULL; /* an empty one never replaces a stored one */
    jread_free(&r);
    if (rc != ERR_OK)
        tokens_free(t);
    return rc;
}

/* Describe a refused token request in err; *relogin when the grant itself
 * is dead (a new consent is the only way forward). */
static void describe_refusal(enum platform p, const struct net_resp *r,
                             bool *relogin, struct buf *err)
{
    json_t *root = json_loadb(r->body.data ? r->body.data : "", r->body.len,
                              0, NULL);
    json_t *e = json_object_get(root, "error");
    const char *code = json_string_value(e);
    const char *desc = json_string_value(
        json_object_get(root, "error_description"));

    *relogin = false;
    if (json_is_object(e)) { /* Graph: {"error": {"code": 190, ...}} */
        json_int_t c = json_integer_value(json_object_get(e, "code"));
        const char *msg = json_string_value(json_object_get(e, "message"));
        *relogin = c == 190 ||
                   json_integer_value(json_object_get(e, "error_subcode")) ==
                       36007;
        buf_setf(err, "%s token endpoint: HTTP %ld, Graph error %lld: %.*s",
                 platform_name(p), r->status, (long long)c, MAX_ERROR_TEXT,
                 msg ? msg : "");
    } else if (code != NULL) {
        *relogin = strcmp(code, "invalid_grant") == 0;
        buf_setf(err, "%s token endpoint: HTTP %ld, %.*s: %.*s",
                 platform_name(p), r->status, 40, code, MAX_ERROR_TEXT,
                 desc ? desc : "");
    } else if (json_is_string(json_object_get(root, "message"))) {
        /* id.twitch.tv: {"status": 400, "message": "Invalid refresh
         * token"}: a 400 or 401 there refuses the grant itself */
        *relogin = r->status == 400 || r->status == 401;
        buf_setf(err, "%s token endpoint: HTTP %ld: %.*s", platform_name(p),
                 r->status, MAX_ERROR_TEXT,
                 json_string_value(json_object_get(root, "message")));
    } else {
        buf_setf(err, "%s token endpoint: HTTP %ld", platform_name(p),
                 r->status);
    }
    json_decref(root);
}

/* POST form to url (a token endpoint), or GET url when form is NULL
 * (Instagram Login's graph.instagram.com token calls), and parse the
 * tokens. */
static enum err token_call(struct net_client *nc, enum platform p,
                           const char *url, const struct buf *form,
                           struct tokens *t, bool *relogin, struct buf *err)
{
    struct net_req req = {.method = form ? NET_POST : NET_GET,
                          .url = url,
                          .body = form ? buf_cstr(form) : NULL,
                          .body_len = form ? form->len : 0,
                          .content_type = "application/x-www-form-urlencoded"};
    struct net_resp r;
    enum err rc;

    *relogin = false;
    net_resp_init(&r);
    rc = net_request(nc, &req, &r, err);
    if (rc == ERR_UPSTREAM && r.status >= 400 && r.status < 500)
        describe_refusal(p, &r, relogin, err);
    else if (rc == ERR_OK && r.body.len > MAX_TOKEN_RESPONSE) {
        buf_setf(err, "%s token endpoint: response over %zu bytes",
                 platform_name(p), MAX_TOKEN_RESPONSE);
        rc = ERR_TOOBIG;
    } else if (rc == ERR_OK)
        rc = parse_tokens(p, &r.body, t, err);
    secret_buf_wipe(&r.body); /* it held tokens */
    net_resp_free(&r);
    return rc;
}

/* The client's part of every token request. */
static enum err form_client(const struct oauth *o, enum platform p,
                            struct buf *form)
{
    const struct config_platform *c = pcfg(o, p);
    enum err rc = net_form_add(form, oauth_quirks(o, p)->client_id_param,
                               c->client_id);
    if (rc == ERR_OK)
        rc = net_form_add(form, "client_secret", c->client_secret);
    return rc;
}

/* When a refresh token t brings ends (TIME_NONE: none, or none known; a
 * response without a refresh token keeps the stored one's end). */
static int64_t refresh_end(const struct oauth *o, enum platform p,
                           const struct tokens *t, int64_t now)
{
    const struct platform_oauth *r = oauth_quirks(o, p);

    if (t->refresh == NULL)
        return TIME_NONE;
    if (t->refresh_expires_in >= 0)
        return now + t->refresh_expires_in;
    if (r->testing_key != NULL && r->testing_refresh_life_s > 0 &&
        config_plat_int(o->cfg, p, r->testing_key) == 1)
        return now + r->testing_refresh_life_s;
    return r->refresh_life_s > 0 ? now + r->refresh_life_s : TIME_NONE;
}

/* Seal and store what t says, with status ok. A response without scopes
 * keeps the stored ones, or on a first consent records the configured.
 * login: the connection's flavour (NULL keeps the stored one). */
static enum err save_tokens(struct oauth *o, struct store *st,
                            enum platform p, const char *account,
                            const char *login, const struct tokens *t,
                            bool first, struct buf *err)
{
    struct buf at, rt;
    int64_t now = time_now();
    struct store_cred c = {.platform = p,
                           .account = (char *)account,
                           .expires_at = t->expires_in >= 0
                                             ? now + t->expires_in
                                             : TIME_NONE,
                           .scopes = (char *)t->scope,
                           .status = CRED_OK,
                           .updated_at = now,
                           .issued_at = now,
                           .refresh_expires_at =
                               refresh_end(o, p, t, now),
                           .login = (char *)login};
    enum err rc;

    buf_init(&at, 4 * OAUTH_MAX_TOKEN);
    buf_init(&rt, 4 * OAUTH_MAX_TOKEN);
    rc = secret_seal(o->key, t->access, strlen(t->access), &at);
    if (rc == ERR_OK && t->refresh != NULL)
        rc = secret_seal(o->key, t->refresh, strlen(t->refresh), &rt);
    if (rc != ERR_OK) {
        buf_setf(err, "sealing tokens: %s", err_str(rc));
        goto out;
    }
    c.access_sealed = at.data;
    c.refresh_sealed = t->refresh != NULL ? rt.data : NULL;
    if (c.scopes == NULL && first)
        c.scopes = (char *)login_scopes(o, p, login);
    rc = store_cred_put(st, &c, err);
out:
    buf_free(&at);
    buf_free(&rt);
    return rc;
}

/* ---- finishing a consent ------------------------------------------------ */

/* Flavour l's long-lived token call: GET <base><path>?grant_type=grant
 * &access_token=token, the exchange's path and grant (which also sends
 * the client secret) when exchange, else the renewal's. */
static enum err login_token_get(struct oauth *o, struct net_client *nc,
                                enum platform p, const struct oauth_login *l,
                                bool exchange, const char *token,
                                struct tokens *t, bool *relogin,
                                struct buf *err)
{
    const char *base = config_plat_str(o->cfg, p, l->base_key);
    struct buf url;
    enum err rc;

    buf_init(&url, NET_MAX_URL);
    rc = buf_printf(&url, "%s%s", base ? base : "",
                    exchange ? l->exchange_path : l->refresh_path);
    if (rc == ERR_OK)
        rc = net_url_add_param(&url, "grant_type", exchange
                                                       ? l->exchange_grant
                                                       : l->refresh_grant);
    if (rc == ERR_OK && exchange)
        rc = net_url_add_param(&url, "client_secret",
                               pcfg(o, p)->client_secret);
    if (rc == ERR_OK)
        rc = net_url_add_param(&url, "access_token", token);
    if (rc != ERR_OK)
        buf_setf(err, "%s token URL too long", platform_name(p));
    else
        rc = token_call(nc, p, buf_cstr(&url), NULL, t, relogin, err);
    secret_buf_wipe(&url);
    buf_free(&url);
    return rc;
}

/* Meta: swap the short-lived user token for a long-lived one
 * (fb_exchange_token, or the flavour's own exchange when it has a
 * base_key). t is replaced by the new answer; the user id of the code's
 * answer is kept. */
static enum err meta_long_lived(struct oauth *o, struct net_client *nc,
                                enum platform p, const char *login,
                                struct tokens *t, struct buf *err)
{
    struct tokens longer;
    struct buf form;
    bool relogin;
    const struct oauth_login *l = flavour(o, p, login);
    enum err rc;

    if (l != NULL && l->base_key != NULL) {
        rc = login_token_get(o, nc, p, l, true, t->access, &longer,
                             &relogin, err);
        if (rc == ERR_OK) {
            memcpy(longer.user_id, t->user_id, sizeof(t->user_id));
            tokens_free(t);
            *t = longer;
        }
        return rc;
    }
    buf_init(&form, 16384);
    rc = net_form_add(&form, "grant_type", "fb_exchange_token");
    if (rc == ERR_OK)
        rc = form_client(o, p, &form);
    if (rc == ERR_OK)
        rc = net_form_add(&form, "fb_exchange_token", t->access);
    if (rc == ERR_OK)
        rc = token_call(nc, p, pcfg(o, p)->token_url, &form, &longer,
                        &relogin, err);
    if (rc == ERR_OK) {
        tokens_free(t);
        *t = longer;
    }
    secret_buf_wipe(&form);
    return rc;
}

static enum err exchange_code(struct oauth *o, struct net_client *nc,
                              enum platform p, const char *login,
                              const char *code, const char *verifier,
                              struct tokens *t, struct buf *err)
{
    struct buf form;
    bool relogin;
    const struct oauth_login *l = flavour(o, p, login);
    enum err rc;

    buf_init(&form, 16384);
    rc = form_client(o, p, &form);
    /* Facebook Login's Graph exchange takes no grant_type; a flavour
     * says when it wants one */
    if (rc == ERR_OK && (!oauth_quirks(o, p)->meta_exchange ||
                         (l != NULL && l->code_grant_type)))
        rc = net_form_add(&form, "grant_type", "authorization_code");
    if (rc == ERR_OK)
        rc = net_form_add(&form, "code", code);
    if (rc == ERR_OK)
        rc = net_form_add(&form, "redirect_uri", pcfg(o, p)->redirect_uri);
    if (rc == ERR_OK && oauth_quirks(o, p)->pkce)
        rc = net_form_add(&form, "code_verifier", verifier);
    if (rc == ERR_TOOBIG)
        buf_setf(err, "authorization code too long");
    if (rc == ERR_OK)
        rc = token_call(nc, p,
                        flavour_str(o, p, l ? l->token_url_key : NULL,
                                    pcfg(o, p)->token_url),
                        &form, t, &relogin, err);
    secret_buf_wipe(&form);
    return rc;
}

enum err oauth_finish(struct oauth *o, struct store *st,
                      struct net_client *nc, const char *state,
                      const char *code, enum platform *p_out,
                      struct buf *account_out, struct buf *err)
{
    struct store_oauth_state s = {0};
    struct tokens t = {0};
    struct buf verifier;
    const char *account;
    enum err rc;

    buf_init(&verifier, 256);
    if (strlen(state) > 256 || strlen(code) > OAUTH_MAX_TOKEN) {
        buf_setf(err, "state or code too long");
        rc = ERR_INVALID;
        goto out;
    }
    rc = store_oauth_state_take(st, state, time_now(), &s, err);
    if (rc == ERR_OK)
        rc = need_client(o, s.platform, true, err);
    if (rc == ERR_OK)
        rc = secret_open(o->key, s.verifier_sealed, &verifier, err);
    if (rc == ERR_OK)
        rc = exchange_code(o, nc, s.platform, s.login, code,
                           buf_cstr(&verifier), &t, err);
    if (rc == ERR_OK && oauth_quirks(o, s.platform)->meta_exchange)
        rc = meta_long_lived(o, nc, s.platform, s.login, &t, err);
    if (rc != ERR_OK)
        goto out;
    account = s.account != NULL    ? s.account
              : t.open_id != NULL  ? t.open_id
              : t.user_id[0] != 0 ? t.user_id
                                   : OAUTH_DEFAULT_ACCOUNT;
    buf_reset(account_out);
    rc = buf_puts(account_out, account);
    if (rc == ERR_OK)
        rc = save_tokens(o, st, s.platform, account, s.login, &t, true, err);
    if (rc == ERR_OK && p_out != NULL)
        *p_out = s.platform;
    if (rc == ERR_OK) {
        const struct oauth_login *l = flavour(o, s.platform, s.login);
        LOG_INFO("connected %s account %s%s%s%s", platform_name(s.platform),
                 account, l && l->label ? " (" : "",
                 l && l->label ? l->label : "", l && l->label ? ")" : "");
    }
out:
    tokens_free(&t);
    secret_buf_wipe(&verifier);
    store_oauth_state_free(&s);
    return rc;
}

/* ---- refreshing ------------------------------------------------------- */

/* One refresh of c (this thread holds its flight). */
static enum err refresh(struct oauth *o, struct store *st,
                        struct net_client *nc, const struct store_cred *c,
                        struct tokens *t, struct buf *err)
{
    struct buf form, old;
    bool relogin = false;
    enum platform p = c->platform;
    const struct oauth_login *fl = flavour(o, p, c->login);
    enum err rc;

    buf_init(&form, 16384);
    buf_init(&old, 2 * OAUTH_MAX_TOKEN);
    rc = form_client(o, p, &form);
    if (oauth_quirks(o, p)->meta_exchange) {
        /* no refresh token at Meta: exchange the long-lived token again */
        if (rc == ERR_OK && c->access_sealed != NULL)
            rc = secret_open(o->key, c->access_sealed, &old, err);
        if (rc == ERR_OK)
            rc = net_form_add(&form, "grant_type", "fb_exchange_token");
        if (rc == ERR_OK)
            rc = net_form_add(&form, "fb_exchange_token", buf_cstr(&old));
    } else if (c->refresh_sealed == NULL) {
        buf_setf(err, "no refresh token stored");
        relogin = true;
        rc = ERR_INVALID;
    } else {
        if (rc == ERR_OK)
            rc = secret_open(o->key, c->refresh_sealed, &old, err);
        if (rc == ERR_OK)
            rc = net_form_add(&form, "grant_type", "refresh_token");
        if (rc == ERR_OK)
            rc = net_form_add(&form, "refresh_token", buf_cstr(&old));
    }
    if (rc == ERR_OK && fl != NULL && fl->base_key != NULL)
        rc = login_token_get(o, nc, p, fl, false, buf_cstr(&old), t,
                             &relogin, err);
    else if (rc == ERR_OK)
        rc = token_call(nc, p, pcfg(o, p)->token_url, &form, t, &relogin,
                        err);
    if (rc == ERR_OK)
        rc = save_tokens(o, st, p, c->account, NULL, t, false, err);
    if (rc != ERR_OK && relogin) {
        struct buf why;
        buf_init(&why, 512);
        buf_setf(&why, "%s", buf_cstr(err));
        if (store_cred_set_status(st, p, c->account, CRED_NEEDS_RELOGIN,
                                  buf_cstr(&why), time_now(), NULL) != ERR_OK)
            LOG_WARN("could not mark %s account %s as needing a new login",
                     platform_name(p), c->account);
        buf_setf(err, "%s account %s needs a new login (%s): run 'mediadash "
                 "connect %s --account %s'", platform_name(p), c->account,
                 buf_cstr(&why), platform_name(p), c->account);
        buf_free(&why);
        rc = ERR_INVALID;
    }
    secret_buf_wipe(&form);
    secret_buf_wipe(&old);
    return rc;
}

/* ---- access tokens ------------------------------------------------------ */

static bool still_valid(const struct oauth *o, const struct store_cred *c)
{
    return c->expires_at == TIME_NONE ||
           c->expires_at - time_now() > o->cfg->refresh_margin_s;
}

static enum err access_token(struct oauth *o, struct store *st,
                             struct net_client *nc, enum platform p,
                             const char *account, const char *rejected,
                             struct buf *out, struct buf *err)
{
    struct store_cred c = {0};
    struct tokens t = {0};
    size_t f = flight_enter(o, p, account);
    enum err rc;

    buf_reset(out);
    rc = store_cred_get(st, p, account, &c, err);
    if (rc != ERR_OK)
        goto out;
    if (c.status == CRED_NEEDS_RELOGIN) {
        buf_setf(err, "%s account %s needs a new login (%s): run 'mediadash "
                 "connect %s --account %s'", platform_name(p), account,
                 c.last_error ? c.last_error : "refused", platform_name(p),
                 account);
        rc = ERR_INVALID;
        goto out;
    }
    if (c.access_sealed != NULL && still_valid(o, &c)) {
        rc = secret_open(o->key, c.access_sealed, out, err);
        if (rc != ERR_OK ||
            (rejected == NULL || strcmp(buf_cstr(out), rejected) != 0))
            goto out; /* valid, or another caller already replaced it */
        secret_buf_wipe(out);
    }
    rc = need_client(o, p, true, err);
    if (rc == ERR_OK)
        rc = refresh(o, st, nc, &c, &t, err);
    if (rc == ERR_OK)
        rc = buf_puts(out, t.access);
    if (rc == ERR_OK)
        LOG_INFO("refreshed the %s access token of account %s (expires in "
                 "%lld s)", platform_name(p), account,
                 (long long)t.expires_in);
out:
    flight_leave(o, f);
    if (rc != ERR_OK)
        secret_buf_wipe(out);
    tokens_free(&t);
    store_cred_free(&c);
    return rc;
}

enum err oauth_access_token(struct oauth *o, struct store *st,
                            struct net_client *nc, enum platform p,
                            const char *account, struct buf *out,
                            struct buf *err)
{
    return access_token(o, st, nc, p, account, NULL, out, err);
}

enum err oauth_access_token_rejected(struct oauth *o, struct store *st,
                                     struct net_client *nc, enum platform p,
                                     const char *account,
                                     const char *rejected, struct buf *out,
                                     struct buf *err)
{
    return access_token(o, st, nc, p, account, rejected, out, err);
}

/* ---- renewal on its own schedule ----------------------------------------- */

enum oauth_renew oauth_renew_need(const struct platform_oauth *q,
                                  const struct config *cfg,
                                  const struct store_cred *c, int64_t now)
{
    const struct platform_oauth *r = q != NULL ? q : &plain_flow;

    if (!r->renews_access || c->status != CRED_OK ||
        c->expires_at == TIME_NONE)
        return OAUTH_RENEW_NOT_DUE;
    if (c->expires_at <= now)
        return OAUTH_RENEW_EXPIRED;
    if (c->expires_at - now >= cfg->renew_before_days * DAY_S)
        return OAUTH_RENEW_NOT_DUE;
    if (c->issued_at != TIME_NONE && now - c->issued_at < r->min_age_s)
        return OAUTH_RENEW_TOO_YOUNG;
    return OAUTH_RENEW_DUE;
}

int64_t oauth_login_deadline(const struct platform_oauth *q,
                             const struct store_cred *c)
{
    if (c->status != CRED_OK)
        return TIME_NONE;
    return q != NULL && q->renews_access ? c->expires_at
                                         : c->refresh_expires_at;
}

int64_t oauth_days_left(int64_t end, int64_t now)
{
    return end > now ? (end - now) / DAY_S : 0;
}

/* The long-lived token of c ended unrenewed: mark it needs_relogin. */
static enum err renew_expired(struct store *st, const struct store_cred *c,
                              struct buf *err)
{
    struct buf why, when;
    enum err rc;

    buf_init(&why, 512);
    buf_init(&when, 64);
    if (time_format_iso8601(c->expires_at, &when) != ERR_OK)
        buf_setf(&when, "%lld", (long long)c->expires_at);
    buf_setf(&why, "the long-lived token expired at %s and can no longer be "
             "renewed", buf_cstr(&when));
    rc = store_cred_set_status(st, c->platform, c->account,
                               CRED_NEEDS_RELOGIN, buf_cstr(&why),
                               time_now(), err);
    LOG_WARN("%s account %s: %s: a new login is needed",
             platform_name(c->platform), c->account, buf_cstr(&why));
    if (rc == ERR_OK) {
        buf_setf(err, "%s account %s needs a new login (%s): run 'mediadash "
                 "connect %s --account %s'", platform_name(c->platform),
                 c->account, buf_cstr(&why), platform_name(c->platform),
                 c->account);
        rc = ERR_INVALID;
    }
    buf_free(&why);
    buf_free(&when);
    return rc;
}

/* A renewal of c that failed for now (err says why): remember it for the
 * Sources page and the banner, and log when the login ends. */
static void renew_failed(struct store *st, const struct store_cred *c,
                         int64_t now, struct buf *err)
{
    struct buf ignored;
    int64_t days = (c->expires_at - now) / DAY_S;

    buf_init(&ignored, 256);
    if (store_cred_set_renew_error(st, c->platform, c->account,
                                   buf_cstr(err), &ignored) != ERR_OK)
        LOG_WARN("could not record the failed renewal: %s",
                 buf_cstr(&ignored));
    LOG_WARN("renewing the %s token of account %s failed (%s); the login "
             "expires in %lld day%s unless a later renewal works",
             platform_name(c->platform), c->account, buf_cstr(err),
             (long long)days, days == 1 ? "" : "s");
    buf_free(&ignored);
}

enum err oauth_renew_if_due(struct oauth *o, struct store *st,
                            struct net_client *nc, enum platform p,
                            const char *account, int64_t now, bool *renewed,
                            struct buf *err)
{
    struct store_cred c = {0};
    struct tokens t = {0};
    size_t f = flight_enter(o, p, account);
    enum oauth_renew need;
    enum err rc;

    *renewed = false;
    rc = store_cred_get(st, p, account, &c, err);
    need = rc == ERR_OK ? oauth_renew_need(oauth_quirks(o, c.platform), o->cfg, &c, now)
                        : OAUTH_RENEW_NOT_DUE;
    if (need == OAUTH_RENEW_EXPIRED)
        rc = renew_expired(st, &c, err);
    if (need != OAUTH_RENEW_DUE)
        goto out;
    rc = need_client(o, p, true, err);
    if (rc == ERR_OK)
        rc = refresh(o, st, nc, &c, &t, err);
    if (rc == ERR_OK) {
        *renewed = true;
        LOG_INFO("renewed the %s token of account %s ahead of its end "
                 "(now valid %lld s)", platform_name(p), account,
                 (long long)t.expires_in);
    } else if (rc != ERR_INVALID && rc != ERR_DB) {
        renew_failed(st, &c, now, err);
    }
out:
    flight_leave(o, f);
    tokens_free(&t);
    store_cred_free(&c);
    return rc;
}
