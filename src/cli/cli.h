/* The command-line interface: each subcommand is a thin shell over the
 * modules (DESIGN.md). */
#ifndef MEDIADASH_CLI_H
#define MEDIADASH_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/model.h"
#include "store/store.h"

/* Exit codes (documented in README.md and `mediadash --help`). */
enum exit_code {
    EXIT_OK_ = 0,       /* success */
    EXIT_FAIL = 1,      /* some input was refused or an operation failed */
    EXIT_USAGE = 2,     /* bad command line */
    EXIT_DB = 3,        /* the database could not be opened or used */
    EXIT_NOTFOUND = 4,  /* the item asked for does not exist */
};

/* Global options, fixed after parsing. */
struct cli {
    const char *prog;
    char *db_path; /* owned */
    bool verbose;
    bool quiet;
    /* --log-level / --log-format (borrowed from argv), or NULL: then the
     * configuration's log.level / log.format apply (cli_load_config) */
    const char *log_level;
    const char *log_format;
};

struct command {
    const char *name;
    const char *summary;
    const char *usage; /* full --help text */
    int (*run)(struct cli *cli, int argc, char **argv);
};

/* Print a message to stderr: "mediadash: <msg>". */
void cli_error(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* Open the store named by cli->db_path; prints the error and returns
 * NULL on failure. */
struct store *cli_open_store(struct cli *cli);
/* cli->db_path when it names a database file, NULL for a server's URI
 * (config_finish's db_path: no <db>.key or <db>.media beside a URI). */
const char *cli_db_file(const struct cli *cli);
/* True when argv holds -h or --help before "--"; prints usage then. */
bool cli_wants_help(const struct command *cmd, int argc, char **argv);
/* Parse a platform name for an option; prints an error on failure. */
bool cli_platform(const char *opt, const char *s, int *out);
/* The same for an option about social data (reports, exports, lists,
 * search, import): a registered platform that is not social (Oura's
 * health data) is refused, naming the social ones. */
bool cli_social_platform(const char *opt, const char *s, int *out);
/* Parse an ISO 8601 time or date for an option; prints an error. */
bool cli_time(const char *opt, const char *s, int64_t *out);

/* true when the user confirmed: yes given, or "y"/"yes" typed at the
 * [y/N] question (on stderr, answer from a terminal). Without a terminal
 * and without yes: false, and says "<cmd>: ... add --yes". */
bool cli_confirm(const char *cmd, bool yes, const char *question);

/* Flags of cli_yes_json. */
#define CLI_YES 1u  /* --yes */
#define CLI_JSON 2u /* --json */
/* Parse --yes and --json from argv (getopt_long from argv[1], optind
 * reset), those in allow only, into *out. false after naming cmd in the
 * error for any other option; optind points at the first operand. */
bool cli_yes_json(const char *cmd, int argc, char **argv, unsigned allow,
                  unsigned *out);
struct config;
struct net_config;
struct secret_key;
struct oauth;
struct net_client;

/* What the commands that talk to the platforms (connect, collect) hold:
 * the configuration, the store, the secret key (created on first use),
 * one net client and the OAuth state. */
struct cli_platform {
    struct config *cfg; /* owned */
    struct store *st;
    struct secret_key *key;
    struct oauth *o;
    struct net_client *nc;
    bool net_ready;     /* net_global_init was called */
    struct buf err;
};
/* Open all of it. The net client gets net_cfg's settings from the
 * configuration, or the defaults when net_cfg is NULL. Prints the error
 * and returns an exit code; close with cli_platform_close either way. */
int cli_platform_open(struct cli *cli, const char *file,
                      const char *const *sets, size_t nsets,
                      void (*net_cfg)(const struct config *cfg,
                                      struct net_config *out),
                      struct cli_platform *x);
void cli_platform_close(struct cli_platform *x);

/* Load the configuration: file (the one named, else $MEDIADASH_CONFIG,
 * else $XDG_CONFIG_HOME/mediadash/mediadash.conf or
 * ~/.config/mediadash/mediadash.conf when present), then the
 * environment, then each "KEY=VALUE" of sets; prints the error and
 * returns false on failure. cfg is initialised here; the caller frees it
 * with config_free either way. */
bool cli_load_config(const struct cli *cli, const char *file,
                     const char *const *sets, size_t nsets,
                     struct config *cfg);
/* cli_load_config without printing: the reason is in err. */
enum err cli_config_try(const struct cli *cli, const char *file,
                        const char *const *sets, size_t nsets,
                        struct config *cfg, struct buf *err) WARN_UNUSED;
/* Write b to f entirely; false (and a message) on failure. */
bool cli_write(FILE *f, const struct buf *b);

/* Human-readable aligned tables. */
struct table;
struct table *table_create(size_t ncols, const char *const *headers,
                           const bool *right_align);
void table_destroy(struct table *t);
/* Add a row of ncols strings (copied; NULL shows as empty). Control
 * characters are shown as spaces. */
void table_add(struct table *t, const char *const *cells);
/* Print to f. Column `shrink` (or -1) is cut to fit `width` (0: no
 * limit). */
void table_print(const struct table *t, FILE *f, int shrink, int width);
/* Terminal width of stdout, or 0 when it is not a terminal. */
int cli_term_width(void);
/* Format an integer with thousands separators into out. */
void fmt_count(int64_t v, struct buf *out);
/* A metric value for tables: integer with separators or a real. */
void fmt_metric(const struct metric *m, struct buf *out);

int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_accounts(struct cli *cli, int argc, char **argv);
/* accounts set | remove (argv[1] is the subcommand), cmd_imports.c */
int cmd_accounts_change(struct cli *cli, int argc, char **argv);
int cmd_imports(struct cli *cli, int argc, char **argv);
int cmd_content(struct cli *cli, int argc, char **argv);
/* cmd_search.c: full-text search; its --help text */
int cmd_search(struct cli *cli, int argc, char **argv);
extern const char cmd_search_usage[];
int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_export_health(struct cli *cli, int argc, char **argv);
/* The bytes of `mediadash export snapshots` (CSV, everything) on f. */
enum err cli_export_snapshots(struct store *st, FILE *f, struct buf *err)
    WARN_UNUSED;
int cmd_db(struct cli *cli, int argc, char **argv);
int cmd_health(struct cli *cli, int argc, char **argv);
int cmd_rollup(struct cli *cli, int argc, char **argv);
int cmd_report(struct cli *cli, int argc, char **argv);
int cmd_serve(struct cli *cli, int argc, char **argv);
int cmd_demo(struct cli *cli, int argc, char **argv);
int cmd_user(struct cli *cli, int argc, char **argv);
int cmd_token(struct cli *cli, int argc, char **argv);
/* cmd_mcp.c: the MCP server over stdio */
int cmd_mcp(struct cli *cli, int argc, char **argv);
int cmd_connect(struct cli *cli, int argc, char **argv);
int cmd_connections(struct cli *cli, int argc, char **argv);
int cmd_post(struct cli *cli, int argc, char **argv);
/* post edit ID ... (cmd_post_edit.c); argv[0] is "edit". */
int cmd_post_edit(struct cli *cli, int argc, char **argv);
/* Print post id's edits for post show (cmd_post_edit.c). */
enum err cmd_post_print_edits(struct store *st, int64_t id) WARN_UNUSED;
int cmd_queue(struct cli *cli, int argc, char **argv);
int cmd_worker(struct cli *cli, int argc, char **argv);
int cmd_notify(struct cli *cli, int argc, char **argv);
int cmd_collect(struct cli *cli, int argc, char **argv);
int cmd_sources(struct cli *cli, int argc, char **argv);
int cmd_backup(struct cli *cli, int argc, char **argv);
int cmd_restore(struct cli *cli, int argc, char **argv);
int cmd_doctor(struct cli *cli, int argc, char **argv);
int cmd_config(struct cli *cli, int argc, char **argv);

extern const struct command cli_commands[];

#endif
