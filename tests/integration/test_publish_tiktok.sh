# Publishing to TikTok against the fake (direct post): a video over 5 MiB
# in chunks (ranges and total checked by the fake, the bytes' SHA-256
# compared), published exactly once; FAILED -> failed with fail_reason;
# rate_limit_exceeded -> scheduled again, then published; a rejected
# token -> one refresh and the call again; spam_risk_too_many_posts ->
# failed; the last chunk's answer lost -> needs_check, then settled by
# asking status/fetch, published once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collect_lib.sh"
TT=tt1
check "connect tiktok" connect_one tiktok $TT tt-code
. "$(dirname "$0")/publish_lib.sh"

# 11 MiB: with 5 MiB chunks, floor(11 / 5) = 2 chunks of 5 and 6 MiB.
head -c $((11 << 20)) /dev/urandom >"$TMP/big.mp4"
head -c 100000 /dev/urandom >"$TMP/small.mp4"
upload() { fake_stat "[u['$2'] for u in s['tiktok_uploads'] if u['title'] == '$1'][-1]"; }

# --- chunked, published once ---------------------------------------------
id=$(add_post tiktok $TT "tt big one" "$TMP/big.mp4" --privacy public)
check "worker round" run 0 worker --set publish.tiktok_chunk=5242880
check "published" test "$(col "$id" state)" = published
check "published exactly once on the fake" test "$(published 'tiktok:tt big one')" = 1
check "2 chunks of 5 MiB planned" test "$(upload 'tt big one' chunks) $(upload 'tt big one' chunk_size)" = "2 5242880"
check "2 PUTs" test "$(method_count 'PUT /upload/tiktok/')" = 2
check "the uploaded bytes are the file's" test "$(upload 'tt big one' sha256)" = "$(sha_of "$TMP/big.mp4")"
check "privacy public -> PUBLIC_TO_EVERYONE" test \
  "$(fake_stat "__import__('json').loads(s['last']['/v2/post/publish/video/init/']['body'])['post_info']['privacy_level']")" = PUBLIC_TO_EVERYONE
check "remote id is the public post id" contains <(col "$id" remote_id) 74000000000000000
check "remote url" contains <(col "$id" remote_url) "https://www.tiktok.com/@demostreamer/video/74000000000000000"
check "publish_id recorded" contains <(col "$id" progress) '"publish_id":"v_pub_file~v2-1.'

# --- one chunk under 5 MiB, default privacy -------------------------------
id=$(add_post tiktok $TT "tt small" "$TMP/small.mp4")
check "worker round (small)" run 0 worker
check "small published" test "$(col "$id" state)" = published
check "one chunk of its size" test "$(upload 'tt small' chunks) $(upload 'tt small' chunk_size)" = "1 100000"
check "private -> SELF_ONLY" test \
  "$(fake_stat "__import__('json').loads(s['last']['/v2/post/publish/video/init/']['body'])['post_info']['privacy_level']")" = SELF_ONLY

# --- FAILED: failed with fail_reason ------------------------------------------
control '{"tiktok_publish": {"final_status": "FAILED", "fail_reason": "file_format_check_failed"}}'
id=$(add_post tiktok $TT "tt fails" "$TMP/small.mp4")
check "worker round (FAILED)" run 0 worker
check "failed" test "$(col "$id" state)" = failed
check "with fail_reason" contains <(col "$id" last_error) "failed: file_format_check_failed"
check "not counted as published" test "$(published 'tiktok:tt fails')" = 0
control '{"tiktok_publish": {"final_status": "PUBLISH_COMPLETE"}}'

# --- rate_limit_exceeded: later, then published --------------------------------
control '{"faults": [{"path": "/v2/post/publish/video/init/", "kind": "tiktok_error", "code": "rate_limit_exceeded"}]}'
id=$(add_post tiktok $TT "tt rate limited" "$TMP/small.mp4")
check "round 1" run 0 worker
check "scheduled again" test "$(col "$id" state)" = scheduled
check "saying why" contains <(col "$id" last_error) "rate_limit_exceeded"
check "with a backoff" test "$(col "$id" "publish_at > strftime('%s','now') + 20")" = 1
due_now "$id"
check "round 2" run 0 worker
check "then published" test "$(col "$id" state)" = published
check "once" test "$(published 'tiktok:tt rate limited')" = 1

# --- access_token_invalid: one refresh, the call again -------------------------
refreshes=$(method_count 'POST /v2/oauth/token/')
control '{"faults": [{"path": "/v2/post/publish/video/init/", "kind": "tiktok_error", "code": "access_token_invalid"}]}'
id=$(add_post tiktok $TT "tt token" "$TMP/small.mp4")
check "round (token)" run 0 worker
check "published in one round" test "$(col "$id" state)" = published
check "after one refresh" test "$(method_count 'POST /v2/oauth/token/')" = $((refreshes + 1))

# --- spam_risk_too_many_posts: a clear failure ---------------------------------
control '{"tiktok_publish": {"post_error": "spam_risk_too_many_posts"}}'
id=$(add_post tiktok $TT "tt spam" "$TMP/small.mp4")
check "round (spam)" run 0 worker
check "failed" test "$(col "$id" state)" = failed
check "naming the code" contains <(col "$id" last_error) "spam_risk_too_many_posts"

# --- the last chunk lost on its way: needs_check, then asked ---------------
control '{"faults": [{"path": "/upload/tiktok/", "method": "PUT", "kind": "reset"}]}'
id=$(add_post tiktok $TT "tt lost chunk" "$TMP/small.mp4")
check "round (lost chunk)" run 0 worker
check "needs_check" test "$(col "$id" state)" = needs_check
check "nothing published" test "$(published 'tiktok:tt lost chunk')" = 0
check "next round" run 0 worker
check "asked (bytes missing), sent again: published" test "$(col "$id" state)" = published
check "exactly once" test "$(published 'tiktok:tt lost chunk')" = 1
check "the check said so" contains <(q "SELECT note FROM post_event WHERE post_id = $id") "the platform does not have it"

# --- the last chunk arrived, its answer lost: needs_check, then found ---------
control '{"tiktok_publish": {"lose_chunk_answer": 1, "processing_polls": 0}}'
id=$(add_post tiktok $TT "tt lost answer" "$TMP/small.mp4")
check "round (lost answer)" run 0 worker
check "needs_check" test "$(col "$id" state)" = needs_check
check "the fake published it" test "$(published 'tiktok:tt lost answer')" = 1
puts=$(method_count 'PUT /upload/tiktok/')
check "next round" run 0 worker
check "found: published" test "$(col "$id" state)" = published
check "with the post id" contains <(col "$id" remote_id) 740000000000000
check "no second upload" test "$(method_count 'PUT /upload/tiktok/')" = "$puts"
check "still once" test "$(published 'tiktok:tt lost answer')" = 1
control '{"tiktok_publish": {"processing_polls": 1}}'

# --- still processing after the polls of a round: the next round polls ----
# (5 polls answered PROCESSING_UPLOAD: 3 in round 1, 2 in round 2)
control '{"tiktok_publish": {"processing_polls": 5}}'
id=$(add_post tiktok $TT "tt processing" "$TMP/small.mp4")
check "round (processing)" run 0 worker
check "scheduled, still processing" test "$(col "$id" state)" = scheduled
check "says so" contains <(col "$id" last_error) "still processing publish"
puts=$(method_count 'PUT /upload/tiktok/')
due_now "$id"
check "round 2 (processing)" run 0 worker
check "published" test "$(col "$id" state)" = published
check "without a second upload" test "$(method_count 'PUT /upload/tiktok/')" = "$puts"
check "once" test "$(published 'tiktok:tt processing')" = 1
finish
