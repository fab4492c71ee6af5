# Thin wrapper over meson: `make`, `make bench`, `make test`.
# The seed's figures echoed by `make bench` are its published means (bare
# metal, 2021), printed for reference next to what this machine measures.
# make bench RESULTS=DIR   write the results into DIR instead of
#                          results/<hostname>-<kernel release>/
# make plot                charts of every run under results/, into its charts/
# make compare A=... B=... [C=... up to H=...] every run against A
#                          (OUT=DIR: where to; NOISE=FILE: a measured noise floor)
# make noise RESULTS=DIR   the between-run spread of every series in DIR's runs
BUILD ?= build
# Extra meson options for a new build directory, e.g.
# make test BUILD=build-asan MESON_OPTS=-Db_sanitize=address,undefined
MESON_OPTS ?=
# Directory names given to bench, plot and compare may hold anything (a
# colleague's run called "it's", or "$(shell ...)").  Make keeps their text
# as given (:= of $(value), so no $(shell ...) in them runs) and hands it to
# the recipes in the environment, where the shell quotes it: "$$RESULTS".
override RESULTS := $(value RESULTS)
override A := $(value A)
override B := $(value B)
override OUT := $(value OUT)
override NOISE := $(value NOISE)
override C := $(value C)
override D := $(value D)
override E := $(value E)
override F := $(value F)
override G := $(value G)
override H := $(value H)
export RESULTS A B C D E F G H OUT NOISE
BENCH_ARGS = $${RESULTS:+--results-dir "$$RESULTS"}
# Where the binaries put results by default (lib/cli.c says the same),
# worked out by the shell: a hostname is never make or shell code.
RESULTS_DIR = $${RESULTS:-results/$$(uname -n)-$$(uname -r)}

.PHONY: all bench test plot compare noise fuzz lint clean

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

# The runs, in order, are bench/plan's; then the run's charts, and the run
# against the seed's published figures.
bench: all
	scripts/bench $(BUILD) $(BENCH_ARGS)
	@echo "== results are in $(RESULTS_DIR)/"
	KVMBENCH_REPORT=$(BUILD)/report/kvmbench-report scripts/plot "$(RESULTS_DIR)"
	KVMBENCH_REPORT=$(BUILD)/report/kvmbench-report scripts/compare -o "$(RESULTS_DIR)/compare-seed" \
		results/seed-2021 "$(RESULTS_DIR)" >/dev/null
	@echo "== charts: $(RESULTS_DIR)/charts/; against the seed: $(RESULTS_DIR)/compare-seed/compare.md"

# make plot [RESULTS=DIR]: charts of DIR (default: every run under results/)
plot: all
	scripts/plot $${RESULTS:+"$$RESULTS"}

# make compare A=results/x B=results/y [C=... H=...] [OUT=DIR] [NOISE=FILE]:
# every run against A, tables and overlay charts, into DIR (default
# results/compare/<A>-vs-<B>.../)
compare: all
	@test -n "$$A" -a -n "$$B" || { echo "usage: make compare A=results/x B=results/y [C=...]"; exit 2; }
	scripts/compare $${OUT:+-o "$$OUT"} $${NOISE:+-n "$$NOISE"} -- "$$A" "$$B" $${C:+"$$C"} \
		$${D:+"$$D"} $${E:+"$$E"} $${F:+"$$F"} $${G:+"$$G"} $${H:+"$$H"}

# make noise RESULTS=DIR: how much DIR's runs spread, series by series, and
# what K runs can detect; saved as DIR/noise.tsv for make compare NOISE=...
noise: all
	@test -n "$$RESULTS" || { echo "usage: make noise RESULTS=results/x"; exit 2; }
	$(BUILD)/report/kvmbench-report --noise-out "$$RESULTS/noise.tsv" -- "$$RESULTS"

# make fuzz [FUZZ_SECONDS=600]: libFuzzer on the result reader, ASan+UBSan,
# growing tests/fuzz/corpus (commit what it adds; the tests replay it).
FUZZ_SECONDS ?= 600
fuzz:
	test -f build-fuzz/build.ninja || CC=clang meson setup build-fuzz -Dfuzz=true \
		-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized
	ninja -C build-fuzz tests/fuzz/fuzz-record
	mkdir -p tests/fuzz/corpus
	build-fuzz/tests/fuzz/fuzz-record -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		-rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
		tests/fuzz/corpus tests/fuzz/seeds

# Every test on every machine: the VM tests go to an emulated machine with a
# KVM of its own where this one has none (scripts/test, scripts/vm).
test: all
	@scripts/test $(BUILD)

# make lint: cppcheck over lib/, bench/ and report/, zero findings at these levels
lint: all
	cppcheck --enable=warning,performance,portability --std=c11 --error-exitcode=1 \
		--inline-suppr --quiet -I lib -I guest -I $(BUILD)/lib -I report lib bench report

clean:
	rm -rf $(BUILD) build-asan build-fuzz
