/* Oura (API v2, OAuth2 authorization code): the descriptor. A health
 * source: PLATFORM_OTHER, so it is in no social view, total, filter or
 * compose list (platform.h), and it never publishes. */
#include "platforms/oura/oura.h"

#include "sources/oura.h"

#define DAY_S 86400
/* Oura: 5000 requests per 5 minutes per client; far below that a day */
#define PER_MINUTE 600

/* Authorization code without PKCE; refresh tokens are single use (the
 * answer brings the next one, which oauth.c stores). A 401 refuses the
 * token. */
static const struct platform_oauth oauth = {
    .client_id_param = "client_id",
    .pkce = false,
    .refresh_life_s = 0,
};

/* Its pages go to the health tables (sources/oura.c). */
static const struct platform_health health = {
    .claims = oura_claims,
    .parse = oura_parse,
};

const struct platform_desc oura_platform = {
    .id = PLATFORM_OURA,
    .kind = PLATFORM_OTHER,
    .name = "oura",
    .display = "Oura",
    .colour = "#4b5d7a",
    .colour_dark = "#9fb2d3",
    .env = "OURA",
    .formats = NULL, /* health pages: sources/oura.c, not source_parse */
    .console_url = "https://cloud.ouraring.com/oauth/applications",
    .console_name = "Oura Cloud: API Applications",
    .oauth = &oauth,
    .config_keys = oura_config_keys,
    .fetch = oura_fetch,
    .per_minute = PER_MINUTE,
    .account_every_s = DAY_S, /* collected once a day */
    .health = &health,
};
