/*
 * The names in result files of kvmbench-single, written once for its
 * benchmark (bench.c) and its view (view.c); bench/series.h holds the
 * ones experiments share.
 */
#ifndef KVMBENCH_SINGLE_NAMES_H
#define KVMBENCH_SINGLE_NAMES_H

#define SERIES_PHASE		"phase-"	/* single --phases: + vm_phase_names[] */

#endif
