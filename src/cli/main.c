/* mediadash: argv, global options, dispatch to a subcommand. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/alloc.h"
#include "core/config.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "platforms/platform.h"
#include "schedule/publishers.h"

/* MEDIADASH_VERSION comes from CMakeLists.txt's project(VERSION). */
#ifndef MEDIADASH_VERSION
#error "MEDIADASH_VERSION is defined by the build (CMakeLists.txt)"
#endif

static const char usage_import[] =
    "usage: mediadash import [options] FILE...\n"
    "\n"
    "Validate saved platform API responses and store their snapshots.\n"
    "Each file is checked whole and stored in one transaction: a file with\n"
    "one bad item stores nothing and the error names the file, the item and\n"
    "the field. Importing the same file again stores nothing new.\n"
    "\n"
    "Recognised: YouTube Data API v3 (channels.list, videos.list,\n"
    "playlistItems.list, search.list), YouTube Analytics v2 reports.query,\n"
    "Instagram Graph API (IG user, media pages, media and user insights),\n"
    "TikTok API v2 (user/info, video/list, video/query) and YouTube Studio\n"
    "CSV exports. Platform error bodies are refused with their message.\n"
    "\n"
    "options:\n"
    "  --observed-at TIME     when the response was fetched (ISO 8601, UTC if\n"
    "                         no zone; default: now)\n"
    "  --account P:ID         the account of responses that do not name one\n"
    "                         (YouTube Analytics, Studio Totals, TikTok video\n"
    "                         lists); default: the only P account stored\n"
    "  --format NAME          skip detection and read files as NAME\n"
    "  --formats              list the format names and exit\n"
    "  --dry-run              validate only; store nothing\n"
    "  --json                 print a JSON summary on stdout\n"
    "  -h, --help             this text\n"
    "\n"
    "Exit status: 0 all files stored or already stored, 1 some file refused,\n"
    "2 usage error, 3 database error.\n";

static const char usage_accounts[] =
    "usage: mediadash accounts [--platform P] [--json]\n"
    "       mediadash accounts set PLATFORM:ID --role own|tracked\n"
    "       mediadash accounts remove PLATFORM:ID [--yes]\n"
    "\n"
    "List the accounts with their role and latest metrics. An account is\n"
    "own (the creator's: counted in totals) or tracked (someone else's,\n"
    "kept for comparison on the Competitors page).\n"
    "\n"
    "  set      change an account's role; its content follows\n"
    "  remove   delete the account with its content and history, in one\n"
    "           transaction, and print what went; asks on a terminal\n"
    "           (--yes skips the question, and is needed without one)\n";

static const char usage_imports[] =
    "usage: mediadash imports [--json]\n"
    "       mediadash imports remove ID [--yes]\n"
    "\n"
    "List every import (id, time, format, items, snapshots, values,\n"
    "SHA-256, file name; newest first) and the audit lines of removals\n"
    "and role changes (who, when, what).\n"
    "\n"
    "  remove   take back what import ID stored and nothing else, in one\n"
    "           transaction, recomputing the rollups it touched; prints\n"
    "           what went; asks on a terminal (--yes skips the question,\n"
    "           and is needed without one)\n";

static const char usage_content[] =
    "usage: mediadash content [options]\n"
    "\n"
    "List content items with their latest metrics and \"vs typical\": the\n"
    "item's views against the median of the creator's other owned items\n"
    "of its platform at the same age (days since publication).\n"
    "\n"
    "options:\n"
    "  --platform P        {social}\n"
    "  --sort KEY          views, likes, comments, shares, saves, published,\n"
    "                      title, vs_typical (items without a ratio last)\n"
    "                      or any metric name (default: published)\n"
    "  --asc               ascending order (default: descending)\n"
    "  --search TEXT       only items whose title, id or handle contains TEXT\n"
    "  --limit N           at most N items (default 50; 0 for all)\n"
    "  --offset N          skip the first N items\n"
    "  --json              JSON on stdout\n";

static const char usage_show[] =
    "usage: mediadash show [--json] ITEM\n"
    "\n"
    "Show one item and every snapshot of it, oldest first. ITEM is a\n"
    "platform id (dQw4w9WgXcQ) or platform:id (youtube:dQw4w9WgXcQ).\n"
    "A live stream (an item whose history carries viewers) shows its\n"
    "figures: peak and average viewers, minutes watched, duration; content\n"
    "shows the items linked to it (a stream's VOD and clips).\n"
    "Exit status 4 when there is no such item.\n";

static const char usage_export[] =
    "usage: mediadash export snapshots [--format csv|jsonl] [options]\n"
    "       mediadash export content [--format jsonl|csv] [options]\n"
    "       mediadash export documents [--format jsonl] [--since TIME]\n"
    "                                  [--platform P] [--owned|--tracked]\n"
    "       mediadash export health [--format csv|jsonl] [--from DAY]\n"
    "                               [--to DAY] [-o FILE]\n"
    "\n"
    "snapshots: one row per stored metric value, with the columns\n"
    "  platform,account_id,content_id,observed_at,metric,value\n"
    "  (observed_at in ISO 8601 UTC; content_id empty for account rows).\n"
    "content: one document per content item: title, description, url,\n"
    "  published_at, latest metrics, and a text field for retrieval.\n"
    "documents: one JSON line per content item, account and own account's\n"
    "  day (ids mediadash://PLATFORM/ID, .../account/ID, .../account/ID/\n"
    "  day/DATE), with the figures and a summary sentence, in change\n"
    "  order; with --since only those changed since TIME, and a tombstone\n"
    "  {\"id\", \"deleted\": true, \"deleted_at\"} for each removed since.\n"
    "health: one row per day of Oura data: sleep, readiness and activity\n"
    "  scores, steps, sleep durations, lowest heart rate, SpO2 average,\n"
    "  sessions and their seconds (docs/health.md).\n"
    "  Health data is in no other export.\n"
    "\n"
    "options:\n"
    "  --format F          csv or jsonl (default: csv for snapshots, jsonl\n"
    "                      for content and documents)\n"
    "  --platform P        only this platform\n"
    "  --since TIME        snapshots: observed at or after TIME; documents:\n"
    "                      changed at or after TIME (tombstones included)\n"
    "  --until TIME        snapshots: observed before TIME\n"
    "  --owned, --tracked  documents: only own / only tracked accounts\n"
    "  --from DAY, --to DAY  health: first and last day (inclusive)\n"
    "  -o, --output FILE   write to FILE instead of stdout\n";

static const char usage_health[] =
    "usage: mediadash health status [--json]\n"
    "       mediadash health remove [--yes]\n"
    "\n"
    "Health data (Oura) lives in tables of its own, apart from the social\n"
    "data. status counts its rows and the Oura connection's. remove\n"
    "deletes every health row and the Oura connection (its tokens, pending\n"
    "logins and collector jobs) in one transaction; it asks on a terminal\n"
    "(--yes skips the question, and is needed without one). Import saved\n"
    "Oura pages with 'mediadash import FILE'; export them with 'mediadash\n"
    "export health'. Exit status: 0 done, 1 refused, 2 usage, 3 database\n"
    "error.\n";

static const char usage_rollup[] =
    "usage: mediadash rollup --rebuild\n"
    "       mediadash rollup --zone ZONE\n"
    "\n"
    "Recompute the daily rollups (per item and per account) from the raw\n"
    "snapshots. Import keeps them current in the same transaction as the\n"
    "snapshots; --rebuild is for repair.\n"
    "\n"
    "Rollup days are the calendar days of the rollup zone, UTC until set.\n"
    "--zone makes ZONE (an IANA name such as Europe/Berlin) the rollup zone\n"
    "and recomputes every rollup under it, in one transaction: days are then\n"
    "local days (23 or 25 hours long at DST changes) and the best time to\n"
    "post is in local hours. A running serve picks the zone up on restart.\n";

static const char usage_report[] =
    "usage: mediadash report [options]\n"
    "\n"
    "The overview of the owned accounts: per platform accounts, content,\n"
    "followers now, and over the range and the equal range before it\n"
    "(with the change) followers, views and interactions gained and\n"
    "engagement (interactions gained / views gained); lifetime views\n"
    "and interactions (latest values);\n"
    "the top content by views gained; the best hour to post (mean views in\n"
    "the first 7 days by publish hour); spikes (days far above an item's\n"
    "own baseline, by median/MAD). Read from the daily rollups.\n"
    "\n"
    "options:\n"
    "  --range Nd          the last N days, today included (default 28d)\n"
    "  --from DATE         first day (instead of --range)\n"
    "  --to DATE           last day, included (default today)\n"
    "  --platform P        {social}\n"
    "  --top N             how many top items (default 10)\n"
    "  --json              JSON on stdout\n";

static const char usage_serve[] =
    "usage: mediadash serve [options]\n"
    "\n"
    "Serve the dashboard and its JSON API (/api/v1/...) until SIGINT or\n"
    "SIGTERM. Everything but /api/v1/health, /api/v1/login and the login\n"
    "page needs a login session (see 'mediadash user'); requests that\n"
    "change state need an Origin of this server and, with a session, the\n"
    "X-CSRF-Token header that GET /api/v1/session returns.\n"
    "\n"
    "Each setting flag is a shortcut for a serve.* key (listed below):\n"
    "--threads 4 is --set serve.threads=4. The keys come from the\n"
    "configuration file, then the environment (MEDIADASH_SERVE_THREADS),\n"
    "then --set and the flags in the order given.\n"
    "\n"
    "options:\n"
    "  --listen HOST:PORT      address to listen on (default 127.0.0.1:8080;\n"
    "                          port 0 picks a free one, printed on stderr)\n"
    "  --threads N             worker threads (default 4)\n"
    "  --secure-cookies        behind a TLS proxy: the session cookie is\n"
    "                          __Host-mediadash_session with Secure, and\n"
    "                          requests must come from https://HOST\n"
    "  --session-idle SECONDS  end a session unused this long (default 7200)\n"
    "  --session-max SECONDS   end a session this long after login (default\n"
    "                          604800, 7 days)\n"
    "  --cache-mb N            memory for whole answers of the read API\n"
    "                          (default 16; 0 turns the cache off). An answer\n"
    "                          is reused until any import, collection or\n"
    "                          rollup rebuild (from any process) or midnight\n"
    "  --config FILE           the platforms' configuration (as for collect;\n"
    "                          default $MEDIADASH_CONFIG or\n"
    "                          ~/.config/mediadash/mediadash.conf)\n"
    "  --set KEY=VALUE         override one configuration key (repeatable)\n"
    "  --no-collect            do not collect: by default serve runs the\n"
    "                          collector's due jobs continuously (as\n"
    "                          'mediadash collect' would), checking at least\n"
    "                          every 5 minutes for new connections (on\n"
    "                          PostgreSQL at once, woken by a NOTIFY)\n"
    "  --no-worker             do not publish scheduled posts here (run\n"
    "                          'mediadash worker' instead); by default a\n"
    "                          background loop publishes posts when due\n"
    "  --db-read DB            answer the read routes (reports, content,\n"
    "                          search, documents, MCP's read tools) from DB,\n"
    "                          e.g. a read replica of --db; logins, sessions\n"
    "                          and every write stay on --db\n"
    "  --media-max-mb N        largest media upload (POST /api/v1/media),\n"
    "                          streamed to media_root (default 2048)\n"
    "\n"
    "Exit status: 0 stopped by a signal, 1 failure, 2 usage error or\n"
    "invalid configuration, 3 database error.\n";

static const char usage_user[] =
    "usage: mediadash user add NAME [--password-file FILE|-]\n"
    "       mediadash user passwd NAME [--password-file FILE|-]\n"
    "       mediadash user del NAME\n"
    "       mediadash user list [--json]\n"
    "\n"
    "The people who may log in to the dashboard (mediadash serve).\n"
    "add creates a user, passwd sets a new password and ends the user's\n"
    "sessions, del deletes the user and their sessions, list shows them.\n"
    "\n"
    "A name is 1 to 64 characters of A-Z a-z 0-9 _ . @ -; a password 8 to\n"
    "1024 bytes. Without --password-file the password is asked twice on\n"
    "the terminal (not echoed); FILE (or - for stdin) holds it, and one\n"
    "trailing newline is dropped. Only an argon2id hash is stored.\n"
    "\n"
    "Exit status: 0 done, 1 refused (name taken, bad password), 2 usage,\n"
    "3 database error, 4 no such user.\n";

static const char usage_demo[] =
    "usage: mediadash demo [options]\n"
    "\n"
    "Fill an empty database with a generated, realistic history: one\n"
    "streamer's YouTube channel, Instagram account, TikTok and Twitch\n"
    "channel, a few hundred videos, shorts, reels, posts and TikToks\n"
    "published over the period (mostly in weekly slots, Thursday 17:00 UTC\n"
    "doing best), and hourly snapshots of every account and item up to the\n"
    "current hour: early growth that fades, followers growing with the\n"
    "views, one viral item, one deleted video, views removed as spam now\n"
    "and then. Twitch streams 3 to 5 evenings a week, 2 to 4 hours, each a\n"
    "viewer point every 5 minutes, with its past broadcast and 0 to 3\n"
    "clips linked to it. The same\n"
    "options and seed give the same data. Stored one transaction per\n"
    "simulated day, so an interrupted run leaves whole days.\n"
    "\n"
    "options:\n"
    "  --items N           posted content items (default 320: 120 YouTube,\n"
    "                      100 Instagram, 100 TikTok); Twitch's streams come\n"
    "                      on top, by the calendar\n"
    "  --days D            days of history (default 365)\n"
    "  --seed S            random seed (default 1)\n"
    "  --end TIME          the last hour (ISO 8601; default: the current hour)\n"
    "  --batch day|hour    simulated time per transaction (default day)\n"
    "  --force             add to a database that already holds data\n"
    "  --json              a JSON summary on stdout (ids of the viral,\n"
    "                      deleted and dipping items; streams: how many)\n"
    "\n"
    "Progress and a summary go to stderr. Exit status: 0 done, 1 the\n"
    "database already holds data (without --force) or interrupted,\n"
    "2 usage error, 3 database error.\n";

static const char usage_connect[] =
    "usage: mediadash connect {all|} [options]\n"
    "\n"
    "Connect an account with OAuth: prints the platform's consent address,\n"
    "waits for the browser to come back to the redirect URI (a one-shot\n"
    "listener on 127.0.0.1, checking the state), exchanges the code and\n"
    "stores the tokens encrypted with the key file (secret_key_file,\n"
    "default <db>.key, created with mode 0600; refused if group or others\n"
    "can read it: chmod 600 it).\n"
    "\n"
    "options:\n"
    "  --account ID        the account these tokens are for (default: the\n"
    "                      TikTok open_id, else \"default\")\n"
    "  --no-listen         print the address and exit; finish with --code\n"
    "  --code CODE --state STATE\n"
    "                      finish a consent by hand with the code and state\n"
    "                      of the address the browser was sent back to\n"
    "  --timeout S         wait at most S seconds (default 300)\n"
    "  --config FILE       configuration file (default $MEDIADASH_CONFIG,\n"
    "                      else ~/.config/mediadash/mediadash.conf if there)\n"
    "  --set KEY=VALUE     override a key (e.g. youtube.token_url=...);\n"
    "                      secrets only from the environment or a file\n"
    "\n"
    "Keys (file [section] key = value; environment MEDIADASH_SECTION_KEY;\n"
    "later sources win: file, environment, --set):\n"
    "  PLATFORM.client_id, PLATFORM.client_secret (environment only),\n"
    "  PLATFORM.client_secret_file, PLATFORM.auth_url, PLATFORM.token_url,\n"
    "  PLATFORM.api_base, PLATFORM.redirect_uri, PLATFORM.scopes,\n"
    "  secret_key_file, oauth.refresh_margin (seconds, default 300)\n";

static const char usage_connections[] =
    "usage: mediadash connections [--json]\n"
    "\n"
    "List the connected accounts: platform, account, status (ok or\n"
    "needs_relogin), when the access token expires and the last error.\n"
    "Tokens are never shown.\n";

static const char usage_post[] =
    "usage: mediadash post add --platform P --account ID --title T\n"
    "                          [--caption C] [--tags a,b]\n"
    "                          [--privacy private|unlisted|public]\n"
    "                          --media FILE... --at \"2025-03-09 09:30\"\n"
    "                          --zone Europe/Berlin [--later] [--shift-gap]\n"
    "                          [--draft] [--json]\n"
    "       mediadash post list [--state S] [--json]\n"
    "       mediadash post show ID\n"
    "       mediadash post edit ID [--at T] [--zone Z] [--title T]\n"
    "                          [--caption C] [--tags a,b] [--privacy P]\n"
    "                          [--account ID] [--media FILE]... [--later]\n"
    "                          [--shift-gap] [--draft|--schedule]\n"
    "                          [--version N] [--json]\n"
    "       mediadash post cancel ID\n"
    "       mediadash post retry ID\n"
    "\n"
    "Schedule posts. --at is the wall time in --zone (an IANA zone); it is\n"
    "stored as UTC together with the zone and the time as entered. A time\n"
    "that does not exist (clocks spring forward) is refused unless\n"
    "--shift-gap moves it to the end of the gap; a time that occurs twice\n"
    "(clocks fall back) is the first occurrence unless --later is given.\n"
    "P is {publishers} (dryrun publishes nowhere: tests).\n"
    "Media files are recorded with their SHA-256, size and content type.\n"
    "\n"
    "States: draft, scheduled, claimed, publishing, published, failed,\n"
    "needs_check, needs_relogin, cancelled. cancel works until publishing\n"
    "starts; retry moves failed, needs_check or needs_relogin back to\n"
    "scheduled (due now if its time has passed). Retry a needs_check post\n"
    "only after checking on the platform that it was not published.\n"
    "edit changes a draft or scheduled post (refused once a worker took\n"
    "it): options left out keep their values; a new --at is read in --zone\n"
    "(the stored zone when left out), a new --zone alone re-reads the\n"
    "stored wall time in it; --schedule schedules a draft (it then needs\n"
    "media), --draft takes a scheduled post back. --version N refuses the\n"
    "edit when the post has changed since version N. Each edit is kept in\n"
    "the post's history (post show, the post's page).\n"
    "\n"
    "Exit status: 0 done, 1 refused (state), 2 usage error or bad input,\n"
    "3 database error, 4 no such post.\n";

static const char usage_notify[] =
    "usage: mediadash notify test [--config FILE] [--set KEY=VALUE]\n"
    "       mediadash notify list|log [--limit N] [--json]\n"
    "\n"
    "Notifications go to a webhook (notify.webhook_url, signed with\n"
    "notify.webhook_secret) and/or by mail (notify.smtp_*) when a post is\n"
    "published, fails or is missed, an account needs a new login, an owned\n"
    "item spikes or a collector has failed for a day. serve and worker\n"
    "deliver them from a durable outbox, retrying with backoff.\n"
    "\n"
    "  test   write one test event of each kind and deliver them now; prints\n"
    "         each event's state per channel (exit 1 when one was not\n"
    "         taken; it is retried like any other)\n"
    "  list   the newest events and their state per channel\n"
    "  log    the delivery log: one line per attempt\n"
    "  --config FILE, --set KEY=VALUE   as for worker (notify.* keys)\n"
    "  --limit N   rows shown (default 50, at most 500)\n"
    "  --json      JSON instead of a table\n";
static const char usage_queue[] =
    "usage: mediadash queue slots [list] [--platform P] [--account ID]\n"
    "                             [--json]\n"
    "       mediadash queue slots add --platform P --account ID\n"
    "                                 --day DAY[,DAY...] --time HH:MM\n"
    "                                 --zone ZONE\n"
    "       mediadash queue slots edit SLOT [--day DAY] [--time HH:MM]\n"
    "                                 [--zone ZONE]\n"
    "       mediadash queue slots rm SLOT\n"
    "       mediadash queue next --platform P --account ID [--count N]\n"
    "                            [--after ISO-8601] [--json]\n"
    "\n"
    "Queue slots: an account's weekly posting times as wall times in a\n"
    "zone (--day tue,thu --time 17:00 --zone Europe/Berlin), which stay\n"
    "at 17:00 on the wall clock across DST changes. \"Add to queue\" (the\n"
    "Compose page, or POST /api/v1/posts with \"queue\": true) puts a post\n"
    "in the account's next slot no post occupies. A slot whose time falls\n"
    "in a DST gap that day is taken at the gap's end; one that occurs\n"
    "twice, at the first. `next` lists the next free ones (N, default 5).\n"
    "DAY: sun mon tue wed thu fri sat (or full names). At most 50 slots\n"
    "per account. Exit status: 0 ok, 1 failure, 2 usage, 3 database, 4 no\n"
    "such slot (or no slots).\n";

static const char usage_worker[] =
    "usage: mediadash worker [--id NAME] [--once] [--lease S] [--grace S]\n"
    "                        [--batch N] [--interval S] [--config FILE]\n"
    "                        [--set KEY=VALUE]\n"
    "\n"
    "Publish due posts: claim them (several workers may share a database;\n"
    "each post is claimed by one), mark them publishing before calling the\n"
    "platform, then published, scheduled again (5xx, 429: backoff with\n"
    "jitter, Retry-After honoured), failed, needs_relogin or needs_check\n"
    "(outcome unclear: never published again blindly). A claimed post\n"
    "whose lease (--lease, default 600 s) ran out goes back to scheduled;\n"
    "a publishing one to needs_check. Posts more than --grace seconds late\n"
    "(default 21600, 6 h) fail as missed.\n"
    "\n"
    "  --id NAME       worker id recorded on its claims (default worker-PID)\n"
    "  --once          one round, then exit (otherwise every --interval\n"
    "                  seconds, default 10, until SIGINT/SIGTERM)\n"
    "  --batch N       posts claimed per transaction (default 50)\n"
    "  --config FILE   configuration file (platform base URLs, publish.*:\n"
    "                  publish.retry_base_s first retry delay, 30 s;\n"
    "                  youtube.upload_chunk bytes per upload PUT; ...)\n"
    "  --set KEY=VALUE override one configuration key (repeatable)\n";

static const char usage_collect[] =
    "usage: mediadash collect [--once | --loop] [--platform P]\n"
    "                         [--config FILE] [--set KEY=VALUE]\n"
    "\n"
    "Run every due collector job of every connected account once (the\n"
    "default; --once says so explicitly) and print a summary per account:\n"
    "status, items, snapshots stored, HTTP calls and YouTube quota units.\n"
    "Each account's round is stored in one transaction. Account totals are\n"
    "due hourly; content hourly for 2 days after publication, every 6 h\n"
    "until 7 days, daily until 30 days, then weekly. Failures back off\n"
    "exponentially (5 min doubling, at most 6 h); a YouTube quotaExceeded\n"
    "stops YouTube calls until midnight America/Los_Angeles; an account\n"
    "that needs a new login is skipped until it is connected again.\n"
    "\n"
    "options:\n"
    "  --loop              run rounds until SIGINT/SIGTERM: after each, wait\n"
    "                      until the next job is due (at most 5 min); on\n"
    "                      PostgreSQL a connect or reconnect by any process\n"
    "                      (LISTEN/NOTIFY) starts the next round at once\n"
    "  --platform P        {all} only\n"
    "  --config FILE, --set KEY=VALUE   as for connect; collector keys:\n"
    "                      collect.youtube_quota (units per day, 10000),\n"
    "                      collect.timeout (s per request, 30),\n"
    "                      collect.retries (3),\n"
    "                      collect.youtube_analytics_base\n"
    "\n"
    "Exit status: 0 every due job succeeded, 1 some failed (see\n"
    "'mediadash sources'), 2 usage, 3 database error.\n";

static const char usage_sources[] =
    "usage: mediadash sources [--json] [--config FILE] [--set KEY=VALUE]\n"
    "\n"
    "The collector's state: per platform, account and job (account,\n"
    "content) the last fetch, next due time, status (ok, rate_limited,\n"
    "quota_exceeded, auth_needed, failed), consecutive failures and the\n"
    "last error; then the YouTube quota used today and its limit.\n";

static const char usage_backup[] =
    "usage: mediadash backup FILE [--force] [--quick] [--no-key]\n"
    "                        [--config FILE] [--set KEY=VALUE]\n"
    "\n"
    "Copy the database into FILE while serve, worker or collect run and\n"
    "write (SQLite's online backup API, in one read transaction: the copy\n"
    "is the database as of one commit). Written to FILE.tmp, checked\n"
    "(integrity_check, schema version, row counts equal to the source's\n"
    "in the same snapshot), fsynced, then renamed to FILE. The key file\n"
    "(secret_key_file, default <db>.key) is copied to FILE.key, mode\n"
    "0600: the stored tokens cannot be read without it. Never copy the\n"
    ".db file alone while it is in use: its -wal holds recent commits.\n"
    "\n"
    "  --force     replace an existing FILE (and FILE.key)\n"
    "  --quick     check the copy with quick_check (faster, skips the\n"
    "              index contents) instead of integrity_check\n"
    "  --no-key    do not copy the key file (keep it safe elsewhere)\n"
    "\n"
    "A progress line on a terminal (not with -q). Exit status: 0 written\n"
    "and checked, 1 refused or failed (FILE.tmp removed), 2 usage,\n"
    "3 database error.\n";

static const char usage_restore[] =
    "usage: mediadash restore FILE [--force] [--quick] [--config FILE]\n"
    "                         [--set KEY=VALUE]\n"
    "\n"
    "Put the backup FILE in place of the database (--db). FILE is checked\n"
    "first (integrity_check, a schema version this program knows). Refused\n"
    "while another process (serve, worker, collect) has the database open.\n"
    "An existing database is replaced only with --force and kept as\n"
    "DB.before-restore-TIME (with its -wal). FILE.key, when there, becomes\n"
    "the key file (the old one kept as KEY.before-restore-TIME).\n"
    "\n"
    "  --force     restore over an existing database (kept aside)\n"
    "  --quick     check FILE with quick_check instead of integrity_check\n"
    "\n"
    "Exit status: 0 restored, 1 refused or failed (nothing changed),\n"
    "2 usage.\n";

static const char usage_db[] =
    "usage: mediadash db copy --from SRC --to DST [--replace] [--batch N]\n"
    "\n"
    "Copy a whole database into another, either way between backends:\n"
    "SRC and DST are each a SQLite file or a postgresql:// URI (SQLite to\n"
    "PostgreSQL, back, or the same backend). Everything is copied with its\n"
    "ids: accounts, content and their snapshots, imports, rollups, links,\n"
    "document marks, users, sessions, API tokens, credentials, posts with\n"
    "their history, queue slots, media metadata (not the files),\n"
    "notifications, the collector's state, the audit log and health data.\n"
    "DST is written in one transaction: a failed copy leaves it as it was.\n"
    "Stop serve, worker and collect on SRC first; SRC is read at one state.\n"
    "\n"
    "Checked at the end: the rows of every table equal, and the BLAKE2b of\n"
    "`export snapshots` of both equal (both printed); exit 1 if not.\n"
    "Tokens and credentials stay sealed: DST needs SRC's key file\n"
    "(secret_key_file, or <db>.key beside a SQLite file, which is copied to\n"
    "<DST>.key from one SQLite file to another). PostgreSQL cannot hold\n"
    "health data yet: a SRC with some is refused before anything is copied.\n"
    "\n"
    "  --from SRC   the database to read (a SQLite file must exist)\n"
    "  --to DST     the database to write (created or migrated when new)\n"
    "  --replace    empty DST first when it holds data (refused otherwise,\n"
    "               naming what it holds)\n"
    "  --batch N    rows per read and write (default 5000, at most 100000)\n"
    "\n"
    "Progress on stderr, per table, at most once a second (not with -q).\n"
    "Exit status: 0 copied and checked, 1 refused or different, 2 usage,\n"
    "3 database error.\n";

static const char usage_doctor[] =
    "usage: mediadash doctor [--json] [--full] [--config FILE]\n"
    "                        [--set KEY=VALUE]\n"
    "\n"
    "Check the installation, one line per check (ok, warn, fail) and what\n"
    "to do about each problem: the configuration, the database (quick_check,\n"
    "or integrity_check with --full; schema version; WAL size), free disk\n"
    "space, the clock (against the newest stored data), the key file (mode\n"
    "0600 or stricter, owner, a valid key), each connected account's token\n"
    "(needs a new login, expired or expiring within 7 days, opens with the\n"
    "key), its last collection, and scheduled posts that are overdue.\n"
    "Reads only (a database behind this program's schema is migrated by\n"
    "the account check, as by any command).\n"
    "\n"
    "  --json      {\"checks\": [{check, status, message, fix}], fail, warn}\n"
    "\n"
    "Exit status: 0 no check failed (warnings allowed), 1 some failed,\n"
    "2 usage.\n";
static const char usage_config[] =
    "usage: mediadash config show [--config FILE] [--set KEY=VALUE]\n"
    "       mediadash config example\n"
    "       mediadash config scdoc\n"
    "\n"
    "The configuration keys (mediadash.conf(5)); one table in the program\n"
    "is the source of the file's keys, the MEDIADASH_* environment\n"
    "variables, --set, the setting flags of serve, --help and the man page.\n"
    "\n"
    "  show     load the configuration as serve would (the file named by\n"
    "           --config, else $MEDIADASH_CONFIG, else\n"
    "           ~/.config/mediadash/mediadash.conf when present; then the\n"
    "           environment; then --set) and print every key's effective\n"
    "           value, \"key = value\" a line; secrets show as (set) or\n"
    "           (unset). An invalid key or value is an error naming it and\n"
    "           its source (exit status 2).\n"
    "  example  print the sample configuration file: every key with its\n"
    "           help, bounds, environment variable and default, commented\n"
    "           out (dist/mediadash.conf.example is this output).\n"
    "  scdoc    print the key list of mediadash.conf(5) in scdoc (the build\n"
    "           makes the man page with it).\n"
    "\n"
    "options:\n"
    "  --config FILE    show: the configuration file to load\n"
    "  --set KEY=VALUE  show: override one key (repeatable)\n"
    "\n"
    "Exit status: 0 ok, 2 usage error or invalid configuration.\n";
static const char usage_mcp[] =
    "usage: mediadash mcp [--read-only]\n"
    "\n"
    "The Model Context Protocol server over stdio, for a language model's\n"
    "client (Claude Desktop, an IDE, an agent): one JSON-RPC message per\n"
    "line on stdin, one answer per line on stdout, logs on stderr; it ends\n"
    "at EOF. Protocol 2025-11-25 or 2025-06-18. Tools: search_content,\n"
    "get_item, get_report, top_content, best_times, compare_periods,\n"
    "list_posts, draft_post (a draft only: never scheduled or published);\n"
    "resources mediadash://PLATFORM/ID. Every tool answers with the\n"
    "numbers of the JSON API (/api/v1); no health data.\n"
    "\n"
    "It acts with the rights of whoever runs it, like any command:\n"
    "  --read-only   refuse the tools that write (draft_post)\n"
    "Over HTTP, serve offers the same at /mcp behind an API token\n"
    "(Authorization: Bearer; scope read cannot draft). See docs/mcp.md.\n"
    "Exit status: 0 at EOF, 1 stdout failed, 2 usage, 3 database error.\n";

static const char usage_token[] =
    "usage: mediadash token add NAME --scope read|write [--expires 90d]\n"
    "       mediadash token list [--json]\n"
    "       mediadash token revoke NAME|ID\n"
    "\n"
    "API tokens for scripts: send one as \"Authorization: Bearer TOKEN\"\n"
    "to /api/v1/... (no cookie, no CSRF token). add prints the new token\n"
    "once, on stdout (mdt_ and 43 characters); only its SHA-256 is stored.\n"
    "Scope read allows GET and HEAD; write allows every API request but\n"
    "managing users and tokens. --expires takes a number and s, m, h, d\n"
    "or w (default: never). list shows name, scope, status, times; never\n"
    "a token. revoke refuses the token from then on (a running serve\n"
    "within 2 seconds). A name is 1 to 64 characters of A-Z a-z 0-9\n"
    "_ . @ -, not digits only (digits are an ID), unique among live\n"
    "tokens. Exit status: 0 done, 1 refused, 2 usage, 3 database error,\n"
    "4 no such token.\n";

const struct command cli_commands[] = {
    {"import", "validate and store saved API responses", usage_import,
     cmd_import},
    {"accounts", "list accounts; set their role or remove one",
     usage_accounts, cmd_accounts},
    {"imports", "list imports; remove one (take data back)", usage_imports,
     cmd_imports},
    {"content", "list content with latest metrics", usage_content,
     cmd_content},
    {"search", "full-text search of content: ranked, with snippets",
     cmd_search_usage, cmd_search},
    {"show", "history of one item", usage_show, cmd_show},
    {"export", "export snapshots, content or documents (CSV / JSON Lines)",
     usage_export, cmd_export},
    {"health", "health data (Oura): status, or remove all of it",
     usage_health, cmd_health},
    {"report", "overview: totals, gains, top content, best hours, spikes",
     usage_report, cmd_report},
    {"rollup", "rebuild the daily rollups", usage_rollup, cmd_rollup},
    {"serve", "serve the dashboard and JSON API over HTTP", usage_serve,
     cmd_serve},
    {"user", "add, change, delete or list dashboard logins", usage_user,
     cmd_user},
    {"token", "add, list or revoke API tokens for scripts", usage_token,
     cmd_token},
    {"mcp", "the MCP server over stdio, for language model clients",
     usage_mcp, cmd_mcp},
    {"demo", "fill a database with a generated, realistic year", usage_demo,
     cmd_demo},
    {"connect", "connect a platform account (OAuth)", usage_connect,
     cmd_connect},
    {"connections", "list connected accounts and their status",
     usage_connections, cmd_connections},
    {"post", "schedule, list, show, cancel or retry posts", usage_post,
     cmd_post},
    {"queue", "queue slots: weekly posting times per account",
     usage_queue, cmd_queue},
    {"worker", "publish due posts (claims, retries, recovery)",
     usage_worker, cmd_worker},
    {"notify", "notifications: send a test of each kind, list, log",
     usage_notify, cmd_notify},

    {"collect", "fetch due data from the connected platforms", usage_collect,
     cmd_collect},
    {"sources", "the collector's state per account and job", usage_sources,
     cmd_sources},
    {"backup", "copy the database and key file, checked", usage_backup,
     cmd_backup},
    {"restore", "put a backup in place of the database", usage_restore,
     cmd_restore},
    {"db", "copy a whole database between SQLite and PostgreSQL", usage_db,
     cmd_db},
    {"doctor", "check config, key, database, disk, clock, tokens",
     usage_doctor, cmd_doctor},
    {"config", "show the effective configuration; the sample file",
     usage_config, cmd_config},
    {NULL, NULL, NULL, NULL},
};

static void print_usage(FILE *f)
{
    fprintf(f, "usage: mediadash [--db PATH] [-v] [-q] COMMAND [ARGS]\n\n"
               "Social media analytics: collect, validate, analyse.\n\n"
               "commands:\n");
    for (const struct command *c = cli_commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f,
            "\nglobal options:\n"
            "  --db PATH      the database (env MEDIADASH_DB; default\n"
            "                 $XDG_DATA_HOME/mediadash/mediadash.db)\n"
            "  -v, --verbose  more messages on stderr\n"
            "  -q, --quiet    errors only\n"
            "  --log-level L  error, warning (default), info or debug\n"
            "                 (config key log.level)\n"
            "  --log-format F auto (default), logfmt, json or journal\n"
            "                 (log.format)\n"
            "  --version      print the version and the schema version\n"
            "                 (with --db: the database's too)\n"
            "\nsettings: a configuration file, MEDIADASH_* environment\n"
            "variables and --set KEY=VALUE; 'mediadash config show' prints\n"
            "them all, mediadash.conf(5) describes them.\n"
            "\n'mediadash COMMAND --help' describes a command.\n"
            "exit status: 0 ok, 1 failure, 2 usage, 3 database, 4 not "
            "found\n");
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("mediadash: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* mkdir -p for the folder holding path (mode 0700: it holds our data). */
static void make_parent_dirs(const char *path)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash != NULL && slash != dir) {
        *slash = '\0';
        for (char *p = dir + 1; *p; p++) {
            if (*p != '/')
                continue;
            *p = '\0';
            mkdir(dir, 0700);
            *p = '/';
        }
        mkdir(dir, 0700);
    }
    free(dir);
}

static char *default_db_path(void)
{
    const char *env = getenv("MEDIADASH_DB");
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    struct buf b;
    enum err rc;

    if (env != NULL && *env)
        return xstrdup(env);
    buf_init(&b, 4096);
    if (xdg != NULL && *xdg == '/')
        rc = buf_printf(&b, "%s/mediadash/mediadash.db", xdg);
    else if (home != NULL && *home)
        rc = buf_printf(&b, "%s/.local/share/mediadash/mediadash.db", home);
    else
        rc = buf_puts(&b, "mediadash.db");
    if (rc != ERR_OK) {
        buf_free(&b);
        return xstrdup("mediadash.db");
    }
    make_parent_dirs(buf_cstr(&b));
    return buf_steal(&b);
}

const char *cli_db_file(const struct cli *cli)
{
    return store_target_is_file(cli->db_path) ? cli->db_path : NULL;
}

struct store *cli_open_store(struct cli *cli)
{
    struct store *st = NULL;
    struct buf err;
    buf_init(&err, 4096);
    if (store_open(cli->db_path, &st, &err) != ERR_OK)
        cli_error("%s", buf_cstr(&err));
    buf_free(&err);
    return st;
}

/* usage with its platform lists filled in from the registry, so that no
 * help text names a platform: {social} "youtube, instagram or tiktok"
 * (social platforms), {all} every registered one, {all|} the same as
 * "a|b|c", {publishers} the platforms posts go to (publishers_names). */
static void put_usage(const char *usage, FILE *f)
{
    static const struct {
        const char *mark, *sep, *last;
        bool social;
    } lists[] = {{"{social}", ", ", " or ", true},
                 {"{all}", ", ", " or ", false},
                 {"{all|}", "|", "|", false}};
    struct buf b;

    buf_init(&b, 4096);
    while (*usage != '\0') {
        const char *mark = strchr(usage, '{');
        size_t i, n = mark != NULL ? (size_t)(mark - usage) : strlen(usage);
        fwrite(usage, 1, n, f);
        usage += n;
        if (mark == NULL)
            break;
        buf_reset(&b);
        for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
            if (strncmp(mark, lists[i].mark, strlen(lists[i].mark)) == 0)
                break;
        if (i < sizeof(lists) / sizeof(lists[0]) &&
            platform_names_join(&b, lists[i].social, lists[i].sep,
                                lists[i].last) == ERR_OK) {
            usage += strlen(lists[i].mark);
        } else if (strncmp(mark, "{publishers}", 12) == 0) {
            publishers_names(&b);
            usage += 12;
        } else {
            buf_catf(&b, "{");
            usage++;
        }
        fputs(buf_cstr(&b), f);
    }
    buf_free(&b);
}

/* cmd's usage, then the configuration keys of its section ("serve.*"
 * for serve), printed from the table (core/config.c). */
static void print_command_help(const struct command *cmd)
{
    struct buf keys;

    buf_init(&keys, (size_t)1 << 20);
    config_describe_section(cmd->name, &keys);
    put_usage(cmd->usage, stdout);
    fputs(buf_cstr(&keys), stdout);
    buf_free(&keys);
}

bool cli_wants_help(const struct command *cmd, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            print_command_help(cmd);
            return true;
        }
    }
    return false;
}

bool cli_platform(const char *opt, const char *s, int *out)
{
    enum platform p;
    if (platform_from_name(s, &p) != ERR_OK) {
        struct buf names;
        buf_init(&names, 1024);
        if (platform_names_join(&names, false, ", ", " or ") != ERR_OK)
            buf_reset(&names);
        cli_error("%s: unknown platform \"%s\" (%s)", opt, s,
                  buf_cstr(&names));
        buf_free(&names);
        return false;
    }
    *out = (int)p;
    return true;
}

bool cli_social_platform(const char *opt, const char *s, int *out)
{
    struct buf names;

    if (!cli_platform(opt, s, out))
        return false;
    if (platform_is_social((enum platform)*out))
        return true;
    buf_init(&names, 1024);
    if (platform_names_join(&names, true, ", ", " or ") != ERR_OK)
        buf_reset(&names);
    cli_error("%s: %s is not a social platform (%s)", opt, s,
              buf_cstr(&names));
    buf_free(&names);
    return false;
}

bool cli_time(const char *opt, const char *s, int64_t *out)
{
    if (time_parse_iso8601(s, out) != ERR_OK) {
        cli_error("%s: \"%s\" is not an ISO 8601 time (2024-06-01 or "
                  "2024-06-01T12:00:00Z)",
                  opt, s);
        return false;
    }
    return true;
}

bool cli_write(FILE *f, const struct buf *b)
{
    if (b->len > 0 && fwrite(b->data, 1, b->len, f) != b->len) {
        cli_error("write failed: %s", strerror(errno));
        return false;
    }
    return true;
}

/* --version: "mediadash 0.1.0 (schema 24)", and with --db the
 * database's own version (read only, never migrated). */
static int print_version(const char *db_path)
{
    struct buf err;
    int have = 0, rc = EXIT_OK_, latest;
    char *shown;

    printf("mediadash %s (schema %d)\n", MEDIADASH_VERSION,
           store_schema_latest());
    if (db_path == NULL)
        return EXIT_OK_;
    /* A backend numbers its own migrations: compare with its latest. */
    latest = store_schema_latest_of(db_path);
    shown = store_target_display(db_path);
    buf_init(&err, 1024);
    switch (store_schema_peek(db_path, &have, &err)) {
    case ERR_OK:
        if (store_target_is_file(db_path))
            printf("database %s: schema %d%s\n", shown, have,
                   have > latest   ? " (newer than this program)"
                   : have < latest ? " (upgraded when opened)"
                                   : "");
        else
            printf("database %s: PostgreSQL schema %d, this program's %d%s\n",
                   shown, have, latest,
                   have > latest   ? " (newer than this program)"
                   : have < latest ? " (upgraded when opened)"
                                   : "");
        break;
    case ERR_NOTFOUND:
        printf("database %s: none yet\n", shown);
        break;
    default:
        cli_error("%s", buf_cstr(&err));
        rc = EXIT_DB;
    }
    free(shown);
    buf_free(&err);
    return rc;
}

/* Parse the options before the command. False when main should exit now
 * with *exit_code (after --help, --version or a bad option). */
static bool parse_globals(struct cli *cli, int argc, char **argv,
                          int *exit_code)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"log-level", required_argument, NULL, 'L'},
        {"log-format", required_argument, NULL, 'F'},
        {"version", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool version = false;
    int c;

    /* "+": stop at the command name; its options are its own. */
    while ((c = getopt_long(argc, argv, "+vqh", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            free(cli->db_path);
            cli->db_path = xstrdup(optarg);
            break;
        case 'v':
            cli->verbose = true;
            break;
        case 'q':
            cli->quiet = true;
            break;
        case 'L':
            cli->log_level = optarg;
            break;
        case 'F':
            cli->log_format = optarg;
            break;
        case 'V':
            version = true;
            break;
        case 'h':
            print_usage(stdout);
            *exit_code = EXIT_OK_;
            return false;
        default:
            print_usage(stderr);
            *exit_code = EXIT_USAGE;
            return false;
        }
    }
    if (version) {
        *exit_code = print_version(cli->db_path);
        return false;
    }
    return true;
}

/* -q, -v, --log-level and --log-format; false after a bad value. */
static bool log_options(struct cli *cli)
{
    enum log_level lvl = cli->quiet     ? LOG_LVL_ERROR
                         : cli->verbose ? LOG_LVL_DEBUG
                                        : LOG_LVL_WARN;
    enum log_format fmt = LOG_FMT_AUTO;

    if (cli->log_level != NULL && log_level_parse(cli->log_level, &lvl) !=
                                      ERR_OK) {
        cli_error("--log-level: expected error, warning, info or debug, "
                  "got \"%s\"", cli->log_level);
        return false;
    }
    if (cli->log_format != NULL &&
        log_format_parse(cli->log_format, &fmt) != ERR_OK) {
        cli_error("--log-format: expected auto, logfmt, json or journal, "
                  "got "
                  "\"%s\"", cli->log_format);
        return false;
    }
    log_set_level(lvl);
    log_set_format(fmt);
    return true;
}

int main(int argc, char **argv)
{
    struct cli cli = {"mediadash", NULL, false, false, NULL, NULL};
    const struct command *cmd;
    int first, rc;

    if (!parse_globals(&cli, argc, argv, &rc)) {
        free(cli.db_path);
        return rc;
    }
    first = optind;
    if (first >= argc) {
        print_usage(stderr);
        free(cli.db_path);
        return EXIT_USAGE;
    }
    if (strcmp(argv[first], "help") == 0) {
        first++;
        if (first >= argc) {
            print_usage(stdout);
            free(cli.db_path);
            return EXIT_OK_;
        }
        for (cmd = cli_commands; cmd->name; cmd++)
            if (strcmp(cmd->name, argv[first]) == 0) {
                print_command_help(cmd);
                free(cli.db_path);
                return EXIT_OK_;
            }
    }
    for (cmd = cli_commands; cmd->name; cmd++)
        if (strcmp(cmd->name, argv[first]) == 0)
            break;
    if (cmd->name == NULL) {
        cli_error("unknown command \"%s\" (see 'mediadash --help')",
                  argv[first]);
        free(cli.db_path);
        return EXIT_USAGE;
    }
    if (!log_options(&cli)) {
        free(cli.db_path);
        return EXIT_USAGE;
    }
    if (cli.db_path == NULL)
        cli.db_path = default_db_path();
    if (cli_wants_help(cmd, argc - first, argv + first)) {
        free(cli.db_path);
        return EXIT_OK_;
    }
    optind = 0; /* glibc: 0 re-initialises getopt for the new argv */
    rc = cmd->run(&cli, argc - first, argv + first);
    free(cli.db_path);
    return rc;
}
