/*
 * The floor: the leanest C that does what vm_oneshot() does, with the same
 * ioctls in the same order (create VM, two memslots, create vCPU, map
 * kvm_run, set sregs and regs, run hello to its end port, close) and
 * nothing else: no checks beyond the ioctls' results, no per-step
 * messages.  It keeps the guest's output as vm_run() does, so that both
 * fill a vm_result alike.  kvmbench-floor times it against vm_oneshot()
 * to show what the VMM adds.
 */
#ifndef KVMBENCH_FLOOR_H
#define KVMBENCH_FLOOR_H

#include "vm.h"

/* vm_oneshot()'s contract: 0, with res filled (output, status, exits),
 * or -errno and a message in err_msg(). */
int floor_oneshot(const struct vm_template *t, struct vm_result *res);

#endif
