/*
 * The names inside result files that the benchmarks (bench/) write and the
 * report (report/) reads, written once: those several experiments share
 * here, each experiment's own in lib/series_<experiment>.h.
 * results/SCHEMA.cddl describes them for other readers.
 */
#ifndef KVMBENCH_SERIES_H
#define KVMBENCH_SERIES_H

#include <stdbool.h>

/* Series: one sample per timed region. */
#define SERIES_CREATE_RUN_CLOSE	"create-run-close"	/* single, memory: a single-use VM */
#define SERIES_CREATE_RUN	"create-run"	/* concurrent, scaling: a VM made live */
#define SERIES_TEARDOWN		"teardown"	/* concurrent, scaling: a live VM destroyed */
/* scaling --processes: the worker process (0, 1, ...) of each create-run
 * sample, in the same order: a reading, not a time. */
#define SERIES_WORKER		"worker"

/* Labels of a series. */
#define LABEL_MEMORY		"memory"	/* vm_memory_names[] */

/* A reading taken at steps rather than a sample of one quantity. */
struct reading {
	const char *name;
	const char *unit;	/* "ns", "count", "bytes" */
	const char *title;	/* for a table's or chart's column */
};

/* Whether a series of that name holds readings (no CDF, no rank test). */
bool series_is_reading(const char *name);

#endif
