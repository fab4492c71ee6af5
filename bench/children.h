/*
 * The child processes of a benchmark, in one place: the runs of --runs K
 * (bench/runs.c, each this program again) and the worker processes that
 * hold live VMs (bench/shard.c).  A child dies with its parent
 * (PR_SET_PDEATHSIG), a SIGINT or SIGTERM to the parent reaches every
 * child, and waiting survives signals.  One pool per process.
 */
#ifndef KVMBENCH_BENCH_CHILDREN_H
#define KVMBENCH_BENCH_CHILDREN_H

#include <stddef.h>
#include <sys/types.h>

/* Room for n children; 0 or -ENOMEM. */
int children_init(size_t n);
void children_fini(void);
/* fork(): in the child, 0, and it dies with this process (SIGKILL);
 * here, its pid, kept in the pool; -1 with errno when none (the pool
 * full: EAGAIN). */
pid_t children_fork(void);
/* From now on SIGINT and SIGTERM set bench_signal and go on to every
 * child; otherwise a caller passes bench_signal on with children_kill(). */
void children_forward_signals(void);
/* sig to every child still in the pool. */
void children_kill(int sig);
/* Waits for child pid (retrying on EINTR) and takes it out of the pool:
 * its exit status, 128 + the signal that ended it, or -1 if waitpid
 * failed (errno); raw (NULL: not wanted) gets waitpid's status. */
int children_wait(pid_t pid, int *raw);

#endif
