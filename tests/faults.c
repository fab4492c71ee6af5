/* Description: every misbehaving guest (guest/faults.S) in a real VM ends
 * in a clear error naming the exit reason and the guest RIP, or, after a
 * triple fault on a KVM that resets the vCPU at a shutdown (kvm_amd), saying
 * that the RIP is lost, never the reset vector's as the fault's (every
 * shutdown of one KVM alike); a guest that
 * never ends is stopped by the run time limit; a flood of output is cut off
 * at VM_OUTPUT_MAX.  After each, the VM is gone, no fd or mapping is left
 * behind, and the process still runs hello. */
#include <errno.h>
#include <string.h>

#include "abi.h"
#include "err.h"
#include "helpers.h"
#include "watchdog.h"
#include "sysinfo.h"
#include "util.h"

static const struct {
	const char *guest;
	int err;
	const char *expect;	/* in the message, after the guest's name */
	const char *or;		/* or this one */
} cases[] = {
	{ "fault-hlt", -EIO, "KVM_EXIT_SHUTDOWN at RIP 0x100000 (triple fault", NULL },
	{ "fault-privileged", -EIO, "KVM_EXIT_SHUTDOWN at RIP 0x100005 (triple fault", NULL },
	{ "fault-write-pagetables", -EIO, "KVM_EXIT_SHUTDOWN at RIP 0x100000", NULL },
	{ "fault-write-code", -EIO, "KVM_EXIT_SHUTDOWN at RIP 0x100000", NULL },
	{ "fault-read-outside", -EIO, "KVM_EXIT_MMIO at RIP 0x100000 (read of 4 byte(s) "
				      "at guest address 0x380000", NULL },
	/* A write completes before it exits: RIP is past the instruction. */
	{ "fault-write-outside", -EIO, "KVM_EXIT_MMIO at RIP 0x10000b (write of 4 byte(s) "
				       "at guest address 0x380000", NULL },
	{ "fault-jump-unmapped", -EIO, "KVM_EXIT_SHUTDOWN at RIP 0x800000", NULL },
	{ "fault-jump-nx", -EIO, "KVM_EXIT_SHUTDOWN at RIP 0x200000", NULL },
	/* An OUT that exits leaves RIP at it on kvm_intel and kvm_amd (KVM
	 * completes it at the next KVM_RUN), past it on kvm_pvm. */
	{ "fault-port", -EIO, "KVM_EXIT_IO at RIP 0x100002 (out to port 0x80",
	  "KVM_EXIT_IO at RIP 0x100000 (out to port 0x80" },
	{ "spin", -ETIMEDOUT, NULL, NULL },	/* the time limit, below */
	{ "flood", -EIO, "printed more than 4096 bytes: stopped", NULL },
};

#define SHUTDOWN "KVM_EXIT_SHUTDOWN at "
#define RIP_LOST "KVM_EXIT_SHUTDOWN at an unknown RIP (triple fault: the guest raised an " \
		 "exception and has no handler; KVM reset the vCPU at the shutdown"

/* The message expected (or its alternative), or for a shutdown on a KVM that resets the vCPU
 * there, the message that says the RIP is lost; whichever one KVM does, it
 * does for every shutdown. */
static void expect_message(const char *guest, const char *expect, const char *or)
{
	static int keeps_state = -1;
	int lost = !!strstr(err_msg(), RIP_LOST);

	if (strncmp(expect, SHUTDOWN, strlen(SHUTDOWN)) || !lost) {
		T_CHECK(strstr(err_msg(), expect) || (or && strstr(err_msg(), or)),
			"%s: message '%s' lacks '%s'%s%s", guest, err_msg(), expect,
			or ? " or " : "", or ? or : "");
		lost = 0;
	}
	if (strncmp(expect, SHUTDOWN, strlen(SHUTDOWN)))
		return;
	T_CHECK(keeps_state < 0 || keeps_state == !lost, "%s: '%s', unlike the shutdowns "
		"before it", guest, err_msg());
	keeps_state = !lost;
}

static void hello_still_runs(const struct kvm *kvm)
{
	struct vm_template t;
	struct vm_result res;
	uint64_t ns;

	T_CHECK(vm_template_init(&t, kvm, guest_find("hello"), VM_MEM_SHARED,
				 GUEST_DATA_DEFAULT) == 0, "%s", err_msg());
	T_CHECK(vm_oneshot(&t, &res, &ns) == 0 && res.out_len == 6 && res.status == 0,
		"hello after a fault: %s", err_msg());
	vm_template_fini(&t);
}

int main(void)
{
	struct kvm kvm;

	t_kvm_or_skip(&kvm);
	/* Started before the baseline, so its thread is counted in it. */
	T_CHECK(watchdog_start(t_scaled_ms(10000) * 1000000) == 0, "%s", err_msg());
	hello_still_runs(&kvm);	/* the baseline counts what a first VM leaves */

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		/* The time limit and the cut of the output do not depend on
		 * the memory kind, and take seconds under emulation: once. */
		bool once = cases[i].err == -ETIMEDOUT || !strcmp(cases[i].guest, "flood");
		for (int m = VM_MEM_SHARED; m <= (once ? VM_MEM_SHARED : VM_MEM_INDIVIDUAL); m++) {
			const struct guest_image *g = guest_find(cases[i].guest);
			struct vm_template t;
			struct vm_result res;
			uint64_t ns;
			char want[256];

			T_CHECK(g, "no guest %s", cases[i].guest);
			/* A short limit only where it must strike: the flood's 4096
			 * exits can take longer than that on a loaded machine. */
			uint64_t limit_ms = cases[i].err == -ETIMEDOUT ? 100 : 10000;
			char limit[96];
			snprintf(limit, sizeof(limit), "was still running after the run time limit "
				 "of %.3f s", t_scaled_ms(limit_ms) / 1e3);
			T_CHECK(watchdog_start(t_scaled_ms(limit_ms) * 1000000) == 0, "%s",
				err_msg());
			long fds = sysinfo_fd_count(), maps = sysinfo_map_count();
			T_CHECK(vm_template_init(&t, &kvm, g, m, GUEST_DATA_DEFAULT) == 0, "%s",
				err_msg());
			int err = vm_oneshot(&t, &res, &ns);
			snprintf(want, sizeof(want), "guest '%s' ", cases[i].guest);
			T_CHECK(err == cases[i].err, "%s: error %d, not %d: %s", cases[i].guest,
				err, cases[i].err, err_msg());
			T_CHECK(strstr(err_msg(), want), "%s: message '%s' lacks '%s'",
				cases[i].guest, err_msg(), want);
			expect_message(cases[i].guest, cases[i].expect ? cases[i].expect : limit,
				       cases[i].or);
			vm_template_fini(&t);
			T_CHECK(sysinfo_fd_count() == fds, "%s: %ld fds leaked", cases[i].guest,
				sysinfo_fd_count() - fds);
			T_CHECK(sysinfo_map_count() == maps, "%s: %ld mappings leaked",
				cases[i].guest, sysinfo_map_count() - maps);
			hello_still_runs(&kvm);
		}
	}
	kvm_close(&kvm);
	return T_EXIT_PASS;
}
