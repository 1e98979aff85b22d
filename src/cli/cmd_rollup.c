/* mediadash rollup --rebuild [--zone NAME]: recompute the daily rollups
 * from the raw snapshots, optionally under another rollup zone. */
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/progress.h"
#include "core/timeutil.h"
#include "core/tz.h"

static void on_items(void *ud, int64_t done, int64_t total)
{
    progress_update(ud, done, total);
}

int cmd_rollup(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"rebuild", no_argument, NULL, 'r'},
        {"zone", required_argument, NULL, 'z'},
        {NULL, 0, NULL, 0},
    };
    struct store *st;
    struct progress *pg;
    struct buf err;
    const char *zone = NULL;
    bool rebuild = false;
    enum err rc;
    int64_t t0;
    int c, exit_code = EXIT_OK_;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'r')
            rebuild = true;
        else if (c == 'z')
            zone = optarg;
        else
            return EXIT_USAGE;
    }
    if ((!rebuild && zone == NULL) || optind != argc) {
        cli_error("rollup: nothing to do (see 'mediadash rollup --help')");
        return EXIT_USAGE;
    }
    st = cli_open_store(cli);
    if (st == NULL)
        return EXIT_DB;
    buf_init(&err, 4096);
    t0 = time_mono_ms();
    pg = progress_create(STDERR_FILENO, "rollup", "items", cli->quiet);
    store_set_progress(st, on_items, pg);
    rc = zone != NULL ? store_set_rollup_zone(st, zone, &err)
                      : store_rollup_rebuild(st, &err);
    store_set_progress(st, NULL, NULL);
    progress_destroy(pg);
    if (rc == ERR_INVALID || rc == ERR_NOTFOUND || rc == ERR_PARSE) {
        cli_error("--zone: %s", buf_cstr(&err));
        exit_code = EXIT_USAGE;
    } else if (rc != ERR_OK) {
        cli_error("%s", buf_cstr(&err));
        exit_code = EXIT_DB;
    } else if (!cli->quiet) {
        fprintf(stderr, "rollups rebuilt in %.1f s (days of %s)\n",
                (double)(time_mono_ms() - t0) / 1000.0,
                tz_name(store_rollup_zone(st)));
    }
    buf_free(&err);
    store_close(st);
    return exit_code;
}
