/* Description: after a full reset the next run of a guest finds no byte
 * that the previous run wrote: the rounds guest checks its whole
 * write-enabled memory on entry and the host checks it is all zero.  A
 * reset of registers only (none) must leave the bytes there: the control
 * that shows the guest's check can see them. */
#include <string.h>

#include "abi.h"
#include "err.h"
#include "helpers.h"

#define VERIFY 1

static uint32_t run(struct vm *vm, enum vm_reset how, uint64_t pages)
{
	struct vm_result res;

	T_CHECK(vm_reset(vm, how, pages, VERIFY) == 0, "%s", err_msg());
	T_CHECK(vm_run(vm, &res) == 0, "%s", err_msg());
	/* A guest that finds old bytes stops before printing. */
	T_CHECK(res.status || (res.out_len == 6 && !memcmp(res.out, "hello\n", 6)), "output");
	return res.status;
}

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

int main(void)
{
	static const uint64_t pages[] = { 1, 16, GUEST_DATA_DEFAULT / 4096 - 1 };
	struct kvm kvm;

	t_kvm_or_skip(&kvm);
	for (int m = VM_MEM_SHARED; m <= VM_MEM_INDIVIDUAL; m++) {
		struct vm_template t;
		struct vm vm;

		T_CHECK(vm_template_init(&t, &kvm, guest_find("rounds"), m,
					 GUEST_DATA_DEFAULT) == 0, "%s", err_msg());
		T_CHECK(vm_create(&vm, &t) == 0, "%s", err_msg());
		for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
			uint64_t n = pages[i];
			T_CHECK(run(&vm, VM_RESET_FULL, n) == 0, "%llu pages: memory not clear "
				"on entry", (unsigned long long)n);
			/* The run left its pattern in every page it was told to write. */
			const unsigned char *d = vm.data;
			T_CHECK(!memcmp(d + (n - 1) * 4096, "kvmbench", 8), "page %llu not written",
				(unsigned long long)n - 1);
			T_CHECK(!all_zero(d + GUEST_DATA_DEFAULT - 4096, 4096), "stack not written");

			uint32_t st = run(&vm, VM_RESET_NONE, n);
			T_CHECK(st == 0x80000000u, "reset none: the guest saw status 0x%x, not the "
				"previous run's bytes at offset 0", st);
			T_CHECK(run(&vm, VM_RESET_FULL, n) == 0, "full reset left bytes behind");
			vm_reset(&vm, VM_RESET_FULL, 0, 0);
			T_CHECK(all_zero(vm.data, GUEST_DATA_DEFAULT), "host sees bytes after reset");
		}
		vm_destroy(&vm);
		vm_template_fini(&t);
	}
	kvm_close(&kvm);
	return T_EXIT_PASS;
}
