/* mediadash doctor: one line per check of an installation (config, key
 * file, database, disk, clock, tokens, collection, posts), with what to
 * do for each problem; --json for scripts. Exit 1 when a check fails.
 * It reads only: the database is checked through its own read-only
 * connections (store_backup.h) before the store is opened at all. On
 * PostgreSQL the same checks run but for the file system's (the WAL and
 * the disk are the server's). */
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/config.h"
#include "core/jsonw.h"
#include "core/secret.h"
#include "core/timeutil.h"
#include "store/store_backup.h"

#define MB ((int64_t)1 << 20)
#define DISK_FAIL_MB 64          /* the database can hardly grow */
#define DISK_WARN_MB 1024        /* or under 10 % free */
#define WAL_WARN_MB 512          /* checkpoints held back by a reader */
#define SOON_S (7 * 86400)       /* a token ending this soon: warn */
#define STALE_S (6 * 3600)       /* six hourly rounds without a fetch */
#define OVERDUE_S 900            /* scheduled posts late by this much */
#define CLOCK_AHEAD_S 600        /* stored data newer than the clock */

enum dstat { D_OK, D_WARN, D_FAIL };
static const char *const dstat_name[] = {"ok", "warn", "fail"};

struct doctor {
    bool json, full;
    struct jw w;
    struct buf out;
    int fails, warns;
    int64_t now;
    struct config cfg;
    struct secret_key *key; /* NULL: not loaded */
    bool db_ok;             /* sound and of a known schema */
    struct store_counts counts;
};

/* One check's line; fix (may be NULL) says what to do about it. */
static void report(struct doctor *d, enum dstat s, const char *name,
                   const char *fix, const char *fmt, ...) PRINTF_LIKE(5, 6);
static void report(struct doctor *d, enum dstat s, const char *name,
                   const char *fix, const char *fmt, ...)
{
    struct buf msg;
    va_list ap;

    buf_init(&msg, 2048);
    va_start(ap, fmt);
    buf_vcatf(&msg, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < msg.len; i++)
        if ((unsigned char)msg.data[i] < 0x20)
            msg.data[i] = ' '; /* stored errors stay one line */
    d->fails += s == D_FAIL;
    d->warns += s == D_WARN;
    if (d->json) {
        jw_object_begin(&d->w);
        jw_kv_str(&d->w, "check", name);
        jw_kv_str(&d->w, "status", dstat_name[s]);
        jw_kv_str(&d->w, "message", buf_cstr(&msg));
        jw_kv_str(&d->w, "fix", s == D_OK ? NULL : fix);
        jw_object_end(&d->w);
    } else {
        printf("%-4s  %-10s  %s\n", dstat_name[s], name, buf_cstr(&msg));
        if (s != D_OK && fix != NULL)
            printf("      %-10s  -> %s\n", "", fix);
    }
    buf_free(&msg);
}

static void check_config(struct doctor *d, struct cli *cli, const char *file,
                         const char *const *sets, size_t nsets)
{
    struct buf err;

    buf_init(&err, 2048);
    if (cli_config_try(cli, file, sets, nsets, &d->cfg, &err) == ERR_OK) {
        report(d, D_OK, "config", NULL, "configuration loaded (file, "
               "environment, --set)");
    } else {
        report(d, D_FAIL, "config", "correct the key in the file, the "
               "environment (MEDIADASH_*) or --set; 'mediadash serve "
               "--help' and docs/ list the keys",
               "%s", buf_cstr(&err));
        config_free(&d->cfg);
        config_init(&d->cfg); /* the defaults, for the checks below */
        if (config_finish(&d->cfg, cli_db_file(cli), &err) != ERR_OK)
            report(d, D_FAIL, "config", NULL, "%s", buf_cstr(&err));
    }
    buf_free(&err);
}

/* What the check of the database is called on its backend. */
static const char *check_name(const struct doctor *d, const char *db)
{
    if (store_target_is_file(db))
        return d->full ? "integrity_check" : "quick_check";
    return d->full ? "consistency check" : "quick consistency check";
}

static void check_database(struct doctor *d, const char *db)
{
    struct buf err;
    enum err rc;
    int latest = store_schema_latest_of(db);
    char *shown = store_target_display(db);

    buf_init(&err, 4096);
    rc = store_verify(db, !d->full, &d->counts, &err);
    if (rc == ERR_NOTFOUND) {
        report(d, D_FAIL, "database", "check --db / MEDIADASH_DB, or restore "
               "a backup (mediadash restore)", "no database at %s", shown);
    } else if (rc == ERR_INVALID && !store_target_is_file(db)) {
        report(d, D_FAIL, "database", "rebuild the rollups (mediadash "
               "rollup --rebuild); restore the latest pg_dump if rows are "
               "missing", "%s fails its %s: %s", shown, check_name(d, db),
               buf_cstr(&err));
    } else if (rc != ERR_OK && !store_target_is_file(db)) {
        report(d, D_FAIL, "database", "check that the server runs and "
               "that the URI's user, host and database are right (psql "
               "URI)", "%s: %s", shown, buf_cstr(&err));
    } else if (rc != ERR_OK) {
        report(d, D_FAIL, "database", "restore the latest backup (mediadash "
               "restore, docs/backup.md); keep the damaged file aside",
               "%s fails its %s: %s", shown, check_name(d, db),
               buf_cstr(&err));
    } else {
        report(d, D_OK, "database", NULL, "%s: %s ok, %.1f MB", shown,
               check_name(d, db),
               (double)(d->counts.pages * d->counts.page_size) / 1e6);
        if (d->counts.schema > latest)
            report(d, D_FAIL, "schema", "upgrade mediadash to the version "
                   "that wrote it", "schema version %d is newer than this "
                   "program's %d", d->counts.schema, latest);
        else if (d->counts.schema < latest)
            report(d, D_WARN, "schema", "any command that opens it (serve) "
                   "migrates it; take a backup first", "schema version %d, "
                   "this program's is %d", d->counts.schema, latest);
        else
            report(d, D_OK, "schema", NULL, "schema version %d",
                   d->counts.schema);
        d->db_ok = d->counts.schema <= latest;
    }
    free(shown);
    buf_free(&err);
}

/* The row counts and the engine that holds them (for PostgreSQL its
 * server's version: the facts a report about the install needs). */
static void check_rows(struct doctor *d, const char *db)
{
    struct store_facts f;
    struct buf err, msg;

    if (!d->db_ok)
        return;
    buf_init(&err, 4096);
    buf_init(&msg, 2048);
    for (int i = 0; i < STORE_COUNT_TABLES; i++)
        if (d->counts.rows[i] >= 0)
            buf_catf(&msg, "%s%s %lld", msg.len > 0 ? ", " : "",
                     store_count_names[i], (long long)d->counts.rows[i]);
    if (store_facts_read(db, d->now, &f, &err) != ERR_OK)
        report(d, D_FAIL, "database", NULL, "%s", buf_cstr(&err));
    else
        report(d, D_OK, "rows", NULL, "%s: %s", f.engine, buf_cstr(&msg));
    buf_free(&msg);
    buf_free(&err);
}
static void check_wal(struct doctor *d, const char *db)
{
    struct buf wal;
    struct stat sb;

    buf_init(&wal, 8192);
    if (buf_printf(&wal, "%s-wal", db) == ERR_OK &&
        stat(buf_cstr(&wal), &sb) == 0 && sb.st_size > WAL_WARN_MB * MB)
        report(d, D_WARN, "wal", "a reader that never ends holds "
               "checkpoints back: restart serve", "%s is %lld MB",
               buf_cstr(&wal), (long long)(sb.st_size / MB));
    else
        report(d, D_OK, "wal", NULL, "write-ahead log under %d MB",
               (int)WAL_WARN_MB);
    buf_free(&wal);
}

static void check_disk(struct doctor *d, const char *db)
{
    char *dir = strdup(db), *slash = dir ? strrchr(dir, '/') : NULL;
    struct statvfs vs;
    int64_t avail, total;

    if (dir != NULL && slash != NULL)
        *(slash == dir ? slash + 1 : slash) = '\0';
    if (dir == NULL || statvfs(slash ? dir : ".", &vs) != 0) {
        report(d, D_WARN, "disk", NULL, "cannot read the free space: %s",
               strerror(errno));
        free(dir);
        return;
    }
    free(dir);
    avail = (int64_t)vs.f_bavail * (int64_t)vs.f_frsize;
    total = (int64_t)vs.f_blocks * (int64_t)vs.f_frsize;
    if (avail < DISK_FAIL_MB * MB)
        report(d, D_FAIL, "disk", "free space on the database's file "
               "system (old backups, logs, media)", "%lld MB free",
               (long long)(avail / MB));
    else if (avail < DISK_WARN_MB * MB || avail < total / 10)
        report(d, D_WARN, "disk", "free space soon: the database, its WAL "
               "and backups grow", "%lld MB free of %lld MB",
               (long long)(avail / MB), (long long)(total / MB));
    else
        report(d, D_OK, "disk", NULL, "%lld MB free (%lld%%)",
               (long long)(avail / MB), (long long)(avail * 100 / total));
}

/* A sane year; stored data from the future means the clock is behind. */
static void check_clock(struct doctor *d, const char *db)
{
    struct store_facts f;
    struct buf err, t;
    int64_t y;
    unsigned m, day;

    time_civil_from_days(d->now / 86400, &y, &m, &day);
    if (y < 2024 || y > 2100) {
        report(d, D_FAIL, "clock", "set the system clock (timedatectl "
               "set-ntp true)", "the clock says year %lld", (long long)y);
        return;
    }
    buf_init(&err, 4096);
    buf_init(&t, 64);
    if (!d->db_ok || store_facts_read(db, d->now, &f, &err) != ERR_OK) {
        report(d, D_OK, "clock", NULL, "year %lld", (long long)y);
    } else if (f.newest_observed > d->now + CLOCK_AHEAD_S &&
               time_format_iso8601(f.newest_observed, &t) == ERR_OK) {
        report(d, D_FAIL, "clock", "set the system clock (NTP); data "
               "collected with a wrong clock may need taking back "
               "(mediadash imports)", "the newest stored snapshot (%s) is "
               "%lld min ahead of the clock", buf_cstr(&t),
               (long long)((f.newest_observed - d->now) / 60));
    } else {
        report(d, D_OK, "clock", NULL, "year %lld, not behind the stored "
               "data", (long long)y);
    }
    buf_free(&t);
    buf_free(&err);
}

/* The key file: present when tokens are stored, 0600 or stricter, ours,
 * a well-formed key. */
static void check_key(struct doctor *d)
{
    const char *path = d->cfg.secret_key_file;
    struct buf err;
    struct stat sb;
    int64_t creds = d->counts.rows[6];

    if (path == NULL || lstat(path, &sb) != 0) {
        if (creds > 0)
            report(d, D_FAIL, "key", "restore the key file of this "
                   "database (FILE.key beside its backup) or reconnect the "
                   "accounts", "%s is missing: %lld stored credentials "
                   "cannot be read", path ? path : "(none)",
                   (long long)creds);
        else
            report(d, D_OK, "key", NULL, "%s absent (made at the first "
                   "connect)", path ? path : "(none)");
        return;
    }
    if ((sb.st_mode & 077) != 0) {
        report(d, D_FAIL, "key", "chmod 600 the key file", "%s has mode "
               "%04o: group or others may read it", path,
               (unsigned)(sb.st_mode & 07777));
        return;
    }
    if (sb.st_uid != geteuid()) {
        report(d, D_FAIL, "key", "run as the service user, or chown the "
               "key file to it", "%s is owned by uid %u, not by this user "
               "(%u)", path, (unsigned)sb.st_uid, (unsigned)geteuid());
        return;
    }
    buf_init(&err, 4096);
    if (sodium_init() < 0 ||
        secret_key_load(path, false, &d->key, &err) != ERR_OK)
        report(d, D_FAIL, "key", "restore the key file that belongs to "
               "this database", "%s", buf_cstr(&err));
    else
        report(d, D_OK, "key", NULL, "%s: mode %04o, owner uid %u", path,
               (unsigned)(sb.st_mode & 07777), (unsigned)sb.st_uid);
    buf_free(&err);
}

/* A token whose end is known: fail when past, warn when near. */
static bool token_ends(struct doctor *d, const char *who, int64_t end,
                       const char *what)
{
    struct buf t;
    bool problem = false;

    if (end == TIME_NONE)
        return false;
    buf_init(&t, 64);
    if (time_format_iso8601(end, &t) != ERR_OK)
        buf_reset(&t);
    if (end <= d->now) {
        report(d, D_FAIL, "token", "log in again: mediadash connect (or "
               "Sources, Reconnect)", "%s: the %s expired at %s", who, what,
               buf_cstr(&t));
        problem = true;
    } else if (end - d->now < SOON_S) {
        report(d, D_WARN, "token", "log in again before then: mediadash "
               "connect (or Sources, Reconnect)", "%s: the %s expires at %s",
               who, what, buf_cstr(&t));
        problem = true;
    }
    buf_free(&t);
    return problem;
}

/* The sealed access token opens with the key (the right key file). */
static bool token_opens(struct doctor *d, const char *who,
                        const struct store_cred *c)
{
    struct buf plain, err;
    bool ok = true;

    if (d->key == NULL || c->access_sealed == NULL)
        return true;
    buf_init(&plain, SECRET_MAX_PLAIN + 1);
    buf_init(&err, 1024);
    if (secret_open(d->key, c->access_sealed, &plain, &err) != ERR_OK) {
        report(d, D_FAIL, "token", "restore the key file that belongs to "
               "this database, or connect the account again",
               "%s: the stored token does not open with %s (%s)", who,
               d->cfg.secret_key_file, buf_cstr(&err));
        ok = false;
    }
    secret_buf_wipe(&plain);
    buf_free(&err);
    return ok;
}

static enum err on_cred(void *ud, const struct store_cred *c)
{
    struct doctor *d = ud;
    struct buf who;
    bool bad;

    buf_init(&who, 512);
    buf_catf(&who, "%s:%s", platform_name(c->platform), c->account);
    if (c->status == CRED_NEEDS_RELOGIN) {
        report(d, D_FAIL, "token", "log in again: mediadash connect (or "
               "Sources, Reconnect)", "%s needs a new login (%s)",
               buf_cstr(&who), c->last_error ? c->last_error : "refused");
        bad = true;
    } else {
        bad = token_ends(d, buf_cstr(&who), c->refresh_expires_at,
                         "refresh token");
        if (!bad && c->refresh_sealed == NULL)
            bad = token_ends(d, buf_cstr(&who), c->expires_at,
                             "access token (no refresh token)");
        bad = !token_opens(d, buf_cstr(&who), c) || bad;
    }
    if (!bad)
        report(d, D_OK, "token", NULL, "%s: connected, token opens",
               buf_cstr(&who));
    buf_free(&who);
    return ERR_OK;
}

static enum err on_job(void *ud, const struct store_job *j)
{
    struct doctor *d = ud;
    struct buf t;

    buf_init(&t, 64);
    if (j->last_fetch == TIME_NONE ||
        time_format_iso8601(j->last_fetch, &t) != ERR_OK)
        buf_setf(&t, "never");
    if (j->status != JOB_OK)
        report(d, D_WARN, "collect", "see 'mediadash sources' and the log; "
               "auth_needed: log in again", "%s:%s %s: %s, %lld failures "
               "(last %s): %s", platform_name(j->platform), j->account,
               job_kind_name(j->kind), job_status_name(j->status),
               (long long)j->failures, buf_cstr(&t),
               j->last_error ? j->last_error : "");
    else if (j->last_fetch == TIME_NONE || j->last_fetch < d->now - STALE_S)
        report(d, D_WARN, "collect", "is serve running (without "
               "--no-collect), or a timer running 'mediadash collect'?",
               "%s:%s %s: last collection %s", platform_name(j->platform),
               j->account, job_kind_name(j->kind), buf_cstr(&t));
    else
        report(d, D_OK, "collect", NULL, "%s:%s %s: collected %s",
               platform_name(j->platform), j->account,
               job_kind_name(j->kind), buf_cstr(&t));
    buf_free(&t);
    return ERR_OK;
}

static void check_accounts(struct doctor *d, struct cli *cli)
{
    struct store *st;
    struct buf err;

    if (!d->db_ok)
        return;
    if (d->counts.rows[6] == 0) {
        report(d, D_OK, "token", NULL, "no connected accounts");
        return;
    }
    buf_init(&err, 4096);
    if (store_open(cli->db_path, &st, &err) != ERR_OK) {
        report(d, D_FAIL, "database", NULL, "%s", buf_cstr(&err));
    } else {
        if (store_cred_list(st, on_cred, d, &err) != ERR_OK ||
            store_job_list(st, on_job, d) != ERR_OK)
            report(d, D_FAIL, "database", NULL, "reading accounts: %s",
                   buf_cstr(&err));
        store_close(st);
    }
    buf_free(&err);
}

static void check_posts(struct doctor *d, const char *db)
{
    struct store_facts f;
    struct buf err, t;

    if (!d->db_ok)
        return;
    buf_init(&err, 4096);
    buf_init(&t, 64);
    if (store_facts_read(db, d->now - OVERDUE_S, &f, &err) != ERR_OK)
        report(d, D_FAIL, "posts", NULL, "%s", buf_cstr(&err));
    else if (f.posts_overdue > 0 &&
             time_format_iso8601(f.oldest_overdue, &t) == ERR_OK)
        report(d, D_WARN, "posts", "start a worker: serve runs one unless "
               "--no-worker, or run 'mediadash worker'",
               "%lld scheduled posts are overdue (the oldest was due %s)",
               (long long)f.posts_overdue, buf_cstr(&t));
    else
        report(d, D_OK, "posts", NULL, "no scheduled post overdue");
    buf_free(&t);
    buf_free(&err);
}

static int parse(int argc, char **argv, struct doctor *d, const char **file,
                 const char **sets, size_t *nsets)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"full", no_argument, NULL, 'F'},
        {"config", required_argument, NULL, 'c'},
        {"set", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'j')
            d->json = true;
        else if (c == 'F')
            d->full = true;
        else if (c == 'c')
            *file = optarg;
        else if (c == 's' && *nsets < 32)
            sets[(*nsets)++] = optarg;
        else
            return EXIT_USAGE;
    }
    if (optind != argc) {
        cli_error("doctor: unexpected argument \"%s\"", argv[optind]);
        return EXIT_USAGE;
    }
    return EXIT_OK_;
}

int cmd_doctor(struct cli *cli, int argc, char **argv)
{
    struct doctor d;
    const char *file = NULL, *sets[32];
    size_t nsets = 0;
    int code;

    memset(&d, 0, sizeof d);
    code = parse(argc, argv, &d, &file, sets, &nsets);
    if (code != EXIT_OK_)
        return code;
    d.now = time_now();
    buf_init(&d.out, (size_t)16 << 20);
    if (d.json) {
        jw_init(&d.w, &d.out);
        jw_object_begin(&d.w);
        jw_key(&d.w, "checks");
        jw_array_begin(&d.w);
    }
    check_config(&d, cli, file, sets, nsets);
    check_database(&d, cli->db_path);
    check_rows(&d, cli->db_path);
    if (store_target_is_file(cli->db_path)) {
        check_wal(&d, cli->db_path);
        check_disk(&d, cli->db_path);
    } else {
        report(&d, D_OK, "disk", NULL, "on the database server: not "
               "checked from here (no write-ahead log or disk of ours)");
    }
    check_clock(&d, cli->db_path);
    check_key(&d);
    check_accounts(&d, cli);
    check_posts(&d, cli->db_path);
    if (d.json) {
        jw_array_end(&d.w);
        jw_kv_i64(&d.w, "fail", d.fails);
        jw_kv_i64(&d.w, "warn", d.warns);
        jw_object_end(&d.w);
        if (jw_status(&d.w) != ERR_OK || buf_putc(&d.out, '\n') != ERR_OK ||
            !cli_write(stdout, &d.out))
            code = EXIT_FAIL;
    } else {
        printf("%d failed, %d warnings\n", d.fails, d.warns);
    }
    secret_key_destroy(d.key);
    config_free(&d.cfg);
    buf_free(&d.out);
    return code != EXIT_OK_ || d.fails > 0 ? EXIT_FAIL : EXIT_OK_;
}
