/*
 * What kvmbench-neighbours' parts share: the aggressors (aggress.c), the
 * page they and the victim share, and the names of kinds and placements.
 */
#ifndef KVMBENCH_NEIGHBOURS_H
#define KVMBENCH_NEIGHBOURS_H

#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>

#include "common.h"

/* What an aggressor does again and again. */
enum kind {
	KIND_ONESHOT,	/* create, run hello, close a single-use VM */
	KIND_RESET,	/* reset a live VM (madvise, registers) and run it */
	KIND_MMAP,	/* map 64 KiB, write it, unmap it */
	KINDS,
};
extern const char *const kind_names[KINDS + 2];	/* then "all", NULL */
/* Where it runs: processes of its own, or threads of the victim's process
 * (sharing its address space, and so its VMs' MMU notifiers). */
enum placement { PLACE_PROCESS, PLACE_THREAD, PLACES };
extern const char *const placement_names[PLACES + 2];	/* then "both", NULL */

/* In a MAP_SHARED page, for processes and threads alike. */
struct shared {
	atomic_int ready;		/* aggressors set up */
	atomic_int failed;		/* an aggressor could not */
	atomic_int go;			/* start */
	atomic_int stop;
	atomic_ullong ops;		/* done since go */
};

struct aggressor {
	struct bench_common *c;
	enum kind kind;
	uint64_t rate;			/* ops per second; 0: as fast as it goes */
	cpu_set_t cpus;			/* where it may run: never the victim's CPU */
	struct shared *sh;
};

/* An aggressor's whole life: set up, report ready, wait for go, work
 * until stop (paced to a->rate), clean up.  0 or -errno. */
int aggress(const struct aggressor *a);

#endif
