/* PLACEHOLDER: replaced by the instagram parsers. */
#include "sources/source.h"

const struct source_format instagram_formats[] = {
    {NULL, NULL, PLATFORM_YOUTUBE, NULL, NULL, NULL, NULL},
};
