/* mediadash db copy --from SRC --to DST: a whole database from one
 * backend into another (issue 17; store_copy.h), then checked: the row
 * count of every table equal, and the BLAKE2b of `export snapshots` of
 * both equal. Progress on stderr, per table, at most once a second. */
#define _GNU_SOURCE /* fopencookie */
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/backup_files.h"
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/timeutil.h"
#include "store/store_copy.h"

#define HASH_BYTES 32
#define MAX_BATCH 100000

struct db_copy_args {
    const char *from, *to;
    bool replace;
    size_t batch;
};

struct copy_progress {
    bool quiet;
    const char *table; /* the table of the last line */
    int64_t t0, table_t0, last_ms;
};

static void on_rows(void *ud, const char *table, int64_t rows, int64_t total)
{
    struct copy_progress *p = ud;
    int64_t now = time_mono_ms();
    double s;

    if (p->table == NULL || strcmp(p->table, table) != 0) {
        p->table = table;
        p->table_t0 = now;
    }
    if (p->quiet || rows == 0 || (now - p->last_ms < 1000 && rows < total))
        return;
    if (rows == total && now - p->table_t0 < 1000)
        return; /* a small table: the summary counts it */
    p->last_ms = now;
    s = (double)(now - p->table_t0) / 1000.0;
    fprintf(stderr, "db copy: %s %lld/%lld rows, %.0f rows/s\n", table,
            (long long)rows, (long long)total,
            s > 0 ? (double)rows / s : (double)rows);
}

/* fopencookie's write: the bytes go into the hash. */
static ssize_t hash_write(void *cookie, const char *b, size_t n)
{
    crypto_generichash_update(cookie, (const unsigned char *)b, n);
    return (ssize_t)n;
}

/* BLAKE2b-256 of `export snapshots` of st, in hex (out: 65 bytes). */
static enum err export_hash(struct store *st, char *out, struct buf *err)
{
    crypto_generichash_state h;
    cookie_io_functions_t io = {NULL, hash_write, NULL, NULL};
    unsigned char md[HASH_BYTES];
    FILE *f;
    enum err rc;

    crypto_generichash_init(&h, NULL, 0, sizeof md);
    f = fopencookie(&h, "w", io);
    if (f == NULL)
        return ERR_NOMEM;
    rc = cli_export_snapshots(st, f, err);
    if (fclose(f) != 0 && rc == ERR_OK)
        rc = ERR_IO;
    crypto_generichash_final(&h, md, sizeof md);
    sodium_bin2hex(out, HASH_BYTES * 2 + 1, md, sizeof md);
    return rc;
}

static int parse_copy(int argc, char **argv, struct db_copy_args *a)
{
    static const struct option opts[] = {
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"replace", no_argument, NULL, 'r'},
        {"batch", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 0; /* glibc: re-initialise getopt for this argv */
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end = NULL;
        long long n;
        switch (c) {
        case 'f':
            a->from = optarg;
            break;
        case 't':
            a->to = optarg;
            break;
        case 'r':
            a->replace = true;
            break;
        case 'b':
            errno = 0;
            n = strtoll(optarg, &end, 10);
            if (end == optarg || *end != '\0' || errno != 0 || n < 1 ||
                n > MAX_BATCH) {
                cli_error("db copy: --batch takes 1 to %d", MAX_BATCH);
                return EXIT_USAGE;
            }
            a->batch = (size_t)n;
            break;
        default:
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        cli_error("db copy: unexpected argument %s", argv[optind]);
        return EXIT_USAGE;
    }
    if (a->from == NULL || a->to == NULL || a->from[0] == '\0' ||
        a->to[0] == '\0') {
        cli_error("db copy: say --from SRC and --to DST (a SQLite file or "
                  "a postgresql:// URI each)");
        return EXIT_USAGE;
    }
    if (strcmp(a->from, a->to) == 0) {
        cli_error("db copy: --from and --to name the same database");
        return EXIT_USAGE;
    }
    return EXIT_OK_;
}

/* Open target; a SQLite source must exist (opening would create it). */
static struct store *open_target(const char *target, bool source)
{
    struct store *st = NULL;
    struct buf err;

    if (source && store_target_is_file(target) && !bf_exists(target)) {
        cli_error("db copy: %s: no such database", target);
        return NULL;
    }
    buf_init(&err, 4096);
    if (store_open(target, &st, &err) != ERR_OK) {
        cli_error("db copy: %s", buf_cstr(&err));
        st = NULL;
    }
    buf_free(&err);
    return st;
}

/* Every table's rows equal on both; prints the ones that differ. */
static bool same_counts(struct store *src, struct store *dst, int64_t *total)
{
    size_t n = store_copy_ntables();
    int64_t *a = xcalloc(n, sizeof *a), *b = xcalloc(n, sizeof *b);
    struct buf err;
    bool same = true;

    buf_init(&err, 4096);
    *total = 0;
    if (same && (store_copy_counts(src, a, &err) != ERR_OK ||
                 store_copy_counts(dst, b, &err) != ERR_OK)) {
        cli_error("db copy: counting rows: %s", buf_cstr(&err));
        same = false;
    }
    for (size_t i = 0; same && i < n; i++) {
        if (a[i] > 0 && a[i] != b[i]) {
            cli_error("db copy: %s: %lld rows in the source, %lld in the "
                      "destination", store_copy_table_name(i),
                      (long long)a[i], (long long)b[i]);
            same = false;
        }
        *total += a[i] > 0 ? a[i] : 0;
    }
    if (same) {
        const char *sep = "rows:";
        for (size_t i = 0; i < n; i++)
            if (a[i] > 0) {
                printf("%s %s %lld", sep, store_copy_table_name(i),
                       (long long)a[i]);
                sep = ",";
            }
        printf("\n");
    }
    free(a);
    free(b);
    buf_free(&err);
    return same;
}

/* The sealed tokens need the source's key: beside a SQLite file it is
 * copied to <dst>.key when that does not exist; otherwise say so. */
static void key_note(const struct db_copy_args *a)
{
    struct buf sk, dk, err;

    buf_init(&sk, 4096);
    buf_init(&dk, 4096);
    buf_init(&err, 4096);
    if (store_target_is_file(a->from) &&
        (bf_path(&sk, a->from, ".key") != ERR_OK ||
         !bf_exists(buf_cstr(&sk)))) {
        printf("key file: none beside the source (no %s)\n", buf_cstr(&sk));
    } else if (store_target_is_file(a->from) && store_target_is_file(a->to) &&
               bf_path(&dk, a->to, ".key") == ERR_OK &&
               !bf_exists(buf_cstr(&dk))) {
        if (bf_copy_key(buf_cstr(&sk), buf_cstr(&dk), &err) == ERR_OK)
            printf("key file: copied to %s\n", buf_cstr(&dk));
        else
            cli_error("db copy: %s", buf_cstr(&err));
    } else {
        printf("key file: not copied; stored tokens and credentials are "
               "sealed with the source's key (secret_key_file, or <db>.key "
               "beside a SQLite file): the destination needs the same "
               "key\n");
    }
    buf_free(&sk);
    buf_free(&dk);
    buf_free(&err);
}

static int db_copy(struct cli *cli, int argc, char **argv)
{
    struct db_copy_args a = {NULL, NULL, false, 0};
    struct copy_progress pr = {cli->quiet, NULL, time_mono_ms(), 0, 0};
    struct store_copy_opts o = {false, 0, on_rows, &pr};
    struct store *src = NULL, *dst = NULL;
    char hs[HASH_BYTES * 2 + 1], hd[HASH_BYTES * 2 + 1];
    int64_t rows = 0, ms;
    struct buf err;
    int code = parse_copy(argc, argv, &a);
    enum err rc;

    if (code != EXIT_OK_)
        return code;
    if (sodium_init() < 0) {
        cli_error("db copy: libsodium failed to start");
        return EXIT_FAIL;
    }
    buf_init(&err, 4096);
    src = open_target(a.from, true);
    dst = src != NULL ? open_target(a.to, false) : NULL;
    if (dst == NULL) {
        code = EXIT_DB;
        goto out;
    }
    o.replace = a.replace;
    o.batch = a.batch;
    rc = store_copy(src, dst, &o, &err);
    if (rc != ERR_OK) {
        cli_error("db copy: %s", buf_cstr(&err));
        code = rc == ERR_EXISTS || rc == ERR_UNSUPPORTED ? EXIT_FAIL
                                                         : EXIT_DB;
        goto out;
    }
    ms = time_mono_ms() - pr.t0;
    if (!same_counts(src, dst, &rows)) {
        code = EXIT_FAIL;
        goto out;
    }
    printf("copied %lld rows in %.1f s (%.0f rows/s); row counts equal\n",
           (long long)rows, (double)ms / 1000.0,
           ms > 0 ? (double)rows * 1000.0 / (double)ms : (double)rows);
    if (export_hash(src, hs, &err) != ERR_OK ||
        export_hash(dst, hd, &err) != ERR_OK) {
        cli_error("db copy: export snapshots: %s", buf_cstr(&err));
        code = EXIT_DB;
        goto out;
    }
    printf("export snapshots BLAKE2b: source      %s\n", hs);
    printf("export snapshots BLAKE2b: destination %s\n", hd);
    if (strcmp(hs, hd) != 0) {
        cli_error("db copy: the destination's export differs from the "
                  "source's");
        code = EXIT_FAIL;
        goto out;
    }
    key_note(&a);
out:
    store_close(src);
    store_close(dst);
    buf_free(&err);
    return code;
}

int cmd_db(struct cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "copy") == 0)
        return db_copy(cli, argc - 1, argv + 1);
    cli_error("db: say what to do: copy (mediadash db --help)");
    return EXIT_USAGE;
}
