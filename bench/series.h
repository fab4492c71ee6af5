/*
 * The names inside result files that several experiments share, written
 * once for the benchmarks that write them and the report that reads them;
 * each experiment's own are in bench/<experiment>/names.h.
 * results/SCHEMA.cddl describes them for other readers.
 */
#ifndef KVMBENCH_SERIES_H
#define KVMBENCH_SERIES_H

#include <stdbool.h>
#include <stddef.h>

/* Series: one sample per timed region. */
#define SERIES_CREATE_RUN_CLOSE	"create-run-close"	/* a single-use VM */
#define SERIES_CREATE_RUN	"create-run"	/* a VM made live */
#define SERIES_TEARDOWN		"teardown"	/* a live VM destroyed */
/* --processes: the worker process (0, 1, ...) of each create-run sample,
 * in the same order: a reading, not a time. */
#define SERIES_WORKER		"worker"

/* Labels of a series. */
#define LABEL_MEMORY		"memory"	/* vm_memory_names[] */

/* A reading taken at steps rather than a sample of one quantity. */
struct reading {
	const char *name;
	const char *unit;	/* "ns", "count", "bytes" */
	const char *title;	/* for a table's or chart's column */
};

/* An experiment's table of readings, registered where it is defined
 * (READINGS_REGISTER): the linker gathers them into the section
 * kvmbench_readings, which series_is_reading() walks. */
struct readings {
	const struct reading *table;
	size_t n;
};
#define READINGS_REGISTER(t)							\
	static const struct readings readings_entry_##t				\
	__attribute__((used, section("kvmbench_readings"), aligned(sizeof(void *)))) = \
		{ .table = (t), .n = sizeof(t) / sizeof((t)[0]) }

/* Whether a series of that name holds readings (no CDF, no rank test):
 * SERIES_WORKER, or a name in a registered table. */
bool series_is_reading(const char *name);

#endif
