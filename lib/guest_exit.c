/*
 * What a guest that stopped anywhere but its end port did, in one message:
 * the exit reason, its RIP and what the exit says.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "abi.h"
#include "clock.h"
#include "err.h"
#include "vm.h"
#include "vm_internal.h"
#include "x86.h"
#include "util.h"

const char *vm_exit_reason_name(uint32_t reason)
{
	static const char *const names[] = {
#define N(x) [KVM_EXIT_##x] = "KVM_EXIT_" #x
		N(UNKNOWN), N(EXCEPTION), N(IO), N(HYPERCALL), N(DEBUG),
		N(HLT), N(MMIO), N(IRQ_WINDOW_OPEN), N(SHUTDOWN),
		N(FAIL_ENTRY), N(INTR), N(SET_TPR), N(TPR_ACCESS),
		N(NMI), N(INTERNAL_ERROR), N(OSI), N(PAPR_HCALL),
		N(WATCHDOG), N(EPR), N(SYSTEM_EVENT), N(IOAPIC_EOI),
		N(HYPERV), N(X86_RDMSR), N(X86_WRMSR), N(DIRTY_RING_FULL),
		N(AP_RESET_HOLD), N(X86_BUS_LOCK), N(XEN), N(NOTIFY),
#undef N
	};

	if (reason < ARRAY_SIZE(names) && names[reason])
		return names[reason];
	return "an unknown exit reason";
}


int vm_guest_failed(struct vm *vm, const struct vm_result *res)
{
	const struct kvm_run *r = vm->run;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	char rip[32] = "an unknown RIP";
	char what[160] = "";

	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs) == 0)
		snprintf(rip, sizeof(rip), "RIP 0x%llx", (unsigned long long)regs.rip);

	switch (r->exit_reason) {
	case KVM_EXIT_IO:
		snprintf(what, sizeof(what), " (%s port 0x%x, %u byte(s) x %u: not a port "
			 "of guest/abi.h)", r->io.direction == KVM_EXIT_IO_OUT ? "out to" :
			 "in from", r->io.port, r->io.size, r->io.count);
		break;
	case KVM_EXIT_MMIO:
		snprintf(what, sizeof(what), " (%s of %u byte(s) at guest address 0x%llx, "
			 "which is read-only or outside every memslot)",
			 r->mmio.is_write ? "write" : "read", r->mmio.len,
			 (unsigned long long)r->mmio.phys_addr);
		break;
	case KVM_EXIT_SHUTDOWN:
		/* kvm_amd INITs the vCPU on a shutdown intercept (the VMCB is
		 * undefined after one), kvm_intel keeps its state: in real mode
		 * the RIP read back is the reset vector's, not the fault's. */
		if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs) == 0 && !(sregs.cr0 & X86_CR0_PE)) {
			snprintf(rip, sizeof(rip), "an unknown RIP");
			snprintf(what, sizeof(what), " (triple fault: the guest raised an "
				 "exception and has no handler; KVM reset the vCPU at the "
				 "shutdown, as kvm_amd does, so the fault's RIP is lost)");
			break;
		}
		snprintf(what, sizeof(what), " (triple fault: the guest raised an "
			 "exception and has no handler)");
		break;
	case KVM_EXIT_HLT:
		snprintf(what, sizeof(what), " (the guest halted)");
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		snprintf(what, sizeof(what), " (suberror %u)", r->internal.suberror);
		break;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(what, sizeof(what), " (hardware entry failure reason 0x%llx)",
			 (unsigned long long)r->fail_entry.hardware_entry_failure_reason);
		break;
	}
	/* An exit that KVM's instruction emulator made (an emulated page
	 * walk's store, under hardware paging) is said to be one. */
	struct vm_result counts = *res;
	char emulated[400] = "";
	if (vm_count(vm, &counts) == -EIO)
		snprintf(emulated, sizeof(emulated), "; %s", err_msg());
	return err_set(-EIO, "guest '%s' stopped with %s at %s%s%s", vm->t->guest->name,
		       vm_exit_reason_name(r->exit_reason), rip, what, emulated);
}
