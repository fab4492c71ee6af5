/*
 * What is read at a step of live VMs being made: the VMs so far, when,
 * the sum of their creation samples, the process's own readings (its
 * mappings, descriptors, resident memory) and the machine's (slab, page
 * tables, kernel stacks, tasks).  One process reads them (scaling), or
 * each worker for its part, summed by the parent (shard.h).
 */
#ifndef KVMBENCH_BENCH_STEPS_H
#define KVMBENCH_BENCH_STEPS_H

#include <stdint.h>

struct step_reading {
	uint64_t vms;
	uint64_t at_ns;		/* when; in a result: since the first VM's start */
	uint64_t cumulative;	/* the creation samples of the VMs so far, summed */
	uint64_t maps, fds, rss;			/* per process */
	uint64_t slab, pagetables, kernelstack, tasks;	/* the machine's */
};

/* This process's mappings, descriptors and resident bytes, now. */
void step_read_own(uint64_t *maps, uint64_t *fds, uint64_t *rss);
/* The machine's readings, now, with vms, at_ns and cumulative as given;
 * the process's own are 0. */
void step_read_machine(struct step_reading *r, uint64_t vms, uint64_t at_ns, uint64_t cumulative);
/* Everything, now: the machine's and this process's own. */
void step_read(struct step_reading *r, uint64_t vms, uint64_t at_ns, uint64_t cumulative);

#endif
