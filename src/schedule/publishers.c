/* The list of publishers (publishers.h). */
#include "schedule/publishers.h"

const struct publisher_ops *const publishers_all[] = {
    &worker_dryrun_publisher,
    &publisher_youtube,
};

const size_t publishers_count =
    sizeof publishers_all / sizeof *publishers_all;
