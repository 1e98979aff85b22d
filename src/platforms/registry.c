/* The one table of platforms (platform.h). Adding a platform: its
 * folder, its enum value in core/model.h, and one line here
 * (docs/platforms.md). */
#include "platforms/platform.h"

#include "platforms/instagram/instagram.h"
#include "platforms/tiktok/tiktok.h"
#include "platforms/twitch/twitch.h"
#include "platforms/youtube/youtube.h"

static const struct platform_desc *const registry[PLATFORM_COUNT] = {
    [PLATFORM_YOUTUBE] = &youtube_platform,
    [PLATFORM_INSTAGRAM] = &instagram_platform,
    [PLATFORM_TIKTOK] = &tiktok_platform,
    [PLATFORM_TWITCH] = &twitch_platform,
};

const struct platform_desc *platform_get(enum platform p)
{
    return (unsigned)p < PLATFORM_COUNT ? registry[p] : NULL;
}

const struct platform_desc *platform_find(const char *name)
{
    enum platform p;

    if (name == NULL || platform_from_name(name, &p) != ERR_OK)
        return NULL;
    return platform_get(p);
}
