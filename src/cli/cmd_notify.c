/* mediadash notify test|list|log: notifications (src/notify). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/jsonw.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "notify/notify.h"

#define NOTIFY_MAX_SETS 32
#define TEST_ROUNDS 5 /* delivery rounds `notify test` runs at most */

struct notify_args {
    const char *sub;
    const char *conf_file;
    const char *sets[NOTIFY_MAX_SETS];
    size_t nsets;
    int64_t limit;
    bool json;
};

static int parse_notify(int argc, char **argv, struct notify_args *a)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'f'},
        {"set", required_argument, NULL, 'S'},
        {"limit", required_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'f')
            a->conf_file = optarg;
        else if (c == 'S' && a->nsets < NOTIFY_MAX_SETS)
            a->sets[a->nsets++] = optarg;
        else if (c == 'n' && parse_i64(optarg, 1, 500, &a->limit) == ERR_OK)
            continue;
        else if (c == 'j')
            a->json = true;
        else {
            if (c == 'n')
                cli_error("--limit: a number from 1 to 500");
            return EXIT_USAGE;
        }
    }
    if (optind + 1 != argc) {
        cli_error("notify: expected one of test, list, log");
        return EXIT_USAGE;
    }
    a->sub = argv[optind];
    return EXIT_OK_;
}

/* ---- test --------------------------------------------------------------- */

struct shown {
    int64_t id;
    bool ok;
};

static enum err show_event(void *ud, const struct notify_event *ev)
{
    struct shown *s = ud;

    printf("%-20s webhook %-8s mail %s\n", ev->kind, ev->state[NOTIFY_WEBHOOK],
           ev->state[NOTIFY_MAIL]);
    for (int c = 0; c < NOTIFY_CHANNEL_COUNT; c++)
        if (str_eq(ev->state[c], "pending") || str_eq(ev->state[c], "failed"))
            s->ok = false;
    return ERR_OK;
}

static enum err show_failure(void *ud, const struct notify_delivery *d)
{
    const int64_t *ids = ud;

    for (int i = 0; i < NOTIFY_TEST_COUNT; i++)
        if (d->outbox_id == ids[i] && !d->ok)
            fprintf(stderr, "mediadash: %s by %s: %s\n", d->kind, d->channel,
                    d->detail);
    return ERR_OK;
}

/* One test event of each kind, delivered now; 0 when every configured
 * channel took every one. */
static int run_test(struct cli_platform *x)
{
    struct notify_sender *snd = NULL;
    int64_t ids[NOTIFY_TEST_COUNT];
    struct shown s = {0, true};
    enum err rc = ERR_OK;

    if (!notify_channel_on(x->cfg, NOTIFY_WEBHOOK) &&
        !notify_channel_on(x->cfg, NOTIFY_MAIL)) {
        cli_error("notify test: no channel: set notify.webhook_url, or "
                  "notify.smtp_url with notify.smtp_from and notify.smtp_to");
        return EXIT_FAIL;
    }
    rc = notify_test(x->st, time_now(), ids, &x->err);
    if (rc == ERR_OK)
        rc = notify_sender_create(x->cfg, NULL, &snd, &x->err);
    for (int i = 0; rc == ERR_OK && i < TEST_ROUNDS; i++) {
        struct notify_stats stats = {0};
        rc = notify_sender_deliver(snd, x->st, time_now(), &stats, &x->err);
        if (stats.sent + stats.retried + stats.failed == 0)
            break;
    }
    notify_sender_destroy(snd);
    for (int i = 0; rc == ERR_OK && i < NOTIFY_TEST_COUNT; i++)
        rc = store_notify_get(x->st, ids[i], show_event, &s);
    if (rc == ERR_OK)
        rc = store_notify_deliveries(x->st, 100, show_failure, ids);
    if (rc != ERR_OK) {
        cli_error("notify test: %s", buf_cstr(&x->err));
        return EXIT_DB;
    }
    return s.ok ? EXIT_OK_ : EXIT_FAIL;
}

/* ---- list and log ------------------------------------------------------- */

struct out {
    struct jw w;
    struct table *t;
};

static enum err list_row(void *ud, const struct notify_event *ev)
{
    struct out *o = ud;
    struct buf when, sum, id;

    if (o->t == NULL) {
        jw_object_begin(&o->w);
        jw_kv_i64(&o->w, "id", ev->id);
        jw_kv_str(&o->w, "kind", ev->kind);
        jw_kv_bool(&o->w, "test", ev->test);
        jw_kv_time(&o->w, "created_at", ev->created_at);
        for (int c = 0; c < NOTIFY_CHANNEL_COUNT; c++) {
            jw_key(&o->w, notify_channel_name((enum notify_channel)c));
            jw_object_begin(&o->w);
            jw_kv_str(&o->w, "state", ev->state[c]);
            jw_kv_i64(&o->w, "attempts", ev->attempts[c]);
            jw_kv_time(&o->w, "next_at", str_eq(ev->state[c], "pending")
                                             ? ev->next_at[c]
                                             : TIME_NONE);
            jw_object_end(&o->w);
        }
        jw_object_end(&o->w);
        return o->w.status;
    }
    buf_init(&when, 64);
    buf_init(&sum, 4096);
    buf_init(&id, 32);
    buf_catf(&id, "%lld", (long long)ev->id);
    if (time_format_iso8601(ev->created_at, &when) != ERR_OK ||
        notify_summary(ev, &sum) != ERR_OK)
        buf_catf(&sum, "...");
    const char *cells[] = {buf_cstr(&id), buf_cstr(&when), ev->kind,
                           ev->state[NOTIFY_WEBHOOK], ev->state[NOTIFY_MAIL],
                           buf_cstr(&sum)};
    table_add(o->t, cells);
    buf_free(&when);
    buf_free(&sum);
    buf_free(&id);
    return ERR_OK;
}

static enum err log_row(void *ud, const struct notify_delivery *d)
{
    struct out *o = ud;
    struct buf when, id, st;

    if (o->t == NULL) {
        jw_object_begin(&o->w);
        jw_kv_i64(&o->w, "event", d->outbox_id);
        jw_kv_str(&o->w, "kind", d->kind);
        jw_kv_bool(&o->w, "test", d->test);
        jw_kv_str(&o->w, "channel", d->channel);
        jw_kv_time(&o->w, "at", d->at);
        jw_kv_i64(&o->w, "attempt", d->attempt);
        jw_kv_bool(&o->w, "ok", d->ok);
        jw_kv_i64(&o->w, "status", d->status);
        jw_kv_str(&o->w, "detail", d->detail);
        jw_object_end(&o->w);
        return o->w.status;
    }
    buf_init(&when, 64);
    buf_init(&id, 32);
    buf_init(&st, 64);
    buf_catf(&id, "%lld", (long long)d->outbox_id);
    buf_catf(&st, "%s %d", d->ok ? "ok" : "failed", d->status);
    if (time_format_iso8601(d->at, &when) != ERR_OK)
        buf_reset(&when);
    const char *cells[] = {buf_cstr(&when), buf_cstr(&id), d->kind,
                           d->channel, buf_cstr(&st), d->detail};
    table_add(o->t, cells);
    buf_free(&when);
    buf_free(&id);
    buf_free(&st);
    return ERR_OK;
}

static int run_list(struct cli *cli, const struct notify_args *a, bool log)
{
    static const char *const lh[] = {"event", "when", "kind", "webhook",
                                     "mail", "summary"};
    static const char *const gh[] = {"when", "event", "kind", "channel",
                                     "result", "detail"};
    struct store *st = cli_open_store(cli);
    struct out o = {.t = NULL};
    struct buf b;
    enum err rc;
    bool ok;

    if (st == NULL)
        return EXIT_DB;
    buf_init(&b, (size_t)16 << 20);
    jw_init(&o.w, &b);
    if (!a->json)
        o.t = table_create(6, log ? gh : lh, NULL);
    else
        jw_array_begin(&o.w);
    rc = log ? store_notify_deliveries(st, (size_t)a->limit, log_row, &o)
             : store_notify_list(st, (size_t)a->limit, list_row, &o);
    if (a->json)
        jw_array_end(&o.w);
    ok = rc == ERR_OK;
    if (ok && a->json)
        ok = jw_status(&o.w) == ERR_OK && buf_putc(&b, '\n') == ERR_OK &&
             cli_write(stdout, &b);
    else if (ok)
        table_print(o.t, stdout, 5, cli_term_width());
    if (rc != ERR_OK)
        cli_error("notify %s: the database could not be read", a->sub);
    table_destroy(o.t);
    buf_free(&b);
    store_close(st);
    return rc != ERR_OK ? EXIT_DB : ok ? EXIT_OK_ : EXIT_FAIL;
}

int cmd_notify(struct cli *cli, int argc, char **argv)
{
    struct notify_args a = {.limit = 50};
    struct cli_platform x;
    int exit_code = parse_notify(argc, argv, &a);

    if (exit_code != EXIT_OK_)
        return exit_code;
    if (strcmp(a.sub, "list") == 0 || strcmp(a.sub, "log") == 0)
        return run_list(cli, &a, strcmp(a.sub, "log") == 0);
    if (strcmp(a.sub, "test") != 0) {
        cli_error("notify: unknown subcommand \"%s\" (test, list, log)",
                  a.sub);
        return EXIT_USAGE;
    }
    exit_code = cli_platform_open(cli, a.conf_file, a.sets, a.nsets, NULL, &x);
    if (exit_code == EXIT_OK_)
        exit_code = run_test(&x);
    cli_platform_close(&x);
    return exit_code;
}
