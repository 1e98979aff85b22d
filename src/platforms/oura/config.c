/* Oura's configuration keys, section [oura] (config.h: config_key;
 * config.c takes them through the platform list). The scopes are those
 * the OpenAPI description (1.37) documents for what is collected:
 * personal, daily, heartrate, workout, session and spo2Daily. */
#include "platforms/oura/oura.h"

const struct config_key oura_config_keys[] = {
    CONFIG_PLATFORM_KEYS(PLATFORM_OURA, "oura",
                         "https://cloud.ouraring.com/oauth/authorize",
                         "https://api.ouraring.com/oauth/token",
                         "https://api.ouraring.com",
                         "personal daily heartrate workout session "
                         "spo2Daily"),
    {"oura.backfill_days", CONFIG_INT,
     CONFIG_PN(PLATFORM_OURA, 0), 1, 730, "30", 0,
     "days the first collection reaches back (later ones start from the "
     "day before the newest stored day)", NULL, NULL},
    {NULL, CONFIG_STR, 0, 0, 0, NULL, 0, NULL, NULL, NULL},
};
