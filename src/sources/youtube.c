/* PLACEHOLDER: replaced by the youtube parsers. */
#include "sources/source.h"

const struct source_format youtube_formats[] = {
    {NULL, NULL, PLATFORM_YOUTUBE, NULL, NULL, NULL, NULL},
};
