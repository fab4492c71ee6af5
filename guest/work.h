/*
 * The guests' integer work, as assembler macros: one step of xorshift64*
 * (the compute, chunks and warm guests) and the compute guest's units
 * (compute and chunks).  lib/compute.h has the same in C.
 */
#ifndef KVMBENCH_GUEST_WORK_H
#define KVMBENCH_GUEST_WORK_H

#include "abi.h"

/* Advances x; its output, x * mul (COMPUTE_MULTIPLIER), in t.  11
 * instructions. */
.macro xorshift64star x, t, mul
	mov	\x, \t			/* xorshift64 */
	shr	$12, \t
	xor	\t, \x
	mov	\x, \t
	shl	$25, \t
	xor	\t, \x
	mov	\x, \t
	shr	$27, \t
	xor	\t, \x
	mov	\x, \t			/* output: x * multiplier */
	imul	\mul, \t
.endm

/*
 * RCX units of work (guest/compute.S says what one is): the generator in
 * RAX, the multiplier in R9, the table at RSI, the checksum folded into
 * RDX.  Clobbers RBX, RCX, R8, R10.  3 + 64 x 17 + 2 instructions a unit,
 * and 2 to end.
 */
.macro compute_units
1:	test	%rcx, %rcx
	jz	3f
	mov	$COMPUTE_ITERATIONS, %r8d
2:	xorshift64star %rax, %rbx, %r9
	mov	%rbx, %r10
	shr	$51, %r10		/* table index: the top 13 bits */
	add	%rbx, (%rsi, %r10, 8)
	xor	(%rsi, %r10, 8), %rdx
	dec	%r8d
	jnz	2b
	dec	%rcx
	jmp	1b
3:
.endm

#endif
