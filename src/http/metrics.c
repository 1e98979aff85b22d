/* GET /metrics (metrics.h): every family in the Prometheus text format,
 * written by prom.h. Families and labels are documented in
 * docs/metrics.md; keep the two in step. */
#include "http/metrics.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/counters.h"
#include "core/model.h"
#include "core/timeutil.h"
#include "http/admit.h"
#include "http/prom.h"
#include "http/route.h"
#include "http/routes.h"
#include "store/store_post.h"

#ifndef MEDIADASH_VERSION_TEXT
#define MEDIADASH_VERSION_TEXT "unknown"
#endif

#define ALLOW_MAX 64 /* entries of serve.metrics_allow */
#define ALLOW_KEY "serve.metrics_allow"

enum err http_metrics_check(const struct http_config *cfg, struct buf *err)
{
    struct admit_net nets[ALLOW_MAX];
    size_t n;

    for (int p = 0; p < PLATFORM_COUNT; p++)
        counters_platform_seed(platform_name((enum platform)p));
    if (cfg->metrics_allow == NULL)
        return ERR_OK;
    return admit_nets_parse(ALLOW_KEY, cfg->metrics_allow, nets, ALLOW_MAX,
                            &n, err);
}

bool http_metrics_gate(struct http_request *req, struct http_response *res)
{
    struct admit_net nets[ALLOW_MAX];
    const char *client = http_client_addr(req);
    struct buf err;
    size_t n = 0;
    bool ok;

    if (!req->cfg->metrics) {
        http_error(res, 404, NULL, "no such page or endpoint");
        return false;
    }
    if (req->cfg->metrics_allow == NULL)
        return true;
    buf_init(&err, 512); /* checked at startup: cannot fail here */
    ok = admit_nets_parse(ALLOW_KEY, req->cfg->metrics_allow, nets,
                          ALLOW_MAX, &n, &err) == ERR_OK &&
         admit_nets_match(nets, n, client);
    buf_free(&err);
    if (!ok)
        http_error(res, 403, NULL, "%s is not in " ALLOW_KEY, client);
    return ok;
}

/* ---- families ----------------------------------------------------------- */

/* The label pair of route n: its path pattern (a prefix route's with a
 * star after its final '/') and method; "unmatched" for 0. pat holds
 * the pattern. */
static void route_labels(unsigned n, struct prom_label l[2], struct buf *pat)
{
    const struct route *r = routes_nth(n);

    buf_reset(pat);
    l[0].name = "route";
    l[1].name = "method";
    if (r == NULL) {
        l[0].value = "unmatched";
        l[1].value = "";
        return;
    }
    buf_catf(pat, "%s", r->path);
    if (pat->len > 1 && r->path[pat->len - 1] == '/')
        buf_catf(pat, "*");
    l[0].value = buf_cstr(pat);
    l[1].value = r->method;
}

static enum err write_requests(struct buf *out, struct buf *pat)
{
    const char *name = "mediadash_http_requests_total";
    enum err rc = prom_family(out, name, "counter",
                              "HTTP requests answered, by route pattern, "
                              "method and status code");

    for (unsigned r = 0; rc == ERR_OK && r <= routes_count(); r++) {
        struct prom_label l[3];
        char code[16];
        route_labels(r, l, pat);
        l[2].name = "code";
        l[2].value = code;
        for (unsigned s = 0; rc == ERR_OK && s <= COUNTERS_STATUS_OTHER;
             s++) {
            uint64_t v = counters_requests(r, s);
            if (v == 0)
                continue;
            if (s == COUNTERS_STATUS_OTHER)
                snprintf(code, sizeof code, "other");
            else
                snprintf(code, sizeof code, "%u", counters_status_at(s));
            rc = prom_sample_u64(out, name, l, 3, v);
        }
    }
    return rc;
}

static enum err write_latency(struct buf *out, struct buf *pat)
{
    const char *name = "mediadash_http_request_duration_seconds";
    enum err rc = prom_family(out, name, "histogram",
                              "time from a request's headers to the end "
                              "of its answer, by route pattern and method");

    for (unsigned r = 0; rc == ERR_OK && r <= routes_count(); r++) {
        uint64_t b[COUNTERS_BUCKETS + 1], count, sum_ns;
        struct prom_label l[2];
        counters_latency(r, b, &count, &sum_ns);
        if (count == 0)
            continue;
        route_labels(r, l, pat);
        rc = prom_histogram(out, name, l, 2, counters_buckets,
                            COUNTERS_BUCKETS, b, (double)sum_ns / 1e9);
    }
    return rc;
}

/* One counter family over platforms (rows) and an outcome label (n
 * values named by label_of), or without it when label is NULL. */
static enum err write_by_platform(struct buf *out, const char *name,
                                  const char *help, const char *label,
                                  unsigned n, const char *(*label_of)(int),
                                  uint64_t (*get)(unsigned, int))
{
    enum err rc = prom_family(out, name, "counter", help);

    for (unsigned p = 0; rc == ERR_OK && p < COUNTERS_PLATFORMS_MAX; p++) {
        const char *plat = counters_platform_at(p);
        bool other = p == COUNTERS_PLATFORMS_MAX - 1;
        struct prom_label l[2] = {{"platform", plat}, {label, NULL}};
        if (plat == NULL)
            continue;
        for (unsigned i = 0; rc == ERR_OK && i < n; i++) {
            uint64_t v = get(p, (int)i);
            if (other && v == 0) /* "other" only once it counted */
                continue;
            l[1].value = label ? label_of((int)i) : NULL;
            rc = prom_sample_u64(out, name, l, label ? 2 : 1, v);
        }
    }
    return rc;
}

static const char *round_name(int i)
{
    return counters_round_name((enum counters_round)i);
}
static uint64_t rounds_of(unsigned p, int i)
{
    return counters_rounds(p, (enum counters_round)i);
}
static const char *call_name(int i)
{
    return counters_call_name((enum counters_call)i);
}
static uint64_t calls_of(unsigned p, int i)
{
    return counters_calls(p, (enum counters_call)i);
}
static const char *pub_name(int i)
{
    return counters_publish_name((enum counters_publish)i);
}
static uint64_t pubs_of(unsigned p, int i)
{
    return counters_publishes(p, (enum counters_publish)i);
}
static uint64_t quota_of(unsigned p, int i)
{
    (void)i;
    return counters_quota_units(p);
}

static enum err write_platforms(struct buf *out)
{
    enum err rc = write_by_platform(
        out, "mediadash_collector_rounds_total",
        "collector rounds of one account, by platform and job status",
        "status", COUNTERS_ROUND_COUNT, round_name, rounds_of);

    if (rc == ERR_OK)
        rc = write_by_platform(
            out, "mediadash_platform_api_calls_total",
            "platform API requests of the collector, by platform and "
            "outcome (retries inside one request count once)",
            "outcome", COUNTERS_CALL_COUNT, call_name, calls_of);
    if (rc == ERR_OK)
        rc = write_by_platform(
            out, "mediadash_platform_quota_units_used_total",
            "daily-quota units the collector spent (YouTube Data API "
            "units; 0 for platforms without a unit quota)",
            NULL, 1, NULL, quota_of);
    if (rc == ERR_OK)
        rc = write_by_platform(
            out, "mediadash_publish_outcomes_total",
            "publish attempts of the worker, by platform and where they "
            "left the post",
            "outcome", COUNTERS_PUB_COUNT, pub_name, pubs_of);
    return rc;
}

static enum err write_ingest(struct buf *out)
{
    const char *snaps = "mediadash_snapshots_ingested_total";
    const char *vals = "mediadash_metric_values_ingested_total";
    enum err rc = prom_family(out, snaps, "counter",
                              "snapshots new in the store, by source "
                              "(import: files and the import API; "
                              "collect: the collector)");

    for (int s = 0; rc == ERR_OK && s < COUNTERS_SRC_COUNT; s++) {
        struct prom_label l = {"source", counters_source_name(s)};
        rc = prom_sample_u64(out, snaps, &l, 1, counters_snapshots(s));
    }
    if (rc == ERR_OK)
        rc = prom_family(out, vals, "counter",
                         "metric values new in the store, by source");
    for (int s = 0; rc == ERR_OK && s < COUNTERS_SRC_COUNT; s++) {
        struct prom_label l = {"source", counters_source_name(s)};
        rc = prom_sample_u64(out, vals, &l, 1, counters_values(s));
    }
    return rc;
}

/* Live sessions and the posts by state: read at the scrape. ERR_DB
 * when the store cannot answer: the scrape is then a 503 (Prometheus's
 * `up` is 0), not a page with these missing. */
static enum err write_store(struct http_request *req, struct buf *out)
{
    struct store_session_limits lim = {req->cfg->session_idle_s,
                                       req->cfg->session_max_s};
    struct store_gauges g;
    enum err rc;

    if (store_gauges_read(req->st, time_now(), &lim, &g) != ERR_OK)
        return ERR_DB;
    rc = prom_family(out, "mediadash_sessions_active", "gauge",
                     "dashboard login sessions alive now");
    if (rc == ERR_OK)
        rc = prom_sample_u64(out, "mediadash_sessions_active", NULL, 0,
                             (uint64_t)g.sessions);
    if (rc == ERR_OK)
        rc = prom_family(out, "mediadash_queue_posts", "gauge",
                         "scheduled posts in the store, by state");
    for (int s = 0; rc == ERR_OK && s < POST_STATE_COUNT; s++) {
        struct prom_label l = {"state", post_state_name(s)};
        rc = prom_sample_u64(out, "mediadash_queue_posts", &l, 1,
                             (uint64_t)g.posts[s]);
    }
    return rc;
}

/* The size of path in bytes; 0 when it does not exist. */
static uint64_t file_size(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
}

static enum err write_files(struct http_request *req, struct buf *out)
{
    struct buf wal;
    enum err rc;

    buf_init(&wal, 8192);
    rc = buf_printf(&wal, "%s-wal", req->cfg->db_path);
    if (rc == ERR_OK)
        rc = prom_family(out, "mediadash_database_size_bytes", "gauge",
                         "size of the SQLite database file");
    if (rc == ERR_OK)
        rc = prom_sample_u64(out, "mediadash_database_size_bytes", NULL, 0,
                             file_size(req->cfg->db_path));
    if (rc == ERR_OK)
        rc = prom_family(out, "mediadash_database_wal_size_bytes", "gauge",
                         "size of the SQLite write-ahead log (0: none)");
    if (rc == ERR_OK)
        rc = prom_sample_u64(out, "mediadash_database_wal_size_bytes", NULL,
                             0, file_size(buf_cstr(&wal)));
    buf_free(&wal);
    return rc;
}

/* Resident set size from /proc/self/statm (its second field, pages);
 * 0 when it cannot be read. */
static uint64_t rss_bytes(void)
{
    struct buf b, why;
    uint64_t rss = 0;

    buf_init(&b, 4096);
    buf_init(&why, 512);
    if (buf_read_file(&b, "/proc/self/statm", &why) == ERR_OK) {
        const char *p = buf_cstr(&b);
        char *end;
        long page = sysconf(_SC_PAGESIZE);
        errno = 0;
        (void)strtoull(p, &end, 10); /* size */
        p = end;
        unsigned long long pages = strtoull(p, &end, 10);
        if (end != p && errno == 0 && page > 0)
            rss = (uint64_t)pages * (uint64_t)page;
    }
    buf_free(&b);
    buf_free(&why);
    return rss;
}

static enum err write_process(struct buf *out)
{
    struct prom_label v = {"version", MEDIADASH_VERSION_TEXT};
    enum err rc = prom_family(out, "mediadash_build_info", "gauge",
                              "always 1; the version as a label");

    if (rc == ERR_OK)
        rc = prom_sample_u64(out, "mediadash_build_info", &v, 1, 1);
    if (rc == ERR_OK)
        rc = prom_family(out, "mediadash_process_start_time_seconds",
                         "gauge", "when serve started, seconds since the "
                                  "epoch");
    if (rc == ERR_OK)
        rc = prom_sample_u64(out, "mediadash_process_start_time_seconds",
                             NULL, 0, (uint64_t)counters_start_time());
    if (rc == ERR_OK)
        rc = prom_family(out, "mediadash_process_resident_memory_bytes",
                         "gauge", "resident set size of the process");
    if (rc == ERR_OK)
        rc = prom_sample_u64(out, "mediadash_process_resident_memory_bytes",
                             NULL, 0, rss_bytes());
    if (rc == ERR_OK)
        rc = prom_family(out, "mediadash_http_connections_active", "gauge",
                         "HTTP connections open now (this scrape's "
                         "included)");
    if (rc == ERR_OK)
        rc = prom_sample_u64(out, "mediadash_http_connections_active", NULL,
                             0, (uint64_t)counters_connections());
    return rc;
}

static void metrics_page(struct http_request *req, struct http_response *res)
{
    struct buf pat;
    enum err rc;

    buf_init(&pat, 1024);
    rc = write_process(&res->body);
    if (rc == ERR_OK)
        rc = write_requests(&res->body, &pat);
    if (rc == ERR_OK)
        rc = write_latency(&res->body, &pat);
    if (rc == ERR_OK)
        rc = write_platforms(&res->body);
    if (rc == ERR_OK)
        rc = write_ingest(&res->body);
    if (rc == ERR_OK)
        rc = write_files(req, &res->body);
    if (rc == ERR_OK)
        rc = write_store(req, &res->body);
    buf_free(&pat);
    if (rc == ERR_DB) {
        buf_reset(&res->body);
        http_error(res, 503, NULL, "the database is not available");
        return;
    }
    if (rc != ERR_OK) {
        buf_reset(&res->body);
        http_error(res, 500, NULL, "metrics: %s", err_str(rc));
        return;
    }
    res->status = 200;
    res->content_type = PROM_CONTENT_TYPE;
}

const struct route http_metrics_routes[] = {
    {"GET", "/metrics", metrics_page, ROUTE_SCRAPE},
    {NULL, NULL, NULL, 0},
};
