# Entry points.  `make run` builds everything and runs the main job;
# `make check` runs every test suite; `make bench` prints the benchmarks'
# table.  All work as root on a fresh Debian machine: `make setup` (run by
# each) installs what is missing.

BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
CMAKE_FLAGS ?= -DLIBIOMMUFD_WERROR=ON
CTEST = ctest --test-dir $(BUILD) --output-on-failure

.PHONY: all setup configure build check check-unit check-consumer run bench install clean

all: build

setup:
	@scripts/setup

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

configure: setup $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD)

check-unit: build
	$(CTEST) -L unit

check-consumer: build
	$(CTEST) -L consumer

check: build
	@scripts/check $(BUILD)

run: build
	@scripts/run $(BUILD)

# One table of SDK-vs-raw ratios, syscalls per operation and the bindings'
# per-call cost, all measured in one boot of the latest test VM (bench/run).
bench: build
	@bench/run $(BUILD)

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD)
