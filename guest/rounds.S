/*
 * rounds: the guest a live VM is entered with again and again, round after round.
 *
 * Its write-enabled memory starts as a pristine image that is not all zero:
 * an initialised .data section of PRISTINE_BYTES at GUEST_DATA_BASE, zeros
 * after it.  A reset must bring back exactly that; one that merely zeroes
 * memory is caught.
 *
 * RDI = heap pages to dirty in this run (from GUEST_DATA_BASE up, filled
 *       with the bytes "kvmbench");
 * RSI = flags; bit 0: first check that the vCPU state ring 3 can change
 *       is pristine (guest/vcpu-state.h) and that the write-enabled memory
 *       (up to RSP, the stack's top) equals the pristine image, byte for
 *       byte; end with status 0x80000000 | offset of the first byte that
 *       differs, or GUEST_STATUS_VCPU | the kinds of vCPU state that do.
 *       bit 1: poison that vCPU state before ending (guest/poison.S), so
 *       that the next run's check shows whether the reset put it back.
 * Then it prints "hello\n" through a call (so the stack is written too)
 * and ends with status 0, as hello does.
 */
#include "vcpu-state.h"

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
	mov	%rsi, %r9
	test	$1, %esi
	jz	fill
	/* The flags first: the memory check below changes them. */
	vcpu_inspect_flags
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
	jae	check_fpu
	cmpq	$0, (%rbx)
	jne	dirty
	add	$8, %rbx
	jmp	check
	/* Memory is pristine: now the x87 and SSE state (FXSAVE writes below
	 * the stack, so it comes after the memory check). */
check_fpu:
	vcpu_inspect_fpu
	test	%r15d, %r15d
	jz	fill
	mov	%r15d, %eax
	or	$GUEST_STATUS_VCPU, %eax
	out	%eax, $GUEST_PORT_EXIT
	ud2

fill:
	mov	%r8, %rcx
	shl	$9, %rcx		/* 512 quadwords a page */
	mov	$GUEST_DATA_BASE, %edi
	movabs	$0x68636e65626d766b, %rax	/* "kvmbench" */
	rep stosq
	lea	msg(%rip), %rsi
	mov	$msg_len, %ecx
	call	print
	test	$2, %r9d
	jz	done
	vcpu_poison
done:
	mov	$0, %eax		/* MOV: poisoned flags stay */
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
	vcpu_poison_values
	vcpu_fx_pristine
	.balign	8
pristine_copy:
	pristine_words

	.section .data, "aw"
pristine:
	pristine_words
