/* mediadash worker [--id NAME] [--once] [--config FILE] [--set K=V]:
 * publish due posts. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "notify/notify.h"
#include "schedule/publishers.h"
#include "schedule/worker.h"

#define WORKER_MAX_SETS 32

struct worker_args {
    char id[64];
    bool once;
    const char *conf_file;              /* --config FILE */
    const char *sets[WORKER_MAX_SETS];  /* --set KEY=VALUE */
    size_t nsets;
    int64_t interval_s;
    struct worker_config cfg;
};

static bool opt_int(const char *name, const char *v, int64_t lo, int64_t hi,
                    int64_t *out)
{
    if (parse_i64(v, lo, hi, out) == ERR_OK)
        return true;
    cli_error("--%s: a number from %lld to %lld", name, (long long)lo,
              (long long)hi);
    return false;
}

static int parse_worker(int argc, char **argv, struct worker_args *a)
{
    static const struct option opts[] = {
        {"id", required_argument, NULL, 'i'},
        {"once", no_argument, NULL, 'o'},
        {"lease", required_argument, NULL, 'l'},
        {"grace", required_argument, NULL, 'g'},
        {"batch", required_argument, NULL, 'b'},
        {"interval", required_argument, NULL, 'n'},
        {"config", required_argument, NULL, 'f'},
        {"set", required_argument, NULL, 'S'},
        {NULL, 0, NULL, 0},
    };
    int64_t v;
    int c;

    snprintf(a->id, sizeof a->id, "worker-%ld", (long)getpid());
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'i' && strlen(optarg) > 0 && strlen(optarg) < sizeof a->id)
            snprintf(a->id, sizeof a->id, "%s", optarg);
        else if (c == 'o')
            a->once = true;
        else if (c == 'l' && opt_int("lease", optarg, 10, 86400, &v))
            a->cfg.lease_s = v;
        else if (c == 'g' && opt_int("grace", optarg, 0, 30 * 86400, &v))
            a->cfg.grace_s = v;
        else if (c == 'b' && opt_int("batch", optarg, 1, 1000, &v))
            a->cfg.batch = (size_t)v;
        else if (c == 'n' && opt_int("interval", optarg, 1, 3600, &v))
            a->interval_s = v;
        else if (c == 'f')
            a->conf_file = optarg;
        else if (c == 'S' && a->nsets < WORKER_MAX_SETS)
            a->sets[a->nsets++] = optarg;
        else
            return EXIT_USAGE;
    }
    return optind == argc ? EXIT_OK_ : EXIT_USAGE;
}

static void report(const char *id, const struct worker_stats *s)
{
    fprintf(stderr,
            "worker %s: claimed %zu, published %zu, retry later %zu, failed "
            "%zu, missed %zu, needs_check %zu, needs_relogin %zu, lost %zu, "
            "leases expired %zu+%zu, checked %zu\n",
            id, s->claimed, s->published, s->retried, s->failed, s->missed,
            s->checks, s->relogin, s->lost, s->expired_back,
            s->expired_check, s->checked);
}

int cmd_worker(struct cli *cli, int argc, char **argv)
{
    struct worker_args a = {.interval_s = 10,
                            .cfg = {.lease_s = 600,
                                    .grace_s = SCHED_GRACE_DEFAULT_S,
                                    .batch = 50}};
    struct worker_stats stats = {0};
    struct cli_platform x;
    struct pub_ctx ctx;
    struct notify_sender *ns = NULL;
    struct buf err;
    sigset_t sigs;
    enum err rc = ERR_OK;
    int exit_code = parse_worker(argc, argv, &a);

    if (exit_code != EXIT_OK_)
        return exit_code;
    a.cfg.id = a.id;
    a.cfg.pubs = publishers_list(&a.cfg.npubs);
    exit_code = cli_platform_open(cli, a.conf_file, a.sets, a.nsets, NULL,
                                  &x);
    if (exit_code != EXIT_OK_) {
        cli_platform_close(&x);
        return exit_code;
    }
    a.cfg.retry_base_s = x.cfg->publish_retry_base_s;
    ctx = (struct pub_ctx){.st = x.st, .nc = x.nc, .o = x.o, .cfg = x.cfg,
                           .key = x.key};
    a.cfg.ctx = &ctx;
    /* SIGINT/SIGTERM end the loop between rounds, never inside one. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigprocmask(SIG_BLOCK, &sigs, NULL);
    buf_init(&err, 4096);
    if (notify_sender_create(x.cfg, NULL, &ns, &err) != ERR_OK)
        LOG_ERROR("worker %s: no notifications: %s", a.id, buf_cstr(&err));
    /* PostgreSQL: idle workers wait for a NOTIFY (worker_idle). */
    if (!a.once && store_can_wake(x.st))
        rc = store_listen(x.st, STORE_WAKE_POSTS, &err);
    while (rc == ERR_OK) {
        bool stop = false;
        rc = worker_run_once(x.st, &a.cfg, time_now(), &stats, &err);
        if (ns != NULL && rc == ERR_OK) /* what this round (or others) told */
            notify_sender_round(ns, x.st, time_now(), a.interval_s);
        if (rc != ERR_OK || a.once)
            break;
        rc = worker_idle(x.st, &sigs, a.interval_s, &stop, &err);
        if (stop)
            break;
    }
    if (rc != ERR_OK)
        cli_error("worker %s: %s", a.id, buf_cstr(&err));
    if (!cli->quiet)
        report(a.id, &stats);
    buf_free(&err);
    notify_sender_destroy(ns);
    cli_platform_close(&x);
    return rc == ERR_OK ? EXIT_OK_ : EXIT_DB;
}
