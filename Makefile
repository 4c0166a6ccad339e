# ipsecgw — the two commands of the README:
#   make test   installs what is missing, builds, runs every test
#   make demo   the guide's tunnel between ipsecgw and strongSwan in namespaces
# plus: make (build), make bench (benchmarks), make fuzz (long fuzz runs), make asan, make format, make install.

BUILD ?= build
FUZZ_TIME ?= 600
PREFIX ?= /usr/local

.PHONY: all deps build test demo bench fuzz asan format clean install

all: build

deps:
	@./scripts/deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --prefix=$(PREFIX)

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

test: deps
	@./scripts/run-tests.sh

demo: deps build
	@./scripts/demo.sh

# Benchmarks (docs/bench.md), not tests: ESP per core vs raw OpenSSL, and
# iperf3 through ipsecgw/strongSwan tunnels in namespaces; JSON in build/bench.json.
bench: deps build
	@BUILD=$(BUILD) ./scripts/bench.sh

asan: deps
	@SKIP_FUZZ=1 SKIP_NETNS=1 ./scripts/run-tests.sh

# Long fuzz campaigns: FUZZ_TIME seconds per target (default 10 minutes).
fuzz: deps
	@FUZZ_TIME=$(FUZZ_TIME) ./scripts/fuzz.sh

format:
	@find src tests fuzz -name '*.[ch]' | xargs clang-format -i

install: build
	meson install -C $(BUILD)

clean:
	rm -rf build build-asan build-fuzz build*.log
