/*
 * The floor: the leanest C that does what vm_oneshot() does, with the same
 * ioctls in the same order (create VM, two memslots, create vCPU, map
 * kvm_run, set sregs and regs, run hello to its end port, close) and
 * nothing else: no output buffer, no per-step messages.  kvmbench-floor
 * times it against vm_oneshot() to show what the VMM adds.
 */
#ifndef KVMBENCH_FLOOR_H
#define KVMBENCH_FLOOR_H

#include "vm.h"

/* Returns the number of console bytes the guest wrote, or -errno (message
 * in err_msg()). */
int floor_oneshot(const struct vm_template *t);

#endif
