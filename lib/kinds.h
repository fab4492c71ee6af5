/*
 * The VMM's kinds that results name: the memory kinds, the vCPU reset
 * levels and the steps of a single-use VM, each an enum and the names a
 * result file records for it.  Data only, so that readers of results
 * (kvmbench-report) have them without the VMM.
 */
#ifndef KVMBENCH_KINDS_H
#define KVMBENCH_KINDS_H

/* Where the write-enabled memory at GUEST_DATA_BASE comes from. */
enum vm_memory {
	VM_MEM_SHARED,		/* every VM maps the same host memory */
	VM_MEM_INDIVIDUAL,	/* each VM gets its own, created with it */
};

/* "shared", "individual", NULL: indexed by enum vm_memory. */
extern const char *const vm_memory_names[];

/*
 * How much of a vCPU goes back to its pristine state between two runs of a
 * live VM, cheapest first.  Ring 3 can change no MSR (WRMSR is privileged
 * and the suite leaves CR4.FSGSBASE clear), so no level sets any.
 */
enum vcpu_reset {
	VCPU_RESET_REGS,	/* KVM_SET_REGS: the general registers, RIP, RFLAGS */
	VCPU_RESET_SREGS,	/* also KVM_SET_SREGS: segments, control registers */
	VCPU_RESET_FXRSTOR,	/* sregs, and RIP at the read-only entry stub
				 * (guest/entry.S), which restores x87 and SSE
				 * state with FXRSTOR64 before the guest runs */
	VCPU_RESET_FULL,	/* sregs and KVM_SET_XSAVE, KVM_SET_XCRS: x87, SSE... */
	VCPU_RESET_RECREATE,	/* a new vCPU: KVM_CREATE_VCPU, kvm_run mapped again */
	VCPU_RESET_COUNT,
};
/* "regs", "sregs", "fxrstor", "full", "recreate", NULL: by enum vcpu_reset. */
extern const char *const vcpu_reset_names[];

/* The steps of a single-use VM, in order. */
enum vm_phase {
	VM_PHASE_CREATE_VM,	/* KVM_CREATE_VM, and its individual memory */
	VM_PHASE_MEMSLOTS,	/* the two memslots */
	VM_PHASE_CREATE_VCPU,
	VM_PHASE_MAP_RUN,	/* mmap of kvm_run */
	VM_PHASE_SET_CPUID,	/* KVM_SET_CPUID2 */
	VM_PHASE_SET_REGISTERS,	/* KVM_SET_SREGS, KVM_SET_REGS */
	VM_PHASE_RUN,		/* every KVM_RUN to the end port */
	VM_PHASE_TEARDOWN,
	VM_PHASES,
};
/* "create-vm", ...: a phase's name in results, indexed by enum vm_phase. */
extern const char *const vm_phase_names[VM_PHASES];

#endif
