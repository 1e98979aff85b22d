/* mediadash restore FILE: put a backup in place of the database.
 * FILE is checked first (integrity_check, a schema this program knows);
 * a database another process has open (serve, worker, collect) is never
 * touched; an existing database is kept as DB.before-restore-TIME (with
 * its -wal) and only with --force. The copy is made to DB.restore-tmp
 * and renamed, so a failure leaves the old database as it was. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/backup_files.h"
#include "cli/cli.h"
#include "cli/cli_backup.h"
#include "core/config.h"
#include "core/progress.h"
#include "core/timeutil.h"

/* Paths of one restore, all owned. */
struct restore_paths {
    struct buf tmp, keysrc, keytmp, old, stamp;
};

static void on_pages(void *ud, int64_t done, int64_t total)
{
    progress_update(ud, done, total);
}

/* The backup must be sound and of a schema this program can open. */
static int check_backup(const struct backup_opts *o, struct store_counts *c)
{
    struct buf err;
    enum err rc;
    int code = EXIT_OK_;

    buf_init(&err, 4096);
    rc = store_verify(o->file, o->quick, c, &err);
    if (rc != ERR_OK) {
        cli_error("%s is not a sound database (%s): nothing restored",
                  o->file, buf_cstr(&err));
        code = EXIT_FAIL;
    } else if (c->schema <= 0) {
        cli_error("%s is not a mediadash database (no schema version): "
                  "nothing restored", o->file);
        code = EXIT_FAIL;
    } else if (c->schema > store_schema_latest()) {
        cli_error("%s has schema version %d, newer than this program knows "
                  "(%d): upgrade mediadash first", o->file, c->schema,
                  store_schema_latest());
        code = EXIT_FAIL;
    } else {
        printf("backup %s:\n", o->file);
        bf_print_counts(stdout, o->quick ? "quick_check" : "integrity_check",
                        c);
    }
    buf_free(&err);
    return code;
}

/* Refuse while another process has db open. */
static int check_not_in_use(const char *db)
{
    struct buf err;
    bool busy;
    long pid;
    int code = EXIT_OK_;

    buf_init(&err, 4096);
    if (store_in_use(db, &busy, &pid, &err) != ERR_OK) {
        cli_error("%s", buf_cstr(&err));
        code = EXIT_FAIL;
    } else if (busy) {
        cli_error("%s is in use by process %ld (serve, worker or collect?): "
                  "stop it, then restore", db, pid);
        code = EXIT_FAIL;
    }
    buf_free(&err);
    return code;
}

/* Copy the backup into paths->tmp and the key file beside it, both new. */
static int stage(struct cli *cli, const struct backup_opts *o,
                 const struct store_counts *want, struct restore_paths *p,
                 bool *key)
{
    struct progress *pg = progress_create(STDERR_FILENO, "restore", "pages",
                                          cli->quiet);
    struct store_counts got, copy;
    struct buf err;
    enum err rc;
    int code = EXIT_OK_;

    buf_init(&err, 4096);
    rc = store_backup_copy(o->file, buf_cstr(&p->tmp), on_pages, pg, &got,
                           &err);
    progress_destroy(pg);
    if (rc == ERR_OK)
        rc = store_verify(buf_cstr(&p->tmp), true, &copy, &err);
    if (rc == ERR_OK && (!bf_same_counts(want, &got, &err) ||
                         !bf_same_counts(&got, &copy, &err)))
        rc = ERR_INVALID;
    if (rc != ERR_OK) {
        cli_error("copying %s failed: %s", o->file, buf_cstr(&err));
        code = EXIT_FAIL;
        goto out;
    }
    rc = bf_copy_key(buf_cstr(&p->keysrc), buf_cstr(&p->keytmp), &err);
    *key = rc == ERR_OK;
    if (rc != ERR_OK && rc != ERR_NOTFOUND) {
        cli_error("%s", buf_cstr(&err));
        code = EXIT_FAIL;
    }
out:
    buf_free(&err);
    return code;
}

/* Whether db or a -wal or -journal of it is there: a -wal left without
 * its database would be applied to the restored one, so it goes aside
 * too. */
static bool db_present(const char *db)
{
    struct buf side;
    bool any = bf_exists(db);

    buf_init(&side, 8192);
    if (!any && bf_path(&side, db, "-wal") == ERR_OK)
        any = bf_exists(buf_cstr(&side));
    if (!any && bf_path(&side, db, "-journal") == ERR_OK)
        any = bf_exists(buf_cstr(&side));
    buf_free(&side);
    return any;
}

/* Move db (and its -wal, -journal) aside to paths->old; drop its -shm,
 * which only mirrors the -wal and nobody holds. */
static enum err move_old(const char *db, struct restore_paths *p,
                         struct buf *err)
{
    static const char *const side[] = {"-wal", "-journal"};
    struct buf from, to;
    enum err rc = ERR_OK;

    buf_init(&from, 8192);
    buf_init(&to, 8192);
    for (size_t i = 0; i < 2 && rc == ERR_OK; i++) {
        rc = bf_path(&from, db, side[i]);
        if (rc == ERR_OK)
            rc = bf_path(&to, buf_cstr(&p->old), side[i]);
        if (rc == ERR_OK && bf_exists(buf_cstr(&from)))
            rc = bf_rename(buf_cstr(&from), buf_cstr(&to), err);
    }
    if (rc == ERR_OK && bf_exists(db))
        rc = bf_rename(db, buf_cstr(&p->old), err);
    if (rc == ERR_OK && bf_path(&from, db, "-shm") == ERR_OK)
        unlink(buf_cstr(&from));
    buf_free(&from);
    buf_free(&to);
    return rc;
}

static enum err put_in_place(const char *db, const char *keyfile, bool key,
                             struct restore_paths *p, struct buf *err)
{
    enum err rc = ERR_OK;
    struct buf oldkey;

    buf_init(&oldkey, 8192);
    if (db_present(db)) {
        rc = move_old(db, p, err);
        if (rc == ERR_OK)
            printf("the old database is kept as %s\n", buf_cstr(&p->old));
    }
    if (rc == ERR_OK && key && bf_exists(keyfile)) {
        rc = bf_path(&oldkey, keyfile, buf_cstr(&p->stamp));
        if (rc == ERR_OK)
            rc = bf_rename(keyfile, buf_cstr(&oldkey), err);
        if (rc == ERR_OK)
            printf("the old key file is kept as %s\n", buf_cstr(&oldkey));
    }
    if (rc == ERR_OK && key)
        rc = bf_rename(buf_cstr(&p->keytmp), keyfile, err);
    if (rc == ERR_OK)
        rc = bf_rename(buf_cstr(&p->tmp), db, err);
    buf_free(&oldkey);
    return rc;
}

static enum err make_paths(const char *db, const char *file,
                           const char *keyfile, struct restore_paths *p)
{
    int64_t now = time_now(), y;
    unsigned m, d;
    int sec = (int)(((now % 86400) + 86400) % 86400);
    enum err rc;

    time_civil_from_days(now >= 0 ? now / 86400 : (now - 86399) / 86400,
                         &y, &m, &d);
    rc = buf_printf(&p->stamp, ".before-restore-%04lld%02u%02uT%02d%02d%02dZ",
                    (long long)y, m, d, sec / 3600, sec / 60 % 60, sec % 60);
    if (rc == ERR_OK)
        rc = bf_path(&p->tmp, db, ".restore-tmp");
    if (rc == ERR_OK)
        rc = bf_path(&p->keysrc, file, ".key");
    if (rc == ERR_OK)
        rc = bf_path(&p->keytmp, keyfile, ".restore-tmp");
    if (rc == ERR_OK)
        rc = bf_path(&p->old, db, buf_cstr(&p->stamp));
    return rc;
}

/* Everything after the checks: stage, look again, swap. */
static int restore(struct cli *cli, const struct backup_opts *o,
                   const struct store_counts *want, const char *keyfile,
                   struct restore_paths *p)
{
    struct buf err;
    bool key = false;
    int code;

    if (bf_exists(buf_cstr(&p->tmp)) || bf_exists(buf_cstr(&p->keytmp))) {
        cli_error("%s exists (left by an interrupted restore?): remove it "
                  "first", bf_exists(buf_cstr(&p->tmp)) ? buf_cstr(&p->tmp)
                                                        : buf_cstr(&p->keytmp));
        return EXIT_FAIL;
    }
    code = stage(cli, o, want, p, &key);
    if (code == EXIT_OK_)
        code = check_not_in_use(cli->db_path); /* again, just before */
    buf_init(&err, 4096);
    if (code == EXIT_OK_ &&
        put_in_place(cli->db_path, keyfile, key, p, &err) != ERR_OK) {
        cli_error("%s", buf_cstr(&err));
        code = EXIT_FAIL;
    }
    buf_free(&err);
    if (code != EXIT_OK_) {
        unlink(buf_cstr(&p->tmp));
        unlink(buf_cstr(&p->keytmp));
        return code;
    }
    if (key)
        printf("key file: %s -> %s (mode 0600)\n", buf_cstr(&p->keysrc),
               keyfile);
    else if (want->rows[6] > 0)
        printf("key file: %s absent: the %lld stored credentials can only "
               "be read with the key they were sealed with (%s)\n",
               buf_cstr(&p->keysrc), (long long)want->rows[6], keyfile);
    printf("restored %s into %s\n", o->file, cli->db_path);
    return EXIT_OK_;
}

int cmd_restore(struct cli *cli, int argc, char **argv)
{
    struct backup_opts o;
    struct restore_paths p;
    struct store_counts want;
    struct config cfg;
    bool cfg_ok;
    int code = cli_backup_opts("restore", false, argc, argv, &o);

    if (code == EXIT_OK_)
        code = cli_backup_file_only("restore", cli->db_path);
    if (code != EXIT_OK_)
        return code;
    cfg_ok = cli_load_config(cli, o.config, o.sets, o.nsets, &cfg);
    buf_init(&p.tmp, 8192);
    buf_init(&p.keysrc, 8192);
    buf_init(&p.keytmp, 8192);
    buf_init(&p.old, 8192);
    buf_init(&p.stamp, 256);
    if (!cfg_ok || make_paths(cli->db_path, o.file, cfg.secret_key_file,
                              &p) != ERR_OK) {
        code = EXIT_USAGE;
        goto out;
    }
    code = check_backup(&o, &want);
    if (code == EXIT_OK_)
        code = check_not_in_use(cli->db_path);
    if (code == EXIT_OK_ && !o.force && db_present(cli->db_path)) {
        cli_error("%s exists: --force restores over it, keeping it as "
                  "%s", cli->db_path, buf_cstr(&p.old));
        code = EXIT_FAIL;
    }
    if (code == EXIT_OK_)
        code = restore(cli, &o, &want, cfg.secret_key_file, &p);
out:
    config_free(&cfg);
    buf_free(&p.tmp);
    buf_free(&p.keysrc);
    buf_free(&p.keytmp);
    buf_free(&p.old);
    buf_free(&p.stamp);
    return code;
}
