# The two commands of the README: `make run` and `make test`.
# Everything else goes through CMake; this file only sequences it.

MAKEFLAGS  += --no-print-directory

BUILD      ?= build
BUILD_SAN  ?= build-asan
BUILD_FUZZ ?= build-fuzz
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
# Tests ctest runs at once: twice the cores. Most tests wait (on servers,
# subprocesses, the fake platform, deadlines) far more than they compute,
# so with one test per core the cores sit idle most of the suite; the
# tests that keep more than one core busy claim several slots (PROCESSORS
# in CMakeLists.txt). Figures: docs/development.md, "Test time".
TEST_JOBS  ?= $(shell echo $$((2 * $$(nproc 2>/dev/null || echo 2))))
DEMO_DB    ?= $(BUILD)/demo.db
LISTEN     ?= 127.0.0.1:8080

.PHONY: all deps build build-asan run test test-plain test-asan fuzz bench bench-scale bench-http bench-pg bench-pg-queries clean install deb

all: build

deps:
	@bash tools/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

build-asan: deps
	@cmake -S . -B $(BUILD_SAN) -DCMAKE_BUILD_TYPE=Debug -DMEDIADASH_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD_SAN) -j $(JOBS)

# Build, create the demo database and login if absent, serve the dashboard.
run: build
	@bash tools/demo.sh $(BUILD)/mediadash $(DEMO_DB) $(LISTEN)

test-plain: build
	@cd $(BUILD) && ctest --output-on-failure -j $(TEST_JOBS)

test-asan: build-asan
	@cd $(BUILD_SAN) && ctest --output-on-failure -j $(TEST_JOBS)

# Fuzz every parser briefly when clang is there (libFuzzer).
fuzz: deps
	@bash tools/fuzz.sh $(BUILD_FUZZ) 12

test: fuzz test-plain test-asan

# Benchmarks print figures (see bench/README.md); not part of `make test`.
bench: deps
	@cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build build-rel -j $(JOBS) --target benches
	@./build-rel/bench_ingest 200 720
	@./build-rel/bench_queries 200 720 build-rel/bench-200x720.db 30
	@./build-rel/bench_search 10000 24 build-rel/bench-search-10k.db 200

# Issue 5's figures: ingest at 200 and 1,400 items, and every dashboard
# query at 1M and 10M snapshots (the databases are generated on first use
# into build-rel/, about 1 and 11 minutes; 0.1 and 1.1 GB).
bench-scale: deps
	@cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build build-rel -j $(JOBS) --target benches
	@./build-rel/bench_ingest 200 720
	@./build-rel/bench_ingest 1400 720
	@./build-rel/bench_queries 1000 1200 build-rel/bench-1m.db 100 24
	@./build-rel/bench_queries 1400 8760 build-rel/bench-10m.db 100 24

# Ingest on PostgreSQL (issue 17): store_ingest with rollups beside plain
# inserts of the same snapshots, on a throwaway cluster (bench/pg_run.sh);
# db copy SQLite -> PostgreSQL -> SQLite of a demo (bench/db_copy.sh).
bench-pg: deps
	@cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build build-rel -j $(JOBS) --target bench_ingest_pg mediadash
	@bash bench/pg_run.sh build-rel 50x240
	@MEDIADASH_BIN=build-rel/mediadash bash bench/db_copy.sh

# Dashboard queries and search on SQLite and PostgreSQL side by side
# (bench/pg_queries.sh); the databases are kept under build-rel/ between
# runs. PostgreSQL is filled by `mediadash db copy` of the SQLite side
# (minutes at 1M; through store_ingest it took hours, bench/README.md).
PG_QUERIES_SIZE ?= 1000x1200
bench-pg-queries: deps
	@cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build build-rel -j $(JOBS) --target bench_queries bench_search mediadash
	@bash bench/pg_queries.sh build-rel $(PG_QUERIES_SIZE) 100 10000

# The overview endpoint under load (wrk) beside nginx serving the same bytes.
bench-http: deps
	@cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build build-rel -j $(JOBS) --target mediadash
	@bash bench/http/run.sh build-rel/mediadash build-rel/bench-http 10 32

# Install the binary, unit, completion (and man pages, example config)
# under PREFIX, below DESTDIR when set (staged installs, packages).
PREFIX     ?= /usr/local
install: build
	@DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

# The Debian package: dpkg-buildpackage in a copy of the tree (tracked and
# untracked files, not ignored ones) under DEB_DIR, where the .deb lands.
# The build has no network: uPlot comes from $(BUILD)'s npm ci.
DEB_DIR    ?= build-deb
deb: deps
	@bash tools/make-deb.sh "$(BUILD)" "$(DEB_DIR)" $(JOBS)

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(BUILD_FUZZ) build-rel build-deb
