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
echo "check-src: ok"
