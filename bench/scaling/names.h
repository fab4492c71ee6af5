/*
 * The names in result files of kvmbench-scaling, written once for its
 * benchmark (bench.c) and its view (view.c); bench/series.h holds the
 * ones experiments share.
 */
#ifndef KVMBENCH_SCALING_NAMES_H
#define KVMBENCH_SCALING_NAMES_H

#include "series.h"

#define LABEL_VMS_PER_PROCESS	"vms_per_process"	/* scaling --sweep-processes: the point */
/* scaling: one of each at every step (the first at 0 VMs), in this order. */
enum scaling_reading {
	SCALING_CUMULATIVE, SCALING_WALL, SCALING_MAPS, SCALING_FDS, SCALING_RSS,
	SCALING_SLAB, SCALING_PAGETABLES, SCALING_KERNELSTACK, SCALING_TASKS, SCALING_READINGS,
};
extern const struct reading scaling_readings[SCALING_READINGS];

#endif
