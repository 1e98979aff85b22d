#!/usr/bin/env bash
# Fail when banned calls appear in our C sources (STYLE.md rule 7).
set -uo pipefail
root=${1:-$(dirname "$0")/..}
banned='strcpy|strcat|sprintf|vsprintf|strncpy|strtok|atoi|atol|atoll|atof|sscanf|gets|localtime|gmtime|ctime|asctime|tmpnam|mktemp'
# A call is the name followed by "(" and not part of a longer identifier.
hits=$(grep -rnE --include='*.c' --include='*.h' "(^|[^A-Za-z0-9_])($banned)[[:space:]]*\(" \
        "$root/src" "$root/tests" "$root/bench" 2>/dev/null | grep -v 'check-src: allow')
if [ -n "$hits" ]; then
  echo "check-src: banned calls found (use the checked helpers in src/core):" >&2
  echo "$hits" >&2
  exit 1
fi

# Layers go one way (DESIGN.md, docs/platforms.md): what each layer under
# src/ may include from the others. A layer not listed is not checked.
declare -A may=(
  [core]='core'              # plus the platform list, below
  [net]='core net store'
  [store]='core store'
  [sources]='core sources'
  [demo]='core demo platforms'
  [platforms]='core net store sources schedule platforms'
)
bad=""
for layer in "${!may[@]}"; do
  [ -d "$root/src/$layer" ] || continue
  while IFS= read -r line; do
    file=${line%%:*}
    [[ $line =~ \#include\ \"([^\"]*)\" ]] || continue
    inc=${BASH_REMATCH[1]}
    case $inc in */*) ;; *) continue ;; esac
    [ "$layer" = core ] && [ "$inc" = platforms/list.h ] && continue
    dep=${inc%%/*}
    case " ${may[$layer]} " in *" $dep "*) ;; *) bad+="$file: $layer may not include $inc"$'\n' ;; esac
  done < <(grep -rnE --include='*.c' --include='*.h' '^#include "[a-z_]+/' "$root/src/$layer")
done
curl=$(grep -rlE --include='*.c' --include='*.h' '#include <curl/' "$root/src" | grep -v "/src/net/")
[ -n "$curl" ] && bad+="libcurl outside src/net: $curl"$'\n'
if [ -n "$bad" ]; then
  echo "check-src: a layer includes one it must not (DESIGN.md):" >&2
  printf '%s' "$bad" >&2
  exit 1
fi

# The store boundary (docs/store.md): outside src/store nothing includes a
# backend's private headers (store_impl.h, store_sqlite*.h) nor calls
# SQLite; everything goes through store.h and the area headers. Tests and
# benches may open the SQLite file to check what a backend wrote.
layer=$(grep -rnE --include='*.c' --include='*.h' \
          -e '#[[:space:]]*include[[:space:]]*[<"](store/)?(store_impl|store_sqlite[a-z_]*)\.h[>"]' \
          -e '#[[:space:]]*include[[:space:]]*<sqlite3\.h>' \
          -e '(^|[^A-Za-z0-9_])sqlite3_[a-z0-9_]+[[:space:]]*\(' \
          "$root/src" 2>/dev/null | grep -v "^$root/src/store/" \
          | grep -v 'check-src: allow')
if [ -n "$layer" ]; then
  echo "check-src: store backend used outside src/store (go through store.h's ops):" >&2
  echo "$layer" >&2
  exit 1
fi
# libpq only in the PostgreSQL backend (src/store/pg, docs/postgresql.md):
# no other file includes libpq-fe.h or calls PQ*.
pq=$(grep -rnE --include='*.c' --include='*.h' \
          -e '#[[:space:]]*include[[:space:]]*[<"](postgresql/)?libpq-fe\.h[>"]' \
          -e '(^|[^A-Za-z0-9_])PQ[a-z][A-Za-z0-9_]*[[:space:]]*\(' \
          "$root/src" 2>/dev/null | grep -v "^$root/src/store/pg/")
if [ -n "$pq" ]; then
  echo "check-src: libpq used outside src/store/pg:" >&2
  echo "$pq" >&2
  exit 1
fi
# Platform names in core code (docs/platforms.md, "Platform names left in
# core code"): outside src/platforms and src/sources no C code names a
# platform of src/platforms/list.h (PLATFORM_<ID>, "<name>", <short>_),
# and web/ names none (<name> as a word, in any case: "YouTube" too,
# as a page's text is read by people). Comments are not code: a line
# inside a comment block and /* ... */ or // ... tails are left out. A
# justified hit is listed in tools/platform-names.allow ("path needle":
# a hit in path whose line contains needle is allowed).
list=$root/src/platforms/list.h
if [ -f "$list" ]; then
  item='^PLATFORM_ITEM\(([A-Z0-9_]+), *([a-z0-9_]+), *"([a-z0-9_]+)".*'
  ids=$(sed -nE "s/$item/\1/p" "$list" | paste -sd'|')
  names=$(sed -nE "s/$item/\2/p" "$list" | paste -sd'|')
  shorts=$(sed -nE "s/$item/\3/p" "$list" | paste -sd'|')
  allow=$root/tools/platform-names.allow
  c_re="PLATFORM_($ids)([^A-Za-z0-9_]|\$)|\"($names)\"|(^|[^A-Za-z0-9_])($shorts)_"
  w_re="(^|[^A-Za-z0-9_])($names)([^A-Za-z0-9_]|\$)"
  named=""
  [ -f "$allow" ] || allow=/dev/null
  check_names() { # check_names RE ICASE FILE...: unallowed hits, comments
    local re=$1 icase=$2 gi=-rnE # left out; ICASE 1: RE matches in any case
    shift 2
    [ "$icase" = 1 ] && gi=-rniE
    named+=$(grep $gi "$re" "$@" 2>/dev/null | RE=$re IC=$icase ROOT=$root/ ALLOW=$allow awk '
      BEGIN {
        re = ENVIRON["RE"]; ic = ENVIRON["IC"] == "1"; root = ENVIRON["ROOT"]; n = 0
        while ((getline l < ENVIRON["ALLOW"]) > 0) {
          if (l ~ /^[[:space:]]*(#|$)/) continue
          split(l, w, /[[:space:]]+/); ap[n] = w[1]
          sub(/^[^[:space:]]+[[:space:]]+/, "", l); an[n++] = l
        }
      }
      {
        i = index($0, ":"); file = substr($0, 1, i - 1); rest = substr($0, i + 1)
        j = index(rest, ":"); line = substr(rest, 1, j - 1); t = substr(rest, j + 1)
        if (index(file, root) == 1) file = substr(file, length(root) + 1)
        if (file ~ /^src\/(platforms|sources)\//) next
        gsub(/\/\*.*\*\//, "", t); sub(/\/\*.*$/, "", t); sub(/\/\/.*$/, "", t)
        if (t ~ /^[[:space:]]*\*/ || (ic ? tolower(t) : t) !~ re) next
        for (k = 0; k < n; k++) if (ap[k] == file && index(t, an[k]) > 0) next
        print file ":" line ": " t
      }')$'\n'
  }
  check_names "$c_re" 0 --include='*.c' --include='*.h' "$root/src"
  [ -d "$root/web" ] && check_names "$w_re" 1 --include='*.js' --include='*.css' --include='*.html' --exclude-dir=vendor "$root/web"
  named=$(printf '%s' "$named" | sed '/^$/d')
  if [ -n "$named" ]; then
    echo "check-src: a platform named outside its own files (move it behind the descriptor, or justify it in tools/platform-names.allow and docs/platforms.md):" >&2
    printf '%s\n' "$named" >&2
    exit 1
  fi
fi
echo "check-src: ok"
