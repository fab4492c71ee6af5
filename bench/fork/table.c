/* The warm guest's table in C (table.h). */
#include "abi.h"
#include "compute.h"
#include "table.h"

void warm_table_fill(uint64_t *q, uint64_t n)
{
	uint64_t x = COMPUTE_SEED;

	for (uint64_t i = 0; i < n; i++)
		q[i] = compute_next(&x);
}

uint64_t warm_checksum(uint64_t n)
{
	uint64_t x = COMPUTE_SEED, c = 0;

	for (uint64_t i = 0; i < n; i++)
		c = (c ^ compute_next(&x)) * COMPUTE_MULTIPLIER;
	return c;
}
