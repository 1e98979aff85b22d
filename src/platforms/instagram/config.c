/* Instagram's configuration keys, section [instagram] (config.h:
 * config_key; config.c takes them through the platform list): the
 * Facebook Login client, and the Instagram Login flavour's ig_* keys,
 * whose values are in Instagram's slots (CONFIG_PS; read by key with
 * config_plat_str). */
#include "platforms/instagram/instagram.h"

const struct config_key instagram_config_keys[] = {
    CONFIG_PLATFORM_KEYS(PLATFORM_INSTAGRAM, "instagram",
                         "https://www.facebook.com/v21.0/dialog/oauth",
                         "https://graph.facebook.com/v21.0/oauth/"
                         "access_token",
                         "https://graph.facebook.com",
                         "instagram_basic,instagram_manage_insights,"
                         "instagram_content_publish,"
                         "pages_show_list,pages_read_engagement"),
    {"instagram.login", CONFIG_STR,
     CONFIG_PS(PLATFORM_INSTAGRAM, 0), 0, 0, "facebook", 0,
     "how new Instagram connections log in: facebook (Facebook Login, a "
     "Page linked to the account) or instagram (Instagram Login, no Page)",
     "facebook|instagram", NULL},
    {"instagram.ig_auth_url", CONFIG_STR,
     CONFIG_PS(PLATFORM_INSTAGRAM, 1), 0, 0,
     "https://www.instagram.com/oauth/authorize", 0,
     "Instagram Login: consent page", NULL, NULL},
    {"instagram.ig_token_url", CONFIG_STR,
     CONFIG_PS(PLATFORM_INSTAGRAM, 2), 0, 0,
     "https://api.instagram.com/oauth/access_token", 0,
     "Instagram Login: code exchange", NULL, NULL},
    {"instagram.ig_graph_base", CONFIG_STR,
     CONFIG_PS(PLATFORM_INSTAGRAM, 3), 0, 0,
     "https://graph.instagram.com", 0,
     "Instagram Login: long-lived tokens (ig_exchange_token, "
     "ig_refresh_token) and the API", NULL, NULL},
    {"instagram.ig_scopes", CONFIG_STR, CONFIG_PS(PLATFORM_INSTAGRAM, 4),
     0, 0, "instagram_business_basic,instagram_business_manage_insights,"
           "instagram_business_content_publish", 0,
     "Instagram Login: scopes asked for", NULL, NULL},
    {NULL, CONFIG_STR, 0, 0, 0, NULL, 0, NULL, NULL, NULL},
};
