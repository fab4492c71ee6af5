/*
 * The names in result files of kvmbench-breakeven, written once for its
 * benchmark (bench.c) and its view (view.c); bench/series.h holds the
 * ones experiments share.
 */
#ifndef KVMBENCH_BREAKEVEN_NAMES_H
#define KVMBENCH_BREAKEVEN_NAMES_H

#include "analyse.h"

#define SERIES_BREAKEVEN	"breakeven"	/* breakeven: one run of the compute
						 * guest, as its mode does it */
#define SERIES_BREAKEVEN_RUN	"breakeven-run"	/* its run alone */
#define LABEL_MODE		"mode"		/* breakeven: kvm-single, ... emu-reuse */
#define LABEL_UNITS		"units"		/* breakeven: units of work */

/* The modes (enum in analyse.h), their "mode" label. */
extern const char *const breakeven_mode_names[BE_MODES];

#endif
