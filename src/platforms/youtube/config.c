/* YouTube's configuration keys, section [youtube] (config.h: config_key;
 * config.c takes them through the platform list), and its keys that keep
 * the place they have always had in other sections (oauth.google_testing,
 * collect.youtube_quota, collect.youtube_analytics_base: `before` names
 * the core key each is listed in front of). Its values beyond the eight
 * are in its slots (CONFIG_PS, CONFIG_PN), read with config_plat_*. */
#include "platforms/youtube/youtube.h"

const struct config_key youtube_config_keys[] = {
    CONFIG_PLATFORM_KEYS(PLATFORM_YOUTUBE, "youtube",
                         "https://accounts.google.com/o/oauth2/v2/auth",
                         "https://oauth2.googleapis.com/token",
                         "https://youtube.googleapis.com",
                         "https://www.googleapis.com/auth/youtube.readonly "
                         "https://www.googleapis.com/auth/"
                         "yt-analytics.readonly"),
    {"youtube.upload_chunk", CONFIG_INT,
     CONFIG_PN(PLATFORM_YOUTUBE, 0), 262144, 268435456,
     "8388608", 0,
     "bytes per resumable-upload PUT (rounded down to 256 KiB steps)", NULL, NULL},
    {"oauth.google_testing", CONFIG_INT, CONFIG_PN(PLATFORM_YOUTUBE, 1), 0,
     1, "0", 0,
     "1: the Google OAuth app is in testing status, so its refresh tokens "
     "end 7 days after the login (shown on Sources)", NULL,
     "collect.timeout"},
    {"collect.youtube_quota", CONFIG_INT, CONFIG_PN(PLATFORM_YOUTUBE, 2), 1,
     100000000, "10000", 0,
     "YouTube Data API units the collector may use per Pacific day", NULL,
     "collect.timeout"},
    {"collect.youtube_analytics_base", CONFIG_STR,
     CONFIG_PS(PLATFORM_YOUTUBE, 0), 0, 0,
     "https://youtubeanalytics.googleapis.com", 0,
     "YouTube Analytics API base URL (+ /v2/reports)", NULL,
     "publish.public_base_url"},
    {NULL, CONFIG_STR, 0, 0, 0, NULL, 0, NULL, NULL, NULL},
};
