/* What the commands that remove data share: the --yes/--json flags and
 * the y/N question (cmd_health.c, cmd_imports.c). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

#define ANSWER_MAX 16

bool cli_confirm(const char *cmd, bool yes, const char *question)
{
    char line[ANSWER_MAX];

    if (yes)
        return true;
    if (!isatty(STDIN_FILENO)) {
        cli_error("%s: not asking without a terminal: add --yes to confirm",
                  cmd);
        return false;
    }
    fprintf(stderr, "%s [y/N] ", question);
    fflush(stderr);
    if (fgets(line, sizeof line, stdin) == NULL)
        return false;
    return strcmp(line, "y\n") == 0 || strcmp(line, "yes\n") == 0 ||
           strcmp(line, "Y\n") == 0;
}

bool cli_yes_json(const char *cmd, int argc, char **argv, unsigned allow,
                  unsigned *out)
{
    static const struct option opts[] = {
        {"yes", no_argument, NULL, 'y'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    int c;

    *out = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        unsigned flag = c == 'y' ? CLI_YES : c == 'j' ? CLI_JSON : 0;
        if (flag == 0 || (allow & flag) == 0) {
            cli_error("%s: option not known here", cmd);
            return false;
        }
        *out |= flag;
    }
    return true;
}
