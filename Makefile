# Thin wrapper over meson: `make`, `make bench`, `make test`.
# make bench RESULTS=DIR   write the results into DIR instead of
#                          results/<hostname>-<kernel release>/
BUILD ?= build
RESULTS ?=
BENCH_ARGS = $(if $(RESULTS),--results-dir $(RESULTS))
# Where the binaries put results by default (lib/cli.c says the same).
RESULTS_DIR = $(if $(RESULTS),$(RESULTS),results/$(shell uname -n)-$(shell uname -r))

.PHONY: all bench test clean

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(BUILD)/build.ninja:
	meson setup $(BUILD)

bench: all
	@echo "== kvmbench-single: create, run hello, close (seed: 240 us per VM, bare metal 2021)"
	$(BUILD)/bench/kvmbench-single $(BENCH_ARGS)
	@echo "== kvmbench-single --memory individual (seed: 420 us per VM)"
	$(BUILD)/bench/kvmbench-single --memory individual $(BENCH_ARGS)
	@echo "== kvmbench-floor: the suite's VM against the bare ioctl loop"
	$(BUILD)/bench/kvmbench-floor $(BENCH_ARGS)
	@echo "== results are in $(RESULTS_DIR)/"

test: all
	@meson test -C $(BUILD) --print-errorlogs; status=$$?; \
		scripts/test-summary $(BUILD); exit $$status

clean:
	rm -rf $(BUILD)
