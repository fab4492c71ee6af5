/* Description: every misbehaving guest (guest/faults.S) in a real VM ends
 * in a clear error naming the exit reason and the guest RIP; a guest that
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
} cases[] = {
	{ "fault-hlt", -EIO, "KVM_EXIT_SHUTDOWN at RIP 0x100000 (triple fault" },
	{ "fault-privileged", -EIO, "KVM_EXIT_SHUTDOWN at RIP 0x100005 (triple fault" },
	{ "fault-write-pagetables", -EIO, "KVM_EXIT_SHUTDOWN at RIP 0x100000" },
	{ "fault-write-code", -EIO, "KVM_EXIT_SHUTDOWN at RIP 0x100000" },
	{ "fault-read-outside", -EIO, "KVM_EXIT_MMIO at RIP 0x100000 (read of 4 byte(s) "
				      "at guest address 0x380000" },
	/* A write completes before it exits: RIP is past the instruction. */
	{ "fault-write-outside", -EIO, "KVM_EXIT_MMIO at RIP 0x10000b (write of 4 byte(s) "
				       "at guest address 0x380000" },
	{ "fault-jump-unmapped", -EIO, "KVM_EXIT_SHUTDOWN at RIP 0x800000" },
	{ "fault-jump-nx", -EIO, "KVM_EXIT_SHUTDOWN at RIP 0x200000" },
	{ "fault-port", -EIO, "KVM_EXIT_IO at RIP 0x100002 (out to port 0x80" },
	{ "spin", -ETIMEDOUT, "was still running after the run time limit of 0.100 s" },
	{ "flood", -EIO, "printed more than 4096 bytes: stopped" },
};

static void hello_still_runs(const struct kvm *kvm)
{
	struct vm_template t;
	struct vm_result res;

	T_CHECK(vm_template_init(&t, kvm, guest_find("hello"), VM_MEM_SHARED,
				 GUEST_DATA_DEFAULT) == 0, "%s", err_msg());
	T_CHECK(vm_oneshot(&t, &res) == 0 && res.out_len == 6 && res.status == 0,
		"hello after a fault: %s", err_msg());
	vm_template_fini(&t);
}

int main(void)
{
	struct kvm kvm;

	t_kvm_or_skip(&kvm);
	/* Started before the baseline, so its thread is counted in it. */
	T_CHECK(watchdog_start(10000000000u) == 0, "%s", err_msg());
	hello_still_runs(&kvm);	/* the baseline counts what a first VM leaves */

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		for (int m = VM_MEM_SHARED; m <= VM_MEM_INDIVIDUAL; m++) {
			const struct guest_image *g = guest_find(cases[i].guest);
			struct vm_template t;
			struct vm_result res;
			char want[256];

			T_CHECK(g, "no guest %s", cases[i].guest);
			/* A short limit only where it must strike: the flood's 4096
			 * exits can take longer than that on a loaded machine. */
			T_CHECK(watchdog_start(cases[i].err == -ETIMEDOUT ? 100000000 : 10000000000u)
				== 0, "%s", err_msg());
			long fds = sysinfo_fd_count(), maps = sysinfo_map_count();
			T_CHECK(vm_template_init(&t, &kvm, g, m, GUEST_DATA_DEFAULT) == 0, "%s",
				err_msg());
			int err = vm_oneshot(&t, &res);
			snprintf(want, sizeof(want), "guest '%s' ", cases[i].guest);
			T_CHECK(err == cases[i].err, "%s: error %d, not %d: %s", cases[i].guest,
				err, cases[i].err, err_msg());
			T_CHECK(strstr(err_msg(), want) && strstr(err_msg(), cases[i].expect),
				"%s: message '%s' lacks '%s'", cases[i].guest, err_msg(),
				cases[i].expect);
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
