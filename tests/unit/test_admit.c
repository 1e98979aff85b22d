/* http/admit: serve.trusted_proxies and the client address behind them
 * (Forwarded, X-Forwarded-For), serve.public_origin parsing. The header
 * rules and the Host allow-list run over real sockets in
 * tests/integration/test_http_hostile_parse.sh and _proxy.sh. */
#include "testutil.h"

#include <string.h>

#include "http/admit.h"

static struct admit *make(const char *proxies, const char *origin,
                          const char *host, struct buf *err)
{
    static struct admit a;
    struct http_config cfg;

    http_config_defaults(&cfg);
    cfg.trusted_proxies = proxies;
    cfg.public_origin = origin;
    cfg.host = host;
    buf_reset(err);
    return admit_init(&a, &cfg, err) == ERR_OK ? &a : NULL;
}

/* The client admit_client_text finds, and whether the chain was good. */
static const char *client(const struct admit *a, const char *peer,
                          const char *fwd, const char *xff, bool *ok)
{
    static char out[HTTP_CLIENT_MAX];
    *ok = admit_client_text(a, peer, fwd, xff, out, sizeof out);
    return out;
}

static void test_admit_proxies_parse(void **state)
{
    struct buf err;
    struct admit *a;
    (void)state;

    buf_init(&err, 1024);
    a = make(" 127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8", NULL, "127.0.0.1", &err);
    assert_non_null(a);
    assert_int_equal(a->nproxies, 4);
    assert_null(make("127.0.0.1,bogus", NULL, "127.0.0.1", &err));
    assert_non_null(strstr(buf_cstr(&err), "\"bogus\""));
    assert_null(make("10.0.0.0/33", NULL, "127.0.0.1", &err));
    assert_null(make("::1/129", NULL, "127.0.0.1", &err));
    assert_null(make("10.0.0.0/", NULL, "127.0.0.1", &err));
    assert_non_null(make("", NULL, "127.0.0.1", &err));
    buf_free(&err);
}

static void test_admit_origin_parse(void **state)
{
    struct buf err;
    struct admit *a;
    (void)state;

    buf_init(&err, 1024);
    a = make(NULL, "https://Dash.example.com/", "127.0.0.1", &err);
    assert_non_null(a);
    assert_string_equal(a->origin, "https://Dash.example.com");
    assert_string_equal(a->host, "Dash.example.com");
    assert_string_equal(a->host_port, "Dash.example.com:443");
    assert_false(a->any_host);
    a = make(NULL, "http://[::1]:8080", "127.0.0.1", &err);
    assert_non_null(a);
    assert_string_equal(a->host_port, "[::1]:8080");
    assert_null(make(NULL, "ftp://x", "127.0.0.1", &err));
    assert_null(make(NULL, "https://x/path", "127.0.0.1", &err));
    assert_null(make(NULL, "https://user@x", "127.0.0.1", &err));
    assert_null(make(NULL, "https://", "127.0.0.1", &err));
    a = make(NULL, NULL, "0.0.0.0", &err);
    assert_non_null(a);
    assert_true(a->any_host);
    buf_free(&err);
}

static void test_admit_client(void **state)
{
    struct buf err;
    struct admit *a;
    bool ok;
    (void)state;

    buf_init(&err, 1024);
    a = make("127.0.0.1,10.0.0.0/8,::1", NULL, "127.0.0.1", &err);
    assert_non_null(a);
    /* Not a trusted peer: its headers are ignored. */
    assert_string_equal(client(a, "192.0.2.9", NULL, "198.51.100.1", &ok),
                        "192.0.2.9");
    assert_true(ok);
    /* Trusted, no header: the proxy itself. */
    assert_string_equal(client(a, "127.0.0.1", NULL, NULL, &ok), "127.0.0.1");
    /* X-Forwarded-For: the right-most that is not a trusted proxy. */
    assert_string_equal(client(a, "127.0.0.1", NULL,
                               "203.0.113.5, 198.51.100.7, 10.1.2.3", &ok),
                        "198.51.100.7");
    assert_true(ok);
    /* Every address trusted: the left-most. */
    assert_string_equal(client(a, "127.0.0.1", NULL, "10.0.0.1,10.0.0.2", &ok),
                        "10.0.0.1");
    /* IPv6, with and without brackets and ports; canonical text. */
    assert_string_equal(client(a, "::1", NULL, "2001:DB8:0:0::1", &ok),
                        "2001:db8::1");
    assert_string_equal(client(a, "127.0.0.1", NULL, "[2001:db8::2]:443", &ok),
                        "2001:db8::2");
    assert_string_equal(client(a, "127.0.0.1", NULL, "192.0.2.1:5555", &ok),
                        "192.0.2.1");
    /* Forwarded wins over X-Forwarded-For. */
    assert_string_equal(
        client(a, "127.0.0.1",
               "for=192.0.2.60;proto=https;by=10.0.0.1, "
               "For=\"[2001:db8:cafe::17]:4711\"",
               "198.51.100.1", &ok),
        "2001:db8:cafe::17");
    assert_true(ok);
    assert_string_equal(client(a, "127.0.0.1", "proto=http;for=192.0.2.61",
                               NULL, &ok),
                        "192.0.2.61");
    /* Malformed: the proxy's address, and false. */
    assert_string_equal(client(a, "127.0.0.1", NULL, "not-an-ip", &ok),
                        "127.0.0.1");
    assert_false(ok);
    assert_string_equal(client(a, "127.0.0.1", NULL, "192.0.2.1,,", &ok),
                        "127.0.0.1");
    assert_false(ok);
    assert_string_equal(client(a, "127.0.0.1", "for=unknown", NULL, &ok),
                        "127.0.0.1");
    assert_false(ok);
    assert_string_equal(client(a, "127.0.0.1", "proto=https", NULL, &ok),
                        "127.0.0.1");
    assert_false(ok);
    assert_string_equal(client(a, "127.0.0.1", NULL, "[::1", &ok),
                        "127.0.0.1");
    assert_false(ok);
    assert_string_equal(client(a, "127.0.0.1", NULL, "192.0.2.1:99999x", &ok),
                        "127.0.0.1");
    assert_false(ok);
    buf_free(&err);
}

/* A chain longer than the 64 addresses looked at is malformed. */
static void test_admit_client_long_chain(void **state)
{
    struct buf err, chain;
    struct admit *a;
    bool ok;
    (void)state;

    buf_init(&err, 1024);
    buf_init(&chain, 8192);
    a = make("127.0.0.1", NULL, "127.0.0.1", &err);
    assert_non_null(a);
    for (int i = 0; i < 65; i++)
        assert_int_equal(buf_printf(&chain, "%s10.0.0.%d", i ? "," : "", i),
                         ERR_OK);
    assert_string_equal(client(a, "127.0.0.1", NULL, buf_cstr(&chain), &ok),
                        "127.0.0.1");
    assert_false(ok);
    buf_free(&chain);
    buf_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_admit_proxies_parse),
        cmocka_unit_test(test_admit_origin_parse),
        cmocka_unit_test(test_admit_client),
        cmocka_unit_test(test_admit_client_long_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
