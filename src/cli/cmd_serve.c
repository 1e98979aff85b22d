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

/* "HOST:PORT" or ":PORT" or "PORT"; host borrowed/stored in *host_buf. */
static bool parse_listen(const char *s, struct http_config *cfg,
                         struct buf *host_buf)
{
    const char *colon = strrchr(s, ':');
    const char *port = colon ? colon + 1 : s;
    int64_t p;

    if (parse_i64(port, 0, 65535, &p) != ERR_OK) {
        cli_error("--listen: expected HOST:PORT, got \"%s\"", s);
        return false;
    }
    cfg->port = (uint16_t)p;
    if (colon != NULL && colon != s) {
        buf_reset(host_buf);
        if (buf_append(host_buf, s, (size_t)(colon - s)) != ERR_OK) {
            cli_error("--listen: host too long");
            return false;
        }
        cfg->host = buf_cstr(host_buf);
    }
    return true;
}

/* --session-idle / --session-max: whole seconds, 1 to 366 days. */
static bool parse_seconds(const char *opt, const char *s, int64_t *out)
{
    if (parse_i64(s, 1, AUTH_TIMEOUT_LIMIT, out) != ERR_OK) {
        cli_error("%s: expected seconds from 1 to %d", opt,
                  AUTH_TIMEOUT_LIMIT);
        return false;
    }
    return true;
}

#define SERVE_MAX_SETS 32

/* --config FILE and --set KEY=VALUE: the platforms' configuration. */
struct serve_conf {
    const char *file;
    const char *sets[SERVE_MAX_SETS];
    size_t nsets;
    bool no_collect; /* --no-collect: collect with `mediadash collect` */
    bool no_worker; /* --no-worker: publish with `mediadash worker` */
};

/* The serve.* connection keys (README "Slow clients"). */
static void serve_conn_limits(const struct config *c, struct http_config *cfg)
{
    cfg->header_timeout_s = (unsigned)c->serve_header_timeout;
    cfg->body_min_rate = (unsigned)c->serve_body_min_rate;
    cfg->max_header_connections = (unsigned)c->serve_max_header_connections;
    cfg->per_ip_header_connections =
        (unsigned)c->serve_per_ip_header_connections;
    cfg->per_ip_connections = (unsigned)c->serve_per_ip_connections;
    cfg->max_connections = (unsigned)c->serve_max_connections;
}

static int parse_serve(int argc, char **argv, struct http_config *cfg,
                       struct buf *host, struct serve_conf *conf)
{
    static const struct option opts[] = {
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
        {"secure-cookies", no_argument, NULL, 's'},
        {"session-idle", required_argument, NULL, 'i'},
        {"session-max", required_argument, NULL, 'm'},
        {"cache-mb", required_argument, NULL, 'c'},
        {"config", required_argument, NULL, 'f'},
        {"set", required_argument, NULL, 'S'},
        {"no-collect", no_argument, NULL, 'C'},
        {"no-worker", no_argument, NULL, 'W'},
        {"media-max-mb", required_argument, NULL, 'M'},
        {NULL, 0, NULL, 0},
    };
    bool ok = true;
    int c;

    while (ok && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int64_t n;
        if (c == 'l') {
            ok = parse_listen(optarg, cfg, host);
        } else if (c == 't') {
            ok = parse_i64(optarg, 1, 64, &n) == ERR_OK;
            if (!ok)
                cli_error("--threads: expected 1 to 64");
            cfg->threads = (unsigned)n;
        } else if (c == 's') {
            cfg->secure_cookies = true;
        } else if (c == 'i') {
            ok = parse_seconds("--session-idle", optarg, &cfg->session_idle_s);
        } else if (c == 'm') {
            ok = parse_seconds("--session-max", optarg, &cfg->session_max_s);
        } else if (c == 'c') {
            ok = parse_i64(optarg, 0, 1024, &n) == ERR_OK;
            if (!ok)
                cli_error("--cache-mb: expected 0 to 1024");
            cfg->cache_bytes = (size_t)n << 20;
        } else if (c == 'C') {
            conf->no_collect = true;
        } else if (c == 'f') {
            conf->file = optarg;
        } else if (c == 'W') {
            conf->no_worker = true;
        } else if (c == 'M') {
            ok = parse_i64(optarg, 1, 64 << 10, &n) == ERR_OK;
            if (!ok)
                cli_error("--media-max-mb: expected 1 to 65536");
            cfg->media_max_bytes = n << 20;
        } else if (c == 'S') {
            ok = conf->nsets < SERVE_MAX_SETS;
            if (!ok)
                cli_error("--set: at most %d", SERVE_MAX_SETS);
            else
                conf->sets[conf->nsets++] = optarg;
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
    bool plat_open = false;
    struct buf host, err;
    sigset_t set;
    int sig = 0, exit_code;

    http_config_defaults(&cfg);
    buf_init(&host, 256);
    buf_init(&err, 1024);
    exit_code = parse_serve(argc, argv, &cfg, &host, &conf);
    if (exit_code != EXIT_OK_)
        goto out;
    exit_code = prepare_store(cli, &cfg);
    if (exit_code != EXIT_OK_)
        goto out;
    cfg.db_path = cli->db_path;
    /* The configuration, secret key and OAuth state the platform routes
     * and background loops share. */
    plat_open = true;
    exit_code = cli_platform_open(cli, conf.file, conf.sets, conf.nsets,
                                  NULL, &plat);
    if (exit_code != EXIT_OK_)
        goto out;
    cfg.platform = plat.cfg;
    if (plat.cfg->serve_secure_cookies)
        cfg.secure_cookies = true; /* the flag or the key turns it on */
    auth_throttle_set_slots((size_t)plat.cfg->serve_login_throttle_slots);
    cfg.public_origin = plat.cfg->serve_public_origin;
    cfg.trusted_proxies = plat.cfg->serve_trusted_proxies;
    cfg.metrics = plat.cfg->serve_metrics != 0; /* GET /metrics */
    cfg.metrics_allow = plat.cfg->serve_metrics_allow;
    counters_start(); /* mediadash_process_start_time_seconds */
    if (cfg.public_origin != NULL &&
        strncasecmp(cfg.public_origin, "https://", 8) == 0)
        cfg.secure_cookies = true; /* browsers reach us over TLS */
    serve_conn_limits(plat.cfg, &cfg);
    cfg.oauth = plat.o;
    cfg.key = plat.key; /* the public media links (/m/) */
    if (media_root_prepare(plat.cfg->media_root, &err) != ERR_OK) {
        cli_error("%s", buf_cstr(&err));
        exit_code = EXIT_FAIL;
        goto out;
    }
    /* Uploads a crash cut short; a day old, so not another server's. */
    if (media_root_sweep(plat.cfg->media_root, time_now() - 86400) > 0)
        LOG_INFO("removed unfinished uploads from %s", plat.cfg->media_root);
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
    if (!conf.no_collect &&
        serve_collect_start(cli->db_path, plat.cfg, plat.o, &collector,
                            &err) != ERR_OK) {
        cli_error("serve: %s", buf_cstr(&err));
        exit_code = EXIT_FAIL;
        goto out;
    }
    cfg.collector = serve_collect_loop(collector);
    if (!conf.no_worker &&
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
    fprintf(stderr, "mediadash: serving http://%s:%u/ (database %s)\n",
            cfg.host, (unsigned)http_port(srv), cli->db_path);
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
    serve_oauth_stop(oauth_loop); /* before the collector it kicks */
    oauth_loop = NULL;
    serve_collect_stop(collector);
    collector = NULL;
out:
    serve_oauth_stop(oauth_loop);
    serve_collect_stop(collector);
    serve_worker_stop(worker);
    serve_notify_stop(notify_loop); /* after the worker, whose events it sends */
    if (plat_open)
        cli_platform_close(&plat);
    buf_free(&host);
    buf_free(&err);
    log_flush(); /* the repeats still counted */
    access_log_close();
    return exit_code;
}
