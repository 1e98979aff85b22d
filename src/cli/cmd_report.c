/* mediadash report: the overview (totals, gains, top content, engagement,
 * best hours, spikes) as a readable table or JSON. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/report.h"
#include "cli/cli.h"
#include "core/jsonw.h"
#include "core/str.h"
#include "core/timeutil.h"


struct report_args {
    int32_t range_days;
    int64_t from, to; /* TIME_NONE unless given */
    bool from_date, to_date; /* given as plain dates */
    int platform;
    int64_t top;
    bool json;
};

/* The rollup day of an option: a plain date names one directly, an
 * instant falls on one in the rollup zone. */
static int32_t report_arg_day(struct store *st, int64_t t, bool is_date)
{
    return is_date ? (int32_t)(t / 86400) : store_day_of(st, t);
}

static bool parse_range(const char *s, int32_t *days)
{
    if (report_parse_range(s, days) != ERR_OK) {
        cli_error("--range: expected a number of days such as 7d, 28d, 90d "
                  "or 365d, got \"%s\"",
                  s);
        return false;
    }
    return true;
}

static int parse_report(int argc, char **argv, struct report_args *a)
{
    static const struct option opts[] = {
        {"range", required_argument, NULL, 'r'},
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"platform", required_argument, NULL, 'p'},
        {"top", required_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    bool ok = true;
    int c;

    while (ok && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'r') {
            ok = parse_range(optarg, &a->range_days);
        } else if (c == 'f') {
            ok = cli_time("--from", optarg, &a->from);
            a->from_date = time_is_date(optarg);
        } else if (c == 't') {
            ok = cli_time("--to", optarg, &a->to);
            a->to_date = time_is_date(optarg);
        } else if (c == 'p') {
            ok = cli_social_platform("--platform", optarg, &a->platform);
        } else if (c == 'n') {
            ok = parse_i64(optarg, 1, 1000, &a->top) == ERR_OK ||
                 (cli_error("--top: expected 1 to 1000"), false);
        } else if (c == 'j') {
            a->json = true;
        } else {
            ok = false;
        }
    }
    if (ok && optind != argc) {
        cli_error("report: unexpected argument \"%s\"", argv[optind]);
        ok = false;
    }
    return ok ? EXIT_OK_ : EXIT_USAGE;
}

static void fmt_day(int32_t day, struct buf *b)
{
    buf_reset(b);
    if (time_format_day(day, b) != ERR_OK)
        buf_setf(b, "?");
}

#define REPORT_COLS 8

/* One row's cells: cells[0] is the platform, filled by the caller. */
typedef void (*row_fn)(const struct report *r,
                       const struct report_platform *rp, struct buf *cells);

/* A table with a row per present platform and one for all of them. */
static void print_rows(const struct report *r, size_t ncols,
                       const char *const *h, const bool *right, row_fn fn)
{
    struct table *t = table_create(ncols, h, right);
    struct buf c[REPORT_COLS];

    for (size_t i = 0; i < ncols; i++)
        buf_init(&c[i], 64);
    for (int p = 0; p <= PLATFORM_COUNT; p++) {
        const struct report_platform *rp =
            p < PLATFORM_COUNT ? &r->platform[p] : &r->total;
        const char *row[REPORT_COLS];
        if (!rp->present)
            continue;
        for (size_t i = 0; i < ncols; i++)
            buf_reset(&c[i]);
        buf_setf(&c[0], "%s", p < PLATFORM_COUNT ? platform_name(p) : "all");
        fn(r, rp, c);
        for (size_t i = 0; i < ncols; i++)
            row[i] = buf_cstr(&c[i]);
        table_add(t, row);
    }
    table_print(t, stdout, -1, 0);
    table_destroy(t);
    for (size_t i = 0; i < ncols; i++)
        buf_free(&c[i]);
}

static void fmt_signed(int64_t v, struct buf *b)
{
    buf_catf(b, v >= 0 ? "+" : "");
    fmt_count(v, b);
}

static void fmt_rate(bool has, double v, struct buf *b)
{
    if (has)
        buf_catf(b, "%.2f%%", v * 100);
}

static void range_row(const struct report *r, const struct report_platform *rp,
                      struct buf *c)
{
    (void)r;
    fmt_count(rp->accounts, &c[1]);
    fmt_count(rp->content, &c[2]);
    if (rp->has_followers)
        fmt_count(rp->followers, &c[3]);
    if (rp->range.has_followers_gain)
        fmt_signed(rp->range.followers_gain, &c[4]);
    fmt_signed(rp->range.views_gain, &c[5]);
    fmt_signed(rp->range.interactions_gain, &c[6]);
    fmt_rate(rp->range.has_engagement, rp->range.engagement, &c[7]);
}

/* "+1,200 (+12%)": the previous range's gain and the change from it. */
static void fmt_prev(int64_t prev, int64_t cur, struct buf *b)
{
    double ch;
    fmt_signed(prev, b);
    if (report_change(cur, prev, &ch))
        buf_catf(b, " (%+.0f%%)", ch * 100);
}

static void previous_row(const struct report *r,
                         const struct report_platform *rp, struct buf *c)
{
    const struct report_gains *g = &rp->range, *p = &rp->previous;
    (void)r;
    if (p->has_followers_gain)
        fmt_prev(p->followers_gain, g->followers_gain, &c[1]);
    fmt_prev(p->views_gain, g->views_gain, &c[2]);
    fmt_prev(p->interactions_gain, g->interactions_gain, &c[3]);
    fmt_rate(p->has_engagement, p->engagement, &c[4]);
    if (p->has_engagement && g->has_engagement)
        buf_catf(&c[4], " (%+.2f pts)", (g->engagement - p->engagement) * 100);
}

static void lifetime_row(const struct report *r,
                         const struct report_platform *rp, struct buf *c)
{
    (void)r;
    if (rp->has_channel_views)
        fmt_count(rp->channel_views, &c[1]);
    fmt_count(rp->content_views, &c[2]);
    fmt_count(rp->content_interactions, &c[3]);
    fmt_rate(rp->has_lifetime_engagement, rp->lifetime_engagement, &c[4]);
}

static void print_platforms(const struct report *r)
{
    static const char *const h[] = {
        "PLATFORM", "ACCOUNTS",      "CONTENT",   "FOLLOWERS", "+FOLLOWERS",
        "+VIEWS",   "+INTERACTIONS", "ENGAGEMENT"};
    static const char *const hp[] = {"PLATFORM", "+FOLLOWERS", "+VIEWS",
                                     "+INTERACTIONS", "ENGAGEMENT"};
    static const char *const hl[] = {"PLATFORM", "CHANNEL VIEWS",
                                     "CONTENT VIEWS", "INTERACTIONS",
                                     "ENGAGEMENT"};
    static const bool right[] = {false, true, true, true,
                                 true,  true, true, true};
    struct buf a, b;

    buf_init(&a, 32);
    buf_init(&b, 32);
    print_rows(r, 8, h, right, range_row);
    fmt_day(r->prev_from_day, &a);
    fmt_day(r->from_day - 1, &b);
    printf("\nPrevious %d days (%s .. %s), and the change from them\n",
           (int)(r->from_day - r->prev_from_day), buf_cstr(&a), buf_cstr(&b));
    print_rows(r, 5, hp, right, previous_row);
    printf("\nLifetime (latest values, whatever the range)\n");
    print_rows(r, 5, hl, right, lifetime_row);
    buf_free(&a);
    buf_free(&b);
}

static void print_top(const struct report *r)
{
    static const char *const h[] = {"#", "PLATFORM", "ID", "+VIEWS", "TITLE"};
    static const bool right[] = {true, false, false, true, false};
    struct table *t = table_create(5, h, right);
    struct buf n, g;

    buf_init(&n, 32);
    buf_init(&g, 32);
    for (size_t i = 0; i < r->ntop; i++) {
        const struct item *it = r->top[i].item;
        const char *row[5];
        buf_setf(&n, "%zu", i + 1);
        buf_reset(&g);
        fmt_count(r->top[i].gain, &g);
        row[0] = buf_cstr(&n);
        row[1] = platform_name(it->platform);
        row[2] = it->ext_id;
        row[3] = buf_cstr(&g);
        row[4] = it->title;
        table_add(t, row);
    }
    table_print(t, stdout, 4, cli_term_width());
    table_destroy(t);
    buf_free(&n);
    buf_free(&g);
}

static void print_text(const struct report *r)
{
    struct buf a, b;
    buf_init(&a, 64);
    buf_init(&b, 64);
    fmt_day(r->from_day, &a);
    fmt_day(r->to_day - 1, &b);
    printf("Report %s .. %s (%d days, days in %s)\n\n", buf_cstr(&a),
           buf_cstr(&b), (int)(r->to_day - r->from_day),
           r->zone ? r->zone : "UTC");
    if (!r->total.present) {
        printf("No data yet: import saved API responses with "
               "'mediadash import FILE...'.\n");
        goto out;
    }
    print_platforms(r);
    printf("\nOwned accounts only. +VIEWS: views the content gained in the "
           "range; +INTERACTIONS: likes, comments, shares and saves it "
           "gained; ENGAGEMENT: +INTERACTIONS / +VIEWS.\n");
    printf("\nTop %zu content by views gained\n", r->ntop);
    if (r->ntop)
        print_top(r);
    else
        printf("  (no views gained in this range)\n");
    printf("\nBest time to post (mean views in the first %d days, by "
           "publish hour, UTC): ",
           7);
    if (r->best_hour >= 0) {
        double m = 0;
        if (!heatmap_mean(&r->heat, r->best_hour, &m))
            m = 0;
        printf("%s %02d:00 (%.0f views, %u items)\n",
               report_wday_names[r->best_hour / 24], r->best_hour % 24, m,
               r->heat.count[r->best_hour]);
    } else {
        printf("not enough data\n");
    }
    printf("\nSpikes (items far above their own baseline; peak day): %zu\n",
           r->nspikes);
    for (size_t i = 0; i < r->nspikes; i++) {
        const struct report_spike *sp = &r->spikes[i];
        fmt_day(sp->day, &a);
        printf("  %s  %s:%s  +%lld views (baseline %.0f, score %.1f; "
               "%d day%s above, +%.0f in all)  %s\n",
               buf_cstr(&a), platform_name(sp->item->platform),
               sp->item->ext_id, (long long)sp->gain, sp->baseline,
               sp->score, (int)sp->days_above,
               sp->days_above == 1 ? "" : "s", sp->excess,
               sp->item->title ? sp->item->title : "");
    }
out:
    buf_free(&a);
    buf_free(&b);
}

static bool print_json(const struct report *r)
{
    struct buf out;
    struct jw w;
    bool ok;

    buf_init(&out, (size_t)1 << 26);
    jw_init(&w, &out);
    report_json(&w, r);
    ok = jw_status(&w) == ERR_OK && buf_putc(&out, '\n') == ERR_OK &&
         cli_write(stdout, &out);
    buf_free(&out);
    return ok;
}

int cmd_report(struct cli *cli, int argc, char **argv)
{
    struct report_args a = {.range_days = 28, .from = TIME_NONE,
                            .to = TIME_NONE, .platform = -1, .top = 10};
    struct report_opts o;
    struct report r;
    struct store *st;
    struct buf err;
    int exit_code = parse_report(argc, argv, &a);

    if (exit_code != EXIT_OK_)
        return exit_code;
    st = cli_open_store(cli);
    if (st == NULL)
        return EXIT_DB;
    o.to_day = a.to != TIME_NONE ? report_arg_day(st, a.to, a.to_date) + 1
                                 : store_day_of(st, time_now()) + 1;
    o.from_day = a.from != TIME_NONE ? report_arg_day(st, a.from, a.from_date)
                                     : o.to_day - (int32_t)a.range_days;
    o.platform = a.platform;
    o.top_n = (size_t)a.top;
    buf_init(&err, 4096);
    if (report_build(st, &o, &r, &err) != ERR_OK) {
        cli_error("%s", buf_cstr(&err));
        exit_code = EXIT_FAIL;
    } else {
        if (a.json)
            exit_code = print_json(&r) ? EXIT_OK_ : EXIT_FAIL;
        else
            print_text(&r);
        report_free(&r);
    }
    buf_free(&err);
    store_close(st);
    return exit_code;
}
