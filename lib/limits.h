/*
 * Resources a long run needs, checked before it starts: a run that would
 * die of EMFILE or ENOMEM halfway is refused up front with a message
 * naming the limit, the need and the fix.
 */
#ifndef KVMBENCH_LIMITS_H
#define KVMBENCH_LIMITS_H

#include <stdint.h>

/* Room for `extra` more open files beyond those open now (and a margin for
 * writing the result): raises the soft RLIMIT_NOFILE up to the hard one,
 * and the hard one where this process may.  -EMFILE if it does not fit. */
int limits_nofile(uint64_t extra, const char *what);
/* The file descriptors this process may still open. */
uint64_t limits_nofile_free(void);
/* Room for `extra` more mappings under vm.max_map_count: -ENOMEM if not. */
int limits_maps(uint64_t extra, const char *what);
/* `bytes` of memory (MemAvailable): -ENOMEM if not. */
int limits_memory(uint64_t bytes, const char *what);

#endif
