/* Private to src/http: GET /metrics, the Prometheus page (docs/
 * metrics.md). Off unless serve.metrics is 1; then only for addresses in
 * serve.metrics_allow (when set), and with a session or an API token like
 * every API route. Counters come from core/counters.h; queue depth and
 * live sessions from the store at scrape time; file sizes from stat. */
#ifndef MEDIADASH_HTTP_METRICS_H
#define MEDIADASH_HTTP_METRICS_H

#include <stdbool.h>

#include "http/http.h"

/* At startup: ERR_INVALID with err when cfg->metrics_allow is not a list
 * of addresses or CIDRs. Gives each platform its counters' slot. */
enum err http_metrics_check(const struct http_config *cfg, struct buf *err)
    WARN_UNUSED;
/* Before the session check of the /metrics route (ROUTE_SCRAPE): false
 * with a 404 in res when metrics are off, a 403 when the client's address
 * (http_client_addr) is not in serve.metrics_allow. */
bool http_metrics_gate(struct http_request *req, struct http_response *res);

#endif
