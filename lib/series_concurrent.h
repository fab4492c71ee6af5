/*
 * The names in result files of kvmbench-concurrent --threads: the thread of
 * each sample. Written here once for the benchmark that writes them and the
 * view that reads them
 * (report/view_concurrent.c); lib/series.h holds the ones experiments
 * share.
 */
#ifndef KVMBENCH_SERIES_CONCURRENT_H
#define KVMBENCH_SERIES_CONCURRENT_H

#define LABEL_THREAD		"thread"	/* concurrent --threads: "0", "1", ... */

#endif
