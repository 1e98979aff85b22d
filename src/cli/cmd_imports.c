/* mediadash imports [--json] | imports remove ID, and the account
 * subcommands accounts set PLATFORM:ID --role R | accounts remove
 * PLATFORM:ID: taking data back and marking whose an account is. */
#include <getopt.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/jsonw.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "ingest/imports.h"

/* The audit line's "who" for the CLI: the OS user. */
static void os_user(struct buf *out)
{
    const struct passwd *pw = getpwuid(geteuid());
    if (pw != NULL && pw->pw_name != NULL)
        buf_setf(out, "%s", pw->pw_name);
    else
        buf_setf(out, "uid %ld", (long)geteuid());
}

/* ---- imports (list) -------------------------------------------------- */

static enum err import_line(void *ud, const struct store_import *im)
{
    struct table *t = ud;
    struct buf c[6];
    const char *row[8];

    for (size_t i = 0; i < 6; i++)
        buf_init(&c[i], 256);
    if (time_format_iso8601(im->imported_at, &c[0]) != ERR_OK)
        buf_setf(&c[0], "?");
    buf_setf(&c[1], "%lld", (long long)im->id);
    fmt_count(im->items, &c[2]);
    fmt_count(im->snapshots, &c[3]);
    fmt_count(im->values, &c[4]);
    buf_setf(&c[5], "%.12s", im->digest ? im->digest : "");
    row[0] = buf_cstr(&c[1]);
    row[1] = buf_cstr(&c[0]);
    row[2] = im->format ? im->format : "";
    row[3] = buf_cstr(&c[2]);
    row[4] = buf_cstr(&c[3]);
    row[5] = buf_cstr(&c[4]);
    row[6] = buf_cstr(&c[5]);
    row[7] = im->source ? im->source : "";
    table_add(t, row);
    for (size_t i = 0; i < 6; i++)
        buf_free(&c[i]);
    return ERR_OK;
}

static enum err audit_line(void *ud, const struct store_audit *a)
{
    struct buf when;
    (void)ud;
    buf_init(&when, 64);
    if (time_format_iso8601(a->at, &when) != ERR_OK)
        buf_setf(&when, "?");
    printf("%s  %s  %s: %s\n", buf_cstr(&when), a->who, a->action, a->what);
    buf_free(&when);
    return ERR_OK;
}

static enum err list_text(struct store *st)
{
    static const char *const h[] = {"ID",     "TIME",      "FORMAT",
                                    "ITEMS",  "SNAPSHOTS", "VALUES",
                                    "SHA256", "FILE"};
    static const bool r[] = {true, false, false, true,
                             true, true,  false, false};
    struct table *t = table_create(8, h, r);
    enum err rc = store_imports_list(st, import_line, t);

    if (rc == ERR_OK)
        table_print(t, stdout, 7, cli_term_width());
    table_destroy(t);
    if (rc == ERR_OK)
        printf("\naudit:\n");
    if (rc == ERR_OK)
        rc = store_audit_list(st, audit_line, NULL);
    return rc;
}

static int imports_list(struct cli *cli, bool json)
{
    struct store *st = cli_open_store(cli);
    struct buf out;
    struct jw w;
    enum err rc;

    if (st == NULL)
        return EXIT_DB;
    buf_init(&out, (size_t)1 << 30);
    if (json) {
        jw_init(&w, &out);
        rc = imports_json(st, &w);
        if (rc == ERR_OK)
            rc = buf_putc(&out, '\n');
        if (rc == ERR_OK && !cli_write(stdout, &out))
            rc = ERR_IO;
    } else {
        rc = list_text(st);
    }
    if (rc != ERR_OK)
        cli_error("imports: %s", err_str(rc));
    buf_free(&out);
    store_close(st);
    return rc == ERR_OK ? EXIT_OK_ : rc == ERR_DB ? EXIT_DB : EXIT_FAIL;
}

/* ---- removals ---------------------------------------------------------- */

static int removed(const char *cmd, enum err rc, const struct buf *err,
                   const char *what, const struct store_removed *r)
{
    if (rc != ERR_OK) {
        cli_error("%s: %s", cmd, err->len ? buf_cstr(err) : err_str(rc));
        return rc == ERR_NOTFOUND ? EXIT_NOTFOUND
               : rc == ERR_DB     ? EXIT_DB
                                  : EXIT_FAIL;
    }
    printf("removed %s: %lld items, %lld snapshots, %lld values\n", what,
           (long long)r->items, (long long)r->snapshots,
           (long long)r->values);
    return EXIT_OK_;
}

static int imports_remove(struct cli *cli, const char *id_s, bool yes)
{
    struct store_removed r;
    struct store *st;
    struct buf err, who, q;
    int64_t id;
    int exit_code;

    if (parse_i64(id_s, 1, INT64_MAX, &id) != ERR_OK) {
        cli_error("imports remove: ID must be a positive integer, not \"%s\"",
                  id_s);
        return EXIT_USAGE;
    }
    buf_init(&q, 256);
    buf_setf(&q, "Remove everything import %lld stored?", (long long)id);
    if (!cli_confirm("imports remove", yes, buf_cstr(&q))) {
        buf_free(&q);
        return EXIT_FAIL;
    }
    buf_free(&q);
    st = cli_open_store(cli);
    if (st == NULL)
        return EXIT_DB;
    buf_init(&err, 4096);
    buf_init(&who, 256);
    os_user(&who);
    buf_init(&q, 64);
    buf_setf(&q, "import %lld", (long long)id);
    exit_code = removed("imports remove",
                        store_import_remove(st, id, buf_cstr(&who),
                                            time_now(), &r, &err),
                        &err, buf_cstr(&q), &r);
    buf_free(&q);
    buf_free(&who);
    buf_free(&err);
    store_close(st);
    return exit_code;
}

int cmd_imports(struct cli *cli, int argc, char **argv)
{
    unsigned flags;
    bool json, yes;

    if (!cli_yes_json("imports", argc, argv, CLI_YES | CLI_JSON, &flags))
        return EXIT_USAGE;
    json = (flags & CLI_JSON) != 0;
    yes = (flags & CLI_YES) != 0;
    if (optind == argc && !yes)
        return imports_list(cli, json);
    if (optind + 2 == argc && strcmp(argv[optind], "remove") == 0 && !json)
        return imports_remove(cli, argv[optind + 1], yes);
    cli_error("imports: expected no argument (list) or \"remove ID\"");
    return EXIT_USAGE;
}

/* ---- accounts set | remove ----------------------------------------------- */

/* Split "platform:ext_id" (ref) into *p and a pointer into ref. */
static bool account_ref(const char *cmd, const char *ref, enum platform *p,
                        const char **ext_id)
{
    const char *colon = strchr(ref, ':');
    struct buf name;
    bool ok;

    buf_init(&name, 64);
    ok = colon != NULL && colon[1] != '\0' &&
         buf_append(&name, ref, (size_t)(colon - ref)) == ERR_OK &&
         platform_from_name(buf_cstr(&name), p) == ERR_OK;
    buf_free(&name);
    if (!ok) {
        cli_error("%s: expected PLATFORM:ID (e.g. youtube:UC...), not \"%s\"",
                  cmd, ref);
        return false;
    }
    *ext_id = colon + 1;
    return true;
}

static int account_set(struct cli *cli, const char *ref, const char *role)
{
    enum platform p;
    const char *ext_id;
    struct store *st;
    struct buf err, who;
    int64_t n = 0;
    enum err rc;

    if (role == NULL ||
        (strcmp(role, "own") != 0 && strcmp(role, "tracked") != 0)) {
        cli_error("accounts set: --role must be own or tracked");
        return EXIT_USAGE;
    }
    if (!account_ref("accounts set", ref, &p, &ext_id))
        return EXIT_USAGE;
    st = cli_open_store(cli);
    if (st == NULL)
        return EXIT_DB;
    buf_init(&err, 4096);
    buf_init(&who, 256);
    os_user(&who);
    rc = store_account_set_role(st, p, ext_id, strcmp(role, "tracked") == 0,
                                buf_cstr(&who), time_now(), &n, &err);
    if (rc == ERR_OK)
        printf("%s is %s (%lld items changed)\n", ref, role, (long long)n);
    else
        cli_error("accounts set: %s", err.len ? buf_cstr(&err) : err_str(rc));
    buf_free(&who);
    buf_free(&err);
    store_close(st);
    return rc == ERR_OK         ? EXIT_OK_
           : rc == ERR_NOTFOUND ? EXIT_NOTFOUND
           : rc == ERR_DB       ? EXIT_DB
                                : EXIT_FAIL;
}

static int account_remove(struct cli *cli, const char *ref, bool yes)
{
    struct store_removed r;
    enum platform p;
    const char *ext_id;
    struct store *st;
    struct buf err, who, q;
    int exit_code;

    if (!account_ref("accounts remove", ref, &p, &ext_id))
        return EXIT_USAGE;
    buf_init(&q, 4096);
    buf_setf(&q, "Remove account %s with all its content and history?", ref);
    exit_code = cli_confirm("accounts remove", yes, buf_cstr(&q)) ? EXIT_OK_
                                                              : EXIT_FAIL;
    buf_free(&q);
    if (exit_code != EXIT_OK_)
        return exit_code;
    st = cli_open_store(cli);
    if (st == NULL)
        return EXIT_DB;
    buf_init(&err, 4096);
    buf_init(&who, 256);
    os_user(&who);
    buf_init(&q, 4096);
    buf_setf(&q, "account %s", ref);
    exit_code = removed("accounts remove",
                        store_account_remove(st, p, ext_id, buf_cstr(&who),
                                             time_now(), &r, &err),
                        &err, buf_cstr(&q), &r);
    buf_free(&q);
    buf_free(&who);
    buf_free(&err);
    store_close(st);
    return exit_code;
}

int cmd_accounts_change(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"role", required_argument, NULL, 'r'},
        {"yes", no_argument, NULL, 'y'},
        {NULL, 0, NULL, 0},
    };
    const char *sub = argv[1], *role = NULL;
    bool set = strcmp(sub, "set") == 0, yes = false;
    int c;

    while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        if (c == 'r' && set)
            role = optarg;
        else if (c == 'y' && !set)
            yes = true;
        else {
            cli_error("accounts %s: option not known here", sub);
            return EXIT_USAGE;
        }
    }
    if (optind + 2 != argc) {
        cli_error("accounts %s: expected one PLATFORM:ID", sub);
        return EXIT_USAGE;
    }
    if (set)
        return account_set(cli, argv[optind + 1], role);
    return account_remove(cli, argv[optind + 1], yes);
}
