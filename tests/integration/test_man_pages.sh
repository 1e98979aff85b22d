# The man pages (issue 15): mediadash(1) and mediadash.conf(5), built from
# man/*.d/*.scd by scdoc at build time (the key list of mediadash.conf(5)
# printed by the binary from its config table), render with man -l and
# groff without a warning; every command of `mediadash --help`, every
# option of every command's --help, every global option and every
# configuration key is in them.
. "$(dirname "$0")/lib.sh"

MAN_DIR=$(dirname "$BIN")/man
export MANWIDTH=80 LC_ALL=C.UTF-8

for page in mediadash.1 mediadash.conf.5; do
  check "$page built (scdoc: tools/install-deps.sh)" test -s "$MAN_DIR/$page"
  man --warnings -l "$MAN_DIR/$page" >"$TMP/$page.txt" 2>"$TMP/$page.man-err"
  check "$page: man -l exits 0" test $? = 0
  check "$page: man --warnings -l prints nothing on stderr" \
    test ! -s "$TMP/$page.man-err" || sed 's/^/    /' "$TMP/$page.man-err" >&2
  groff -ww -z -man "$MAN_DIR/$page" 2>"$TMP/$page.groff-err"
  check "$page: groff -ww -z -man prints nothing" \
    test ! -s "$TMP/$page.groff-err" || sed 's/^/    /' "$TMP/$page.groff-err" >&2
  awk 'length > 80' "$TMP/$page.txt" >"$TMP/$page.long"
  check "$page: rendered at 80 columns, none longer" test ! -s "$TMP/$page.long"
  sed 's/^/    long: /' "$TMP/$page.long" >&2
done
check "mediadash(1) has its sections" python3 -c '
import sys
t = open(sys.argv[1]).read()
missing = [s for s in ("NAME", "SYNOPSIS", "DESCRIPTION", "GLOBAL OPTIONS",
                       "COMMANDS", "ENVIRONMENT", "FILES", "EXIT STATUS",
                       "EXAMPLES", "SEE ALSO") if "\n" + s + "\n" not in t]
print(*missing, file=sys.stderr)
sys.exit(1 if missing else 0)' "$TMP/mediadash.1.txt"
check "mediadash.conf(5) says where keys come from" contains "$TMP/mediadash.conf.5.txt" "MEDIADASH_SERVE_THREADS"

# Commands and options: each command of `mediadash --help` has a section
# "## NAME" in the scdoc source of mediadash(1), and each --option its
# --help names appears in that section; the global options in GLOBAL
# OPTIONS. A new command or option without its man text fails here.
"$BIN" --help >"$TMP/help" 2>&1
check "mediadash --help" test -s "$TMP/help"
for cmd in $(awk '/^commands:/ {on=1; next} on && /^$/ {exit} on {print $1}' "$TMP/help"); do
  "$BIN" --db "$TMP/h.db" "$cmd" --help 2>&1 | sed '/^configuration keys/,$d' >"$TMP/help-$cmd"
done
python3 - "$MAN_DIR/mediadash.1.scd" "$TMP/help" "$TMP" >"$TMP/cover" 2>&1 <<'PY'
import os, re, sys
scd, main_help, tmp = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(scd).read()
sections = {}
for m in re.finditer(r"^## (\S+)\n(.*?)(?=^#{1,2} )", text + "\n# END\n", re.M | re.S):
    sections[m.group(1)] = m.group(2)
glob = re.search(r"^# GLOBAL OPTIONS\n(.*?)^# ", text, re.M | re.S).group(1)
cmds, on = [], False
for line in open(main_help):
    if line.startswith("commands:"):
        on = True
        continue
    if on and not line.strip():
        break
    if on:
        cmds.append(line.split()[0])
bad = []
opt = re.compile(r"(?<![\w-])(--[a-z][a-z-]*|-[a-z])(?![\w-])")
for c in cmds:
    if c not in sections:
        bad.append(f"command {c}: no '## {c}' section in mediadash(1)")
        continue
    for o in sorted(set(opt.findall(open(os.path.join(tmp, "help-" + c)).read()))):
        if o not in sections[c] and o not in ("-h", "--help"):
            bad.append(f"command {c}: option {o} of its --help is not in its man section")
after = open(main_help).read().split("global options:", 1)[-1].split("\n\n")[0]
for o in sorted(set(opt.findall(after))):
    if o not in glob:
        bad.append(f"global option {o} is not in GLOBAL OPTIONS")
print(f"{len(cmds)} commands checked")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
rc=$?; cat "$TMP/cover" >&2
check "every command and option of --help is in mediadash(1)" test $rc = 0

# Keys: every key of the table is in mediadash.conf(5), under its section.
"$BIN" --db "$TMP/h.db" config show >"$TMP/keys"
python3 - "$MAN_DIR/mediadash.conf.5.scd" "$TMP/keys" >"$TMP/kcover" 2>&1 <<'PY'
import re, sys
text = open(sys.argv[1]).read() + "\n# END\n"
bad, n = [], 0
for line in open(sys.argv[2]):
    key = line.split(" = ")[0]
    sec, _, name = key.rpartition(".")
    head = f"## [{sec}]" if sec else "## keys outside any section"
    m = re.search("^" + re.escape(head) + r"\n(.*?)(?=^#{1,2} )", text, re.M | re.S)
    esc = name.replace("_", "\\_")
    if not m or f"*{esc}* = " not in m.group(1):
        bad.append(f"key {key} is not in mediadash.conf(5)")
    n += 1
print(f"{n} keys checked")
print("\n".join(bad))
sys.exit(1 if bad or n < 80 else 0)
PY
rc=$?; cat "$TMP/kcover" >&2
check "every configuration key is in mediadash.conf(5)" test $rc = 0
finish
