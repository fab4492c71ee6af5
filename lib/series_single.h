/*
 * The names in result files of kvmbench-single --phases: the steps of a
 * single-use VM. Written here once for the benchmark that writes them and
 * the view that reads them
 * (report/view_single.c); lib/series.h holds the ones experiments
 * share.
 */
#ifndef KVMBENCH_SERIES_SINGLE_H
#define KVMBENCH_SERIES_SINGLE_H

#define SERIES_PHASE		"phase-"	/* single --phases: + vm_phase_names[] */

#endif
