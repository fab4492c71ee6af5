#include <stdlib.h>

#include "abi.h"
#include "compute.h"

uint64_t compute_checksum(uint64_t units)
{
	uint64_t *table = calloc(COMPUTE_TABLE_BYTES / 8, 8);
	uint64_t x = COMPUTE_SEED, sum = 0;

	if (!table)
		abort();
	for (uint64_t u = 0; u < units; u++) {
		for (int i = 0; i < COMPUTE_ITERATIONS; i++) {
			uint64_t y = compute_next(&x);
			table[y >> 51] += y;
			sum ^= table[y >> 51];
		}
	}
	free(table);
	return sum;
}
