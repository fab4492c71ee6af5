/*
 * The names in result files of kvmbench-rounds, written once for its
 * benchmark (bench.c) and its view (view.c); bench/series.h holds the
 * ones experiments share.
 */
#ifndef KVMBENCH_ROUNDS_NAMES_H
#define KVMBENCH_ROUNDS_NAMES_H

#define SERIES_RESET_RUN	"reset-run"	/* rounds: a guest round, reset and run */
#define SERIES_RESET		"reset"		/* rounds: the reset part of that round */
#define SERIES_VCPU_RESET_RUN	"vcpu-reset-run"	/* rounds --reset all: a guest round,
							 * memory not reset, vCPU at a level */
#define SERIES_VCPU_RESET	"vcpu-reset"	/* its reset part: the vCPU's alone */
#define LABEL_RESET		"reset"		/* rounds: a strategy's name */
#define LABEL_VCPU_RESET	"vcpu_reset"	/* rounds: vcpu_reset_names[] */
#define LABEL_VCPU_LEAKS	"vcpu_leaks"	/* rounds: "clean" or what that level's
						 * probe found left behind */
#define LABEL_SWEEP		"sweep"		/* rounds --sweep: "pages" or "size" */
#define LABEL_DIRTY_PAGES	"dirty_pages"	/* rounds --sweep: the point */
#define LABEL_MEMORY_SIZE	"memory_size"

#endif
