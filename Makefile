# The two commands a newcomer runs on a fresh Debian machine:
#   make demo    install what is missing, configure, build, run the main job
#   make check   the same, then every test (CTest for C, pytest for Python)
BUILD  ?= build
PYTHON ?= /usr/bin/python3
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
PARTSIM = $(BUILD)/partsim
PREFIX ?= /usr/local

.PHONY: all deps configure build demo check test notebooks install zoo bench asan clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DPARTSIM_WERROR=ON -Wno-dev > $(BUILD).configure.log 2>&1 \
	  || { cat $(BUILD).configure.log; exit 1; }

# $(call quiet_build,DIR): build DIR with its log in DIR.build.log, printed
# only when the build fails.
quiet_build = cmake --build $(1) -j $(JOBS) > $(1).build.log 2>&1 \
  || { cat $(1).build.log; echo "build failed (log: $(1).build.log)"; exit 1; }

# The build log goes to $(BUILD).build.log and is printed only when the build
# fails (V=1: on the terminal as it happens).
build: configure
ifeq ($(V),1)
	@cmake --build $(BUILD) -j $(JOBS)
else
	@$(call quiet_build,$(BUILD))
	@echo "built $(PARTSIM) (log: $(BUILD).build.log)"
endif

demo: build
	@$(PARTSIM) run platforms/examples/adas-8cam.yaml

check: build test notebooks

test:
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	PARTSIM=$(abspath $(PARTSIM)) $(PYTHON) -m pytest -q tests

# Execute analysis/notebooks on fresh short runs: the executed notebooks and their
# figures (PNG) in $(BUILD)/notebooks (analysis/README.md, "Notebooks").
notebooks: build
	$(PYTHON) analysis/notebooks/run_notebooks.py --partsim $(PARTSIM) --out $(BUILD)/notebooks

# bin/partsim, share/partsim/{presets,zoo,examples}, the docs, the man page and
# bash completion under PREFIX (README "Install").  Builds first, except as
# root over an existing build: `make build && sudo make install` only copies,
# so that nothing in the build folder becomes root's.
install:
	@if [ "$$(id -u)" -ne 0 ] || [ ! -x $(PARTSIM) ]; then $(MAKE) --no-print-directory build; fi
	cmake --install $(BUILD) --prefix $(PREFIX)

# Regenerate the model zoo (needs python3-torch / python3-torchvision).
zoo:
	@scripts/install-deps.sh --zoo
	$(PYTHON) workloads/zoo/export_zoo.py

# The C tests and the CLI / simulation tests under AddressSanitizer + UBSan with
# leak detection (SimGrid's context switches print harmless stack warnings).
# test_trace_table is left out: its resident-memory bound does not hold with
# ASan's shadow memory; for the same reason PARTSIM_ASAN=1 skips the pytest
# memory-bound test (tests/sim/test_run_overload.py).
ASAN_BUILD ?= build-asan
asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_C_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer" \
	  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" > $(ASAN_BUILD).configure.log 2>&1 \
	  || { cat $(ASAN_BUILD).configure.log; exit 1; }
	@$(call quiet_build,$(ASAN_BUILD))
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) -E test_trace_table
	PARTSIM_ASAN=1 PARTSIM=$(abspath $(ASAN_BUILD))/partsim $(PYTHON) -m pytest -q tests/sim tests/cli

bench: build
	$(BUILD)/bench/bench_workloads
	$(BUILD)/bench/bench_accel
	$(BUILD)/bench/bench_traces
	PARTSIM_ZOO=workloads/zoo $(BUILD)/bench/bench_explore
	$(BUILD)/bench/bench_simgrid_floor 600
	bench/bench_run.sh $(BUILD) 10 60 600

clean:
	rm -rf $(BUILD) $(BUILD).configure.log $(BUILD).build.log $(ASAN_BUILD) $(ASAN_BUILD).configure.log \
	  $(ASAN_BUILD).build.log
