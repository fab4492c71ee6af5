/*
 * The bare loop: the leanest C that does what vm_oneshot() does, with the same
 * ioctls in the same order (create VM, two memslots, create vCPU, map
 * kvm_run, set CPUID, sregs and regs, run hello to its end port, read
 * KVM's counters untimed, close) and
 * nothing else: no checks beyond the ioctls' results, no per-step
 * messages.  It keeps the guest's output as vm_run() does, so that both
 * fill a vm_result alike.  Timed against vm_oneshot(), it shows what the
 * VMM adds.
 */
#ifndef KVMBENCH_BARE_H
#define KVMBENCH_BARE_H

#include "vm.h"

/* vm_oneshot()'s contract: 0, with res filled (output, status, exits,
 * KVM's counts) and *ns the time taken but for the counters' read, or
 * -errno and a message in err_msg(), instruction emulation included. */
int bare_oneshot(const struct vm_template *t, struct vm_result *res, uint64_t *ns);

#endif
