/*
 * One step of xorshift64* (COMPUTE_MULTIPLIER, guest/abi.h), as the
 * compute and warm guests take it; lib/compute.h has the same in C.
 * Advances x; its output, x * mul, in t.  11 instructions.
 */
#ifndef KVMBENCH_GUEST_XORSHIFT_H
#define KVMBENCH_GUEST_XORSHIFT_H

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

#endif
