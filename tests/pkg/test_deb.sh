#!/usr/bin/env bash
# test_deb.sh DEB_DIR: install the .deb `make deb` left in DEB_DIR on this
# machine (dpkg -i, as root), check what it installed and that the
# mediadash user can use it, then purge it. The machine is left as it
# was, also on failure (EXIT trap): the package purged, and the mediadash
# user, /var/lib/mediadash and /etc/mediadash removed when this test made
# them. CTest: deb.install (label deb), after deb.build.
set -u
deb_dir=${1:?usage: test_deb.sh DEB_DIR}
passed=0
failed=0
check() {
  local what=$1
  shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $what" >&2; fi
}

if [ "$(id -u)" -ne 0 ]; then
  echo "test_deb: must run as root (dpkg -i installs on this machine; CI runs as root)" >&2
  exit 1
fi
shopt -s nullglob
debs=("$deb_dir"/mediadash_*_*.deb)
if [ ${#debs[@]} -ne 1 ]; then
  echo "test_deb: expected one mediadash_*.deb in $deb_dir (make deb), found ${#debs[@]}" >&2
  exit 1
fi
deb=${debs[0]}
if dpkg-query -W -f='${Status}' mediadash 2>/dev/null | grep -q installed; then
  echo "test_deb: mediadash is already installed here; not touching it (dpkg --purge mediadash first)" >&2
  exit 1
fi

had_user=no had_group=no had_state=no had_etc=no
getent passwd mediadash >/dev/null && had_user=yes
getent group mediadash >/dev/null && had_group=yes
[ -e /var/lib/mediadash ] && had_state=yes
[ -e /etc/mediadash ] && had_etc=yes
TMP=$(mktemp -d /tmp/mediadash-deb-XXXXXX)
restore() {
  dpkg --purge mediadash >/dev/null 2>&1
  [ $had_state = no ] && rm -rf /var/lib/mediadash
  [ $had_etc = no ] && rm -rf /etc/mediadash
  [ $had_user = no ] && getent passwd mediadash >/dev/null && userdel mediadash
  [ $had_group = no ] && getent group mediadash >/dev/null && groupdel mediadash
  rm -rf "$TMP"
}
trap restore EXIT

version=$(dpkg-deb -f "$deb" Version)
echo "test_deb: installing $deb ($version)"
check "dpkg -i" dpkg -i "$deb"
check "package installed" sh -c 'dpkg-query -W -f="\${Status}" mediadash | grep -q "install ok installed"'
check "mediadash --version" sh -c "/usr/bin/mediadash --version | tee $TMP/version | grep -q '^mediadash $version'"
cat "$TMP/version"
check "mediadash on PATH is the package's" test "$(command -v mediadash)" = /usr/bin/mediadash

# The system user and its state directory.
check "mediadash user exists" getent passwd mediadash
uid=$(id -u mediadash 2>/dev/null || echo 99999)
check "mediadash is a system user (uid < 1000)" test "$uid" -lt 1000
check "mediadash cannot log in" sh -c 'getent passwd mediadash | grep -Eq ":(/usr/sbin/nologin|/bin/false)$"'
check "/var/lib/mediadash owned by mediadash, 0750" \
  test "$(stat -c '%U:%G %a' /var/lib/mediadash)" = "mediadash:mediadash 750"

# The unit, installed but neither enabled nor started.
unit=/lib/systemd/system/mediadash.service
check "unit installed" test -s "$unit"
check "unit not enabled" test ! -e /etc/systemd/system/multi-user.target.wants/mediadash.service
check "systemd-analyze verify on the installed unit" \
  sh -c "systemd-analyze verify --man=no $unit 2>$TMP/verify; test ! -s $TMP/verify"
[ -s "$TMP/verify" ] && cat "$TMP/verify" >&2
check "bash completion installed" test -s /usr/share/bash-completion/completions/mediadash
check "/etc/mediadash/mediadash.conf is a conffile" \
  sh -c "dpkg-query -W -f='\${Conffiles}' mediadash | grep -q ' /etc/mediadash/mediadash.conf '"

# The mediadash user uses it (as the unit would, without systemctl).
check "demo as the mediadash user" \
  runuser -u mediadash -- mediadash --db /var/lib/mediadash/x.db demo --items 5 --days 2
check "database owned by mediadash" test "$(stat -c %U /var/lib/mediadash/x.db)" = mediadash
# --items 5 makes the posted content; the demo's Twitch streams (with their
# VODs and clips) come on top, from the days the demo covers.
check "5 items stored, and streams" sh -c "runuser -u mediadash -- mediadash --db /var/lib/mediadash/x.db content --limit 0 --json |
  python3 -c 'import json,sys; d=json.load(sys.stdin); items=d[\"items\"] if isinstance(d, dict) else d; posted=[i for i in items if i[\"platform\"] != \"twitch\"]; streams=[i for i in items if i[\"kind\"] == \"stream\"]; sys.exit(0 if len(posted) == 5 and streams else 1)'"

# Purge: the program goes, the database stays (it is the user's data).
check "dpkg --purge" dpkg --purge mediadash
check "binary gone" test ! -e /usr/bin/mediadash
check "unit gone" test ! -e "$unit"
check "config gone" test ! -e /etc/mediadash/mediadash.conf
check "database kept on purge" test -s /var/lib/mediadash/x.db

restore
trap - EXIT
check "user removed again" sh -c "[ $had_user = yes ] || ! getent passwd mediadash >/dev/null"
check "/var/lib/mediadash as before" sh -c "[ $had_state = yes ] || [ ! -e /var/lib/mediadash ]"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
