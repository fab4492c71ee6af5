/*
 * poison: sets every piece of vCPU state that ring 3 can reach here to a
 * distinctive value that is not its pristine one (guest/vcpu-state.h says
 * which state that is, and why the rest is out of reach at CPL 3), then
 * ends with status 0.  The next run in the same vCPU, guest/inspect.S,
 * shows what a reset left behind.
 */
#include "vcpu-state.h"

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	vcpu_poison
	mov	$0, %eax		/* MOV: the flags stay poisoned */
	out	%eax, $GUEST_PORT_EXIT
	ud2

	.section .rodata
	vcpu_poison_values
