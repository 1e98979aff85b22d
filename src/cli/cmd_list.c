/* mediadash accounts | content | show: read the store, print tables or
 * JSON. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/alloc.h"
#include "core/jsonw.h"
#include "core/model_json.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "analytics/itemlinks.h"
#include "analytics/stream.h"
#include "analytics/typical.h"

#define DEFAULT_LIMIT 50

/* Columns of the listing tables: metrics shown by name. */
static const char *const account_metrics[] = {M_FOLLOWERS, M_VIEWS};
static const char *const content_metrics[] = {M_VIEWS, M_LIKES, M_COMMENTS};

/* An item kept for --sort vs_typical: its JSON at apart[start, end) or
 * its table cells, and its ratio (negated for descending order). */
struct kept {
    size_t seq, start, end;
    bool has_ratio;
    double key;
    char *cells[8];
};

struct list_run {
    bool json;
    struct jw w;
    struct buf out;
    struct table *t;
    enum item_type type;
    const struct typical *typ; /* content: vs typical, else NULL */
    bool by_typical, ascending;
    struct buf apart;
    struct kept *kept;
    size_t nkept, kept_cap;
};

/* The item's listing JSON (item_json_latest) plus, for content,
 * "vs_typical". */
static void item_json(struct list_run *run, struct jw *w,
                      const struct item *it, bool has,
                      const struct report_typical *rt)
{
    const struct snapshot *snap =
        it->nsnaps > 0 ? it->snaps[it->nsnaps - 1] : NULL;

    if (run->typ == NULL) {
        item_json_latest(w, it);
        return;
    }
    jw_object_begin(w);
    item_json_fields(w, it);
    jw_kv_time(w, "observed_at", snap ? snap->observed_at : TIME_NONE);
    jw_key(w, "metrics");
    if (snap)
        metrics_json(w, &snap->metrics);
    else
        jw_null(w);
    typical_json(w, has, rt);
    jw_object_end(w);
}

/* A row's cells (n of them) kept apart, or added to the table. */
static void add_row(struct list_run *run, const char *const *row, size_t n,
                    bool has, const struct report_typical *rt)
{
    struct kept *k;

    if (!run->by_typical) {
        table_add(run->t, row);
        return;
    }
    run->kept = xgrow(run->kept, &run->kept_cap, run->nkept + 1,
                      sizeof *run->kept);
    k = &run->kept[run->nkept];
    *k = (struct kept){.seq = run->nkept, .has_ratio = has && rt->has_ratio};
    k->key = run->ascending ? rt->ratio : -rt->ratio;
    for (size_t i = 0; i < n; i++)
        k->cells[i] = row[i] ? xstrdup(row[i]) : NULL;
    run->nkept++;
}

static const struct snapshot *latest(const struct item *it)
{
    return it->nsnaps > 0 ? it->snaps[it->nsnaps - 1] : NULL;
}

static enum err list_row(void *ud, const struct item *it)
{
    struct list_run *run = ud;
    const struct snapshot *snap = latest(it);
    bool acct = run->type == ITEM_ACCOUNT;
    const char *const *names = acct ? account_metrics : content_metrics;
    size_t nm = acct ? 2 : 3;
    struct report_typical rt = {0};
    bool has = run->typ != NULL && typical_of(run->typ, it->id, &rt);
    struct buf cells[8];
    const char *row[8];
    size_t c = 0;

    if (run->json && run->by_typical) {
        struct jw w;
        size_t start = run->apart.len;
        jw_init(&w, &run->apart);
        item_json(run, &w, it, has, &rt);
        add_row(run, NULL, 0, has, &rt);
        run->kept[run->nkept - 1].start = start;
        run->kept[run->nkept - 1].end = run->apart.len;
        return jw_status(&w);
    }
    if (run->json) {
        item_json(run, &run->w, it, has, &rt);
        return run->w.status; /* sticky; the array is still open */
    }
    for (size_t i = 0; i < 8; i++)
        buf_init(&cells[i], 4096);
    row[c++] = platform_name(it->platform);
    row[c++] = it->ext_id;
    if (acct) {
        row[c++] = it->handle;
        row[c++] = it->tracked ? "tracked" : "own";
    } else if (it->published_at != TIME_NONE &&
               time_format_date(it->published_at, &cells[0]) == ERR_OK) {
        row[c++] = buf_cstr(&cells[0]);
    } else {
        row[c++] = "";
    }
    for (size_t i = 0; i < nm; i++) {
        if (snap)
            fmt_metric(metrics_get(&snap->metrics, names[i]), &cells[1 + i]);
        row[c++] = buf_cstr(&cells[1 + i]);
    }
    if (!acct) {
        if (has && rt.has_ratio)
            buf_setf(&cells[4], "%.1fx", rt.ratio);
        row[c++] = buf_cstr(&cells[4]);
    }
    row[c++] = it->title;
    add_row(run, row, c, has, &rt);
    for (size_t i = 0; i < 8; i++)
        buf_free(&cells[i]);
    return ERR_OK;
}

static int cmp_kept(const void *a, const void *b)
{
    const struct kept *x = a, *y = b;
    if (x->has_ratio != y->has_ratio)
        return x->has_ratio ? -1 : 1;
    if (x->has_ratio && x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* --sort vs_typical: the kept items by ratio (those without one last in
 * both orders, in listing order), then the page [offset, offset + limit)
 * into the table or the JSON array. */
static void emit_kept(struct list_run *run, const struct item_query *q)
{
    size_t end = q->limit > 0 ? (size_t)(q->offset + q->limit) : run->nkept;

    qsort(run->kept, run->nkept, sizeof *run->kept, cmp_kept);
    for (size_t i = (size_t)q->offset; i < run->nkept && i < end; i++) {
        const struct kept *k = &run->kept[i];
        if (run->json)
            jw_written(&run->w, buf_cstr(&run->apart) + k->start,
                       k->end - k->start);
        else
            table_add(run->t, (const char *const *)k->cells);
    }
    for (size_t i = 0; i < run->nkept; i++)
        for (size_t c = 0; c < 8; c++)
            free(run->kept[i].cells[c]);
    free(run->kept);
}

static int list_items(struct cli *cli, const struct item_query *q, bool json,
                      bool by_typical)
{
    static const char *const acct_h[] = {"PLATFORM", "ID",        "HANDLE",
                                         "ROLE",     "FOLLOWERS", "VIEWS",
                                         "TITLE"};
    static const bool acct_r[] = {false, false, false, false,
                                  true,  true,  false};
    static const char *const cont_h[] = {"PLATFORM", "ID",       "PUBLISHED",
                                         "VIEWS",    "LIKES",    "COMMENTS",
                                         "VS TYPICAL", "TITLE"};
    static const bool cont_r[] = {false, false, false, true,
                                  true,  true,  true,  false};
    struct list_run run = {.json = json, .type = q->type,
                           .by_typical = by_typical,
                           .ascending = q->ascending};
    struct typical *typ = NULL;
    struct item_query all = *q;
    struct store *st = cli_open_store(cli);
    struct buf err;
    enum err rc;
    int exit_code = EXIT_OK_;

    if (st == NULL)
        return EXIT_DB;
    buf_init(&err, 4096);
    buf_init(&run.out, (size_t)1 << 30);
    buf_init(&run.apart, (size_t)1 << 30);
    jw_init(&run.w, &run.out);
    if (q->type == ITEM_ACCOUNT)
        run.t = table_create(7, acct_h, acct_r);
    else
        run.t = table_create(8, cont_h, cont_r);
    if (by_typical) { /* every item, ordered here, then the page */
        all.limit = 0;
        all.offset = 0;
    }
    jw_array_begin(&run.w);
    rc = q->type == ITEM_CONTENT ? typical_build(st, &typ) : ERR_OK;
    run.typ = typ;
    if (rc == ERR_OK)
        rc = store_list_items(st, &all, list_row, &run, &err);
    if (by_typical)
        emit_kept(&run, q);
    jw_array_end(&run.w);
    if (rc != ERR_OK) {
        cli_error("%s", err.len ? buf_cstr(&err) : err_str(rc));
        exit_code = rc == ERR_DB ? EXIT_DB : EXIT_FAIL;
    } else if (json) {
        if (jw_status(&run.w) != ERR_OK || buf_putc(&run.out, '\n') != ERR_OK ||
            !cli_write(stdout, &run.out))
            exit_code = EXIT_FAIL;
    } else {
        int64_t total = 0;
        table_print(run.t, stdout, q->type == ITEM_ACCOUNT ? 6 : 7,
                    cli_term_width());
        if (q->limit > 0 && store_count_items(st, q, &total) == ERR_OK &&
            total > q->offset + q->limit)
            fprintf(stderr, "(%lld of %lld shown; --limit 0 for all)\n",
                    (long long)q->limit, (long long)total);
    }
    table_destroy(run.t);
    typical_free(typ);
    buf_free(&run.apart);
    buf_free(&run.out);
    buf_free(&err);
    store_close(st);
    return exit_code;
}

int cmd_accounts(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"platform", required_argument, NULL, 'p'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    struct item_query q = {.type = ITEM_ACCOUNT, .platform = -1,
                           .sort = SORT_TITLE, .ascending = true};
    bool json = false;
    int c;

    if (argc > 1 && (strcmp(argv[1], "set") == 0 ||
                     strcmp(argv[1], "remove") == 0))
        return cmd_accounts_change(cli, argc, argv);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'p' && cli_social_platform("--platform", optarg, &q.platform))
            continue;
        if (c == 'j') {
            json = true;
            continue;
        }
        return EXIT_USAGE;
    }
    if (optind < argc) {
        cli_error("accounts: unexpected argument \"%s\"", argv[optind]);
        return EXIT_USAGE;
    }
    return list_items(cli, &q, json, false);
}

static bool parse_count(const char *opt, const char *s, int64_t *out)
{
    if (parse_i64(s, 0, INT64_MAX / 2, out) != ERR_OK) {
        cli_error("%s: expected a whole number >= 0, got \"%s\"", opt, s);
        return false;
    }
    return true;
}

static bool parse_sort(const char *s, struct item_query *q, bool *by_typical)
{
    *by_typical = strcmp(s, "vs_typical") == 0;
    if (strcmp(s, "published") == 0 || *by_typical) {
        q->sort = SORT_PUBLISHED;
    } else if (strcmp(s, "title") == 0) {
        q->sort = SORT_TITLE;
    } else if (metric_name_valid(s)) {
        q->sort = SORT_METRIC;
        q->sort_metric = s;
    } else {
        cli_error("--sort: \"%s\" is not published, title, vs_typical or a "
                  "metric name", s);
        return false;
    }
    return true;
}

int cmd_content(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"platform", required_argument, NULL, 'p'},
        {"sort", required_argument, NULL, 's'},
        {"asc", no_argument, NULL, 'a'},
        {"search", required_argument, NULL, 'q'},
        {"limit", required_argument, NULL, 'l'},
        {"offset", required_argument, NULL, 'o'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    struct item_query q = {.type = ITEM_CONTENT, .platform = -1,
                           .sort = SORT_PUBLISHED, .limit = DEFAULT_LIMIT};
    bool json = false, ok = true, by_typical = false;
    int c;

    while (ok && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            ok = cli_social_platform("--platform", optarg, &q.platform);
            break;
        case 's':
            ok = parse_sort(optarg, &q, &by_typical);
            break;
        case 'a':
            q.ascending = true;
            break;
        case 'q':
            q.search = optarg;
            break;
        case 'l':
            ok = parse_count("--limit", optarg, &q.limit);
            break;
        case 'o':
            ok = parse_count("--offset", optarg, &q.offset);
            break;
        case 'j':
            json = true;
            break;
        default:
            ok = false;
        }
    }
    if (ok && optind < argc) {
        cli_error("content: unexpected argument \"%s\"", argv[optind]);
        ok = false;
    }
    return ok ? list_items(cli, &q, json, by_typical) : EXIT_USAGE;
}

/* Metric names over all snapshots: canonical ones first, in DESIGN.md's
 * order, then the rest by name. Borrowed from the item. */
static size_t metric_columns(const struct item *it, const char ***out)
{
    static const char *const canon[] = {
        M_VIEWS, M_LIKES, M_COMMENTS, M_SHARES, M_SAVES,
        M_FOLLOWERS, M_REACH, M_IMPRESSIONS, M_WATCH_TIME_S};
    const char **names = NULL;
    size_t n = 0, cap = 0, ncanon = 0;

    for (size_t k = 0; k < sizeof canon / sizeof canon[0]; k++)
        for (size_t s = 0; s < it->nsnaps; s++)
            if (metrics_get(&it->snaps[s]->metrics, canon[k])) {
                names = xgrow(names, &cap, n + 1, sizeof *names);
                names[n++] = canon[k];
                break;
            }
    ncanon = n;
    for (size_t s = 0; s < it->nsnaps; s++)
        for (size_t i = 0; i < it->snaps[s]->metrics.n; i++) {
            const char *name = it->snaps[s]->metrics.v[i].name;
            size_t k;
            for (k = 0; k < n && strcmp(names[k], name) != 0; k++)
                ;
            if (k < n)
                continue;
            names = xgrow(names, &cap, n + 1, sizeof *names);
            names[n++] = name;
        }
    for (size_t i = ncanon + 1; i < n; i++) /* insertion sort: few names */
        for (size_t j = i; j > ncanon && strcmp(names[j - 1], names[j]) > 0;
             j--) {
            const char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    *out = names;
    return n;
}

static void show_header(const struct item *it)
{
    struct buf b;
    buf_init(&b, 256);
    printf("%s %s %s\n", platform_name(it->platform),
           it->kind ? it->kind : item_type_name(it->type), it->ext_id);
    if (it->title)
        printf("  title:      %s\n", it->title);
    if (it->handle)
        printf("  handle:     %s\n", it->handle);
    if (it->account_ext_id)
        printf("  account:    %s\n", it->account_ext_id);
    if (it->published_at != TIME_NONE &&
        time_format_iso8601(it->published_at, &b) == ERR_OK)
        printf("  published:  %s\n", buf_cstr(&b));
    if (it->duration_s >= 0)
        printf("  duration:   %lld s\n", (long long)it->duration_s);
    if (it->url)
        printf("  url:        %s\n", it->url);
    printf("  snapshots:  %zu\n\n", it->nsnaps);
    buf_free(&b);
}

static void show_table(const struct item *it)
{
    const char **names = NULL;
    size_t n = metric_columns(it, &names);
    const char **h = xcalloc(n + 1, sizeof *h);
    bool *right = xcalloc(n + 1, sizeof *right);
    struct buf *cells = xcalloc(n + 1, sizeof *cells);
    struct table *t;

    h[0] = "OBSERVED_AT";
    for (size_t i = 0; i < n; i++) {
        h[i + 1] = names[i];
        right[i + 1] = true;
    }
    t = table_create(n + 1, h, right);
    for (size_t i = 0; i <= n; i++)
        buf_init(&cells[i], 256);
    for (size_t s = 0; s < it->nsnaps; s++) {
        const struct snapshot *snap = it->snaps[s];
        for (size_t i = 0; i <= n; i++)
            buf_reset(&cells[i]);
        if (time_format_iso8601(snap->observed_at, &cells[0]) != ERR_OK)
            buf_setf(&cells[0], "?");
        for (size_t i = 0; i < n; i++) {
            fmt_metric(metrics_get(&snap->metrics, names[i]), &cells[i + 1]);
            h[i + 1] = buf_cstr(&cells[i + 1]);
        }
        h[0] = buf_cstr(&cells[0]);
        table_add(t, h);
    }
    table_print(t, stdout, -1, 0);
    table_destroy(t);
    for (size_t i = 0; i <= n; i++)
        buf_free(&cells[i]);
    free(cells);
    free(right);
    free(h);
    free(names);
}

/* A stream's figures (stream.h), for show. */
static void show_stream(const struct stream_figures *f)
{
    struct buf b;
    buf_init(&b, 64);
    if (time_format_iso8601(f->peak_at, &b) != ERR_OK)
        buf_setf(&b, "?");
    printf("stream (%zu points, %zu gaps over %lld s left out):\n",
           f->points, f->gaps, (long long)f->gap_s);
    printf("  peak viewers:     %lld at %s\n", (long long)f->peak,
           buf_cstr(&b));
    printf("  average viewers:  %.1f%s\n", f->avg,
           f->covered_s > 0 ? "" : " (mean of the points: no interval)");
    printf("  minutes watched:  %lld%s\n", (long long)f->minutes_watched,
           f->single_point ? " (one point: no estimate)" : "");
    printf("  duration:         %lld s\n\n", (long long)f->duration_s);
    buf_free(&b);
}

static void show_links(const struct item_links *l)
{
    printf("linked items%s:\n", l->truncated ? " (first ones only)" : "");
    for (size_t i = 0; i < l->n; i++) {
        const struct linked_item *li = &l->v[i];
        printf("  %-10s %s %s%s%s", li->came_from ? "came from" : "from it",
               li->kind ? li->kind : "?", li->ext_id,
               li->title ? "  " : "", li->title ? li->title : "");
        if (li->has_views)
            printf("  (%lld views)", (long long)li->views);
        if (!li->stored)
            printf("  (not stored)");
        printf("\n");
    }
    printf("\n");
}

/* The stream figures and links of a content item. false on a store
 * error (printed). */
static bool show_extra(struct store *st, const struct item *it, bool json,
                       struct jw *w)
{
    struct stream_figures f;
    struct item_links l;
    bool is_stream;

    if (it->type != ITEM_CONTENT)
        return true;
    is_stream = stream_of_item(it, &f);
    if (item_links_load(st, it, &l) != ERR_OK) {
        cli_error("show: cannot read the items linked to %s", it->ext_id);
        return false;
    }
    if (json) {
        jw_key(w, "stream");
        if (is_stream)
            stream_json(w, &f);
        else
            jw_null(w);
        jw_key(w, "links");
        item_links_json(w, &l);
    } else {
        if (is_stream)
            show_stream(&f);
        if (l.n > 0)
            show_links(&l);
    }
    item_links_free(&l);
    return true;
}

static bool show_json(struct store *st, const struct item *it)
{
    struct buf out;
    struct jw w;
    bool ok;

    buf_init(&out, (size_t)1 << 30);
    jw_init(&w, &out);
    jw_object_begin(&w); /* item_json_history's fields, then the extra */
    item_json_fields(&w, it);
    jw_kv_str(&w, "description", it->description);
    if (!show_extra(st, it, true, &w)) {
        buf_free(&out);
        return false;
    }
    item_json_snapshots(&w, it);
    jw_object_end(&w);
    ok = jw_status(&w) == ERR_OK && buf_putc(&out, '\n') == ERR_OK &&
         cli_write(stdout, &out);
    buf_free(&out);
    return ok;
}

int cmd_show(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    struct store *st;
    struct item *it = NULL;
    struct buf err;
    bool json = false;
    enum err rc;
    int c, exit_code = EXIT_OK_;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'j')
            return EXIT_USAGE;
        json = true;
    }
    if (optind + 1 != argc) {
        cli_error("show: expected one ITEM (see 'mediadash show --help')");
        return EXIT_USAGE;
    }
    st = cli_open_store(cli);
    if (st == NULL)
        return EXIT_DB;
    buf_init(&err, 4096);
    rc = store_item_history(st, argv[optind], &it, &err);
    if (rc != ERR_OK) {
        cli_error("%s", buf_cstr(&err));
        exit_code = rc == ERR_NOTFOUND    ? EXIT_NOTFOUND
                    : rc == ERR_AMBIGUOUS ? EXIT_USAGE
                                          : EXIT_DB;
    } else if (json) {
        exit_code = show_json(st, it) ? EXIT_OK_ : EXIT_FAIL;
    } else {
        show_header(it);
        if (!show_extra(st, it, false, NULL))
            exit_code = EXIT_DB;
        show_table(it);
    }
    item_destroy(it);
    buf_free(&err);
    store_close(st);
    return exit_code;
}
