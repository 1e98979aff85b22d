/* The list of publishers (publishers.h). */
#include "schedule/publishers.h"

#include "schedule/publish_instagram.h"
#include "schedule/publish_tiktok.h"

const struct publisher_ops *const publishers_all[] = {
    &worker_dryrun_publisher,
    &publish_instagram,
    &publish_tiktok,
    &publisher_youtube,
};

const size_t publishers_count =
    sizeof publishers_all / sizeof *publishers_all;
