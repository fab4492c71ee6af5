/*
 * hello: prints "hello\n" one byte per OUT to GUEST_PORT_CONSOLE, then ends
 * its run with status 0 on GUEST_PORT_EXIT.  The printing goes through a
 * call, so the return address lands on the stack: every run touches the
 * write-enabled memory, as the seed's C guest did.
 */
#include "abi.h"

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	msg(%rip), %rsi
	mov	$msg_len, %ecx
	call	print
	xor	%eax, %eax
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
