/* mediadash health (status, remove) and mediadash export health: the
 * health tables (store_health.h), apart from every social command. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/jsonw.h"
#include "core/timeutil.h"
#include "platforms/platform.h"
#include "store/store_health.h"

/* The health source's name (its connection rows) and display name. */
static const char *source_name(void)
{
    const struct platform_desc *d = platform_health_source();
    return d != NULL ? d->name : NULL;
}

static const char *source_display(void)
{
    const struct platform_desc *d = platform_health_source();
    return d != NULL ? d->display : "Health source";
}

static void print_counts(const struct store_health_counts *c, bool json)
{
    struct buf b;
    struct jw w;
    char label[64];

    if (!json) {
        snprintf(label, sizeof label, "%s connection", source_display());
        printf("daily documents     %lld\n"
               "  contributors      %lld\n"
               "sleep periods       %lld\n"
               "heart rate samples  %lld\n"
               "workouts            %lld\n"
               "sessions            %lld\n"
               "daily SpO2          %lld\n"
               "%-19s %lld rows (tokens, logins, jobs)\n",
               (long long)c->daily, (long long)c->contrib,
               (long long)c->sleep, (long long)c->hr, (long long)c->workout,
               (long long)c->session, (long long)c->spo2, label,
               (long long)c->connection);
        return;
    }
    buf_init(&b, 4096);
    jw_init(&w, &b);
    jw_object_begin(&w);
    jw_kv_i64(&w, "daily", c->daily);
    jw_kv_i64(&w, "contributors", c->contrib);
    jw_kv_i64(&w, "sleep", c->sleep);
    jw_kv_i64(&w, "heartrate", c->hr);
    jw_kv_i64(&w, "workout", c->workout);
    jw_kv_i64(&w, "session", c->session);
    jw_kv_i64(&w, "spo2", c->spo2);
    jw_kv_i64(&w, "connection", c->connection);
    jw_object_end(&w);
    if (jw_status(&w) == ERR_OK && buf_putc(&b, '\n') == ERR_OK)
        cli_write(stdout, &b);
    buf_free(&b);
}

static int health_remove(struct store *st, bool yes)
{
    struct store_health_counts c;
    struct buf err, ask;
    int code = EXIT_OK_;

    buf_init(&err, 4096);
    buf_init(&ask, 128);
    buf_setf(&ask, "Delete every health row and the %s connection's tokens?",
             source_display());
    if (!cli_confirm("health remove", yes, buf_cstr(&ask))) {
        code = EXIT_FAIL;
    } else if (store_health_remove(st, source_name(), &c, &err) != ERR_OK) {
        cli_error("health remove: %s", buf_cstr(&err));
        code = EXIT_DB;
    } else {
        fprintf(stderr, "removed %lld daily documents, %lld sleep periods, "
                        "%lld heart rate samples, %lld workouts and %lld "
                        "rows of the %s connection, with %lld sessions and "
                        "%lld daily SpO2 documents\n",
                (long long)c.daily, (long long)c.sleep, (long long)c.hr,
                (long long)c.workout, (long long)c.connection,
                source_display(), (long long)c.session, (long long)c.spo2);
    }
    buf_free(&ask);
    buf_free(&err);
    return code;
}

int cmd_health(struct cli *cli, int argc, char **argv)
{
    struct store_health_counts c;
    struct store *st;
    struct buf err;
    unsigned flags;
    bool yes, json, remove;
    int code = EXIT_OK_;

    if (argc < 2 || (strcmp(argv[1], "remove") != 0 &&
                     strcmp(argv[1], "status") != 0)) {
        cli_error("health: say status or remove (see 'mediadash health "
                  "--help')");
        return EXIT_USAGE;
    }
    remove = strcmp(argv[1], "remove") == 0;
    if (!cli_yes_json(remove ? "health remove" : "health status", argc - 1,
                      argv + 1, remove ? CLI_YES : CLI_JSON, &flags))
        return EXIT_USAGE;
    yes = (flags & CLI_YES) != 0;
    json = (flags & CLI_JSON) != 0;
    if (optind != argc - 1) {
        cli_error("health %s: takes no arguments", argv[1]);
        return EXIT_USAGE;
    }
    st = cli_open_store(cli);
    if (st == NULL)
        return EXIT_DB;
    buf_init(&err, 4096);
    if (remove) {
        code = health_remove(st, yes);
    } else if (store_health_count(st, source_name(), &c, &err) != ERR_OK) {
        cli_error("health status: %s", buf_cstr(&err));
        code = EXIT_DB;
    } else {
        print_counts(&c, json);
    }
    buf_free(&err);
    store_close(st);
    return code;
}

/* ---- export health -------------------------------------------------------- */

struct day_col {
    const char *name;
    size_t off;
    bool real;
};

#define DCOL(n, f, r) {n, offsetof(struct store_health_day, f), r}
static const struct day_col day_cols[] = {
    DCOL("sleep_score", sleep_score, false),
    DCOL("readiness_score", readiness_score, false),
    DCOL("activity_score", activity_score, false),
    DCOL("steps", steps, false),
    DCOL("active_calories", active_calories, false),
    DCOL("sleep_s", sleep_s, false),
    DCOL("in_bed_s", in_bed_s, false),
    DCOL("deep_s", deep_s, false),
    DCOL("rem_s", rem_s, false),
    DCOL("light_s", light_s, false),
    DCOL("lowest_hr", lowest_hr, false),
    DCOL("average_hrv", average_hrv, true),
    DCOL("temperature_deviation", temp_dev, true),
    DCOL("spo2_average", spo2, true),
    DCOL("sessions", sessions, false),
    DCOL("session_s", session_s, false),
};
#define NCOLS (sizeof day_cols / sizeof day_cols[0])

struct hexport {
    FILE *f;
    bool jsonl;
    struct buf line;
    int64_t rows;
};

static int64_t col_int(const struct store_health_day *d, size_t i)
{
    return *(const int64_t *)(const void *)((const char *)d +
                                            day_cols[i].off);
}

static double col_real(const struct store_health_day *d, size_t i)
{
    return *(const double *)(const void *)((const char *)d + day_cols[i].off);
}

static enum err day_csv(const struct store_health_day *d, struct buf *b)
{
    enum err rc = buf_puts(b, d->day);

    for (size_t i = 0; rc == ERR_OK && i < NCOLS; i++) {
        rc = buf_putc(b, ',');
        if (rc == ERR_OK && day_cols[i].real && !isnan(col_real(d, i)))
            rc = buf_printf(b, "%.3f", col_real(d, i));
        else if (rc == ERR_OK && !day_cols[i].real &&
                 col_int(d, i) != HEALTH_NONE)
            rc = buf_printf(b, "%lld", (long long)col_int(d, i));
    }
    return rc == ERR_OK ? buf_putc(b, '\n') : rc;
}

static enum err day_jsonl(const struct store_health_day *d, struct buf *b)
{
    struct jw w;

    jw_init(&w, b);
    jw_object_begin(&w);
    jw_kv_str(&w, "day", d->day);
    for (size_t i = 0; i < NCOLS; i++) {
        jw_key(&w, day_cols[i].name);
        if (day_cols[i].real)
            jw_real(&w, col_real(d, i));
        else if (col_int(d, i) == HEALTH_NONE)
            jw_null(&w);
        else
            jw_i64(&w, col_int(d, i));
    }
    jw_object_end(&w);
    return jw_status(&w) == ERR_OK ? buf_putc(b, '\n') : ERR_TOOBIG;
}

static enum err export_day(const struct store_health_day *d, void *ud)
{
    struct hexport *x = ud;
    enum err rc;

    buf_reset(&x->line);
    rc = x->jsonl ? day_jsonl(d, &x->line) : day_csv(d, &x->line);
    if (rc == ERR_OK &&
        fwrite(x->line.data, 1, x->line.len, x->f) != x->line.len)
        rc = ERR_IO;
    x->rows++;
    return rc;
}

/* --from/--to: a plain date, checked. */
static bool day_arg(const char *opt, const char *s, const char **out)
{
    int64_t t;

    if (!time_is_date(s) || time_parse_iso8601(s, &t) != ERR_OK) {
        cli_error("%s: expected a date YYYY-MM-DD, got \"%s\"", opt, s);
        return false;
    }
    *out = s;
    return true;
}

struct hexport_args {
    bool jsonl;
    const char *from, *to, *output;
};

static int parse_hexport(int argc, char **argv, struct hexport_args *a)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 0;
    /* argv[0] is "health" (cmd_export passes what follows "export") */
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        if (c == 'f' && (strcmp(optarg, "csv") == 0 ||
                         strcmp(optarg, "jsonl") == 0))
            a->jsonl = strcmp(optarg, "jsonl") == 0;
        else if (c == 'F' && day_arg("--from", optarg, &a->from))
            continue;
        else if (c == 'T' && day_arg("--to", optarg, &a->to))
            continue;
        else if (c == 'o')
            a->output = optarg;
        else {
            if (c == 'f')
                cli_error("--format: csv or jsonl, not \"%s\"", optarg);
            return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        cli_error("export health: takes no arguments");
        return EXIT_USAGE;
    }
    return EXIT_OK_;
}

int cmd_export_health(struct cli *cli, int argc, char **argv)
{
    struct hexport_args a = {false, NULL, NULL, NULL};
    struct hexport x = {NULL, false, {0}, 0};
    struct store *st;
    struct buf err;
    enum err rc = ERR_OK;
    int code = parse_hexport(argc, argv, &a);

    if (code != EXIT_OK_)
        return code;
    st = cli_open_store(cli);
    if (st == NULL)
        return EXIT_DB;
    x.jsonl = a.jsonl;
    x.f = a.output ? fopen(a.output, "w") : stdout;
    if (x.f == NULL) {
        cli_error("%s: %s", a.output, strerror(errno));
        store_close(st);
        return EXIT_FAIL;
    }
    buf_init(&x.line, 8192);
    buf_init(&err, 4096);
    if (!a.jsonl) {
        rc = buf_puts(&x.line, "day");
        for (size_t i = 0; rc == ERR_OK && i < NCOLS; i++)
            rc = buf_printf(&x.line, ",%s", day_cols[i].name);
        if (rc == ERR_OK && (buf_putc(&x.line, '\n') != ERR_OK ||
                             fwrite(x.line.data, 1, x.line.len, x.f) !=
                                 x.line.len))
            rc = ERR_IO;
    }
    if (rc == ERR_OK)
        rc = store_health_days(st, a.from, a.to, export_day, &x, &err);
    if (rc == ERR_OK && fflush(x.f) != 0)
        rc = ERR_IO;
    if (rc != ERR_OK) {
        cli_error("export health failed: %s",
                  err.len ? buf_cstr(&err) : err_str(rc));
        code = rc == ERR_DB ? EXIT_DB : EXIT_FAIL;
    } else if (!cli->quiet && a.output) {
        fprintf(stderr, "%s: %lld days\n", a.output, (long long)x.rows);
    }
    if (a.output && fclose(x.f) != 0 && code == EXIT_OK_)
        code = EXIT_FAIL;
    buf_free(&x.line);
    buf_free(&err);
    store_close(st);
    return code;
}
