/*
 * The names in result files of kvmbench-fork, written once for its
 * benchmark (bench.c, live.c) and its view (view.c); bench/series.h holds
 * the ones experiments share.
 */
#ifndef KVMBENCH_FORK_NAMES_H
#define KVMBENCH_FORK_NAMES_H

#include "series.h"

/* Series of a ready VM, labelled LABEL_METHOD: from nothing (or from a
 * used VM, for reset) to the first request's answer; and with the VM's
 * teardown added (not for reset, which keeps its VM). */
#define SERIES_READY_REQUEST		"ready-request"
#define SERIES_READY_REQUEST_CLOSE	"ready-request-close"
/* Its parts: create the VM (or reset it), the warm-up run (fresh only),
 * the first request's run, each later request's run, the teardown
 * (SERIES_TEARDOWN). */
#define SERIES_PREPARE			"prepare"
#define SERIES_WARM			"warm"
#define SERIES_FIRST_RUN		"first-run"
#define SERIES_LATER_RUN		"later-run"
/* A reset strategy's reset and request, before the methods, labelled
 * LABEL_STRATEGY: what the reset method's choice is checked against. */
#define SERIES_RESET_CALIBRATION	"reset-calibration"
/* Taking a snapshot: one sample per snapshot. */
#define SERIES_SNAPSHOT			"snapshot"

#define LABEL_METHOD		"method"	/* fork_method_names[] */
#define LABEL_STRATEGY		"reset"		/* method reset: its strategy */
#define LABEL_FORK_SWEEP	"sweep"		/* fork --sweep: "warm" or "pages" */
#define LABEL_WARM_BYTES	"warm_bytes"	/* the point: W */
#define LABEL_PAGES		"pages"		/* the point: P */

/* The ways to a ready VM, side by side; hello is the seed's single-use
 * VM (create, run hello, close), the yardstick. */
enum fork_method { METHOD_HELLO, METHOD_FRESH, METHOD_FORK, METHOD_RESET, METHODS };
extern const char *const fork_method_names[METHODS + 1];

/* fork --live: read at every step of live VMs, labelled LABEL_METHOD
 * (hello: the VM's own fixed cost; fork), in this order; the first at 0. */
enum live_reading {
	LIVE_CUMULATIVE, LIVE_RSS, LIVE_PSS, LIVE_PRIVATE, LIVE_SLAB, LIVE_PAGETABLES,
	LIVE_SECPAGETABLES, LIVE_KERNELSTACK, LIVE_USED,
	/* Of LIVE_PRIVATE, the dirty part: pages written (copy-on-write),
	 * without the page-cache pages that count as private while one
	 * mapping alone maps them (read faults map 16 around the one read). */
	LIVE_PRIVATE_DIRTY, LIVE_READINGS,
};
extern const struct reading fork_live_readings[LIVE_READINGS];

#endif
