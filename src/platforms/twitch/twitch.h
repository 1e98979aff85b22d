/* The twitch descriptor (platform.h), registered in registry.c. */
#ifndef MEDIADASH_PLATFORM_TWITCH_H
#define MEDIADASH_PLATFORM_TWITCH_H

#include "platforms/platform.h"

struct fetch;

#define TWITCH_PAGE 100      /* Helix "first": the largest page */
#define TWITCH_MAX_PAGES 10  /* per listing and round: 1000 videos, clips */
#define TWITCH_WAIT_MAX_S 60 /* Ratelimit-Reset waited for, at most */

/* One collector round (fetch.c; the descriptor's fetch op): users,
 * channels, channels/followers (total), streams (one viewer_count point
 * while live), videos and clips over cursor pages. Ratelimit-Remaining
 * 0 waits for Ratelimit-Reset when that is at most TWITCH_WAIT_MAX_S
 * away, else the round stops rate limited until then. */
enum err twitch_fetch(struct fetch *f) WARN_UNUSED;

extern const struct platform_desc twitch_platform;
/* its demo data (demo.c; platforms/demo_table.h) */
extern const struct platform_demo twitch_demo;
/* Its config section's keys (config.c; config.h: config_key). */
extern const struct config_key twitch_config_keys[];

#endif
