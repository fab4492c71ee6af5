/* Description: the vCPU state a ring-3 guest can change goes back to its
 * pristine value only as far as the reset level reaches.  Each level's
 * probe (poison, reset, inspect): regs leaves the x87 and SSE state behind
 * (KVM_SET_REGS does not touch it) but never RFLAGS; sregs no more than
 * regs; fxrstor (the entry stub), full and recreate leave nothing.  Then, for every reset strategy
 * whose memory probe passes, the rounds guest poisons its vCPU at the end
 * of every run and checks memory and vCPU on entry: it finds both pristine
 * after each reset at fxrstor, full and recreate, and finds the x87/SSE state of the
 * previous run after a reset at regs (the control). */
#include <string.h>

#include "abi.h"
#include "err.h"
#include "helpers.h"
#include "reset.h"

#define VERIFY 1
#define POISON 2
#define FPU_LEAKS (GUEST_LEAK_X87_CONTROL | GUEST_LEAK_X87_REGISTERS | GUEST_LEAK_MXCSR | \
		   GUEST_LEAK_XMM)

static uint32_t run(struct vm *vm, enum reset_strategy how, enum vcpu_reset level)
{
	struct vm_result res;

	T_CHECK(reset_before_round(vm, 1, how) == 0, "%s", err_msg());
	T_CHECK(reset_vm(vm, how, level, 2, VERIFY | POISON) == 0, "%s", err_msg());
	T_CHECK(vm_run(vm, &res) == 0, "%s", err_msg());
	return res.status;
}

static void strategy(const struct kvm *kvm, enum reset_strategy how)
{
	const char *name = reset_strategies[how].name;
	struct vm_template t;
	struct vm_result res;
	struct vm vm;
	char text[128];

	T_CHECK(vm_template_init(&t, kvm, guest_find("rounds"), VM_MEM_INDIVIDUAL,
				 GUEST_DATA_DEFAULT) == 0 && reset_prepare(&t, how) == 0, "%s",
		err_msg());
	vm_template_args(&t, 2, VERIFY | POISON);
	T_CHECK(vm_create(&vm, &t) == 0, "%s", err_msg());
	T_CHECK(vm_run(&vm, &res) == 0 && res.status == 0, "%s: a fresh VM: status 0x%x", name,
		res.status);
	for (int i = 0; i < 4; i++) {
		static const enum vcpu_reset clean[] = { VCPU_RESET_FXRSTOR, VCPU_RESET_FULL,
							 VCPU_RESET_RECREATE, VCPU_RESET_FXRSTOR };
		enum vcpu_reset level = clean[i];
		uint32_t st = run(&vm, how, level);
		T_CHECK(st == 0, "%s at vCPU level %s, run %d: status 0x%x (%s)", name,
			vcpu_reset_names[level], i, st,
			vcpu_leaks_text(st & ~GUEST_STATUS_VCPU, text, sizeof(text)));
	}
	uint32_t st = run(&vm, how, VCPU_RESET_REGS);
	T_CHECK(st & GUEST_STATUS_VCPU && (st & FPU_LEAKS) == FPU_LEAKS &&
		!(st & GUEST_LEAK_RFLAGS), "%s at regs: status 0x%x, not the x87 and SSE state "
		"of the previous run", name, st);
	T_CHECK(run(&vm, how, VCPU_RESET_FULL) == 0, "%s: full after regs", name);
	vm_destroy(&vm);
	vm_template_fini(&t);
	printf("%s: vCPU pristine after fxrstor, full and recreate; regs leaves it\n", name);
}

int main(void)
{
	struct kvm kvm;
	uint32_t leaks[VCPU_RESET_COUNT];
	char text[128];

	t_kvm_or_skip(&kvm);
	for (int l = 0; l < VCPU_RESET_COUNT; l++) {
		T_CHECK(vcpu_probe(&kvm, (enum vcpu_reset)l, &leaks[l]) == 0, "%s", err_msg());
		printf("probe %s: %s\n", vcpu_reset_names[l],
		       vcpu_leaks_text(leaks[l], text, sizeof(text)));
		T_CHECK(!(leaks[l] & GUEST_LEAK_RFLAGS), "%s: RFLAGS left behind",
			vcpu_reset_names[l]);
	}
	T_CHECK((leaks[VCPU_RESET_REGS] & FPU_LEAKS) == FPU_LEAKS, "regs: %s",
		vcpu_leaks_text(leaks[VCPU_RESET_REGS], text, sizeof(text)));
	/* KVM_SET_SREGS does not touch x87 or SSE state either: what makes
	 * fxrstor clean is its stub. */
	T_CHECK((leaks[VCPU_RESET_SREGS] & ~leaks[VCPU_RESET_REGS]) == 0 &&
		(leaks[VCPU_RESET_SREGS] & FPU_LEAKS) == FPU_LEAKS &&
		!(leaks[VCPU_RESET_SREGS] & GUEST_LEAK_SEGMENTS), "sregs: %s",
		vcpu_leaks_text(leaks[VCPU_RESET_SREGS], text, sizeof(text)));
	T_CHECK(leaks[VCPU_RESET_FULL] == 0 && leaks[VCPU_RESET_RECREATE] == 0 &&
		leaks[VCPU_RESET_FXRSTOR] == 0, "full: %s; recreate: 0x%x; fxrstor 0x%x",
		vcpu_leaks_text(leaks[VCPU_RESET_FULL], text, sizeof(text)),
		leaks[VCPU_RESET_RECREATE], leaks[VCPU_RESET_FXRSTOR]);
	T_CHECK(!strcmp(vcpu_leaks_text(0, text, sizeof(text)), "clean") &&
		!strcmp(vcpu_leaks_text(GUEST_LEAK_MXCSR | GUEST_LEAK_XMM, text, sizeof(text)),
			"mxcsr, xmm"), "vcpu_leaks_text: %s", text);

	for (int how = RESET_FULL; how < RESET_COUNT; how++) {
		if (reset_probe(&kvm, (enum reset_strategy)how) < 0) {
			printf("%s refused by its probe: %s\n", reset_strategies[how].name, err_msg());
			continue;
		}
		strategy(&kvm, (enum reset_strategy)how);
	}
	kvm_close(&kvm);
	return T_EXIT_PASS;
}
