#define _GNU_SOURCE	/* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

#include "abi.h"
#include "clock.h"
#include "err.h"
#include "snapshot.h"
#include "sysinfo.h"
#include "vm.h"
#include "vm_internal.h"
#include "watchdog.h"
#include "x86.h"
#include "util.h"

/* ---- KVM ---- */

/* KVM_GET_SUPPORTED_CPUID into kvm->cpuid, with room grown until it fits. */
static int supported_cpuid(struct kvm *kvm)
{
	for (uint32_t n = 64; n <= 4096; n *= 2) {
		free(kvm->cpuid);
		kvm->cpuid = calloc(1, sizeof(*kvm->cpuid) + n * sizeof(kvm->cpuid->entries[0]));
		if (!kvm->cpuid)
			return err_set(-ENOMEM, "no memory for the CPUID table");
		kvm->cpuid->nent = n;
		if (ioctl(kvm->fd, KVM_GET_SUPPORTED_CPUID, kvm->cpuid) == 0)
			return 0;
		if (errno != E2BIG)
			return err_errno(-errno, "KVM_GET_SUPPORTED_CPUID (%s)", kvm->what);
	}
	return err_set(-E2BIG, "KVM_GET_SUPPORTED_CPUID offers more than 4096 entries (%s)",
		       kvm->what);
}

/* One hello VM, counted: how many instructions KVM emulates per port I/O
 * exit, which differs between KVMs (kvm->emulated_per_io). */
static int probe_emulation(struct kvm *kvm)
{
	struct vm_template t;
	struct vm_result res;
	struct vm vm;
	uint64_t n[KVMSTAT_COUNT];

	if (!kvm->stats.available)
		return 0;
	int err = vm_template_init(&t, kvm, guest_find("hello"), VM_MEM_SHARED,
				   GUEST_DATA_DEFAULT);
	if (err)
		return err_prefix(err, "the probe of KVM's emulation");
	err = vm_create(&vm, &t);
	if (!err) {
		err = vm_run(&vm, &res) ?: kvmstat_read(&kvm->stats, vm.vcpu_fd, n);
		vm_destroy(&vm);
	}
	vm_template_fini(&t);
	if (err)
		return err_prefix(err, "the probe of KVM's emulation, a hello VM");
	uint64_t emulated = n[KVMSTAT_INSN_EMULATION];
	if (!res.exits_io || emulated % res.exits_io || emulated / res.exits_io > 1)
		return err_set(-EIO, "KVM emulated %llu instruction(s) of a hello VM whose run "
			       "took %u port I/O exits (its statistic insn_emulation): more than "
			       "its port I/O, so every time taken here would include KVM's "
			       "instruction emulator; nothing is measured.  KVM at hand: %s",
			       (unsigned long long)emulated, res.exits_io, kvm->what);
	kvm->emulated_per_io = (uint32_t)(emulated / res.exits_io);
	return 0;
}

int kvm_open(struct kvm *kvm, const char *path)
{
	static const struct { long cap; const char *name; } needed[] = {
		{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
		{ KVM_CAP_READONLY_MEM, "KVM_CAP_READONLY_MEM" },
	};
	int err, vm_fd = -1, vcpu_fd = -1;

	if (!path)
		path = "/dev/kvm";
	memset(kvm, 0, sizeof(*kvm));
	sysinfo_kvm_describe(kvm->what, sizeof(kvm->what));
	kvm->fd = open(path, O_RDWR | O_CLOEXEC);
	if (kvm->fd < 0) {
		err = -errno;
		if (err == -ENOENT)
			return err_set(err, "%s does not exist: this machine offers no KVM "
				       "(load kvm_intel, kvm_amd or kvm_pvm, or enable "
				       "nested virtualisation)", path);
		if (err == -EACCES || err == -EPERM)
			return err_set(err, "%s is not accessible to this user: run as root "
				       "or join the group that owns it (ls -l %s)", path, path);
		return err_errno(err, "cannot open %s", path);
	}

	int api = ioctl(kvm->fd, KVM_GET_API_VERSION, 0);
	if (api != KVM_API_VERSION) {
		err = api < 0 ? err_errno(-errno, "KVM_GET_API_VERSION on %s", path)
			      : err_set(-ENOTSUP, "%s speaks KVM API version %d, kvmbench "
					"needs %d: is it really a KVM device?",
					path, api, KVM_API_VERSION);
		goto fail;
	}
	for (size_t i = 0; i < ARRAY_SIZE(needed); i++) {
		if (ioctl(kvm->fd, KVM_CHECK_EXTENSION, needed[i].cap) <= 0) {
			err = err_set(-ENOTSUP, "this KVM lacks %s, which kvmbench needs "
				      "(a newer kernel has it)", needed[i].name);
			goto fail;
		}
	}
	int size = ioctl(kvm->fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run)) {
		err = err_errno(size < 0 ? -errno : -EINVAL, "KVM_GET_VCPU_MMAP_SIZE");
		goto fail;
	}
	kvm->run_size = (size_t)size;

	/* The entry state starts from a real vCPU's reset state, so fields we
	 * do not set (TR, LDT, APIC base) keep what this KVM expects: under
	 * kvm_pvm ring-3 port I/O needs the reset TR (docs/design.md). */
	vm_fd = ioctl(kvm->fd, KVM_CREATE_VM, 0);
	if (vm_fd < 0) {
		err = err_errno(-errno, "KVM_CREATE_VM");
		goto fail;
	}
	vcpu_fd = ioctl(vm_fd, KVM_CREATE_VCPU, 0);
	if (vcpu_fd < 0) {
		err = err_errno(-errno, "KVM_CREATE_VCPU");
		goto fail;
	}
	/* The pristine extended state below is that of a vCPU with its CPUID:
	 * which XSAVE components a guest has follows from it. */
	err = supported_cpuid(kvm);
	if (err)
		goto fail;
	if (ioctl(vcpu_fd, KVM_SET_CPUID2, kvm->cpuid) < 0) {
		err = vcpu_cpuid_refused(kvm, -errno);
		goto fail;
	}
	if (ioctl(vcpu_fd, KVM_GET_SREGS, &kvm->sregs) < 0) {
		err = err_errno(-errno, "KVM_GET_SREGS");
		goto fail;
	}
	err = vcpu_pristine_extended(kvm, vcpu_fd);
	if (err)
		goto fail;
	kvmstat_layout(&kvm->stats, kvm->fd, vcpu_fd);
	close(vcpu_fd);
	close(vm_fd);
	vcpu_fd = vm_fd = -1;

	x86_entry_sregs(&kvm->sregs);
	err = probe_emulation(kvm);
	if (err)
		goto fail;
	return 0;

fail:
	if (vcpu_fd >= 0)
		close(vcpu_fd);
	if (vm_fd >= 0)
		close(vm_fd);
	kvm_close(kvm);
	return err;
}

void kvm_close(struct kvm *kvm)
{
	if (kvm->fd >= 0)
		close(kvm->fd);
	kvm->fd = -1;
	free(kvm->xsave);
	kvm->xsave = NULL;
	free(kvm->cpuid);
	kvm->cpuid = NULL;
}

static int create(struct vm *vm, const struct vm_template *t, uint64_t *stamp)
{
	const struct kvm *kvm = t->kvm;
	int err;

	vm->t = t;
	vm->vcpu_fd = -1;
	vm->run = NULL;
	vm->data = NULL;
	vm->fd = -1;
	vm->track = NULL;
	vm->first_exit = NULL;
	memset(vm->counted, 0, sizeof(vm->counted));
	/* Only a tracking reset has state per VM; single and floor time this
	 * path, and allocate nothing here. */
	if ((t->tracking || t->pt_size || t->ring_bytes) &&
	    !(vm->track = calloc(1, sizeof(*vm->track))))
		return err_set(-ENOMEM, "no memory for a VM's tracking state");
	/* A stop and continue of the process can interrupt KVM_CREATE_VM
	 * (registering the MMU notifier gives up on a pending signal): create
	 * again, as vm_run() resumes; SIGINT and SIGTERM end it. */
	do
		vm->fd = ioctl(kvm->fd, KVM_CREATE_VM, 0);
	while (vm->fd < 0 && errno == EINTR && !watchdog_runs_stopped());
	if (vm->fd < 0) {
		err = -errno;
		err = err_errno(err, "KVM_CREATE_VM%s", err == -EMFILE ?
				" (out of file descriptors: raise ulimit -n)" : "");
		goto fail;
	}

	if (t->memory == VM_MEM_SHARED) {
		vm->data = t->data;
	} else {
		vm->data = t->file_backed ?
			mmap(NULL, t->data_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE,
			     t->pristine_fd, 0) :
			mmap(NULL, t->data_size, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (vm->data == MAP_FAILED) {
			vm->data = NULL;
			err = err_errno(-errno, "mmap of %zu bytes of guest memory", t->data_size);
			goto fail;
		}
		if (!t->file_backed && t->guest->data_size)
			memcpy(vm->data, t->guest->data, t->guest->data_size);
	}
	if (t->pt_size) {
		vm->track->pt = mmap(NULL, t->pt_size, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (vm->track->pt == MAP_FAILED) {
			vm->track->pt = NULL;
			err = err_errno(-errno, "mmap of the guest's page tables");
			goto fail;
		}
		x86_data_ptes(vm->track->pt, t->data_size);
	}
	if (stamp)
		stamp[VM_PHASE_CREATE_VM + 1] = clock_ns();

	if (t->manual_protect) {
		/* Before the write-enabled slot exists: it starts write-protected,
		 * and from then on only KVM_CLEAR_DIRTY_LOG protects a page again. */
		struct kvm_enable_cap cap = { .cap = KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2,
					      .args = { KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE } };
		if (ioctl(vm->fd, KVM_ENABLE_CAP, &cap) < 0) {
			err = err_errno(-errno, "KVM_ENABLE_CAP(KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2)");
			goto fail;
		}
	}
	struct kvm_userspace_memory_region slot = {
		.slot = 0, .flags = t->low_readonly ? KVM_MEM_READONLY : 0,
		.guest_phys_addr = 0, .memory_size = GUEST_LOW_SIZE,
		.userspace_addr = (uintptr_t)t->low,
	};
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &slot) < 0) {
		err = err_errno(-errno, "KVM_SET_USER_MEMORY_REGION (page tables and code)");
		goto fail;
	}
	slot = (struct kvm_userspace_memory_region){
		.slot = 1, .flags = t->slot_flags,
		.guest_phys_addr = GUEST_DATA_BASE,
		.memory_size = t->data_size, .userspace_addr = (uintptr_t)vm->data,
	};
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &slot) < 0) {
		err = err_errno(-errno, "KVM_SET_USER_MEMORY_REGION (write-enabled slot)");
		goto fail;
	}
	if (vm->track && vm->track->pt) {
		slot = (struct kvm_userspace_memory_region){
			.slot = 2, .guest_phys_addr = GUEST_PTE_BASE,
			.memory_size = t->pt_size, .userspace_addr = (uintptr_t)vm->track->pt,
		};
		if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &slot) < 0) {
			err = err_errno(-errno, "KVM_SET_USER_MEMORY_REGION (page-table slot)");
			goto fail;
		}
	}
	if (t->ring_bytes) {
		/* Only before the first vCPU exists. */
		struct kvm_enable_cap cap = { .cap = KVM_CAP_DIRTY_LOG_RING,
					      .args = { t->ring_bytes } };
		if (ioctl(vm->fd, KVM_ENABLE_CAP, &cap) < 0) {
			err = err_errno(-errno, "KVM_ENABLE_CAP(KVM_CAP_DIRTY_LOG_RING, %zu bytes)",
					t->ring_bytes);
			goto fail;
		}
	}
	if (stamp)
		stamp[VM_PHASE_MEMSLOTS + 1] = clock_ns();

	err = vcpu_open(vm, 0, stamp);
	if (err)
		goto fail;
	if (t->snap)
		err = vm_snapshot_restore(vm, t->snap, t->regs.rdi, t->regs.rsi);
	else if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &kvm->sregs) < 0)
		err = vcpu_sregs_refused(kvm, &kvm->sregs, -errno);
	else if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &t->regs) < 0)
		err = err_errno(-errno, "KVM_SET_REGS");
	if (err)
		goto fail;
	if (stamp)
		stamp[VM_PHASE_SET_REGISTERS + 1] = clock_ns();
	return 0;

fail:
	vm_destroy(vm);
	return err;
}

int vm_create(struct vm *vm, const struct vm_template *t)
{
	return create(vm, t, NULL);
}


static int run_loop(struct vm *vm, struct vm_result *res);

int vm_run(struct vm *vm, struct vm_result *res)
{
	int err;

	watchdog_enter(vm->run);
	if (vm->track)
		vm->track->ran = true;
	err = run_loop(vm, res);
	watchdog_leave();
	return err;
}

static int run_loop(struct vm *vm, struct vm_result *res)
{
	struct kvm_run *r = vm->run;

	res->exits = res->exits_io = 0;
	res->out_len = 0;
	for (;;) {
		if (ioctl(vm->vcpu_fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR && watchdog_fired(r))
				return err_set(-ETIMEDOUT, "guest '%s' was still running after the "
					       "run time limit of %.3f s: stopped (see --guest-timeout)",
					       vm->t->guest->name, (double)watchdog_timeout_ns() / 1e9);
			/* Anything else, a stop and continue (job control) above all,
			 * interrupts the run but does not end it: resume the guest. */
			if (errno == EINTR && watchdog_runs_stopped())
				return err_set(-EINTR, "guest run interrupted by a signal");
			if (errno == EINTR)
				continue;
			return err_errno(-errno, "KVM_RUN");
		}
		if (!res->exits++ && vm->first_exit)
			*vm->first_exit = clock_ns();
		/* No strategy code here: a dirty ring holds every page a run can
		 * write (lib/reset.c), so a full one is a failure like any other. */
		if (r->exit_reason != KVM_EXIT_IO || r->io.direction != KVM_EXIT_IO_OUT)
			return vm_guest_failed(vm, res);
		res->exits_io++;

		const uint8_t *p = (const uint8_t *)r + r->io.data_offset;
		if (r->io.port == GUEST_PORT_CONSOLE && r->io.size == 1) {
			if (r->io.count > VM_OUTPUT_MAX - res->out_len)
				return err_set(-EIO, "guest '%s' printed more than %u bytes: "
					       "stopped", vm->t->guest->name, VM_OUTPUT_MAX);
			memcpy(res->out + res->out_len, p, r->io.count);
			res->out_len += r->io.count;
		} else if (r->io.port == GUEST_PORT_RESULT && r->io.size == 4 && r->io.count == 1) {
			if (res->out_len + 4 > VM_OUTPUT_MAX)
				return err_set(-EIO, "guest '%s' wrote more than %u bytes: "
					       "stopped", vm->t->guest->name, VM_OUTPUT_MAX);
			memcpy(res->out + res->out_len, p, 4);
			res->out_len += 4;
		} else if (r->io.port == GUEST_PORT_EXIT && r->io.size == 4 && r->io.count == 1) {
			memcpy(&res->status, p, sizeof(res->status));
			return 0;
		} else {
			return vm_guest_failed(vm, res);
		}
	}
}

void vm_destroy(struct vm *vm)
{
	vm_release_vcpu(vm);
	if (vm->fd >= 0)
		close(vm->fd);
	if (vm->data && vm->t->memory == VM_MEM_INDIVIDUAL)
		munmap(vm->data, vm->t->data_size);
	if (vm->track) {
		if (vm->track->pt)
			munmap(vm->track->pt, vm->t->pt_size);
		free(vm->track->hot);
		free(vm->track);
		vm->track = NULL;
	}
	vm->data = NULL;
	vm->fd = -1;
}

/* The single-use VM, stamp[] as create() fills it (NULL: none), and the
 * teardown's start in stamp[VM_PHASES + 1]: KVM's counters are read
 * between the run and the teardown, in no phase. */
static int oneshot(const struct vm_template *t, struct vm_result *res, uint64_t *stamp,
		   uint64_t *ns, uint64_t *first)
{
	struct vm vm;
	uint64_t t0 = clock_ns();
	int err = create(&vm, t, stamp);

	if (err)
		return err;
	vm.first_exit = first;
	err = vm_run(&vm, res);
	uint64_t t1 = clock_ns();
	err = err ?: vm_count(&vm, res);
	uint64_t t2 = clock_ns();
	vm_destroy(&vm);
	uint64_t t3 = clock_ns();
	*ns = (t1 - t0) + (t3 - t2);
	if (stamp) {
		stamp[VM_PHASE_CREATE_VM] = t0;
		stamp[VM_PHASE_RUN + 1] = t1;
		stamp[VM_PHASES + 1] = t2;
		stamp[VM_PHASE_TEARDOWN + 1] = t3;
	}
	return err;
}

/* vm_oneshot_phases, and the first KVM_RUN where first_ns is not NULL. */
static int phased(const struct vm_template *t, struct vm_result *res, uint64_t *ns,
		  uint64_t phase_ns[VM_PHASES], uint64_t *first_ns)
{
	uint64_t stamp[VM_PHASES + 2], first = 0;
	int err = oneshot(t, res, stamp, ns, first_ns ? &first : NULL);

	if (err)
		return err;
	for (int k = 0; k < VM_PHASES; k++)
		phase_ns[k] = stamp[k + 1] - (k == VM_PHASE_TEARDOWN ? stamp[VM_PHASES + 1] :
					      stamp[k]);
	if (first_ns)
		*first_ns = first - stamp[VM_PHASE_RUN];
	return 0;
}

int vm_oneshot_phases(const struct vm_template *t, struct vm_result *res, uint64_t *ns,
		      uint64_t phase_ns[VM_PHASES])
{
	return phased(t, res, ns, phase_ns, NULL);
}

int vm_oneshot(const struct vm_template *t, struct vm_result *res, uint64_t *ns)
{
	return oneshot(t, res, NULL, ns, NULL);
}

int vm_oneshot_first(const struct vm_template *t, struct vm_result *res, uint64_t *ns,
		     uint64_t phase_ns[VM_PHASES], uint64_t *first_ns)
{
	return phased(t, res, ns, phase_ns, first_ns);
}
