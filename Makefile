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

demo: build
	bash scripts/demo.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
