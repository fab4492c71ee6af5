/*
 * Snapshots: a VM's write-enabled memory and its vCPU's whole state, taken
 * once, and VMs made from them as sandbox platforms make them (zeroboot,
 * Firecracker's snapshot restore): a private copy-on-write mapping of the
 * memory's memfd, and a vCPU given the saved state, so that it goes on
 * from where the snapshotted guest stopped.
 *
 * The vCPU state: registers, special registers, the XSAVE image and the
 * XCRs, the MSRs of msr_wanted[] that this KVM lists (KVM_GET_MSR_INDEX_LIST),
 * and the CPUID table.  Not taken: vCPU events, debug registers, an
 * interrupt controller's state (the suite's VMs have none) and KVM's clock.
 */
#ifndef KVMBENCH_SNAPSHOT_H
#define KVMBENCH_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include <linux/kvm.h>

#include "vm.h"

struct vm_snapshot {
	const struct kvm *kvm;
	size_t size;			/* of the write-enabled memory */
	int memfd;			/* that memory, as it was */
	const void *mem;		/* the same, mapped read-only */
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_xsave *xsave;	/* kvm->xsave_size bytes */
	struct kvm_xcrs xcrs;		/* where kvm->have_xcrs */
	struct kvm_cpuid2 *cpuid;
	struct kvm_msrs *msrs;		/* msrs->nmsrs entries follow */
};

/* Takes vm's write-enabled memory (copied into a new memfd) and its vCPU's
 * state; vm stays as it is.  vm_snapshot_free() cleans up after a failure. */
int vm_snapshot_take(struct vm_snapshot *s, const struct vm *vm);
void vm_snapshot_free(struct vm_snapshot *s);

/* A template whose VMs are forks of s: individual memory mapping s->memfd
 * privately (what resets restore too: its pristine image is s's memory),
 * the code of guest, and a vCPU that vm_create() gives s's state, with
 * RDI and RSI as vm_template_args() sets them.  s must outlive t. */
int vm_template_snapshot(struct vm_template *t, const struct vm_snapshot *s,
			 const struct guest_image *guest);

/* vm's vCPU back to s's state, RDI and RSI set: special registers,
 * registers, XCRs, XSAVE image, MSRs (not CPUID: KVM refuses to change it
 * once a vCPU has run).  vm_create() calls it for a snapshot's template,
 * after the CPUID. */
int vm_snapshot_restore(struct vm *vm, const struct vm_snapshot *s, uint64_t rdi, uint64_t rsi);

#endif
