/*
 * entry: the VMM's entry stub, not a guest.  The host copies it to
 * GUEST_STUB_BASE in every template's read-only memory; the fxrstor vCPU
 * reset (lib/vm.h) points RIP at it instead of at the guest.  At CPL 3,
 * before the guest's first instruction, it puts the x87 and SSE state back
 * to the pristine image (guest/vcpu-state.h) with FXRSTOR64 and jumps to
 * GUEST_CODE_BASE.  It changes no general register, no flag and no memory
 * the guest can write, and the guest cannot change it: the same reset as
 * KVM_SET_XSAVE for that state, without an ioctl.  Position-independent:
 * linked like the guests, it runs wherever it is copied.
 */
#include "vcpu-state.h"

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	fxrstor64 fx_pristine(%rip)
	jmp	*guest_entry(%rip)

	.section .rodata
	.balign	8
guest_entry:
	.quad	GUEST_CODE_BASE
	vcpu_fx_pristine
