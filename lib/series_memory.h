/*
 * The names in result files of kvmbench-memory: the readings of live VMs,
 * per memory kind. Written here once for the benchmark that writes them and
 * the view that reads them
 * (report/view_memory.c); lib/series.h holds the ones experiments
 * share.
 */
#ifndef KVMBENCH_SERIES_MEMORY_H
#define KVMBENCH_SERIES_MEMORY_H

#include "series.h"

/* memory: one of each per memory kind, every --live/10 live VMs. */
enum live_reading {
	LIVE_RSS, LIVE_SLAB, LIVE_PAGETABLES, LIVE_KERNELSTACK, LIVE_KERNEL_THREADS,
	LIVE_PROCESS_THREADS, LIVE_READINGS,
};
extern const struct reading live_readings[LIVE_READINGS];

#endif
