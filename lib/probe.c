/* A tracking reset is trusted only once it has been seen to work. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "reset.h"
#include "x86.h"

/* Checks that vm->dirty holds exactly pages [0, pages) and the last one. */
static int check(const struct vm *vm, enum reset_strategy how, int run, uint64_t pages)
{
	size_t last = vm->t->data_size / PAGE_SIZE - 1, reported = 0, expected = 0;
	char list[160] = "";

	for (size_t page = 0; page <= last; page++) {
		bool dirty = vm->dirty[page / 64] >> (page % 64) & 1;
		bool written = page < pages || page == last;
		reported += dirty;
		expected += written && dirty;
		if (dirty && strlen(list) < sizeof(list) - 16)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%zu",
				 reported > 1 ? "," : "", page);
	}
	if (reported == pages + 1 && expected == pages + 1)
		return 0;
	return err_set(-ENOTSUP, "reset %s is unavailable: in run %d of its probe the guest wrote "
		       "pages 0%s%llu and %zu, and %s reported %zu dirty page(s)%s%s%s: this "
		       "kernel's tracking does not see every page the guest writes, and a reset "
		       "built on it would leak them", reset_strategies[how].name, run,
		       pages > 1 ? "-" : ",", (unsigned long long)(pages > 1 ? pages - 1 : 0),
		       last, reset_strategies[how].tracker, reported, reported ? " (" : "", list,
		       reported ? ")" : "");
}

int reset_probe(const struct kvm *kvm, enum reset_strategy how)
{
	static const uint64_t pages[] = { 2, 3, 1 };
	const struct reset_ops *r = &reset_strategies[how];
	struct vm_template t;
	struct vm_result res;
	struct vm vm;
	int err;

	if (!r->tracker)
		return 0;
	err = vm_template_init(&t, kvm, guest_find("rounds"), VM_MEM_INDIVIDUAL,
			       GUEST_DATA_DEFAULT) ?: reset_prepare(&t, how);
	if (err) {
		vm_template_fini(&t);
		return err;
	}
	err = vm_create(&vm, &t);
	if (err) {
		vm_template_fini(&t);
		return err;
	}
	/* Each run starts from memory the tracking sees as clean: the host's
	 * own writes (the first image, the restores) are forgotten first. */
	for (int run = 0; run < 3 && !err; run++) {
		err = reset_vm(&vm, how, pages[run], 0) ?: reset_before_round(&vm, 1, how) ?:
		      vm_run(&vm, &res) ?: reset_before_round(&vm, 1, how) ?: r->collect(&vm) ?:
		      check(&vm, how, run + 1, pages[run]);
	}
	vm_destroy(&vm);
	vm_template_fini(&t);
	return err;
}
