/* Configuration for the commands that talk to the platforms (connect,
 * collect, sources): one file, then MEDIADASH_* environment variables,
 * then --set flags, later sources winning (DESIGN.md). */
#include <stdlib.h>

#include "cli/cli.h"
#include "core/config.h"

/* The file named by --config or $MEDIADASH_CONFIG (must exist), else
 * $XDG_CONFIG_HOME/mediadash/mediadash.conf or
 * ~/.config/mediadash/mediadash.conf (when there). */
static enum err load_config_file(struct config *cfg, const char *file,
                                 struct buf *err)
{
    const char *env = getenv("MEDIADASH_CONFIG");
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    struct buf path;
    enum err rc;

    if (file == NULL && env != NULL && *env)
        file = env;
    if (file != NULL)
        return config_load_file(cfg, file, false, err);
    buf_init(&path, 4096);
    if (xdg != NULL && *xdg == '/')
        rc = buf_printf(&path, "%s/mediadash/mediadash.conf", xdg);
    else if (home != NULL && *home)
        rc = buf_printf(&path, "%s/.config/mediadash/mediadash.conf", home);
    else
        rc = ERR_NOTFOUND;
    if (rc == ERR_OK)
        rc = config_load_file(cfg, buf_cstr(&path), true, err);
    else
        rc = ERR_OK;
    buf_free(&path);
    return rc;
}

bool cli_load_config(const struct cli *cli, const char *file,
                     const char *const *sets, size_t nsets,
                     struct config *cfg)
{
    struct buf err;
    enum err rc;

    buf_init(&err, 2048);
    config_init(cfg);
    rc = load_config_file(cfg, file, &err);
    if (rc == ERR_OK)
        rc = config_load_env(cfg, &err);
    for (size_t i = 0; i < nsets && rc == ERR_OK; i++) {
        rc = config_set_arg(cfg, sets[i], &err);
        if (rc != ERR_OK)
            buf_catf(&err, " (--set)");
    }
    if (rc == ERR_OK)
        rc = config_finish(cfg, cli->db_path, &err);
    if (rc != ERR_OK)
        cli_error("configuration: %s", buf_cstr(&err));
    buf_free(&err);
    return rc == ERR_OK;
}
