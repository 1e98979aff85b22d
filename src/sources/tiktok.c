/* PLACEHOLDER: replaced by the tiktok parsers. */
#include "sources/source.h"

const struct source_format tiktok_formats[] = {
    {NULL, NULL, PLATFORM_YOUTUBE, NULL, NULL, NULL, NULL},
};
