/* The process's counters (counters.h): fixed arrays of relaxed atomics. */
#include "core/counters.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

const double counters_buckets[COUNTERS_BUCKETS] = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
    0.25,  0.5,    1.0,   2.5,  5.0,   10.0};

/* The same bounds in ns, for the hot path (no floating point). */
static const uint64_t bucket_ns[COUNTERS_BUCKETS] = {
    1000000ull,   2500000ull,   5000000ull,    10000000ull,   25000000ull,
    50000000ull,  100000000ull, 250000000ull,  500000000ull,  1000000000ull,
    2500000000ull, 5000000000ull, 10000000000ull};

static const unsigned statuses[COUNTERS_STATUSES] = {
    200, 201, 202, 204, 206, 301, 302, 303, 304, 307, 308, 400,
    401, 403, 404, 405, 406, 408, 409, 410, 411, 412, 413, 414,
    415, 416, 421, 422, 429, 431, 500, 501, 502, 503, 504, 505};

#define NSTATUS (COUNTERS_STATUSES + 1)

struct route_counters {
    atomic_uint_fast64_t status[NSTATUS];
    atomic_uint_fast64_t bucket[COUNTERS_BUCKETS + 1];
    atomic_uint_fast64_t count, sum_ns;
};

struct platform_counters {
    atomic_int ready; /* name is set and never changes again */
    char name[COUNTERS_PLATFORM_NAME_MAX + 1];
    atomic_uint_fast64_t rounds[COUNTERS_ROUND_COUNT];
    atomic_uint_fast64_t quota;
    atomic_uint_fast64_t calls[COUNTERS_CALL_COUNT];
    atomic_uint_fast64_t publishes[COUNTERS_PUB_COUNT];
};

static struct route_counters routes[COUNTERS_ROUTES_MAX];
static struct platform_counters plats[COUNTERS_PLATFORMS_MAX];
static pthread_mutex_t plats_mu = PTHREAD_MUTEX_INITIALIZER; /* claims */
static atomic_uint_fast64_t snapshots[COUNTERS_SRC_COUNT];
static atomic_uint_fast64_t values[COUNTERS_SRC_COUNT];
static atomic_llong start_time;
static atomic_llong connections;

static const char *const round_names[COUNTERS_ROUND_COUNT] = {
    "ok", "rate_limited", "quota_exceeded", "auth_needed", "failed",
    "other"};
static const char *const call_names[COUNTERS_CALL_COUNT] = {
    "ok", "rate_limited", "auth_error", "client_error", "server_error",
    "network_error"};
static const char *const pub_names[COUNTERS_PUB_COUNT] = {
    "published", "retry", "needs_check", "needs_relogin", "failed",
    "missed"};
static const char *const src_names[COUNTERS_SRC_COUNT] = {"import",
                                                          "collect"};

#define ADD(a, n) atomic_fetch_add_explicit(&(a), (n), memory_order_relaxed)
#define GET(a) ((uint64_t)atomic_load_explicit(&(a), memory_order_relaxed))

const char *counters_round_name(enum counters_round r)
{
    return (unsigned)r < COUNTERS_ROUND_COUNT ? round_names[r] : "other";
}

const char *counters_call_name(enum counters_call c)
{
    return (unsigned)c < COUNTERS_CALL_COUNT ? call_names[c] : "other";
}

const char *counters_publish_name(enum counters_publish p)
{
    return (unsigned)p < COUNTERS_PUB_COUNT ? pub_names[p] : "other";
}

const char *counters_source_name(enum counters_source s)
{
    return (unsigned)s < COUNTERS_SRC_COUNT ? src_names[s] : "other";
}

enum counters_round counters_round_of(const char *s)
{
    for (unsigned i = 0; s != NULL && i < COUNTERS_ROUND_OTHER; i++)
        if (strcmp(s, round_names[i]) == 0)
            return (enum counters_round)i;
    return COUNTERS_ROUND_OTHER;
}

enum counters_call counters_call_of(long status)
{
    if (status <= 0)
        return COUNTERS_CALL_NETWORK_ERROR;
    if (status == 429)
        return COUNTERS_CALL_RATE_LIMITED;
    if (status == 401 || status == 403)
        return COUNTERS_CALL_AUTH_ERROR;
    if (status >= 500)
        return COUNTERS_CALL_SERVER_ERROR;
    if (status >= 400)
        return COUNTERS_CALL_CLIENT_ERROR;
    return COUNTERS_CALL_OK;
}

static unsigned status_slot(unsigned status)
{
    unsigned lo = 0, hi = COUNTERS_STATUSES;

    while (lo < hi) { /* statuses[] is sorted */
        unsigned mid = (lo + hi) / 2;
        if (statuses[mid] == status)
            return mid;
        if (statuses[mid] < status)
            lo = mid + 1;
        else
            hi = mid;
    }
    return COUNTERS_STATUS_OTHER;
}

void counters_request(unsigned route, unsigned status, uint64_t ns)
{
    struct route_counters *r =
        &routes[route < COUNTERS_ROUTES_MAX ? route : 0];
    unsigned b = 0;

    while (b < COUNTERS_BUCKETS && ns > bucket_ns[b])
        b++;
    ADD(r->status[status_slot(status)], 1);
    ADD(r->bucket[b], 1);
    ADD(r->count, 1);
    ADD(r->sum_ns, ns);
}

static bool name_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;

    if (n == 0 || n > COUNTERS_PLATFORM_NAME_MAX)
        return false;
    return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

/* The slot named s among the ready ones, or -1. */
static int slot_find(const char *s)
{
    for (int i = 0; i < COUNTERS_PLATFORMS_MAX - 1; i++) {
        if (!atomic_load_explicit(&plats[i].ready, memory_order_acquire))
            return -1; /* slots are claimed in order */
        if (strcmp(plats[i].name, s) == 0)
            return i;
    }
    return -1;
}

/* The slot of platform name s: found without a lock; claimed under
 * plats_mu (once per name in the process's life). */
static struct platform_counters *plat(const char *s)
{
    int i;

    if (!name_ok(s))
        return &plats[COUNTERS_PLATFORMS_MAX - 1];
    i = slot_find(s);
    if (i >= 0)
        return &plats[i];
    pthread_mutex_lock(&plats_mu);
    i = slot_find(s);
    for (int j = 0; i < 0 && j < COUNTERS_PLATFORMS_MAX - 1; j++) {
        if (atomic_load_explicit(&plats[j].ready, memory_order_relaxed))
            continue;
        memcpy(plats[j].name, s, strlen(s) + 1);
        atomic_store_explicit(&plats[j].ready, 1, memory_order_release);
        i = j;
    }
    pthread_mutex_unlock(&plats_mu);
    return &plats[i >= 0 ? i : COUNTERS_PLATFORMS_MAX - 1];
}

void counters_connection(int delta)
{
    atomic_fetch_add_explicit(&connections, delta, memory_order_relaxed);
}

int64_t counters_connections(void)
{
    return atomic_load_explicit(&connections, memory_order_relaxed);
}

void counters_platform_seed(const char *platform)
{
    (void)plat(platform);
}

void counters_round(const char *platform, const char *status,
                    int64_t quota_units)
{
    struct platform_counters *p = plat(platform);

    ADD(p->rounds[counters_round_of(status)], 1);
    if (quota_units > 0)
        ADD(p->quota, (uint64_t)quota_units);
}

void counters_call(const char *platform, enum counters_call outcome)
{
    if ((unsigned)outcome < COUNTERS_CALL_COUNT)
        ADD(plat(platform)->calls[outcome], 1);
}

void counters_ingest(enum counters_source src, uint64_t snaps,
                     uint64_t vals)
{
    if ((unsigned)src >= COUNTERS_SRC_COUNT)
        return;
    ADD(snapshots[src], snaps);
    ADD(values[src], vals);
}

void counters_publish(const char *platform, enum counters_publish outcome)
{
    if ((unsigned)outcome < COUNTERS_PUB_COUNT)
        ADD(plat(platform)->publishes[outcome], 1);
}

unsigned counters_status_at(unsigned i)
{
    return i < COUNTERS_STATUSES ? statuses[i] : 0;
}

uint64_t counters_requests(unsigned route, unsigned s)
{
    if (route >= COUNTERS_ROUTES_MAX || s >= NSTATUS)
        return 0;
    return GET(routes[route].status[s]);
}

void counters_latency(unsigned route, uint64_t buckets[COUNTERS_BUCKETS + 1],
                      uint64_t *count, uint64_t *sum_ns)
{
    const struct route_counters *r =
        &routes[route < COUNTERS_ROUTES_MAX ? route : 0];

    /* Read count last: a scrape racing a request may see the request in
     * a bucket before the count; the writer then checks cumulativity by
     * taking the buckets' total as the count. */
    for (unsigned b = 0; b <= COUNTERS_BUCKETS; b++)
        buckets[b] = GET(r->bucket[b]);
    *sum_ns = GET(r->sum_ns);
    *count = GET(r->count);
}

const char *counters_platform_at(unsigned i)
{
    if (i == COUNTERS_PLATFORMS_MAX - 1)
        return "other";
    if (i >= COUNTERS_PLATFORMS_MAX ||
        !atomic_load_explicit(&plats[i].ready, memory_order_acquire))
        return NULL;
    return plats[i].name;
}

uint64_t counters_rounds(unsigned platform, enum counters_round r)
{
    if (platform >= COUNTERS_PLATFORMS_MAX ||
        (unsigned)r >= COUNTERS_ROUND_COUNT)
        return 0;
    return GET(plats[platform].rounds[r]);
}

uint64_t counters_quota_units(unsigned platform)
{
    return platform < COUNTERS_PLATFORMS_MAX ? GET(plats[platform].quota)
                                             : 0;
}

uint64_t counters_calls(unsigned platform, enum counters_call c)
{
    if (platform >= COUNTERS_PLATFORMS_MAX ||
        (unsigned)c >= COUNTERS_CALL_COUNT)
        return 0;
    return GET(plats[platform].calls[c]);
}

uint64_t counters_publishes(unsigned platform, enum counters_publish p)
{
    if (platform >= COUNTERS_PLATFORMS_MAX ||
        (unsigned)p >= COUNTERS_PUB_COUNT)
        return 0;
    return GET(plats[platform].publishes[p]);
}

uint64_t counters_snapshots(enum counters_source s)
{
    return (unsigned)s < COUNTERS_SRC_COUNT ? GET(snapshots[s]) : 0;
}

uint64_t counters_values(enum counters_source s)
{
    return (unsigned)s < COUNTERS_SRC_COUNT ? GET(values[s]) : 0;
}

void counters_start(void)
{
    long long zero = 0;
    atomic_compare_exchange_strong(&start_time, &zero,
                                   (long long)time(NULL));
}

int64_t counters_start_time(void)
{
    counters_start();
    return (int64_t)atomic_load(&start_time);
}
