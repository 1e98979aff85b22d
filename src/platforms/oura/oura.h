/* The oura descriptor (platform.h), registered in registry.c: Oura API
 * v2, a health source (PLATFORM_OTHER). Its data goes to the health
 * tables (store_health.h), never to items or snapshots. */
#ifndef MEDIADASH_PLATFORM_OURA_H
#define MEDIADASH_PLATFORM_OURA_H

#include "platforms/platform.h"

struct fetch;

#define OURA_MAX_PAGES 50    /* next_token pages per collection and round */
#define OURA_OVERLAP_DAYS 1  /* days collected again: Oura revises a day */

/* One collector round (fetch.c; the descriptor's fetch op): daily_sleep,
 * daily_readiness, daily_activity, sleep, workout, session, daily_spo2
 * and heartrate from
 * the day before the newest stored health day (OURA_OVERLAP_DAYS; none
 * stored: oura.backfill_days back) to today, each over its next_token
 * pages. Every page is validated (oura_parse) into f->health; the
 * caller stores them only when the whole round succeeded. */
enum err oura_fetch(struct fetch *f) WARN_UNUSED;

extern const struct platform_desc oura_platform;
/* Its config section's keys (config.c; config.h: config_key). */
extern const struct config_key oura_config_keys[];

#endif
