/* mediadash user add|passwd|del|list: the dashboard's logins. Passwords
 * come from a file, stdin or a terminal prompt without echo; only their
 * argon2id hash is stored (http/auth.h). */
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/jsonw.h"
#include "core/timeutil.h"
#include "http/auth.h"

struct user_args {
    const char *sub;     /* add, passwd, del, list */
    const char *name;    /* the user, for all but list */
    const char *pw_file; /* --password-file, "-" for stdin, or NULL */
    bool json;
};

static void secret_free(struct buf *b)
{
    if (b->data != NULL)
        sodium_memzero(b->data, b->cap);
    buf_free(b);
}

static int parse_user(int argc, char **argv, struct user_args *a)
{
    static const struct option opts[] = {
        {"password-file", required_argument, NULL, 'p'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    bool list;
    int c;

    if (argc < 2) {
        cli_error("user: expected add, passwd, del or list (see "
                  "'mediadash user --help')");
        return EXIT_USAGE;
    }
    a->sub = argv[1];
    list = strcmp(a->sub, "list") == 0;
    if (!list && strcmp(a->sub, "add") != 0 &&
        strcmp(a->sub, "passwd") != 0 && strcmp(a->sub, "del") != 0) {
        cli_error("user: unknown subcommand \"%s\" (add, passwd, del, list)",
                  a->sub);
        return EXIT_USAGE;
    }
    while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        if (c == 'p' && !list && strcmp(a->sub, "del") != 0)
            a->pw_file = optarg;
        else if (c == 'j' && list)
            a->json = true;
        else {
            cli_error("user %s: option not known here", a->sub);
            return EXIT_USAGE;
        }
    }
    if (optind + 1 + (list ? 0 : 1) != argc) {
        cli_error(list ? "user list: takes no arguments"
                       : "user %s: expected one NAME", a->sub);
        return EXIT_USAGE;
    }
    a->name = list ? NULL : argv[optind + 1];
    if (a->name != NULL && !auth_name_valid(a->name)) {
        cli_error("user %s: a name is 1 to %d characters of A-Z a-z 0-9 "
                  "_ . @ -", a->sub, AUTH_NAME_MAX);
        return EXIT_USAGE;
    }
    return EXIT_OK_;
}

/* Read the password file (or stdin for "-") into pw; one trailing
 * newline is dropped. */
static bool read_password_file(const char *path, struct buf *pw)
{
    struct buf why;
    enum err rc = ERR_OK;

    buf_init(&why, 1024);
    if (strcmp(path, "-") == 0) {
        char chunk[512];
        size_t n;
        while (rc == ERR_OK && (n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
            rc = buf_append(pw, chunk, n);
        sodium_memzero(chunk, sizeof chunk);
        if (rc == ERR_OK && ferror(stdin)) {
            buf_setf(&why, "%s", strerror(errno));
            rc = ERR_IO;
        }
    } else {
        rc = buf_read_file(pw, path, &why);
    }
    if (rc == ERR_TOOBIG)
        cli_error("%s: a password has at most %d bytes", path,
                  AUTH_PASSWORD_MAX);
    else if (rc != ERR_OK)
        cli_error("%s: %s", path, buf_cstr(&why));
    if (rc == ERR_OK && pw->len > 0 && pw->data[pw->len - 1] == '\n')
        pw->data[--pw->len] = '\0';
    buf_free(&why);
    return rc == ERR_OK;
}

/* One line from the terminal into out (without the newline). */
static bool read_line(struct buf *out)
{
    bool ok = true;
    int c;
    while ((c = getc(stdin)) != EOF && c != '\n')
        if (ok && buf_putc(out, (char)c) != ERR_OK)
            ok = false; /* too long: read on to the end of the line */
    if (!ok)
        cli_error("a password has at most %d bytes", AUTH_PASSWORD_MAX);
    return ok && !(c == EOF && ferror(stdin));
}

/* Ask twice on the terminal with echo off. */
static bool prompt_password(struct buf *pw)
{
    struct termios old, quiet;
    struct buf again;
    bool ok;

    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &old) != 0) {
        cli_error("stdin is not a terminal: give --password-file FILE (or "
                  "- to read stdin)");
        return false;
    }
    buf_init(&again, AUTH_PASSWORD_MAX + 1);
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    fputs("Password: ", stderr);
    ok = read_line(pw);
    fputs("\nRepeat password: ", stderr);
    ok = read_line(&again) && ok;
    fputs("\n", stderr);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    if (ok && (pw->len != again.len ||
               sodium_memcmp(buf_cstr(pw), buf_cstr(&again), pw->len) != 0)) {
        cli_error("the passwords differ");
        ok = false;
    }
    secret_free(&again);
    return ok;
}

/* Read, check and hash the new password into hash. */
static int new_password_hash(const struct user_args *a, struct buf *hash)
{
    struct buf pw;
    const char *problem;
    int exit_code = EXIT_FAIL;

    buf_init(&pw, AUTH_PASSWORD_MAX + 1);
    if (a->pw_file ? !read_password_file(a->pw_file, &pw)
                   : !prompt_password(&pw))
        goto out;
    problem = auth_password_problem(buf_cstr(&pw), pw.len);
    if (problem != NULL) {
        cli_error("user %s: %s", a->sub, problem);
        goto out;
    }
    if (auth_password_hash(buf_cstr(&pw), pw.len, hash) != ERR_OK) {
        cli_error("user %s: hashing the password failed (out of memory?)",
                  a->sub);
        goto out;
    }
    exit_code = EXIT_OK_;
out:
    secret_free(&pw);
    return exit_code;
}

/* add or passwd: the user must not exist (add) or must exist (passwd). */
static int set_password(struct cli *cli, struct store *st,
                        const struct user_args *a)
{
    bool add = strcmp(a->sub, "add") == 0;
    struct store_user u = {0};
    struct buf hash;
    enum err rc = store_user_get(st, a->name, &u);
    int exit_code;

    buf_init(&hash, 1024);
    store_user_free(&u);
    if (rc == ERR_OK && add) {
        cli_error("user add: %s already exists", a->name);
        exit_code = EXIT_FAIL;
        goto out;
    }
    if (rc != (add ? ERR_NOTFOUND : ERR_OK)) {
        cli_error("user %s: %s", a->sub,
                  rc == ERR_NOTFOUND ? "no such user" : err_str(rc));
        exit_code = rc == ERR_NOTFOUND ? EXIT_NOTFOUND : EXIT_DB;
        goto out;
    }
    exit_code = new_password_hash(a, &hash);
    if (exit_code != EXIT_OK_)
        goto out;
    rc = add ? store_user_add(st, a->name, buf_cstr(&hash), time_now(), NULL)
             : store_user_set_password(st, a->name, buf_cstr(&hash));
    if (rc != ERR_OK) {
        cli_error("user %s %s: %s", a->sub, a->name,
                  rc == ERR_EXISTS ? "already exists" : err_str(rc));
        exit_code = rc == ERR_EXISTS ? EXIT_FAIL : EXIT_DB;
    } else if (!cli->quiet && add) {
        fprintf(stderr, "mediadash: added user %s\n", a->name);
    } else if (!cli->quiet) {
        fprintf(stderr, "mediadash: new password for %s; their sessions "
                        "have ended\n", a->name);
    }
out:
    buf_free(&hash);
    return exit_code;
}

static int del_user(struct cli *cli, struct store *st, const char *name)
{
    enum err rc = store_user_del(st, name);
    if (rc == ERR_NOTFOUND) {
        cli_error("user del: no such user %s", name);
        return EXIT_NOTFOUND;
    }
    if (rc != ERR_OK) {
        cli_error("user del: %s", err_str(rc));
        return EXIT_DB;
    }
    if (!cli->quiet)
        fprintf(stderr, "mediadash: deleted user %s and their sessions\n",
                name);
    return EXIT_OK_;
}

struct list_run {
    bool json;
    struct jw w;
    struct table *t;
};

static enum err list_one(void *ud, const struct store_user *u)
{
    struct list_run *run = ud;
    struct buf when, n;
    enum err rc;

    if (run->json) {
        jw_object_begin(&run->w);
        jw_kv_str(&run->w, "name", u->name);
        jw_kv_time(&run->w, "created_at", u->created_at);
        jw_kv_bool(&run->w, "disabled", u->disabled);
        jw_kv_i64(&run->w, "sessions", u->sessions);
        jw_object_end(&run->w);
        return run->w.status; /* jw_status wants a finished document */
    }
    buf_init(&when, 64);
    buf_init(&n, 64);
    rc = time_format_iso8601(u->created_at, &when);
    fmt_count(u->sessions, &n);
    if (rc == ERR_OK) {
        const char *cells[] = {u->name, buf_cstr(&when), buf_cstr(&n),
                               u->disabled ? "yes" : "no"};
        table_add(run->t, cells);
    }
    buf_free(&when);
    buf_free(&n);
    return rc;
}

static int list_users(struct store *st, bool json)
{
    static const char *const headers[] = {"NAME", "CREATED", "SESSIONS",
                                          "DISABLED"};
    static const bool right[] = {false, false, true, false};
    struct list_run run = {.json = json};
    struct buf out;
    enum err rc;

    buf_init(&out, (size_t)1 << 24);
    jw_init(&run.w, &out);
    run.t = table_create(4, headers, right);
    jw_object_begin(&run.w);
    jw_key(&run.w, "users");
    jw_array_begin(&run.w);
    rc = store_user_list(st, list_one, &run);
    jw_array_end(&run.w);
    jw_object_end(&run.w);
    if (rc == ERR_OK && json)
        rc = jw_status(&run.w) == ERR_OK ? buf_putc(&out, '\n') : ERR_TOOBIG;
    if (rc != ERR_OK)
        cli_error("user list: %s", err_str(rc));
    else if (json)
        rc = cli_write(stdout, &out) ? ERR_OK : ERR_IO;
    else
        table_print(run.t, stdout, -1, 0);
    table_destroy(run.t);
    buf_free(&out);
    return rc == ERR_OK ? EXIT_OK_ : rc == ERR_DB ? EXIT_DB : EXIT_FAIL;
}

int cmd_user(struct cli *cli, int argc, char **argv)
{
    struct user_args a = {NULL, NULL, NULL, false};
    struct store *st;
    int exit_code = parse_user(argc, argv, &a);

    if (exit_code != EXIT_OK_)
        return exit_code;
    st = cli_open_store(cli);
    if (st == NULL)
        return EXIT_DB;
    if (strcmp(a.sub, "list") == 0)
        exit_code = list_users(st, a.json);
    else if (strcmp(a.sub, "del") == 0)
        exit_code = del_user(cli, st, a.name);
    else
        exit_code = set_password(cli, st, &a);
    store_close(st);
    return exit_code;
}
