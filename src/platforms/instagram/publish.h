/* The Instagram publisher (Instagram Graph API content publishing,
 * https://developers.facebook.com/docs/instagram-platform/content-publishing):
 *
 *   1. GET /{ig-user-id}/content_publishing_limit?fields=config,quota_usage
 *      used up: the post waits (scheduled again after the quota window,
 *      last_error says so) instead of failing
 *   2. POST /{ig-user-id}/media image_url= | video_url= + media_type=REELS,
 *      caption=  -> container id, recorded (progress {"container": id})
 *      before anything depends on it. The media URL is this dashboard's
 *      public link (publish.public_base_url + /m/<token>, media_link.h).
 *   3. GET /{container-id}?fields=status_code,status until FINISHED, at
 *      most publish.poll_count polls publish.poll_interval_ms apart; still
 *      IN_PROGRESS: the post is scheduled again and the next round polls
 *      the same container. ERROR / EXPIRED: failed with the platform's
 *      status text (the container is forgotten, so a retry makes a new
 *      one).
 *   4. POST /{ig-user-id}/media_publish?creation_id= -> the media id;
 *      never blindly retried: a timeout, reset or 5xx -> needs_check.
 *   5. GET /{media-id}?fields=permalink -> remote_url.
 *
 * check(): the recorded container's status_code PUBLISHED means the post
 * went out (its media id is looked up in GET /{ig-user-id}/media by
 * caption); anything else means it did not. The post's account is the
 * IG user id.
 *
 * A post of 2 to 10 files is a carousel
 * (https://developers.facebook.com/docs/instagram-platform/content-publishing#carousel-posts):
 *   2a. POST /{ig-user-id}/media is_carousel_item=true, image_url= |
 *       media_type=VIDEO + video_url=, one per file in order, each id
 *       appended to progress {"children": [...]} before the next is made
 *       (a restart keeps the recorded items and makes the missing ones)
 *   2b. GET /{item-id}?fields=status_code,status until each is FINISHED
 *       (IN_PROGRESS after the polls: the next round polls again; ERROR
 *       or EXPIRED: failed with the platform's text, items forgotten)
 *   2c. POST /{ig-user-id}/media media_type=CAROUSEL, children=<ids,
 *       comma-separated, in order>, caption= -> the carousel container,
 *       recorded as "container"
 *   then steps 3 to 5 and check() as above on the carousel container (a
 *   carousel counts as one post against the publishing limit). */
#ifndef MEDIADASH_PUBLISH_INSTAGRAM_H
#define MEDIADASH_PUBLISH_INSTAGRAM_H

#include "schedule/media_mix.h"
#include "schedule/worker.h"

extern const struct publisher_ops instagram_publish_ops;
/* One image or video, or a carousel of 2 to 10 (images JPEG only, as the
 * content publishing reference says). */
extern const struct media_mix instagram_media_mix;

#endif
