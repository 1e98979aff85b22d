/* src/http/conn.c through the real server on 127.0.0.x sockets: the
 * per-address caps and the peers exempt from them (a trusted proxy: every
 * client behind it has its address). */
#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "http/http.h"

#define EXEMPT "127.0.0.7"
#define OTHER "127.0.0.8"

static bool exempt_7(const struct sockaddr *sa, void *ud)
{
    const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
    struct in_addr seven;
    (void)ud;
    inet_pton(AF_INET, EXEMPT, &seven);
    return sa->sa_family == AF_INET && in->sin_addr.s_addr == seven.s_addr;
}

static struct http_server *start(struct tu_store_fx *f, unsigned per_ip_hdr)
{
    struct http_config cfg;
    struct http_server *srv = NULL;
    struct buf err;

    http_config_defaults(&cfg);
    cfg.port = 0;
    cfg.db_path = f->path;
    cfg.threads = 2;
    cfg.cache_bytes = 0;
    cfg.per_ip_header_connections = per_ip_hdr;
    cfg.peer_exempt = exempt_7;
    buf_init(&err, 1024);
    if (http_start(&cfg, &srv, &err) != ERR_OK)
        fail_msg("%s", buf_cstr(&err));
    buf_free(&err);
    return srv;
}

static int dial(const char *src, uint16_t port)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    assert_true(fd >= 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    inet_pton(AF_INET, src, &a.sin_addr);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    a.sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

/* Ask /api/v1/health on fd: true when it answered 200 (5 s at most). */
static bool answered(int fd)
{
    static const char req[] =
        "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    struct pollfd p = {.fd = fd, .events = POLLIN};
    char got[16];
    ssize_t n;

    if (send(fd, req, sizeof req - 1, MSG_NOSIGNAL) < 0)
        return false;
    if (poll(&p, 1, 5000) != 1)
        return false;
    n = recv(fd, got, sizeof got - 1, 0);
    return n >= 12 && memcmp(got, "HTTP/1.1 200", 12) == 0;
}

/* Has the server closed fd (without our sending anything)? Now. */
static bool closed(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    char c;

    if (poll(&p, 1, 0) != 1)
        return false;
    return recv(fd, &c, 1, MSG_DONTWAIT) <= 0;
}

/* 40 connections at once from src: how many got an answer. */
static int answered_of_40(const char *src, uint16_t port)
{
    int fds[40], n = 0;

    for (int i = 0; i < 40; i++)
        fds[i] = dial(src, port);
    for (int i = 0; i < 40; i++)
        n += answered(fds[i]);
    for (int i = 0; i < 40; i++)
        close(fds[i]);
    return n;
}

static void test_per_ip_cap_and_exempt_peer(void **state)
{
    struct tu_store_fx *f = *state;
    struct http_server *srv = start(f, 64);
    uint16_t port = http_port(srv);
    int other = answered_of_40(OTHER, port);
    int exempt = answered_of_40(EXEMPT, port);

    print_message("40 connections: %d answered from %s, %d from %s (exempt)\n",
                  other, OTHER, exempt, EXEMPT);
    assert_int_equal(other, 32); /* serve.per_ip_connections */
    assert_int_equal(exempt, 40);
    http_stop(srv);
}

/* 12 idle connections from src, then (1.2 s later) one more: how many of
 * the 12 the server closed. */
static int evicted_of_12(const char *src, uint16_t port)
{
    struct timespec pause = {1, 200 * 1000 * 1000};
    struct timespec settle = {0, 500 * 1000 * 1000}; /* for the shutdown */
    int fds[13], n = 0;

    for (int i = 0; i < 12; i++)
        fds[i] = dial(src, port);
    nanosleep(&pause, NULL);
    fds[12] = dial(src, port);
    nanosleep(&settle, NULL); /* well within serve.header_timeout */
    for (int i = 0; i < 12; i++)
        n += closed(fds[i]);
    assert_false(closed(fds[12])); /* the newest is never the one */
    for (int i = 0; i < 13; i++)
        close(fds[i]);
    return n;
}

static void test_header_cap_evicts_oldest(void **state)
{
    struct tu_store_fx *f = *state;
    struct http_server *srv = start(f, 8);
    uint16_t port = http_port(srv);
    int other = evicted_of_12(OTHER, port);
    int exempt = evicted_of_12(EXEMPT, port);

    print_message("13th idle connection: %d evicted from %s, %d from %s\n",
                  other, OTHER, exempt, EXEMPT);
    assert_int_equal(other, 1); /* one in, the oldest out */
    assert_int_equal(exempt, 0);
    http_stop(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_per_ip_cap_and_exempt_peer,
                                        tu_store_setup, tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_header_cap_evicts_oldest,
                                        tu_store_setup, tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
