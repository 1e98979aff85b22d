/* The list of platforms: ONE line per platform, and the only place that
 * enumerates them (docs/platforms.md). Deliberately without an include
 * guard: it is an X-macro list, included with PLATFORM_ITEM defined.
 *
 *   PLATFORM_ITEM(ID, name, short, prefix)
 *     ID      enum value PLATFORM_<ID>; also the environment's
 *             MEDIADASH_<ID>_CLIENT_ID
 *     name    lower-case name: config section, CLI, API, store; the
 *             descriptor is <name>_platform (src/platforms/<name>/)
 *     short   the short name the CLI also takes ("yt")
 *     prefix  metric prefix of the platform's own metrics ("yt.")
 *
 * The order gives the enum values, which are never stored (the store
 * keeps names), so a line may go anywhere. core/model.[ch] read this
 * list for the enum and the names, platforms/registry.c for the table;
 * nothing else includes it. */
PLATFORM_ITEM(YOUTUBE, youtube, "yt", "yt.")
PLATFORM_ITEM(INSTAGRAM, instagram, "ig", "ig.")
PLATFORM_ITEM(TIKTOK, tiktok, "tt", "tt.")
PLATFORM_ITEM(TWITCH, twitch, "tw", "tw.")
PLATFORM_ITEM(OURA, oura, "oura", "oura.")
