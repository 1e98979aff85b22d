/* net/oauth against the fake platform server (a real python3 process on
 * 127.0.0.1) with a real SQLite file and a real key file: consent URLs,
 * code exchange, refresh on expiry, single-flight refresh under threads,
 * invalid_grant -> needs_relogin with no further requests, oauth_send's
 * bearer-send-refresh-resend, and no token in plain text in the database
 * or its WAL. */
#include "testutil.h"

#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/config.h"
#include "core/secret.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "net/net.h"
#include "net/oauth.h"
#include "net/oauth_send.h"
#include "platforms/platform.h"
#include "store/store.h"

#define REDIRECT "http://127.0.0.1:1/oauth/callback"
#define NTHREADS 8

struct fx {
    struct tu_fake fake;
    struct net_client *nc; /* the test thread's */
    char *dir, *db;
    struct store *st;
    struct config cfg;
    struct secret_key *key;
    struct oauth *o;
    struct buf err;
};

static char *url(const struct fx *fx, const char *path)
{
    return tu_fake_url(&fx->fake, path);
}

static struct net_client *client(void)
{
    struct net_config cfg;
    struct net_client *c = NULL;
    struct buf err;
    net_config_defaults(&cfg);
    cfg.timeout_ms = 10000;
    cfg.max_retries = 0;
    buf_init(&err, 512);
    assert_int_equal(net_client_create(&cfg, &c, &err), ERR_OK);
    buf_free(&err);
    return c;
}

static void control(struct fx *fx, const char *body)
{
    tu_fake_control(&fx->fake, body);
}

/* paths[path] of GET /_stats, or the top-level key without a slash. */
static long long stat_of(struct fx *fx, const char *path)
{
    return tu_fake_stat(&fx->fake, path);
}

static void set(struct fx *fx, const char *key, const char *value)
{
    assert_int_equal(config_set(&fx->cfg, key, value, CONFIG_SRC_ENV,
                                &fx->err), ERR_OK);
}

static void set_url(struct fx *fx, const char *key, const char *path)
{
    char *u = url(fx, path);
    set(fx, key, u);
    free(u);
}

static int group_setup(void **state)
{
    struct fx *fx = xcalloc(1, sizeof(*fx));
    assert_true(sodium_init() >= 0);
    tu_fake_start(&fx->fake, 180);
    fx->nc = client();
    *state = fx;
    return 0;
}

static int group_teardown(void **state)
{
    struct fx *fx = *state;
    net_client_destroy(fx->nc);
    tu_fake_stop(&fx->fake);
    free(fx);
    return 0;
}

static int setup(void **state)
{
    struct fx *fx = *state;
    buf_init(&fx->err, 2048);
    control(fx, "{\"reset\": true}");
    fx->dir = tu_tmpdir();
    fx->db = xmalloc(strlen(fx->dir) + 8);
    memcpy(fx->db, fx->dir, strlen(fx->dir));
    memcpy(fx->db + strlen(fx->dir), "/md.db", 7);
    assert_int_equal(store_open(fx->db, &fx->st, &fx->err), ERR_OK);
    config_init(&fx->cfg);
    set(fx, "youtube.client_id", "fake-google-client");
    set(fx, "youtube.client_secret", "fake-google-secret");
    set_url(fx, "youtube.token_url", "/token");
    set(fx, "instagram.client_id", "fake-meta-app");
    set(fx, "instagram.client_secret", "fake-meta-secret");
    set_url(fx, "instagram.token_url", "/v21.0/oauth/access_token");
    set(fx, "tiktok.client_id", "fake-tiktok-key");
    set(fx, "tiktok.client_secret", "fake-tiktok-secret");
    set_url(fx, "tiktok.token_url", "/v2/oauth/token/");
    for (int p = 0; p < PLATFORM_COUNT; p++) {
        char key[64];
        int n = snprintf(key, sizeof(key), "%s.redirect_uri",
                         platform_name((enum platform)p));
        assert_true(n > 0 && (size_t)n < sizeof(key));
        set(fx, key, REDIRECT);
    }
    assert_int_equal(config_finish(&fx->cfg, fx->db, &fx->err), ERR_OK);
    assert_int_equal(secret_key_load(fx->cfg.secret_key_file, true, &fx->key,
                                     &fx->err), ERR_OK);
    assert_int_equal(oauth_create(&fx->cfg, fx->key, platform_oauth_of, &fx->o), ERR_OK);
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    oauth_destroy(fx->o);
    secret_key_destroy(fx->key);
    store_close(fx->st);
    config_free(&fx->cfg);
    tu_rmdir(fx->dir);
    free(fx->dir);
    free(fx->db);
    buf_free(&fx->err);
    return 0;
}

/* The value of query parameter name in u (unreserved characters only).
 * Caller frees. */
static char *param(const char *u, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strchr(u, '?'); p != NULL; p = strchr(p + 1, '&')) {
        if (strncmp(p + 1, name, n) == 0 && p[1 + n] == '=') {
            const char *v = p + 2 + n;
            return xstrndup(v, strcspn(v, "&"));
        }
    }
    return NULL;
}

/* Begin a consent for p, let the fake issue `code` for it (as the
 * consent page would), and finish; returns the account. Caller frees. */
static char *connect_platform(struct fx *fx, enum platform p,
                              const char *account, const char *code)
{
    struct buf u, state, ctl, acct;
    char *chal, *client, *st_param;
    enum platform got;

    buf_init(&u, 8192);
    buf_init(&state, 256);
    buf_init(&ctl, 4096);
    buf_init(&acct, 256);
    assert_int_equal(oauth_begin(fx->o, fx->st, p, account, &u, &state,
                                 &fx->err), ERR_OK);
    chal = param(buf_cstr(&u), "code_challenge");
    client = param(buf_cstr(&u), p == PLATFORM_TIKTOK ? "client_key"
                                                      : "client_id");
    assert_non_null(client);
    st_param = param(buf_cstr(&u), "state");
    assert_non_null(st_param);
    assert_string_equal(st_param, buf_cstr(&state));
    free(st_param);
    assert_int_equal(buf_printf(&ctl, "{\"oauth_codes\": {\"%s\": {"
                                "\"client_id\": \"%s\", \"redirect_uri\": "
                                "\"%s\"%s%s%s}}}", code, client, REDIRECT,
                                chal ? ", \"code_challenge\": \"" : "",
                                chal ? chal : "", chal ? "\"" : ""),
                     ERR_OK);
    control(fx, buf_cstr(&ctl));
    if (oauth_finish(fx->o, fx->st, fx->nc, buf_cstr(&state), code, &got,
                     &acct, &fx->err) != ERR_OK)
        fail_msg("oauth_finish: %s", buf_cstr(&fx->err));
    assert_int_equal(got, p);
    /* the state is single use */
    assert_int_equal(oauth_finish(fx->o, fx->st, fx->nc, buf_cstr(&state),
                                  code, &got, &acct, &fx->err),
                     ERR_NOTFOUND);
    free(chal);
    free(client);
    buf_free(&u);
    buf_free(&state);
    buf_free(&ctl);
    return buf_steal(&acct);
}

/* The access token (must succeed). Caller frees. */
static char *token(struct fx *fx, enum platform p, const char *acct)
{
    struct buf t;
    buf_init(&t, 8192);
    if (oauth_access_token(fx->o, fx->st, fx->nc, p, acct, &t, &fx->err) !=
        ERR_OK)
        fail_msg("oauth_access_token: %s", buf_cstr(&fx->err));
    return buf_steal(&t);
}

/* GET an API path with the token: does the fake accept it? */
static long api_status(struct fx *fx, const char *path, const char *tok)
{
    char *u = url(fx, path);
    struct buf h, err;
    const char *hdrs[2] = {NULL, NULL};
    struct net_req req = {.method = NET_GET, .url = u, .headers = hdrs};
    struct net_resp r;
    long status;

    buf_init(&h, 8192);
    buf_init(&err, 512);
    assert_int_equal(buf_printf(&h, "Authorization: Bearer %s", tok), ERR_OK);
    hdrs[0] = buf_cstr(&h);
    net_resp_init(&r);
    if (net_request(fx->nc, &req, &r, &err) != ERR_OK && r.status == 0)
        fail_msg("%s", buf_cstr(&err));
    status = r.status;
    net_resp_free(&r);
    buf_free(&h);
    buf_free(&err);
    free(u);
    return status;
}

static void test_consent_url(void **state)
{
    struct fx *fx = *state;
    struct buf u, st;
    char *v;

    buf_init(&u, 8192);
    buf_init(&st, 256);
    assert_int_equal(oauth_begin(fx->o, fx->st, PLATFORM_YOUTUBE, "UC1", &u,
                                 &st, &fx->err), ERR_OK);
    assert_true(str_has_prefix(buf_cstr(&u),
                               "https://accounts.google.com/o/oauth2/v2/auth?"
                               "client_id=fake-google-client&redirect_uri="
                               "http%3A%2F%2F127.0.0.1%3A1%2Foauth%2F"
                               "callback&response_type=code&scope="));
    assert_non_null(strstr(buf_cstr(&u), "&access_type=offline"));
    assert_non_null(strstr(buf_cstr(&u), "&code_challenge_method=S256"));
    v = param(buf_cstr(&u), "code_challenge");
    assert_int_equal(strlen(v), 43); /* base64url of 32 bytes */
    free(v);
    assert_true(st.len >= 32);
    assert_int_equal(oauth_begin(fx->o, fx->st, PLATFORM_TIKTOK, NULL, &u,
                                 &st, &fx->err), ERR_OK);
    assert_true(str_has_prefix(buf_cstr(&u), "https://www.tiktok.com/v2/auth/"
                               "authorize/?client_key=fake-tiktok-key&"));
    v = param(buf_cstr(&u), "code_challenge");
    assert_int_equal(strlen(v), 64); /* TikTok: hex */
    free(v);
    assert_int_equal(oauth_begin(fx->o, fx->st, PLATFORM_INSTAGRAM, NULL, &u,
                                 &st, &fx->err), ERR_OK);
    assert_null(strstr(buf_cstr(&u), "code_challenge"));
    /* without a client id: a clear error */
    free(fx->cfg.plat[PLATFORM_YOUTUBE].client_id);
    fx->cfg.plat[PLATFORM_YOUTUBE].client_id = NULL;
    assert_int_equal(oauth_begin(fx->o, fx->st, PLATFORM_YOUTUBE, NULL, &u,
                                 &st, &fx->err), ERR_INVALID);
    assert_non_null(strstr(buf_cstr(&fx->err), "MEDIADASH_YOUTUBE_CLIENT_ID"));
    /* a made-up state is refused without a request */
    assert_int_equal(oauth_finish(fx->o, fx->st, fx->nc, "forged", "code",
                                  NULL, &u, &fx->err), ERR_NOTFOUND);
    assert_int_equal(stat_of(fx, "total"), 0);
    buf_free(&u);
    buf_free(&st);
}

/* Connect, use the token, refresh when it is about to expire (Google
 * sends no new refresh token: the stored one keeps working). */
static void test_youtube_connect_refresh(void **state)
{
    struct fx *fx = *state;
    char *acct, *t1, *t2, *t3;
    struct store_cred c;

    acct = connect_platform(fx, PLATFORM_YOUTUBE, "UCmediadashDemoChannel01",
                            "yt-code-1");
    assert_string_equal(acct, "UCmediadashDemoChannel01");
    assert_int_equal(stat_of(fx, "/token"), 1);
    control(fx, "{\"access_tokens\": [\"other\"]}"); /* enforce tokens */
    t1 = token(fx, PLATFORM_YOUTUBE, acct);
    assert_true(str_has_prefix(t1, "fake-at-"));
    assert_int_equal(stat_of(fx, "/token"), 1); /* still valid: no request */
    assert_int_equal(api_status(fx, "/youtube/v3/channels?part=id&mine=true",
                                t1), 200);
    /* tokens now expire within the margin (300 s): each use refreshes */
    control(fx, "{\"expires_in\": 100}");
    assert_int_equal(store_cred_get(fx->st, PLATFORM_YOUTUBE, acct, &c,
                                    &fx->err), ERR_OK);
    store_cred_free(&c);
    fx->cfg.refresh_margin_s = 3600; /* 3599 s left: refresh now */
    t2 = token(fx, PLATFORM_YOUTUBE, acct);
    assert_int_equal(stat_of(fx, "/token"), 2);
    assert_string_not_equal(t1, t2);
    t3 = token(fx, PLATFORM_YOUTUBE, acct);
    assert_int_equal(stat_of(fx, "/token"), 3); /* the kept refresh token */
    assert_int_equal(api_status(fx, "/youtube/v3/channels?part=id&mine=true",
                                t3), 200);
    assert_int_equal(store_cred_get(fx->st, PLATFORM_YOUTUBE, acct, &c,
                                    &fx->err), ERR_OK);
    assert_non_null(c.refresh_sealed);
    assert_int_equal(c.status, CRED_OK);
    assert_true(c.expires_at <= time_now() + 100);
    store_cred_free(&c);
    free(acct);
    free(t1);
    free(t2);
    free(t3);
}

struct worker {
    struct fx *fx;
    pthread_barrier_t *go;
    const char *account;
    const char *rejected; /* NULL: plain oauth_access_token */
    enum err rc;
    char *token;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    struct store *st = NULL;
    struct net_client *nc = client();
    struct buf t, err;

    buf_init(&t, 8192);
    buf_init(&err, 2048);
    if (store_open(w->fx->db, &st, &err) != ERR_OK) {
        w->rc = ERR_DB;
        goto out;
    }
    pthread_barrier_wait(w->go);
    w->rc = w->rejected == NULL
                ? oauth_access_token(w->fx->o, st, nc, PLATFORM_YOUTUBE,
                                     w->account, &t, &err)
                : oauth_access_token_rejected(w->fx->o, st, nc,
                                              PLATFORM_YOUTUBE, w->account,
                                              w->rejected, &t, &err);
    w->token = buf_steal(&t);
out:
    store_close(st);
    net_client_destroy(nc);
    buf_free(&t);
    buf_free(&err);
    return NULL;
}

/* N threads at once: one token request, one token for all. */
static void run_threads(struct fx *fx, const char *acct, const char *rejected,
                        enum err want)
{
    pthread_t th[NTHREADS];
    struct worker w[NTHREADS];
    pthread_barrier_t go;

    assert_int_equal(pthread_barrier_init(&go, NULL, NTHREADS), 0);
    for (int i = 0; i < NTHREADS; i++) {
        w[i] = (struct worker){fx, &go, acct, rejected, ERR_OK, NULL};
        assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < NTHREADS; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    pthread_barrier_destroy(&go);
    for (int i = 0; i < NTHREADS; i++) {
        assert_int_equal(w[i].rc, want);
        if (want != ERR_OK)
            continue;
        assert_string_equal(w[i].token, w[0].token);
        if (rejected != NULL)
            assert_string_not_equal(w[i].token, rejected);
    }
    for (int i = 0; i < NTHREADS; i++)
        free(w[i].token);
}

static void test_single_flight(void **state)
{
    struct fx *fx = *state;
    char *acct, *t1;

    /* the first token expires within the margin (300 s), the next not */
    control(fx, "{\"expires_in\": 100}");
    acct = connect_platform(fx, PLATFORM_YOUTUBE, "UC1", "code-sf");
    assert_int_equal(stat_of(fx, "/token"), 1);
    /* slow token endpoint, so the threads overlap the refresh */
    control(fx, "{\"token_delay\": 0.3, \"expires_in\": 3599}");
    run_threads(fx, acct, NULL, ERR_OK);
    assert_int_equal(stat_of(fx, "/token"), 2); /* exactly one refresh */
    /* a 401 seen by every thread: again exactly one refresh */
    t1 = token(fx, PLATFORM_YOUTUBE, acct);
    assert_int_equal(stat_of(fx, "/token"), 2);
    run_threads(fx, acct, t1, ERR_OK);
    assert_int_equal(stat_of(fx, "/token"), 3);
    free(t1);
    free(acct);
}

/* invalid_grant: needs_relogin, a clear error, and no more requests. */
static void test_invalid_grant(void **state)
{
    struct fx *fx = *state;
    char *acct = connect_platform(fx, PLATFORM_YOUTUBE, "UC1", "code-ig");
    struct store_cred c;
    struct buf t;
    long long total;

    buf_init(&t, 8192);
    control(fx, "{\"revoke_refresh\": true}");
    fx->cfg.refresh_margin_s = 86400;
    assert_int_equal(oauth_access_token(fx->o, fx->st, fx->nc,
                                        PLATFORM_YOUTUBE, acct, &t, &fx->err),
                     ERR_INVALID);
    assert_int_equal(t.len, 0);
    assert_non_null(strstr(buf_cstr(&fx->err), "needs a new login"));
    assert_non_null(strstr(buf_cstr(&fx->err), "invalid_grant"));
    assert_non_null(strstr(buf_cstr(&fx->err),
                           "mediadash connect youtube --account UC1"));
    assert_null(strstr(buf_cstr(&fx->err), "fake-"));
    assert_int_equal(store_cred_get(fx->st, PLATFORM_YOUTUBE, acct, &c,
                                    &fx->err), ERR_OK);
    assert_int_equal(c.status, CRED_NEEDS_RELOGIN);
    assert_non_null(strstr(c.last_error, "invalid_grant"));
    store_cred_free(&c);
    total = stat_of(fx, "total");
    for (int i = 0; i < 3; i++) {
        assert_int_equal(oauth_access_token(fx->o, fx->st, fx->nc,
                                            PLATFORM_YOUTUBE, acct, &t,
                                            &fx->err), ERR_INVALID);
        assert_non_null(strstr(buf_cstr(&fx->err), "needs a new login"));
    }
    run_threads(fx, acct, NULL, ERR_INVALID);
    /* only the /_stats reads themselves */
    assert_int_equal(stat_of(fx, "total"), total);
    assert_int_equal(oauth_access_token(fx->o, fx->st, fx->nc,
                                        PLATFORM_TIKTOK, "nobody", &t,
                                        &fx->err), ERR_NOTFOUND);
    buf_free(&t);
    free(acct);
}

/* The sealed refresh token of (p, acct), opened. Caller frees. */
static char *refresh_of(struct fx *fx, enum platform p, const char *acct)
{
    struct store_cred c;
    struct buf rt;

    buf_init(&rt, 8192);
    assert_int_equal(store_cred_get(fx->st, p, acct, &c, &fx->err), ERR_OK);
    assert_non_null(c.refresh_sealed);
    assert_int_equal(secret_open(fx->key, c.refresh_sealed, &rt, &fx->err),
                     ERR_OK);
    store_cred_free(&c);
    return buf_steal(&rt);
}

/* A refresh answer without a refresh token, or with an empty one, keeps
 * the stored refresh token (and it still works afterwards). */
static void test_refresh_token_kept(void **state)
{
    struct fx *fx = *state;
    char *acct = connect_platform(fx, PLATFORM_YOUTUBE, "UC1", "code-k");
    char *rt0 = refresh_of(fx, PLATFORM_YOUTUBE, acct), *rt;
    char *t1, *t2, *t3;

    assert_true(str_has_prefix(rt0, "fake-rt-"));
    fx->cfg.refresh_margin_s = 86400; /* every call refreshes */
    t1 = token(fx, PLATFORM_YOUTUBE, acct); /* Google: no refresh_token */
    rt = refresh_of(fx, PLATFORM_YOUTUBE, acct);
    assert_string_equal(rt, rt0);
    free(rt);
    control(fx, "{\"faults\": [{\"path\": \"/token\", \"kind\": "
                "\"status\", \"status\": 200, \"body\": {\"access_token\":"
                " \"fake-at-from-fault\", \"expires_in\": 3599, "
                "\"refresh_token\": \"\", \"token_type\": \"Bearer\"}}]}");
    t2 = token(fx, PLATFORM_YOUTUBE, acct);
    assert_string_equal(t2, "fake-at-from-fault");
    rt = refresh_of(fx, PLATFORM_YOUTUBE, acct);
    assert_string_equal(rt, rt0);
    free(rt);
    t3 = token(fx, PLATFORM_YOUTUBE, acct); /* the kept one still works */
    assert_true(str_has_prefix(t3, "fake-at-"));
    assert_string_not_equal(t3, t2);
    assert_int_equal(stat_of(fx, "/token"), 4);
    free(t1);
    free(t2);
    free(t3);
    free(rt0);
    free(acct);
}

/* A malformed token response is an error, and changes nothing. */
static void test_bad_token_response(void **state)
{
    struct fx *fx = *state;
    char *acct = connect_platform(fx, PLATFORM_YOUTUBE, "UC1", "code-b");
    struct store_cred before, after;
    struct buf t;

    buf_init(&t, 8192);
    assert_int_equal(store_cred_get(fx->st, PLATFORM_YOUTUBE, acct, &before,
                                    &fx->err), ERR_OK);
    fx->cfg.refresh_margin_s = 86400;
    control(fx, "{\"faults\": [{\"path\": \"/token\", \"kind\": "
                "\"status\", \"status\": 200, \"body\": {\"access_token\":"
                " 42}}, {\"path\": \"/token\", \"kind\": \"malformed\"},"
                " {\"path\": \"/token\", \"kind\": \"status\", "
                "\"status\": 503}]}");
    assert_int_equal(oauth_access_token(fx->o, fx->st, fx->nc,
                                        PLATFORM_YOUTUBE, acct, &t, &fx->err),
                     ERR_PARSE);
    assert_non_null(strstr(buf_cstr(&fx->err), "access_token"));
    assert_int_equal(oauth_access_token(fx->o, fx->st, fx->nc,
                                        PLATFORM_YOUTUBE, acct, &t, &fx->err),
                     ERR_PARSE);
    /* a 5xx is transient: still ok, not needs_relogin */
    assert_int_equal(oauth_access_token(fx->o, fx->st, fx->nc,
                                        PLATFORM_YOUTUBE, acct, &t, &fx->err),
                     ERR_UPSTREAM);
    assert_int_equal(store_cred_get(fx->st, PLATFORM_YOUTUBE, acct, &after,
                                    &fx->err), ERR_OK);
    assert_string_equal(after.access_sealed, before.access_sealed);
    assert_string_equal(after.refresh_sealed, before.refresh_sealed);
    assert_int_equal(after.status, CRED_OK);
    store_cred_free(&before);
    store_cred_free(&after);
    buf_free(&t);
    free(acct);
}

/* TikTok: hex PKCE, the account is the open_id, refresh returns a
 * refresh token. */
static void test_tiktok(void **state)
{
    struct fx *fx = *state;
    char *acct = connect_platform(fx, PLATFORM_TIKTOK, NULL, "tt-code");
    char *t1, *t2;

    assert_string_equal(acct, "-000mediadashDemoOpenId0001");
    t1 = token(fx, PLATFORM_TIKTOK, acct);
    fx->cfg.refresh_margin_s = 86400;
    t2 = token(fx, PLATFORM_TIKTOK, acct);
    assert_string_not_equal(t1, t2);
    assert_int_equal(stat_of(fx, "/v2/oauth/token/"), 2);
    control(fx, "{\"access_tokens\": [\"other\"]}");
    assert_int_equal(api_status(fx, "/v2/user/info/?fields=open_id", t2), 200);
    assert_int_equal(api_status(fx, "/v2/user/info/?fields=open_id", "nope"),
                     401);
    free(t1);
    free(t2);
    free(acct);
}

/* Meta: code exchange, then the long-lived exchange; "refresh" exchanges
 * the long-lived token again; an invalid session (190) is a relogin. */
static void test_instagram(void **state)
{
    struct fx *fx = *state;
    char *acct = connect_platform(fx, PLATFORM_INSTAGRAM, "17841400000000001",
                                  "ig-code");
    struct buf t, ctl;
    char *t1, *t2;

    buf_init(&t, 8192);
    buf_init(&ctl, 1024);
    assert_int_equal(stat_of(fx, "/v21.0/oauth/access_token"), 2);
    t1 = token(fx, PLATFORM_INSTAGRAM, acct);
    fx->cfg.refresh_margin_s = 86400;
    t2 = token(fx, PLATFORM_INSTAGRAM, acct);
    assert_string_not_equal(t1, t2);
    assert_int_equal(stat_of(fx, "/v21.0/oauth/access_token"), 3);
    assert_int_equal(buf_printf(&ctl, "{\"revoke_access\": [\"%s\"]}", t2),
                     ERR_OK);
    control(fx, buf_cstr(&ctl));
    assert_int_equal(oauth_access_token(fx->o, fx->st, fx->nc,
                                        PLATFORM_INSTAGRAM, acct, &t,
                                        &fx->err), ERR_INVALID);
    assert_non_null(strstr(buf_cstr(&fx->err), "Graph error 190"));
    assert_int_equal(oauth_access_token(fx->o, fx->st, fx->nc,
                                        PLATFORM_INSTAGRAM, acct, &t,
                                        &fx->err), ERR_INVALID);
    assert_int_equal(stat_of(fx, "/v21.0/oauth/access_token"), 4);
    buf_free(&t);
    buf_free(&ctl);
    free(t1);
    free(t2);
    free(acct);
}

/* A wrong PKCE verifier (another state's) is refused by the platform. */
static void test_wrong_verifier(void **state)
{
    struct fx *fx = *state;
    struct buf u, st, acct;

    buf_init(&u, 8192);
    buf_init(&st, 256);
    buf_init(&acct, 256);
    assert_int_equal(oauth_begin(fx->o, fx->st, PLATFORM_TIKTOK, NULL, &u,
                                 &st, &fx->err), ERR_OK);
    control(fx, "{\"oauth_codes\": {\"c\": {\"client_id\": "
                "\"fake-tiktok-key\", \"code_challenge\": \"00ff\"}}}");
    assert_int_equal(oauth_finish(fx->o, fx->st, fx->nc, buf_cstr(&st), "c",
                                  NULL, &acct, &fx->err), ERR_UPSTREAM);
    assert_non_null(strstr(buf_cstr(&fx->err), "invalid_request"));
    buf_free(&u);
    buf_free(&st);
    buf_free(&acct);
}

static bool file_has(const char *path, const char *needle)
{
    struct buf b, why;
    bool found = false;
    size_t n = strlen(needle);

    buf_init(&b, (size_t)64 << 20);
    buf_init(&why, 256);
    if (buf_read_file(&b, path, &why) == ERR_OK) {
        for (size_t i = 0; i + n <= b.len && !found; i++)
            found = memcmp(b.data + i, needle, n) == 0;
    }
    buf_free(&b);
    buf_free(&why);
    return found;
}

/* Tokens are sealed: neither the database nor its WAL holds one. */
static void test_no_plain_tokens(void **state)
{
    struct fx *fx = *state;
    char *acct = connect_platform(fx, PLATFORM_TIKTOK, NULL, "tt-code-2");
    char *t1 = token(fx, PLATFORM_TIKTOK, acct);
    char *wal = xmalloc(strlen(fx->db) + 5);
    struct store_cred c;
    struct buf rt;

    memcpy(wal, fx->db, strlen(fx->db));
    memcpy(wal + strlen(fx->db), "-wal", 5);
    buf_init(&rt, 8192);
    assert_int_equal(store_cred_get(fx->st, PLATFORM_TIKTOK, acct, &c,
                                    &fx->err), ERR_OK);
    assert_int_equal(secret_open(fx->key, c.refresh_sealed, &rt, &fx->err),
                     ERR_OK);
    assert_true(str_has_prefix(buf_cstr(&rt), "fake-rt-"));
    assert_true(file_has(wal, "v1:") || file_has(fx->db, "v1:"));
    assert_false(file_has(fx->db, t1));
    assert_false(file_has(wal, t1));
    assert_false(file_has(fx->db, buf_cstr(&rt)));
    assert_false(file_has(wal, buf_cstr(&rt)));
    assert_false(file_has(fx->db, "fake-at-"));
    assert_false(file_has(wal, "fake-at-"));
    assert_false(file_has(wal, "fake-rt-"));
    store_cred_free(&c);
    secret_buf_wipe(&rt);
    free(wal);
    free(t1);
    free(acct);
}

/* One oauth_send GET of path in session s; the answer's status. */
static long send_get(struct fx *fx, struct oauth_session *s,
                     const char *path, enum err want)
{
    static const char *const hdrs[] = {"Accept: application/json", NULL};
    char *u = url(fx, path);
    struct net_req req = {.method = NET_GET, .url = u, .headers = hdrs};
    struct net_resp r;
    long status;

    net_resp_init(&r);
    if (oauth_send(s, &req, &r, &fx->err) != want)
        fail_msg("oauth_send %s: %s", path, buf_cstr(&fx->err));
    assert_null(strstr(buf_cstr(&fx->err), "fake-at-")); /* no token */
    status = r.status;
    net_resp_free(&r);
    free(u);
    return status;
}

/* oauth_send: the bearer goes out; a refused token is refreshed once and
 * the request sent again; refresh_once holds a session to one refresh;
 * a missing credential sends nothing and says a login is needed. */
static void test_oauth_send(void **state)
{
    struct fx *fx = *state;
    const char *path = "/youtube/v3/channels?part=id&mine=true";
    char *acct = connect_platform(fx, PLATFORM_YOUTUBE, "UCsend", "yt-send");
    struct oauth_session s, once, none;
    struct buf ctl;
    char *t1;

    buf_init(&ctl, 1024);
    control(fx, "{\"access_tokens\": [\"other\"]}"); /* enforce tokens */
    oauth_session_init(&s, fx->o, fx->st, fx->nc, PLATFORM_YOUTUBE, acct);
    assert_int_equal(send_get(fx, &s, path, ERR_OK), 200);
    assert_int_equal(s.sends, 1);
    assert_false(s.refreshed);
    assert_int_equal(stat_of(fx, "/token"), 1); /* the consent's only */
    t1 = xstrdup(buf_cstr(&s.token));
    /* the platform stops taking t1: 401, one refresh, sent again */
    buf_reset(&ctl);
    assert_int_equal(buf_printf(&ctl, "{\"revoke_access\": [\"%s\"]}", t1),
                     ERR_OK);
    control(fx, buf_cstr(&ctl));
    assert_int_equal(send_get(fx, &s, path, ERR_OK), 200);
    assert_int_equal(s.sends, 2);
    assert_true(s.refreshed);
    assert_int_equal(stat_of(fx, "/token"), 2);
    assert_string_not_equal(buf_cstr(&s.token), t1);
    /* a session limited to one refresh: the second refusal stands */
    oauth_session_init(&once, fx->o, fx->st, fx->nc, PLATFORM_YOUTUBE, acct);
    once.refresh_once = true;
    assert_int_equal(send_get(fx, &once, path, ERR_OK), 200);
    buf_reset(&ctl);
    assert_int_equal(buf_printf(&ctl, "{\"revoke_access\": [\"%s\"]}",
                                buf_cstr(&once.token)), ERR_OK);
    control(fx, buf_cstr(&ctl));
    assert_int_equal(send_get(fx, &once, path, ERR_OK), 200); /* refreshed */
    assert_int_equal(stat_of(fx, "/token"), 3);
    buf_reset(&ctl);
    assert_int_equal(buf_printf(&ctl, "{\"revoke_access\": [\"%s\"]}",
                                buf_cstr(&once.token)), ERR_OK);
    control(fx, buf_cstr(&ctl));
    assert_int_equal(send_get(fx, &once, path, ERR_UPSTREAM), 401);
    assert_int_equal(once.sends, 1);
    assert_int_equal(stat_of(fx, "/token"), 3); /* no second refresh */
    assert_false(once.token_failed);
    /* no credential: nothing sent, a login is needed */
    oauth_session_init(&none, fx->o, fx->st, fx->nc, PLATFORM_TIKTOK,
                       "nobody");
    assert_int_equal(send_get(fx, &none, "/v2/user/info/", ERR_NOTFOUND), 0);
    assert_true(none.token_failed && none.relogin);
    assert_int_equal(none.sends, 0);
    assert_int_equal(stat_of(fx, "/v2/user/info/"), 0);
    oauth_session_free(&s);
    oauth_session_free(&once);
    oauth_session_free(&none);
    assert_null(s.token.data); /* wiped and freed */
    buf_free(&ctl);
    free(t1);
    free(acct);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_consent_url, setup, teardown),
        cmocka_unit_test_setup_teardown(test_youtube_connect_refresh, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_single_flight, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_grant, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refresh_token_kept, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_token_response, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_tiktok, setup, teardown),
        cmocka_unit_test_setup_teardown(test_instagram, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_verifier, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_plain_tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oauth_send, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
