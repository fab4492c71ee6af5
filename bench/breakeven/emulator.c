/* kvmbench-breakeven's emulator (emulator.h). */
#ifdef KVMBENCH_HAVE_UNICORN
#include <errno.h>
#include <string.h>

#include "abi.h"
#include "emulator.h"
#include "err.h"

int uc_fail(uc_err e, const char *what)
{
	return err_set(-EIO, "Unicorn: %s: %s", what, uc_strerror(e));
}

static void on_out(uc_engine *uc, uint32_t port, int size, uint32_t value, void *data)
{
	struct emu *e = data;

	if (port == GUEST_PORT_RESULT && size == 4 && e->out_len + 4 <= sizeof(e->out)) {
		memcpy(e->out + e->out_len, &value, 4);
		e->out_len += 4;
		return;
	}
	if (port == GUEST_PORT_EXIT && size == 4)
		e->status = value;
	else {
		e->bad_port = true;
		e->port = port;
	}
	e->ended = true;
	uc_emu_stop(uc);
}

/* An engine with the guest's code and zeroed memory mapped, its registers
 * at entry with RDI = units, the port hook added. */
int emu_open(struct emu *e, const struct guest_image *g, uint64_t units)
{
	uint64_t rsp = GUEST_DATA_BASE + GUEST_DATA_DEFAULT, rip = GUEST_CODE_BASE;
	uint64_t rflags = 0x3002;
	uc_err u = uc_open(UC_ARCH_X86, UC_MODE_64, &e->uc);

	if (u != UC_ERR_OK)
		return uc_fail(u, "uc_open");
	if ((u = uc_mem_map(e->uc, GUEST_CODE_BASE, GUEST_CODE_MAX, UC_PROT_READ | UC_PROT_EXEC)) ||
	    (u = uc_mem_write(e->uc, GUEST_CODE_BASE, g->code, g->size)) ||
	    (u = uc_mem_map(e->uc, GUEST_DATA_BASE, GUEST_DATA_DEFAULT,
			    UC_PROT_READ | UC_PROT_WRITE)) ||
	    (u = uc_reg_write(e->uc, UC_X86_REG_RIP, &rip)) ||
	    (u = uc_reg_write(e->uc, UC_X86_REG_RSP, &rsp)) ||
	    (u = uc_reg_write(e->uc, UC_X86_REG_RFLAGS, &rflags)) ||
	    (u = uc_reg_write(e->uc, UC_X86_REG_RDI, &units)) ||
	    (u = uc_hook_add(e->uc, &e->hook, UC_HOOK_INSN, (void *)on_out, e, 1, 0,
			     UC_X86_INS_OUT))) {
		uc_close(e->uc);
		e->uc = NULL;
		return uc_fail(u, "setting up the guest");
	}
	return 0;
}

int emu_run(struct emu *e)
{
	e->out_len = 0;
	e->ended = e->bad_port = false;
	uc_err u = uc_emu_start(e->uc, GUEST_CODE_BASE, 0, 0, 0);
	/* uc_emu_stop() from the hook takes effect after the translation
	 * block: the guest's ud2 after its end port may raise an error then,
	 * once the run has ended. */
	if (u != UC_ERR_OK && !e->ended) {
		uint64_t rip = 0;
		uc_reg_read(e->uc, UC_X86_REG_RIP, &rip);
		return err_set(-EIO, "Unicorn: the guest faulted at RIP 0x%llx: %s (ended %d)",
			       (unsigned long long)rip, uc_strerror(u), e->ended);
	}
	if (e->bad_port)
		return err_set(-EIO, "Unicorn: the guest wrote to port 0x%x, not one of "
			       "guest/abi.h", e->port);
	if (!e->ended)
		return err_set(-EIO, "Unicorn: the guest stopped without ending its run");
	return 0;
}
#endif
