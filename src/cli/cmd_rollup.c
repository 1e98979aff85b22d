/* mediadash rollup --rebuild: recompute the daily rollups from the raw
 * snapshots. */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"
#include "core/timeutil.h"

int cmd_rollup(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"rebuild", no_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    struct store *st;
    struct buf err;
    bool rebuild = false;
    int64_t t0;
    int c, exit_code = EXIT_OK_;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'r')
            return EXIT_USAGE;
        rebuild = true;
    }
    if (!rebuild || optind != argc) {
        cli_error("rollup: nothing to do (see 'mediadash rollup --help')");
        return EXIT_USAGE;
    }
    st = cli_open_store(cli);
    if (st == NULL)
        return EXIT_DB;
    buf_init(&err, 4096);
    t0 = time_mono_ms();
    if (store_rollup_rebuild(st, &err) != ERR_OK) {
        cli_error("%s", buf_cstr(&err));
        exit_code = EXIT_DB;
    } else if (!cli->quiet) {
        fprintf(stderr, "rollups rebuilt in %.1f s\n",
                (double)(time_mono_ms() - t0) / 1000.0);
    }
    buf_free(&err);
    store_close(st);
    return exit_code;
}
