"""Twitch for fakeplat.py: Helix (api.twitch.tv/helix/...) and the
id.twitch.tv token endpoint (/oauth2/token), in the documented shapes.

Dataset key "twitch":
  {"user": {Helix user}, "channel": {Helix channel}, "followers_total": N,
   "videos": [Helix video, newest first], "clips": [Helix clip],
   "live": {"id", "title", "game_name", "started_at", "viewers": [N, ...],
            "vod": {Helix video without stream_id}, "clips": [Helix clip]}}

The live stream: GET /helix/streams answers it with viewer_count =
viewers[k] on its k-th call; once the list is used up the stream has
ended: streams answers an empty page, the live "vod" (stream_id = the
stream's id) heads the videos and the live "clips" (video_id = that VOD)
join the clips.

Every Helix answer carries Ratelimit-Limit/-Remaining/-Reset (800 a
minute). Controls (POST /_control):
  {"twitch_ratelimit": {"times": N, "reset_in": S}}  the next N answers
        say Ratelimit-Remaining: 0 and a reset S seconds away
  {"twitch_429": {"times": N, "reset_in": S}}  the next N Helix calls
        answer 429 {"error": "Too Many Requests", ...}
Faults: {"path": "/helix/...", "kind": "expired_token"} answers the Helix
401 body. Refresh tokens rotate: the old one is refused after use with
{"status": 400, "message": "Invalid refresh token"}.
"""

import json
import secrets
import time
import urllib.parse

HELIX = "/helix/"
TOKEN_PATH = "/oauth2/token"
PAGE_MAX = 100


class TwitchState:
    def __init__(self):
        self.stream_calls = 0
        self.ratelimit = None  # {"times", "reset_in"}
        self.too_many = None   # {"times", "reset_in"}


class TwitchMixin:
    """Mixed into fakeplat's Handler: self.server.state, send_json."""

    def tw_state(self):
        st = self.server.state
        if not hasattr(st, "tw"):
            st.tw = TwitchState()
        return st.tw

    def tw_control(self, req):
        tw = self.tw_state()
        if "twitch_ratelimit" in req:
            tw.ratelimit = dict(req["twitch_ratelimit"])
        if "twitch_429" in req:
            tw.too_many = dict(req["twitch_429"])
        if req.get("reset"):
            self.server.state.tw = TwitchState()

    def tw_take(self, name):
        """A pending control's reset_in when it applies now, else None."""
        tw = self.tw_state()
        c = getattr(tw, name)
        if not c or c.get("times", 1) <= 0:
            return None
        c["times"] = c.get("times", 1) - 1
        return float(c.get("reset_in", 2))

    def tw_headers(self):
        with self.server.state.lock:
            wait = self.tw_take("ratelimit")
        now = time.time()
        if wait is not None:
            return {"Ratelimit-Limit": "800", "Ratelimit-Remaining": "0",
                    "Ratelimit-Reset": str(int(now + wait + 0.999))}
        return {"Ratelimit-Limit": "800", "Ratelimit-Remaining": "799",
                "Ratelimit-Reset": str(int(now) + 60)}

    def tw_error(self, status, error, message):
        self.send_json(status, {"error": error, "status": status,
                                "message": message}, self.tw_headers())

    def tw_expired(self):
        self.tw_error(401, "Unauthorized", "Invalid OAuth token")

    def tw_data(self):
        return self.server.state.data.get("twitch", {})

    # ---- Helix ------------------------------------------------------
    def helix(self, method, path, q):
        if method != "GET":
            return self.tw_error(405, "Method Not Allowed", "GET only")
        if not self.headers.get("Client-Id"):
            return self.tw_error(401, "Unauthorized",
                                 "Client ID is missing")
        with self.server.state.lock:
            wait = self.tw_take("too_many")
        if wait is not None:
            return self.send_json(429, {"error": "Too Many Requests",
                                        "status": 429, "message": ""},
                                  {"Ratelimit-Limit": "800",
                                   "Ratelimit-Remaining": "0",
                                   "Ratelimit-Reset":
                                       str(int(time.time() + wait + 0.999))})
        what = path[len(HELIX):]
        tw = self.tw_data()
        user = tw.get("user", {})
        if what == "users":
            return self.tw_send({"data": [user]})
        if what == "channels":
            return self.tw_send({"data": [tw.get("channel", {})]})
        if what == "channels/followers":
            if q.get("broadcaster_id") != user.get("id"):
                return self.tw_error(400, "Bad Request",
                                     "The ID in broadcaster_id must match "
                                     "the user ID found in the request's "
                                     "OAuth token.")
            n = tw.get("followers_total", 0)
            first = [{"user_id": "11111", "user_name": "UserDisplayName",
                      "user_login": "userloginname",
                      "followed_at": "2026-11-24T22:22:08Z"}] if n else []
            return self.tw_send({"total": n, "data": first,
                                 "pagination": {"cursor": "offset:1"}
                                 if n > 1 else {}})
        if what == "streams":
            return self.tw_send({"data": self.tw_stream(), "pagination": {}})
        if what == "videos":
            return self.tw_page(self.tw_videos(), q)
        if what == "clips":
            return self.tw_page(self.tw_clips(), q)
        self.tw_error(404, "Not Found", "unknown endpoint")

    def tw_send(self, body):
        self.send_json(200, body, self.tw_headers())

    def tw_ended(self):
        live = self.tw_data().get("live")
        return live is not None and \
            self.tw_state().stream_calls >= len(live.get("viewers", []))

    def tw_stream(self):
        tw = self.tw_data()
        live, user = tw.get("live"), tw.get("user", {})
        with self.server.state.lock:
            k = self.tw_state().stream_calls
            if live is None or k >= len(live.get("viewers", [])):
                return []
            self.tw_state().stream_calls += 1
        return [{"id": live["id"], "user_id": user.get("id"),
                 "user_login": user.get("login"),
                 "user_name": user.get("display_name"), "game_id": "1",
                 "game_name": live.get("game_name", ""), "type": "live",
                 "title": live.get("title", ""),
                 "viewer_count": live["viewers"][k],
                 "started_at": live["started_at"], "language": "en",
                 "thumbnail_url": "https://static-cdn.jtvnw.net/previews-"
                                  "ttv/live_user_x-{width}x{height}.jpg",
                 "tag_ids": [], "tags": ["English"], "is_mature": False}]

    def tw_videos(self):
        tw = self.tw_data()
        vids = list(tw.get("videos", []))
        if self.tw_ended():
            vod = dict(tw["live"]["vod"])
            vod["stream_id"] = tw["live"]["id"]
            vids.insert(0, vod)
        return vids

    def tw_clips(self):
        tw = self.tw_data()
        clips = list(tw.get("clips", []))
        if self.tw_ended():
            clips = list(tw["live"].get("clips", [])) + clips
        return clips

    def tw_page(self, items, q):
        try:
            first = max(1, min(PAGE_MAX, int(q.get("first", "20"))))
            start = int(urllib.parse.unquote(q["after"]).split(":")[1]) \
                if q.get("after") else 0
        except (ValueError, IndexError):
            return self.tw_error(400, "Bad Request", "Invalid cursor")
        page = items[start:start + first]
        body = {"data": page, "pagination": {}}
        if start + first < len(items):
            body["pagination"]["cursor"] = "offset:%d" % (start + first)
        self.tw_send(body)

    # ---- id.twitch.tv -------------------------------------------------
    def tw_token(self, body):
        st = self.server.state
        form = {k: v[-1] for k, v in urllib.parse.parse_qs(
            body.decode("utf-8", "replace")).items()}
        clients = st.data.get("oauth", {}).get("clients", {})
        c = clients.get(form.get("client_id"))
        if c is None:
            return self.send_json(400, {"status": 400,
                                        "message": "invalid client"})
        if c.get("secret") != form.get("client_secret"):
            return self.send_json(403, {"status": 403,
                                        "message": "invalid client secret"})
        grant = form.get("grant_type")
        if grant == "client_credentials":  # an app access token
            return self.tw_issue(None, form, app=True)
        if grant == "authorization_code":
            why = self.oauth_check_code(form["client_id"], form)
            if why is not None:
                return self.send_json(400, {"status": 400, "message":
                                            "Invalid authorization code"})
            return self.tw_issue(None, form)
        if grant == "refresh_token":
            old = form.get("refresh_token", "")
            with st.lock:
                owner = st.refresh.pop(old, None)  # rotated: single use
            if owner != form["client_id"]:
                return self.send_json(400, {"status": 400, "message":
                                            "Invalid refresh token"})
            return self.tw_issue(old, form)
        self.send_json(400, {"status": 400, "message": "Invalid grant type"})

    def tw_issue(self, old, form, app=False):
        st = self.server.state
        access = "fake-tw-at-" + secrets.token_urlsafe(16)
        out = {"access_token": access, "token_type": "bearer"}
        with st.lock:
            st.tokens.add(access)
            out["expires_in"] = st.expires_in
            if not app:
                refresh = "fake-tw-rt-" + secrets.token_urlsafe(16)
                st.refresh[refresh] = form["client_id"]
                out["refresh_token"] = refresh
                out["scope"] = ["moderator:read:followers", "user:read:email"]
            st.tw_refreshes = getattr(st, "tw_refreshes", 0) + \
                (1 if old else 0)
        self.send_json(200, out, {"Cache-Control": "no-store"})
