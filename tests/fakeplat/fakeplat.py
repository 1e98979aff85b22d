#!/usr/bin/env python3
"""Fake platform server for mediadash tests (Python 3 stdlib only).

Speaks the documented request/response shapes of YouTube Data v3, YouTube
Analytics v2, the Instagram Graph API, TikTok API v2, Twitch Helix
(fake_twitch.py), Oura API v2 (fake_oura.py) and their OAuth token endpoints, serving the data in a JSON file, with fault injection.

    fakeplat.py --data FILE [--port 0] [--max-lifetime 120]

Listens on 127.0.0.1 only, prints the port on the first line of stdout,
and exits on SIGTERM/SIGINT or after --max-lifetime seconds, whichever
comes first, so it can never linger.

Test controls (see README.md, "Fake platform server"):
  POST /_control  {"faults": [FAULT, ...]}   append faults to the queue
  POST /_control  {"hide": [ID, ...]}         content ids the platform no
                                              longer returns by id (deleted);
                                              {"unhide": [ID, ...]} undoes it
                  {"reset": true}            clear faults, stats, codes
                  {"oauth_codes": {CODE: {...}}}  add authorization codes
                  {"access_tokens": [...]}   accept these bearer tokens
                  {"now": EPOCH_S}           the clock long-lived tokens
                                             age by (null: the real one):
                                             expired ones are refused (190),
                                             Instagram Login ones under
                                             24 h old too
                  {"graph_headers": {"X-App-Usage": "{...}"}}  sent with
                                             every Graph answer ({} stops)
                  {"supported_metrics": [...]}  IG media insight metrics
                  {"media_refusals": [{"type": "VIDEO", "metric": "views",
                   "wording": "product"|"media"|"none"}]}  a media whose
                                             media_type or media_product_type
                                             is "type" refuses the metric
                                             (the real wordings; [] stops)
                  {"instagram_publish": {...}}, {"tiktok_publish": {...}}
                                             publishing (see that section)
                  {"yt_complete_delay": {"p": P, "seconds": S}}  answer a
                                             completing upload PUT late
  GET  /_stats    {"total": N, "paths": {"/path": N}, "methods": {...},
                   "last": {"/path": {"method", "query", "headers", "body"}},
                   "published": {"youtube:<title>": N,
                                 "instagram:<caption>": N, ...}, ...}
  ?_fault=KIND    one fault for this request only (same kinds, defaults)
FAULT = {"path": "/prefix", "kind": KIND, "times": 1, ...options}
KIND:  refuse | hang | slow | truncate | reset | status | malformed |
       wrong_shape | oversized | expired_token | quota | graph_error |
       tiktok_error
"""

import argparse
import base64
import hashlib
import json
import os
import secrets
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fake_twitch import HELIX, TOKEN_PATH, TwitchMixin
from fake_oura import OURA_PREFIX, OURA_TOKEN_PATH, OuraMixin

MAX_REQUEST_BODY = 1 << 20
YT_UPLOAD_PATH = "/upload/youtube/v3/videos"
YT_UPLOAD_MAX = 64 << 20  # bytes of one fake upload
GRAPH_VERSION_PREFIX = "/v"  # /v21.0/...
# Instagram API with Instagram Login: tests point instagram.ig_graph_base
# and ig_token_url under this prefix, so the stats show which flavour a
# call used; the same routes answer it.
IG_LOGIN_PREFIX = "/ig/"

GRAPH_ERRORS = {
    4: ("(#4) Application request limit reached", None),
    17: ("(#17) User request limit reached", 2446079),
    32: ("(#32) Page request limit reached", None),
    613: ("(#613) Calls to this api have exceeded the rate limit.", None),
    190: ("Error validating access token: Session has expired on "
          "Tuesday, 24-Nov-26 10:00:00 PST.", 463),
    100: ("(#100) Invalid parameter", None),
    10: ("(#10) Not enough viewers for the media to show insights", None),
    80002: ("(#80002) There have been too many calls to this Instagram "
            "account. Wait a bit and try again. For more info, please refer "
            "to https://developers.facebook.com/docs/graph-api/overview/"
            "rate-limiting.", None),
}
# Graph's throttle codes (application, user, page, method, and the
# business-use-case range 80000-80099; 80002 is Instagram's).
GRAPH_THROTTLES = (4, 17, 32, 613)


def graph_throttle(code):
    return code in GRAPH_THROTTLES or 80000 <= code <= 80099


# The wordings Graph refuses an insight metric with: "unknown" for a name
# it does not know at all (metric[i] ...), "product" and "media" for a
# metric the media's product/media type does not support, "none" for a
# refusal that names no metric.
REFUSAL_WORDINGS = {
    "product": (100, "(#100) The Media Insights API does not support the "
                "%s metric for this media product type."),
    "media": (100, "(#100) The metric %s is not supported for this media "
              "type"),
    "none": (10, "(#10) Not enough viewers for the media to show insights"),
}

TIKTOK_ERRORS = {
    "rate_limit_exceeded": (429, "API rate limit was exceeded, only 600 "
                            "requests per minute are allowed."),
    "access_token_invalid": (401, "The access token is invalid or not "
                             "found in the request."),
    "scope_not_authorized": (401, "The user did not authorize the scope "
                             "required for completing this request."),
    "invalid_params": (400, "The request parameters are invalid."),
}


class State:
    """Everything shared by the handler threads, under one lock."""

    def __init__(self, data):
        self.lock = threading.Lock()
        self.data = data
        self.reset()

    def reset(self):
        self.faults = []
        self.total = 0
        self.paths = {}
        self.methods = {}
        self.last = {}
        self.oversized_sent = 0  # bytes of oversized bodies fully written
        oauth = self.data.get("oauth", {})
        self.codes = dict(oauth.get("codes", {}))
        self.refresh = dict(oauth.get("refresh_tokens", {}))
        self.tokens = set(self.data.get("access_tokens", []))
        self.enforce_tokens = "access_tokens" in self.data
        self.expires_in = int(oauth.get("expires_in", 3599))
        self.token_delay = 0.0  # seconds before a token endpoint answers
        self.graph_headers = {}  # e.g. X-App-Usage on every Graph answer
        self.hidden = set()  # content ids "deleted" on the platform
        self.now = None  # the clock (epoch s) tokens age by; None: real
        self.issued = {}  # long-lived token -> (issued at, lifetime s)
        self.published = {}  # "platform:marker" -> publishes that went out
        self.pub = PubState()  # Instagram/TikTok publishing (see below)
        self.yt_upload_reset()

    def clock(self):
        return self.now if self.now is not None else int(time.time())

    def long_lived(self, old):
        """Why long-lived token old cannot be renewed now, or None. Meta
        renews only unexpired tokens; tokens never issued here (a test's
        access_tokens) have no known age."""
        if old not in self.tokens:
            return "unknown"
        at, ttl = self.issued.get(old, (None, None))
        if at is not None and self.clock() >= at + ttl:
            return "expired"
        if at is not None and self.clock() - at < 86400:
            return "young"
        return None

    def issue_long_lived(self):
        tok = "fake-at-" + secrets.token_urlsafe(16)
        self.tokens.add(tok)
        self.issued[tok] = (self.clock(), self.expires_in)
        return tok

    def count(self, method, path, query, headers, body):
        with self.lock:
            self.total += 1
            self.paths[path] = self.paths.get(path, 0) + 1
            key = method + " " + path
            self.methods[key] = self.methods.get(key, 0) + 1
            self.last[path] = {"method": method, "query": query,
                               "headers": headers,
                               "body": body.decode("utf-8", "replace")}

    def take_fault(self, method, path):
        with self.lock:
            for f in self.faults:
                if not path.startswith(f.get("path", "/")):
                    continue
                if "method" in f and f["method"] != method:
                    continue
                f["times"] = f.get("times", 1) - 1
                if f["times"] <= 0:
                    self.faults.remove(f)
                return dict(f)
        return None

    # ---- YouTube resumable uploads (publish_youtube.c) ------------------
    def yt_upload_reset(self):
        self.yt_sessions = {}  # upload_id -> session dict
        self.yt_complete_delay = None  # {"p": 0.3, "seconds": 0.2}

    def count_publish(self, platform, marker):
        """A completed publish (caller holds the lock)."""
        key = "%s:%s" % (platform, marker)
        self.published[key] = self.published.get(key, 0) + 1

    def stats(self):
        with self.lock:
            return {"total": self.total, "paths": dict(self.paths),
                    "methods": dict(self.methods), "last": dict(self.last),
                    "faults_pending": len(self.faults),
                    "published": dict(self.published),
                    "media_fetches": list(self.pub.fetches),
                    "tiktok_uploads": [
                        {"publish_id": k, "title": v["title"],
                         "size": v["size"], "chunks": v["chunks"],
                         "chunk_size": v["chunk"],
                         "sha256": v.get("sha256", "")}
                        for k, v in self.pub.publishes.items()
                        if not v.get("photo")],
                    "ig_carousels": list(self.pub.carousels),
                    "tiktok_photos": [
                        {"publish_id": k, "title": v["title"],
                         "description": v["description"],
                         "privacy_level": v["privacy_level"],
                         "cover": v["cover"], "images": v["images"]}
                        for k, v in self.pub.publishes.items()
                        if v.get("photo")],
                    "oversized_sent": self.oversized_sent,
                    "twitch_refreshes": getattr(self, "tw_refreshes", 0),
                    "oura_refreshes": getattr(self, "oura_refreshes", 0)}


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def page_token(offset):
    return b64url(("off:%d" % offset).encode())


def parse_page_token(tok):
    try:
        pad = "=" * (-len(tok) % 4)
        text = base64.urlsafe_b64decode(tok + pad).decode()
        if not text.startswith("off:"):
            return None
        v = int(text[4:])
        return v if v >= 0 else None
    except (ValueError, UnicodeDecodeError):
        return None


def pick(obj, fields, always=("id",)):
    """Keep only the requested fields (and always the ones named)."""
    out = {}
    for k, v in obj.items():
        if k in fields or k in always:
            out[k] = v
    return out


# ==== Publishing: Instagram content publishing and TikTok direct post ====
# (pub-igtt) State per container / publish_id, status progressing over
# polls, the media fetched from the image_url/video_url like Instagram
# does, TikTok's chunk rules checked, and "published" counted per marker
# ("instagram:<caption>", "tiktok:<title>") in /_stats.
#
# /_control {"instagram_publish": {...}} (merged into the settings):
#   in_progress_polls  container status polls answered IN_PROGRESS (1)
#   final_status       FINISHED | ERROR | EXPIRED, after those polls
#   status_text        the container's "status" text for ERROR
#   quota_usage, quota_total   content_publishing_limit (0, 100)
#   lose_answer        media_publish answers (publishing first) that are
#                      lost: the connection is reset instead (0)
#   answer_delay_p, answer_delay_s  the share of media_publish answers
#                      (the post already out) sent late, and how late (0, 0):
#                      crash tests kill workers in that window
#   item_final_status  FINISHED | ERROR | EXPIRED: what carousel items
#                      (is_carousel_item=true) end as (FINISHED);
#                      item_status_text its "status" text for ERROR
# Carousels (pub-carousel): items are containers made with
# is_carousel_item=true (a video with media_type=VIDEO, not REELS); a
# media_type=CAROUSEL container takes children= 2 to 10 of this user's
# FINISHED, unused items (else Graph's errors: code 100 for a bad
# parameter, 9007/2207027 "Media ID is not available" for an item not
# ready); media_publish of it makes a CAROUSEL_ALBUM and lists it in
# /_stats "ig_carousels" with each item's fetched bytes.
# /_control {"tiktok_publish": {...}}:
#   processing_polls   status/fetch answers PROCESSING_UPLOAD after the
#                      upload (1)
#   final_status       PUBLISH_COMPLETE | FAILED; fail_reason for FAILED
#   privacy_level_options  what creator_info offers
#   post_error         an error code init answers with (e.g.
#                      spam_risk_too_many_posts), once
#   lose_chunk_answer  last chunks received (the video goes out) whose
#                      answer is lost: the connection is reset (0)
#   verified_url_prefixes  photo_images must start with one of these
#                      (TikTok's URL ownership verification; [] or absent:
#                      any), else url_ownership_unverified
#   lose_photo_answer  content/init photo answers (the post goes out)
#                      that are lost: the connection is reset (0)
#   answer_delay_p, answer_delay_s  as for Instagram, for content/init
# Photo posts (pub-photo): POST /v2/post/publish/content/init/ with
# media_type PHOTO, PULL_FROM_URL photo_images (1 to 35; fetched at once
# like TikTok's servers do: one not answering 200 with image/jpeg or
# image/webp -> FAILED photo_pull_failed), title <= 90 and description
# <= 4000 characters; status/fetch as for videos; a completed one is
# added to the creator's /v2/video/list/ (id, title, create_time) and
# listed in /_stats "tiktok_photos".

TIKTOK_ERRORS.update({
    "spam_risk_too_many_posts": (403, "The daily post cap from the API "
                                 "is reached for the current user."),
    "spam_risk_user_banned_from_posting": (403, "The user is banned from "
                                           "making new posts."),
    "url_ownership_unverified": (403, "Please review our URL ownership "
                                 "verification rules."),
    "privacy_level_option_mismatch": (400, "The privacy level is not one "
                                      "of the creator's options."),
})

MIB = 1 << 20


class PubState:
    """Publishing state; guarded by State.lock."""

    def __init__(self):
        self.ig = {"in_progress_polls": 1, "final_status": "FINISHED",
                   "status_text": "", "quota_usage": 0, "quota_total": 100,
                   "lose_answer": 0, "item_final_status": "FINISHED",
                   "answer_delay_p": 0, "answer_delay_s": 0,
                   "item_status_text": ""}
        self.tt = {"processing_polls": 1, "final_status": "PUBLISH_COMPLETE",
                   "fail_reason": "", "post_error": "",
                   "lose_chunk_answer": 0, "verified_url_prefixes": [],
                   "lose_photo_answer": 0, "answer_delay_p": 0,
                   "answer_delay_s": 0,
                   "privacy_level_options": [
                       "PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS",
                       "FOLLOWER_OF_CREATOR", "SELF_ONLY"]}
        self.containers = {}  # id -> dict
        self.publishes = {}   # publish_id -> dict
        self.uploads = {}     # upload_id -> publish_id
        self.fetches = []     # media the fake fetched, for the tests
        self.carousels = []   # published carousels, for the tests
        self.next_id = 1


class PubMixin:
    def pub_control(self, req):
        """Called under the state lock by control()."""
        pub = self.server.state.pub
        pub.ig.update(req.get("instagram_publish", {}))
        pub.tt.update(req.get("tiktok_publish", {}))

    def pub_streams_body(self, method, path):
        return method == "PUT" and path == "/upload/tiktok/"

    def pub_count(self, key):
        platform, _, marker = key.partition(":")
        st = self.server.state
        with st.lock:
            st.count_publish(platform, marker)

    # ---- Instagram ------------------------------------------------------
    def pub_route(self, method, path, q, body):
        if path.startswith("/v2/post/publish/") and method == "POST":
            self.tt_publish_api(path, body)
            return True
        if not path.startswith(GRAPH_VERSION_PREFIX):
            return False
        segs = path.strip("/").split("/")[1:]
        st = self.server.state
        user = st.data.get("instagram", {}).get("user", {}).get("id")
        if len(segs) == 2 and segs[0] == user:
            if segs[1] == "content_publishing_limit" and method == "GET":
                self.ig_limit(q)
                return True
            if segs[1] == "media" and method == "POST":
                self.ig_create(q, body, user)
                return True
            if segs[1] == "media_publish" and method == "POST":
                self.ig_media_publish(q, body)
                return True
        if len(segs) == 1 and method == "GET":
            with st.lock:
                known = segs[0] in st.pub.containers
            if known:
                self.ig_container_status(segs[0], q)
                return True
        return False

    def ig_form(self, q, body):
        form = dict(q)
        form.update({k: v[-1] for k, v in urllib.parse.parse_qs(
            body.decode("utf-8", "replace"), keep_blank_values=True).items()})
        return form

    def ig_limit(self, q):
        pub = self.server.state.pub
        fields = [f for f in q.get("fields", "").split(",") if f]
        with self.server.state.lock:
            row = {"config": {"quota_total": int(pub.ig["quota_total"]),
                              "quota_duration": 86400},
                   "quota_usage": int(pub.ig["quota_usage"])}
        self.send_json(200, {"data": [pick(row, fields, ())]})

    def ig_fetch(self, url):
        """Download the media like Instagram's servers do."""
        rec = {"url_path": urllib.parse.urlsplit(url).path, "status": 0,
               "bytes": 0, "sha256": "", "content_type": ""}
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                h = hashlib.sha256()
                n = 0
                while True:
                    chunk = r.read(1 << 16)
                    if not chunk:
                        break
                    h.update(chunk)
                    n += len(chunk)
                rec.update(status=r.status, bytes=n, sha256=h.hexdigest(),
                           content_type=r.headers.get("Content-Type", ""),
                           content_length=int(r.headers.get(
                               "Content-Length", "-1")))
        except urllib.error.HTTPError as e:
            rec["status"] = e.code
        except (OSError, ValueError) as e:
            rec["error"] = str(e)
        with self.server.state.lock:
            self.server.state.pub.fetches.append(rec)
        return rec

    def ig_create(self, q, body, user):
        f = self.ig_form(q, body)
        if f.get("media_type") == "CAROUSEL":
            return self.ig_carousel(f, user)
        item = f.get("is_carousel_item") == "true"
        if item and f.get("video_url") and f.get("media_type") != "VIDEO":
            return self.error_graph(100, 400, "(#100) media_type VIDEO is "
                                    "required for a carousel item video_url")
        url = f.get("image_url") or f.get("video_url")
        if not url or (f.get("image_url") and f.get("video_url")):
            return self.error_graph(100, 400, "(#100) The parameter "
                                    "image_url or video_url is required.")
        if not item and f.get("video_url") and f.get("media_type") not in (
                "REELS", "VIDEO"):
            return self.error_graph(100, 400, "(#100) media_type REELS is "
                                    "required for video_url")
        rec = self.ig_fetch(url)
        want = "video/" if f.get("video_url") else "image/"
        ok = (rec["status"] == 200 and rec["bytes"] > 0 and
              rec.get("content_length") == rec["bytes"] and
              rec["content_type"].startswith(want))
        st = self.server.state
        with st.lock:
            cid = "1796%013d" % st.pub.next_id
            st.pub.next_id += 1
            final = st.pub.ig["item_final_status" if item else
                              "final_status"] if ok else "ERROR"
            text = st.pub.ig["item_status_text" if item else
                             "status_text"] if ok else (
                "Error: Media download has failed. The media URI doesn't "
                "meet our requirements. (HTTP %s)" % rec["status"])
            st.pub.containers[cid] = {
                "caption": f.get("caption", ""), "fetch": rec,
                "polls_left": int(st.pub.ig["in_progress_polls"]),
                "final": final, "text": text, "status": "IN_PROGRESS",
                "media_type": f.get("media_type", "IMAGE"), "item": item,
                "user": user}
        self.send_json(200, {"id": cid})

    def ig_carousel(self, f, user):
        """A CAROUSEL container of 2 to 10 FINISHED, unused items."""
        kids = [k for k in f.get("children", "").split(",") if k]
        if not 2 <= len(kids) <= 10 or len(set(kids)) != len(kids):
            return self.error_graph(100, 400, "(#100) children must list 2 "
                                    "to 10 different carousel item "
                                    "containers")
        st = self.server.state
        with st.lock:
            cs = [st.pub.containers.get(k) for k in kids]
            bad = [k for k, c in zip(kids, cs)
                   if c is None or not c.get("item") or c["user"] != user]
            busy = [k for k, c in zip(kids, cs) if c is not None and
                    c.get("item") and c["status"] != "FINISHED"]
            if not bad and not busy:
                cid = "1796%013d" % st.pub.next_id
                st.pub.next_id += 1
                st.pub.containers[cid] = {
                    "caption": f.get("caption", ""), "fetch": None,
                    "polls_left": int(st.pub.ig["in_progress_polls"]),
                    "final": st.pub.ig["final_status"],
                    "text": st.pub.ig["status_text"],
                    "status": "IN_PROGRESS", "media_type": "CAROUSEL",
                    "item": False, "user": user, "children": kids}
        if bad:
            return self.error_graph(100, 400, "(#100) children: %s is not a "
                                    "carousel item container of this user"
                                    % bad[0])
        if busy:
            return self.send_json(400, {"error": {
                "message": "Media ID is not available", "type":
                "OAuthException", "code": 9007, "error_subcode": 2207027,
                "error_user_msg": "The media is not ready for publishing, "
                "please wait for a moment", "fbtrace_id": "AfakeplatTrace"}})
        self.send_json(200, {"id": cid})

    def ig_container_status(self, cid, q):
        st = self.server.state
        fields = [x for x in q.get("fields", "").split(",") if x]
        with st.lock:
            c = st.pub.containers[cid]
            if c["status"] == "IN_PROGRESS":
                if c["polls_left"] > 0:
                    c["polls_left"] -= 1
                else:
                    c["status"] = c["final"]
            out = {"id": cid, "status_code": c["status"],
                   "status": c["text"] if c["status"] == "ERROR" else
                   ("Finished: Media has been uploaded and it is ready to be "
                    "published." if c["status"] == "FINISHED" else
                    c["status"].capitalize())}
        self.send_json(200, pick(out, fields))

    def ig_media_publish(self, q, body):
        st = self.server.state
        cid = self.ig_form(q, body).get("creation_id", "")
        with st.lock:
            c = st.pub.containers.get(cid)
            state = c["status"] if c else None
            if state == "FINISHED" and c.get("item"):
                state = "ITEM"  # an item is published through its carousel
            if state == "FINISHED":
                c["status"] = "PUBLISHED"
                self.ig_used(c)
                mid = "1797%013d" % st.pub.next_id
                st.pub.next_id += 1
                ig = st.data.setdefault("instagram", {})
                ig.setdefault("media", []).insert(0, {
                    "id": mid, "caption": c["caption"],
                    "media_type": {"REELS": "VIDEO", "CAROUSEL":
                                   "CAROUSEL_ALBUM"}.get(c["media_type"],
                                                         "IMAGE"),
                    "media_product_type": "REELS" if c["media_type"] ==
                    "REELS" else "FEED",
                    "permalink": "https://www.instagram.com/p/fake%s/" % mid,
                    "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S+0000",
                                               time.gmtime()),
                    "like_count": 0, "comments_count": 0})
                lose = st.pub.ig["lose_answer"] > 0
                if lose:
                    st.pub.ig["lose_answer"] -= 1
        if state is None:
            return self.error_graph(100, 400, "(#100) Param creation_id "
                                    "must be a valid container id")
        if state == "ITEM":
            return self.error_graph(100, 400, "(#100) A carousel item "
                                    "container cannot be published by "
                                    "itself")
        if state != "FINISHED":
            return self.send_json(400, {"error": {
                "message": "Media ID is not available", "type":
                "OAuthException", "code": 9007, "error_subcode": 2207027,
                "fbtrace_id": "AfakeplatTrace"}})
        self.pub_count("instagram:" + c["caption"])
        self.pub_answer_delay(self.server.state.pub.ig)
        if lose:  # published, but the answer never arrives
            sock = self.connection
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack("ii", 1, 0))
            sock.close()
            self.close_connection = True
            return
        self.send_json(200, {"id": mid})

    def pub_answer_delay(self, settings):
        """Answer late (settings' answer_delay_p share, _s seconds)."""
        with self.server.state.lock:
            p = float(settings.get("answer_delay_p", 0))
            s = float(settings.get("answer_delay_s", 0))
        if p > 0 and secrets.randbelow(1000) < p * 1000:
            time.sleep(min(s, 5.0))

    def ig_used(self, c):
        """A carousel going out: its items are used up (lock held)."""
        pub = self.server.state.pub
        if c["media_type"] != "CAROUSEL":
            return
        kids = [pub.containers[k] for k in c["children"]]
        for k in kids:
            k["status"] = "PUBLISHED"
        pub.carousels.append({"caption": c["caption"], "children": [
            {"media_type": k["media_type"], "url_path": k["fetch"]["url_path"],
             "status": k["fetch"]["status"], "bytes": k["fetch"]["bytes"],
             "sha256": k["fetch"]["sha256"],
             "content_type": k["fetch"]["content_type"]} for k in kids]})

    # ---- TikTok ---------------------------------------------------------
    def tt_publish_api(self, path, body):
        req = self.tt_json(body)
        if req is None:
            return self.error_tiktok("invalid_params", "bad JSON body")
        if path == "/v2/post/publish/creator_info/query/":
            return self.tt_creator()
        if path == "/v2/post/publish/video/init/":
            return self.tt_init(req)
        if path == "/v2/post/publish/content/init/":
            return self.tt_photo_init(req)
        if path == "/v2/post/publish/status/fetch/":
            return self.tt_status(req)
        self.error_tiktok("invalid_params", "unknown endpoint")

    def tt_creator(self):
        st = self.server.state
        user = st.data.get("tiktok", {}).get("user", {})
        with st.lock:
            opts = list(st.pub.tt["privacy_level_options"])
        self.tt_ok({"creator_avatar_url": user.get("avatar_url", ""),
                    "creator_username": user.get("username", "fakecreator"),
                    "creator_nickname": user.get("display_name", ""),
                    "privacy_level_options": opts,
                    "comment_disabled": False, "duet_disabled": False,
                    "stitch_disabled": False,
                    "max_video_post_duration_sec": 600})

    def tt_plan_error(self, size, chunk, count):
        """TikTok's chunk rules; None when the plan follows them."""
        if not all(isinstance(v, int) for v in (size, chunk, count)) or \
                size <= 0 or chunk <= 0:
            return "video_size, chunk_size, total_chunk_count: integers"
        if size < 5 * MIB and (chunk != size or count != 1):
            return "a video under 5 MB is one chunk of its size"
        if size > 64 * MIB and count < 2:
            return "a video over 64 MB needs several chunks"
        if count == 1 and chunk == size:
            return None
        if chunk < 5 * MIB or chunk > 64 * MIB:
            return "chunk_size must be 5 MB to 64 MB"
        if count != size // chunk or count > 1000:
            return "total_chunk_count must be video_size / chunk_size " \
                   "rounded down (at most 1000)"
        if size - (count - 1) * chunk > 128 * MIB:
            return "the last chunk may be at most 128 MB"
        return None

    def tt_init(self, req):
        st = self.server.state
        pi = req.get("post_info") or {}
        si = req.get("source_info") or {}
        with st.lock:
            err = st.pub.tt["post_error"]
            st.pub.tt["post_error"] = ""
            opts = list(st.pub.tt["privacy_level_options"])
        if err:
            return self.error_tiktok(err)
        if not isinstance(pi.get("title"), str) or \
                pi.get("privacy_level") not in opts:
            return self.error_tiktok("invalid_params", "post_info.title and "
                                     "a privacy_level of creator_info are "
                                     "required")
        if si.get("source") != "FILE_UPLOAD":
            return self.error_tiktok("invalid_params", "source must be "
                                     "FILE_UPLOAD")
        size, chunk, count = (si.get("video_size"), si.get("chunk_size"),
                              si.get("total_chunk_count"))
        why = self.tt_plan_error(size, chunk, count)
        if why:
            return self.error_tiktok("invalid_params", why)
        with st.lock:
            n = st.pub.next_id
            st.pub.next_id += 1
            pid = "v_pub_file~v2-1.%d" % (7300000000 + n)
            up = "up%d" % n
            st.pub.publishes[pid] = {
                "title": pi["title"], "size": size, "chunk": chunk,
                "count": count, "next": 0, "sha": hashlib.sha256(),
                "status": "PROCESSING_UPLOAD", "polls_left": 0,
                "post_id": 7400000000000000000 + n, "chunks": 0}
            st.pub.uploads[up] = pid
        self.tt_ok({"publish_id": pid, "upload_url":
                    "http://127.0.0.1:%d/upload/tiktok/?upload_id=%s"
                    "&upload_token=%s" % (self.server.server_address[1], up,
                                          secrets.token_hex(8))})

    def tt_utf16(self, s):
        return len(s.encode("utf-16-le")) // 2

    def tt_photo_check(self, req, opts):
        """The content/init request's error, or None."""
        pi = req.get("post_info") or {}
        si = req.get("source_info") or {}
        imgs = si.get("photo_images")
        if req.get("media_type") != "PHOTO" or req.get("post_mode") not in (
                "DIRECT_POST", "MEDIA_UPLOAD"):
            return "media_type must be PHOTO and post_mode DIRECT_POST or " \
                "MEDIA_UPLOAD"
        if not isinstance(pi.get("title", ""), str) or \
                self.tt_utf16(pi.get("title", "")) > 90 or \
                not isinstance(pi.get("description", ""), str) or \
                self.tt_utf16(pi.get("description", "")) > 4000:
            return "post_info.title (at most 90 characters) and " \
                "description (at most 4000) must be strings"
        if pi.get("privacy_level") not in opts:
            return "privacy_level_option_mismatch"
        if si.get("source") != "PULL_FROM_URL":
            return "source must be PULL_FROM_URL for photos"
        if not isinstance(imgs, list) or not 1 <= len(imgs) <= 35 or \
                not all(isinstance(u, str) for u in imgs):
            return "photo_images must hold 1 to 35 URLs"
        cover = si.get("photo_cover_index", 0)
        if not isinstance(cover, int) or not 0 <= cover < len(imgs):
            return "photo_cover_index must be an index of photo_images"
        return None

    def tt_photo_init(self, req):
        st = self.server.state
        with st.lock:
            err = st.pub.tt["post_error"]
            st.pub.tt["post_error"] = ""
            opts = list(st.pub.tt["privacy_level_options"])
            verified = list(st.pub.tt["verified_url_prefixes"])
        if err:
            return self.error_tiktok(err)
        why = self.tt_photo_check(req, opts)
        if why == "privacy_level_option_mismatch":
            return self.error_tiktok(why, "The privacy level is not one of "
                                     "creator_info's privacy_level_options.")
        if why:
            return self.error_tiktok("invalid_params", why)
        imgs = req["source_info"]["photo_images"]
        if verified and not all(any(u.startswith(v) for v in verified)
                                for u in imgs):
            return self.error_tiktok("url_ownership_unverified")
        recs = [self.ig_fetch(u) for u in imgs]  # pulled like TikTok does
        pulled = all(r["status"] == 200 and r["bytes"] > 0 and
                     r["content_type"] in ("image/jpeg", "image/webp")
                     for r in recs)
        self.tt_photo_store(req, recs, pulled)

    def tt_photo_store(self, req, recs, pulled):
        st = self.server.state
        pi = req["post_info"]
        with st.lock:
            n = st.pub.next_id
            st.pub.next_id += 1
            pid = "p_pub_url~v2.%d" % (7300000000 + n)
            final = st.pub.tt["final_status"] if pulled else "FAILED"
            p = st.pub.publishes[pid] = {
                "photo": True, "title": pi.get("title", ""),
                "description": pi.get("description", ""),
                "privacy_level": pi["privacy_level"],
                "cover": req["source_info"].get("photo_cover_index", 0),
                "images": recs, "size": 0, "chunk": 0, "count": 0,
                "chunks": 0, "next": 0, "sha256": "", "status": "UPLOADED",
                "polls_left": int(st.pub.tt["processing_polls"]),
                "final": final, "post_id": 7400000000000000000 + n,
                "fail_reason": st.pub.tt["fail_reason"] if pulled else
                "photo_pull_failed"}
            lose = st.pub.tt["lose_photo_answer"] > 0
            if lose:
                st.pub.tt["lose_photo_answer"] -= 1
            if final == "PUBLISH_COMPLETE":
                st.count_publish("tiktok", p["title"])
                st.data.setdefault("tiktok", {}).setdefault(
                    "videos", []).append({
                        "id": str(p["post_id"]), "title": p["title"],
                        "video_description": p["description"],
                        "create_time": int(time.time())})
        self.pub_answer_delay(st.pub.tt)
        if lose:  # the post goes out, the answer never arrives
            sock = self.connection
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack("ii", 1, 0))
            sock.close()
            self.close_connection = True
            return
        self.tt_ok({"publish_id": pid})

    def pub_route_public(self, method, path, q):
        """The upload URL carries its own token (no bearer)."""
        if not self.pub_streams_body(method, path):
            return False
        st = self.server.state
        with st.lock:
            pid = st.pub.uploads.get(q.get("upload_id", ""))
            p = st.pub.publishes.get(pid)
        if p is None:
            self.send_json(404, {"error": {"code": "not_found",
                                           "message": "unknown upload"}})
            return True
        self.tt_chunk(p)
        return True

    def tt_chunk(self, p):
        rng = self.headers.get("Content-Range", "")
        try:
            unit, spec = rng.split(" ", 1)
            span, total = spec.split("/")
            a, b = (int(x) for x in span.split("-"))
            total = int(total)
            n = int(self.headers.get("Content-Length", "-1"))
        except ValueError:
            self.close_connection = True
            return self.send_json(400, {"error": {
                "code": "invalid_params", "message": "bad Content-Range"}})
        i = p["chunks"]
        want_len = p["chunk"] if i + 1 < p["count"] else \
            p["size"] - (p["count"] - 1) * p["chunk"]
        bad = None
        if unit != "bytes" or total != p["size"]:
            bad = "Content-Range total must be video_size"
        elif a != p["next"] or b - a + 1 != want_len or n != want_len:
            bad = "chunk %d must be bytes %d-%d" % (i, p["next"],
                                                    p["next"] + want_len - 1)
        elif self.headers.get("Content-Type") not in ("video/mp4",
                                                      "video/quicktime",
                                                      "video/webm"):
            bad = "Content-Type must be a video type"
        if bad:
            self.close_connection = True
            return self.send_json(416, {"error": {
                "code": "invalid_params", "message": bad}})
        left = n
        while left > 0:
            data = self.rfile.read(min(left, 1 << 16))
            if not data:
                self.close_connection = True
                return
            p["sha"].update(data)
            left -= len(data)
        st = self.server.state
        done = False
        with st.lock:
            p["next"] = b + 1
            p["chunks"] += 1
            if p["chunks"] == p["count"]:
                done = True
                p["status"] = "UPLOADED"
                p["polls_left"] = int(st.pub.tt["processing_polls"])
                p["final"] = st.pub.tt["final_status"]
                p["fail_reason"] = st.pub.tt["fail_reason"]
                p["sha256"] = p["sha"].hexdigest()
        if done and p["final"] == "PUBLISH_COMPLETE":
            self.pub_count("tiktok:" + p["title"])
        with st.lock:
            lose = done and st.pub.tt["lose_chunk_answer"] > 0
            if lose:
                st.pub.tt["lose_chunk_answer"] -= 1
        if lose:  # the video went out, the answer never arrives
            sock = self.connection
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack("ii", 1, 0))
            sock.close()
            self.close_connection = True
            return
        self.send_raw(201 if done else 206, b"", "text/plain")

    def tt_status(self, req):
        st = self.server.state
        with st.lock:
            p = st.pub.publishes.get(req.get("publish_id"))
            if p is None:
                out = None
            else:
                if p["status"] == "UPLOADED":
                    if p["polls_left"] > 0:
                        p["polls_left"] -= 1
                    else:
                        p["status"] = p["final"]
                status = "PROCESSING_UPLOAD" if p["status"] == "UPLOADED" \
                    else p["status"]
                out = {"status": status, "uploaded_bytes": p["next"]}
                if status == "FAILED":
                    out["fail_reason"] = p["fail_reason"] or "internal"
                if status == "PUBLISH_COMPLETE":
                    out["publicaly_available_post_id"] = [p["post_id"]]
                    out["sha256"] = p["sha256"]  # fake-only, for tests
        if out is None:
            return self.error_tiktok("invalid_params", "publish_id not "
                                     "found")
        self.tt_ok(out)


# ==== end of the publishing section (pub-igtt) ==========================


class Handler(PubMixin, TwitchMixin, OuraMixin, BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fakeplat/1"

    def log_message(self, fmt, *args):  # quiet: tests read stdout
        pass

    # ---- plumbing ------------------------------------------------------
    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def read_body(self):
        n = self.headers.get("Content-Length")
        if n is None:
            return b""
        try:
            n = int(n)
        except ValueError:
            return None
        if n < 0 or n > MAX_REQUEST_BODY:
            return None
        return self.rfile.read(n)

    def send_json(self, status, obj, extra=None):
        body = json.dumps(obj).encode()
        st = self.server.state
        if st.graph_headers and urllib.parse.urlsplit(self.path).path \
                .startswith(GRAPH_VERSION_PREFIX):
            extra = dict(extra or {}, **st.graph_headers)
        self.send_raw(status, body, "application/json; charset=UTF-8", extra)

    def send_raw(self, status, body, ctype, extra=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def dispatch(self, method):
        st = self.server.state
        u = urllib.parse.urlsplit(self.path)
        path = u.path
        q = {k: v[-1] for k, v in urllib.parse.parse_qs(
            u.query, keep_blank_values=True).items()}
        if self.pub_streams_body(method, path):
            body = b""
        else:
            try:
                body = self.read_body()
            except (BrokenPipeError, ConnectionResetError):  # the client died
                self.close_connection = True
                return
        if body is None:
            self.send_json(413, {"error": "request body too large"})
            return
        if path == "/_control" and method == "POST":
            return self.control(body)
        if path == "/_stats":
            return self.send_json(200, st.stats())
        hdrs = {k: v for k, v in self.headers.items()}
        qlog = {k: v for k, v in q.items() if k != "_fault"}
        st.count(method, path, qlog, hdrs, body)
        fault = st.take_fault(method, path)
        if fault is None and "_fault" in q:
            fault = {"kind": q["_fault"]}
        if fault is not None:
            try:
                self.apply_fault(fault, path)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return
        try:
            self.route(method, path, q, body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def control(self, body):
        st = self.server.state
        try:
            req = json.loads(body or b"{}")
        except ValueError:
            return self.send_json(400, {"error": "bad JSON"})
        if not isinstance(req, dict):
            return self.send_json(400, {"error": "expected an object"})
        if req.get("reset"):
            with st.lock:
                st.reset()
        with st.lock:
            for f in req.get("faults", []):
                st.faults.append(dict(f))
            st.codes.update(req.get("oauth_codes", {}))
            if "expires_in" in req:
                st.expires_in = int(req["expires_in"])
            if "token_delay" in req:
                st.token_delay = min(float(req["token_delay"]), 10.0)
            if "graph_headers" in req:
                st.graph_headers = dict(req["graph_headers"])
            if "now" in req:
                st.now = None if req["now"] is None else int(req["now"])
            if "media_refusals" in req:
                st.data.setdefault("instagram", {})["media_refusals"] = \
                    list(req["media_refusals"])
            if "supported_metrics" in req:
                st.data.setdefault("instagram", {})["supported_metrics"] = \
                    list(req["supported_metrics"])
            if req.get("revoke_refresh"):
                st.refresh.clear()
            for t in req.get("revoke_access", []):
                st.tokens.discard(t)
            self.pub_control(req)
            self.tw_control(req)
            self.oura_control(req)
            for t in req.get("access_tokens", []):
                st.tokens.add(t)
                st.enforce_tokens = True
            st.hidden.update(str(i) for i in req.get("hide", []))
            st.hidden.difference_update(str(i) for i in req.get("unhide", []))
            if "yt_complete_delay" in req:
                st.yt_complete_delay = req["yt_complete_delay"]
        self.send_json(200, {"ok": True, "faults": len(st.faults)})

    # ---- faults --------------------------------------------------------
    def platform_of(self, path):
        if path.startswith(HELIX):
            return "twitch"
        if path.startswith(OURA_PREFIX):
            return "oura"
        if path.startswith("/youtube"):
            return "youtube"
        if path.startswith("/v2/"):
            return "tiktok"
        return "instagram"

    def apply_fault(self, f, path):
        kind = f.get("kind")
        sock = self.connection
        if kind == "refuse":
            sock.shutdown(socket.SHUT_RDWR)
        elif kind == "reset":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack("ii", 1, 0))
            sock.close()
        elif kind == "hang":
            self.server.stopping.wait(float(f.get("seconds", 30)))
        elif kind == "slow":
            self.fault_slow(f)
        elif kind == "truncate":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"items": [')
            self.wfile.flush()
            sock.shutdown(socket.SHUT_RDWR)
        elif kind == "status":
            self.fault_status(f)
        elif kind == "malformed":
            self.send_raw(200, b'{"items": [{"id": "x", ', "application/json")
        elif kind == "wrong_shape":
            self.send_json(200, f.get("body", {"unexpected": [1, 2, 3]}))
        elif kind == "oversized":
            self.fault_oversized(f)
        elif kind == "expired_token":
            self.error_expired(path)
        elif kind == "quota":
            self.error_youtube(403, "quotaExceeded", "youtube.quota",
                               "The request cannot be completed because "
                               "you have exceeded your <a href=\"/youtube"
                               "/v3/getting-started#quota\">quota</a>.")
        elif kind == "graph_error":  # "headers": e.g. the usage headers
            self.error_graph(int(f.get("code", 4)), f.get("status"),
                             extra=f.get("headers"))
        elif kind == "tiktok_error":
            self.error_tiktok(f.get("code", "rate_limit_exceeded"))
        else:
            self.send_json(400, {"error": "fakeplat: unknown fault %r" % kind})

    def fault_slow(self, f):
        body = json.dumps(f.get("body", {"items": []})).encode()
        gap = float(f.get("interval", 0.5))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for i in range(len(body)):
            self.wfile.write(body[i:i + 1])
            self.wfile.flush()
            if self.server.stopping.wait(gap):
                return

    def fault_status(self, f):
        status = int(f.get("status", 500))
        extra = {}
        if "retry_after" in f:
            extra["Retry-After"] = str(f["retry_after"])
        for k, v in f.get("headers", {}).items():
            extra[k] = v
        body = f.get("body", {"error": {"code": status,
                                        "message": "fakeplat fault"}})
        self.send_json(status, body, extra)

    def fault_oversized(self, f):
        size = int(f.get("size", 16 << 20))
        honest = f.get("content_length", False)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if honest:
            self.send_header("Content-Length", str(size))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        chunk = b" " * 65536
        sent = 0
        while sent < size:
            n = min(len(chunk), size - sent)
            self.wfile.write(chunk[:n])
            sent += n
        with self.server.state.lock:
            self.server.state.oversized_sent += sent

    def error_expired(self, path):
        p = self.platform_of(path)
        if p == "youtube":
            self.send_json(401, {"error": {
                "code": 401,
                "message": "Request had invalid authentication credentials. "
                           "Expected OAuth 2 access token, login cookie or "
                           "other valid authentication credential.",
                "errors": [{"message": "Invalid Credentials",
                            "domain": "global", "reason": "authError",
                            "location": "Authorization",
                            "locationType": "header"}],
                "status": "UNAUTHENTICATED"}},
                {"WWW-Authenticate": 'Bearer realm="https://accounts.'
                                     'google.com/", error="invalid_token"'})
        elif p == "tiktok":
            self.error_tiktok("access_token_invalid")
        elif p == "twitch":
            self.tw_expired()
        elif p == "oura":
            self.oura_expired()
        else:
            self.error_graph(190, 401)

    def error_youtube(self, status, reason, domain, message):
        self.send_json(status, {"error": {
            "code": status, "message": message,
            "errors": [{"message": message, "domain": domain,
                        "reason": reason}]}})

    def error_graph(self, code, status=None, message=None, extra=None):
        msg, sub = GRAPH_ERRORS.get(code, ("(#%d) Error" % code, None))
        err = {"message": message or msg, "type": "OAuthException",
               "code": code, "fbtrace_id": "AfakeplatTrace" + secrets.token_hex(4)}
        if sub is not None:
            err["error_subcode"] = sub
        if graph_throttle(code):
            err["is_transient"] = True
        status = int(status or (403 if graph_throttle(code) else 400))
        self.send_json(status, {"error": err}, extra)

    def error_tiktok(self, code, message=None):
        status, msg = TIKTOK_ERRORS.get(code, (400, "error"))
        self.send_json(status, {"data": {}, "error": {
            "code": code, "message": message or msg,
            "log_id": "2026112400000FAKEPLAT" + secrets.token_hex(3)}})

    # ---- routing -------------------------------------------------------
    def authorized(self, q):
        st = self.server.state
        auth = self.headers.get("Authorization", "")
        tok = auth[7:] if auth.startswith("Bearer ") else q.get("access_token")
        with st.lock:
            if not st.enforce_tokens:
                return True
            return tok is not None and tok in st.tokens

    def route(self, method, path, q, body):
        if path.startswith(IG_LOGIN_PREFIX):  # as graph.instagram.com and
            path = path[len(IG_LOGIN_PREFIX) - 1:]  # api.instagram.com
        if path.startswith(GRAPH_VERSION_PREFIX) and path.endswith(
                "/oauth/access_token"):  # Graph: /v21.0/oauth/access_token
            path = "/oauth/access_token"
        if path in ("/token", "/oauth/access_token", "/v2/oauth/token/"):
            if method != "POST":
                return self.send_json(405, {"error": "method not allowed"})
            return self.oauth(path, body)
        if path == TOKEN_PATH and method == "POST":  # id.twitch.tv
            return self.tw_token(body)
        if path == OURA_TOKEN_PATH and method == "POST":  # api.ouraring.com
            return self.oura_token_endpoint(body)
        if path in ("/access_token", "/refresh_access_token") and \
                method == "GET":  # Instagram Login: graph.instagram.com
            return self.ig_long_lived(path, q)
        if self.pub_route_public(method, path, q):
            return
        if not self.authorized(q):
            return self.error_expired(path)
        if self.pub_route(method, path, q, body):
            return
        if path == YT_UPLOAD_PATH:
            return self.yt_upload(method, q, body)
        if path.startswith("/youtube/v3/") and method == "GET":
            return self.youtube(path[len("/youtube/v3/"):], q)
        if path in ("/youtubeAnalytics/v2/reports", "/v2/reports") and \
                method == "GET":  # real: youtubeanalytics.googleapis.com/v2/reports
            return self.yt_analytics(q)
        if path.startswith(OURA_PREFIX):
            return self.oura(method, path, q)
        if path.startswith("/v2/"):
            return self.tiktok(method, path, q, body)
        if path.startswith(HELIX):
            return self.helix(method, path, q)
        if path.startswith(GRAPH_VERSION_PREFIX) and method == "GET":
            return self.graph(path, q)
        self.send_json(404, {"error": {"code": 404, "message": "Not Found"}})

    # ---- YouTube -------------------------------------------------------
    def yt_parts(self, q):
        parts = [p for p in q.get("part", "").split(",") if p]
        if not parts:
            self.error_youtube(400, "required", "global",
                               "Required parameter: part")
        return parts

    def yt_list(self, kind, items, next_tok=None, total=None, per_page=None):
        out = {"kind": "youtube#%sListResponse" % kind,
               "etag": "fakeplat-" + kind}
        if next_tok:
            out["nextPageToken"] = next_tok
        out["pageInfo"] = {"totalResults": total if total is not None
                           else len(items),
                           "resultsPerPage": per_page or len(items)}
        out["items"] = items
        self.send_json(200, out)

    def yt_resource(self, res, parts):
        return pick(res, parts, ("kind", "etag", "id"))

    def youtube(self, what, q):
        yt = self.server.state.data.get("youtube", {})
        parts = self.yt_parts(q)
        if not parts:
            return
        if what == "channels":
            ch = yt.get("channel")
            ok = q.get("mine") == "true" or (ch and q.get("id") == ch["id"])
            items = [self.yt_resource(ch, parts)] if ch and ok else []
            return self.yt_list("channel", items, per_page=5)
        if what == "videos":
            ids = [i for i in q.get("id", "").split(",") if i]
            if len(ids) > 50:
                return self.error_youtube(400, "invalidFilters", "youtube.parameter",
                                          "Too many video ids (max 50)")
            by_id = {v["id"]: v for v in yt.get("videos", [])
                     if v["id"] not in self.server.state.hidden}
            items = [self.yt_resource(by_id[i], parts) for i in ids
                     if i in by_id]
            return self.yt_list("video", items)
        if what == "playlistItems":
            return self.yt_playlist(yt, q, parts)
        self.error_youtube(404, "notFound", "global", "Not Found")

    def yt_playlist(self, yt, q, parts):
        ch = yt.get("channel", {})
        uploads = yt.get("uploads") or ch.get("contentDetails", {}).get(
            "relatedPlaylists", {}).get("uploads")
        if q.get("playlistId") != uploads:
            return self.error_youtube(404, "playlistNotFound", "youtube.playlistItem",
                                      "The playlist identified with the "
                                      "request's playlistId parameter cannot "
                                      "be found.")
        try:
            n = int(q.get("maxResults", "5"))
        except ValueError:
            n = -1
        if n < 0 or n > 50:
            return self.error_youtube(400, "invalidParameter", "youtube.parameter",
                                      "Invalid value for maxResults")
        off = 0
        if "pageToken" in q:
            off = parse_page_token(q["pageToken"])
            if off is None:
                return self.error_youtube(400, "invalidPageToken", "youtube.parameter",
                                          "The request specifies an invalid "
                                          "page token.")
        vids = yt.get("videos", [])
        items = [self.yt_pl_item(v, uploads, off + i, parts)
                 for i, v in enumerate(vids[off:off + n])]
        nxt = page_token(off + n) if off + n < len(vids) else None
        self.yt_list("playlistItem", items, nxt, len(vids), n)

    def yt_pl_item(self, v, playlist, pos, parts):
        sn = v.get("snippet", {})
        res = {"kind": "youtube#playlistItem", "etag": "fakeplat-pli",
               "id": b64url(("%s.%s" % (playlist, v["id"])).encode()),
               "snippet": {"publishedAt": sn.get("publishedAt"),
                           "channelId": sn.get("channelId"),
                           "title": sn.get("title", ""),
                           "description": sn.get("description", ""),
                           "channelTitle": sn.get("channelTitle", ""),
                           "playlistId": playlist, "position": pos,
                           "resourceId": {"kind": "youtube#video",
                                          "videoId": v["id"]}},
               "contentDetails": {"videoId": v["id"],
                                  "videoPublishedAt": sn.get("publishedAt")}}
        return self.yt_resource(res, parts)

    def yt_analytics(self, q):
        need = ("ids", "startDate", "endDate", "metrics")
        missing = [k for k in need if not q.get(k)]
        if missing:
            return self.error_youtube(400, "required", "global",
                                      "Required parameter: " + missing[0])
        table = self.server.state.data.get("youtube", {}).get("analytics")
        if table is None:
            return self.error_youtube(400, "badRequest", "global",
                                      "Unknown identifier")
        out = dict(table)
        if q.get("dimensions") == "day" and "rows" in table:
            out["rows"] = [r for r in table["rows"]
                           if q["startDate"] <= r[0] <= q["endDate"]]
        self.send_json(200, out)

    # ---- YouTube resumable uploads (publish_youtube.c) ------------------
    # POST {YT_UPLOAD_PATH}?uploadType=resumable&part=...: JSON metadata,
    #   X-Upload-Content-Length/-Type -> 200, Location: the session URI
    #   ({YT_UPLOAD_PATH}?uploadType=resumable&upload_id=ID).
    # PUT session, Content-Range: bytes A-B/TOTAL -> 308 + Range (bytes=0-N)
    #   while incomplete; the last byte -> 200 + the video resource, after
    #   the length and SHA-256 of the bytes are checked; counted once in
    #   /_stats "published" as "youtube:<title>"; the video then shows in
    #   playlistItems and videos.list (newest first).
    # PUT session, Content-Range: bytes */TOTAL, no body: the status query
    #   (308 + Range, or 200 + the video once complete).
    # DELETE session: cancels an incomplete session (499, later PUTs 404);
    #   a complete one answers 409 and stays complete.
    # Control {"yt_complete_delay": {"p": P, "seconds": S}}: with chance P,
    #   the completing PUT is answered S seconds after the video was made
    #   (a worker killed then has published but not committed).
    def yt_upload(self, method, q, body):
        st = self.server.state
        if method == "POST":
            return self.yt_upload_start(q, body)
        uid = q.get("upload_id", "")
        with st.lock:
            sess = st.yt_sessions.get(uid)
        if sess is None or sess.get("cancelled"):
            return self.error_youtube(404, "notFound", "global",
                                      "Upload session not found or expired")
        if method == "DELETE":
            with st.lock:
                if sess["video"] is not None:
                    return self.error_youtube(409, "conflict", "global",
                                              "The upload is complete")
                sess["cancelled"] = True
            return self.send_json(499, {"error": {"code": 499,
                                                  "message": "cancelled"}})
        if method != "PUT":
            return self.send_json(405, {"error": "method not allowed"})
        return self.yt_upload_put(sess, body)

    def yt_upload_start(self, q, body):
        st = self.server.state
        if q.get("uploadType") != "resumable":
            return self.error_youtube(400, "invalidUploadType", "global",
                                      "uploadType must be resumable")
        try:
            total = int(self.headers.get("X-Upload-Content-Length", ""))
            meta = json.loads(body or b"{}")
        except ValueError:
            return self.error_youtube(400, "badRequest", "global",
                                      "X-Upload-Content-Length and a JSON "
                                      "body are required")
        sn = meta.get("snippet") if isinstance(meta, dict) else None
        if not isinstance(sn, dict) or not isinstance(sn.get("title"), str) \
                or not sn["title"] or total <= 0 or total > YT_UPLOAD_MAX:
            return self.error_youtube(400, "invalidTitle", "youtube.video",
                                      "snippet.title and a size are needed")
        uid = secrets.token_urlsafe(12)
        sess = {"id": uid, "total": total, "received": 0,
                "sha": hashlib.sha256(), "meta": meta, "video": None,
                "ctype": self.headers.get("X-Upload-Content-Type", ""),
                "cancelled": False}
        with st.lock:
            st.yt_sessions[uid] = sess
        loc = "http://127.0.0.1:%d%s?uploadType=resumable&upload_id=%s" % (
            self.server.server_address[1], YT_UPLOAD_PATH, uid)
        self.send_json(200, {}, {"Location": loc})

    def yt_range(self, sess):
        if sess["received"] == 0:
            return {}
        return {"Range": "bytes=0-%d" % (sess["received"] - 1)}

    def yt_upload_put(self, sess, body):
        st = self.server.state
        cr = self.headers.get("Content-Range", "")
        clen = int(self.headers.get("Content-Length", "0") or 0)
        if len(body) != clen:  # the client died mid-body: nothing taken
            self.close_connection = True
            return
        try:
            unit, spec = cr.split(" ", 1)
            rng, total = spec.split("/", 1)
            total = int(total)
        except ValueError:
            return self.error_youtube(400, "badContentRange", "global",
                                      "bad Content-Range: %r" % cr)
        if unit != "bytes" or total != sess["total"]:
            return self.error_youtube(400, "badContentRange", "global",
                                      "total differs from "
                                      "X-Upload-Content-Length")
        delay = 0.0
        with st.lock:
            if sess["cancelled"]:
                return self.error_youtube(404, "notFound", "global",
                                          "Upload session cancelled")
            if rng != "*" and sess["video"] is None:
                why = self.yt_take(sess, rng, body)
                if why:
                    return self.error_youtube(400, "badContentRange",
                                              "global", why)
                if sess["received"] == sess["total"]:
                    why = self.yt_finish(sess)
                    if why:
                        return self.error_youtube(400, "uploadBroken",
                                                  "global", why)
                    d = st.yt_complete_delay
                    if d and secrets.randbelow(10000) < \
                            float(d.get("p", 1)) * 10000:
                        delay = min(float(d.get("seconds", 0.2)), 60.0)
            video = sess["video"]
            headers = self.yt_range(sess)
        if video is None:
            return self.send_raw(308, b"", "text/plain", headers)
        if delay > 0:
            self.server.stopping.wait(delay)
        self.send_json(200, video)

    def yt_take(self, sess, rng, body):
        """Take bytes A-B (caller holds the lock); an error text or None."""
        try:
            a, b = (int(x) for x in rng.split("-", 1))
        except ValueError:
            return "bad range %r" % rng
        if b - a + 1 != len(body) or a > sess["received"] or \
                b >= sess["total"]:
            return "range %s does not fit (have %d of %d)" % (
                rng, sess["received"], sess["total"])
        fresh = body[sess["received"] - a:]
        sess["sha"].update(fresh)
        sess["received"] += len(fresh)
        return None

    def yt_finish(self, sess):
        """The last byte came: make the video (caller holds the lock)."""
        st = self.server.state
        meta = sess["meta"]
        sn = meta.get("snippet", {})
        status = meta.get("status", {}) if isinstance(
            meta.get("status"), dict) else {}
        yt = st.data.setdefault("youtube", {})
        ch = yt.get("channel", {})
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        vid = b64url(secrets.token_bytes(8))[:11]
        video = {"kind": "youtube#video", "etag": "fakeplat-up-" + vid,
                 "id": vid,
                 "snippet": {"publishedAt": now,
                             "channelId": ch.get("id", ""),
                             "title": sn.get("title", ""),
                             "description": sn.get("description", ""),
                             "tags": sn.get("tags", []),
                             "channelTitle": ch.get("snippet", {}).get(
                                 "title", "")},
                 "status": {"uploadStatus": "uploaded",
                            "privacyStatus": status.get("privacyStatus",
                                                        "private")},
                 "fileDetails": {"fileSize": str(sess["received"]),
                                 "sha256": sess["sha"].hexdigest()},
                 "statistics": {"viewCount": "0", "likeCount": "0",
                                "commentCount": "0"}}
        if "publishAt" in status:
            video["status"]["publishAt"] = status["publishAt"]
        sess["video"] = video
        yt.setdefault("videos", []).insert(0, video)
        st.count_publish("youtube", video["snippet"]["title"])
        return None

    # ---- Instagram Graph -----------------------------------------------
    def graph(self, path, q):
        segs = path.strip("/").split("/")[1:]  # drop the version
        ig = self.server.state.data.get("instagram", {})
        user = ig.get("user", {})
        media = {m["id"]: m for m in ig.get("media", [])}
        fields = [f for f in q.get("fields", "").split(",") if f]
        if len(segs) == 1 and segs[0] == user.get("id"):
            return self.send_json(200, pick(user, fields))
        if len(segs) == 1 and segs[0] in media:
            return self.send_json(200, pick(media[segs[0]], fields))
        if len(segs) == 2 and segs[0] == user.get("id") and segs[1] == "media":
            return self.graph_media(path, q, ig, fields)
        if len(segs) == 2 and segs[0] in media and segs[1] == "insights":
            return self.graph_insights(segs[0], q, ig)
        self.send_json(400, {"error": {
            "message": "Unsupported get request. Object with ID '%s' does "
                       "not exist, cannot be loaded due to missing "
                       "permissions, or does not support this operation."
                       % (segs[0] if segs else ""),
            "type": "GraphMethodException", "code": 100, "error_subcode": 33,
            "fbtrace_id": "AfakeplatTrace"}})

    def graph_media(self, path, q, ig, fields):
        try:
            n = int(q.get("limit", "25"))
        except ValueError:
            n = -1
        if n < 1 or n > 100:
            return self.error_graph(100, 400, "(#100) The parameter limit "
                                    "must be between 1 and 100")
        off = 0
        if "after" in q:
            off = parse_page_token(q["after"])
            if off is None:
                return self.error_graph(100, 400, "(#100) Invalid cursor")
        items = ig.get("media", [])
        page = [pick(m, fields) for m in items[off:off + n]]
        out = {"data": page}
        if page:
            paging = {"cursors": {"before": page_token(off),
                                  "after": page_token(off + len(page))}}
            if off + n < len(items):
                nq = dict(q)
                nq["after"] = page_token(off + n)
                nq.pop("access_token", None)
                paging["next"] = "http://127.0.0.1:%d%s?%s" % (
                    self.server.server_address[1], path,
                    urllib.parse.urlencode(nq))
            out["paging"] = paging
        self.send_json(200, out)

    def graph_insights(self, mid, q, ig):
        metrics = [m for m in q.get("metric", "").split(",") if m]
        supported = ig.get("supported_metrics") or [
            "reach", "views", "saved", "shares", "likes", "comments",
            "total_interactions", "profile_activity", "profile_visits",
            "follows", "ig_reels_avg_watch_time",
            "ig_reels_video_view_total_time"]
        if not metrics:
            return self.error_graph(100, 400, "(#100) The value must be a "
                                    "valid insights metric")
        for i, m in enumerate(metrics):
            if m not in supported:
                return self.error_graph(100, 400, (
                    "(#100) metric[%d] must be one of the following values: "
                    "%s" % (i, ", ".join(supported))))
        m = next(x for x in ig.get("media", []) if x["id"] == mid)
        kinds = (m.get("media_type"), m.get("media_product_type") or "FEED")
        for r in ig.get("media_refusals", []):
            if r.get("type") in kinds and r.get("metric") in metrics:
                code, text = REFUSAL_WORDINGS[r.get("wording", "product")]
                return self.error_graph(code, 400, text.replace(
                    "%s", r["metric"]))
        have = {o["name"]: o for o in ig.get("insights", {}).get(mid, [])}
        self.send_json(200, {"data": [have[m] for m in metrics if m in have]})

    # ---- TikTok --------------------------------------------------------
    def tt_ok(self, data):
        self.send_json(200, {"data": data, "error": {
            "code": "ok", "message": "",
            "log_id": "2026112400000FAKEPLAT" + secrets.token_hex(3)}})

    def tt_json(self, body):
        try:
            obj = json.loads(body or b"{}")
        except ValueError:
            return None
        return obj if isinstance(obj, dict) else None

    def tiktok(self, method, path, q, body):
        tt = self.server.state.data.get("tiktok", {})
        fields = [f for f in q.get("fields", "").split(",") if f]
        if not fields:
            return self.error_tiktok("invalid_params", "fields is required")
        if path == "/v2/user/info/" and method == "GET":
            return self.tt_ok({"user": pick(tt.get("user", {}), fields, ())})
        if path == "/v2/video/list/" and method == "POST":
            return self.tt_list(tt, fields, self.tt_json(body))
        if path == "/v2/video/query/" and method == "POST":
            return self.tt_query(tt, fields, self.tt_json(body))
        self.error_tiktok("invalid_params", "unknown endpoint")

    def tt_list(self, tt, fields, req):
        if req is None:
            return self.error_tiktok("invalid_params", "bad JSON body")
        n = req.get("max_count", 10)
        cur = req.get("cursor")
        if not isinstance(n, int) or n < 1 or n > 20:
            return self.error_tiktok("invalid_params", "max_count must be "
                                     "between 1 and 20")
        vids = sorted(tt.get("videos", []), key=lambda v: -v["create_time"])
        if cur is not None:
            if not isinstance(cur, int):
                return self.error_tiktok("invalid_params", "bad cursor")
            vids = [v for v in vids if v["create_time"] * 1000 < cur]
        page = vids[:n]
        more = len(vids) > n
        cursor = page[-1]["create_time"] * 1000 if page else (cur or 0)
        self.tt_ok({"videos": [pick(v, fields, ("id",)) for v in page],
                    "cursor": cursor, "has_more": more})

    def tt_query(self, tt, fields, req):
        ids = None
        if req is not None and isinstance(req.get("filters"), dict):
            ids = req["filters"].get("video_ids")
        if not isinstance(ids, list) or not ids or len(ids) > 20:
            return self.error_tiktok("invalid_params", "filters.video_ids "
                                     "must hold 1 to 20 ids")
        by_id = {v["id"]: v for v in tt.get("videos", [])
                 if v["id"] not in self.server.state.hidden}
        self.tt_ok({"videos": [pick(by_id[i], fields, ("id",)) for i in ids
                               if i in by_id]})

    # ---- OAuth token endpoints -----------------------------------------
    def oauth(self, path, body):
        form = {k: v[-1] for k, v in urllib.parse.parse_qs(
            body.decode("utf-8", "replace")).items()}
        style = {"/token": "google", "/oauth/access_token": "meta",
                 "/v2/oauth/token/": "tiktok"}[path]
        client = form.get("client_key" if style == "tiktok" else "client_id")
        clients = self.server.state.data.get("oauth", {}).get("clients", {})
        c = clients.get(client)
        if c is None or c.get("secret") != form.get("client_secret"):
            return self.oauth_error(style, 401, "invalid_client",
                                    "The OAuth client was not found.")
        grant = form.get("grant_type")
        delay = self.server.state.token_delay
        if delay > 0:
            self.server.stopping.wait(delay)
        if style == "meta" and grant == "authorization_code":
            style = "instagram"  # api.instagram.com takes a grant_type
        if style == "meta" and grant is None and "code" in form:
            grant = "authorization_code"  # Graph's code exchange has none
        if style == "meta" and grant == "fb_exchange_token":
            return self.meta_exchange(client, form)
        if grant == "authorization_code":
            why = self.oauth_check_code(client, form, style)
        elif grant == "refresh_token" and style != "meta":
            why = self.oauth_check_refresh(client, form)
        else:
            return self.oauth_error(style, 400, "unsupported_grant_type",
                                    "Invalid grant_type: %s" % grant)
        if isinstance(why, tuple):  # (error code, description)
            return self.oauth_error(style, 400, why[0], why[1])
        if why is not None:
            return self.oauth_error(style, 400, "invalid_grant", why)
        self.oauth_issue(style, client, grant, form)

    def meta_exchange(self, client, form):
        """grant_type=fb_exchange_token: a short-lived (or still valid
        long-lived) user token for a long-lived one, about 60 days."""
        st = self.server.state
        old = form.get("fb_exchange_token", "")
        with st.lock:
            why = st.long_lived(old)
        if why == "expired":
            return self.error_graph(190, 400, "Error validating access "
                                    "token: Session has expired on Sunday, "
                                    "06-Dec-26 01:00:00 PST. The current "
                                    "time is Monday, 07-Dec-26 01:00:00 PST.")
        if why == "unknown":
            return self.error_graph(190, 400, "Error validating access "
                                    "token: The session has been "
                                    "invalidated because the user changed "
                                    "their password or Facebook has changed "
                                    "the session for security reasons.")
        with st.lock:
            access = st.issue_long_lived()
            ttl = st.expires_in
        self.send_json(200, {"access_token": access, "token_type": "bearer",
                             "expires_in": ttl})

    def ig_long_lived(self, path, q):
        """Instagram API with Instagram Login: ig_exchange_token (short to
        long-lived, needs client_secret) and ig_refresh_token (a valid
        long-lived token at least 24 hours old for a fresh one)."""
        st = self.server.state
        grant = q.get("grant_type")
        want = "ig_exchange_token" if path == "/access_token" \
            else "ig_refresh_token"
        if grant != want:
            return self.error_graph(100, 400, "(#100) Invalid grant_type")
        if want == "ig_exchange_token":
            clients = st.data.get("oauth", {}).get("clients", {})
            if q.get("client_secret") not in [c.get("secret") for c in
                                               clients.values()]:
                return self.error_graph(101, 400, "Error validating client "
                                        "secret.")
        with st.lock:
            why = st.long_lived(q.get("access_token", ""))
        if why == "young" and want == "ig_refresh_token":
            return self.error_graph(100, 400, "(#100) The access token "
                                    "cannot be refreshed before it is 24 "
                                    "hours old")
        if why in ("unknown", "expired"):
            return self.error_graph(190, 400, "Invalid OAuth access token - "
                                    "Cannot parse access token")
        with st.lock:
            access = st.issue_long_lived()
            ttl = st.expires_in
        self.send_json(200, {"access_token": access, "token_type": "bearer",
                             "expires_in": ttl})

    def oauth_check_code(self, client, form, style="google"):
        st = self.server.state
        with st.lock:
            c = st.codes.pop(form.get("code", ""), None)  # single use
        if c is None or c.get("client_id") != client:
            return "Malformed auth code."
        if c.get("redirect_uri") and c["redirect_uri"] != form.get("redirect_uri"):
            return "Bad Request: redirect_uri mismatch"
        if c.get("expires_at", 1e18) < time.time():
            return "Authorization code is expired."
        chal = c.get("code_challenge")
        if chal is not None:
            ver = form.get("code_verifier", "")
            digest = hashlib.sha256(ver.encode()).digest()
            if style == "tiktok":
                # TikTok (Login Kit for Desktop) hex-encodes the SHA-256
                # of the verifier, unlike RFC 7636's base64url.
                if not ver or digest.hex() != chal:
                    return ("invalid_request", "Code verifier or code "
                            "challenge is invalid.")
                return None
            if not ver or b64url(digest) != chal:
                return "Invalid code verifier."
        return None

    def oauth_check_refresh(self, client, form):
        st = self.server.state
        with st.lock:
            owner = st.refresh.get(form.get("refresh_token", ""))
        if owner != client:
            return "Token has been expired or revoked."
        return None

    def oauth_issue(self, style, client, grant, form):
        st = self.server.state
        access = "fake-at-" + secrets.token_urlsafe(16)
        refresh = form.get("refresh_token")
        if grant == "authorization_code":
            refresh = "fake-rt-" + secrets.token_urlsafe(16)
        with st.lock:
            st.tokens.add(access)
            if style not in ("meta", "instagram"):
                st.refresh[refresh] = client
            ttl = st.expires_in
        if style == "google":
            out = {"access_token": access, "expires_in": ttl,
                   "scope": "https://www.googleapis.com/auth/youtube.readonly",
                   "token_type": "Bearer"}
            if grant == "authorization_code":
                out["refresh_token"] = refresh
        elif style == "meta":  # short-lived; no refresh token at Meta
            out = {"access_token": access, "token_type": "bearer",
                   "expires_in": min(ttl, 5183)}
        elif style == "instagram":  # Instagram Login: short-lived, 1 h
            out = {"data": [{
                "access_token": access,
                "user_id": st.data.get("instagram", {}).get("user", {}).get(
                    "id", ""),
                "permissions": "instagram_business_basic,"
                               "instagram_business_manage_insights"}]}
        else:
            out = {"access_token": access, "expires_in": ttl,
                   "open_id": st.data.get("tiktok", {}).get("user", {}).get(
                       "open_id", ""),
                   "refresh_expires_in": 31536000, "refresh_token": refresh,
                   "scope": "user.info.basic,video.list",
                   "token_type": "Bearer"}
        self.send_json(200, out, {"Cache-Control": "no-store"})

    def oauth_error(self, style, status, code, desc):
        if style in ("meta", "instagram"):
            err = {"message": desc, "type": "OAuthException", "code": 100,
                   "fbtrace_id": "AfakeplatTrace"}
            if code == "invalid_grant":
                err["message"] = "Error validating verification code: " + desc
                err["error_subcode"] = 36007
            return self.send_json(400, {"error": err})
        out = {"error": code, "error_description": desc}
        if style == "tiktok":
            out["log_id"] = "2026112400000FAKEPLAT"
        self.send_json(status, out)


class Server(ThreadingHTTPServer):
    """socketserver listens with a backlog of 5: clients that open a
    connection per request (libcurl does for every POST and PUT, see
    net.c set_method) overflow it, and each dropped SYN costs the client
    a 1 s retransmit. Eight publishing workers did, and spent most of
    their time waiting on connect()."""
    request_queue_size = 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="JSON data file")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--max-lifetime", type=float, default=120.0,
                    help="exit after this many seconds (default 120)")
    args = ap.parse_args()
    with open(args.data, encoding="utf-8") as fh:
        data = json.load(fh)
    srv = Server(("127.0.0.1", args.port), Handler)
    srv.daemon_threads = True
    plain_error = srv.handle_error

    def handle_error(request, address):  # a killed client is no news
        if not isinstance(sys.exc_info()[1], ConnectionError):
            plain_error(request, address)
    srv.handle_error = handle_error
    srv.state = State(data)
    srv.stopping = threading.Event()

    def stop(*_):
        srv.stopping.set()
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    timer = threading.Timer(args.max_lifetime, stop)
    timer.daemon = True
    timer.start()
    print(srv.server_address[1], flush=True)
    srv.serve_forever(poll_interval=0.2)
    srv.server_close()
    os._exit(0)  # daemon handler threads (a hang fault) must not delay exit


if __name__ == "__main__":
    sys.exit(main())
