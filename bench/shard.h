/*
 * Live VMs spread over worker processes (--processes, --vms-per-process).
 *
 * Two costs of a live VM are paid per process, not per machine: every
 * munmap in a process calls the MMU notifier of each of its live VMs, and
 * registering a VM's notifier takes the locks of every mapping of the
 * process.  In one process both grow with the VMs already alive; spread
 * over processes they grow only with the VMs of one process.
 *
 * The workers are forked before any VM exists.  They create their VMs in
 * turn, one process creating at a time (as the seed's single thread did,
 * so that the samples compare), keep them alive to the end of the run, and
 * send every sample to the parent; then each tears its VMs down, in turn.
 * Timed per VM exactly as in one process (bench_live_create).  A worker
 * that fails or dies stops the run: the others tear their VMs down and
 * what was measured is kept.  SIGINT and SIGTERM reach every worker; a
 * worker whose parent dies is killed with it (PR_SET_PDEATHSIG).
 */
#ifndef KVMBENCH_BENCH_SHARD_H
#define KVMBENCH_BENCH_SHARD_H

#include "common.h"
#include "steps.h"

struct shard_options {
	uint64_t vms;		/* in all */
	uint64_t per;		/* per worker process; the last may hold fewer */
	enum vm_memory memory;
	int fds_per_vm;		/* 2 or 1; 0: each worker two where its limit allows */
	uint64_t step;		/* readings (steps.h) every step VMs in all; 0: none */
	struct progress *progress;
};

struct shard_result {
	struct samples create;		/* per VM, in creation order */
	struct samples worker;		/* the worker of each create sample */
	struct samples teardown;	/* per VM, in teardown order */
	/* With step: the readings at 0 VMs and every step, the per-process
	 * ones (maps, fds, rss) summed over the workers, at_ns since the first
	 * VM's start. */
	struct step_reading *steps;
	size_t nsteps, steps_cap;
	uint64_t made;			/* VMs made live, in all */
	uint64_t wall_ns;		/* from the first worker's start to its last VM */
	unsigned workers;
	char fds_per_vm[256];		/* each worker's: "2,2,1" */
};

/* The workers' share: VMs per process, when P processes hold n VMs. */
uint64_t shard_per(uint64_t vms, uint64_t processes);
/* Checks, before any worker starts, what the workers will need of the
 * machine: memory, tasks (each VM one, each worker two); per-process
 * limits (descriptors, mappings) each worker checks for itself. */
int shard_check(const struct shard_options *o, const char *what);
/* Runs the workers; r is ready for shard_result_free() whatever it returns
 * (a run stopped midway keeps what was measured). */
int shard_run(struct bench_common *c, const struct shard_options *o, struct shard_result *r);
void shard_result_free(struct shard_result *r);

#endif
