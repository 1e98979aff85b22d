#!/usr/bin/env bash
# Does tools/check-src.sh catch what it should? Each case is a tiny tree:
# the store boundary (sqlite3 and the backend's private headers only in
# src/store, libpq only in src/store/pg), one banned call, and platform
# names outside src/platforms (with the allow-list, ALLOW=). Exits
# non-zero naming the case missed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/mediadash-checksrc-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
bad=0
tree() { # tree NAME FILE TEXT: a root with src/store using SQLite, plus FILE
  local r=$tmp/$1
  mkdir -p "$r/src/store" "$r/src/http" "$r/tests" "$r/bench"
  printf '#include <sqlite3.h>\n#include "store/store_sqlite.h"\nint f(void){return sqlite3_close(0);}\n' \
    >"$r/src/store/store_sqlite_x.c"
  mkdir -p "$r/src/platforms/foo"
  printf 'PLATFORM_ITEM(FOO, foo, "fo", "fo.")\nPLATFORM_ITEM(BAR, bar, "br", "br.")\n' \
    >"$r/src/platforms/list.h"
  printf 'const char *n = "foo"; int x = PLATFORM_FOO;\n' >"$r/src/platforms/foo/foo.c"
  [ -n "${ALLOW:-}" ] && mkdir -p "$r/tools" && printf '%s\n' "$ALLOW" >"$r/tools/platform-names.allow"
  [ -n "$2" ] && mkdir -p "$(dirname "$r/$2")" && printf '%s\n' "$3" >"$r/$2"
  echo "$r"
}
expect() { # expect ok|fail NAME FILE TEXT
  local r out rc
  r=$(tree "$2" "$3" "$4")
  out=$(bash "$here/check-src.sh" "$r" 2>&1); rc=$?
  if [ "$1" = ok ] && [ $rc -ne 0 ]; then echo "FAIL $2: refused: $out"; bad=1; fi
  if [ "$1" = fail ] && [ $rc -eq 0 ]; then echo "FAIL $2: not caught"; bad=1; fi
}
expect ok clean "" ""
expect ok store_h src/http/a.c '#include "store/store.h"'
expect ok store_post_h src/http/a.c '#include "store/store_post.h"'
expect ok test_sqlite tests/t.c 'int g(void){return sqlite3_close(0);}'
expect fail include_sqlite_h src/http/a.c '#include "store/store_sqlite.h"'
expect fail include_sqlite_part src/cli/a.c '#include "store/store_sqlite_notify.h"'
expect fail include_impl src/schedule/a.c '#include "store/store_impl.h"'
expect fail include_sqlite3 src/analytics/a.c '#include <sqlite3.h>'
expect fail call_sqlite3 src/analytics/a.c 'int g(void){return sqlite3_exec(0,0,0,0,0);}'
expect ok pq_in_pg src/store/pg/a.c '#include <libpq-fe.h>
int g(void){PQfinish(0);return 0;}'
expect ok pq_test tests/t.c 'int g(void){PQfinish(0);return 0;}'
expect fail pq_include src/store/a.c '#include <libpq-fe.h>'
expect fail pq_call src/http/a.c 'int g(void){PQfinish(0);return 0;}'
expect fail banned src/http/a.c 'void g(char *a){strcpy(a, "x");}'
# platform names (src/platforms/list.h) outside src/platforms and sources
expect ok name_in_comment src/http/a.c '/* e.g. "foo" or PLATFORM_FOO */ int a;'
expect ok name_in_block src/http/a.c ' * "foo", PLATFORM_BAR and fo_x in a comment'
expect ok name_longer src/http/a.c 'int foods = PLATFORM_FOOD; const char *s = "foobar";'
expect fail name_literal src/http/a.c 'const char *p = "foo";'
expect fail name_enum src/collect/a.c 'int f(int p){return p == PLATFORM_BAR;}'
expect fail name_short src/net/a.c 'int fo_count;'
expect fail name_web_js web/a.js "if (p === 'foo') x();"
expect fail name_web_css web/app.css '.dot-bar { color: red; }'
expect fail name_web_capital web/a.js "const t = 'Saved from the Foo API';"
expect fail name_web_upper web/a.html '<p>BAR pages</p>'
expect ok name_web_longer_capital web/a.js "const t = 'Foobar and FOOD';"
expect ok name_c_capital src/http/a.c 'const char *t = "Foo";'
ALLOW='src/http/b.c "foo"' expect ok name_allowed src/http/b.c 'const char *p = "foo";'
ALLOW='src/http/b.c "foo"' expect fail name_allowed_elsewhere src/http/c.c 'const char *p = "foo";'
[ $bad -eq 0 ] && echo "check-src-selftest: ok"
exit $bad
