/*
 * The names in result files of kvmbench-neighbours, written once for its
 * benchmark (bench.c) and its view (view.c).
 */
#ifndef KVMBENCH_NEIGHBOURS_NAMES_H
#define KVMBENCH_NEIGHBOURS_NAMES_H

#include "series.h"

/* The victim's chunks (each one KVM_RUN of the chunks guest), labelled
 * LABEL_AGGRESSOR ("none": the idle phases, pooled), LABEL_PLACEMENT and
 * LABEL_RATE. */
#define SERIES_VICTIM_CHUNK	"victim-chunk"
#define LABEL_AGGRESSOR		"aggressor"
#define LABEL_PLACEMENT		"placement"
#define LABEL_RATE		"rate"		/* ops/s asked, or "max" */

/* The aggressors' operations per second in each phase, labelled as the
 * victim's chunks of that phase: a reading. */
enum neighbours_reading { NEIGHBOURS_OPS, NEIGHBOURS_READINGS };
extern const struct reading neighbours_readings[NEIGHBOURS_READINGS];

#endif
