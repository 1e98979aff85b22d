# Configuration from one table (issue 15): the committed sample file
# dist/mediadash.conf.example is exactly `mediadash config example`; it
# names every key of the table but the secrets, at their defaults; as
# shipped (all commented) and uncommented it loads and gives the same
# effective configuration as no file. serve's setting flags are keys:
# out-of-bounds values are refused naming the key and the source (file
# and line, environment variable, --set, flag); the keys from the file,
# the environment and --set reach a real server on 127.0.0.1.
. "$(dirname "$0")/lib.sh"

SRC=$(cd "$(dirname "$0")/../.." && pwd)
DB="$TMP/conf.db"
md() { "$BIN" --db "$DB" "$@"; }

# ---- the sample file and the table ----------------------------------------
check "config example runs" run 0 md config example
cp "$TMP/out" "$TMP/example.conf"
check "dist/mediadash.conf.example is the table's (regenerate: mediadash config example > dist/mediadash.conf.example)" \
  same_file "$SRC/dist/mediadash.conf.example" "$TMP/example.conf"
check "config show without a file" run 0 md config show
cp "$TMP/out" "$TMP/show-none"
check "show has every key (80 or more)" test "$(wc -l <"$TMP/show-none")" -ge 80

# Parse the sample the way a reader would: sections and commented keys.
python3 - "$TMP/example.conf" "$TMP/show-none" >"$TMP/cmp.txt" 2>&1 <<'PY'
import re, sys
example, show = sys.argv[1], sys.argv[2]
keys, section, bad = {}, "", []
for n, line in enumerate(open(example), 1):
    line = line.rstrip("\n")
    m = re.fullmatch(r"\[([a-z_]+)\]", line)
    if m:
        section = m.group(1)
        continue
    m = re.fullmatch(r"#([a-z_]+) =(?: (.*))?", line)
    if m:
        full = (section + "." if section else "") + m.group(1)
        if full in keys:
            bad.append(f"{example}:{n}: {full} twice")
        keys[full] = m.group(2) or ""
        continue
    if line and not line.startswith("# ") and line != "#":
        bad.append(f"{example}:{n}: not a comment, section or key: {line!r}")
eff = {}
for line in open(show):
    k, _, v = line.rstrip("\n").partition(" = ")
    eff[k] = v
secrets = {k for k, v in eff.items() if v in ("(set)", "(unset)")}
for k in sorted(set(eff) - secrets - set(keys)):
    bad.append(f"key {k} of the table is not in the example")
for k in sorted(set(keys) - set(eff)):
    bad.append(f"key {k} of the example is not in the table")
for k in sorted(secrets & set(keys)):
    bad.append(f"secret {k} has a line in the example")
for k in sorted(secrets):
    if k + "_file" not in keys:
        bad.append(f"secret {k} has no {k}_file key in the example")
for k, v in keys.items():
    if v and eff.get(k) != v:
        bad.append(f"{k}: example default {v!r}, effective {eff.get(k)!r}")
print(f"{len(keys)} keys, {len(secrets)} secrets")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
check "the example and the table name the same keys and defaults" test $? = 0 || cat "$TMP/cmp.txt" >&2
check "...at least the serve keys" grep -q '^#threads = 4$' "$TMP/example.conf"
check "as shipped (all commented) it loads" run 0 md config show --config "$TMP/example.conf"
check "...and changes nothing" same_file "$TMP/show-none" "$TMP/out"
sed -E 's/^#([a-z_]+ =)/\1/' "$TMP/example.conf" >"$TMP/uncommented.conf"
check "uncommented, every key is set" test "$(grep -c '^[a-z_]* =' "$TMP/uncommented.conf")" -ge 70
check "uncommented (every key at its default) it loads" run 0 md config show --config "$TMP/uncommented.conf"
check "...and gives the same configuration as no file" same_file "$TMP/show-none" "$TMP/out"
check "example and scdoc need no database" test ! -e "$DB"

# ---- bounds, named with their source ----------------------------------------
printf '[serve]\n# threads\nthreads = 65\n' >"$TMP/bad.conf"
check "file: refused" run 2 md serve --config "$TMP/bad.conf"
check "...naming file:line and key" contains "$TMP/err" "$TMP/bad.conf:3: serve.threads: expected an integer from 1 to 64, got \"65\""
check "environment: refused" run 2 env MEDIADASH_SERVE_CACHE_MB=2048 "$BIN" --db "$DB" serve
check "...naming the key and the variable" contains "$TMP/err" 'serve.cache_mb: expected an integer from 0 to 1024, got "2048" (from MEDIADASH_SERVE_CACHE_MB)'
check "--set: refused" run 2 md serve --set serve.session_idle=0
check "...naming the key and --set" contains "$TMP/err" 'serve.session_idle: expected an integer from 1 to 31622400, got "0" (--set)'
check "flag: refused" run 2 md serve --session-max 31622401
check "...naming the flag and its key" contains "$TMP/err" '--session-max: serve.session_max: expected an integer from 1 to 31622400, got "31622401"'
check "--threads x refused" run 2 md serve --threads x
check "...naming --threads" contains "$TMP/err" '--threads: serve.threads'
check "--listen without a port refused" run 2 md serve --listen 127.0.0.1:http
check "...naming --listen and HOST:PORT" contains "$TMP/err" '--listen: serve.listen: expected HOST:PORT'
check "a bad serve.listen in the file refused" run 2 md config show --set serve.listen=nowhere
check "an enum key takes only its values" run 2 md config show --set instagram.login=myspace
check "...listing them" contains "$TMP/err" 'instagram.login: expected facebook or instagram, got "myspace" (--set)'
check "a secret as --set refused" run 2 md config show --set notify.smtp_password=hunter2
check "secrets are never printed" run 0 env MEDIADASH_NOTIFY_SMTP_PASSWORD=hunter2-secret "$BIN" --db "$DB" config show
check "...(set)" contains "$TMP/out" "notify.smtp_password = (set)"
check "...not the value" lacks "$TMP/out" "hunter2-secret"
check "nothing was served or stored by a refused serve" test ! -e "$DB"

# ---- precedence: file < environment < --set and flags, in order ------------
printf '[serve]\nthreads = 3\ncache_mb = 5\nsession_idle = 60\n' >"$TMP/prec.conf"
check "show with file, env and --set" run 0 env MEDIADASH_SERVE_CACHE_MB=6 "$BIN" --db "$DB" \
  config show --config "$TMP/prec.conf" --set serve.session_idle=61
check "file" contains "$TMP/out" "serve.threads = 3"
check "environment over file" contains "$TMP/out" "serve.cache_mb = 6"
check "--set over file" contains "$TMP/out" "serve.session_idle = 61"

# ---- --help lists the serve keys from the table ----------------------------
check "serve --help" run 0 md serve --help
for k in $(grep -o '^serve\.[a-z_]*' "$TMP/show-none"); do
  check "serve --help lists $k" contains "$TMP/out" "  $k  ("
done
check "...with bounds, default and environment" contains "$TMP/out" "serve.threads  (1 to 64, default 4; env MEDIADASH_SERVE_THREADS)"
check "mediadash --help points at the settings" run 0 "$BIN" --help
check "...config show" contains "$TMP/out" "'mediadash config show'"

# ---- the keys reach a real server --------------------------------------------
# serve.listen from the file (a free port), serve.session_idle from the
# environment, serve.media_max_mb from --set, serve.collect and
# serve.worker from the file; --threads (a flag) after --set wins. serve
# logs what it runs with (at level info); the session timeouts' effect is
# test_http_auth's (its --session-idle flag sets the same key), timed
# there on a quiet server.
printf '[serve]\nlisten = 127.0.0.1:0\ncollect = 0\nworker = 0\nthreads = 64\n' >"$TMP/serve.conf"
MEDIADASH_SERVE_SESSION_IDLE=600 "$BIN" --db "$DB" --log-level info serve --config "$TMP/serve.conf" \
  --set serve.media_max_mb=1 --set serve.threads=7 --threads 2 2>"$TMP/serve.err" &
SERVER=$!
SERVERS="$SERVERS $SERVER"
PORT=""
for _ in $(seq 600); do
  PORT=$(grep -o 'http://127.0.0.1:[0-9]*' "$TMP/serve.err" | head -1 | cut -d: -f3)
  [ -n "$PORT" ] && break
  kill -0 "$SERVER" 2>/dev/null || break
  sleep 0.1
done
check "serve listens where the file says (port 0: a free one)" test -n "$PORT" || cat "$TMP/serve.err" >&2
URL="http://127.0.0.1:$PORT"
check "HTTP threads: the flag's 2, not the file's 64 or --set's 7" \
  contains "$TMP/serve.err" "serve: 2 HTTP threads, answer cache 16 MiB, sessions idle 600 s"
check "...uploads up to 1 MiB, no collector, no worker" \
  contains "$TMP/serve.err" "uploads up to 1 MiB, collector off, worker off"
check "logged in" login "$DB" "$URL"
head -c $((2 << 20)) /dev/zero >"$TMP/big.mp4"
code=$(curl -s -m 30 -o "$TMP/body" -w '%{http_code}' -b "$COOKIES" -H "Origin: $URL" \
  -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/octet-stream' \
  --data-binary @"$TMP/big.mp4" "$URL/api/v1/media?name=big.mp4")
check "serve.media_max_mb=1 from --set: a 2 MiB upload is 413" test "$code" = 413
kill "$SERVER"
wait "$SERVER"
finish
