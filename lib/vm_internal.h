/*
 * Inside lib/: what vm.c, vcpu.c and guest_exit.c share, and no benchmark
 * calls.
 */
#ifndef KVMBENCH_VM_INTERNAL_H
#define KVMBENCH_VM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/kvm.h>

#include "abi.h"

struct kvm;
struct vm;
struct vm_hot;
struct vm_result;

/* What a tracking reset keeps per VM, behind vm->track: created with the
 * VM when its template tracks (t->tracking), freed with it. */
struct vm_track {
	uint64_t *pt;			/* pte-dirty: its page tables */
	struct kvm_dirty_gfn *ring;	/* dirty-ring: its vCPU's ring */
	uint32_t ring_next;
	bool ran;			/* has run since its tracking was last read */
	bool cr3_alt;			/* pte-dirty: CR3 is the second PML4 */
	bool sregs_stale;		/* pte-dirty: CR3 changed, not yet set */
	struct vm_hot *hot;		/* dirty-log-hot: its pages kept writable */
	/* Pages written and not yet restored, as the tracking reported them. */
	uint64_t dirty[GUEST_DATA_MAX / 4096 / 64];
};

/* kvm->xsave and ->xcrs from the fresh vCPU vcpu_fd, and what sync-regs
 * and XCRs this KVM offers. */
int vcpu_pristine_extended(struct kvm *kvm, int vcpu_fd);
/* Creates vCPU id of vm, maps its kvm_run (and dirty ring) and gives it
 * the CPUID; stamp (NULL: none) gets the timestamps of its phases. */
int vcpu_open(struct vm *vm, uint32_t id, uint64_t *stamp);
/* The messages of a refused KVM_SET_CPUID2 and KVM_SET_SREGS: what was
 * refused, and on which KVM; err returned. */
int vcpu_cpuid_refused(const struct kvm *kvm, int err);
int vcpu_sregs_refused(const struct kvm *kvm, const struct kvm_sregs *s, int err);
/* The entry segments and control registers; the entry registers with RDI,
 * RSI and RIP as given. */
int vcpu_set_sregs(struct vm *vm);
int vcpu_set_regs(struct vm *vm, uint64_t rdi, uint64_t rsi, uint64_t rip);
/* The message (err.h) and -EIO for a guest that stopped with an exit
 * other than its end port, res its run so far; with vm_count()'s message
 * where KVM emulated instructions of the run. */
int vm_guest_failed(struct vm *vm, const struct vm_result *res);
const char *vm_exit_reason_name(uint32_t reason);

#endif
