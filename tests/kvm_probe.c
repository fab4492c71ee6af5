/* Description: not a test, the probe `make test` runs first (scripts/test):
 * does this machine's KVM run the hello guest, and how slow is it?  Exits
 * 0 and prints the time scale for the tests' time limits, 77 when there is
 * no usable /dev/kvm (saying why), 1 when KVM is there but fails.
 *
 * The tests' time limits (guest time limits, meson's) were set for a KVM
 * where a single-use VM takes at most 1 ms (bare metal about 0.25 ms, the
 * nested kvm_pvm of the development machines 0.6-1.5 ms).  The scale is
 * the median of 20 single-use hello VMs in ms, rounded up, at least 1:
 * about 45 under QEMU's software emulation.  It stretches time limits only;
 * what a test asserts stays as it is. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "err.h"
#include "helpers.h"
#include "stats.h"

#define PROBE_WARMUP 3
#define PROBE_VMS 20

int main(void)
{
	struct kvm kvm;
	struct vm_template t;
	struct vm_result res;
	uint64_t ns[PROBE_VMS];
	struct summary s;
	int err = kvm_open(&kvm, NULL);

	if (err == -ENOENT || err == -EACCES || err == -EPERM || err == -ENXIO ||
	    err == -ENODEV) {
		fprintf(stderr, "no usable KVM here: %s\n", err_msg());
		return T_EXIT_SKIP;
	}
	T_CHECK(err == 0, "kvm_open: %s", err_msg());
	T_CHECK(vm_template_init(&t, &kvm, guest_find("hello"), VM_MEM_SHARED,
				 GUEST_DATA_DEFAULT) == 0, "%s", err_msg());
	for (int i = -PROBE_WARMUP; i < PROBE_VMS; i++) {
		uint64_t one;

		T_CHECK(vm_oneshot(&t, &res, &one) == 0, "hello VM: %s", err_msg());
		if (i >= 0)
			ns[i] = one;
		T_CHECK(res.out_len == 6 && !memcmp(res.out, "hello\n", 6) && res.status == 0,
			"the hello guest printed '%.*s', status %u", (int)res.out_len, res.out,
			res.status);
	}
	vm_template_fini(&t);
	kvm_close(&kvm);
	T_CHECK(stats_summarize(ns, PROBE_VMS, &s) == 0, "stats");
	unsigned scale = (unsigned)((s.median + 999999.0) / 1e6);
	fprintf(stderr, "KVM runs hello here: a single-use VM takes %.0f us (median of %d), "
		"time limits x%u\n", s.median / 1e3, PROBE_VMS, scale ? scale : 1);
	printf("%u\n", scale ? scale : 1);
	return T_EXIT_PASS;
}
