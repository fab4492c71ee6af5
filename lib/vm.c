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
#include "vm.h"
#include "watchdog.h"
#include "x86.h"
#include "util.h"

/* ---- KVM ---- */

static const char *exit_reason_name(uint32_t reason)
{
	static const char *const names[] = {
#define N(x) [KVM_EXIT_##x] = "KVM_EXIT_" #x
		N(UNKNOWN), N(EXCEPTION), N(IO), N(HYPERCALL), N(DEBUG),
		N(HLT), N(MMIO), N(IRQ_WINDOW_OPEN), N(SHUTDOWN),
		N(FAIL_ENTRY), N(INTR), N(SET_TPR), N(TPR_ACCESS),
		N(NMI), N(INTERNAL_ERROR), N(OSI), N(PAPR_HCALL),
		N(WATCHDOG), N(EPR), N(SYSTEM_EVENT), N(IOAPIC_EOI),
		N(HYPERV), N(X86_RDMSR), N(X86_WRMSR), N(DIRTY_RING_FULL),
		N(AP_RESET_HOLD), N(X86_BUS_LOCK), N(XEN), N(NOTIFY),
#undef N
	};

	if (reason < ARRAY_SIZE(names) && names[reason])
		return names[reason];
	return "an unknown exit reason";
}

/* The extended state of the fresh vCPU vcpu_fd, as struct kvm keeps it. */
#define XSAVE_HEADER_OFFSET 512		/* XSTATE_BV, in the standard format */
#define XFEATURE_X87 (1u << 0)
#define XFEATURE_SSE (1u << 1)

static int pristine_extended(struct kvm *kvm, int vcpu_fd)
{
	uint64_t xstate_bv;
	int size2 = ioctl(kvm->fd, KVM_CHECK_EXTENSION, KVM_CAP_XSAVE2);

	if (ioctl(kvm->fd, KVM_CHECK_EXTENSION, KVM_CAP_XSAVE) <= 0)
		return err_set(-ENOTSUP, "this KVM lacks KVM_CAP_XSAVE, which kvmbench needs "
			       "to reset a vCPU's x87 and SSE state");
	kvm->xsave2 = size2 > (int)sizeof(struct kvm_xsave);
	kvm->xsave_size = kvm->xsave2 ? (size_t)size2 : sizeof(struct kvm_xsave);
	kvm->xsave = calloc(1, kvm->xsave_size);
	if (!kvm->xsave)
		return err_set(-ENOMEM, "no memory for a vCPU's extended state");
	if (ioctl(vcpu_fd, kvm->xsave2 ? KVM_GET_XSAVE2 : KVM_GET_XSAVE, kvm->xsave) < 0)
		return err_errno(-errno, "KVM_GET_XSAVE");
	/* A fresh vCPU's XSTATE_BV names no component (all in their initial
	 * state), and Linux before the fix "x86/fpu: Fix the MXCSR state
	 * reshuffling between userspace and kernel buffers" (6.1 among them)
	 * then takes MXCSR from no part of KVM_SET_XSAVE's buffer, while XRSTOR
	 * loads MXCSR whatever XSTATE_BV says: the last guest's MXCSR stayed.
	 * Naming x87 and SSE makes the kernel copy the whole legacy area, which
	 * holds the initial values (FCW 0x37f, MXCSR 0x1f80, XMM zero). */
	memcpy(&xstate_bv, (char *)kvm->xsave->region + XSAVE_HEADER_OFFSET, sizeof(xstate_bv));
	xstate_bv |= XFEATURE_X87 | XFEATURE_SSE;
	memcpy((char *)kvm->xsave->region + XSAVE_HEADER_OFFSET, &xstate_bv, sizeof(xstate_bv));
	int sync = ioctl(kvm->fd, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS);
	kvm->sync_regs = sync > 0 ? (uint32_t)sync & (KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS) : 0;
	kvm->have_xcrs = ioctl(kvm->fd, KVM_CHECK_EXTENSION, KVM_CAP_XCRS) > 0;
	if (kvm->have_xcrs && ioctl(vcpu_fd, KVM_GET_XCRS, &kvm->xcrs) < 0)
		return err_errno(-errno, "KVM_GET_XCRS");
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
	if (ioctl(vcpu_fd, KVM_GET_SREGS, &kvm->sregs) < 0) {
		err = err_errno(-errno, "KVM_GET_SREGS");
		goto fail;
	}
	err = pristine_extended(kvm, vcpu_fd);
	if (err)
		goto fail;
	close(vcpu_fd);
	close(vm_fd);

	x86_entry_sregs(&kvm->sregs);
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
}

/* Creates vCPU `id` of vm and maps its kvm_run (and dirty ring); stamp
 * (NULL: none) as create() says.  vm_destroy() cleans up after a failure. */
static int vcpu_open(struct vm *vm, uint32_t id, uint64_t *stamp)
{
	const struct vm_template *t = vm->t;
	int err;

	vm->vcpu_id = id;
	vm->vcpu_fd = ioctl(vm->fd, KVM_CREATE_VCPU, (unsigned long)id);
	if (vm->vcpu_fd < 0) {
		err = -errno;
		return err_errno(err, "KVM_CREATE_VCPU%s", err == -EMFILE ?
				 " (out of file descriptors: raise ulimit -n)" : "");
	}
	if (stamp)
		stamp[VM_PHASE_CREATE_VCPU + 1] = clock_ns();
	vm->run = mmap(NULL, t->kvm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED) {
		vm->run = NULL;
		return err_errno(-errno, "mmap of kvm_run");
	}
	if (t->ring_bytes) {
		vm->ring = mmap(NULL, t->ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
				vm->vcpu_fd, KVM_DIRTY_LOG_PAGE_OFFSET * (off_t)PAGE_SIZE);
		if (vm->ring == MAP_FAILED) {
			vm->ring = NULL;
			return err_errno(-errno, "mmap of the vCPU's dirty ring");
		}
		vm->ring_next = 0;
	}
	if (stamp)
		stamp[VM_PHASE_MAP_RUN + 1] = clock_ns();
	return 0;
}

/* The entry segments and control registers, with the CR3 that pte-dirty
 * chose (lib/reset.c). */
static int set_sregs(struct vm *vm)
{
	const struct kvm_sregs *sregs = &vm->t->kvm->sregs;
	struct kvm_sregs alt;

	if (vm->cr3_alt) {
		alt = *sregs;
		alt.cr3 = x86_pml4(true);
		sregs = &alt;
	}
	vm->sregs_stale = false;
	if (vm->t->kvm->sync_regs & KVM_SYNC_X86_SREGS) {
		vm->run->s.regs.sregs = *sregs;
		vm->run->kvm_dirty_regs |= KVM_SYNC_X86_SREGS;
		return 0;
	}
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, sregs) < 0)
		return err_errno(-errno, "KVM_SET_SREGS");
	return 0;
}

/* stamp (NULL: none) gets a timestamp after each phase (enum vm_phase). */
static int create(struct vm *vm, const struct vm_template *t, uint64_t *stamp)
{
	const struct kvm *kvm = t->kvm;
	int err;

	vm->t = t;
	vm->vcpu_fd = -1;
	vm->run = NULL;
	vm->data = NULL;
	vm->pt = NULL;
	vm->ring = NULL;
	vm->ring_next = 0;
	vm->ran = false;
	vm->cr3_alt = false;
	vm->sregs_stale = false;
	vm->hot = NULL;
	/* Only a tracking reset reads it; single and floor time this path. */
	if (t->tracking)
		memset(vm->dirty, 0, sizeof(vm->dirty));
	vm->fd = ioctl(kvm->fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0) {
		err = -errno;
		return err_errno(err, "KVM_CREATE_VM%s", err == -EMFILE ?
				 " (out of file descriptors: raise ulimit -n)" : "");
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
		vm->pt = mmap(NULL, t->pt_size, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (vm->pt == MAP_FAILED) {
			vm->pt = NULL;
			err = err_errno(-errno, "mmap of the guest's page tables");
			goto fail;
		}
		x86_data_ptes(vm->pt, t->data_size);
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
		.slot = 0, .flags = KVM_MEM_READONLY, .guest_phys_addr = 0,
		.memory_size = GUEST_RO_SIZE, .userspace_addr = (uintptr_t)t->ro,
	};
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &slot) < 0) {
		err = err_errno(-errno, "KVM_SET_USER_MEMORY_REGION (read-only slot)");
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
	if (vm->pt) {
		slot = (struct kvm_userspace_memory_region){
			.slot = 2, .guest_phys_addr = GUEST_PTE_BASE,
			.memory_size = t->pt_size, .userspace_addr = (uintptr_t)vm->pt,
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
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &kvm->sregs) < 0) {
		err = err_errno(-errno, "KVM_SET_SREGS");
		goto fail;
	}
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &t->regs) < 0) {
		err = err_errno(-errno, "KVM_SET_REGS");
		goto fail;
	}
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

/* The entry registers, with RDI, RSI and RIP as given. */
static int set_regs(struct vm *vm, uint64_t rdi, uint64_t rsi, uint64_t rip)
{
	struct kvm_regs regs = vm->t->regs;

	regs.rdi = rdi;
	regs.rsi = rsi;
	regs.rip = rip;
	if (vm->t->kvm->sync_regs & KVM_SYNC_X86_REGS) {
		vm->run->s.regs.regs = regs;
		vm->run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
		return 0;
	}
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs) < 0)
		return err_errno(-errno, "KVM_SET_REGS");
	return 0;
}

int vm_reset_regs(struct vm *vm, uint64_t rdi, uint64_t rsi)
{
	return set_regs(vm, rdi, rsi, vm->t->regs.rip);
}

const char *const vcpu_reset_names[] = {
	[VCPU_RESET_REGS] = "regs", [VCPU_RESET_SREGS] = "sregs",
	[VCPU_RESET_FXRSTOR] = "fxrstor", [VCPU_RESET_FULL] = "full",
	[VCPU_RESET_RECREATE] = "recreate", [VCPU_RESET_COUNT] = NULL,
};

uint32_t vcpu_recreate_max(const struct kvm *kvm)
{
	int ids = ioctl(kvm->fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPU_ID);
	int vcpus = ioctl(kvm->fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);

	if (ids <= 0)
		ids = vcpus;
	if (vcpus > 0 && vcpus < ids)
		ids = vcpus;
	return ids > 1 ? (uint32_t)ids - 1 : 0;
}

/* Closes the vCPU and opens the next one, set up as vm_create() does. */
static int vcpu_recreate(struct vm *vm)
{
	uint32_t id = vm->vcpu_id + 1;

	if (id > vcpu_recreate_max(vm->t->kvm))
		return err_set(-ENOSPC, "vCPU reset recreate: this VM has had %u vCPUs, as many "
			       "as KVM allows one VM (KVM_CAP_MAX_VCPUS): fewer rounds",
			       (unsigned)id);
	vm_release_vcpu(vm);
	return vcpu_open(vm, id, NULL) ?: set_sregs(vm);
}

int vm_reset_vcpu(struct vm *vm, enum vcpu_reset level, uint64_t rdi, uint64_t rsi)
{
	const struct kvm *kvm = vm->t->kvm;
	int err = 0;

	switch (level) {
	case VCPU_RESET_RECREATE:
		err = vcpu_recreate(vm);
		break;
	case VCPU_RESET_FULL:
		err = set_sregs(vm);
		if (!err && ioctl(vm->vcpu_fd, KVM_SET_XSAVE, kvm->xsave) < 0)
			err = err_errno(-errno, "KVM_SET_XSAVE");
		/* No XCR to restore where the guest has none (no XSAVE in its CPUID). */
		if (!err && kvm->have_xcrs && kvm->xcrs.nr_xcrs &&
		    ioctl(vm->vcpu_fd, KVM_SET_XCRS, &kvm->xcrs) < 0)
			err = err_errno(-errno, "KVM_SET_XCRS");
		break;
	case VCPU_RESET_FXRSTOR:
		err = set_sregs(vm);
		return err ?: set_regs(vm, rdi, rsi, GUEST_STUB_BASE);
	case VCPU_RESET_SREGS:
		err = set_sregs(vm);
		break;
	case VCPU_RESET_REGS:
	case VCPU_RESET_COUNT:
		if (vm->sregs_stale)
			err = set_sregs(vm);
		break;
	}
	return err ?: vm_reset_regs(vm, rdi, rsi);
}

static int guest_failed(struct vm *vm)
{
	const struct kvm_run *r = vm->run;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	char rip[32] = "an unknown RIP";
	char what[160] = "";

	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs) == 0)
		snprintf(rip, sizeof(rip), "RIP 0x%llx", (unsigned long long)regs.rip);

	switch (r->exit_reason) {
	case KVM_EXIT_IO:
		snprintf(what, sizeof(what), " (%s port 0x%x, %u byte(s) x %u: not a port "
			 "of guest/abi.h)", r->io.direction == KVM_EXIT_IO_OUT ? "out to" :
			 "in from", r->io.port, r->io.size, r->io.count);
		break;
	case KVM_EXIT_MMIO:
		snprintf(what, sizeof(what), " (%s of %u byte(s) at guest address 0x%llx, "
			 "which is read-only or outside every memslot)",
			 r->mmio.is_write ? "write" : "read", r->mmio.len,
			 (unsigned long long)r->mmio.phys_addr);
		break;
	case KVM_EXIT_SHUTDOWN:
		/* kvm_amd INITs the vCPU on a shutdown intercept (the VMCB is
		 * undefined after one), kvm_intel keeps its state: in real mode
		 * the RIP read back is the reset vector's, not the fault's. */
		if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs) == 0 && !(sregs.cr0 & X86_CR0_PE)) {
			snprintf(rip, sizeof(rip), "an unknown RIP");
			snprintf(what, sizeof(what), " (triple fault: the guest raised an "
				 "exception and has no handler; KVM reset the vCPU at the "
				 "shutdown, as kvm_amd does, so the fault's RIP is lost)");
			break;
		}
		snprintf(what, sizeof(what), " (triple fault: the guest raised an "
			 "exception and has no handler)");
		break;
	case KVM_EXIT_HLT:
		snprintf(what, sizeof(what), " (the guest halted)");
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		snprintf(what, sizeof(what), " (suberror %u)", r->internal.suberror);
		break;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(what, sizeof(what), " (hardware entry failure reason 0x%llx)",
			 (unsigned long long)r->fail_entry.hardware_entry_failure_reason);
		break;
	}
	return err_set(-EIO, "guest '%s' stopped with %s at %s%s", vm->t->guest->name,
		       exit_reason_name(r->exit_reason), rip, what);
}

static int run_loop(struct vm *vm, struct vm_result *res);

int vm_run(struct vm *vm, struct vm_result *res)
{
	int err;

	watchdog_enter(vm->run);
	vm->ran = true;
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
		res->exits++;
		if (r->exit_reason != KVM_EXIT_IO || r->io.direction != KVM_EXIT_IO_OUT) {
			/* The template's reset may know this exit (a full dirty ring). */
			int handled = vm->t->on_exit ? vm->t->on_exit(vm) : 0;
			if (handled > 0)
				continue;
			return handled < 0 ? handled : guest_failed(vm);
		}
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
			return guest_failed(vm);
		}
	}
}

void vm_release_vcpu(struct vm *vm)
{
	if (vm->run)
		munmap(vm->run, vm->t->kvm->run_size);
	if (vm->ring)
		munmap(vm->ring, vm->t->ring_bytes);
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	vm->run = NULL;
	vm->ring = NULL;
	vm->vcpu_fd = -1;
}

void vm_destroy(struct vm *vm)
{
	vm_release_vcpu(vm);
	if (vm->fd >= 0)
		close(vm->fd);
	if (vm->data && vm->t->memory == VM_MEM_INDIVIDUAL)
		munmap(vm->data, vm->t->data_size);
	if (vm->pt)
		munmap(vm->pt, vm->t->pt_size);
	free(vm->hot);
	vm->hot = NULL;
	vm->data = NULL;
	vm->pt = NULL;
	vm->fd = -1;
}

const char *const vm_phase_names[VM_PHASES] = {
	[VM_PHASE_CREATE_VM] = "create-vm", [VM_PHASE_MEMSLOTS] = "memslots",
	[VM_PHASE_CREATE_VCPU] = "create-vcpu", [VM_PHASE_MAP_RUN] = "map-run",
	[VM_PHASE_SET_REGISTERS] = "set-registers", [VM_PHASE_RUN] = "run",
	[VM_PHASE_TEARDOWN] = "teardown",
};

int vm_oneshot_phases(const struct vm_template *t, struct vm_result *res,
		      uint64_t stamp[VM_PHASES + 1])
{
	struct vm vm;
	int err;

	stamp[VM_PHASE_CREATE_VM] = clock_ns();
	err = create(&vm, t, stamp);
	if (err)
		return err;
	err = vm_run(&vm, res);
	stamp[VM_PHASE_RUN + 1] = clock_ns();
	vm_destroy(&vm);
	stamp[VM_PHASE_TEARDOWN + 1] = clock_ns();
	return err;
}

int vm_oneshot(const struct vm_template *t, struct vm_result *res)
{
	struct vm vm;
	int err = vm_create(&vm, t);

	if (err)
		return err;
	err = vm_run(&vm, res);
	vm_destroy(&vm);
	return err;
}
