/* The instagram descriptor (platform.h), registered in registry.c. */
#ifndef MEDIADASH_PLATFORM_INSTAGRAM_H
#define MEDIADASH_PLATFORM_INSTAGRAM_H

#include "platforms/platform.h"

struct fetch;

/* One collector round (fetch.c; the descriptor's fetch op). */
enum err instagram_fetch(struct fetch *f) WARN_UNUSED;

extern const struct platform_desc instagram_platform;
/* its demo data (demo.c; platforms/demo_table.h) */
extern const struct platform_demo instagram_demo;
/* Its login flavours' names (instagram.c: the descriptor's logins; a
 * connection stores its own, fetch.c reads it). */
#define INSTAGRAM_LOGIN_FACEBOOK "facebook"
#define INSTAGRAM_LOGIN_INSTAGRAM "instagram"
/* The insight metrics its client asks for, NULL-ended (fetch.c): the
 * descriptor's dropped_metrics. */
extern const char *const instagram_insight_metrics[];
/* Its config section's keys (config.c; config.h: config_key). */
extern const struct config_key instagram_config_keys[];
/* Its text and media limits (limits.c; the descriptor points at them). */
extern const struct post_limits instagram_post_limits;
extern const struct media_limits instagram_media_limits;

#endif
