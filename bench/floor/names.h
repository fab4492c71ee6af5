/*
 * The names in result files of kvmbench-floor, written once for its
 * benchmark (bench.c) and its view (view.c); bench/series.h holds the
 * ones experiments share.
 */
#ifndef KVMBENCH_FLOOR_NAMES_H
#define KVMBENCH_FLOOR_NAMES_H

#define SERIES_VM_ONESHOT	"vm_oneshot"	/* floor: the suite's single-use VM */
#define SERIES_FLOOR		"floor"		/* floor: the bare ioctl loop's */

#endif
