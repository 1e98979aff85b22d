/* mediadash demo: fill an empty database with a generated, realistic
 * year of one creator's accounts and content (src/demo). */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/jsonw.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "demo/demo.h"

struct demo_args {
    struct demo_opts o;
    int64_t batch_hours; /* simulated hours per transaction */
    bool force, json;
};

struct demo_run {
    struct cli *cli;
    struct demo_args *a;
    struct store *st;
    struct demo *d;
    struct ingest_stats total;
    int64_t t0_ms, last_progress_ms;
    bool interrupted;
};

static bool opt_i64(const char *opt, const char *s, int64_t lo, int64_t hi,
                    int64_t *out)
{
    if (parse_i64(s, lo, hi, out) == ERR_OK)
        return true;
    cli_error("%s: expected a whole number from %lld to %lld, got \"%s\"", opt,
              (long long)lo, (long long)hi, s);
    return false;
}

static bool opt_batch(const char *s, int64_t *out)
{
    if (strcmp(s, "hour") == 0 || strcmp(s, "day") == 0) {
        *out = s[0] == 'h' ? 1 : 24;
        return true;
    }
    cli_error("--batch: expected hour or day, got \"%s\"", s);
    return false;
}

static int parse_demo(int argc, char **argv, struct demo_args *a)
{
    static const struct option opts[] = {
        {"items", required_argument, NULL, 'n'},
        {"days", required_argument, NULL, 'd'},
        {"seed", required_argument, NULL, 's'},
        {"end", required_argument, NULL, 'e'},
        {"batch", required_argument, NULL, 'b'},
        {"force", no_argument, NULL, 'f'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    int64_t v;
    bool ok = true;
    int c;

    while (ok && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            ok = opt_i64("--items", optarg, 3, DEMO_ITEMS_MAX, &v);
            a->o.items = ok ? (size_t)v : a->o.items;
            break;
        case 'd':
            ok = opt_i64("--days", optarg, 1, DEMO_HOURS_MAX / 24, &v);
            a->o.hours = ok ? v * 24 : a->o.hours;
            break;
        case 's':
            ok = opt_i64("--seed", optarg, 0, INT64_MAX, &v);
            a->o.seed = ok ? (uint64_t)v : a->o.seed;
            break;
        case 'e':
            ok = cli_time("--end", optarg, &a->o.end);
            break;
        case 'b':
            ok = opt_batch(optarg, &a->batch_hours);
            break;
        case 'f':
            a->force = true;
            break;
        case 'j':
            a->json = true;
            break;
        default:
            ok = false;
        }
    }
    if (ok && optind < argc) {
        cli_error("demo: unexpected argument \"%s\"", argv[optind]);
        ok = false;
    }
    return ok ? EXIT_OK_ : EXIT_USAGE;
}

/* EXIT_OK_ when the store is empty or --force says to add anyway. */
static int check_empty(struct demo_run *run)
{
    struct item_query q = {.type = ITEM_ACCOUNT, .platform = -1};
    int64_t accounts = 0, content = 0;

    if (store_count_items(run->st, &q, &accounts) != ERR_OK) {
        cli_error("demo: cannot read %s", run->cli->db_path);
        return EXIT_DB;
    }
    q.type = ITEM_CONTENT;
    if (store_count_items(run->st, &q, &content) != ERR_OK) {
        cli_error("demo: cannot read %s", run->cli->db_path);
        return EXIT_DB;
    }
    if ((accounts == 0 && content == 0) || run->a->force)
        return EXIT_OK_;
    cli_error("demo: %s already holds data (%lld accounts, %lld content "
              "items); not adding demo data to it. Use another --db, or "
              "--force to add it anyway",
              run->cli->db_path, (long long)accounts, (long long)content);
    return EXIT_FAIL;
}

/* A line on stderr at most once a second. */
static void progress(struct demo_run *run, bool force)
{
    int64_t now = time_mono_ms();
    int64_t h = demo_current_hour(run->d) + 1, hours = demo_hours(run->d);
    struct buf n;

    if (run->cli->quiet || (!force && now - run->last_progress_ms < 1000))
        return;
    run->last_progress_ms = now;
    buf_init(&n, 64);
    fmt_count((int64_t)run->total.snapshots_new, &n);
    fprintf(stderr, "demo: day %lld of %lld (%d%%), %s snapshots, %.0f s\n",
            (long long)((h + 23) / 24), (long long)((hours + 23) / 24),
            (int)(h * 100 / hours), buf_cstr(&n),
            (double)(now - run->t0_ms) / 1000);
    buf_free(&n);
}

static void add_stats(struct ingest_stats *t, const struct ingest_stats *s)
{
    t->items_new += s->items_new;
    t->snapshots_new += s->snapshots_new;
    t->values_new += s->values_new;
    t->values_same += s->values_same;
    t->values_conflict += s->values_conflict;
}

/* True when SIGINT or SIGTERM arrived (they are blocked while the demo
 * is written, so a transaction is never cut short; we look between
 * them). */
static bool signalled(void)
{
    sigset_t pending;
    return sigpending(&pending) == 0 && (sigismember(&pending, SIGINT) == 1 ||
                                         sigismember(&pending, SIGTERM) == 1);
}

/* Generate and store every hour, batch_hours per transaction. */
static int ingest_all(struct demo_run *run)
{
    struct buf err;
    int rc = EXIT_OK_;
    size_t n = 1;

    buf_init(&err, 4096);
    while (n > 0 && rc == EXIT_OK_) {
        struct batch b;
        struct ingest_stats s;
        batch_init(&b);
        n = 0;
        for (int64_t k = 0; k < run->a->batch_hours; k++)
            n += demo_hour(run->d, &b);
        if (n > 0 && store_ingest(run->st, &b, NULL, &s, &err) != ERR_OK) {
            cli_error("demo: %s", buf_cstr(&err));
            rc = EXIT_DB;
        } else if (n > 0) {
            add_stats(&run->total, &s);
        }
        batch_free(&b);
        if (rc == EXIT_OK_ && n > 0 && signalled()) {
            run->interrupted = true;
            rc = EXIT_FAIL;
        }
        progress(run, false);
    }
    buf_free(&err);
    return rc;
}

/* The deleted video is gone from the platform by the demo's end: mark it
 * as the collector marks an id the platform no longer returns. */
static int mark_deleted(struct demo_run *run)
{
    struct demo_events ev;

    demo_events(run->d, &ev);
    if (ev.deleted.item == NULL)
        return EXIT_OK_;
    if (store_item_set_removed(run->st, ev.deleted.item->platform,
                               ev.deleted.item->ext_id, true) != ERR_OK) {
        cli_error("demo: marking the deleted video as removed failed");
        return EXIT_DB;
    }
    return EXIT_OK_;
}

static void json_event(struct jw *w, const char *key,
                       const struct demo_event *e)
{
    jw_key(w, key);
    if (e->item == NULL) {
        jw_null(w);
        return;
    }
    jw_object_begin(w);
    jw_kv_str(w, "platform", platform_name(e->item->platform));
    jw_kv_str(w, "id", e->item->ext_id);
    jw_kv_str(w, "title", e->item->title);
    jw_kv_time(w, "at", e->at);
    jw_object_end(w);
}

static void print_json(struct demo_run *run, double secs)
{
    struct demo_events ev;
    struct buf out;
    struct jw w;

    demo_events(run->d, &ev);
    buf_init(&out, 1 << 20);
    jw_init(&w, &out);
    jw_object_begin(&w);
    jw_kv_i64(&w, "seed", (int64_t)run->a->o.seed);
    jw_kv_time(&w, "start", demo_start(run->d));
    jw_kv_time(&w, "end", demo_start(run->d) + (demo_hours(run->d) - 1) * 3600);
    jw_kv_i64(&w, "items", (int64_t)demo_item_count(run->d));
    jw_kv_i64(&w, "streams", (int64_t)demo_stream_count(run->d));
    jw_kv_i64(&w, "items_new", (int64_t)run->total.items_new);
    jw_kv_i64(&w, "snapshots", (int64_t)run->total.snapshots_new);
    jw_kv_i64(&w, "values", (int64_t)run->total.values_new);
    jw_kv_real(&w, "seconds", secs);
    jw_kv_bool(&w, "interrupted", run->interrupted);
    json_event(&w, "viral", &ev.viral);
    json_event(&w, "deleted", &ev.deleted);
    json_event(&w, "dip", &ev.dip);
    jw_key(&w, "best_slot");
    jw_object_begin(&w);
    jw_kv_i64(&w, "weekday", ev.best_slot / 24); /* 0 = Sunday */
    jw_kv_i64(&w, "hour", ev.best_slot % 24);
    jw_object_end(&w);
    jw_object_end(&w);
    if (jw_status(&w) == ERR_OK && buf_putc(&out, '\n') == ERR_OK)
        cli_write(stdout, &out);
    buf_free(&out);
}

static void print_event(const char *what, const struct demo_event *e)
{
    struct buf when;
    if (e->item == NULL)
        return;
    buf_init(&when, 64);
    if (time_format_iso8601(e->at, &when) != ERR_OK)
        buf_reset(&when);
    fprintf(stderr, "  %-8s %s:%s \"%s\" at %s\n", what,
            platform_name(e->item->platform), e->item->ext_id,
            e->item->title ? e->item->title : "", buf_cstr(&when));
    buf_free(&when);
}

static void print_summary(struct demo_run *run, double secs)
{
    static const char *const wdays[] = {"Sun", "Mon", "Tue", "Wed",
                                        "Thu", "Fri", "Sat"};
    struct demo_events ev;
    struct buf s, v;
    size_t accounts = 0, n = demo_item_count(run->d);

    if (run->cli->quiet)
        return;
    while (accounts < n && demo_item(run->d, accounts)->type == ITEM_ACCOUNT)
        accounts++;
    demo_events(run->d, &ev);
    buf_init(&s, 64);
    buf_init(&v, 64);
    fmt_count((int64_t)run->total.snapshots_new, &s);
    fmt_count((int64_t)run->total.values_new, &v);
    fprintf(stderr,
            "demo: %zu items (%zu accounts, %zu content, %zu of them "
            "streams), %s snapshots, %s values in %.1f s into %s\n",
            n, accounts, n - accounts, demo_stream_count(run->d),
            buf_cstr(&s), buf_cstr(&v), secs, run->cli->db_path);
    print_event("viral", &ev.viral);
    print_event("deleted", &ev.deleted);
    print_event("dip", &ev.dip);
    fprintf(stderr, "  best time to post: %s %02d:00 UTC\n",
            wdays[ev.best_slot / 24], ev.best_slot % 24);
    buf_free(&s);
    buf_free(&v);
}

static void print_resume(struct demo_run *run)
{
    struct buf end;
    buf_init(&end, 64);
    if (time_format_iso8601(run->a->o.end, &end) != ERR_OK)
        buf_reset(&end);
    cli_error("demo: interrupted after hour %lld of %lld; every stored "
              "hour is complete (one transaction each). To finish: "
              "mediadash --db %s demo --items %zu --days %lld --seed %llu "
              "--end %s --force",
              (long long)demo_current_hour(run->d) + 1,
              (long long)demo_hours(run->d), run->cli->db_path, run->a->o.items,
              (long long)(run->a->o.hours / 24),
              (unsigned long long)run->a->o.seed, buf_cstr(&end));
    buf_free(&end);
}

int cmd_demo(struct cli *cli, int argc, char **argv)
{
    struct demo_args a;
    struct demo_run run;
    struct buf err;
    sigset_t block, old;
    int rc;

    memset(&a, 0, sizeof a);
    memset(&run, 0, sizeof run);
    buf_init(&err, 1024);
    demo_opts_default(&a.o, time_now());
    a.batch_hours = 24;
    rc = parse_demo(argc, argv, &a);
    if (rc != EXIT_OK_)
        goto out;
    a.o.end = a.o.end - a.o.end % 3600;
    run.cli = cli;
    run.a = &a;
    if (demo_create(&a.o, &run.d, &err) != ERR_OK) {
        cli_error("demo: %s", buf_cstr(&err));
        rc = EXIT_USAGE;
        goto out;
    }
    run.st = cli_open_store(cli);
    rc = run.st == NULL ? EXIT_DB : check_empty(&run);
    if (rc != EXIT_OK_)
        goto out;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &old);
    run.t0_ms = run.last_progress_ms = time_mono_ms();
    rc = ingest_all(&run);
    if (rc == EXIT_OK_)
        rc = mark_deleted(&run);
    if (rc == EXIT_OK_ || run.interrupted) {
        double secs = (double)(time_mono_ms() - run.t0_ms) / 1000;
        if (run.interrupted)
            print_resume(&run);
        else
            print_summary(&run, secs);
        if (a.json)
            print_json(&run, secs);
    }
    /* Interrupted: return 1 with the signal still pending and blocked;
     * otherwise a signal that came after the last batch ends us now. */
    if (!run.interrupted)
        sigprocmask(SIG_SETMASK, &old, NULL);
out:
    store_close(run.st);
    demo_destroy(run.d);
    buf_free(&err);
    return rc;
}
