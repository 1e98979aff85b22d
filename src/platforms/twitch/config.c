/* Twitch's configuration keys, section [twitch] (config.h: config_key;
 * config.c takes them through the platform list). */
#include "platforms/twitch/twitch.h"

const struct config_key twitch_config_keys[] = {
    CONFIG_PLATFORM_KEYS(PLATFORM_TWITCH, "twitch",
                         "https://id.twitch.tv/oauth2/authorize",
                         "https://id.twitch.tv/oauth2/token",
                         "https://api.twitch.tv",
                         "user:read:email moderator:read:followers"),
    {NULL, CONFIG_STR, 0, 0, 0, NULL, 0, NULL, NULL, NULL},
};
