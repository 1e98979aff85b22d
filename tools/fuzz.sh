#!/usr/bin/env bash
# Build every libFuzzer target (tests/fuzz/fuzz_*.c) with clang, ASan and
# UBSan, and run each for a short time on a corpus seeded from the test
# fixtures. Skips (exit 0, saying so) when clang is not installed.
# usage: tools/fuzz.sh BUILD_DIR SECONDS_PER_TARGET
set -euo pipefail
build=${1:-build-fuzz}
secs=${2:-20}
root=$(cd "$(dirname "$0")/.." && pwd)

if ! command -v clang >/dev/null; then
  echo "fuzz: clang not installed; fuzz targets skipped"
  exit 0
fi
CC=clang cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMEDIADASH_FUZZ=ON >/dev/null
targets=()
for src in "$root"/tests/fuzz/fuzz_*.c; do
  [ -e "$src" ] || continue
  targets+=("$(basename "$src" .c)")
done
[ ${#targets[@]} -gt 0 ] || { echo "fuzz: no targets"; exit 0; }
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

# fuzz_one TARGET: seed its corpus and run it for $secs s; the exit
# status is libFuzzer's (nonzero: it found a crash, a leak or a timeout).
fuzz_one() {
  local t=$1 corpus="$build/corpus/$1" seed n=0 f
  mkdir -p "$corpus"
  seed="$root/tests/data/${t#fuzz_}"
  [ -d "$seed" ] || seed="$root/tests/data" # fuzz_source, fuzz_platforms: all
  while IFS= read -r -d '' f; do
    cp "$f" "$corpus/seed-$n-$(basename "$f")"
    n=$((n + 1))
  done < <(find "$seed" -type f -size -1024k -print0)
  [ -d "$root/tests/fuzz/corpus/$t" ] && cp "$root/tests/fuzz/corpus/$t"/* "$corpus/" 2>/dev/null
  "$build/$t" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
    -artifact_prefix="$build/$t-" -print_final_stats=0 "$corpus" \
    >"$build/$t.log" 2>&1
}

# Each target is one process on one core: FUZZ_JOBS (default: the
# machine's cores) of them run at once, each for its full $secs seconds,
# so the phase takes targets/jobs * secs instead of targets * secs.
jobs=${FUZZ_JOBS:-$(nproc)}
echo "fuzz: ${#targets[@]} targets, ${secs}s each, $jobs at a time"
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  rm -f "$build/$t.status"
  (rc=0; fuzz_one "$t" || rc=$?; echo "$rc" >"$build/$t.status") &
  running=$((running + 1))
done
wait

status=0
for t in "${targets[@]}"; do
  echo "fuzz: $t for ${secs}s"
  if [ "$(cat "$build/$t.status" 2>/dev/null)" != 0 ]; then
    echo "fuzz: $t FAILED; see $build/$t.log and $build/$t-*" >&2
    tail -40 "$build/$t.log" >&2
    status=1
  else
    grep -E '^#[0-9]+.*(DONE|cov)' "$build/$t.log" | tail -1
  fi
done
[ $status -eq 0 ] && echo "fuzz: ${#targets[@]} passed, 0 failed" || echo "fuzz: failures"
exit $status
