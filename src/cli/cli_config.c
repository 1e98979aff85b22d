/* Configuration for the commands that talk to the platforms (connect,
 * collect, sources): one file, then MEDIADASH_* environment variables,
 * then --set flags, later sources winning (DESIGN.md). */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/alloc.h"
#include "core/config.h"
#include "core/log.h"
#include "core/secret.h"
#include "net/net.h"
#include "net/oauth.h"
#include "platforms/platform.h"

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

/* log.level and log.format (checked by config_finish), unless the
 * command line chose (-q, -v, --log-level, --log-format). */
static void apply_log(const struct cli *cli, const struct config *cfg)
{
    enum log_level lvl;
    enum log_format fmt;

    if (cfg->log_level != NULL && cli->log_level == NULL && !cli->quiet &&
        !cli->verbose && log_level_parse(cfg->log_level, &lvl) == ERR_OK)
        log_set_level(lvl);
    if (cfg->log_format != NULL && cli->log_format == NULL &&
        log_format_parse(cfg->log_format, &fmt) == ERR_OK)
        log_set_format(fmt);
}

bool cli_load_config(const struct cli *cli, const char *file,
                     const char *const *sets, size_t nsets,
                     struct config *cfg)
{
    struct buf err;
    bool ok;

    buf_init(&err, 2048);
    ok = cli_config_try(cli, file, sets, nsets, cfg, &err) == ERR_OK;
    if (!ok)
        cli_error("configuration: %s", buf_cstr(&err));
    buf_free(&err);
    return ok;
}

enum err cli_config_try(const struct cli *cli, const char *file,
                        const char *const *sets, size_t nsets,
                        struct config *cfg, struct buf *err_out)
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
        rc = config_finish(cfg, cli_db_file(cli), &err);
    if (rc == ERR_OK)
        apply_log(cli, cfg);
    if (rc != ERR_OK)
        buf_setf(err_out, "%s", buf_cstr(&err));
    buf_free(&err);
    return rc;
}

int cli_platform_open(struct cli *cli, const char *file,
                      const char *const *sets, size_t nsets,
                      void (*net_cfg)(const struct config *cfg,
                                      struct net_config *out),
                      struct cli_platform *x)
{
    struct net_config ncfg;

    memset(x, 0, sizeof(*x));
    buf_init(&x->err, 4096);
    x->cfg = xcalloc(1, sizeof(*x->cfg));
    if (!cli_load_config(cli, file, sets, nsets, x->cfg))
        return EXIT_USAGE;
    if (x->cfg->db_group != NULL &&
        store_share_group(cli->db_path, x->cfg->db_group, &x->err) !=
            ERR_OK) {
        cli_error("%s", buf_cstr(&x->err));
        return EXIT_DB;
    }
    x->st = cli_open_store(cli);
    if (x->st == NULL)
        return EXIT_DB;
    if (sodium_init() < 0) {
        cli_error("libsodium failed to initialise");
        return EXIT_FAIL;
    }
    if (x->cfg->secret_key_file == NULL) {
        cli_error("secret_key_file is not set: a database on a server has "
                  "no file to keep the key beside; set it (the same key "
                  "file on every host that uses this database)");
        return EXIT_USAGE;
    }
    if (secret_key_load(x->cfg->secret_key_file, true, &x->key, &x->err) !=
        ERR_OK) {
        cli_error("%s", buf_cstr(&x->err));
        return EXIT_FAIL;
    }
    if (net_global_init() != ERR_OK) {
        cli_error("libcurl failed to initialise");
        return EXIT_FAIL;
    }
    x->net_ready = true;
    if (net_cfg != NULL)
        net_cfg(x->cfg, &ncfg);
    else
        net_config_defaults(&ncfg);
    if (net_client_create(&ncfg, &x->nc, &x->err) != ERR_OK ||
        oauth_create(x->cfg, x->key, platform_oauth_of, &x->o) != ERR_OK) {
        cli_error("%s", buf_cstr(&x->err));
        return EXIT_FAIL;
    }
    return EXIT_OK_;
}

void cli_platform_close(struct cli_platform *x)
{
    oauth_destroy(x->o);
    net_client_destroy(x->nc);
    secret_key_destroy(x->key);
    store_close(x->st);
    if (x->cfg != NULL)
        config_free(x->cfg);
    free(x->cfg);
    if (x->net_ready)
        net_global_cleanup();
    buf_free(&x->err);
}
