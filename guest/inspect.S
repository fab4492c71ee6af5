/*
 * inspect: on entry, before anything else, compares the vCPU state that
 * ring 3 can change (guest/vcpu-state.h) with the pristine values the VMM
 * sets, and ends with status 0 if all of it is pristine, or with
 * GUEST_STATUS_VCPU | a GUEST_LEAK_* bit for every kind of state that
 * differs (guest/abi.h).  It prints nothing.
 */
#include "vcpu-state.h"

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	vcpu_inspect_flags
	vcpu_inspect_fpu
	mov	%r15d, %eax
	test	%eax, %eax
	jz	1f
	or	$GUEST_STATUS_VCPU, %eax
1:	out	%eax, $GUEST_PORT_EXIT
	ud2

	.section .rodata
	vcpu_fx_pristine
