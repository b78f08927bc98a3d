# Convenience entry points; CMake does the real work.
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc)

.PHONY: all build deps check test unit interop demo clean fuzz

all: build

deps:
	bash scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j$(JOBS)

# Everything CI runs: deps, sanitizer build + unit/CLI/fuzz-replay tests, release build,
# interop tests with independent readers from npm.
check: deps
	bash scripts/check.sh

# Newcomer's tour: deps, release build, DuckDB from npm for sample data and the
# independent-reader check, then a load into ./warehouse (SQLite catalog).
demo: build
	cd tests/interop && npm ci --no-audit --no-fund --loglevel=error
	bash scripts/demo.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
