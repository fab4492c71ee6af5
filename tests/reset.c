/* Description: every reset strategy (full, madvise, cow, and each tracking
 * one, dirty-log, dirty-ring, dirty-log-hot, pte-dirty and soft-dirty,
 * where its probe passes; where it fails, the refusal names why) gives the
 * next run of a guest its write-enabled memory byte for byte equal to the
 * pristine image, which is not all zero (the rounds guest's initialised
 * data), after 1, 16 and all pages were dirtied, for shared and individual
 * memory of 64 KiB, 1 MiB and 16 MiB: the guest checks on entry and the
 * host compares too.  A reset of registers only (none) must leave the
 * bytes there: the control that shows the check can see them.  With
 * individual memory no VM ever sees another's bytes. */
#include <string.h>

#include "abi.h"
#include "err.h"
#include "helpers.h"
#include "reset.h"
#include "util.h"

#define VERIFY 1

static uint32_t run(struct vm *vm, enum reset_strategy how, uint64_t pages)
{
	struct vm_result res;

	/* soft-dirty's clear, between runs, must not lose what a run wrote. */
	T_CHECK(reset_before_round(vm, 1, how) == 0, "%s", err_msg());
	T_CHECK(reset_vm(vm, how, VCPU_RESET_REGS, pages, VERIFY) == 0, "%s", err_msg());
	T_CHECK(vm_run(vm, &res) == 0, "%s", err_msg());
	/* A guest that finds a difference stops before printing. */
	T_CHECK(res.status || (res.out_len == 6 && !memcmp(res.out, "hello\n", 6)), "output");
	return res.status;
}

static void check(const struct kvm *kvm, enum reset_strategy how, enum vm_memory m, size_t size)
{
	const struct guest_image *g = guest_find("rounds");
	const uint64_t pages[] = { 1, 16, size / 4096 - 1 };
	const char *name = reset_strategies[how].name;
	struct vm_template t;
	struct vm vm, other;

	T_CHECK(vm_template_init(&t, kvm, g, m, size) == 0, "%s", err_msg());
	if (how != RESET_FULL) {
		struct vm plain;
		T_CHECK(vm_create(&plain, &t) == 0, "%s", err_msg());
		T_CHECK(reset_vm(&plain, how, VCPU_RESET_REGS, 0, 0) < 0, "%s accepted a template not "
			"prepared for it", name);
		vm_destroy(&plain);
		T_CHECK(reset_prepare(&t, how) == 0, "%s", err_msg());
	}
	T_CHECK(vm_create(&vm, &t) == 0, "%s", err_msg());
	T_CHECK(!memcmp(vm.data, g->data, g->data_size), "fresh memory lacks the "
		"guest's initialised data");
	for (size_t i = 0; i < ARRAY_SIZE(pages); i++) {
		uint64_t n = pages[i];
		T_CHECK(run(&vm, how, n) == 0, "%s, %llu pages of %zu: memory not pristine "
			"on entry", name, (unsigned long long)n, size);
		const unsigned char *d = vm.data;
		T_CHECK(!memcmp(d + (n - 1) * 4096, "kvmbench", 8), "page %llu not "
			"written", (unsigned long long)n - 1);
		uint32_t st = run(&vm, RESET_NONE, n);
		T_CHECK(st == 0x80000000u, "reset none: status 0x%x, not the previous "
			"run's bytes at offset 0", st);
		T_CHECK(run(&vm, how, n) == 0, "%s, %llu pages of %zu: bytes left behind",
			name, (unsigned long long)n, size);
		T_CHECK(reset_vm(&vm, how, VCPU_RESET_REGS, 0, 0) == 0, "%s", err_msg());
		T_CHECK(!memcmp(vm.data, t.pristine, size),
			"%s: the host sees memory unlike the pristine image", name);
	}
	if (m == VM_MEM_INDIVIDUAL) {
		/* vm writes every page; a new VM sees none of it. */
		T_CHECK(run(&vm, RESET_NONE, pages[2]) == 0, "the last reset");
		T_CHECK(memcmp(vm.data, t.pristine, size), "not written");
		T_CHECK(vm_create(&other, &t) == 0, "%s", err_msg());
		T_CHECK(run(&other, RESET_NONE, 1) == 0, "%s: a new VM sees another "
			"VM's bytes", name);
		vm_destroy(&other);
	}
	vm_destroy(&vm);
	vm_template_fini(&t);
}

int main(void)
{
	static const size_t sizes[] = { 64u << 10, GUEST_DATA_DEFAULT, 16u << 20 };
	const struct guest_image *g = guest_find("rounds");
	struct kvm kvm;

	T_CHECK(g && g->data_size >= 4096, "the rounds guest has no initialised data");
	t_kvm_or_skip(&kvm);
	for (int how = RESET_FULL; how < RESET_COUNT; how++) {
		if (reset_probe(&kvm, how) < 0) {
			/* Refused, and saying what the kernel failed to report. */
			T_CHECK(reset_strategies[how].tracker && strstr(err_msg(), "is unavailable") &&
				strstr(err_msg(), "reported"), "%s: %s", reset_strategies[how].name,
				err_msg());
			printf("%s refused by its probe: %s\n", reset_strategies[how].name, err_msg());
			continue;
		}
		for (int m = VM_MEM_SHARED; m <= VM_MEM_INDIVIDUAL; m++)
			for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
				check(&kvm, how, m, sizes[i]);
		printf("%s restores 1, 16 and all pages of 64 KiB, 1 MiB, 16 MiB\n",
		       reset_strategies[how].name);
	}
	kvm_close(&kvm);
	return T_EXIT_PASS;
}
