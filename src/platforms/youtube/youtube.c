/* YouTube (Google OAuth, YouTube Data v3 + Analytics): the descriptor. */
#include "platforms/youtube/youtube.h"

#include "schedule/media_mix.h"
#include "schedule/publishers.h"
#include "platforms/youtube/publish.h"
#include "sources/source.h"

#define DAY_S 86400

/* offline + consent: Google sends a refresh token every time */
static const char *const consent_params[] = {"access_type", "offline",
                                             "prompt", "consent", NULL};

static const struct platform_oauth oauth = {
    .client_id_param = "client_id",
    .pkce = true,
    .consent_params = consent_params,
    /* access 1 h; refresh tokens of an app in testing status end after
     * 7 days, published apps' do not expire by age */
    .testing_refresh_life_s = 7 * DAY_S,
    .testing_key = "oauth.google_testing",
    .token_rejected = NULL, /* a 401 only */
};

static int64_t daily_quota(const struct config *cfg)
{
    return config_plat_int(cfg, PLATFORM_YOUTUBE, "collect.youtube_quota");
}

const struct platform_desc youtube_platform = {
    .id = PLATFORM_YOUTUBE,
    .name = "youtube",
    .display = "YouTube",
    .colour = "#d93025",
    .colour_dark = "#f85149",
    .formats = youtube_formats,
    .env = "YOUTUBE",
    .console_url = "https://console.cloud.google.com/apis/credentials",
    .console_name = "Google Cloud console: APIs & Services, Credentials",
    .oauth = &oauth,
    .config_keys = youtube_config_keys,
    .fetch = youtube_fetch,
    .daily_quota = daily_quota,
    .publish = &youtube_publish_ops,
    .mix = &youtube_media_mix,
    .post_limits = &youtube_post_limits,
    .media_limits = &youtube_media_limits,
    .demo = &youtube_demo,
    .preview = PREVIEW_VIDEO_PAGE,
};
