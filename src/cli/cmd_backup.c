/* mediadash backup FILE: a consistent copy of the database while serve
 * runs (SQLite's online backup API, store_backup_copy), written to
 * FILE.tmp, verified (integrity_check, schema, row counts equal to the
 * source's in the same read transaction), then renamed; the key file is
 * copied beside it as FILE.key (mode 0600). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/backup_files.h"
#include "cli/cli.h"
#include "cli/cli_backup.h"
#include "core/config.h"
#include "core/progress.h"
#include "core/timeutil.h"

static void on_pages(void *ud, int64_t done, int64_t total)
{
    progress_update(ud, done, total);
}

/* Copy and verify into tmp; prints the facts. */
static int copy_verified(struct cli *cli, const struct backup_opts *o,
                         const char *tmp, struct store_counts *src)
{
    struct progress *pg = progress_create(STDERR_FILENO, "backup", "pages",
                                          cli->quiet);
    struct store_counts copy;
    struct buf err;
    int64_t t0 = time_mono_ms();
    enum err rc;
    int code = EXIT_OK_;

    buf_init(&err, 4096);
    rc = store_backup_copy(cli->db_path, tmp, on_pages, pg, src, &err);
    progress_destroy(pg);
    if (rc != ERR_OK) {
        cli_error("backup of %s failed: %s", cli->db_path, buf_cstr(&err));
        code = rc == ERR_IO ? EXIT_FAIL : EXIT_DB;
        goto out;
    }
    printf("copied %s in %.1f s\n", cli->db_path,
           (double)(time_mono_ms() - t0) / 1000.0);
    rc = store_verify(tmp, o->quick, &copy, &err);
    if (rc != ERR_OK) {
        cli_error("the copy failed its check: %s", buf_cstr(&err));
        code = EXIT_FAIL;
    } else if (!bf_same_counts(src, &copy, &err)) {
        cli_error("the copy differs from the source: %s", buf_cstr(&err));
        code = EXIT_FAIL;
    } else {
        bf_print_counts(stdout, o->quick ? "quick_check" : "integrity_check",
                        &copy);
        printf("row counts: equal to the source's in the same snapshot\n");
    }
out:
    buf_free(&err);
    return code;
}

/* The key file beside the backup (keytmp, renamed by the caller), or a
 * line naming it when --no-key or when there is none. */
static int copy_key(const struct backup_opts *o, const char *key,
                    const char *keytmp, const struct store_counts *src,
                    bool *copied)
{
    struct buf err;
    enum err rc;
    int code = EXIT_OK_;

    *copied = false;
    if (o->no_key) {
        printf("key file: NOT copied (--no-key): keep %s safe; the "
               "stored tokens cannot be read without it\n", key);
        return EXIT_OK_;
    }
    buf_init(&err, 4096);
    rc = bf_copy_key(key, keytmp, &err);
    if (rc == ERR_NOTFOUND && src->rows[6] <= 0) {
        printf("key file: none (%s absent; no tokens stored)\n", key);
    } else if (rc == ERR_NOTFOUND) {
        printf("key file: %s is missing: the %lld stored credentials "
               "cannot be read (reconnect the accounts after a restore)\n",
               key, (long long)src->rows[6]);
    } else if (rc != ERR_OK) {
        cli_error("%s", buf_cstr(&err));
        code = EXIT_FAIL;
    } else {
        *copied = true;
    }
    buf_free(&err);
    return code;
}

static int finish(const struct backup_opts *o, const char *tmp,
                  const char *keytmp, const char *keydest, bool key_copied,
                  const char *key)
{
    struct buf err;
    enum err rc = ERR_OK;

    buf_init(&err, 4096);
    if (key_copied)
        rc = bf_rename(keytmp, keydest, &err);
    else if (o->force)
        unlink(keydest); /* an older backup's key must not sit beside it */
    if (rc == ERR_OK)
        rc = bf_rename(tmp, o->file, &err);
    if (rc != ERR_OK)
        cli_error("%s", buf_cstr(&err));
    else if (key_copied)
        printf("key file: %s -> %s (mode 0600)\n", key, keydest);
    buf_free(&err);
    if (rc == ERR_OK)
        printf("backup written: %s\n", o->file);
    return rc == ERR_OK ? EXIT_OK_ : EXIT_FAIL;
}

static bool refuse_existing(const struct backup_opts *o, const char *tmp,
                            const char *keytmp, const char *keydest)
{
    const char *left = bf_exists(tmp) ? tmp : bf_exists(keytmp) ? keytmp : NULL;

    if (left != NULL) {
        cli_error("%s exists (left by an interrupted backup?): remove it "
                  "first", left);
        return true;
    }
    if (!o->force && (bf_exists(o->file) || bf_exists(keydest))) {
        cli_error("%s exists: choose another name, or --force to replace "
                  "it", bf_exists(o->file) ? o->file : keydest);
        return true;
    }
    return false;
}

int cmd_backup(struct cli *cli, int argc, char **argv)
{
    struct backup_opts o;
    struct config cfg;
    struct store_counts src;
    struct buf tmp, keytmp, keydest;
    bool cfg_ok, key_copied = false;
    int code = cli_backup_opts("backup", true, argc, argv, &o);

    if (code == EXIT_OK_)
        code = cli_backup_file_only("backup", cli->db_path);
    if (code != EXIT_OK_)
        return code;
    if (!bf_exists(cli->db_path)) {
        cli_error("no database at %s", cli->db_path);
        return EXIT_DB;
    }
    cfg_ok = cli_load_config(cli, o.config, o.sets, o.nsets, &cfg);
    buf_init(&tmp, 8192);
    buf_init(&keytmp, 8192);
    buf_init(&keydest, 8192);
    if (!cfg_ok || bf_path(&tmp, o.file, ".tmp") != ERR_OK ||
        bf_path(&keytmp, o.file, ".key.tmp") != ERR_OK ||
        bf_path(&keydest, o.file, ".key") != ERR_OK) {
        code = EXIT_USAGE;
        goto out;
    }
    if (refuse_existing(&o, buf_cstr(&tmp), buf_cstr(&keytmp),
                        buf_cstr(&keydest))) {
        code = EXIT_FAIL;
        goto out;
    }
    code = copy_verified(cli, &o, buf_cstr(&tmp), &src);
    if (code == EXIT_OK_)
        code = copy_key(&o, cfg.secret_key_file, buf_cstr(&keytmp), &src,
                        &key_copied);
    if (code == EXIT_OK_)
        code = finish(&o, buf_cstr(&tmp), buf_cstr(&keytmp),
                      buf_cstr(&keydest), key_copied, cfg.secret_key_file);
    if (code != EXIT_OK_) {
        unlink(buf_cstr(&tmp));
        unlink(buf_cstr(&keytmp));
    }
out:
    config_free(&cfg);
    buf_free(&tmp);
    buf_free(&keytmp);
    buf_free(&keydest);
    return code;
}
