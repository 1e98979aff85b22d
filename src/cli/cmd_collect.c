/* mediadash collect: run every due collector job once (src/collect);
 * mediadash sources: the collector's state per platform, account and
 * job, and the YouTube quota of the Pacific day. */
#define LOG_MODULE "collect"
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/serve_collect.h"
#include "collect/collect.h"
#include "core/config.h"
#include "core/jsonw.h"
#include "core/log.h"
#include "core/secret.h"
#include "core/timeutil.h"
#include "net/net.h"
#include "net/oauth.h"
#include "notify/notify.h"
#include "platforms/platform.h"
#include "schedule/worker.h"

#define MAX_SETS 32

struct collect_args {
    const char *file; /* --config, or NULL */
    const char *sets[MAX_SETS];
    size_t nsets;
    int platform;     /* -1: all */
    bool json;
    bool loop;        /* --loop: rounds until SIGINT/SIGTERM */
};

static bool load_config(const struct cli *cli, const struct collect_args *a,
                        struct config *cfg)
{
    return cli_load_config(cli, a->file, a->sets, a->nsets, cfg);
}

static int parse_args(const char *cmd, int argc, char **argv,
                      struct collect_args *a)
{
    static const struct option opts[] = {
        {"once", no_argument, NULL, 'o'},
        {"loop", no_argument, NULL, 'l'},
        {"platform", required_argument, NULL, 'p'},
        {"config", required_argument, NULL, 'c'},
        {"set", required_argument, NULL, 's'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    int c;

    a->platform = -1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'p' && !cli_platform("--platform", optarg, &a->platform))
            return EXIT_USAGE;
        if (c == 'c')
            a->file = optarg;
        if (c == 's' && a->nsets == MAX_SETS) {
            cli_error("--set: at most %d", MAX_SETS);
            return EXIT_USAGE;
        }
        if (c == 's')
            a->sets[a->nsets++] = optarg;
        if (c == 'j')
            a->json = true;
        if (c == 'l')
            a->loop = true;
        if (c == 'o')
            a->loop = false;
        if (c == '?' || c == ':')
            return EXIT_USAGE;
    }
    if (optind != argc) {
        cli_error("%s: unexpected argument \"%s\"", cmd, argv[optind]);
        return EXIT_USAGE;
    }
    if (a->loop && strcmp(cmd, "collect") != 0) {
        cli_error("%s: unrecognized option '--loop'", cmd);
        return EXIT_USAGE;
    }
    return EXIT_OK_;
}

/* ---- collect ------------------------------------------------------------ */

struct parts {
    struct cli_platform p;
    struct collector *col;
};

static void parts_free(struct parts *x)
{
    collector_destroy(x->col);
    cli_platform_close(&x->p);
}

static int parts_open(struct cli *cli, const struct collect_args *a,
                      struct parts *x)
{
    int exit_code = cli_platform_open(cli, a->file, a->sets, a->nsets,
                                      collect_net_config, &x->p);

    x->col = NULL;
    if (exit_code != EXIT_OK_)
        return exit_code;
    if (collector_create(x->p.cfg, x->p.o, &x->col, &x->p.err) != ERR_OK) {
        cli_error("%s", buf_cstr(&x->p.err));
        return EXIT_FAIL;
    }
    return EXIT_OK_;
}

static void print_summary(void *ud, const struct collect_summary *s)
{
    (void)ud;
    if (!s->ran) {
        printf("%s %s: nothing due\n", platform_name(s->platform),
               s->account);
        return;
    }
    printf("%s %s: %s, %zu items, %zu snapshots stored, %u calls",
           platform_name(s->platform), s->account, job_status_name(s->status),
           s->items, s->snapshots, s->calls);
    if (platform_get(s->platform)->daily_quota != NULL)
        printf(", quota %lld units (today %lld of %lld)",
               (long long)s->quota_used, (long long)s->quota_today,
               (long long)s->quota_limit);
    if (s->message != NULL)
        printf(": %s", s->message);
    putchar('\n');
}

/* Between --loop rounds: until the next job is due (at most
 * SERVE_COLLECT_WAIT_MAX_S), a signal, or, on a store that can wake
 * (PostgreSQL), an account connected or its credential changed by any
 * process (STORE_WAKE_ACCOUNTS): then the new account's first round runs
 * at once instead of up to five minutes later. */
static enum err loop_idle(struct store *st, const sigset_t *sigs,
                          bool *stop, struct buf *err)
{
    int64_t at = INT64_MAX, now = time_now(), wait_s;

    wait_s = SERVE_COLLECT_WAIT_MAX_S;
    if (collect_next_wake(st, &at) == ERR_OK && at != INT64_MAX &&
        at - now < wait_s)
        wait_s = at - now;
    if (wait_s < SERVE_COLLECT_WAIT_MIN_S)
        wait_s = SERVE_COLLECT_WAIT_MIN_S;
    return idle_wait(st, sigs, wait_s * 1000, stop, err);
}

/* One round; the exit status it earns. */
static int one_round(struct parts *x, const struct collect_args *a)
{
    enum err rc = collect_run_once(x->col, x->p.st, x->p.nc, a->platform,
                                   time_now(), print_summary, NULL,
                                   &x->p.err);
    int exit_code = EXIT_OK_;

    if (rc == ERR_DB) {
        cli_error("collect: %s", buf_cstr(&x->p.err));
        exit_code = EXIT_DB;
    } else if (rc != ERR_OK) {
        exit_code = EXIT_FAIL;
    }
    if (rc != ERR_DB) /* the store is usable: events for what it saw */
        notify_after_collect(x->p.st, time_now());
    fflush(stdout);
    return exit_code;
}

/* SIGINT and SIGTERM, blocked in this thread and in every thread made
 * after it (the net client's): --loop takes them with sigtimedwait. */
static void loop_signals(sigset_t *sigs)
{
    sigemptyset(sigs);
    sigaddset(sigs, SIGINT);
    sigaddset(sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, sigs, NULL);
}

/* --loop: rounds until SIGINT/SIGTERM (between rounds, never inside
 * one; exit 0) or a database error (exit 3); a failed job is the
 * collector's to retry and 'mediadash sources' shows it. */
static int run_loop(struct parts *x, const struct collect_args *a)
{
    sigset_t sigs;
    bool stop = false;
    enum err rc = ERR_OK;

    loop_signals(&sigs);
    if (store_can_wake(x->p.st))
        rc = store_listen(x->p.st, STORE_WAKE_ACCOUNTS, &x->p.err);
    while (rc == ERR_OK && !stop) {
        if (store_refresh(x->p.st) != ERR_OK)
            LOG_WARN("collect: the database handle could not refresh");
        if (one_round(x, a) == EXIT_DB)
            return EXIT_DB;
        rc = loop_idle(x->p.st, &sigs, &stop, &x->p.err);
    }
    if (rc != ERR_OK) {
        cli_error("collect: %s", buf_cstr(&x->p.err));
        return EXIT_DB;
    }
    return EXIT_OK_;
}

int cmd_collect(struct cli *cli, int argc, char **argv)
{
    struct collect_args a = {0};
    struct parts x;
    int exit_code = parse_args("collect", argc, argv, &a);

    if (exit_code != EXIT_OK_)
        return exit_code;
    if (a.loop) { /* before any thread starts */
        sigset_t sigs;
        loop_signals(&sigs);
    }
    exit_code = parts_open(cli, &a, &x);
    if (exit_code == EXIT_OK_)
        exit_code = a.loop ? run_loop(&x, &a) : one_round(&x, &a);
    fflush(stdout);
    parts_free(&x);
    return exit_code;
}

/* ---- sources ------------------------------------------------------------ */

struct sources_run {
    bool json;
    struct jw w;
    struct table *t;
};

static void fmt_time(int64_t t, struct buf *out)
{
    buf_reset(out);
    if (t == TIME_NONE || time_format_iso8601(t, out) != ERR_OK)
        buf_setf(out, "-");
}

static enum err source_row(void *ud, const struct store_job *j)
{
    struct sources_run *run = ud;
    struct buf last, next, fails;
    const char *row[8];

    if (run->json) {
        jw_object_begin(&run->w);
        jw_kv_str(&run->w, "platform", platform_name(j->platform));
        jw_kv_str(&run->w, "account", j->account);
        jw_kv_str(&run->w, "job", job_kind_name(j->kind));
        jw_kv_time(&run->w, "last_fetch", j->last_fetch);
        jw_kv_time(&run->w, "next_due", j->next_due);
        jw_kv_str(&run->w, "status", job_status_name(j->status));
        jw_kv_i64(&run->w, "failures", j->failures);
        jw_kv_str(&run->w, "last_error", j->last_error);
        jw_object_end(&run->w);
        return ERR_OK;
    }
    buf_init(&last, 64);
    buf_init(&next, 64);
    buf_init(&fails, 32);
    fmt_time(j->last_fetch, &last);
    fmt_time(j->next_due, &next);
    buf_setf(&fails, "%lld", (long long)j->failures);
    row[0] = platform_name(j->platform);
    row[1] = j->account;
    row[2] = job_kind_name(j->kind);
    row[3] = buf_cstr(&last);
    row[4] = buf_cstr(&next);
    row[5] = job_status_name(j->status);
    row[6] = buf_cstr(&fails);
    row[7] = j->last_error ? j->last_error : "";
    table_add(run->t, row);
    buf_free(&fails);
    buf_free(&next);
    buf_free(&last);
    return ERR_OK;
}

/* The quota used in the current Pacific day by each platform with a
 * daily quota (the descriptor's daily_quota; used[p] stays 0 else). */
static enum err quota_now(struct store *st, int64_t used[PLATFORM_COUNT],
                          int64_t *reset, struct buf *err)
{
    struct tz *la = NULL;
    int64_t now = time_now();
    enum err rc = tz_load(COLLECT_QUOTA_ZONE, &la, err);

    for (int p = 0; p < PLATFORM_COUNT && rc == ERR_OK; p++)
        if (platform_get((enum platform)p)->daily_quota != NULL)
            rc = store_quota_get(st, (enum platform)p,
                                 collect_quota_day_start(la, now), &used[p]);
    if (rc == ERR_OK)
        *reset = collect_quota_reset(la, now);
    tz_destroy(la);
    return rc;
}

/* The platforms with a daily quota: as text lines, or as JSON members
 * "quota": {"<name>": {...}} and the older "<name>_quota" (same value). */
static void quota_print(struct sources_run *run, const struct config *cfg,
                        const int64_t used[PLATFORM_COUNT], int64_t reset,
                        bool text, struct buf *tmp)
{
    for (int pass = text ? 2 : 0; pass < (text ? 3 : 2); pass++) {
        if (pass == 0) {
            jw_key(&run->w, "quota");
            jw_object_begin(&run->w);
        }
        for (int p = 0; p < PLATFORM_COUNT; p++) {
            const struct platform_desc *d = platform_get((enum platform)p);
            if (d->daily_quota == NULL)
                continue;
            if (pass == 2) {
                fmt_time(reset, tmp);
                printf("%s quota today: %lld of %lld units (resets %s)\n",
                       d->display, (long long)used[p],
                       (long long)d->daily_quota(cfg), buf_cstr(tmp));
                continue;
            }
            buf_setf(tmp, "%s%s", d->name, pass == 0 ? "" : "_quota");
            jw_key(&run->w, buf_cstr(tmp));
            jw_object_begin(&run->w);
            jw_kv_i64(&run->w, "used_today", used[p]);
            jw_kv_i64(&run->w, "limit", d->daily_quota(cfg));
            jw_kv_time(&run->w, "resets_at", reset);
            jw_object_end(&run->w);
        }
        if (pass == 0)
            jw_object_end(&run->w);
    }
}

static int sources_print(struct store *st, const struct config *cfg,
                         struct sources_run *run, struct buf *out)
{
    struct buf err;
    int64_t used[PLATFORM_COUNT] = {0}, reset = TIME_NONE;
    int exit_code = EXIT_OK_;

    buf_init(&err, 2048);
    jw_object_begin(&run->w);
    jw_key(&run->w, "jobs");
    jw_array_begin(&run->w);
    if (store_job_list(st, source_row, run) != ERR_OK ||
        quota_now(st, used, &reset, &err) != ERR_OK) {
        cli_error("sources: %s", err.len ? buf_cstr(&err) : "store failed");
        exit_code = EXIT_DB;
    }
    jw_array_end(&run->w);
    quota_print(run, cfg, used, reset, false, &err);
    jw_object_end(&run->w);
    if (exit_code == EXIT_OK_ && run->json) {
        if (jw_status(&run->w) != ERR_OK || buf_putc(out, '\n') != ERR_OK ||
            !cli_write(stdout, out))
            exit_code = EXIT_FAIL;
    } else if (exit_code == EXIT_OK_) {
        table_print(run->t, stdout, 7, cli_term_width());
        quota_print(run, cfg, used, reset, true, &err);
    }
    buf_free(&err);
    return exit_code;
}

int cmd_sources(struct cli *cli, int argc, char **argv)
{
    static const char *const hdr[] = {"platform", "account",  "job",
                                      "last fetch", "next due", "status",
                                      "failures", "last error"};
    struct collect_args a = {0};
    struct sources_run run = {false};
    struct config cfg;
    struct buf out;
    struct store *st;
    int exit_code = parse_args("sources", argc, argv, &a);

    if (exit_code != EXIT_OK_)
        return exit_code;
    if (!load_config(cli, &a, &cfg)) {
        config_free(&cfg);
        return EXIT_USAGE;
    }
    st = cli_open_store(cli);
    if (st == NULL) {
        config_free(&cfg);
        return EXIT_DB;
    }
    run.json = a.json;
    buf_init(&out, (size_t)16 << 20);
    jw_init(&run.w, &out);
    run.t = table_create(8, hdr, NULL);
    exit_code = sources_print(st, &cfg, &run, &out);
    table_destroy(run.t);
    buf_free(&out);
    store_close(st);
    config_free(&cfg);
    return exit_code;
}
