/*
 * The compute guest's work (guest/compute.S), done in C: what its checksum
 * must be after a given number of units, and how many instructions that is.
 */
#ifndef KVMBENCH_COMPUTE_H
#define KVMBENCH_COMPUTE_H

#include <stdint.h>

#include "abi.h"

#define COMPUTE_INSNS_PER_UNIT	1093	/* 3 + 64 x 17 + 2 */
#define COMPUTE_INSNS_FIXED	14

/* One step of xorshift64* as the guests take it (guest/work.h):
 * advances *x, returns its output. */
static inline uint64_t compute_next(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * COMPUTE_MULTIPLIER;
}

/* The checksum of a run of `units` units, from a zero table. */
uint64_t compute_checksum(uint64_t units);

#endif
