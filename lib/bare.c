#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "abi.h"
#include "clock.h"
#include "err.h"
#include "bare.h"
#include "watchdog.h"

int bare_oneshot(const struct vm_template *t, struct vm_result *res, uint64_t *ns)
{
	const struct kvm *kvm = t->kvm;
	uint64_t t0 = clock_ns(), t1 = 0, t2 = 0;
	const char *what = "KVM_CREATE_VM";
	struct kvm_run *run = MAP_FAILED;
	void *data = t->data;
	int vm, vcpu = -1, err = 0;

	res->exits = res->exits_io = 0;
	res->out_len = 0;

	do	/* as vm_create(): a stop and continue does not end it */
		vm = ioctl(kvm->fd, KVM_CREATE_VM, 0);
	while (vm < 0 && errno == EINTR && !watchdog_runs_stopped());
	if (vm < 0)
		return err_errno(-errno, "%s", what);
	if (t->memory == VM_MEM_INDIVIDUAL) {
		data = mmap(NULL, t->data_size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (data == MAP_FAILED) {
			what = "mmap";
			goto fail;
		}
	}
	struct kvm_userspace_memory_region low = {
		.slot = 0, .flags = t->low_readonly ? KVM_MEM_READONLY : 0,
		.guest_phys_addr = 0, .memory_size = GUEST_LOW_SIZE,
		.userspace_addr = (uintptr_t)t->low,
	}, rw = {
		.slot = 1, .guest_phys_addr = GUEST_DATA_BASE,
		.memory_size = t->data_size, .userspace_addr = (uintptr_t)data,
	};
	what = "KVM_SET_USER_MEMORY_REGION";
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &low) < 0 ||
	    ioctl(vm, KVM_SET_USER_MEMORY_REGION, &rw) < 0)
		goto fail;
	what = "KVM_CREATE_VCPU";
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		goto fail;
	what = "mmap of kvm_run";
	run = mmap(NULL, kvm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		goto fail;
	what = "KVM_SET_CPUID2";
	if (ioctl(vcpu, KVM_SET_CPUID2, kvm->cpuid) < 0)
		goto fail;
	what = "KVM_SET_SREGS/KVM_SET_REGS";
	if (ioctl(vcpu, KVM_SET_SREGS, &kvm->sregs) < 0 ||
	    ioctl(vcpu, KVM_SET_REGS, &t->regs) < 0)
		goto fail;
	for (;;) {
		what = "KVM_RUN";
		if (ioctl(vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR && !watchdog_runs_stopped())
				continue;	/* as vm_run(): resumed after a stop */
			goto fail;
		}
		res->exits++;
		if (run->exit_reason != KVM_EXIT_IO) {
			err = err_set(-EIO, "floor: guest stopped with exit reason %u",
				      run->exit_reason);
			break;
		}
		res->exits_io++;
		const uint8_t *p = (const uint8_t *)run + run->io.data_offset;
		if (run->io.port == GUEST_PORT_EXIT) {
			memcpy(&res->status, p, sizeof(res->status));
			break;
		}
		if (run->io.count > VM_OUTPUT_MAX - res->out_len) {
			err = err_set(-EIO, "floor: the guest printed more than %u bytes",
				      VM_OUTPUT_MAX);
			break;
		}
		memcpy(res->out + res->out_len, p, run->io.count);
		res->out_len += run->io.count;
	}
	/* As vm_oneshot(): KVM's counters read between run and teardown, untimed. */
	t1 = clock_ns();
	if (!err) {
		uint64_t now[KVMSTAT_COUNT];
		err = kvmstat_read(&kvm->stats, vcpu, now);
		memcpy(res->kvm, now, sizeof(now));
		err = err ?: vm_counts_check(t, res);
	}
	t2 = clock_ns();
	goto out;
fail:
	err = err_errno(-errno, "floor: %s", what);
out:
	if (run != MAP_FAILED)
		munmap(run, kvm->run_size);
	if (vcpu >= 0)
		close(vcpu);
	close(vm);
	if (data != t->data && data != MAP_FAILED)
		munmap(data, t->data_size);
	*ns = (t1 - t0) + (clock_ns() - t2);
	return err;
}
