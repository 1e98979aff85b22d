#!/usr/bin/env bash
# `make run`: load the bundled example responses into a demo database and
# show what mediadash makes of them.
# usage: tools/demo.sh MEDIADASH_BINARY DEMO_DB
set -euo pipefail
bin=$1
db=$2
root=$(cd "$(dirname "$0")/.." && pwd)

# Valid fixtures only: files meant to be refused live under */bad/.
mapfile -t files < <(find "$root/tests/data" -path '*/bad/*' -prune -o \
  -type f \( -name '*.json' -o -name '*.csv' \) -print | sort)
echo "Importing ${#files[@]} example API responses into $db ..."
# Each file as if fetched an hour after the one before (saved responses
# carry no fetch time of their own; the default would be "now" for all).
base=$(( $(date -u +%s) / 3600 * 3600 - ${#files[@]} * 3600 ))
i=0
for f in "${files[@]}"; do
  at=$(date -u -d "@$((base + i * 3600))" +%Y-%m-%dT%H:%M:%SZ)
  "$bin" --db "$db" -q import --observed-at "$at" \
    --account youtube:UCmediadashDemoChannel01 "$f" || true
  i=$((i + 1))
done
echo
echo "== Accounts"
"$bin" --db "$db" accounts
echo
echo "== Content, most viewed first"
"$bin" --db "$db" content --sort views --limit 25
echo
cat <<EOT
Try:
  $bin --db $db show <ID>                  history of one item
  $bin --db $db content --platform tiktok --json
  $bin --db $db export snapshots --format csv
  $bin --db $db export content --format jsonl
  $bin --help
EOT
