/*
 * The names in result files of kvmbench-breakeven: one run of the compute
 * guest, per mode and work size. Written here once for the benchmark that
 * writes them and the view that reads them
 * (report/view_breakeven.c); lib/series.h holds the ones experiments
 * share.
 */
#ifndef KVMBENCH_SERIES_BREAKEVEN_H
#define KVMBENCH_SERIES_BREAKEVEN_H

#include "compute.h"

#define SERIES_BREAKEVEN	"breakeven"	/* breakeven: one run of the compute
						 * guest, as its mode does it */
#define SERIES_BREAKEVEN_RUN	"breakeven-run"	/* its run alone */
#define LABEL_MODE		"mode"		/* breakeven: kvm-single, ... emu-reuse */
#define LABEL_UNITS		"units"		/* breakeven: units of work */

/* The modes (enum in compute.h), their "mode" label. */
extern const char *const breakeven_mode_names[BE_MODES];

#endif
