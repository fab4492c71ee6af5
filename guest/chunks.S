/*
 * chunks: compute for ever, one chunk at a time: the victim of
 * kvmbench-neighbours, whose progress the host times chunk by chunk.
 *
 * RDI = units per chunk (guest/compute.S's unit: COMPUTE_ITERATIONS steps
 * of xorshift64* over a table of COMPUTE_TABLE_BYTES at GUEST_DATA_BASE).
 * After each chunk it ends its run with status 0 on GUEST_PORT_EXIT and,
 * entered again, computes the next chunk, the generator and table going
 * on from where they were.
 */
#include "abi.h"
#include "work.h"

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	movabs	$COMPUTE_SEED, %rax
	xor	%edx, %edx
	mov	$GUEST_DATA_BASE, %esi
	movabs	$COMPUTE_MULTIPLIER, %r9
chunk:
	mov	%rdi, %rcx
	compute_units
done:
	mov	%rax, %r12		/* the generator, kept */
	xor	%eax, %eax
	out	%eax, $GUEST_PORT_EXIT
	mov	%r12, %rax
	jmp	chunk
