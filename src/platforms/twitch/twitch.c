/* Twitch (Helix API, id.twitch.tv OAuth2): the descriptor. */
#include "platforms/twitch/twitch.h"

#include "sources/source.h"

#define DAY_S 86400
/* Helix: 800 points a minute per client and user token; a GET costs 1 */
#define PER_MINUTE 800

/* Authorization code flow (no PKCE in Twitch's documentation); the
 * scopes are the config key twitch.scopes. Refresh tokens do not expire
 * for a confidential client but are rotated on every refresh: oauth.c
 * stores the new one from the answer. A 401 refuses the token. */
static const struct platform_oauth oauth = {
    .client_id_param = "client_id",
    .pkce = false,
    .refresh_life_s = 0,
};

const struct platform_desc twitch_platform = {
    .id = PLATFORM_TWITCH,
    .name = "twitch",
    .display = "Twitch",
    .colour = "#772ce8",      /* Twitch purple, dark enough on white */
    .colour_dark = "#a970ff", /* and light enough on the dark theme */
    .formats = twitch_formats,
    .env = "TWITCH",
    .console_url = "https://dev.twitch.tv/console/apps",
    .console_name = "Twitch Developer Console: Applications",
    .oauth = &oauth,
    .config_keys = twitch_config_keys,
    .fetch = twitch_fetch,
    .per_minute = PER_MINUTE,
    /* a live stream's viewer curve: one point per round, every 5 min */
    .account_every_s = 300,
    .client_id_header = "Client-Id",
    .demo = &twitch_demo,
    /* Helix gives views (videos, clips) and viewers (streams), no likes,
     * comments or shares: no engagement rate. No preview kind: it has no
     * publisher (Helix has no upload), so Compose draws no card for it. */
    .no_interactions = true,
};
