"""Oura for fakeplat.py: the API v2 collections
(/v2/usercollection/<collection>) and the OAuth token endpoint
(/oauth/token, api.ouraring.com), in the documented shapes.

Dataset key "oura":
  {"page_size": N,                      documents per page (default 2)
   "daily_sleep": [doc], "daily_readiness": [doc], "daily_activity": [doc],
   "sleep": [doc], "workout": [doc], "session": [doc],
   "daily_spo2": [doc], "heartrate": [sample]}
Documents are served as given (shaped like the realdata files; sessions
and daily SpO2 like the OpenAPI file's PublicSession and PublicDailySpO2).
The daily collections, sleep, workout and session are filtered by "day" between start_date
and end_date (both inclusive; missing: no bound), heartrate by
"timestamp" between start_datetime and end_datetime. A page that is not
the last carries next_token (an opaque offset), which the next call
passes back with the same dates.

Control (POST /_control): {"oura_add": {"<collection>": [doc, ...]}}
appends documents (a day the ring synced later).

Errors come from fakeplat's faults: {"path": "/v2/usercollection/...",
"kind": "expired_token"} answers Oura's 401 {"detail": ...}; "status"
and "wrong_shape" with a body give any other answer. Refresh tokens are
single use (the answer brings the next one); GET /_state counts the
refreshes as "oura_refreshes". Every request's query is in the log.
"""

import base64
import secrets
import urllib.parse

OURA_PREFIX = "/v2/usercollection/"
OURA_TOKEN_PATH = "/oauth/token"
COLLECTIONS = ("daily_sleep", "daily_readiness", "daily_activity", "sleep",
               "workout", "session", "daily_spo2", "heartrate")


def oura_token(offset, check):
    raw = ("%d:%s" % (offset, check)).encode()
    return base64.urlsafe_b64encode(raw).decode()


class OuraMixin:
    """Mixed into fakeplat's Handler: self.server.state, send_json."""

    def oura_control(self, req):
        add = req.get("oura_add")
        if isinstance(add, dict):
            data = self.server.state.data.setdefault("oura", {})
            for k, docs in add.items():
                data.setdefault(k, []).extend(docs)

    def oura_detail(self, status, detail):
        self.send_json(status, {"detail": detail})

    def oura_expired(self):
        self.oura_detail(401, "Unauthorized")

    def oura(self, method, path, q):
        if method != "GET":
            return self.oura_detail(405, "Method Not Allowed")
        what = path[len(OURA_PREFIX):]
        if what not in COLLECTIONS:
            return self.oura_detail(404, "Not Found")
        data = self.server.state.data.get("oura", {})
        if what == "heartrate":
            lo, hi, key = q.get("start_datetime"), q.get("end_datetime"), \
                "timestamp"
        else:
            lo, hi, key = q.get("start_date"), q.get("end_date"), "day"
        docs = [d for d in data.get(what, [])
                if (lo is None or d.get(key, "")[:len(lo)] >= lo)
                and (hi is None or d.get(key, "")[:len(hi)] <= hi)]
        check = "%s|%s|%s" % (what, lo, hi)
        start = 0
        if q.get("next_token"):
            try:
                off, got = base64.urlsafe_b64decode(
                    q["next_token"].encode()).decode().split(":", 1)
                start = int(off)
            except (ValueError, UnicodeDecodeError):
                return self.oura_detail(400, "Invalid next_token")
            if got != check:
                return self.oura_detail(400, "next_token does not match "
                                        "the query")
        size = max(1, int(data.get("page_size", 2)))
        page = docs[start:start + size]
        nxt = oura_token(start + size, check) \
            if start + size < len(docs) else None
        self.send_json(200, {"data": page, "next_token": nxt})

    # ---- api.ouraring.com/oauth/token -----------------------------------
    def oura_token_endpoint(self, body):
        st = self.server.state
        form = {k: v[-1] for k, v in urllib.parse.parse_qs(
            body.decode("utf-8", "replace")).items()}
        clients = st.data.get("oauth", {}).get("clients", {})
        c = clients.get(form.get("client_id"))
        if c is None or c.get("secret") != form.get("client_secret"):
            return self.send_json(401, {"error": "invalid_client"})
        grant = form.get("grant_type")
        if grant == "authorization_code":
            if self.oauth_check_code(form["client_id"], form) is not None:
                return self.send_json(400, {"error": "invalid_grant"})
            return self.oura_issue(False, form)
        if grant == "refresh_token":
            with st.lock:
                owner = st.refresh.pop(form.get("refresh_token", ""), None)
            if owner != form["client_id"]:
                return self.send_json(400, {"error": "invalid_grant"})
            return self.oura_issue(True, form)
        self.send_json(400, {"error": "unsupported_grant_type"})

    def oura_issue(self, refreshed, form):
        st = self.server.state
        access = "fake-oura-at-" + secrets.token_urlsafe(16)
        refresh = "fake-oura-rt-" + secrets.token_urlsafe(16)
        with st.lock:
            st.tokens.add(access)
            st.refresh[refresh] = form["client_id"]
            st.oura_refreshes = getattr(st, "oura_refreshes", 0) + \
                (1 if refreshed else 0)
            ttl = st.expires_in
        self.send_json(200, {"access_token": access, "token_type": "bearer",
                             "expires_in": ttl, "refresh_token": refresh,
                             "scope": "personal daily heartrate workout "
                                      "session spo2Daily"},
                       {"Cache-Control": "no-store"})
