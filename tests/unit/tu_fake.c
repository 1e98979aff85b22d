/* The fake platform server (tests/fakeplat/fakeplat.py) for the unit
 * tests that talk HTTP: started on a free port of 127.0.0.1, driven
 * through /_control and read through /_stats. */
#include "testutil.h"

#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/str.h"
#include "net/net.h"

/* The port the fake prints on its first line, or -1. */
static int read_port(int fd)
{
    char line[32];
    size_t n = 0;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int64_t port = -1;

    while (n < sizeof(line) - 1 && poll(&p, 1, 20000) == 1) {
        ssize_t r = read(fd, line + n, 1);
        if (r != 1 || line[n] == '\n')
            break;
        n++;
    }
    line[n] = '\0';
    if (parse_i64(line, 1, 65535, &port) != ERR_OK)
        return -1;
    return (int)port;
}

static void spawn(struct tu_fake *f, int lifetime_s)
{
    char *script = tu_data_path("../fakeplat/fakeplat.py");
    char *data = tu_data_path("fakeplat/dataset.json");
    char life[16];
    int fds[2];

    assert_true(snprintf(life, sizeof life, "%d", lifetime_s) > 0);
    assert_int_equal(pipe(fds), 0);
    f->pid = fork();
    assert_true(f->pid >= 0);
    if (f->pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM); /* dies with us, even on a crash */
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execlp("python3", "python3", script, "--data", data,
               "--max-lifetime", life, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    f->port = read_port(fds[0]);
    close(fds[0]);
    free(script);
    free(data);
}

void tu_fake_start(struct tu_fake *f, int lifetime_s)
{
    struct net_config cfg;
    struct buf err;

    memset(f, 0, sizeof *f);
    assert_int_equal(net_global_init(), ERR_OK);
    spawn(f, lifetime_s);
    if (f->port <= 0) {
        kill(f->pid, SIGTERM);
        waitpid(f->pid, NULL, 0);
        fail_msg("fakeplat.py did not start (python3 on PATH?)");
    }
    net_config_defaults(&cfg);
    cfg.timeout_ms = 10000;
    cfg.max_retries = 0;
    buf_init(&err, 512);
    assert_int_equal(net_client_create(&cfg, &f->nc, &err), ERR_OK);
    buf_free(&err);
}

void tu_fake_stop(struct tu_fake *f)
{
    if (f->pid > 0) {
        kill(f->pid, SIGTERM);
        waitpid(f->pid, NULL, 0);
    }
    net_client_destroy(f->nc);
    memset(f, 0, sizeof *f);
    net_global_cleanup();
}

char *tu_fake_url(const struct tu_fake *f, const char *path)
{
    struct buf b;
    buf_init(&b, 4096);
    assert_int_equal(buf_printf(&b, "http://127.0.0.1:%d%s", f->port, path),
                     ERR_OK);
    return buf_steal(&b);
}

void tu_fake_control(struct tu_fake *f, const char *body)
{
    char *u = tu_fake_url(f, "/_control");
    struct net_req req = {.method = NET_POST, .url = u, .body = body,
                          .body_len = strlen(body)};
    struct net_resp r;
    struct buf err;

    net_resp_init(&r);
    buf_init(&err, 512);
    assert_int_equal(net_request(f->nc, &req, &r, &err), ERR_OK);
    net_resp_free(&r);
    buf_free(&err);
    free(u);
}

long long tu_fake_stat(struct tu_fake *f, const char *path)
{
    char *u = tu_fake_url(f, "/_stats");
    struct net_req req = {.method = NET_GET, .url = u};
    struct net_resp r;
    struct buf err;
    json_t *root, *v;
    long long n;

    net_resp_init(&r);
    buf_init(&err, 512);
    assert_int_equal(net_request(f->nc, &req, &r, &err), ERR_OK);
    root = json_loadb(r.body.data, r.body.len, 0, NULL);
    assert_non_null(root);
    v = path[0] == '/' ? json_object_get(json_object_get(root, "paths"), path)
                       : json_object_get(root, path);
    n = json_is_integer(v) ? json_integer_value(v) : 0;
    json_decref(root);
    net_resp_free(&r);
    buf_free(&err);
    free(u);
    return n;
}
