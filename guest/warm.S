/*
 * warm: a guest that warms up once and then serves requests, for
 * kvmbench-fork: the state a sandbox platform snapshots and forks from.
 *
 * On entry (RIP = GUEST_CODE_BASE): RDI = W, the bytes to warm, a multiple
 * of 4096 and below the stack; RSI = the first request (below).  It fills
 * [GUEST_DATA_BASE, +W) with a table it computes, one quadword of
 * xorshift64* output (COMPUTE_SEED, COMPUTE_MULTIPLIER) after another,
 * leaves RFLAGS as KVM_SET_REGS sets them, and reports ready: status 0 on
 * GUEST_PORT_EXIT.  W stays in R12.
 *
 * Each later KVM_RUN serves one request, from the instruction after the
 * ready port (or the previous request's end): the snapshot's RIP.
 *   RDI = a stamp, XORed into the first quadword of each page written
 *         (0: the page is written with the value it holds);
 *   RSI = WARM_REQUEST(P, flags): P pages, and WARM_* flags.
 * It reads the table's first P pages whole, folding each quadword q into a
 * checksum c = (c ^ q) * COMPUTE_MULTIPLIER, and writes the first quadword of each of
 * them; WARM_VERIFY reads the whole table instead and writes nothing.  The
 * checksum goes out on GUEST_PORT_RESULT (low half, then high), and the
 * request ends with status 0.  WARM_INSPECT checks first that the vCPU
 * state ring 3 can change is as the snapshot left it, pristine
 * (guest/vcpu-state.h), and ends with GUEST_STATUS_VCPU | the kinds that
 * are not; WARM_POISON poisons that state before the end.  Without those
 * two a request touches no memory but the table's pages: no stack.
 */
#include "vcpu-state.h"
#include "work.h"

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	%rdi, %r12
	movabs	$COMPUTE_SEED, %rax
	movabs	$COMPUTE_MULTIPLIER, %r9
	mov	$GUEST_DATA_BASE, %edi
	lea	(%rdi, %r12), %rdx
fill:
	cmp	%rdx, %rdi
	jae	ready
	xorshift64star %rax, %rbx, %r9
	mov	%rbx, (%rdi)
	add	$8, %rdi
	jmp	fill
ready:
	xor	%edi, %edi
	pushq	$0x3002			/* RFLAGS as KVM_SET_REGS set them: IOPL 3 */
	popfq
	mov	$0, %eax
	out	%eax, $GUEST_PORT_EXIT

request:
	/* No instruction that changes RFLAGS before the inspection. */
	mov	%rdi, %r8
	mov	%rsi, %r9
	mov	%rsi, %rcx
	movzbl	%ch, %ecx		/* WARM_INSPECT */
	jrcxz	serve
	jmp	inspect

serve:
	xor	%r10d, %r10d		/* the checksum */
	movabs	$COMPUTE_MULTIPLIER, %rbx
	mov	$GUEST_DATA_BASE, %edi
	test	$WARM_VERIFY, %r9d
	jz	pages
	lea	(%rdi, %r12), %rdx
whole:
	cmp	%rdx, %rdi
	jae	answer
	xor	(%rdi), %r10
	imul	%rbx, %r10
	add	$8, %rdi
	jmp	whole

pages:
	mov	%r9, %r11
	shr	$16, %r11		/* P */
page:
	test	%r11, %r11
	jz	answer
	lea	4096(%rdi), %rdx
read:
	xor	(%rdi), %r10
	imul	%rbx, %r10
	add	$8, %rdi
	cmp	%rdx, %rdi
	jb	read
	xor	%r8, -4096(%rdi)	/* the write */
	dec	%r11
	jmp	page

answer:
	mov	%r10d, %eax
	out	%eax, $GUEST_PORT_RESULT
	mov	%r10, %rax
	shr	$32, %rax
	out	%eax, $GUEST_PORT_RESULT
	mov	%r8, %rdi
	mov	%r9, %rsi
	test	$WARM_POISON, %r9d
	jz	done
	vcpu_poison
done:
	mov	$0, %eax		/* MOV: poisoned flags stay */
	out	%eax, $GUEST_PORT_EXIT
	jmp	request

inspect:
	vcpu_inspect_flags
	vcpu_inspect_fpu
	test	%r15d, %r15d
	jz	serve
	mov	%r15d, %eax
	or	$GUEST_STATUS_VCPU, %eax
	out	%eax, $GUEST_PORT_EXIT
	jmp	request

	.section .rodata
	vcpu_poison_values
	vcpu_fx_pristine
