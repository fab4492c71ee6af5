/* Description: with individual memory a VM cannot see what another VM
 * wrote.  The marker guest reports the word at GUEST_MARKER_ADDR and then
 * stores its argument there.  With shared memory the second VM must see the
 * first one's marker: that proves the check can see a leak at all. */
#include "abi.h"
#include "err.h"
#include "helpers.h"

static uint32_t run_marker(struct vm *vm, uint32_t marker)
{
	struct vm_result res;

	T_CHECK(vm_reset_regs(vm, marker, 0) == 0, "%s", err_msg());
	T_CHECK(vm_run(vm, &res) == 0, "%s", err_msg());
	return res.status;
}

static void pair(struct kvm *kvm, enum vm_memory m)
{
	struct vm_template t;
	struct vm a, b;

	T_CHECK(vm_template_init(&t, kvm, guest_find("marker"), m, GUEST_DATA_DEFAULT) == 0,
		"%s", err_msg());
	T_CHECK(vm_create(&a, &t) == 0, "%s", err_msg());
	T_CHECK(vm_create(&b, &t) == 0, "%s", err_msg());

	T_CHECK(run_marker(&a, 0xa11ce5) == 0, "fresh memory must read 0");
	uint32_t seen = run_marker(&b, 0xb0b);
	if (m == VM_MEM_INDIVIDUAL) {
		T_CHECK(seen == 0, "VM b read 0x%x: it sees VM a's memory", seen);
		/* Each VM keeps its own write: the marker really was stored. */
		T_CHECK(run_marker(&a, 1) == 0xa11ce5, "VM a lost its own marker");
		T_CHECK(run_marker(&b, 2) == 0xb0b, "VM b lost its own marker");
	} else {
		T_CHECK(seen == 0xa11ce5, "shared memory: VM b read 0x%x, not a's marker", seen);
	}
	vm_destroy(&a);
	vm_destroy(&b);
	vm_template_fini(&t);
}

int main(void)
{
	struct kvm kvm;

	t_kvm_or_skip(&kvm);
	pair(&kvm, VM_MEM_SHARED);
	pair(&kvm, VM_MEM_INDIVIDUAL);
	kvm_close(&kvm);
	return T_EXIT_PASS;
}
