#define _GNU_SOURCE	/* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "err.h"
#include "snapshot.h"
#include "util.h"
#include "x86.h"

/* The MSRs a snapshot keeps where this KVM lists them: what Firecracker's
 * snapshots save of them for a 64-bit guest, less what only a guest kernel
 * with an APIC uses.  A ring-3 guest cannot change any of them; they are
 * taken so that a fork is the whole vCPU, as a platform's is. */
static const uint32_t msr_wanted[] = {
	0x00000010,	/* IA32_TSC */
	0x00000174,	/* IA32_SYSENTER_CS */
	0x00000175,	/* IA32_SYSENTER_ESP */
	0x00000176,	/* IA32_SYSENTER_EIP */
	0x00000277,	/* IA32_PAT */
	0xc0000081,	/* STAR */
	0xc0000082,	/* LSTAR */
	0xc0000083,	/* CSTAR */
	0xc0000084,	/* SYSCALL_MASK */
	0xc0000102,	/* KERNEL_GS_BASE */
	0xc0000103,	/* TSC_AUX */
};

/* Of msr_wanted[], those KVM_GET_MSR_INDEX_LIST names, into s->msrs. */
static int msr_list(struct vm_snapshot *s)
{
	struct kvm_msr_list probe = { .nmsrs = 0 };
	struct kvm_msr_list *list;

	if (ioctl(s->kvm->fd, KVM_GET_MSR_INDEX_LIST, &probe) < 0 && errno != E2BIG)
		return err_errno(-errno, "KVM_GET_MSR_INDEX_LIST");
	list = calloc(1, sizeof(*list) + probe.nmsrs * sizeof(list->indices[0]));
	s->msrs = calloc(1, sizeof(*s->msrs) + ARRAY_SIZE(msr_wanted) * sizeof(s->msrs->entries[0]));
	if (!list || !s->msrs) {
		free(list);
		return err_set(-ENOMEM, "no memory for the MSR list");
	}
	list->nmsrs = probe.nmsrs;
	if (ioctl(s->kvm->fd, KVM_GET_MSR_INDEX_LIST, list) < 0) {
		free(list);
		return err_errno(-errno, "KVM_GET_MSR_INDEX_LIST");
	}
	for (size_t i = 0; i < ARRAY_SIZE(msr_wanted); i++)
		for (uint32_t j = 0; j < list->nmsrs; j++)
			if (list->indices[j] == msr_wanted[i])
				s->msrs->entries[s->msrs->nmsrs++].index = msr_wanted[i];
	free(list);
	return 0;
}

static int take_memory(struct vm_snapshot *s, const struct vm *vm)
{
	s->memfd = memfd_create("kvmbench-snapshot", MFD_CLOEXEC);
	if (s->memfd < 0)
		return err_errno(-errno, "memfd_create for a snapshot's memory");
	if (ftruncate(s->memfd, (off_t)s->size) < 0)
		return err_errno(-errno, "ftruncate of a snapshot's memory to %zu bytes", s->size);
	/* Page by page, leaving holes where the VM's memory is zero: a
	 * fork then reads them as zero pages, as it would have. */
	static const uint8_t zero[PAGE_SIZE];
	for (size_t off = 0; off < s->size; off += PAGE_SIZE) {
		const uint8_t *p = (const uint8_t *)vm->data + off;
		if (!memcmp(p, zero, PAGE_SIZE))
			continue;
		if (pwrite(s->memfd, p, PAGE_SIZE, (off_t)off) != PAGE_SIZE)
			return err_errno(errno ? -errno : -EIO, "writing a snapshot's memory");
	}
	void *m = mmap(NULL, s->size, PROT_READ, MAP_SHARED, s->memfd, 0);
	if (m == MAP_FAILED)
		return err_errno(-errno, "mmap of a snapshot's memory");
	s->mem = m;
	return 0;
}

/*
 * The vCPU's state made whole: after an exit to user space for port I/O,
 * KVM finishes the instruction (moves RIP past the OUT) only when the vCPU
 * is entered again (api.rst, KVM_RUN: "the corresponding operations are
 * complete ... only after userspace has re-entered the kernel with
 * KVM_RUN").  VMX and SVM leave RIP on the OUT until then, kvm_pvm does
 * not; a snapshot taken before would make every fork run the OUT again.
 * KVM_RUN with immediate_exit set completes it and returns at once, EINTR.
 */
static int complete_io(const struct vm *vm)
{
	if (ioctl(vm->t->kvm->fd, KVM_CHECK_EXTENSION, KVM_CAP_IMMEDIATE_EXIT) <= 0)
		return err_set(-ENOTSUP, "this KVM lacks KVM_CAP_IMMEDIATE_EXIT, which a snapshot "
			       "needs to complete the guest's last port I/O first");
	vm->run->immediate_exit = 1;
	int r = ioctl(vm->vcpu_fd, KVM_RUN, 0);
	int e = errno;
	vm->run->immediate_exit = 0;
	if (r == 0 || e != EINTR)
		return err_errno(r ? -e : -EIO, "KVM_RUN with immediate_exit, completing the "
				 "guest's port I/O before a snapshot");
	return 0;
}

int vm_snapshot_take(struct vm_snapshot *s, const struct vm *vm)
{
	const struct kvm *kvm = vm->t->kvm;
	int err;

	memset(s, 0, sizeof(*s));
	s->kvm = kvm;
	s->memfd = -1;
	s->size = vm->t->data_size;
	s->xsave = calloc(1, kvm->xsave_size);
	s->cpuid = calloc(1, sizeof(*s->cpuid) + kvm->cpuid->nent * sizeof(s->cpuid->entries[0]));
	if (!s->xsave || !s->cpuid)
		return err_set(-ENOMEM, "no memory for a snapshot's vCPU state");
	s->cpuid->nent = kvm->cpuid->nent;
	err = complete_io(vm);
	if (err)
		return err;
	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &s->regs) < 0)
		return err_errno(-errno, "KVM_GET_REGS");
	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s->sregs) < 0)
		return err_errno(-errno, "KVM_GET_SREGS");
	if (ioctl(vm->vcpu_fd, kvm->xsave2 ? KVM_GET_XSAVE2 : KVM_GET_XSAVE, s->xsave) < 0)
		return err_errno(-errno, kvm->xsave2 ? "KVM_GET_XSAVE2" : "KVM_GET_XSAVE");
	if (kvm->have_xcrs && ioctl(vm->vcpu_fd, KVM_GET_XCRS, &s->xcrs) < 0)
		return err_errno(-errno, "KVM_GET_XCRS");
	if (ioctl(vm->vcpu_fd, KVM_GET_CPUID2, s->cpuid) < 0)
		return err_errno(-errno, "KVM_GET_CPUID2");
	err = msr_list(s);
	if (err)
		return err;
	int got = ioctl(vm->vcpu_fd, KVM_GET_MSRS, s->msrs);
	if (got < 0)
		return err_errno(-errno, "KVM_GET_MSRS");
	if ((uint32_t)got != s->msrs->nmsrs)
		return err_set(-EIO, "KVM_GET_MSRS read %d of the %u MSRs KVM lists (MSR 0x%x "
			       "refused)", got, s->msrs->nmsrs, s->msrs->entries[got].index);
	return take_memory(s, vm);
}

void vm_snapshot_free(struct vm_snapshot *s)
{
	if (s->mem)
		munmap((void *)s->mem, s->size);
	if (s->memfd >= 0)
		close(s->memfd);
	free(s->xsave);
	free(s->cpuid);
	free(s->msrs);
	memset(s, 0, sizeof(*s));
	s->memfd = -1;
}

int vm_template_snapshot(struct vm_template *t, const struct vm_snapshot *s,
			 const struct guest_image *guest)
{
	int err = vm_template_init(t, s->kvm, guest, VM_MEM_INDIVIDUAL, s->size);

	if (err)
		return err;
	munmap((void *)t->pristine, t->data_size);
	close(t->pristine_fd);
	t->pristine = NULL;
	t->pristine_fd = fcntl(s->memfd, F_DUPFD_CLOEXEC, 0);
	if (t->pristine_fd < 0) {
		err = err_errno(-errno, "dup of a snapshot's memfd");
		vm_template_fini(t);
		return err;
	}
	void *m = mmap(NULL, t->data_size, PROT_READ, MAP_SHARED, t->pristine_fd, 0);
	if (m == MAP_FAILED) {
		err = err_errno(-errno, "mmap of a snapshot's memory");
		vm_template_fini(t);
		return err;
	}
	t->pristine = m;
	t->file_backed = true;
	t->snap = s;
	t->regs = s->regs;
	return 0;
}

int vm_snapshot_restore(struct vm *vm, const struct vm_snapshot *s, uint64_t rdi, uint64_t rsi)
{
	struct kvm_regs regs = s->regs;

	regs.rdi = rdi;
	regs.rsi = rsi;
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &s->sregs) < 0)
		return err_errno(-errno, "KVM_SET_SREGS of a snapshot's state");
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs) < 0)
		return err_errno(-errno, "KVM_SET_REGS of a snapshot's state");
	/* XCR0 first: it says which components the XSAVE image may restore. */
	if (s->kvm->have_xcrs && s->xcrs.nr_xcrs && ioctl(vm->vcpu_fd, KVM_SET_XCRS, &s->xcrs) < 0)
		return err_errno(-errno, "KVM_SET_XCRS of a snapshot's state");
	if (ioctl(vm->vcpu_fd, KVM_SET_XSAVE, s->xsave) < 0)
		return err_errno(-errno, "KVM_SET_XSAVE of a snapshot's state");
	int set = s->msrs->nmsrs ? ioctl(vm->vcpu_fd, KVM_SET_MSRS, s->msrs) : 0;
	if (set < 0)
		return err_errno(-errno, "KVM_SET_MSRS of a snapshot's state");
	if ((uint32_t)set != s->msrs->nmsrs)
		return err_set(-EIO, "KVM_SET_MSRS set %d of a snapshot's %u MSRs (MSR 0x%x "
			       "refused)", set, s->msrs->nmsrs, s->msrs->entries[set].index);
	return 0;
}
