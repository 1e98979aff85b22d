/* PLACEHOLDER: replaced by the studio parsers. */
#include "sources/source.h"

const struct source_format studio_formats[] = {
    {NULL, NULL, PLATFORM_YOUTUBE, NULL, NULL, NULL, NULL},
};
