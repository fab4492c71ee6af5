/*
 * What kvmbench-rounds' parts share: its options, the modes its groups of
 * VMs run, and the choice of each group's vCPU reset level (levels.c).
 */
#ifndef KVMBENCH_ROUNDS_H
#define KVMBENCH_ROUNDS_H

#include <stdbool.h>
#include <stdint.h>

#include "common.h"
#include "reset.h"

#define VERIFY_FLAG 1	/* guest/rounds.S: check memory and vCPU are pristine first */
#define POISON_FLAG 2	/* guest/rounds.S: poison the vCPU state at the end */

/* --reset: the strategies' names (lib/reset.c), then "both" (none and
 * full) and "all". */
#define RESET_BOTH RESET_COUNT
#define RESET_ALL (RESET_COUNT + 1)
extern const char *reset_choices[RESET_COUNT + 3];
/* --vcpu-reset: auto, then vcpu_reset_names[] (level k is choice k + 1). */
extern const char *vcpu_choices[VCPU_RESET_COUNT + 2];
#define VCPU_AUTO 0

/* What a group of VMs runs: a reset strategy and a vCPU reset level; a
 * vcpu group (--reset all) times the level alone, memory not reset. */
struct mode {
	int how;		/* enum reset_strategy */
	int level;		/* enum vcpu_reset */
	bool vcpu_group;
};
#define MODES_MAX (RESET_COUNT + VCPU_RESET_COUNT)
#define IDLE_VCPU_BYTES (64u << 10)

struct options {
	uint64_t vms;
	uint64_t rounds;
	uint64_t warmup;	/* rounds */
	uint64_t dirty_pages;
	uint64_t memory_size;
	int reset;		/* enum reset_strategy, RESET_BOTH or RESET_ALL */
	int memory;
	int vcpu;		/* VCPU_AUTO or level + 1 */
	bool verify;
	bool sweep;
	bool test_vcpu_leaks;
	uint32_t leaks[VCPU_RESET_COUNT];	/* each level's probe */
};

/* --reset's choices (reset_choices) and its help text, from the table of
 * strategies. */
void reset_option(char *help, size_t size);
/*
 * Probes every vCPU level (machine: probe_vcpu_<level>) and gives each
 * group its level: vcpu groups keep theirs; none takes --vcpu-reset or
 * regs; an isolating strategy takes --vcpu-reset, which must be clean, or
 * the cheapest clean level, and there must be one.
 */
int choose_levels(struct bench_common *c, struct options *o, struct mode *modes, int nmodes);

#endif
