/* The youtube descriptor (platform.h), registered in registry.c. */
#ifndef MEDIADASH_PLATFORM_YOUTUBE_H
#define MEDIADASH_PLATFORM_YOUTUBE_H

#include "platforms/platform.h"

struct fetch;

/* One collector round (fetch.c; the descriptor's fetch op). */
enum err youtube_fetch(struct fetch *f) WARN_UNUSED;

extern const struct platform_desc youtube_platform;
/* its demo data (demo.c; platforms/demo_table.h) */
extern const struct platform_demo youtube_demo;
/* Its config section's keys (config.c; config.h: config_key). */
extern const struct config_key youtube_config_keys[];
/* Its text and media limits (limits.c; the descriptor points at them). */
extern const struct post_limits youtube_post_limits;
extern const struct media_limits youtube_media_limits;

#endif
