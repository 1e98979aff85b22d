/* The options of backup and restore (cli_backup.h). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_backup.h"

int cli_backup_opts(const char *cmd, bool no_key, int argc, char **argv,
                    struct backup_opts *o)
{
    static const struct option opts[] = {
        {"force", no_argument, NULL, 'f'},
        {"quick", no_argument, NULL, 'Q'},
        {"no-key", no_argument, NULL, 'n'},
        {"config", required_argument, NULL, 'c'},
        {"set", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    int c;

    memset(o, 0, sizeof *o);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'f') {
            o->force = true;
        } else if (c == 'Q') {
            o->quick = true;
        } else if (c == 'n' && no_key) {
            o->no_key = true;
        } else if (c == 'c') {
            o->config = optarg;
        } else if (c == 's') {
            if (o->nsets == CLI_BACKUP_SETS_MAX) {
                cli_error("%s: at most %d --set", cmd, CLI_BACKUP_SETS_MAX);
                return EXIT_USAGE;
            }
            o->sets[o->nsets++] = optarg;
        } else {
            if (c == 'n')
                cli_error("%s: unrecognized option '--no-key'", cmd);
            return EXIT_USAGE;
        }
    }
    if (optind + 1 != argc) {
        cli_error("%s: expected one FILE (see 'mediadash %s --help')", cmd,
                  cmd);
        return EXIT_USAGE;
    }
    o->file = argv[optind];
    return EXIT_OK_;
}

int cli_backup_file_only(const char *cmd, const char *db)
{
    char *shown;

    if (store_target_is_file(db))
        return EXIT_OK_;
    shown = store_target_display(db);
    if (strcmp(cmd, "backup") == 0)
        cli_error("backup copies a SQLite file; %s is a PostgreSQL "
                  "database: back it up with pg_dump (pg_dump -Fc -f "
                  "FILE.dump URI), or copy it into a SQLite file with "
                  "'mediadash db copy --from URI --to FILE.db'; keep the "
                  "secret_key_file with it", shown);
    else
        cli_error("restore puts a SQLite backup in place of a file; %s is "
                  "a PostgreSQL database: restore a pg_dump with pg_restore, "
                  "or load a SQLite backup with 'mediadash db copy --from "
                  "FILE.db --to URI'", shown);
    free(shown);
    return EXIT_FAIL;
}
