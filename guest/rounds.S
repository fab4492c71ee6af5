/*
 * rounds: the guest that kvmbench-rounds enters again and again.
 *
 * RDI = heap pages to dirty in this run (from GUEST_DATA_BASE up, filled
 *       with the bytes "kvmbench");
 * RSI = flags; bit 0: first check that every byte of the write-enabled
 *       memory (GUEST_DATA_BASE up to RSP, the stack's top) is zero, as a
 *       reset must leave it, and end with status 0x80000000 | offset of
 *       the first non-zero 8 bytes if not.
 * Then it prints "hello\n" through a call (so the stack is written too)
 * and ends with status 0, as hello does.
 */
#include "abi.h"

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	%rsp, %r12
	test	$1, %esi
	jz	fill
	mov	$GUEST_DATA_BASE, %ebx
check:
	cmp	%r12, %rbx
	jae	fill
	cmpq	$0, (%rbx)
	jne	dirty
	add	$8, %rbx
	jmp	check

fill:
	mov	%rdi, %rcx
	shl	$9, %rcx		/* 512 quadwords a page */
	mov	$GUEST_DATA_BASE, %edi
	movabs	$0x68636e65626d766b, %rax	/* "kvmbench" */
	rep stosq
	lea	msg(%rip), %rsi
	mov	$msg_len, %ecx
	call	print
	xor	%eax, %eax
	out	%eax, $GUEST_PORT_EXIT
	ud2

dirty:
	lea	-GUEST_DATA_BASE(%rbx), %eax
	or	$0x80000000, %eax
	out	%eax, $GUEST_PORT_EXIT
	ud2

print:
	lodsb
	out	%al, $GUEST_PORT_CONSOLE
	loop	print
	ret

	.section .rodata
msg:	.ascii	"hello\n"
	.set	msg_len, . - msg
