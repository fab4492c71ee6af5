/*
 * The warm guest's table and checksums in C (guest/warm.S): what a
 * request must answer, computed by the host to check it.
 */
#ifndef KVMBENCH_FORK_TABLE_H
#define KVMBENCH_FORK_TABLE_H

#include <stdint.h>

/* The first n quadwords of the table the warm guest computes, into q. */
void warm_table_fill(uint64_t *q, uint64_t n);
/* The checksum of the table's first n quadwords (c = (c ^ q) * COMPUTE_MULTIPLIER), stamped
 * pages aside: what a request over n / 512 pages, or a verify over n
 * quadwords, answers. */
uint64_t warm_checksum(uint64_t n);

#endif
