/* What `backup` (cmd_backup.c) and `restore` (cmd_restore.c) share: their
 * options. */
#ifndef MEDIADASH_CLI_BACKUP_H
#define MEDIADASH_CLI_BACKUP_H

#include <stdbool.h>
#include <stddef.h>

#define CLI_BACKUP_SETS_MAX 32

struct backup_opts {
    const char *file;             /* the one FILE argument */
    bool force, quick, no_key;    /* --force, --quick, --no-key */
    const char *config;           /* --config FILE, or NULL */
    const char *sets[CLI_BACKUP_SETS_MAX]; /* --set KEY=VALUE, in order */
    size_t nsets;
};

/* Parse `cmd [--force] [--quick] [--no-key] [--config F] [--set K=V]...
 * FILE` into *o (--no-key only when no_key is allowed). EXIT_OK_, or
 * EXIT_USAGE after saying what is wrong. */
int cli_backup_opts(const char *cmd, bool no_key, int argc, char **argv,
                    struct backup_opts *o);

/* backup and restore copy a database file; a server's database (a
 * PostgreSQL URI) has its own tools. EXIT_OK_ for a file; otherwise
 * EXIT_FAIL after saying which tools to use instead. */
int cli_backup_file_only(const char *cmd, const char *db);

#endif
