# Thin wrapper over meson: `make`, `make bench`, `make test`.
# The seed's figures echoed by `make bench` are its published means (bare
# metal, 2021), printed for reference next to what this machine measures.
# make bench RESULTS=DIR   write the results into DIR instead of
#                          results/<hostname>-<kernel release>/
# make plot                charts of every run under results/, into its charts/
# make compare A=... B=... run B against run A
BUILD ?= build
RESULTS ?=
BENCH_ARGS = $(if $(RESULTS),--results-dir $(RESULTS))
# Where the binaries put results by default (lib/cli.c says the same).
RESULTS_DIR = $(if $(RESULTS),$(RESULTS),results/$(shell uname -n)-$(shell uname -r))

.PHONY: all bench test plot compare clean

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(BUILD)/build.ninja:
	meson setup $(BUILD)

bench: all
	@echo "== kvmbench-single: create, run hello, close (seed: 240 us per VM)"
	$(BUILD)/bench/kvmbench-single $(BENCH_ARGS)
	@echo "== kvmbench-concurrent: 1000 VMs kept alive (seed: 232-294 us per VM, rising)"
	$(BUILD)/bench/kvmbench-concurrent $(BENCH_ARGS)
	@echo "== kvmbench-scaling: up to 13000 live VMs (seed: 0.311 s @1000 ... 5.957 s @13000)"
	$(BUILD)/bench/kvmbench-scaling $(BENCH_ARGS)
	@echo "== kvmbench-memory: shared against individual memory (seed: 240 vs 420 us per VM)"
	$(BUILD)/bench/kvmbench-memory $(BENCH_ARGS)
	@echo "== kvmbench-rounds: 1000 VMs x 400 rounds (seed: 24 us no reset, 175 us full reset)"
	$(BUILD)/bench/kvmbench-rounds $(BENCH_ARGS)
	@echo "== kvmbench-floor: the suite's VM against the bare ioctl loop"
	$(BUILD)/bench/kvmbench-floor $(BENCH_ARGS)
	@echo "== results are in $(RESULTS_DIR)/"

# make plot [RESULTS=DIR]: charts of DIR (default: every run under results/)
plot: all
	scripts/plot $(RESULTS)

# make compare A=results/x B=results/y: B against A, tables and overlay charts
compare: all
	@test -n "$(A)" -a -n "$(B)" || { echo "usage: make compare A=results/x B=results/y"; exit 2; }
	scripts/compare $(A) $(B)

test: all
	@meson test -C $(BUILD) --print-errorlogs; status=$$?; \
		scripts/test-summary $(BUILD); exit $$status

clean:
	rm -rf $(BUILD)
