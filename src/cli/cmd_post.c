/* mediadash post add|list|show|cancel|retry: the scheduler's queue. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_post.h"
#include "core/alloc.h"
#include "core/jsonw.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "schedule/post.h"
#include "schedule/post_limits.h"
#include "schedule/status.h"

struct add_args {
    struct sched_input in;
    const char *tags_arg;
    const char *files[SCHED_MEDIA_MAX + 1];
    size_t nfiles;
    bool json;
};

static int parse_add(int argc, char **argv, struct add_args *a)
{
    static const struct option opts[] = {
        {"platform", required_argument, NULL, 'p'},
        {"account", required_argument, NULL, 'a'},
        {"title", required_argument, NULL, 't'},
        {"caption", required_argument, NULL, 'c'},
        {"tags", required_argument, NULL, 'g'},
        {"privacy", required_argument, NULL, 'v'},
        {"media", required_argument, NULL, 'm'},
        {"at", required_argument, NULL, 'A'},
        {"zone", required_argument, NULL, 'z'},
        {"draft", no_argument, NULL, 'd'},
        {"later", no_argument, NULL, 'L'},
        {"shift-gap", no_argument, NULL, 'S'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'p': a->in.platform = optarg; break;
        case 'a': a->in.account = optarg; break;
        case 't': a->in.title = optarg; break;
        case 'c': a->in.caption = optarg; break;
        case 'g': a->tags_arg = optarg; break;
        case 'v': a->in.privacy = optarg; break;
        case 'A': a->in.at = optarg; break;
        case 'z': a->in.zone = optarg; break;
        case 'd': a->in.draft = true; break;
        case 'L': a->in.opts.later = true; break;
        case 'S': a->in.opts.shift_gap = true; break;
        case 'j': a->json = true; break;
        case 'm':
            if (a->nfiles == SCHED_MEDIA_MAX) {
                cli_error("post add: at most %d --media files",
                          SCHED_MEDIA_MAX);
                return EXIT_USAGE;
            }
            a->files[a->nfiles++] = optarg;
            break;
        default: return EXIT_USAGE;
        }
    }
    for (; optind < argc && a->nfiles < SCHED_MEDIA_MAX; optind++)
        a->files[a->nfiles++] = argv[optind]; /* --media A B C */
    if (optind != argc || a->in.at == NULL || a->in.zone == NULL) {
        cli_error("post add: --at and --zone are needed (see --help)");
        return EXIT_USAGE;
    }
    return EXIT_OK_;
}

static int print_added(struct cli *cli, struct store *st, int64_t id,
                       bool json, const struct buf *note)
{
    struct post p;
    struct buf out;
    struct jw w;
    int exit_code = EXIT_OK_;

    if (store_post_get(st, id, &p) != ERR_OK)
        return EXIT_DB;
    buf_init(&out, BUF_MAX_DEFAULT);
    if (note->len && !cli->quiet)
        fprintf(stderr, "note: %s\n", buf_cstr(note));
    if (json) {
        jw_init(&w, &out);
        sched_post_json(&w, &p);
        if (jw_status(&w) != ERR_OK || buf_putc(&out, '\n') != ERR_OK ||
            !cli_write(stdout, &out))
            exit_code = EXIT_FAIL;
    } else {
        if (time_format_iso8601(p.publish_at, &out) == ERR_OK)
            printf("post %lld %s for %s (%s %s)\n", (long long)id,
                   post_state_name(p.state), buf_cstr(&out), p.local_time,
                   p.zone);
    }
    buf_free(&out);
    post_free(&p);
    return exit_code;
}

static int post_add(struct cli *cli, int argc, char **argv)
{
    struct add_args a = {0};
    struct cli_media media;
    struct buf note, err;
    const char *tags[SCHED_TAGS_MAX + 1];
    struct post_issues issues;
    char *tagdup = NULL;
    struct post p = {0};
    struct store *st = NULL;
    int64_t id;
    int exit_code = parse_add(argc, argv, &a);

    cli_media_init(&media);
    post_issues_init(&issues);
    buf_init(&note, 1024);
    buf_init(&err, 1024);
    if (exit_code != EXIT_OK_)
        goto out;
    a.in.ntags = cli_post_tags(a.tags_arg, &tagdup, tags);
    a.in.tags = tags;
    exit_code = cli_media_read(&media, a.files, a.nfiles);
    a.in.media = media.m;
    a.in.nmedia = a.nfiles;
    if (exit_code != EXIT_OK_)
        goto out;
    if (sched_post_build_all(&a.in, &p, &note, &issues) != ERR_OK) {
        for (size_t i = 0; i < issues.n; i++) /* every problem at once */
            cli_error("--%s: %s", issues.v[i].param, issues.v[i].message);
        exit_code = EXIT_USAGE;
        goto out;
    }
    st = cli_open_store(cli);
    exit_code = EXIT_DB;
    if (st == NULL)
        goto out;
    if (store_post_add(st, &p, time_now(), &id, &err) != ERR_OK) {
        cli_error("%s", buf_cstr(&err));
        goto out;
    }
    exit_code = print_added(cli, st, id, a.json, &note);
out:
    cli_media_free(&media);
    free(tagdup);
    post_free(&p);
    post_issues_free(&issues);
    buf_free(&note);
    buf_free(&err);
    store_close(st);
    return exit_code;
}

struct list_ctx {
    struct table *t;
    struct jw *w; /* NULL for a table */
    struct status_accounts *accts; /* NULL: not readable */
};

/* account_status (status.h) in a post's JSON (ud: the accounts). */
static void account_json(struct jw *w, const struct post *p, void *ud)
{
    const struct status_accounts *a = ud;
    jw_kv_str(w, "account_status",
              a ? status_account_name(
                      status_account_of(a, p->platform, p->account))
                : NULL);
}

/* "missed", "scheduled", and for a post still to go out whose account
 * cannot publish, "scheduled, account not_connected". */
static void state_cell(const struct list_ctx *c, const struct post *p,
                       char *out, size_t n)
{
    enum status_account a =
        c->accts ? status_account_of(c->accts, p->platform, p->account)
                 : STATUS_ACCOUNT_NONE;
    bool upcoming = p->state == POST_DRAFT || p->state == POST_SCHEDULED;

    if (upcoming && (a == STATUS_ACCOUNT_NOT_CONNECTED ||
                     a == STATUS_ACCOUNT_NEEDS_RELOGIN))
        snprintf(out, n, "%s, account %s", status_name(p),
                 status_account_name(a));
    else
        snprintf(out, n, "%s", status_name(p));
}

static enum err list_row(const struct post *p, void *ud)
{
    struct list_ctx *c = ud;
    struct buf at;
    char id[24], state[64];
    const char *cells[7];

    if (c->w != NULL) {
        sched_post_json_x(c->w, p, account_json, c->accts);
        return c->w->status; /* jw_status is for the end only */
    }
    state_cell(c, p, state, sizeof state);
    buf_init(&at, 64);
    snprintf(id, sizeof id, "%lld", (long long)p->id);
    if (time_format_iso8601(p->publish_at, &at) != ERR_OK)
        buf_reset(&at);
    cells[0] = id;
    cells[1] = state;
    cells[2] = p->platform;
    cells[3] = p->account;
    cells[4] = buf_cstr(&at);
    cells[5] = p->zone;
    cells[6] = p->title;
    table_add(c->t, cells);
    buf_free(&at);
    return ERR_OK;
}

static int post_list(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"state", required_argument, NULL, 's'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    static const char *const heads[] = {"ID",   "STATE", "PLATFORM", "ACCOUNT",
                                        "PUBLISH AT (UTC)", "ZONE", "TITLE"};
    struct post_query q = {.state = -1, .from = TIME_NONE, .to = TIME_NONE};
    struct list_ctx c = {0};
    struct store *st;
    struct buf out;
    struct jw w;
    bool json = false;
    enum err rc;
    int ch;

    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch == 's' && status_query(optarg, &q) == ERR_OK) {
            continue;
        } else if (ch == 'j') {
            json = true;
        } else {
            if (ch == 's')
                cli_error("--state: " STATUS_QUERY_NAMES);
            return EXIT_USAGE;
        }
    }
    if (optind != argc)
        return EXIT_USAGE;
    st = cli_open_store(cli);
    if (st == NULL)
        return EXIT_DB;
    buf_init(&out, 512);
    if (status_accounts_load(st, time_now(), &c.accts, &out) != ERR_OK)
        cli_error("reading the accounts' states (no account flags): %s",
                  buf_cstr(&out));
    buf_free(&out);
    buf_init(&out, (size_t)256 << 20);
    jw_init(&w, &out);
    if (json) {
        c.w = &w;
        jw_object_begin(&w);
        jw_key(&w, "posts");
        jw_array_begin(&w);
    } else {
        c.t = table_create(7, heads, NULL);
    }
    rc = store_post_list(st, &q, list_row, &c);
    if (json) {
        jw_array_end(&w);
        jw_object_end(&w);
        if (rc == ERR_OK && (jw_status(&w) != ERR_OK ||
                             buf_putc(&out, '\n') != ERR_OK ||
                             !cli_write(stdout, &out)))
            rc = ERR_IO;
    } else if (rc == ERR_OK) {
        table_print(c.t, stdout, 6, cli_term_width());
    }
    table_destroy(c.t);
    status_accounts_destroy(c.accts);
    buf_free(&out);
    store_close(st);
    if (rc != ERR_OK)
        cli_error("listing posts: %s", err_str(rc));
    return rc == ERR_OK ? EXIT_OK_ : rc == ERR_DB ? EXIT_DB : EXIT_FAIL;
}

static bool parse_id(const char *cmd, int argc, char **argv, int64_t *id)
{
    if (argc != 2 || parse_i64(argv[1], 1, INT64_MAX, id) != ERR_OK) {
        cli_error("post %s: one post id is needed", cmd);
        return false;
    }
    return true;
}

static enum err show_event(const struct post_event *e, void *ud)
{
    struct buf at;
    (void)ud;
    buf_init(&at, 64);
    if (time_format_iso8601(e->at, &at) != ERR_OK)
        buf_reset(&at);
    printf("  %s  %-13s -> %-13s %s\n", buf_cstr(&at), e->from ? e->from : "",
           e->to, e->note);
    buf_free(&at);
    return ERR_OK;
}

static int post_show(struct cli *cli, int argc, char **argv)
{
    struct status_accounts *accts = NULL;
    struct store *st;
    struct post p;
    struct buf out;
    struct jw w;
    int64_t id;
    int exit_code = EXIT_OK_;
    enum err rc;

    if (!parse_id("show", argc, argv, &id))
        return EXIT_USAGE;
    st = cli_open_store(cli);
    if (st == NULL)
        return EXIT_DB;
    rc = store_post_get(st, id, &p);
    if (rc == ERR_OK) {
        buf_init(&out, BUF_MAX_DEFAULT);
        /* account_status as in post list --json and the API (unknown when
         * the accounts cannot be read: said as null, not as an error) */
        if (status_accounts_load(st, time_now(), &accts, &out) != ERR_OK)
            cli_error("reading the accounts' states (account_status null): %s",
                      buf_cstr(&out));
        buf_reset(&out);
        jw_init(&w, &out);
        sched_post_json_x(&w, &p, account_json, accts);
        if (jw_status(&w) != ERR_OK || buf_putc(&out, '\n') != ERR_OK ||
            !cli_write(stdout, &out))
            exit_code = EXIT_FAIL;
        printf("status: %s: %s\n", status_name(&p), status_explain(&p));
        printf("events:\n");
        if (store_post_events(st, id, show_event, NULL) != ERR_OK ||
            cmd_post_print_edits(st, id) != ERR_OK)
            exit_code = EXIT_DB;
        buf_free(&out);
        post_free(&p);
        status_accounts_destroy(accts);
    } else {
        cli_error("no post %lld", (long long)id);
        exit_code = rc == ERR_NOTFOUND ? EXIT_NOTFOUND : EXIT_DB;
    }
    store_close(st);
    return exit_code;
}

static int post_move(struct cli *cli, int argc, char **argv,
                     enum post_state to, const char *note)
{
    struct store *st;
    struct buf err;
    enum post_state from;
    int64_t id;
    enum err rc;

    if (!parse_id(argv[0], argc, argv, &id))
        return EXIT_USAGE;
    st = cli_open_store(cli);
    if (st == NULL)
        return EXIT_DB;
    buf_init(&err, 1024);
    rc = store_post_move(st, id, to, note, time_now(), &from, &err);
    if (rc == ERR_OK && !cli->quiet)
        fprintf(stderr, "post %lld: %s -> %s\n", (long long)id,
                post_state_name(from), post_state_name(to));
    else if (rc != ERR_OK)
        cli_error("%s", buf_cstr(&err));
    buf_free(&err);
    store_close(st);
    return rc == ERR_OK         ? EXIT_OK_
           : rc == ERR_NOTFOUND ? EXIT_NOTFOUND
           : rc == ERR_DB       ? EXIT_DB
                                : EXIT_FAIL;
}

int cmd_post(struct cli *cli, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "";

    if (strcmp(sub, "add") == 0)
        return post_add(cli, argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0)
        return post_list(cli, argc - 1, argv + 1);
    if (strcmp(sub, "edit") == 0)
        return cmd_post_edit(cli, argc - 1, argv + 1);
    if (strcmp(sub, "show") == 0)
        return post_show(cli, argc - 1, argv + 1);
    if (strcmp(sub, "cancel") == 0)
        return post_move(cli, argc - 1, argv + 1, POST_CANCELLED,
                         "cancelled from the command line");
    if (strcmp(sub, "retry") == 0)
        return post_move(cli, argc - 1, argv + 1, POST_SCHEDULED,
                         "retry asked for from the command line");
    cli_error("post: add, list, show, edit, cancel or retry (see --help)");
    return EXIT_USAGE;
}
