/*
 * kvmbench-breakeven's emulator: the guest image in a Unicorn engine, at
 * the addresses it has in KVM, its port writes caught as KVM's exits are.
 */
#ifndef KVMBENCH_BREAKEVEN_EMULATOR_H
#define KVMBENCH_BREAKEVEN_EMULATOR_H

#include <stdbool.h>
#include <stdint.h>
#include <unicorn/unicorn.h>

#include "guest.h"

struct emu {
	uc_engine *uc;
	uc_context *ctx;
	uc_hook hook;
	uint8_t out[8];
	size_t out_len;
	uint32_t status;
	bool ended;
	bool bad_port;
	uint32_t port;
};

/* An engine with the guest's code and zeroed memory mapped, its registers
 * at entry with RDI = units, the port hook added: 0, or -EIO and a message. */
int emu_open(struct emu *e, const struct guest_image *g, uint64_t units);
/* -EIO and a message: "Unicorn: what: its error". */
int uc_fail(uc_err e, const char *what);
/* Runs the engine from the guest's entry to its end port: 0 with e->out
 * and e->status, or -EIO and a message (a fault, another port). */
int emu_run(struct emu *e);

#endif
