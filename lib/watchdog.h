/*
 * When a guest run ends other than at its end port: the run time limit of
 * every run in the process (a watchdog thread), and a request to end the
 * runs in progress (SIGINT, SIGTERM).  Any other signal that interrupts
 * KVM_RUN, a stop and continue by job control above all, does not end a
 * run: the run loop resumes the guest.
 */
#ifndef KVMBENCH_WATCHDOG_H
#define KVMBENCH_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/kvm.h>

/*
 * A run time limit for every vm_run() of the process: a guest still
 * running after timeout_ns (give or take a quarter) is stopped through a
 * signal and kvm_run's immediate_exit, and vm_run() returns -ETIMEDOUT.
 * A watchdog thread checks four times per period; the run itself pays two
 * memory stores.  A look that comes late (the process was stopped) is not
 * held against the guest.  0 turns the limit off.
 */
int watchdog_start(uint64_t timeout_ns);
uint64_t watchdog_timeout_ns(void);
/* In a child after fork(): the watchdog thread again (a child has only the
 * thread that forked), with the same limit.  0 if there was none. */
int watchdog_after_fork(void);

/* Async-signal-safe (a SIGINT handler's): from now on, a run that a
 * signal interrupts ends, with -EINTR, instead of being resumed. */
void watchdog_stop_runs(void);
bool watchdog_runs_stopped(void);

/* For the run loop: a run of `run` begins, and ends.  Two stores each. */
void watchdog_enter(struct kvm_run *run);
void watchdog_leave(void);
/* After KVM_RUN returned EINTR: whether the limit stopped this thread's
 * run (and if so, its state is cleared for the next). */
bool watchdog_fired(struct kvm_run *run);

#endif
