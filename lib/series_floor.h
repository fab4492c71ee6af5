/*
 * The names in result files of kvmbench-floor: the suite's single-use VM
 * against the bare ioctl loop. Written here once for the benchmark that
 * writes them and the view that reads them
 * (report/view_floor.c); lib/series.h holds the ones experiments
 * share.
 */
#ifndef KVMBENCH_SERIES_FLOOR_H
#define KVMBENCH_SERIES_FLOOR_H

#define SERIES_VM_ONESHOT	"vm_oneshot"	/* floor: the suite's single-use VM */
#define SERIES_FLOOR		"floor"		/* floor: the bare ioctl loop's */

#endif
