/* TikTok's configuration keys, section [tiktok] (config.h: config_key;
 * config.c takes them through the platform list), and publish.tiktok_chunk,
 * which keeps its place in [publish] (`before`: config.h) and its value in
 * TikTok's slot (read with config_plat_int). */
#include "platforms/tiktok/tiktok.h"

const struct config_key tiktok_config_keys[] = {
    CONFIG_PLATFORM_KEYS(PLATFORM_TIKTOK, "tiktok",
                         "https://www.tiktok.com/v2/auth/authorize/",
                         "https://open.tiktokapis.com/v2/oauth/token/",
                         "https://open.tiktokapis.com",
                         "user.info.basic,user.info.stats,video.list,"
                         "video.publish"),
    {"publish.tiktok_chunk", CONFIG_INT, CONFIG_PN(PLATFORM_TIKTOK, 0),
     5242880, 67108864, "10485760", 0,
     "TikTok upload chunk size in bytes (5 to 64 MiB)", NULL, "media_root"},
    {NULL, CONFIG_STR, 0, 0, 0, NULL, 0, NULL, NULL, NULL},
};
