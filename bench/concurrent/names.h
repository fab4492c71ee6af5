/*
 * The names in result files of kvmbench-concurrent, written once for its
 * benchmark (bench.c) and its view (view.c); bench/series.h holds the
 * ones experiments share.
 */
#ifndef KVMBENCH_CONCURRENT_NAMES_H
#define KVMBENCH_CONCURRENT_NAMES_H

#define LABEL_THREAD		"thread"	/* concurrent --threads: "0", "1", ... */

#endif
