/*
 * KVM's own counts of a vCPU's runs (vm.h: vm_count), and the check that
 * KVM emulated none of the guest's instructions beyond what its port I/O
 * explains: a run that was emulated is an error, not a figure.
 */
#include <errno.h>

#include "err.h"
#include "vm.h"

int vm_count(struct vm *vm, struct vm_result *res)
{
	uint64_t now[KVMSTAT_COUNT];
	int err = kvmstat_read(&vm->t->kvm->stats, vm->vcpu_fd, now);

	if (err)
		return err;
	for (int k = 0; k < KVMSTAT_COUNT; k++) {
		res->kvm[k] = now[k] - vm->counted[k];
		vm->counted[k] = now[k];
	}
	return vm_counts_check(vm->t, res);
}

int vm_counts_check(const struct vm_template *t, const struct vm_result *res)
{
	uint64_t emulated = res->kvm[KVMSTAT_INSN_EMULATION];
	uint64_t explained = res->exits_io * (t->kvm->emulated_per_io + t->guest->string_io);

	if (emulated <= explained)
		return 0;
	return err_set(-EIO, "KVM emulated %llu instruction(s) of guest '%s' in one run (its "
		       "statistic insn_emulation; %llu explained by its port I/O): a time taken "
		       "here would be that of KVM's instruction emulator, not of a VM, so the "
		       "run stops.  KVM at hand: %s%s", (unsigned long long)emulated,
		       t->guest->name, (unsigned long long)explained, t->kvm->what,
		       t->low_readonly ? "; the page tables are in a read-only memslot "
		       "(a test's setting), which hardware paging walks as writes" : "");
}
