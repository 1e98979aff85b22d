/* mediadash token add|list|revoke: API tokens for scripts (issue 15,
 * http/apitoken.h). add prints the token once, on stdout; the store keeps
 * only its SHA-256. list never shows a token. A revoke reaches a running
 * serve within AUTH_TOKEN_RECHECK seconds (its token cache). */
#include <getopt.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/jsonw.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "http/apitoken.h"
#include "store/store_token.h"

struct token_args {
    const char *sub;    /* add, list, revoke */
    const char *what;   /* add: the name; revoke: NAME or ID */
    const char *scope;  /* --scope */
    const char *expires; /* --expires, or NULL: never */
    bool json;
};

static int parse_opts(int argc, char **argv, struct token_args *a)
{
    static const struct option opts[] = {
        {"scope", required_argument, NULL, 's'},
        {"expires", required_argument, NULL, 'e'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    bool add = strcmp(a->sub, "add") == 0, list = strcmp(a->sub, "list") == 0;
    int c;

    while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        if (c == 's' && add)
            a->scope = optarg;
        else if (c == 'e' && add)
            a->expires = optarg;
        else if (c == 'j' && list)
            a->json = true;
        else {
            cli_error("token %s: option not known here", a->sub);
            return EXIT_USAGE;
        }
    }
    if (optind + 1 + (list ? 0 : 1) != argc) {
        cli_error(list ? "token list: takes no arguments"
                       : add ? "token add: expected one NAME"
                             : "token revoke: expected one NAME or ID");
        return EXIT_USAGE;
    }
    a->what = list ? NULL : argv[optind + 1];
    return EXIT_OK_;
}

static int parse_token(int argc, char **argv, struct token_args *a)
{
    enum apitoken_scope scope;
    int64_t life;
    int rc;

    if (argc < 2) {
        cli_error("token: expected add, list or revoke (see 'mediadash "
                  "token --help')");
        return EXIT_USAGE;
    }
    a->sub = argv[1];
    if (strcmp(a->sub, "add") != 0 && strcmp(a->sub, "list") != 0 &&
        strcmp(a->sub, "revoke") != 0) {
        cli_error("token: unknown subcommand \"%s\" (add, list, revoke)",
                  a->sub);
        return EXIT_USAGE;
    }
    rc = parse_opts(argc, argv, a);
    if (rc != EXIT_OK_ || strcmp(a->sub, "add") != 0)
        return rc;
    if (!apitoken_name_valid(a->what)) {
        cli_error("token add: a name is 1 to %d characters of A-Z a-z 0-9 "
                  "_ . @ -, not digits only", AUTH_NAME_MAX);
        return EXIT_USAGE;
    }
    if (!apitoken_scope_parse(a->scope, &scope)) {
        cli_error("token add: --scope read or --scope write is needed");
        return EXIT_USAGE;
    }
    if (a->expires != NULL &&
        apitoken_parse_expiry(a->expires, &life) != ERR_OK) {
        cli_error("token add: --expires takes a number and s, m, h, d or w "
                  "(\"90d\"), at most 3660 days");
        return EXIT_USAGE;
    }
    return EXIT_OK_;
}

/* The token on stdout (alone on its line, for scripts), what it is on
 * stderr. */
static void print_added(struct cli *cli, const struct store_token *t,
                        const char *token)
{
    struct buf when;

    buf_init(&when, 64);
    fprintf(stdout, "%s\n", token);
    fflush(stdout);
    if (t->expires_at == 0 || time_format_iso8601(t->expires_at, &when) !=
                                  ERR_OK)
        buf_setf(&when, "never");
    if (!cli->quiet)
        fprintf(stderr, "mediadash: added API token %s (id %lld, scope %s, "
                "expires %s). It is shown this once: store it now. Send it "
                "as \"Authorization: Bearer TOKEN\".\n", t->name,
                (long long)t->id, t->scope, buf_cstr(&when));
    buf_free(&when);
}

static int add_token(struct cli *cli, struct store *st,
                     const struct token_args *a)
{
    struct store_token t = {0};
    struct buf token, err;
    char key[AUTH_KEY_CHARS + 1];
    int64_t life = 0;
    enum err rc;

    buf_init(&token, APITOKEN_CHARS + 1);
    buf_init(&err, 1024);
    if (a->expires != NULL && apitoken_parse_expiry(a->expires, &life) !=
                                  ERR_OK)
        life = 0; /* checked in parse_token */
    t.name = (char *)a->what;
    t.scope = (char *)a->scope;
    t.created_by = "cli";
    t.created_at = time_now();
    t.expires_at = life > 0 ? t.created_at + life : 0;
    rc = apitoken_new(&token);
    if (rc == ERR_OK && !apitoken_key(buf_cstr(&token), key))
        rc = ERR_PARSE;
    if (rc == ERR_OK)
        rc = store_token_add(st, key, &t, &t.id, &err);
    if (rc == ERR_OK)
        print_added(cli, &t, buf_cstr(&token));
    else
        cli_error("token add %s: %s", a->what,
                  err.len > 0 ? buf_cstr(&err) : err_str(rc));
    if (token.data != NULL)
        sodium_memzero(token.data, token.len);
    buf_free(&token);
    buf_free(&err);
    return rc == ERR_OK ? EXIT_OK_ : rc == ERR_DB ? EXIT_DB : EXIT_FAIL;
}

static int revoke_token(struct cli *cli, struct store *st, const char *what)
{
    struct buf err;
    int64_t id = 0, n = 0;
    bool by_id = parse_i64(what, 1, INT64_MAX, &id) == ERR_OK;
    enum err rc;

    buf_init(&err, 512);
    rc = by_id ? store_token_revoke_id(st, id, time_now(), &n, &err)
               : store_token_revoke_name(st, what, time_now(), &n, &err);
    if (rc != ERR_OK)
        cli_error("token revoke %s: %s", what,
                  err.len > 0 ? buf_cstr(&err) : err_str(rc));
    else if (!cli->quiet && n == 0)
        fprintf(stderr, "mediadash: token %s was revoked already\n", what);
    else if (!cli->quiet)
        fprintf(stderr, "mediadash: revoked %s (a running serve refuses it "
                "within %d s)\n", what, AUTH_TOKEN_RECHECK);
    buf_free(&err);
    return rc == ERR_OK         ? EXIT_OK_
           : rc == ERR_NOTFOUND ? EXIT_NOTFOUND
           : rc == ERR_DB       ? EXIT_DB
                                : EXIT_FAIL;
}

struct list_run {
    bool json;
    int64_t now;
    struct jw w;
    struct table *t;
};

static void json_time_or_null(struct jw *w, const char *key, int64_t t)
{
    jw_key(w, key);
    if (t == 0)
        jw_null(w);
    else
        jw_time(w, t);
}

static void json_one(struct jw *w, const struct store_token *t, int64_t now)
{
    jw_object_begin(w);
    jw_kv_i64(w, "id", t->id);
    jw_kv_str(w, "name", t->name);
    jw_kv_str(w, "scope", t->scope);
    jw_kv_str(w, "status", store_token_status(t, now));
    jw_kv_str(w, "created_by", t->created_by);
    jw_kv_time(w, "created_at", t->created_at);
    json_time_or_null(w, "expires_at", t->expires_at);
    json_time_or_null(w, "last_used_at", t->last_used_at);
    json_time_or_null(w, "revoked_at", t->revoked_at);
    jw_object_end(w);
}

/* t as text into out: ISO 8601, or dflt when 0. */
static void cell_time(int64_t t, const char *dflt, struct buf *out)
{
    buf_reset(out);
    if (t == 0 || time_format_iso8601(t, out) != ERR_OK)
        buf_setf(out, "%s", dflt);
}

static enum err list_one(const struct store_token *t, void *ud)
{
    struct list_run *run = ud;
    struct buf id, created, expires, used;

    if (run->json) {
        json_one(&run->w, t, run->now);
        return run->w.status;
    }
    buf_init(&id, 32);
    buf_init(&created, 64);
    buf_init(&expires, 64);
    buf_init(&used, 64);
    buf_setf(&id, "%lld", (long long)t->id);
    cell_time(t->created_at, "-", &created);
    cell_time(t->expires_at, "never", &expires);
    cell_time(t->last_used_at, "never", &used);
    {
        const char *cells[] = {buf_cstr(&id), t->name, t->scope,
                               store_token_status(t, run->now),
                               buf_cstr(&created), buf_cstr(&expires),
                               buf_cstr(&used), t->created_by};
        table_add(run->t, cells);
    }
    buf_free(&id);
    buf_free(&created);
    buf_free(&expires);
    buf_free(&used);
    return ERR_OK;
}

static int list_tokens(struct store *st, bool json)
{
    static const char *const headers[] = {"ID", "NAME", "SCOPE", "STATUS",
                                          "CREATED", "EXPIRES", "LAST USED",
                                          "BY"};
    static const bool right[] = {true, false, false, false,
                                 false, false, false, false};
    struct list_run run = {.json = json, .now = time_now()};
    struct buf out, err;
    enum err rc;

    buf_init(&out, (size_t)1 << 24);
    buf_init(&err, 1024);
    jw_init(&run.w, &out);
    run.t = table_create(8, headers, right);
    jw_object_begin(&run.w);
    jw_key(&run.w, "tokens");
    jw_array_begin(&run.w);
    rc = store_token_list(st, list_one, &run, &err);
    jw_array_end(&run.w);
    jw_object_end(&run.w);
    if (rc == ERR_OK && json)
        rc = jw_status(&run.w) == ERR_OK ? buf_putc(&out, '\n') : ERR_TOOBIG;
    if (rc != ERR_OK)
        cli_error("token list: %s", err.len ? buf_cstr(&err) : err_str(rc));
    else if (json)
        rc = cli_write(stdout, &out) ? ERR_OK : ERR_IO;
    else
        table_print(run.t, stdout, -1, 0);
    table_destroy(run.t);
    buf_free(&out);
    buf_free(&err);
    return rc == ERR_OK ? EXIT_OK_ : rc == ERR_DB ? EXIT_DB : EXIT_FAIL;
}

int cmd_token(struct cli *cli, int argc, char **argv)
{
    struct token_args a = {0};
    struct store *st;
    int exit_code = parse_token(argc, argv, &a);

    if (exit_code != EXIT_OK_)
        return exit_code;
    st = cli_open_store(cli);
    if (st == NULL)
        return EXIT_DB;
    if (strcmp(a.sub, "list") == 0)
        exit_code = list_tokens(st, a.json);
    else if (strcmp(a.sub, "revoke") == 0)
        exit_code = revoke_token(cli, st, a.what);
    else
        exit_code = add_token(cli, st, &a);
    store_close(st);
    return exit_code;
}
