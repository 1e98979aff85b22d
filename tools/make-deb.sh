#!/usr/bin/env bash
# make-deb.sh BUILD DEB_DIR [JOBS]: build mediadash_VERSION_ARCH.deb into
# DEB_DIR (`make deb`), then run lintian on it (fails on errors).
#
# dpkg-buildpackage runs in DEB_DIR/src, a copy of this tree (tracked and
# untracked files, not ignored ones), so the source tree and its parent
# get no build products. The package build has no network access to rely
# on: uPlot (the dashboard's one npm dependency) comes from BUILD's `npm
# ci` (target web_deps, run here first), passed in MEDIADASH_UPLOT_DIR.
set -euo pipefail

build=${1:?usage: make-deb.sh BUILD DEB_DIR [JOBS]}
out=${2:?usage: make-deb.sh BUILD DEB_DIR [JOBS]}
jobs=${3:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

for tool in dpkg-buildpackage dh lintian fakeroot git; do
  command -v "$tool" >/dev/null ||
    { echo "make deb: $tool is missing: run tools/install-deps.sh" >&2; exit 1; }
done
# The package's version is CMake's project version.
cmake_version=$(sed -n 's/^project(mediadash VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
deb_version=$(dpkg-parsechangelog -l debian/changelog -S Version)
if [ "$cmake_version" != "$deb_version" ]; then
  echo "make deb: debian/changelog is at $deb_version but CMakeLists.txt at" \
       "$cmake_version: add a changelog entry (dch -v $cmake_version)" >&2
  exit 1
fi

echo "make deb: fetching web dependencies into $build (npm ci)" >&2
cmake -S . -B "$build" >/dev/null
cmake --build "$build" --target web_deps >/dev/null
uplot=$(cd "$build/web-deps/node_modules/uplot/dist" && pwd)

rm -rf "$out"
mkdir -p "$out/src"
out=$(cd "$out" && pwd)
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf - | tar -xf - -C "$out/src"

echo "make deb: dpkg-buildpackage in $out/src (log: $out/build.log)" >&2
if ! (cd "$out/src" &&
      MEDIADASH_UPLOT_DIR="$uplot" DEB_BUILD_OPTIONS="nocheck parallel=$jobs" \
        dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1; then
  tail -40 "$out/build.log" >&2
  echo "make deb: dpkg-buildpackage failed (whole log: $out/build.log)" >&2
  exit 1
fi
deb=$(ls "$out"/mediadash_"$deb_version"_*.deb)
echo "make deb: lintian" >&2
lintian --fail-on error --display-info "$out"/mediadash_"$deb_version"_*.changes \
  >"$out/lintian.log" 2>&1 || { cat "$out/lintian.log" >&2;
  echo "make deb: lintian found errors" >&2; exit 1; }
cat "$out/lintian.log" >&2
rm -rf "$out/src"
echo "$deb"
