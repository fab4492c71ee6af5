/*
 * The names in result files of kvmbench-memory, written once for its
 * benchmark (bench.c) and its view (view.c); bench/series.h holds the
 * ones experiments share.
 */
#ifndef KVMBENCH_MEMORY_NAMES_H
#define KVMBENCH_MEMORY_NAMES_H

#include "series.h"

/* memory: one of each per memory kind, every --live/10 live VMs. */
enum live_reading {
	LIVE_RSS, LIVE_SLAB, LIVE_PAGETABLES, LIVE_KERNELSTACK, LIVE_KERNEL_THREADS,
	LIVE_PROCESS_THREADS, LIVE_READINGS,
};
extern const struct reading live_readings[LIVE_READINGS];

#endif
