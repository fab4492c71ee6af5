/*
 * rounds: the guest that kvmbench-rounds enters again and again.
 *
 * Its write-enabled memory starts as a pristine image that is not all zero:
 * an initialised .data section of PRISTINE_BYTES at GUEST_DATA_BASE, zeros
 * after it.  A reset must bring back exactly that; one that merely zeroes
 * memory is caught.
 *
 * RDI = heap pages to dirty in this run (from GUEST_DATA_BASE up, filled
 *       with the bytes "kvmbench");
 * RSI = flags; bit 0: first check that the write-enabled memory (up to RSP,
 *       the stack's top) equals the pristine image, byte for byte, and end
 *       with status 0x80000000 | offset of the first byte that differs if
 *       not.
 * Then it prints "hello\n" through a call (so the stack is written too)
 * and ends with status 0, as hello does.
 */
#include "abi.h"

#define PRISTINE_BYTES 8192

/* A pseudo-random word sequence, the same each time the macro is used. */
.macro pristine_words
	.set w, 0x9e3779b9
	.rept PRISTINE_BYTES / 4
	.long w
	.set w, (w * 1103515245 + 12345) & 0xffffffff
	.endr
.endm

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	%rsp, %r12
	mov	%rdi, %r8
	test	$1, %esi
	jz	fill
	/* The initialised data equals its read-only copy... */
	mov	$GUEST_DATA_BASE, %edi
	lea	pristine_copy(%rip), %rsi
	mov	$PRISTINE_BYTES, %ecx
	repe cmpsb
	jne	differs
	/* ... and every byte after it, up to the stack's top, is zero. */
	mov	$(GUEST_DATA_BASE + PRISTINE_BYTES), %ebx
check:
	cmp	%r12, %rbx
	jae	fill
	cmpq	$0, (%rbx)
	jne	dirty
	add	$8, %rbx
	jmp	check

fill:
	mov	%r8, %rcx
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

differs:
	lea	-1(%rdi), %rbx		/* repe cmpsb stops one past the byte */
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
	.balign	8
pristine_copy:
	pristine_words

	.section .data, "aw"
pristine:
	pristine_words
