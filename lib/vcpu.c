/*
 * The vCPU of a VM: creating it and mapping its kvm_run, the pristine
 * extended state (XSAVE, XCRs) a fresh one has, its entry registers and
 * segments (through kvm_run's sync-regs where KVM offers them), and the
 * reset levels between runs (enum vcpu_reset), recreate included.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "abi.h"
#include "clock.h"
#include "err.h"
#include "vm.h"
#include "vm_internal.h"
#include "snapshot.h"
#include "x86.h"
#include "util.h"

/* The extended state of the fresh vCPU vcpu_fd, as struct kvm keeps it. */
#define XSAVE_HEADER_OFFSET 512		/* XSTATE_BV, in the standard format */
#define XFEATURE_X87 (1u << 0)
#define XFEATURE_SSE (1u << 1)

int vcpu_pristine_extended(struct kvm *kvm, int vcpu_fd)
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


/* Creates vCPU `id` of vm and maps its kvm_run (and dirty ring); stamp
 * (NULL: none) as create() says.  vm_destroy() cleans up after a failure. */
int vcpu_open(struct vm *vm, uint32_t id, uint64_t *stamp)
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
	memset(vm->counted, 0, sizeof(vm->counted));
	if (t->ring_bytes) {
		vm->track->ring = mmap(NULL, t->ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
				vm->vcpu_fd, KVM_DIRTY_LOG_PAGE_OFFSET * (off_t)PAGE_SIZE);
		if (vm->track->ring == MAP_FAILED) {
			vm->track->ring = NULL;
			return err_errno(-errno, "mmap of the vCPU's dirty ring");
		}
		vm->track->ring_next = 0;
	}
	if (stamp)
		stamp[VM_PHASE_MAP_RUN + 1] = clock_ns();
	if (ioctl(vm->vcpu_fd, KVM_SET_CPUID2, t->snap ? t->snap->cpuid : t->kvm->cpuid) < 0)
		return vcpu_cpuid_refused(t->kvm, -errno);
	if (stamp)
		stamp[VM_PHASE_SET_CPUID + 1] = clock_ns();
	return 0;
}

int vcpu_cpuid_refused(const struct kvm *kvm, int err)
{
	return err_errno(err, "KVM_SET_CPUID2 refused the %u CPUID entries that "
			 "KVM_GET_SUPPORTED_CPUID offered (%s)", kvm->cpuid->nent, kvm->what);
}

int vcpu_sregs_refused(const struct kvm *kvm, const struct kvm_sregs *s, int err)
{
	return err_errno(err, "KVM_SET_SREGS refused the guest's entry state (64-bit mode at "
			 "CPL 3: CR0 0x%llx, CR3 0x%llx, CR4 0x%llx, EFER 0x%llx, CS 0x%x with L=%u; "
			 "the vCPU has this KVM's supported CPUID) on %s",
			 (unsigned long long)s->cr0, (unsigned long long)s->cr3,
			 (unsigned long long)s->cr4, (unsigned long long)s->efer,
			 (unsigned)s->cs.selector, (unsigned)s->cs.l, kvm->what);
}

/* The entry segments and control registers, with the CR3 that pte-dirty
 * chose (lib/reset.c). */
int vcpu_set_sregs(struct vm *vm)
{
	const struct kvm_sregs *sregs = &vm->t->kvm->sregs;
	struct kvm_sregs alt;

	if (vm->track && vm->track->cr3_alt) {
		alt = *sregs;
		alt.cr3 = x86_pml4(true);
		sregs = &alt;
	}
	if (vm->track)
		vm->track->sregs_stale = false;
	if (vm->t->kvm->sync_regs & KVM_SYNC_X86_SREGS) {
		vm->run->s.regs.sregs = *sregs;
		vm->run->kvm_dirty_regs |= KVM_SYNC_X86_SREGS;
		return 0;
	}
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, sregs) < 0)
		return vcpu_sregs_refused(vm->t->kvm, sregs, -errno);
	return 0;
}

/* stamp (NULL: none) gets a timestamp after each phase (enum vm_phase). */

/* The entry registers, with RDI, RSI and RIP as given. */
int vcpu_set_regs(struct vm *vm, uint64_t rdi, uint64_t rsi, uint64_t rip)
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
	return vcpu_set_regs(vm, rdi, rsi, vm->t->regs.rip);
}

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

/* The vCPU's kvm_run and dirty ring unmapped, its fd closed (vm.h). */
void vm_release_vcpu(struct vm *vm)
{
	if (vm->run)
		munmap(vm->run, vm->t->kvm->run_size);
	if (vm->track && vm->track->ring) {
		munmap(vm->track->ring, vm->t->ring_bytes);
		vm->track->ring = NULL;
	}
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	vm->run = NULL;
	vm->vcpu_fd = -1;
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
	return vcpu_open(vm, id, NULL) ?: vcpu_set_sregs(vm);
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
		err = vcpu_set_sregs(vm);
		if (!err && ioctl(vm->vcpu_fd, KVM_SET_XSAVE, kvm->xsave) < 0)
			err = err_errno(-errno, "KVM_SET_XSAVE");
		/* No XCR to restore where the guest has none (no XSAVE in its CPUID). */
		if (!err && kvm->have_xcrs && kvm->xcrs.nr_xcrs &&
		    ioctl(vm->vcpu_fd, KVM_SET_XCRS, &kvm->xcrs) < 0)
			err = err_errno(-errno, "KVM_SET_XCRS");
		break;
	case VCPU_RESET_FXRSTOR:
		err = vcpu_set_sregs(vm);
		return err ?: vcpu_set_regs(vm, rdi, rsi, GUEST_STUB_BASE);
	case VCPU_RESET_SREGS:
		err = vcpu_set_sregs(vm);
		break;
	case VCPU_RESET_REGS:
	case VCPU_RESET_COUNT:
		if (vm->track && vm->track->sregs_stale)
			err = vcpu_set_sregs(vm);
		break;
	}
	return err ?: vm_reset_regs(vm, rdi, rsi);
}

