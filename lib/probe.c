/* A tracking reset is trusted only once it has been seen to work. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "reset.h"
#include "vm_internal.h"
#include "x86.h"

/* Checks that vm->track->dirty holds exactly pages [0, pages) and the last one,
 * and beside them only pages the strategy copies back after every run. */
static int check(const struct vm *vm, enum reset_strategy how, int run, uint64_t pages)
{
	size_t last = vm->t->data_size / PAGE_SIZE - 1, reported = 0, expected = 0;
	char list[160] = "";

	for (size_t page = 0; page <= last; page++) {
		bool dirty = vm->track->dirty[page / 64] >> (page % 64) & 1;
		bool written = page < pages || page == last;
		if (dirty && !written && reset_page_hot(vm, page))
			continue;
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

/* A template of guest g prepared for `how`, and one VM of it; on failure
 * neither is left. */
static int probe_vm(struct vm_template *t, struct vm *vm, const struct kvm *kvm,
		    const struct guest_image *g, enum reset_strategy how)
{
	int err = vm_template_init(t, kvm, g, VM_MEM_INDIVIDUAL, GUEST_DATA_DEFAULT) ?:
		  reset_prepare(t, how) ?: vm_create(vm, t);

	if (err)
		vm_template_fini(t);
	return err;
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
	err = probe_vm(&t, &vm, kvm, guest_find("rounds"), how);
	if (err)
		return err;
	/* Each run starts from memory the tracking sees as clean: the host's
	 * own writes (the first image, the restores) are forgotten first. */
	for (int run = 0; run < 3 && !err; run++) {
		err = reset_vm(&vm, how, VCPU_RESET_REGS, pages[run], 0) ?: reset_before_round(&vm, 1, how) ?:
		      vm_run(&vm, &res) ?: reset_before_round(&vm, 1, how) ?: r->collect(&vm) ?:
		      check(&vm, how, run + 1, pages[run]);
	}
	vm_destroy(&vm);
	vm_template_fini(&t);
	return err;
}

static const char *const leak_names[GUEST_LEAK_KINDS] = {
	"rflags", "segments", "x87-control", "x87-registers", "mxcsr", "xmm",
};

const char *vcpu_leaks_text(uint32_t leaks, char *buf, size_t size)
{
	size_t len = 0;

	snprintf(buf, size, "clean");
	for (int k = 0; k < GUEST_LEAK_KINDS && size; k++) {
		if (leaks & (1u << k))
			len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s",
						len ? ", " : "", leak_names[k]);
	}
	return buf;
}

/* Runs vm once; 0 and *status, or -errno. */
static int run_status(struct vm *vm, uint32_t *status)
{
	struct vm_result res;
	int err = vm_run(vm, &res);

	*status = res.status;
	return err;
}

int vcpu_probe(const struct kvm *kvm, enum vcpu_reset level, uint32_t *leaks)
{
	const struct guest_image *inspect = guest_find("inspect"), *poison = guest_find("poison");
	struct vm_template t;
	struct vm vm;
	uint32_t status = 0;
	int err = probe_vm(&t, &vm, kvm, inspect, RESET_NONE);

	if (err)
		return err;
	err = run_status(&vm, &status);
	if (!err && status)
		err = err_set(-EIO, "vCPU probe: a fresh vCPU is not in the state the guests "
			      "expect (guest/abi.h): inspect ended with status 0x%x", status);
	/* The next tenant's program: poison, entered from the registers only. */
	err = err ?: vm_template_code(&t, poison) ?: vm_reset_vcpu(&vm, VCPU_RESET_REGS, 0, 0) ?:
	      run_status(&vm, &status);
	if (!err && status)
		err = err_set(-EIO, "vCPU probe: poison ended with status 0x%x", status);
	err = err ?: vm_template_code(&t, inspect) ?: vm_reset_vcpu(&vm, level, 0, 0) ?:
	      run_status(&vm, &status);
	if (!err && status && (status & ~(GUEST_STATUS_VCPU | ((1u << GUEST_LEAK_KINDS) - 1))))
		err = err_set(-EIO, "vCPU probe: inspect ended with status 0x%x", status);
	if (!err)
		*leaks = status & ~GUEST_STATUS_VCPU;
	vm_destroy(&vm);
	vm_template_fini(&t);
	return err;
}
