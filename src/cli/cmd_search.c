/* mediadash search QUERY: full-text search of content items through
 * search_run (analytics/search.h), the code the API and MCP call. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/search.h"
#include "cli/cli.h"
#include "core/jsonw.h"
#include "core/str.h"
#include "core/timeutil.h"

const char cmd_search_usage[] =
    "usage: mediadash search [options] QUERY\n"
    "\n"
    "Full-text search over the title, tags and description (captions) of\n"
    "every content item, ranked by BM25 (a match in the title counts most).\n"
    "QUERY: words (all must match; case and accents ignored), \"a phrase\",\n"
    "word* for a prefix. Other characters are searched as text. At most 256\n"
    "bytes and 16 terms. Matches are shown in [brackets].\n"
    "\n"
    "options:\n"
    "  --platform P          only items of platform P\n"
    "  --account ID          only items of the account with this id or handle\n"
    "  --from TIME           published at or after TIME (ISO 8601 or date)\n"
    "  --to TIME             published before TIME\n"
    "  --owned               only the creator's own items\n"
    "  --tracked             only tracked (someone else's) items\n"
    "  --sort KEY            relevance (default), views, likes, comments,\n"
    "                        engagement or published (newest first)\n"
    "  --limit N             at most N items (1..100, default 20)\n"
    "  --offset N            skip the first N items\n"
    "  --json                JSON on stdout (as GET /api/v1/search)\n"
    "\n"
    "Exit status: 0 done (also with no match), 1 bad query, 2 usage,\n"
    "3 database error.\n";

/* Marked text with [ ] around matches, control characters as spaces. */
static void put_marked(struct buf *out, const char *s)
{
    for (; s != NULL && *s != '\0'; s++) {
        char c = *s == SEARCH_MARK_OPEN[0]    ? '['
                 : *s == SEARCH_MARK_CLOSE[0] ? ']'
                 : (unsigned char)*s < ' '    ? ' '
                                              : *s;
        buf_catf(out, "%c", c);
    }
}

static void print_row(const struct search_row *r, struct buf *out)
{
    struct buf day;

    buf_init(&day, 64);
    if (r->published_at != TIME_NONE &&
        time_format_date(r->published_at, &day) != ERR_OK)
        buf_reset(&day);
    buf_catf(out, "%s:%s  %s  %s", r->platform, r->ext_id,
                     day.len ? buf_cstr(&day) : "-",
                     r->tracked ? "tracked" : "own");
    if (r->views >= 0) {
        buf_catf(out, "  views ");
        fmt_count(r->views, out);
    }
    buf_catf(out, "\n  ");
    put_marked(out, r->title_marked != NULL ? r->title_marked : r->title);
    if (r->snippet != NULL && r->snippet[0] != '\0') {
        buf_catf(out, "\n  ");
        put_marked(out, r->snippet);
    }
    buf_catf(out, "\n");
    buf_free(&day);
}

static int print_result(const struct search_request *req,
                        const struct search_result *r, bool json)
{
    struct buf out;
    struct jw w;
    int code = EXIT_OK_;

    buf_init(&out, (size_t)64 << 20);
    if (json) {
        jw_init(&w, &out);
        search_write_json(&w, req, r);
        if (jw_status(&w) != ERR_OK || buf_putc(&out, '\n') != ERR_OK)
            code = EXIT_FAIL;
    } else {
        for (size_t i = 0; i < r->n; i++)
            print_row(&r->rows[i], &out);
    }
    if (code == EXIT_OK_ && !cli_write(stdout, &out))
        code = EXIT_FAIL;
    if (!json)
        fprintf(stderr, "(%zu of %lld matching items)\n", r->n,
                (long long)r->total);
    buf_free(&out);
    return code;
}

static int run_search(struct cli *cli, const struct search_request *req,
                      bool json)
{
    struct store *st = cli_open_store(cli);
    struct search_result r;
    struct buf err;
    enum err rc;
    int code;

    if (st == NULL)
        return EXIT_DB;
    buf_init(&err, 4096);
    rc = search_run(st, req, &r, &err);
    if (rc == ERR_OK) {
        code = print_result(req, &r, json);
    } else {
        cli_error("search: %s", err.len ? buf_cstr(&err) : err_str(rc));
        code = rc == ERR_DB ? EXIT_DB : EXIT_FAIL;
    }
    search_result_free(&r);
    buf_free(&err);
    store_close(st);
    return code;
}

static bool parse_opt(int c, struct search_request *req, bool *json)
{
    int p;

    switch (c) {
    case 'p':
        if (!cli_social_platform("--platform", optarg, &p))
            return false;
        req->platform = platform_name((enum platform)p);
        return true;
    case 'a': req->account = optarg; return true;
    case 'f': return cli_time("--from", optarg, &req->from);
    case 't': return cli_time("--to", optarg, &req->to);
    case 'O': req->role = SEARCH_ROLE_OWN; return true;
    case 'T': req->role = SEARCH_ROLE_TRACKED; return true;
    case 'j': *json = true; return true;
    case 's':
        if (search_sort_from_name(optarg, &req->sort) == ERR_OK)
            return true;
        cli_error("--sort: \"%s\" is not relevance, views, likes, comments, "
                  "engagement or published", optarg);
        return false;
    case 'l':
        if (parse_i64(optarg, 1, SEARCH_LIMIT_MAX, &req->limit) == ERR_OK)
            return true;
        cli_error("--limit: expected 1..%d, got \"%s\"", SEARCH_LIMIT_MAX,
                  optarg);
        return false;
    case 'o':
        if (parse_i64(optarg, 0, INT32_MAX, &req->offset) == ERR_OK)
            return true;
        cli_error("--offset: expected a whole number >= 0, got \"%s\"",
                  optarg);
        return false;
    default: return false;
    }
}

int cmd_search(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"platform", required_argument, NULL, 'p'},
        {"account", required_argument, NULL, 'a'},
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"owned", no_argument, NULL, 'O'},
        {"tracked", no_argument, NULL, 'T'},
        {"sort", required_argument, NULL, 's'},
        {"limit", required_argument, NULL, 'l'},
        {"offset", required_argument, NULL, 'o'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    struct search_request req = {.from = TIME_NONE, .to = TIME_NONE};
    bool json = false, ok = true;
    int c;

    while (ok && (c = getopt_long(argc, argv, "", opts, NULL)) != -1)
        ok = parse_opt(c, &req, &json);
    if (ok && optind != argc - 1) {
        cli_error("search: expected one QUERY (quote it), got %d arguments",
                  argc - optind);
        ok = false;
    }
    if (!ok)
        return EXIT_USAGE;
    req.q = argv[optind];
    return run_search(cli, &req, json);
}
