# Thin wrapper over meson: `make`, `make bench`, `make test`.
# The seed's figures echoed by `make bench` are its published means (bare
# metal, 2021), printed for reference next to what this machine measures.
# make bench RESULTS=DIR   write the results into DIR instead of
#                          results/<hostname>-<kernel release>/
# make plot                charts of every run under results/, into its charts/
# make compare A=... B=... [C=... up to H=...] every run against A
# make gather DIRS="d1 d2 ..." several machines' results by CPU model
#                          (OUT=DIR: where to; NOISE=FILE: a measured noise floor)
# make noise RESULTS=DIR   the between-run spread of every series in DIR's runs
# make bench KERNEL=X      the plan under kernel X, booted in a machine of its
#                          own (a build tree, an image or a Debian package):
#                          results/<host>-<release>-<nested|emulated>/
# make test KERNEL=X       the VM tests under kernel X
# make test-matrix [MATRIX="k1,words k2 ..."] the VM tests under every cell
#                          (Debian's oldest and newest kernel x kvm_amd
#                          npt=1/npt=0), the table into docs/test-matrix.md
# make compare-kernels KERNELS="X Y ..." the plan under each, interleaved
#                          by rounds, then one N-way comparison
# PLAN=NAME or PLAN=FILE   another plan (short: minutes, not hours; scripts/plan)
# VM_APPEND="w ..."        kernel command-line words for the kernels booted
#                          (kvm_amd.npt=0); VM_MEMORY=MIB, VM_CPUS=N
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
override KERNEL := $(value KERNEL)
override KERNELS := $(value KERNELS)
override PLAN := $(value PLAN)
override VM_APPEND := $(value VM_APPEND)
override VM_MEMORY := $(value VM_MEMORY)
override VM_CPUS := $(value VM_CPUS)
override MATRIX := $(value MATRIX)
override DIRS := $(value DIRS)
export RESULTS A B C D E F G H OUT NOISE KERNEL KERNELS PLAN VM_APPEND VM_MEMORY VM_CPUS MATRIX DIRS
# The machine's options for scripts/kernels, from the environment.
VM_ARGS = $${PLAN:+--plan "$$PLAN"} $${VM_APPEND:+--append "$$VM_APPEND"} \
	$${VM_MEMORY:+--memory "$$VM_MEMORY"} $${VM_CPUS:+--cpus "$$VM_CPUS"}
BENCH_ARGS = $${RESULTS:+--results-dir "$$RESULTS"}
# Where the binaries put results by default (lib/cli.c says the same),
# worked out by the shell: a hostname is never make or shell code.
RESULTS_DIR = $${RESULTS:-results/$$(uname -n)-$$(uname -r)}

.PHONY: all bench test test-matrix plot compare gather compare-kernels noise fuzz lint clean

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

# The runs, in order, are the full plan's (scripts/plan); then the run's charts, and the run
# against the seed's published figures.
bench: all
	@if [ -n "$$KERNEL" ]; then \
		scripts/kernels $(VM_ARGS) $${RESULTS:+--results "$$RESULTS"} $(BUILD) "$$KERNEL"; \
		exit $$?; \
	fi; \
	scripts/bench $${PLAN:+--plan "$$PLAN"} $(BUILD) $(BENCH_ARGS) || exit $$?; \
	$(MAKE) --no-print-directory bench-report

# The run's charts, and the run against the seed's published figures.
.PHONY: bench-report
bench-report:
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

# make gather DIRS="d1 d2 ..." [OUT=DIR]: result directories of several
# machines (a CI fleet's), grouped by CPU model, and their N-way comparison,
# into DIR (default results/gather/<date>/).  Names with spaces: scripts/gather.
gather: all
	@test -n "$$DIRS" || { echo 'usage: make gather DIRS="dir1 dir2 ..." [OUT=DIR]'; exit 2; }
	@# DIRS is split into words, never globbed or run.
	@set -f; scripts/gather $${OUT:+-o "$$OUT"} -- $$DIRS

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

# make test-matrix [MATRIX="k1,word k2 ..."]: the VM tests under each
# kernel and its words, a boot each; the table into docs/test-matrix.md.
test-matrix: all
	@# MATRIX is split into words, never globbed or run.
	@set -f; scripts/matrix $(BUILD) $$MATRIX

# make compare-kernels KERNELS="k1 k2 k1" [PLAN=FILE] [OUT=DIR]: the plan
# under every kernel, round by round, and one comparison of them all.
# Naming a kernel twice is the A/A check; KERNEL,WORD,... gives one kernel
# command-line words of its own (linux-image-amd64,kvm_amd.npt=1).
compare-kernels: all
	@test -n "$$KERNELS" || { echo 'usage: make compare-kernels KERNELS="k1 k2 ..." [PLAN=FILE]'; exit 2; }
	@# KERNELS is split into words, never globbed or run.
	set -f; scripts/kernels $(VM_ARGS) $${OUT:+--out "$$OUT"} $(BUILD) $$KERNELS

# make lint: cppcheck over lib/, bench/ and report/, zero findings at these
# levels; and the workflows: actionlint, shellcheck over every run: block,
# and every run: one make target or script (scripts/lint-workflows)
lint: all
	cppcheck --enable=warning,performance,portability --std=c11 --error-exitcode=1 \
		--inline-suppr --quiet -I lib -I guest -I $(BUILD)/lib -I bench -I report lib bench report
	scripts/lint-workflows

clean:
	rm -rf $(BUILD) build-asan build-fuzz
