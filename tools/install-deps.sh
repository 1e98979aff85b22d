#!/usr/bin/env bash
# Install the Debian 12 packages mediadash needs to build and test, only
# those missing. Used by `make run` and `make test`; safe to run again.
set -euo pipefail

packages=(
  gcc make cmake pkg-config
  tzdata  # core/tz reads /usr/share/zoneinfo
  libjansson-dev libsqlite3-dev libsodium-dev libcmocka-dev
  libmicrohttpd-dev
  libcurl4-openssl-dev  # src/net: the outbound HTTP client
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev  # media facts
                            # and thumbnails at upload (src/schedule/media_probe.c)
  ffmpeg  # tests make small sample videos and images at test time
  nodejs npm  # uPlot for the dashboard at build time (web/package-lock.json),
              # playwright-core for the browser test (tests/e2e)
  curl   # integration tests talk HTTP
  wrk    # test_http_hostile_slow floods the server from one address
  python3 # integration tests check JSON
  python3-aiosmtpd openssl  # the notification test's SMTP server, STARTTLS cert
  clang libclang-rt-14-dev  # libFuzzer targets (the runtime is only a
                            # Recommends of clang, which we do not install)
  sqlite3
  libpq-dev  # the PostgreSQL store backend (src/store/pg)
  postgresql-15  # the throwaway test cluster of the PostgreSQL tests (tests/pg)
  libsystemd-dev  # sd_notify for the unit's Type=notify (src/core/sdnotify.c)
  systemd  # systemd-analyze verify in the unit's test (tests/integration)
  dpkg-dev debhelper lintian fakeroot  # make deb (debian/, tools/make-deb.sh)
  adduser  # the .deb's postinst makes the mediadash user (deb tests)
  prometheus  # promtool checks GET /metrics (tests/integration/test_metrics.sh)
  scdoc man-db groff-base  # the man pages (man/*.scd) at build time; the
                           # test renders them with man -l and groff
  chromium fonts-dejavu-core  # the browser test (tests/e2e): headless Chromium
)

# Packages a machine may have from elsewhere: Node.js from NodeSource
# ships npm inside its nodejs package, and Debian's npm cannot be
# installed beside it. The command being there is enough.
declare -A provided_by=([nodejs]=node [npm]=npm)

missing=()
for p in "${packages[@]}"; do
  cmd=${provided_by[$p]:-}
  if [ -n "$cmd" ] && command -v "$cmd" >/dev/null; then
    continue
  fi
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
