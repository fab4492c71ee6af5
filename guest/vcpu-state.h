/*
 * The vCPU state a ring-3 guest can change, poisoned and inspected
 * (guest/abi.h names the kinds and their pristine values).  Assembler
 * macros shared by guest/poison.S, guest/inspect.S and guest/rounds.S.
 *
 * Covered: RFLAGS (the arithmetic flags, DF, AC, ID), the DS, ES, FS and
 * GS selectors (ring 3 can load a null selector into them in 64-bit mode),
 * the x87 state (control, status and tag words, last instruction and
 * operand, the register stack) and the SSE state (MXCSR, XMM0-XMM15).
 * Out of reach at CPL 3 here, and why:
 *  - YMM upper halves, AVX-512 and PKRU: they need CR4.OSXSAVE, CR4.PKE and
 *    XSAVE in the guest's CPUID; the suite sets neither (and this kernel's
 *    KVM offers no XSAVE to its guests), so their instructions raise #UD;
 *  - FS and GS base: WRFSBASE needs CR4.FSGSBASE, which the suite leaves
 *    clear; the bases go back with the segments (KVM_SET_SREGS);
 *  - control and debug registers, MSRs, XCR0, the descriptor tables:
 *    privileged (ring 0) instructions only.  TSC moves on by itself;
 *    ring 3 cannot set it.
 */
#ifndef KVMBENCH_GUEST_VCPU_STATE_H
#define KVMBENCH_GUEST_VCPU_STATE_H

#include "abi.h"

#define RFLAGS_AC	0x40000
#define RFLAGS_ID	0x200000
/* The flags ring 3 can set and KVM_SET_REGS clears. */
#define RFLAGS_TENANT	(0x8d5 | 0x400 | RFLAGS_AC | RFLAGS_ID)

/* FXSAVE64 image: offsets and lengths of what is compared. */
#define FX_CONTROL	0	/* FCW FSW FTW, reserved, FOP FIP FDP */
#define FX_CONTROL_LEN	24
#define FX_MXCSR	24
#define FX_ST		32	/* 8 x 16 bytes, 10 of them the register */
#define FX_XMM		160
#define FX_XMM_LEN	256

/*
 * vcpu_inspect_flags: first thing on entry.  RFLAGS and the data selectors
 * against their pristine values; sets GUEST_LEAK_* bits in %r15d (cleared
 * first).  Touches no memory for good: the quadword below the stack that
 * PUSHF uses is put back.  Clobbers RAX, RBX; leaves DF clear.
 */
.macro vcpu_inspect_flags
	mov	-8(%rsp), %rax
	pushfq
	pop	%rbx
	mov	%rax, -8(%rsp)
	cld
	xor	%r15d, %r15d
	test	$RFLAGS_TENANT, %ebx
	jz	1f
	or	$GUEST_LEAK_RFLAGS, %r15d
1:	movw	%ds, %ax
	data_selector_check
	movw	%es, %ax
	data_selector_check
	movw	%fs, %ax
	data_selector_check
	movw	%gs, %ax
	data_selector_check
.endm

/* %ax, a data selector, is GUEST_SEL_DATA as the VMM set it, or 0: under
 * kvm_pvm ring 3 runs in the host's user mode and sees its null
 * selectors.  Sets GUEST_LEAK_SEGMENTS in %r15d if neither. */
.macro data_selector_check
	test	%ax, %ax
	jz	1f
	cmp	$GUEST_SEL_DATA, %ax
	je	1f
	or	$GUEST_LEAK_SEGMENTS, %r15d
1:
.endm

/* Compares len bytes at off of the FXSAVE image at %r13 with the pristine
 * one at fx_pristine; sets bit in %r15d if they differ.  Clobbers RSI,
 * RDI, RCX. */
.macro fx_compare off, len, bit
	lea	\off(%r13), %rdi
	lea	fx_pristine+\off(%rip), %rsi
	mov	$\len, %ecx
	repe cmpsb
	je	1f
	or	$\bit, %r15d
1:
.endm

/*
 * vcpu_inspect_fpu: the x87 and SSE state, saved by FXSAVE64 into 512
 * bytes below the stack (below the 1 KiB under RSP), then compared.  Adds
 * to %r15d.  Clobbers RAX, RCX, RSI, RDI, R13, R14; writes that memory.
 */
.macro vcpu_inspect_fpu
	lea	-1536(%rsp), %r13
	and	$-64, %r13
	fxsave64 (%r13)
	fx_compare FX_CONTROL, FX_CONTROL_LEN, GUEST_LEAK_X87_CONTROL
	fx_compare FX_MXCSR, 4, GUEST_LEAK_MXCSR
	/* ST0-ST7: the 10 bytes of each 16; the rest is reserved. */
	xor	%r14d, %r14d
4:	lea	FX_ST(%r13, %r14), %rdi
	lea	fx_pristine+FX_ST(%rip), %rsi
	add	%r14, %rsi
	mov	$10, %ecx
	repe cmpsb
	je	5f
	or	$GUEST_LEAK_X87_REGISTERS, %r15d
5:	add	$16, %r14
	cmp	$128, %r14
	jb	4b
	fx_compare FX_XMM, FX_XMM_LEN, GUEST_LEAK_XMM
.endm

/* The pristine FXSAVE image (in .rodata): FNINIT's x87 state, MXCSR's
 * reset value, everything else zero. */
.macro vcpu_fx_pristine
	.balign	16
fx_pristine:
	.word	GUEST_FCW
	.fill	22, 1, 0
	.long	GUEST_MXCSR
	.fill	512 - 28, 1, 0
.endm

/*
 * vcpu_poison: leaves every kind of state above changed from its pristine
 * value, RFLAGS last (AC set, the guest must make no further memory
 * access: ring 3 of this host may check alignment, and no instruction
 * that changes the arithmetic flags: end with MOV and OUT).  Clobbers RAX;
 * uses 8 bytes of stack.
 */
.macro vcpu_poison
	fldcw	poison_fcw(%rip)		/* round toward zero, 24-bit precision */
	fldpi
	fld1
	fldl2e					/* three registers, TOP and tags changed */
	ldmxcsr	poison_mxcsr(%rip)		/* flush to zero, round toward zero */
	movdqu	poison_xmm(%rip), %xmm0
	movdqa	%xmm0, %xmm1
	movdqa	%xmm0, %xmm2
	movdqa	%xmm0, %xmm3
	movdqa	%xmm0, %xmm4
	movdqa	%xmm0, %xmm5
	movdqa	%xmm0, %xmm6
	movdqa	%xmm0, %xmm7
	movdqa	%xmm0, %xmm8
	movdqa	%xmm0, %xmm9
	movdqa	%xmm0, %xmm10
	movdqa	%xmm0, %xmm11
	movdqa	%xmm0, %xmm12
	movdqa	%xmm0, %xmm13
	movdqa	%xmm0, %xmm14
	movdqa	%xmm0, %xmm15
	mov	$3, %eax			/* null selectors, RPL 3: neither 0 */
	mov	%eax, %ds			/* nor GUEST_SEL_DATA */
	mov	%eax, %es
	mov	%eax, %fs
	mov	%eax, %gs
	pushfq
	orq	$(RFLAGS_AC | RFLAGS_ID | 0x8d5), (%rsp)
	popfq
	std
.endm

/* Its values (in .rodata). */
.macro vcpu_poison_values
	.balign	16
poison_xmm:
	.quad	0x6b766d62656e6368, 0x706f69736f6e2121	/* "kvmbench", "poison!!" */
poison_fcw:
	.word	0x0c7f
	.balign	4
poison_mxcsr:
	.long	0xff80
.endm

#endif
