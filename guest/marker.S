/*
 * marker: reports the 32-bit word at GUEST_MARKER_ADDR as its exit status,
 * then stores RDI there.  Run it in two VMs: the second one's status shows
 * whether it can see what the first one wrote.
 */
#include "abi.h"

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	$GUEST_MARKER_ADDR, %ebx
	mov	(%rbx), %eax
	mov	%edi, (%rbx)
	out	%eax, $GUEST_PORT_EXIT
	ud2
