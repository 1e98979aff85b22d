/* mediadash config show|example|scdoc: the configuration table printed
 * (core/config.h). show loads the configuration as serve would; example
 * and scdoc print the table itself (the sample file, and the key list of
 * mediadash.conf(5), which the build makes from it). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/config.h"

#define CONFIG_MAX_SETS 64
#define CONFIG_OUT_MAX ((size_t)4 << 20)

struct config_args {
    const char *sub;
    const char *file;
    const char *sets[CONFIG_MAX_SETS];
    size_t nsets;
};

static int parse_config(int argc, char **argv, struct config_args *a)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'f'},
        {"set", required_argument, NULL, 'S'},
        {NULL, 0, NULL, 0},
    };
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'f') {
            a->file = optarg;
        } else if (c == 'S' && a->nsets < CONFIG_MAX_SETS) {
            a->sets[a->nsets++] = optarg;
        } else {
            if (c == 'S')
                cli_error("--set: at most %d", CONFIG_MAX_SETS);
            return EXIT_USAGE;
        }
    }
    if (optind + 1 != argc) {
        cli_error("config: expected one of show, example, scdoc");
        return EXIT_USAGE;
    }
    a->sub = argv[optind];
    if (strcmp(a->sub, "show") != 0 && (a->file != NULL || a->nsets > 0)) {
        cli_error("config %s: --config and --set are for show", a->sub);
        return EXIT_USAGE;
    }
    return EXIT_OK_;
}

int cmd_config(struct cli *cli, int argc, char **argv)
{
    struct config_args a = {0};
    struct config cfg;
    struct buf out;
    bool loaded = false;
    int rc = parse_config(argc, argv, &a);

    if (rc != EXIT_OK_)
        return rc;
    buf_init(&out, CONFIG_OUT_MAX);
    if (strcmp(a.sub, "example") == 0) {
        config_example(&out);
    } else if (strcmp(a.sub, "scdoc") == 0) {
        config_scdoc(&out);
    } else if (strcmp(a.sub, "show") == 0) {
        loaded = true;
        if (cli_load_config(cli, a.file, a.sets, a.nsets, &cfg))
            config_dump(&cfg, &out);
        else
            rc = EXIT_USAGE;
    } else {
        cli_error("config: unknown subcommand \"%s\" (show, example, scdoc)",
                  a.sub);
        rc = EXIT_USAGE;
    }
    if (rc == EXIT_OK_ && !cli_write(stdout, &out))
        rc = EXIT_FAIL;
    if (loaded)
        config_free(&cfg);
    buf_free(&out);
    return rc;
}
