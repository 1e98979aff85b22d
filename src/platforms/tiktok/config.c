/* TikTok's configuration keys, section [tiktok] (config.h: config_key;
 * config.c takes them through the platform list). */
#include "platforms/tiktok/tiktok.h"

const struct config_key tiktok_config_keys[] = {
    CONFIG_PLATFORM_KEYS(PLATFORM_TIKTOK, "tiktok",
                         "https://www.tiktok.com/v2/auth/authorize/",
                         "https://open.tiktokapis.com/v2/oauth/token/",
                         "https://open.tiktokapis.com",
                         "user.info.basic,user.info.stats,video.list,"
                         "video.publish"),
    {NULL, CONFIG_STR, 0, 0, 0, NULL, 0, NULL, NULL},
};
