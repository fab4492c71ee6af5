/*
 * Guests that misbehave, one way each, for the tests of lib/vm.c's error
 * paths.  guest/meson.build builds this file once per FAULT_* below; each
 * guest does its one wrong thing at its first instruction after _start's
 * setup, and ends with status 0xbad if it ever gets past it.
 *
 *   fault-hlt               hlt at CPL 3: #GP, no handler: shutdown
 *   fault-privileged        mov to CR3 at CPL 3: #GP: shutdown
 *   fault-write-pagetables  write to the read-only page tables: #PF: shutdown
 *   fault-write-code        write to the read-only code: #PF: shutdown
 *   fault-read-outside      read mapped by the page tables, outside every memslot
 *   fault-write-outside     write likewise
 *   fault-jump-unmapped     jump where no page is mapped: #PF: shutdown
 *   fault-jump-nx           jump into the non-executable data: #PF: shutdown
 *   fault-port              out to a port that is not in guest/abi.h
 *   spin                    never reaches its end port
 *   flood                   prints "x" forever
 */
#include "abi.h"

/* Mapped by the data PTE (2 MiB at GUEST_DATA_BASE), beyond the 1 MiB slot. */
#define OUTSIDE (GUEST_DATA_BASE + 0x180000)

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
#if defined(FAULT_HLT)
	hlt
#elif defined(FAULT_PRIVILEGED)
	mov	$GUEST_PT_BASE, %eax
	mov	%rax, %cr3
#elif defined(FAULT_WRITE_PAGETABLES)
	movl	$1, GUEST_PT_BASE
#elif defined(FAULT_WRITE_CODE)
	movl	$1, GUEST_CODE_BASE
#elif defined(FAULT_READ_OUTSIDE)
	mov	OUTSIDE, %eax
#elif defined(FAULT_WRITE_OUTSIDE)
	movl	$1, OUTSIDE
#elif defined(FAULT_JUMP_UNMAPPED)
	mov	$0x800000, %eax
	jmp	*%rax
#elif defined(FAULT_JUMP_NX)
	mov	$GUEST_DATA_BASE, %eax
	jmp	*%rax
#elif defined(FAULT_PORT)
	out	%al, $0x80
#elif defined(SPIN)
1:	jmp	1b
#elif defined(FLOOD)
	mov	$'x', %al
1:	out	%al, $GUEST_PORT_CONSOLE
	jmp	1b
#else
#error "define one FAULT_*, SPIN or FLOOD"
#endif
	mov	$0xbad, %eax
	out	%eax, $GUEST_PORT_EXIT
	ud2
