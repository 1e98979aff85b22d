# Shared helpers for the integration tests (bash). Each test script
# sources this, calls `check` for every assertion and ends with `finish`,
# which prints "N passed, N failed" and sets the exit status.

set -u
BIN=${MEDIADASH_BIN:?MEDIADASH_BIN must name the mediadash binary}
DATA=${MEDIADASH_TEST_DATA:?}
REAL=${MEDIADASH_REALDATA:-}
TMP=$(mktemp -d /tmp/mediadash-it-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export MEDIADASH_DB="$TMP/default.db"
export HOME="$TMP/home"
mkdir -p "$HOME"

_passed=0
_failed=0

# check DESCRIPTION COMMAND...: the command must succeed.
check() {
  local what=$1
  shift
  if "$@"; then
    _passed=$((_passed + 1))
  else
    _failed=$((_failed + 1))
    echo "FAIL: $what" >&2
  fi
}

# run EXPECTED_STATUS CMD...: run, keep stdout/stderr in $TMP/out, $TMP/err.
run() {
  local want=$1
  shift
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "  '$*' exited $got, expected $want; stderr:" >&2
    sed 's/^/    /' "$TMP/err" >&2
    return 1
  fi
}

contains() { grep -qF -- "$2" "$1" || { echo "  $1 lacks: $2" >&2; sed 's/^/    /' "$1" | head -20 >&2; return 1; }; }
lacks() { ! grep -qF -- "$2" "$1" || { echo "  $1 has: $2" >&2; return 1; }; }
same_file() { cmp -s "$1" "$2" || { echo "  $1 and $2 differ" >&2; diff "$1" "$2" | head -10 >&2; return 1; }; }

finish() {
  echo "$_passed passed, $_failed failed"
  [ "$_failed" -eq 0 ]
}
