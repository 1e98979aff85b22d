/* mediadash export: snapshots (one row per metric value) and content (one
 * document per item) as CSV or JSON Lines, streamed; documents (for
 * retrieval, analytics/documents.h) as JSON Lines. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analytics/documents.h"
#include "cli/cli.h"
#include "core/jsonw.h"
#include "core/progress.h"
#include "core/timeutil.h"

#define FLUSH_AT 65536

enum export_format { FMT_CSV, FMT_JSONL };

struct export_run {
    FILE *f;
    enum export_format format;
    struct buf out; /* pending bytes, flushed at FLUSH_AT */
    struct buf tmp;
    int64_t rows;
    struct progress *pg; /* NULL: no progress line */
};

static enum err flush_if_full(struct export_run *run, bool force)
{
    if (run->out.len < FLUSH_AT && !force)
        return ERR_OK;
    if (run->out.len > 0 &&
        fwrite(run->out.data, 1, run->out.len, run->f) != run->out.len)
        return ERR_IO;
    buf_reset(&run->out);
    return ERR_OK;
}

/* One CSV field. Free text that a spreadsheet would run as a formula
 * (leading = + - @ tab CR) gets a leading apostrophe (OWASP advice). */
static enum err csv_field(struct buf *out, const char *s, bool text, bool last)
{
    bool quote;
    enum err rc = ERR_OK;

    if (s == NULL)
        s = "";
    quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        rc = buf_putc(out, '"');
    if (rc == ERR_OK && text && s[0] && strchr("=+-@\t\r", s[0]))
        rc = buf_putc(out, '\'');
    for (const char *p = s; *p && rc == ERR_OK; p++)
        rc = *p == '"' ? buf_puts(out, "\"\"") : buf_putc(out, *p);
    if (rc == ERR_OK && quote)
        rc = buf_putc(out, '"');
    if (rc == ERR_OK)
        rc = buf_putc(out, last ? '\n' : ',');
    return rc;
}

static void format_value(struct buf *b, bool is_real, int64_t i, double r)
{
    buf_reset(b);
    if (is_real)
        buf_catf(b, "%.17g", r);
    else
        buf_catf(b, "%lld", (long long)i);
}

static enum err snapshot_row(void *ud, const struct export_row *row)
{
    struct export_run *run = ud;
    enum err rc = ERR_OK;

    run->rows++;
    progress_update(run->pg, run->rows, -1);
    if (run->format == FMT_JSONL) {
        struct jw w;
        jw_init(&w, &run->out);
        jw_object_begin(&w);
        jw_kv_str(&w, "platform", platform_name(row->platform));
        jw_kv_str(&w, "account_id", row->account_ext_id);
        jw_kv_str(&w, "content_id", row->content_ext_id);
        jw_kv_time(&w, "observed_at", row->observed_at);
        jw_kv_str(&w, "metric", row->metric);
        if (row->is_real)
            jw_kv_real(&w, "value", row->r);
        else
            jw_kv_i64(&w, "value", row->i);
        jw_object_end(&w);
        rc = jw_status(&w);
        if (rc == ERR_OK)
            rc = buf_putc(&run->out, '\n');
        return rc == ERR_OK ? flush_if_full(run, false) : rc;
    }
    buf_reset(&run->tmp);
    if (time_format_iso8601(row->observed_at, &run->tmp) != ERR_OK)
        return ERR_INVALID;
    rc = csv_field(&run->out, platform_name(row->platform), false, false);
    if (rc == ERR_OK)
        rc = csv_field(&run->out, row->account_ext_id, false, false);
    if (rc == ERR_OK)
        rc = csv_field(&run->out, row->content_ext_id, false, false);
    if (rc == ERR_OK)
        rc = csv_field(&run->out, buf_cstr(&run->tmp), false, false);
    if (rc == ERR_OK)
        rc = csv_field(&run->out, row->metric, false, false);
    format_value(&run->tmp, row->is_real, row->i, row->r);
    if (rc == ERR_OK)
        rc = csv_field(&run->out, buf_cstr(&run->tmp), false, true);
    return rc == ERR_OK ? flush_if_full(run, false) : rc;
}

static const char *const content_csv_metrics[] = {
    M_VIEWS, M_LIKES, M_COMMENTS, M_SHARES, M_SAVES};

static enum err content_csv(struct export_run *run, const struct item *it,
                            const struct snapshot *snap)
{
    const char *vals[2 * 8];
    struct buf when, pub;
    enum err rc = ERR_OK;
    size_t n = 0;

    buf_init(&when, 64);
    buf_init(&pub, 64);
    if (it->published_at != TIME_NONE &&
        time_format_iso8601(it->published_at, &pub) != ERR_OK)
        buf_reset(&pub);
    if (snap && time_format_iso8601(snap->observed_at, &when) != ERR_OK)
        buf_reset(&when);
    vals[n++] = platform_name(it->platform);
    vals[n++] = it->ext_id;
    vals[n++] = it->account_ext_id;
    vals[n++] = it->kind;
    vals[n++] = buf_cstr(&pub);
    vals[n++] = it->url;
    vals[n++] = buf_cstr(&when);
    for (size_t i = 0; i < n && rc == ERR_OK; i++)
        rc = csv_field(&run->out, vals[i], false, false);
    for (size_t i = 0; i < 5 && rc == ERR_OK; i++) {
        const struct metric *m =
            snap ? metrics_get(&snap->metrics, content_csv_metrics[i]) : NULL;
        buf_reset(&run->tmp);
        if (m)
            format_value(&run->tmp, m->is_real, m->i, m->r);
        rc = csv_field(&run->out, buf_cstr(&run->tmp), false, false);
    }
    if (rc == ERR_OK)
        rc = csv_field(&run->out, it->title, true, false);
    if (rc == ERR_OK)
        rc = csv_field(&run->out, it->description, true, true);
    buf_free(&when);
    buf_free(&pub);
    return rc;
}

static enum err content_jsonl(struct export_run *run, const struct item *it,
                              const struct snapshot *snap)
{
    struct jw w;
    enum err rc;

    jw_init(&w, &run->out);
    jw_object_begin(&w);
    jw_kv_str(&w, "platform", platform_name(it->platform));
    jw_kv_str(&w, "id", it->ext_id);
    jw_kv_str(&w, "account_id", it->account_ext_id);
    jw_kv_str(&w, "kind", it->kind);
    jw_kv_str(&w, "title", it->title);
    jw_kv_str(&w, "description", it->description);
    jw_kv_str(&w, "url", it->url);
    jw_kv_str(&w, "thumbnail_url", it->thumbnail_url);
    jw_kv_time(&w, "published_at", it->published_at);
    if (it->duration_s >= 0)
        jw_kv_i64(&w, "duration_s", it->duration_s);
    jw_kv_time(&w, "observed_at", snap ? snap->observed_at : TIME_NONE);
    jw_key(&w, "metrics");
    jw_object_begin(&w);
    for (size_t i = 0; snap && i < snap->metrics.n; i++) {
        const struct metric *m = &snap->metrics.v[i];
        if (m->is_real)
            jw_kv_real(&w, m->name, m->r);
        else
            jw_kv_i64(&w, m->name, m->i);
    }
    jw_object_end(&w);
    documents_text(&run->tmp, it);
    jw_kv_str(&w, "text", buf_cstr(&run->tmp));
    jw_object_end(&w);
    rc = jw_status(&w);
    return rc == ERR_OK ? buf_putc(&run->out, '\n') : rc;
}

static enum err content_row(void *ud, const struct item *it)
{
    struct export_run *run = ud;
    const struct snapshot *snap = it->nsnaps ? it->snaps[it->nsnaps - 1]
                                             : NULL;
    enum err rc = run->format == FMT_CSV ? content_csv(run, it, snap)
                                         : content_jsonl(run, it, snap);
    run->rows++;
    progress_update(run->pg, run->rows, -1);
    return rc == ERR_OK ? flush_if_full(run, false) : rc;
}

enum export_kind { EXPORT_SNAPSHOTS, EXPORT_CONTENT, EXPORT_DOCUMENTS };

struct export_args {
    enum export_kind kind;
    int role; /* documents: -1 any, 0 own, 1 tracked */
    int format; /* -1: the kind's default */
    int platform;
    int64_t since, until;
    const char *output;
};

static const char *const export_kinds[] = {"snapshots", "content",
                                           "documents"};

/* What to export (the one operand) and the checks that need it. */
static bool export_kind_check(int argc, char **argv, struct export_args *a)
{
    bool found = false;

    for (int k = 0; k < 3 && optind + 1 == argc && !found; k++)
        if (strcmp(argv[optind], export_kinds[k]) == 0) {
            a->kind = (enum export_kind)k;
            found = true;
        }
    if (!found) {
        cli_error("export: say what to export: snapshots, content or "
                  "documents");
        return false;
    }
    if (a->kind == EXPORT_DOCUMENTS && a->format == FMT_CSV) {
        cli_error("export documents: --format must be jsonl");
        return false;
    }
    if (a->kind == EXPORT_DOCUMENTS && a->until != TIME_NONE) {
        cli_error("export documents: --until does not apply (documents "
                  "are their current state)");
        return false;
    }
    if (a->kind != EXPORT_DOCUMENTS && a->role >= 0) {
        cli_error("export: --owned and --tracked apply to documents only");
        return false;
    }
    return true;
}

static int parse_export(int argc, char **argv, struct export_args *a)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"platform", required_argument, NULL, 'p'},
        {"since", required_argument, NULL, 's'},
        {"until", required_argument, NULL, 'u'},
        {"output", required_argument, NULL, 'o'},
        {"owned", no_argument, NULL, 'O'},
        {"tracked", no_argument, NULL, 'T'},
        {NULL, 0, NULL, 0},
    };
    int c;
    bool ok = true;

    while (ok && (c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        if (c == 'f' && strcmp(optarg, "csv") == 0)
            a->format = FMT_CSV;
        else if (c == 'f' && strcmp(optarg, "jsonl") == 0)
            a->format = FMT_JSONL;
        else if (c == 'f') {
            cli_error("--format: expected csv or jsonl, got \"%s\"", optarg);
            ok = false;
        } else if (c == 'p')
            ok = cli_social_platform("--platform", optarg, &a->platform);
        else if (c == 's')
            ok = cli_time("--since", optarg, &a->since);
        else if (c == 'u')
            ok = cli_time("--until", optarg, &a->until);
        else if (c == 'o')
            a->output = optarg;
        else if ((c == 'O' || c == 'T') && a->role >= 0) {
            cli_error("export: --owned and --tracked exclude each other");
            ok = false;
        } else if (c == 'O' || c == 'T')
            a->role = c == 'T';
        else
            ok = false;
    }
    if (ok)
        ok = export_kind_check(argc, argv, a);
    if (!ok)
        return EXIT_USAGE;
    if (a->format < 0)
        a->format = a->kind == EXPORT_SNAPSHOTS ? FMT_CSV : FMT_JSONL;
    return EXIT_OK_;
}

static enum err document_row(void *ud, const struct store_doc_change *c,
                             const char *json, size_t len)
{
    struct export_run *run = ud;
    enum err rc = buf_append(&run->out, json, len);

    (void)c;
    run->rows++;
    progress_update(run->pg, run->rows, -1);
    if (rc == ERR_OK)
        rc = buf_putc(&run->out, '\n');
    return rc == ERR_OK ? flush_if_full(run, false) : rc;
}

/* Every document (or those changed since a->since, with tombstones), in
 * change order, all at one state of the data (documents_export). */
static enum err export_documents(struct store *st, const struct export_args *a,
                                 struct export_run *run, struct buf *err)
{
    struct store_doc_query q = {a->since, 0, a->platform, a->role, 0};

    return documents_export(st, &q, document_row, NULL, run, err);
}

static enum err run_export(struct store *st, const struct export_args *a,
                           struct export_run *run, struct buf *err)
{
    if (a->kind == EXPORT_DOCUMENTS)
        return export_documents(st, a, run, err);
    if (a->kind == EXPORT_CONTENT) {
        struct item_query q = {.type = ITEM_CONTENT, .platform = a->platform,
                               .sort = SORT_PUBLISHED, .ascending = true};
        if (a->format == FMT_CSV &&
            buf_puts(&run->out, "platform,id,account_id,kind,published_at,"
                                "url,observed_at,views,likes,comments,"
                                "shares,saves,title,description\n") != ERR_OK)
            return ERR_TOOBIG;
        return store_list_items(st, &q, content_row, run, err);
    } else {
        struct export_query q = {a->platform, a->since, a->until};
        if (a->format == FMT_CSV &&
            buf_puts(&run->out, "platform,account_id,content_id,observed_at,"
                                "metric,value\n") != ERR_OK)
            return ERR_TOOBIG;
        return store_export_values(st, &q, snapshot_row, run, err);
    }
}

enum err cli_export_snapshots(struct store *st, FILE *f, struct buf *err)
{
    struct export_args a = {EXPORT_SNAPSHOTS, -1, -1, -1, TIME_NONE,
                            TIME_NONE, NULL};
    struct export_run run;
    enum err rc;

    a.format = FMT_CSV;
    memset(&run, 0, sizeof run);
    run.format = FMT_CSV;
    run.f = f;
    buf_init(&run.out, (size_t)1 << 26);
    buf_init(&run.tmp, (size_t)1 << 24);
    rc = run_export(st, &a, &run, err);
    if (rc == ERR_OK)
        rc = flush_if_full(&run, true);
    if (rc == ERR_OK && fflush(f) != 0)
        rc = ERR_IO;
    buf_free(&run.out);
    buf_free(&run.tmp);
    return rc;
}

int cmd_export(struct cli *cli, int argc, char **argv)
{
    struct export_args a = {EXPORT_SNAPSHOTS, -1, -1, -1, TIME_NONE,
                            TIME_NONE, NULL};
    struct export_run run;
    struct store *st;
    struct buf err;
    enum err rc;
    int exit_code;

    if (argc >= 2 && strcmp(argv[1], "health") == 0) /* cmd_health.c */
        return cmd_export_health(cli, argc - 1, argv + 1);
    exit_code = parse_export(argc, argv, &a);
    if (exit_code != EXIT_OK_)
        return exit_code;
    st = cli_open_store(cli);
    if (st == NULL)
        return EXIT_DB;
    memset(&run, 0, sizeof run);
    run.format = (enum export_format)a.format;
    run.f = a.output ? fopen(a.output, "w") : stdout;
    if (run.f == NULL) {
        cli_error("%s: %s", a.output, strerror(errno));
        store_close(st);
        return EXIT_FAIL;
    }
    buf_init(&run.out, (size_t)1 << 26);
    buf_init(&run.tmp, (size_t)1 << 24);
    buf_init(&err, 4096);
    /* Not over rows written to the same terminal. */
    if (a.output != NULL || !isatty(STDOUT_FILENO))
        run.pg = progress_create(STDERR_FILENO, "export",
                                 a.kind == EXPORT_SNAPSHOTS ? "values"
                                 : a.kind == EXPORT_CONTENT ? "items"
                                                            : "documents",
                                 cli->quiet);
    rc = run_export(st, &a, &run, &err);
    progress_destroy(run.pg);
    if (rc == ERR_OK)
        rc = flush_if_full(&run, true);
    if (rc == ERR_OK && fflush(run.f) != 0)
        rc = ERR_IO;
    if (rc != ERR_OK) {
        cli_error("export failed: %s",
                  err.len ? buf_cstr(&err) : err_str(rc));
        exit_code = rc == ERR_DB ? EXIT_DB : EXIT_FAIL;
    } else if (!cli->quiet && a.output) {
        fprintf(stderr, "%s: %lld %s\n", a.output, (long long)run.rows,
                a.kind == EXPORT_SNAPSHOTS ? "values"
                : a.kind == EXPORT_CONTENT ? "items"
                                           : "documents");
    }
    if (a.output && fclose(run.f) != 0 && exit_code == EXIT_OK_) {
        cli_error("%s: %s", a.output, strerror(errno));
        exit_code = EXIT_FAIL;
    }
    buf_free(&run.out);
    buf_free(&run.tmp);
    buf_free(&err);
    store_close(st);
    return exit_code;
}
