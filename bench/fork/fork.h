/*
 * What kvmbench-fork's parts share: its options, and one point (W, P) set
 * up: the templates of every method, the snapshot, the reset's live VM.
 */
#ifndef KVMBENCH_FORK_H
#define KVMBENCH_FORK_H

#include <stdbool.h>
#include <stdint.h>

#include "common.h"
#include "reset.h"
#include "snapshot.h"

/* The warm guest's stack, above its table. */
#define STACK_BYTES (64u << 10)
#define WARM_MIN (64u << 10)
#define WARM_MAX (64u << 20)

struct options {
	uint64_t warm;		/* W, bytes */
	uint64_t pages;		/* P */
	uint64_t iterations;	/* samples per method */
	uint64_t warmup;
	uint64_t requests;	/* runs per VM: the first and requests - 1 later */
	uint64_t live;		/* --live: forks kept alive; 0: side by side */
	uint64_t step;
	int reset;		/* 0: the fastest isolating strategy; else strategy k - 1 */
	bool sweep;
};

struct point {
	struct bench_common *c;
	uint64_t warm, pages;
	struct vm_template hello, fresh, fork, reset;
	bool have[4];			/* which templates are set up */
	struct vm_snapshot snap;
	uint64_t snapshot_ns;		/* taking it */
	uint64_t ready_ns;		/* the template VM's warm-up run */
	enum reset_strategy how;	/* the reset method's strategy */
	struct vm vm;			/* the reset method's VM */
	bool have_vm;
	uint64_t expect;		/* a request's checksum */
};

/* Sets p up for (warm, pages): templates and the snapshot (timed).
 * point_close() cleans up after a failure. */
int point_open(struct point *p, struct bench_common *c, uint64_t warm, uint64_t pages);
/* The reset method's template and VM, for strategy how (again: the ones
 * before are gone); the VM has served one request. */
int point_reset_vm(struct point *p, enum reset_strategy how);
void point_close(struct point *p);
/* The reset's VM put back to the snapshot: memory by p->how, the vCPU
 * by the snapshot's state, with the request's registers. */
int point_reset(struct point *p);
/* Whether res is a request's answer: status 0, the checksum p expects. */
int point_check_request(const struct point *p, const struct vm_result *res, const char *what);

/* --live: o->live VMs of each kind kept alive, readings at every step
 * (live.c). */
int fork_live(struct bench_common *c, const struct options *o);

#endif
