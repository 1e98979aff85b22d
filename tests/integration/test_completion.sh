#!/usr/bin/env bash
# The bash completion (tools/gen-completion.sh, generated at build time
# from the binary's --help): it knows every command of main.c's table,
# and completes commands, global options, each command's options and
# subcommands, file names after FILE options and platform names, when
# sourced in bash and driven the way bash's `complete -F` drives it.
. "$(dirname "$0")/lib.sh"

SRC=$(cd "$DATA/../.." && pwd)
COMP=$(dirname "$BIN")/dist/mediadash.bash

check "completion file was generated" test -s "$COMP"
check "completion parses in bash" bash -n "$COMP"

# complete WORDS...: the completions bash would offer for the last word,
# one per line, sorted (the last word may be "" for "after a space").
complete_words() {
  bash -c '
    . "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _mediadash mediadash "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    [ ${#COMPREPLY[@]} -eq 0 ] || printf "<%s>\n" "${COMPREPLY[@]}" | sort' _ "$COMP" "$@"
}

# unwrap: each COMPREPLY entry is printed as <entry>; one entry holding
# two words (a bad word split) would fail this.
unwrap() { sed -n 's/^<\([^ ]*\)>$/\1/p; /^<.* .*>$/s/^/BAD /p'; }

# expect "WORDS" "EXPECTED (space-separated, sorted)"
expect() {
  local got words
  read -r -a words <<<"$1"
  [ "${1% }" != "$1" ] && words+=("") # "after a space": an empty word
  got=$(complete_words "${words[@]}" | unwrap | tr '\n' ' ' | sed 's/ $//')
  [ "$got" = "$2" ] || { echo "  'mediadash $1': got [$got], want [$2]" >&2; return 1; }
}

# The commands main.c's table holds (cli_commands) against the completion.
main_cmds=$(sed -n '/^const struct command cli_commands\[\]/,/^};/p' "$SRC/src/cli/main.c" |
  grep -o '{"[a-z][a-z0-9-]*"' | tr -d '{"' | sort | tr '\n' ' ')
comp_cmds=$(complete_words mediadash "" | unwrap | grep -vx help | tr '\n' ' ')
check "main.c knows commands" test -n "$main_cmds"
check "every command of main.c completes, and no other" \
  test "$main_cmds" = "$comp_cmds"
check "help is offered too" expect "mediadash hel" "help"

check "a command from a prefix" expect "mediadash ser" "serve"
check "commands after a global option's value" \
  expect "mediadash --db /tmp/x.db ser" "serve"
check "global options" expect "mediadash --d" "--db"
check "global log options" expect "mediadash --log-" "--log-format --log-level"
check "serve's options" expect "mediadash serve --s" \
  "--secure-cookies --session-idle --session-max --set"
check "serve --listen" expect "mediadash -q serve --li" "--listen"
check "subcommands of accounts" expect "mediadash accounts " "remove set"
check "subcommands of post" expect "mediadash post " \
  "add cancel edit list retry show"
check "subcommands of user" expect "mediadash user " "add del list passwd"
check "options after a subcommand" expect "mediadash user add --pa" \
  "--password-file"
check "platform names" expect "mediadash content --platform " \
  "instagram tiktok twitch youtube"
check "nothing after an option taking a number" \
  expect "mediadash demo --items " ""
check "help COMMAND" expect "mediadash help rep" "report"
check "an option's fixed values" expect "mediadash demo --batch " "day hour"
check "fixed values from a prefix" expect "mediadash post add --privacy p" \
  "private public"
check "values of the subcommand's option" expect "mediadash accounts set --role " \
  "own tracked"
check "after a fixed value, options again" expect "mediadash demo --batch day --f" \
  "--force"

mkdir -p "$TMP/conf.d"
: >"$TMP/conf.d/alpha.conf"
: >"$TMP/conf.d/beta.conf"
check "file names after --config" \
  expect "mediadash serve --config $TMP/conf.d/al" "$TMP/conf.d/alpha.conf"
check "file names after --db" \
  expect "mediadash --db $TMP/conf.d/b" "$TMP/conf.d/beta.conf"
check "file names after -o" \
  expect "mediadash export snapshots -o $TMP/conf.d/a" "$TMP/conf.d/alpha.conf"

# Every long option of each command's --help is offered for it.
for c in $main_cmds; do
  want=$("$BIN" "$c" --help | grep -oE '(^|[ ,|[(])--[a-z][a-z0-9-]*' |
    sed 's/^[^-]*//' | LC_ALL=C sort -u | tr '\n' ' ' | sed 's/ $//')
  # sorted again once unwrapped: "<--db-read>" sorts before "<--db>"
  got=$(complete_words mediadash "$c" -- | unwrap | grep -- '^--' | grep -vx -- --help |
    LC_ALL=C sort -u | tr '\n' ' ' | sed 's/ $//')
  want=$(printf '%s\n' $want | grep -vx -- --help | tr '\n' ' ' | sed 's/ $//')
  check "options of $c" test "$want" = "$got"
done

finish
