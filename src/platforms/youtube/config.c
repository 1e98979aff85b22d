/* YouTube's configuration keys, section [youtube] (config.h: config_key;
 * config.c takes them through the platform list). */
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
     offsetof(struct config, youtube_upload_chunk), 262144, 268435456,
     "8388608", 0,
     "bytes per resumable-upload PUT (rounded down to 256 KiB steps)", NULL},
    {NULL, CONFIG_STR, 0, 0, 0, NULL, 0, NULL, NULL},
};
