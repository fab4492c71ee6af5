/*
 * Resources a long run needs, checked before it starts: a run that would
 * die of EMFILE or ENOMEM halfway is refused up front with a message
 * naming the limit, the need and the fix.
 */
#ifndef KVMBENCH_LIMITS_H
#define KVMBENCH_LIMITS_H

#include <stdbool.h>
#include <stdint.h>

/* Room for `extra` more open files beyond those open now (and a margin for
 * writing the result): raises the soft RLIMIT_NOFILE up to the hard one,
 * and the hard one where this process may.  -EMFILE if it does not fit. */
int limits_nofile(uint64_t extra, const char *what);
/* The file descriptors this process may still open. */
uint64_t limits_nofile_free(void);
/* Room for `extra` more mappings under vm.max_map_count: -ENOMEM if not. */
int limits_maps(uint64_t extra, const char *what);
/* vm.max_map_count into *max and the mappings this process holds now into
 * *now (0 if unreadable); false when the limit cannot be read. */
bool limits_maps_count(uint64_t *max, uint64_t *now);
/*
 * Room for `extra` more tasks (processes and threads): under
 * kernel.pid_max and kernel.threads-max, given the tasks that exist now,
 * and, for a user other than root, under RLIMIT_NPROC given that user's
 * tasks (the soft limit is raised to the hard one where that suffices).
 * A live VM is a task on kernels that start one per VM (x86's NX huge page
 * recovery task): count one per VM.  -EAGAIN if they do not fit.
 */
int limits_tasks(uint64_t extra, const char *what);
/* Tasks per live VM on this kernel: 1, or 0 where kvm.nx_huge_pages is
 * "never" (no recovery task is started). */
unsigned limits_tasks_per_vm(void);
/* `bytes` of memory (MemAvailable): -ENOMEM if not. */
int limits_memory(uint64_t bytes, const char *what);

#endif
