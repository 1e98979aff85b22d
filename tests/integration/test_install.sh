#!/usr/bin/env bash
# make install (cmake --install BUILD --prefix PREFIX, DESTDIR passed
# through): with PREFIX=/usr into a DESTDIR the tree holds a binary that
# runs, the unit under /lib/systemd/system naming /usr/bin/mediadash, the
# bash completion where bash-completion looks, /etc/mediadash's config;
# nothing lands outside DESTDIR; an edited config survives a reinstall;
# another prefix moves every path with it.
. "$(dirname "$0")/lib.sh"

BUILD=$(dirname "$BIN")
DEST=$TMP/dest

check "install PREFIX=/usr into DESTDIR" \
  run 0 env DESTDIR="$DEST" cmake --install "$BUILD" --prefix /usr
cp "$TMP/out" "$TMP/install.out"
check "installed binary runs --version" \
  run 0 "$DEST/usr/bin/mediadash" --version
check "--version names mediadash" contains "$TMP/out" "mediadash "
check "binary is executable by all" test "$(stat -c %a "$DEST/usr/bin/mediadash")" = 755
check "unit in /lib/systemd/system" test -s "$DEST/lib/systemd/system/mediadash.service"
check "unit runs /usr/bin/mediadash" \
  grep -q '^ExecStart=/usr/bin/mediadash .*--config /etc/mediadash/mediadash.conf' \
  "$DEST/lib/systemd/system/mediadash.service"
COMP=$DEST/usr/share/bash-completion/completions/mediadash
check "completion installed" test -s "$COMP"
check "completion registers for mediadash" contains "$COMP" "complete -F _mediadash mediadash"
check "completion is bash" bash -n "$COMP"
check "config installed in /etc/mediadash" test -f "$DEST/etc/mediadash/mediadash.conf"
# The installed config is one the binary accepts.
check "installed config loads" run 0 "$BIN" --db "$TMP/c.db" sources \
  --config "$DEST/etc/mediadash/mediadash.conf"

# Every file cmake says it installed is under DESTDIR.
outside() {
  grep -v "^-- Install configuration" "$TMP/install.out" |
    grep -E '^-- (Installing|Up-to-date|Keeping):' | grep -v -- "$DEST/" || return 0
  return 1
}
check "nothing installed outside DESTDIR" outside

# An edited config is kept on reinstall.
echo "# edited by the admin" >>"$DEST/etc/mediadash/mediadash.conf"
check "reinstall" run 0 env DESTDIR="$DEST" cmake --install "$BUILD" --prefix /usr
check "reinstall says it keeps the config" contains "$TMP/out" "Keeping: $DEST/etc/mediadash/mediadash.conf"
check "edited config kept" contains "$DEST/etc/mediadash/mediadash.conf" "# edited by the admin"

# The default PREFIX of make install, /usr/local: everything under it.
DEST2=$TMP/dest2
check "install PREFIX=/usr/local" \
  run 0 env DESTDIR="$DEST2" cmake --install "$BUILD" --prefix /usr/local
check "binary in /usr/local/bin" test -x "$DEST2/usr/local/bin/mediadash"
check "unit in /usr/local/lib/systemd/system naming /usr/local" \
  grep -q '^ExecStart=/usr/local/bin/mediadash .*--config /usr/local/etc/mediadash/mediadash.conf' \
  "$DEST2/usr/local/lib/systemd/system/mediadash.service"
check "config in /usr/local/etc" test -f "$DEST2/usr/local/etc/mediadash/mediadash.conf"
check "completion in /usr/local/share" \
  test -s "$DEST2/usr/local/share/bash-completion/completions/mediadash"
check "nothing in DESTDIR's /etc or /lib for /usr/local" \
  test ! -e "$DEST2/etc" -a ! -e "$DEST2/lib"

# make install is the same command (Makefile).
SRC=$(cd "$DATA/../.." && pwd)
check "make install runs cmake --install with PREFIX and DESTDIR" \
  grep -q 'DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"' "$SRC/Makefile"

finish
