/* mediadash import: validate saved API responses, store their snapshots. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/alloc.h"
#include "core/jsonw.h"
#include "core/progress.h"
#include "core/timeutil.h"
#include "ingest/health_ingest.h"
#include "ingest/ingest.h"
#include "platforms/platform.h"
#include "sources/source.h"

static const char *const status_names[] = {"stored", "valid", "exists",
                                           "refused"};

struct import_opts {
    struct ingest_opts in;
    char *hints[PLATFORM_COUNT]; /* owned copies behind in.account */
    bool json;
};

struct import_run {
    struct cli *cli;
    struct import_opts *o;
    struct store *st;
    struct jw w;      /* JSON summary, with --json */
    struct buf json;
    size_t n_ok, n_refused, n_exists;
    bool db_failed;
    struct progress *pg; /* files done of all; NULL: none */
};

static bool set_hint(struct import_opts *o, const char *arg)
{
    const char *colon = strchr(arg, ':');
    char name[16];
    int p;

    if (colon == NULL || colon == arg || (size_t)(colon - arg) >= sizeof name ||
        colon[1] == '\0') {
        cli_error("--account: expected PLATFORM:ID, got \"%s\"", arg);
        return false;
    }
    memcpy(name, arg, (size_t)(colon - arg));
    name[colon - arg] = '\0';
    if (!cli_social_platform("--account", name, &p))
        return false;
    free(o->hints[p]);
    o->hints[p] = xstrdup(colon + 1);
    o->in.account[p] = o->hints[p];
    return true;
}

static void print_format(const struct source_format *f, void *ud)
{
    (void)ud;
    printf("%-36s %s\n", f->name, f->summary ? f->summary : "");
}

static void report_text(const char *path, const struct ingest_result *r,
                        const char *msg)
{
    if (r->status == INGEST_REFUSED)
        fprintf(stderr, "%s: error: %s\n", path, msg);
    else if (r->status == INGEST_EXISTS)
        fprintf(stderr, "%s: %s; nothing stored\n", path, msg);
    else if (r->status == INGEST_VALID)
        fprintf(stderr, "%s: valid %s: %zu items, %zu snapshots "
                        "(dry run: nothing stored)\n",
                path, r->format, r->items, r->snapshots);
    else
        fprintf(stderr, "%s: %s: %zu items (%zu new), %zu new "
                        "snapshots, %zu new values%s%s\n",
                path, r->format, r->items, r->stats.items_new,
                r->stats.snapshots_new, r->stats.values_new,
                *msg ? "; " : "", msg);
    if (r->warnings != NULL) /* one "FILE: warning: item ...: ..." each */
        for (const char *l = r->warnings, *nl; l != NULL; l = nl ? nl + 1
                                                                 : NULL) {
            nl = strchr(l, '\n');
            fprintf(stderr, "%s: warning: %.*s\n", path,
                    (int)(nl ? nl - l : (ptrdiff_t)strlen(l)), l);
        }
    if (r->dropped > SOURCE_WARNINGS_MAX)
        fprintf(stderr, "%s: warning: %zu more links or thumbnails not "
                        "stored\n", path, r->dropped - SOURCE_WARNINGS_MAX);
    if (r->status == INGEST_STORED && r->stats.values_conflict > 0)
        fprintf(stderr, "%s: warning: %zu values differ from ones "
                        "already stored for the same time; kept the "
                        "stored ones\n",
                path, r->stats.values_conflict);
}

static void report(struct import_run *run, size_t idx, size_t total,
                   const char *path, const struct ingest_result *r,
                   const char *msg)
{
    struct jw *w = &run->w;

    if (!run->cli->quiet || r->status == INGEST_REFUSED) {
        progress_clear(run->pg);
        if (total > 1)
            fprintf(stderr, "[%zu/%zu] ", idx + 1, total);
        report_text(path, r, msg);
    }
    if (!run->o->json)
        return;
    jw_object_begin(w);
    jw_kv_str(w, "file", path);
    jw_kv_str(w, "status", status_names[r->status]);
    jw_kv_str(w, "format", r->format);
    if (r->status == INGEST_STORED || r->status == INGEST_VALID) {
        jw_kv_i64(w, "items", (int64_t)r->items);
        jw_kv_i64(w, "snapshots", (int64_t)r->snapshots);
    }
    if (r->status == INGEST_STORED) {
        jw_kv_i64(w, "items_new", (int64_t)r->stats.items_new);
        jw_kv_i64(w, "snapshots_new", (int64_t)r->stats.snapshots_new);
        jw_kv_i64(w, "values_new", (int64_t)r->stats.values_new);
        jw_kv_i64(w, "values_conflict", (int64_t)r->stats.values_conflict);
    }
    if (r->status == INGEST_STORED && r->stats.accounts_tracked > 0)
        jw_kv_i64(w, "accounts_tracked", (int64_t)r->stats.accounts_tracked);
    if (r->dropped > 0)
        jw_kv_i64(w, "fields_not_stored", (int64_t)r->dropped);
    if (r->status == INGEST_REFUSED || r->status == INGEST_EXISTS ||
        (r->status == INGEST_STORED && *msg))
        jw_kv_str(w, r->status == INGEST_REFUSED ? "error" : "note", msg);
    jw_object_end(w);
}

/* A health source's page (its descriptor's claims): into the health
 * tables, never the social ones (no import row either). Counted and
 * reported like a social file. */
static void import_health(struct import_run *run,
                          const struct platform_desc *src, const char *path,
                          const struct buf *data)
{
    struct store_health_put put;
    enum health_kind kind = HEALTH_DAILY_SLEEP;
    struct buf err;
    struct jw *w = &run->w;
    char fmt[40];
    enum err rc;

    buf_init(&err, 8192);
    rc = health_ingest(run->st, src, src->name, data->data, data->len, -1,
                       run->o->in.dry_run, time_now(), &kind, &put, &err);
    if (rc != ERR_OK)
        fprintf(stderr, "%s: error: %s\n", path, buf_cstr(&err));
    else if (!run->cli->quiet)
        fprintf(stderr, "%s: %s.%s: %zu health documents%s (%zu new, %zu "
                        "replaced)\n", path, src->name, health_kind_name(kind),
                put.docs,
                run->o->in.dry_run ? ", dry run: nothing stored" : "",
                put.added, put.replaced);
    if (!run->o->json)
        goto count;
    jw_object_begin(w);
    jw_kv_str(w, "file", path);
    jw_kv_str(w, "status", rc != ERR_OK ? "refused"
                           : run->o->in.dry_run ? "valid" : "stored");
    snprintf(fmt, sizeof fmt, "%s.%s", src->name, health_kind_name(kind));
    jw_kv_str(w, "format", rc == ERR_OK ? fmt : NULL);
    jw_kv_str(w, "tables", "health");
    if (rc == ERR_OK) {
        jw_kv_i64(w, "health_documents", (int64_t)put.docs);
        jw_kv_i64(w, "health_new", (int64_t)put.added);
        jw_kv_i64(w, "health_replaced", (int64_t)put.replaced);
    } else {
        jw_kv_str(w, "error", buf_cstr(&err));
    }
    jw_object_end(w);
count:
    if (rc == ERR_OK)
        run->n_ok++;
    else
        run->n_refused++;
    run->db_failed = run->db_failed || rc == ERR_DB;
    buf_free(&err);
}

static void import_one(struct import_run *run, const char *path, size_t idx,
                       size_t total)
{
    struct buf data, err;
    struct ingest_result r;
    const struct platform_desc *src = NULL;

    buf_init(&data, SOURCE_MAX_BYTES);
    buf_init(&err, 8192);
    memset(&r, 0, sizeof r);
    if (buf_read_file(&data, path, &err) != ERR_OK) {
        r.status = INGEST_REFUSED;
    } else if (run->o->in.only_format == NULL &&
               (src = platform_health_claimant(data.data, data.len)) !=
                   NULL) {
        import_health(run, src, path, &data);
        progress_update(run->pg, (int64_t)idx + 1, (int64_t)total);
        goto out;
    } else if (ingest_document(run->st, path, data.data, data.len,
                               &run->o->in, &r, &err) != ERR_OK) {
        r.status = INGEST_REFUSED;
        r.db_failed = true;
    }
    report(run, idx, total, path, &r, buf_cstr(&err));
    if (r.status == INGEST_REFUSED)
        run->n_refused++;
    else if (r.status == INGEST_EXISTS)
        run->n_exists++;
    else
        run->n_ok++;
    run->db_failed = run->db_failed || r.db_failed;
    progress_update(run->pg, (int64_t)idx + 1, (int64_t)total);
out:
    ingest_result_free(&r);
    buf_free(&data);
    buf_free(&err);
}

/* EXIT_OK_ to go on; anything else is the exit status now (--formats
 * listed sets *done). */
static int parse_opts(struct import_opts *o, int argc, char **argv,
                      bool *done)
{
    static const struct option opts[] = {
        {"observed-at", required_argument, NULL, 't'},
        {"account", required_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'f'},
        {"formats", no_argument, NULL, 'F'},
        {"dry-run", no_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            if (!cli_time("--observed-at", optarg, &o->in.observed_at))
                return EXIT_USAGE;
            break;
        case 'a':
            if (!set_hint(o, optarg))
                return EXIT_USAGE;
            break;
        case 'f':
            o->in.only_format = optarg;
            break;
        case 'F':
            source_each_format(print_format, NULL);
            *done = true;
            return EXIT_OK_;
        case 'n':
            o->in.dry_run = true;
            break;
        case 'j':
            o->json = true;
            break;
        default:
            return EXIT_USAGE;
        }
    }
    if (optind >= argc && !*done) {
        cli_error("import: no FILE given (see 'mediadash import --help')");
        return EXIT_USAGE;
    }
    return EXIT_OK_;
}

int cmd_import(struct cli *cli, int argc, char **argv)
{
    struct import_opts o;
    struct import_run run;
    bool done = false;
    int rc;

    memset(&o, 0, sizeof o);
    memset(&run, 0, sizeof run);
    o.in.observed_at = TIME_NONE;
    buf_init(&run.json, (size_t)1 << 26);
    rc = parse_opts(&o, argc, argv, &done);
    if (rc != EXIT_OK_ || done)
        goto out;
    run.cli = cli;
    run.o = &o;
    jw_init(&run.w, &run.json);
    if (!o.in.dry_run) {
        run.st = cli_open_store(cli);
        if (run.st == NULL) {
            rc = EXIT_DB;
            goto out;
        }
    }
    jw_object_begin(&run.w);
    jw_key(&run.w, "files");
    jw_array_begin(&run.w);
    if (argc - optind > 1)
        run.pg = progress_create(STDERR_FILENO, "import", "files",
                                 cli->quiet);
    for (int i = optind; i < argc; i++)
        import_one(&run, argv[i], (size_t)(i - optind), (size_t)(argc - optind));
    progress_destroy(run.pg);
    jw_array_end(&run.w);
    jw_kv_i64(&run.w, "ok", (int64_t)run.n_ok);
    jw_kv_i64(&run.w, "already_imported", (int64_t)run.n_exists);
    jw_kv_i64(&run.w, "refused", (int64_t)run.n_refused);
    jw_object_end(&run.w);
    if (o.json && jw_status(&run.w) == ERR_OK &&
        buf_putc(&run.json, '\n') == ERR_OK)
        cli_write(stdout, &run.json);
    if (argc - optind > 1 && !cli->quiet)
        fprintf(stderr, "%zu files: %zu %s, %zu already imported, %zu "
                        "refused\n",
                (size_t)(argc - optind), run.n_ok,
                o.in.dry_run ? "valid" : "stored", run.n_exists, run.n_refused);
    rc = run.db_failed ? EXIT_DB : run.n_refused ? EXIT_FAIL : EXIT_OK_;
out:
    store_close(run.st);
    buf_free(&run.json);
    for (int p = 0; p < PLATFORM_COUNT; p++)
        free(o.hints[p]);
    return rc;
}
