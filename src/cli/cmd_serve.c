/* mediadash serve: the dashboard and JSON API over HTTP until SIGINT or
 * SIGTERM. */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/str.h"
#include "http/http.h"

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

static int parse_serve(int argc, char **argv, struct http_config *cfg,
                       struct buf *host)
{
    static const struct option opts[] = {
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
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

/* Until login exists (issue 3), the API must not be reachable from other
 * machines: only loopback addresses are served. */
static bool loopback(const char *host)
{
    return strncmp(host, "127.", 4) == 0 || strcmp(host, "localhost") == 0;
}

int cmd_serve(struct cli *cli, int argc, char **argv)
{
    struct http_config cfg;
    struct http_server *srv = NULL;
    struct store *st;
    struct buf host, err;
    sigset_t set;
    int sig = 0, exit_code;

    http_config_defaults(&cfg);
    buf_init(&host, 256);
    buf_init(&err, 1024);
    exit_code = parse_serve(argc, argv, &cfg, &host);
    if (exit_code != EXIT_OK_)
        goto out;
    if (!loopback(cfg.host)) {
        cli_error("serve: %s is not a loopback address; login is not "
                  "implemented yet, so the API is served on 127.0.0.1 only",
                  cfg.host);
        exit_code = EXIT_USAGE;
        goto out;
    }
    st = cli_open_store(cli); /* create and migrate before the workers */
    if (st == NULL) {
        exit_code = EXIT_DB;
        goto out;
    }
    store_close(st);
    cfg.db_path = cli->db_path;
    /* Block the signals in every thread; this one waits for them. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    if (http_start(&cfg, &srv, &err) != ERR_OK) {
        cli_error("%s", buf_cstr(&err));
        exit_code = EXIT_FAIL;
        goto out;
    }
    fprintf(stderr, "mediadash: serving http://%s:%u/ (database %s)\n",
            cfg.host, (unsigned)http_port(srv), cli->db_path);
    fflush(stderr);
    sigwait(&set, &sig);
    fprintf(stderr, "mediadash: %s, stopping\n",
            sig == SIGINT ? "interrupted" : "terminated");
    http_stop(srv);
out:
    buf_free(&host);
    buf_free(&err);
    return exit_code;
}
