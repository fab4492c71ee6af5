/*
 * Inside lib/: what vm.c, vcpu.c and guest_exit.c share, and no benchmark
 * calls.
 */
#ifndef KVMBENCH_VM_INTERNAL_H
#define KVMBENCH_VM_INTERNAL_H

#include <stdint.h>

struct kvm;
struct vm;

/* kvm->xsave and ->xcrs from the fresh vCPU vcpu_fd, and what sync-regs
 * and XCRs this KVM offers. */
int vcpu_pristine_extended(struct kvm *kvm, int vcpu_fd);
/* Creates vCPU id of vm and maps its kvm_run (and dirty ring); stamp
 * (NULL: none) gets the timestamps of its phases. */
int vcpu_open(struct vm *vm, uint32_t id, uint64_t *stamp);
/* The entry segments and control registers; the entry registers with RDI,
 * RSI and RIP as given. */
int vcpu_set_sregs(struct vm *vm);
int vcpu_set_regs(struct vm *vm, uint64_t rdi, uint64_t rsi, uint64_t rip);
/* The message (err.h) and -EIO for a guest that stopped with an exit
 * other than its end port. */
int vm_guest_failed(struct vm *vm);
const char *vm_exit_reason_name(uint32_t reason);

#endif
