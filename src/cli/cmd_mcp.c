/* mediadash mcp: the MCP server over stdio (src/mcp): newline-delimited
 * JSON-RPC messages on stdin, one answer line each on stdout, logs on
 * stderr only; ends at EOF. It acts with the local user's full rights
 * like any other command (the database file's permissions decide), or
 * read-only with --read-only (draft_post refused). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "http/invoke.h"
#include "mcp/mcp.h"

static enum err call_api(void *ud, const char *method, const char *path,
                         const char *const *args, const char *body,
                         unsigned *status, struct buf *out)
{
    return http_invoke(ud, method, path, args, body, status, out);
}

/* One line of in into line (reset first), without its '\n'. A line over
 * line's maximum is read to its end and reported by *too_long. False at
 * EOF with nothing read. */
static bool read_line(FILE *in, struct buf *line, bool *too_long)
{
    int c;
    bool any = false;

    buf_reset(line);
    *too_long = false;
    while ((c = getc(in)) != EOF) {
        any = true;
        if (c == '\n')
            break;
        if (!*too_long && buf_putc(line, (char)c) != ERR_OK)
            *too_long = true;
    }
    return any;
}

static int parse_mcp(int argc, char **argv, bool *read_only)
{
    static const struct option opts[] = {
        {"read-only", no_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    int c;

    *read_only = false;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'r') {
            cli_error("mcp: unknown option (see 'mediadash mcp --help')");
            return EXIT_USAGE;
        }
        *read_only = true;
    }
    if (optind != argc) {
        cli_error("mcp: takes no arguments");
        return EXIT_USAGE;
    }
    return EXIT_OK_;
}

/* Answer each line of stdin on stdout until EOF. */
static int serve_stdio(const struct mcp_api *api, bool read_only)
{
    struct mcp_session s;
    struct mcp_seen seen;
    struct buf line, out;
    bool too_long;
    int exit_code = EXIT_OK_;

    mcp_session_init(&s, !read_only);
    buf_init(&line, MCP_MSG_MAX);
    buf_init(&out, MCP_ANSWER_MAX);
    while (read_line(stdin, &line, &too_long)) {
        if (line.len == 0 && !too_long)
            continue; /* blank lines between messages */
        if (mcp_handle(api, &s, too_long ? "" : buf_cstr(&line),
                       too_long ? MCP_MSG_MAX + 1 : line.len, &seen,
                       &out) != ERR_OK) {
            cli_error("mcp: an answer did not fit in %zu bytes",
                      (size_t)MCP_ANSWER_MAX);
            continue;
        }
        if (out.len > 0 && (fwrite(out.data, 1, out.len, stdout) != out.len ||
                            fputc('\n', stdout) == EOF ||
                            fflush(stdout) != 0)) {
            exit_code = EXIT_FAIL; /* the client went away */
            break;
        }
    }
    buf_free(&line);
    buf_free(&out);
    return exit_code;
}

int cmd_mcp(struct cli *cli, int argc, char **argv)
{
    struct http_config cfg;
    struct http_invoke ctx = {&cfg, NULL, "mcp", NULL};
    struct mcp_api api = {call_api, &ctx};
    bool read_only;
    int exit_code = parse_mcp(argc, argv, &read_only);

    if (exit_code != EXIT_OK_)
        return exit_code;
    http_config_defaults(&cfg);
    cfg.db_path = cli->db_path;
    ctx.st = cli_open_store(cli);
    if (ctx.st == NULL)
        return EXIT_DB;
    exit_code = serve_stdio(&api, read_only);
    store_close(ctx.st);
    return exit_code;
}
