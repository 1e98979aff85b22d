/* mediadash serve: the dashboard and JSON API over HTTP until SIGINT or
 * SIGTERM. */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/serve_collect.h"
#include "cli/serve_notify.h"
#include "cli/serve_wake.h"
#include "cli/serve_oauth.h"
#include "cli/serve_worker.h"
#include "core/counters.h"
#include "core/log.h"
#include "core/sdnotify.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "http/access.h"
#include "http/auth.h"
#include "http/http.h"
#include "schedule/media.h"

/* After SIGINT/SIGTERM, how long the publishing loop's round in progress
 * may take before the process ends anyway (SIGALRM): a post cut short
 * stays in publishing, its lease expires, and it goes to needs_check. */
#define SERVE_STOP_S 20

/* serve.listen: "HOST:PORT", ":PORT" or "PORT" (config.c checked the
 * port); the host is stored in host_buf, which cfg->host borrows. */
static bool apply_listen(const char *s, struct http_config *cfg,
                         struct buf *host_buf)
{
    const char *colon = strrchr(s, ':');
    int64_t p;

    if (parse_i64(colon ? colon + 1 : s, 0, 65535, &p) != ERR_OK) {
        cli_error("serve.listen: expected HOST:PORT, got \"%s\"", s);
        return false;
    }
    cfg->port = (uint16_t)p;
    if (colon != NULL && colon != s) {
        buf_reset(host_buf);
        if (buf_append(host_buf, s, (size_t)(colon - s)) != ERR_OK) {
            cli_error("serve.listen: host too long");
            return false;
        }
        cfg->host = buf_cstr(host_buf);
    }
    return true;
}

/* The flags that are shortcuts for serve.* keys: "--threads 4" is
 * "--set serve.threads=4", and flags and --set apply in the order given,
 * after the file and the environment. A flag without an argument sets
 * its key to value. */
static const struct serve_flag {
    const char *name;
    const char *key;
    const char *value; /* NULL: the flag takes the value */
} serve_flags[] = {
    {"listen", "serve.listen", NULL},
    {"db-read", "serve.db_read", NULL},
    {"threads", "serve.threads", NULL},
    {"secure-cookies", "serve.secure_cookies", "1"},
    {"session-idle", "serve.session_idle", NULL},
    {"session-max", "serve.session_max", NULL},
    {"cache-mb", "serve.cache_mb", NULL},
    {"no-collect", "serve.collect", "0"},
    {"no-worker", "serve.worker", "0"},
    {"media-max-mb", "serve.media_max_mb", NULL},
};
#define N_SERVE_FLAGS (sizeof(serve_flags) / sizeof(serve_flags[0]))
#define SERVE_FLAG_VAL 1000 /* getopt_long's value of serve_flags[0] */

#define SERVE_MAX_SETS 64

/* --config FILE, --set KEY=VALUE and the flags as KEY=VALUE. */
struct serve_conf {
    const char *file;
    char *sets[SERVE_MAX_SETS]; /* owned */
    size_t nsets;
};

/* Append "key=value" to conf's sets, checked first (an error names the
 * flag and the key). */
static bool add_set(struct serve_conf *conf, const char *flag,
                    const char *key, const char *value)
{
    struct buf kv, err;
    bool ok = false;

    buf_init(&kv, CONFIG_MAX_VALUE + 256);
    buf_init(&err, 1024);
    if (conf->nsets >= SERVE_MAX_SETS) {
        cli_error("serve: at most %d --set and setting flags",
                  SERVE_MAX_SETS);
    } else if (key == NULL) { /* --set KEY=VALUE: checked when applied */
        ok = buf_puts(&kv, value) == ERR_OK;
        if (!ok)
            cli_error("--set: too long");
    } else if (config_check(key, value, CONFIG_SRC_FLAG, &err) != ERR_OK) {
        cli_error("--%s: %s", flag, buf_cstr(&err));
    } else {
        ok = buf_printf(&kv, "%s=%s", key, value) == ERR_OK;
        if (!ok)
            cli_error("--%s: too long", flag);
    }
    if (ok)
        conf->sets[conf->nsets++] = buf_steal(&kv);
    buf_free(&kv);
    buf_free(&err);
    return ok;
}

static int parse_serve(int argc, char **argv, struct serve_conf *conf)
{
    struct option opts[N_SERVE_FLAGS + 3];
    bool ok = true;
    int c;

    for (size_t i = 0; i < N_SERVE_FLAGS; i++)
        opts[i] = (struct option){serve_flags[i].name,
                                  serve_flags[i].value ? no_argument
                                                       : required_argument,
                                  NULL, SERVE_FLAG_VAL + (int)i};
    opts[N_SERVE_FLAGS] = (struct option){"config", required_argument, NULL,
                                          'f'};
    opts[N_SERVE_FLAGS + 1] = (struct option){"set", required_argument,
                                              NULL, 'S'};
    opts[N_SERVE_FLAGS + 2] = (struct option){NULL, 0, NULL, 0};
    while (ok && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c >= SERVE_FLAG_VAL &&
            (size_t)(c - SERVE_FLAG_VAL) < N_SERVE_FLAGS) {
            const struct serve_flag *f = &serve_flags[c - SERVE_FLAG_VAL];
            ok = add_set(conf, f->name, f->key, f->value ? f->value : optarg);
        } else if (c == 'f') {
            conf->file = optarg;
        } else if (c == 'S') {
            ok = add_set(conf, "set", NULL, optarg);
        } else {
            ok = false;
        }
    }
    if (ok && optind != argc) {
        cli_error("serve: unexpected argument \"%s\"", argv[optind]);
        ok = false;
    }
    return ok ? EXIT_OK_ : EXIT_USAGE;
}

/* The serve.* keys into the server's configuration. */
static bool serve_apply(const struct config *c, struct http_config *cfg,
                        struct buf *host)
{
    if (!apply_listen(c->serve_listen ? c->serve_listen : "127.0.0.1:8080",
                      cfg, host))
        return false;
    cfg->threads = (unsigned)c->serve_threads;
    cfg->db_read_path = c->serve_db_read;
    cfg->cache_bytes = (size_t)c->serve_cache_mb << 20;
    cfg->session_idle_s = c->serve_session_idle;
    cfg->session_max_s = c->serve_session_max;
    cfg->media_max_bytes = c->serve_media_max_mb << 20;
    cfg->secure_cookies = c->serve_secure_cookies != 0;
    cfg->header_timeout_s = (unsigned)c->serve_header_timeout;
    cfg->body_min_rate = (unsigned)c->serve_body_min_rate;
    cfg->max_header_connections = (unsigned)c->serve_max_header_connections;
    cfg->per_ip_header_connections =
        (unsigned)c->serve_per_ip_header_connections;
    cfg->per_ip_connections = (unsigned)c->serve_per_ip_connections;
    cfg->max_connections = (unsigned)c->serve_max_connections;
    return true;
}

/* The server's configuration from the loaded keys: serve.*, the login
 * throttle, the public origin (https:// implies secure cookies). */
static int serve_configure(const struct config *c, struct http_config *cfg,
                           struct buf *host)
{
    if (!serve_apply(c, cfg, host))
        return EXIT_USAGE;
    cfg->platform = c;
    auth_throttle_set_slots((size_t)c->serve_login_throttle_slots);
    cfg->public_origin = c->serve_public_origin;
    cfg->trusted_proxies = c->serve_trusted_proxies;
    cfg->metrics = c->serve_metrics != 0; /* GET /metrics */
    cfg->metrics_allow = c->serve_metrics_allow;
    counters_start(); /* mediadash_process_start_time_seconds */
    if (cfg->public_origin != NULL &&
        strncasecmp(cfg->public_origin, "https://", 8) == 0)
        cfg->secure_cookies = true; /* browsers reach us over TLS */
    return EXIT_OK_;
}

/* Create and migrate the store before the workers start, purge expired
 * sessions, and warn when nobody can log in yet. */
static int prepare_store(struct cli *cli, const struct http_config *cfg)
{
    struct store_session_limits lim = {cfg->session_idle_s,
                                       cfg->session_max_s};
    struct store *st = cli_open_store(cli);
    int64_t users = 0;
    int exit_code = EXIT_DB;

    if (st == NULL)
        return EXIT_DB;
    if (store_session_purge(st, time_now(), &lim, NULL) != ERR_OK ||
        store_user_count(st, &users) != ERR_OK) {
        cli_error("serve: cannot read the users of %s", cli->db_path);
        goto out;
    }
    if (users == 0)
        LOG_WARN("no users yet: mediadash user add NAME");
    exit_code = EXIT_OK_;
out:
    store_close(st);
    return exit_code;
}

/* SIGHUP: the access log's file again (logrotate moved it). */
static void reopen_logs(struct buf *err)
{
    if (access_log_reopen(err) != ERR_OK)
        LOG_ERROR("%s", buf_cstr(err));
    else
        LOG_INFO("SIGHUP: access log reopened");
}

/* --db-read: open it once now (a migration of a file copy, the schema
 * check of a replica), so that a wrong one stops serve before it
 * listens rather than answering 503 to every read. */
static int check_read_db(const struct http_config *cfg)
{
    struct store *st = NULL;
    struct buf err;
    int code = EXIT_OK_;

    if (cfg->db_read_path == NULL)
        return EXIT_OK_;
    buf_init(&err, 1024);
    if (store_open(cfg->db_read_path, &st, &err) != ERR_OK) {
        cli_error("serve: --db-read: %s", buf_cstr(&err));
        code = EXIT_DB;
    }
    store_close(st);
    buf_free(&err);
    return code;
}

/* The line scripts wait for; targets without a password. */
static void print_serving(const struct http_config *cfg, unsigned port,
                          const char *db)
{
    char *shown = store_target_display(db);
    char *rshown = cfg->db_read_path != NULL
                       ? store_target_display(cfg->db_read_path)
                       : NULL;

    fprintf(stderr, "mediadash: serving http://%s:%u/ (database %s%s%s)\n",
            cfg->host, port, shown, rshown ? ", reads from " : "",
            rshown ? rshown : "");
    free(shown);
    free(rshown);
}

int cmd_serve(struct cli *cli, int argc, char **argv)
{
    struct http_config cfg;
    struct http_server *srv = NULL;
    struct serve_conf conf = {0};
    struct cli_platform plat = {0};
    struct serve_collect *collector = NULL;
    struct serve_worker *worker = NULL;
    struct serve_oauth *oauth_loop = NULL;
    struct serve_notify *notify_loop = NULL;
    struct serve_wake *wake = NULL;
    bool plat_open = false;
    struct buf host, err;
    sigset_t set;
    int sig = 0, exit_code;

    http_config_defaults(&cfg);
    buf_init(&host, 256);
    buf_init(&err, 1024);
    exit_code = parse_serve(argc, argv, &conf);
    if (exit_code != EXIT_OK_)
        goto out;
    cfg.db_path = cli->db_path;
    /* The configuration, secret key and OAuth state the platform routes
     * and background loops share; then serve's own keys. */
    plat_open = true;
    exit_code = cli_platform_open(cli, conf.file,
                                  (const char *const *)conf.sets, conf.nsets,
                                  NULL, &plat);
    if (exit_code != EXIT_OK_)
        goto out;
    exit_code = serve_configure(plat.cfg, &cfg, &host);
    if (exit_code == EXIT_OK_)
        exit_code = prepare_store(cli, &cfg);
    if (exit_code == EXIT_OK_)
        exit_code = check_read_db(&cfg);
    if (exit_code != EXIT_OK_)
        goto out;
    cfg.oauth = plat.o;
    cfg.key = plat.key; /* the public media links (/m/) */
    /* No media_root (a database on a server and the key not set): the
     * dashboard works, uploads answer that the library is off. */
    if (plat.cfg->media_root == NULL) {
        LOG_WARN("uploads are off: set media_root (a directory every host "
                 "that publishes can read) to turn them on");
    } else if (media_root_prepare(plat.cfg->media_root, &err) != ERR_OK) {
        cli_error("%s", buf_cstr(&err));
        exit_code = EXIT_FAIL;
        goto out;
    } else if (media_root_sweep(plat.cfg->media_root,
                                time_now() - 86400) > 0) {
        /* Uploads a crash cut short; a day old, so not another server's. */
        LOG_INFO("removed unfinished uploads from %s", plat.cfg->media_root);
    }
    /* Block the signals in every thread; this one waits for them. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP); /* reopens the access log (logrotate) */
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    if (access_log_open(plat.cfg->serve_access_log, &err) != ERR_OK) {
        cli_error("%s", buf_cstr(&err));
        exit_code = EXIT_FAIL;
        goto out;
    }
    if (plat.cfg->serve_collect &&
        serve_collect_start(cli->db_path, plat.cfg, plat.o, &collector,
                            &err) != ERR_OK) {
        cli_error("serve: %s", buf_cstr(&err));
        exit_code = EXIT_FAIL;
        goto out;
    }
    cfg.collector = serve_collect_loop(collector);
    if (plat.cfg->serve_worker &&
        serve_worker_start(cli->db_path, plat.cfg, plat.o, plat.key, &worker) !=
            ERR_OK) {
        cli_error("serve: cannot start the publishing worker");
        exit_code = EXIT_FAIL;
        goto out;
    }
    cfg.worker = serve_worker_loop(worker);
    if (serve_oauth_start(cli->db_path, plat.cfg, plat.o, plat.key,
                          cfg.collector, &oauth_loop) != ERR_OK) {
        cli_error("serve: cannot start the OAuth loop");
        exit_code = EXIT_FAIL;
        goto out;
    }
    cfg.oauth_loop = serve_oauth_loop(oauth_loop);
    /* PostgreSQL: a connect or a post on another host kicks the loops. */
    if ((collector != NULL || worker != NULL) &&
        serve_wake_start(cli->db_path, cfg.collector, cfg.worker, &wake) !=
            ERR_OK) {
        cli_error("serve: cannot start the wake-up thread");
        exit_code = EXIT_FAIL;
        goto out;
    }
    if (serve_notify_start(cli->db_path, plat.cfg, &notify_loop) != ERR_OK) {
        cli_error("serve: cannot start the notification loop");
        exit_code = EXIT_FAIL;
        goto out;
    }
    if (http_start(&cfg, &srv, &err) != ERR_OK) {
        cli_error("%s", buf_cstr(&err));
        exit_code = EXIT_FAIL;
        goto out;
    }
    LOG_INFO("serve: %u HTTP threads, answer cache %zu MiB, sessions idle "
             "%lld s and at most %lld s, uploads up to %lld MiB, collector "
             "%s, worker %s", cfg.threads, cfg.cache_bytes >> 20,
             (long long)cfg.session_idle_s, (long long)cfg.session_max_s,
             (long long)(cfg.media_max_bytes >> 20),
             collector ? "on" : "off", worker ? "on" : "off");
    print_serving(&cfg, http_port(srv), cli->db_path);
    if (!cfg.secure_cookies && strncmp(cfg.host, "127.", 4) != 0)
        LOG_WARN("logins travel in clear text on %s: put a TLS proxy in "
                 "front and use --secure-cookies", cfg.host);
    fflush(stderr);
    sdnotify_ready("serving"); /* Type=notify: systemd may start dependants */
    while (sigwait(&set, &sig) == 0 && sig == SIGHUP)
        reopen_logs(&err);
    sdnotify_stopping();
    fprintf(stderr, "mediadash: %s, stopping\n",
            sig == SIGINT ? "interrupted" : "terminated");
    alarm(SERVE_STOP_S);
    http_stop(srv); /* first: its handlers may kick the loops */
    serve_wake_stop(wake); /* it kicks them too */
    wake = NULL;
    serve_oauth_stop(oauth_loop); /* before the collector it kicks */
    oauth_loop = NULL;
    serve_collect_stop(collector);
    collector = NULL;
out:
    serve_wake_stop(wake);
    serve_oauth_stop(oauth_loop);
    serve_collect_stop(collector);
    serve_worker_stop(worker);
    serve_notify_stop(notify_loop); /* after the worker, whose events it sends */
    if (plat_open)
        cli_platform_close(&plat);
    buf_free(&host);
    buf_free(&err);
    for (size_t i = 0; i < conf.nsets; i++)
        free(conf.sets[i]);
    log_flush(); /* the repeats still counted */
    access_log_close();
    return exit_code;
}
