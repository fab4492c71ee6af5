/*
 * compute: deterministic integer work, the same in KVM and in an emulator.
 *
 * RDI = units of work.  One unit is COMPUTE_ITERATIONS steps of
 * xorshift64* (guest/abi.h): each step advances the generator, adds its
 * output to one of the 8192 quadwords of a 64 KiB table at GUEST_DATA_BASE
 * (chosen by the output's top 13 bits) and folds that quadword into the
 * checksum, so both arithmetic and memory count.  The table starts zero
 * (pristine memory), so the checksum depends on every step of the run and
 * on a reset having put the table back.  At the end the 64-bit checksum
 * goes out on GUEST_PORT_RESULT (low half, then high) and the run ends
 * with status 0, as hello does.  lib/compute.c computes the same in C.
 *
 * Instructions: 17 per step, 1093 per unit (3 + 64 x 17 + 2), and 14 to
 * start and end (COMPUTE_INSNS_* in lib/compute.h).
 */
#include "abi.h"
#include "work.h"

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	%rdi, %rcx
	movabs	$COMPUTE_SEED, %rax
	xor	%edx, %edx
	mov	$GUEST_DATA_BASE, %esi
	movabs	$COMPUTE_MULTIPLIER, %r9
	compute_units
done:
	mov	%edx, %eax
	out	%eax, $GUEST_PORT_RESULT
	mov	%rdx, %rax
	shr	$32, %rax
	out	%eax, $GUEST_PORT_RESULT
	xor	%eax, %eax
	out	%eax, $GUEST_PORT_EXIT
	ud2
