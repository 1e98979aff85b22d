/* mediadash connect PLATFORM: the OAuth consent, received on a one-shot
 * loopback listener (or pasted with --code/--state); mediadash
 * connections: what is connected, never the tokens. */
#include <errno.h>
#include <getopt.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/alloc.h"
#include "core/config.h"
#include "core/jsonw.h"
#include "core/secret.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "net/net.h"
#include "net/oauth.h"
#include "platforms/platform.h"

#define MAX_SETS 32

/* Where the configuration comes from: the file, then MEDIADASH_*, then
 * --set flags. */
struct cfg_args {
    const char *file; /* --config, or NULL */
    const char *sets[MAX_SETS];
    size_t nsets;
};

static bool add_set(struct cfg_args *a, const char *arg)
{
    if (a->nsets == MAX_SETS) {
        cli_error("--set: at most %d", MAX_SETS);
        return false;
    }
    a->sets[a->nsets++] = arg;
    return true;
}

/* ---- the loopback listener -------------------------------------------- */

struct callback {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    const char *path;  /* borrowed: the redirect URI's path */
    const char *state; /* borrowed: the state we sent */
    char *code;        /* owned, once received */
    char *error;       /* owned: the platform's error=..., once received */
    bool received;     /* code or error taken; its answer is being sent */
    bool done;         /* ... and the answer has left: safe to stop */
};

/* Marks the request that delivered the answer, so that the daemon is
 * stopped only after the browser has its reply (stopping it at once
 * dropped the reply now and then). */
static char delivered_marker;

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status,
                             const char *text)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ret;

    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

static bool state_matches(const char *got, const char *want)
{
    size_t n = strlen(want);
    return got != NULL && strlen(got) == n &&
           sodium_memcmp(got, want, n) == 0;
}

static enum MHD_Result on_callback(void *cls, struct MHD_Connection *conn,
                                   const char *url, const char *method,
                                   const char *version,
                                   const char *upload_data,
                                   size_t *upload_data_size, void **req_cls)
{
    struct callback *cb = cls;
    const char *state, *code, *error;
    (void)version, (void)upload_data, (void)upload_data_size;

    if (strcmp(method, "GET") != 0 || strcmp(url, cb->path) != 0)
        return reply(conn, MHD_HTTP_NOT_FOUND, "not found\n");
    state = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "state");
    code = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "code");
    error = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "error");
    if (!state_matches(state, cb->state))
        return reply(conn, MHD_HTTP_BAD_REQUEST,
                     "mediadash: this answer does not belong to the consent "
                     "in progress (state mismatch); ignored.\n");
    if (error == NULL && (code == NULL || *code == '\0' ||
                          strlen(code) > OAUTH_MAX_TOKEN))
        return reply(conn, MHD_HTTP_BAD_REQUEST, "mediadash: no code\n");
    pthread_mutex_lock(&cb->mu);
    if (!cb->received) {
        cb->received = true;
        cb->error = error ? xstrndup(error, 200) : NULL;
        cb->code = error ? NULL : xstrdup(code);
        *req_cls = &delivered_marker;
    }
    pthread_mutex_unlock(&cb->mu);
    return reply(conn, MHD_HTTP_OK,
                 error ? "mediadash: the platform refused the consent; see "
                         "the terminal.\n"
                       : "mediadash: received; you can close this window and "
                         "return to the terminal.\n");
}

static void on_completed(void *cls, struct MHD_Connection *conn,
                         void **req_cls, enum MHD_RequestTerminationCode toe)
{
    struct callback *cb = cls;
    (void)conn, (void)toe;

    if (*req_cls != &delivered_marker)
        return;
    pthread_mutex_lock(&cb->mu);
    cb->done = true;
    pthread_cond_broadcast(&cb->cv);
    pthread_mutex_unlock(&cb->mu);
}

/* Split a loopback redirect URI (http://127.0.0.1:PORT/path or
 * http://localhost:PORT/path) into its port and path (borrowed). */
static bool loopback_uri(const char *uri, uint16_t *port, const char **path)
{
    const char *p;
    int64_t v;

    if (str_has_prefix(uri, "http://127.0.0.1:"))
        p = uri + strlen("http://127.0.0.1:");
    else if (str_has_prefix(uri, "http://localhost:"))
        p = uri + strlen("http://localhost:");
    else
        return false;
    *path = strchr(p, '/');
    if (*path == NULL || strchr(*path, '?') != NULL ||
        parse_i64n(p, (size_t)(*path - p), 1, 65535, &v) != ERR_OK)
        return false;
    *port = (uint16_t)v;
    return true;
}

/* Listen on the redirect URI, say so, and serve the callback until it
 * arrives or timeout_s pass. */
static bool wait_callback(const char *uri, struct callback *cb,
                          int64_t timeout_s)
{
    struct sockaddr_in addr = {.sin_family = AF_INET};
    struct MHD_Daemon *d;
    struct timespec until;
    uint16_t port;
    int rc = 0;

    if (!loopback_uri(uri, &port, &cb->path)) {
        cli_error("redirect_uri %s is not http://127.0.0.1:PORT/PATH: use "
                  "--no-listen and --code/--state", uri);
        return false;
    }
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, port, NULL, NULL,
                         on_callback, cb, MHD_OPTION_SOCK_ADDR,
                         (struct sockaddr *)&addr, MHD_OPTION_CONNECTION_LIMIT,
                         (unsigned)16, MHD_OPTION_CONNECTION_TIMEOUT,
                         (unsigned)10, MHD_OPTION_NOTIFY_COMPLETED,
                         on_completed, cb, MHD_OPTION_END);
    if (d == NULL) {
        cli_error("cannot listen on 127.0.0.1:%u (in use?)", port);
        return false;
    }
    printf("Waiting for the answer on %s ...\n", uri);
    fflush(stdout);
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_s;
    pthread_mutex_lock(&cb->mu);
    while (!cb->done && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&cb->cv, &cb->mu, &until);
    pthread_mutex_unlock(&cb->mu);
    MHD_stop_daemon(d);
    if (!cb->received)
        cli_error("no answer on %s within %lld s", uri, (long long)timeout_s);
    return cb->received;
}

/* ---- connect ----------------------------------------------------------- */

struct connect_args {
    struct cfg_args cfg;
    enum platform p;
    const char *account, *code, *state;
    const char *login; /* --login facebook|instagram, or NULL */
    bool no_listen;
    int64_t timeout_s;
};

static int parse_connect(int argc, char **argv, struct connect_args *a)
{
    static const struct option opts[] = {
        {"account", required_argument, NULL, 'a'},
        {"login", required_argument, NULL, 'l'},
        {"code", required_argument, NULL, 'c'},
        {"state", required_argument, NULL, 's'},
        {"no-listen", no_argument, NULL, 'n'},
        {"timeout", required_argument, NULL, 't'},
        {"config", required_argument, NULL, 'f'},
        {"set", required_argument, NULL, 'S'},
        {NULL, 0, NULL, 0},
    };
    int c, pl;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'a')
            a->account = optarg;
        else if (c == 'l')
            a->login = optarg;
        else if (c == 'c')
            a->code = optarg;
        else if (c == 's')
            a->state = optarg;
        else if (c == 'n')
            a->no_listen = true;
        else if (c == 'f')
            a->cfg.file = optarg;
        else if (c == 'S' && !add_set(&a->cfg, optarg))
            return EXIT_USAGE;
        else if (c == 't' &&
                 parse_i64(optarg, 1, 3600, &a->timeout_s) != ERR_OK) {
            cli_error("--timeout: expected seconds in [1, 3600]");
            return EXIT_USAGE;
        } else if (c == '?')
            return EXIT_USAGE;
    }
    if (optind + 1 != argc) {
        struct buf names;
        buf_init(&names, 1024);
        if (platform_names_join(&names, false, ", ", " or ") != ERR_OK)
            buf_reset(&names);
        cli_error("connect: name one platform (%s)", buf_cstr(&names));
        buf_free(&names);
        return EXIT_USAGE;
    }
    if (!cli_platform("connect", argv[optind], &pl))
        return EXIT_USAGE;
    a->p = (enum platform)pl;
    if ((a->code == NULL) != (a->state == NULL)) {
        cli_error("connect: --code and --state go together");
        return EXIT_USAGE;
    }
    if (a->login != NULL &&
        oauth_login_find(platform_get(a->p)->oauth, a->login) == NULL) {
        struct buf names;

        buf_init(&names, 64);
        oauth_login_names(platform_get(a->p)->oauth, &names);
        if (buf_cstr(&names)[0] == '\0')
            cli_error("--login: %s has one way to sign in: leave --login "
                      "out", platform_name(a->p));
        else
            cli_error("--login for %s: %s", platform_name(a->p),
                      buf_cstr(&names));
        buf_free(&names);
        return EXIT_USAGE;
    }
    if (a->account != NULL && (*a->account == '\0' ||
                               strlen(a->account) > ITEM_ID_MAX)) {
        cli_error("--account: expected 1 to %d characters", ITEM_ID_MAX);
        return EXIT_USAGE;
    }
    return EXIT_OK_;
}

static int finish(struct cli_platform *x, const char *state, const char *code)
{
    struct buf acct, when;
    struct store_cred c = {0};
    enum platform p;
    enum err rc;

    buf_init(&acct, 512);
    buf_init(&when, 64);
    rc = oauth_finish(x->o, x->st, x->nc, state, code, &p, &acct, &x->err);
    if (rc == ERR_OK)
        rc = store_cred_get(x->st, p, buf_cstr(&acct), &c, &x->err);
    if (rc != ERR_OK) {
        cli_error("connect: %s", buf_cstr(&x->err));
    } else {
        if (c.expires_at == TIME_NONE ||
            time_format_iso8601(c.expires_at, &when) != ERR_OK)
            buf_setf(&when, "unknown");
        printf("connected %s account %s (access token expires %s)\n",
               platform_name(p), buf_cstr(&acct), buf_cstr(&when));
    }
    store_cred_free(&c);
    buf_free(&acct);
    buf_free(&when);
    return rc == ERR_OK ? EXIT_OK_ : rc == ERR_DB ? EXIT_DB : EXIT_FAIL;
}

static int listen_and_finish(struct cli_platform *x, const struct connect_args *a)
{
    struct buf url, state;
    struct callback cb = {.code = NULL};
    int exit_code = EXIT_FAIL;

    buf_init(&url, 16384);
    buf_init(&state, 256);
    pthread_mutex_init(&cb.mu, NULL);
    pthread_cond_init(&cb.cv, NULL);
    if (oauth_begin_login(x->o, x->st, a->p, a->account, a->login, &url,
                          &state, &x->err) !=
        ERR_OK) {
        cli_error("connect: %s", buf_cstr(&x->err));
        goto out;
    }
    printf("Open this address in a browser to connect %s:\n\n%s\n\n",
           platform_name(a->p), buf_cstr(&url));
    if (a->no_listen) {
        printf("Then run: mediadash connect %s --state %s --code CODE\n"
               "with CODE from the address the browser is sent back to "
               "(valid %d minutes).\n", platform_name(a->p),
               buf_cstr(&state), OAUTH_STATE_TTL_S / 60);
        exit_code = EXIT_OK_;
        goto out;
    }
    cb.state = buf_cstr(&state);
    if (!wait_callback(x->cfg->plat[a->p].redirect_uri, &cb, a->timeout_s))
        goto out;
    if (cb.error != NULL)
        cli_error("connect: the platform answered error=%s", cb.error);
    else
        exit_code = finish(x, buf_cstr(&state), cb.code);
out:
    fflush(stdout);
    free(cb.code);
    free(cb.error);
    pthread_cond_destroy(&cb.cv);
    pthread_mutex_destroy(&cb.mu);
    buf_free(&url);
    buf_free(&state);
    return exit_code;
}

int cmd_connect(struct cli *cli, int argc, char **argv)
{
    struct connect_args a = {.timeout_s = 300};
    struct cli_platform x;
    int exit_code = parse_connect(argc, argv, &a);

    if (exit_code != EXIT_OK_)
        return exit_code;
    exit_code = cli_platform_open(cli, a.cfg.file, a.cfg.sets, a.cfg.nsets,
                                  NULL, &x);
    if (exit_code == EXIT_OK_)
        exit_code = a.code != NULL ? finish(&x, a.state, a.code)
                                   : listen_and_finish(&x, &a);
    cli_platform_close(&x);
    return exit_code;
}

/* ---- connections ------------------------------------------------------- */

struct list_run {
    bool json;
    struct jw w;
    struct table *t;
};

/* When the login ends unless renewed, and the last failed renewal. */
static void login_json(struct jw *w, const struct store_cred *c)
{
    int64_t end = oauth_login_deadline(platform_oauth_of(c->platform), c);

    jw_kv_time(w, "issued_at", c->issued_at);
    jw_kv_time(w, "login_expires_at", end);
    jw_key(w, "login_expires_in_days");
    if (end == TIME_NONE)
        jw_null(w);
    else
        jw_i64(w, oauth_days_left(end, time_now()));
    jw_kv_str(w, "renew_error", c->renew_error);
    jw_kv_str(w, "login", c->login != NULL && *c->login ? c->login : NULL);
}

static enum err list_one(void *ud, const struct store_cred *c)
{
    struct list_run *run = ud;
    struct buf exp;
    const char *row[5];

    if (run->json) {
        jw_object_begin(&run->w);
        jw_kv_str(&run->w, "platform", platform_name(c->platform));
        jw_kv_str(&run->w, "account", c->account);
        jw_kv_str(&run->w, "status", cred_status_name(c->status));
        jw_kv_time(&run->w, "expires_at", c->expires_at);
        jw_kv_str(&run->w, "scopes", c->scopes);
        jw_kv_bool(&run->w, "refresh_token", c->refresh_sealed != NULL);
        jw_kv_str(&run->w, "last_error", c->last_error);
        jw_kv_time(&run->w, "updated_at", c->updated_at);
        login_json(&run->w, c);
        jw_object_end(&run->w);
        return run->w.status; /* jw_status: only once balanced */
    }
    buf_init(&exp, 64);
    if (c->expires_at == TIME_NONE ||
        time_format_iso8601(c->expires_at, &exp) != ERR_OK)
        buf_setf(&exp, "-");
    row[0] = platform_name(c->platform);
    row[1] = c->account;
    row[2] = cred_status_name(c->status);
    row[3] = buf_cstr(&exp);
    row[4] = c->last_error ? c->last_error : "";
    table_add(run->t, row);
    buf_free(&exp);
    return ERR_OK;
}

int cmd_connections(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    static const char *const hdr[] = {"platform", "account", "status",
                                      "expires", "last error"};
    struct list_run run = {false};
    struct buf out, err;
    struct store *st;
    int c, exit_code = EXIT_OK_;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'j')
            return EXIT_USAGE;
        run.json = true;
    }
    if (optind != argc) {
        cli_error("connections: unexpected argument \"%s\"", argv[optind]);
        return EXIT_USAGE;
    }
    st = cli_open_store(cli);
    if (st == NULL)
        return EXIT_DB;
    buf_init(&out, (size_t)16 << 20);
    buf_init(&err, 4096);
    jw_init(&run.w, &out);
    run.t = table_create(5, hdr, NULL);
    jw_array_begin(&run.w);
    if (store_cred_list(st, list_one, &run, &err) != ERR_OK) {
        cli_error("connections: %s", buf_cstr(&err));
        exit_code = EXIT_DB;
    }
    jw_array_end(&run.w);
    if (exit_code == EXIT_OK_ && run.json) {
        if (jw_status(&run.w) != ERR_OK || buf_putc(&out, '\n') != ERR_OK ||
            !cli_write(stdout, &out))
            exit_code = EXIT_FAIL;
    } else if (exit_code == EXIT_OK_) {
        table_print(run.t, stdout, 4, cli_term_width());
    }
    table_destroy(run.t);
    buf_free(&out);
    buf_free(&err);
    store_close(st);
    return exit_code;
}
