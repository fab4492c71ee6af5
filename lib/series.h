/*
 * The names inside result files that the benchmarks (bench/) write and the
 * report (report/) reads, written once: series, labels, the readings taken
 * at steps.  results/SCHEMA.cddl describes them for other readers.
 */
#ifndef KVMBENCH_SERIES_H
#define KVMBENCH_SERIES_H

#include <stdbool.h>

/* Series: one sample per timed region. */
#define SERIES_CREATE_RUN_CLOSE	"create-run-close"	/* single, memory: a single-use VM */
#define SERIES_CREATE_RUN	"create-run"	/* concurrent, scaling: a VM made live */
#define SERIES_TEARDOWN		"teardown"	/* concurrent, scaling: a live VM destroyed */
#define SERIES_RESET_RUN	"reset-run"	/* rounds: a guest round, reset and run */
#define SERIES_RESET		"reset"		/* rounds: the reset part of that round */
#define SERIES_VCPU_RESET_RUN	"vcpu-reset-run"	/* rounds --reset all: a guest round,
							 * memory not reset, vCPU at a level */
#define SERIES_VCPU_RESET	"vcpu-reset"	/* its reset part: the vCPU's alone */
#define SERIES_BREAKEVEN	"breakeven"	/* breakeven: one run of the compute
						 * guest, as its mode does it */
#define SERIES_BREAKEVEN_RUN	"breakeven-run"	/* its run alone */
#define SERIES_VM_ONESHOT	"vm_oneshot"	/* floor: the suite's single-use VM */
#define SERIES_FLOOR		"floor"		/* floor: the bare ioctl loop's */
#define SERIES_PHASE		"phase-"	/* single --phases: + vm_phase_names[] */
/* scaling --processes: the worker process (0, 1, ...) of each create-run
 * sample, in the same order: a reading, not a time. */
#define SERIES_WORKER		"worker"

/* Labels of a series. */
#define LABEL_MEMORY		"memory"	/* vm_memory_names[] */
#define LABEL_THREAD		"thread"	/* concurrent --threads: "0", "1", ... */
#define LABEL_RESET		"reset"		/* rounds: a strategy's name */
#define LABEL_VCPU_RESET	"vcpu_reset"	/* rounds: vcpu_reset_names[] */
#define LABEL_VCPU_LEAKS	"vcpu_leaks"	/* rounds: "clean" or what that level's
						 * probe found left behind */
#define LABEL_MODE		"mode"		/* breakeven: kvm-single, ... emu-reuse */
#define LABEL_UNITS		"units"		/* breakeven: units of work */
#define LABEL_SWEEP		"sweep"		/* rounds --sweep: "pages" or "size" */
#define LABEL_DIRTY_PAGES	"dirty_pages"	/* rounds --sweep: the point */
#define LABEL_MEMORY_SIZE	"memory_size"
#define LABEL_VMS_PER_PROCESS	"vms_per_process"	/* scaling --sweep-processes: the point */

/* A reading taken at steps rather than a sample of one quantity. */
struct reading {
	const char *name;
	const char *unit;	/* "ns", "count", "bytes" */
	const char *title;	/* for a table's or chart's column */
};

/* scaling: one of each at every step (the first at 0 VMs), in this order. */
enum scaling_reading {
	SCALING_CUMULATIVE, SCALING_WALL, SCALING_MAPS, SCALING_FDS, SCALING_RSS,
	SCALING_SLAB, SCALING_PAGETABLES, SCALING_KERNELSTACK, SCALING_TASKS, SCALING_READINGS,
};
extern const struct reading scaling_readings[SCALING_READINGS];

/* memory: one of each per memory kind, every --live/10 live VMs. */
enum live_reading {
	LIVE_RSS, LIVE_SLAB, LIVE_PAGETABLES, LIVE_KERNELSTACK, LIVE_KERNEL_THREADS,
	LIVE_PROCESS_THREADS, LIVE_READINGS,
};
extern const struct reading live_readings[LIVE_READINGS];

/* Whether a series of that name holds readings (no CDF, no rank test). */
bool series_is_reading(const char *name);

#endif
