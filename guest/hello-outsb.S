/*
 * hello-outsb: hello with one string OUT (rep outsb) instead of six byte
 * OUTs: KVM hands the host all six bytes in one exit, so a run takes two
 * exits (console, end) instead of seven.  Measures what the exits cost.
 */
#include "abi.h"

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	msg(%rip), %rsi
	mov	$msg_len, %ecx
	mov	$GUEST_PORT_CONSOLE, %dx
	call	print
	xor	%eax, %eax
	out	%eax, $GUEST_PORT_EXIT
	ud2

print:
	rep outsb
	ret

	.section .rodata
msg:	.ascii	"hello\n"
	.set	msg_len, . - msg
