#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "abi.h"
#include "err.h"
#include "reset.h"
#include "vm_internal.h"
#include "x86.h"

/* A ring of this many bytes (1024 entries) is the smallest that leaves
 * room beyond the entries KVM reserves for itself on Intel (PML). */
#define RING_BYTES 16384u
#define PAGEMAP_SOFT_DIRTY (1ull << 55)

/* ---- what the tracking strategies share ---- */

static void mark_dirty(struct vm *vm, uint64_t page)
{
	if (page < vm->t->data_size / PAGE_SIZE)
		vm->track->dirty[page / 64] |= 1ull << (page % 64);
}

/* Copies back the pages in vm->track->dirty, and forgets them. */
static void restore_dirty(struct vm *vm)
{
	uint8_t *data = vm->data;
	const uint8_t *pristine = vm->t->pristine;

	for (size_t w = 0; w < (vm->t->data_size / PAGE_SIZE + 63) / 64; w++) {
		for (uint64_t bits = vm->track->dirty[w]; bits; bits &= bits - 1) {
			size_t off = (w * 64 + (size_t)__builtin_ctzll(bits)) * PAGE_SIZE;
			memcpy(data + off, pristine + off, PAGE_SIZE);
		}
		vm->track->dirty[w] = 0;
	}
}

/* The restore of every tracking strategy: what it saw written, back. */
static int restore_tracked(struct vm *vm)
{
	int err = reset_strategies[vm->t->tracking].collect(vm);

	if (!err)
		restore_dirty(vm);
	return err;
}

/* ---- none, full, madvise, cow ---- */

static int restore_nothing(struct vm *vm)
{
	(void)vm;
	return 0;
}

static int restore_full(struct vm *vm)
{
	memcpy(vm->data, vm->t->pristine, vm->t->data_size);
	return 0;
}

static int prepare_file(struct vm_template *t)
{
	return vm_template_file_backed(t);
}

static int restore_madvise(struct vm *vm)
{
	if (madvise(vm->data, vm->t->data_size, MADV_DONTNEED) < 0)
		return err_errno(-errno, "madvise(MADV_DONTNEED) of guest memory");
	return 0;
}

static int restore_cow(struct vm *vm)
{
	const struct vm_template *t = vm->t;

	if (mmap(vm->data, t->data_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_FIXED | MAP_NORESERVE, t->pristine_fd, 0) == MAP_FAILED)
		return err_errno(-errno, "mmap of a fresh copy of the pristine image");
	return 0;
}

/* ---- dirty-log ---- */

static int prepare_dirty_log(struct vm_template *t)
{
	t->slot_flags = KVM_MEM_LOG_DIRTY_PAGES;
	return 0;
}

static int collect_dirty_log(struct vm *vm)
{
	struct kvm_dirty_log log = { .slot = 1, .dirty_bitmap = vm->track->dirty };

	/* The kernel writes the whole bitmap: nothing is pending here, since
	 * every reset restores what it collected. */
	if (ioctl(vm->fd, KVM_GET_DIRTY_LOG, &log) < 0)
		return err_errno(-errno, "KVM_GET_DIRTY_LOG");
	return 0;
}

/* ---- dirty-log-hot ---- */

/* Per VM: the pages kept writable, and those written in the last run. */
struct vm_hot {
	uint64_t hot[GUEST_DATA_MAX / PAGE_SIZE / 64];
	uint64_t last[GUEST_DATA_MAX / PAGE_SIZE / 64];
};

static int prepare_dirty_log_hot(struct vm_template *t)
{
	int caps = ioctl(t->kvm->fd, KVM_CHECK_EXTENSION, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2);

	if (caps <= 0 || !(caps & KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE))
		return err_set(-ENOTSUP, "reset dirty-log-hot is unavailable: this KVM lacks "
			       "KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2");
	t->slot_flags = KVM_MEM_LOG_DIRTY_PAGES;
	t->manual_protect = true;
	return 0;
}

/*
 * With manual protect, KVM_GET_DIRTY_LOG only reads the log; a page is
 * write-protected again only when KVM_CLEAR_DIRTY_LOG clears its bit.  A
 * page written in two runs in a row becomes hot: its bit is never cleared,
 * so it stays writable (no write fault next run), is reported every time,
 * and so is copied back after every run.  Every other page written is
 * cleared and protected again, as dirty-log does.  Nothing escapes: a page
 * is either protected and logged when written, or copied back every time.
 */
static int collect_dirty_log_hot(struct vm *vm)
{
	const size_t pages = vm->t->data_size / PAGE_SIZE, words = (pages + 63) / 64;
	uint64_t got[GUEST_DATA_MAX / PAGE_SIZE / 64], clear[GUEST_DATA_MAX / PAGE_SIZE / 64];
	struct kvm_dirty_log log = { .slot = 1, .dirty_bitmap = got };
	bool any = false;

	if (!vm->track->hot && !(vm->track->hot = calloc(1, sizeof(*vm->track->hot))))
		return err_set(-ENOMEM, "no memory for a VM's hot pages");
	if (ioctl(vm->fd, KVM_GET_DIRTY_LOG, &log) < 0)
		return err_errno(-errno, "KVM_GET_DIRTY_LOG");
	for (size_t w = 0; w < words; w++) {
		uint64_t fresh = got[w] & ~vm->track->hot->hot[w];
		uint64_t promote = fresh & vm->track->hot->last[w];
		vm->track->hot->hot[w] |= promote;
		clear[w] = fresh & ~promote;
		vm->track->hot->last[w] = clear[w];
		vm->track->dirty[w] |= got[w] | vm->track->hot->hot[w];
		any |= clear[w] != 0;
	}
	struct kvm_clear_dirty_log c = { .slot = 1, .num_pages = (uint32_t)pages,
					 .first_page = 0, .dirty_bitmap = clear };
	if (any && ioctl(vm->fd, KVM_CLEAR_DIRTY_LOG, &c) < 0)
		return err_errno(-errno, "KVM_CLEAR_DIRTY_LOG");
	return 0;
}

bool reset_page_hot(const struct vm *vm, size_t page)
{
	return vm->track->hot && (vm->track->hot->hot[page / 64] >> (page % 64) & 1);
}

/* ---- dirty-ring ---- */

/* Takes every entry the vCPU pushed, hands them back, re-protects. */
static int collect_dirty_ring(struct vm *vm)
{
	const uint32_t n = (uint32_t)(vm->t->ring_bytes / sizeof(*vm->track->ring));
	uint32_t got = 0;

	for (;; got++, vm->track->ring_next++) {
		struct kvm_dirty_gfn *e = &vm->track->ring[vm->track->ring_next % n];
		if (!(__atomic_load_n(&e->flags, __ATOMIC_ACQUIRE) & KVM_DIRTY_GFN_F_DIRTY))
			break;
		if (e->slot == 1)
			mark_dirty(vm, e->offset);
		__atomic_store_n(&e->flags, KVM_DIRTY_GFN_F_RESET, __ATOMIC_RELEASE);
	}
	if (got && ioctl(vm->fd, KVM_RESET_DIRTY_RINGS, 0) < 0)
		return err_errno(-errno, "KVM_RESET_DIRTY_RINGS");
	return 0;
}

/* A ring with room for every page of the write-enabled memory twice over
 * (KVM keeps some entries in reserve, and stops the run with
 * KVM_EXIT_DIRTY_RING_FULL short of the end), and at least RING_BYTES: a
 * run, which writes each page at most once before the reset harvests the
 * ring, never fills it, and the run loop needs no strategy code. */
static int prepare_dirty_ring(struct vm_template *t)
{
	int max = ioctl(t->kvm->fd, KVM_CHECK_EXTENSION, KVM_CAP_DIRTY_LOG_RING);
	size_t bytes = RING_BYTES;

	while (bytes / sizeof(struct kvm_dirty_gfn) < 2 * (t->data_size / 4096))
		bytes *= 2;
	if (max < (int)bytes)
		return err_set(-ENOTSUP, "reset dirty-ring is unavailable: this KVM offers %s "
			       "(KVM_CAP_DIRTY_LOG_RING %d, %zu bytes needed for %zu KiB)",
			       max > 0 ? "only a smaller dirty ring" : "no dirty ring", max, bytes,
			       t->data_size / 1024);
	t->slot_flags = KVM_MEM_LOG_DIRTY_PAGES;
	t->ring_bytes = bytes;
	return 0;
}

/* ---- pte-dirty ---- */

static int prepare_pte_dirty(struct vm_template *t)
{
	x86_page_tables(t->low, t->data_size, true);
	t->pt_size = (t->data_size + (2u << 20) - 1) / (2u << 20) * PAGE_SIZE;
	return 0;
}

static int collect_pte_dirty(struct vm *vm)
{
	for (size_t j = 0; j < vm->t->data_size / PAGE_SIZE; j++) {
		if (vm->track->pt[j] & PTE_D) {
			vm->track->pt[j] &= ~PTE_D;
			mark_dirty(vm, j);
		}
	}
	return 0;
}

static int restore_pte_dirty(struct vm *vm)
{
	int err = restore_tracked(vm);

	if (err)
		return err;
	/* A new CR3 drops every translation the vCPU cached with its Dirty bit
	 * set: the next write to such a page sets it again.  The vCPU reset
	 * that follows sets it (vm_reset_vcpu). */
	vm->track->cr3_alt = !vm->track->cr3_alt;
	vm->track->sregs_stale = true;
	return 0;
}

/* ---- soft-dirty ---- */

static int prepare_soft_dirty(struct vm_template *t)
{
	t->pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (t->pagemap_fd < 0)
		return err_errno(-errno, "reset soft-dirty is unavailable: cannot open "
				 "/proc/self/pagemap");
	t->clear_refs_fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
	if (t->clear_refs_fd < 0)
		return err_errno(-errno, "reset soft-dirty is unavailable: cannot open "
				 "/proc/self/clear_refs");
	return 0;
}

/* Adds the soft-dirty pages of vm's write-enabled memory to vm->track->dirty. */
static int collect_soft_dirty(struct vm *vm)
{
	const size_t pages = vm->t->data_size / PAGE_SIZE;
	uint64_t entry[512];

	vm->track->ran = false;
	for (size_t done = 0; done < pages;) {
		size_t n = pages - done < 512 ? pages - done : 512;
		off_t at = (off_t)((uintptr_t)vm->data / PAGE_SIZE + done) * 8;
		ssize_t got = pread(vm->t->pagemap_fd, entry, n * 8, at);
		if (got != (ssize_t)(n * 8))
			return err_errno(got < 0 ? -errno : -EIO, "reading /proc/self/pagemap");
		for (size_t i = 0; i < n; i++)
			if (entry[i] & PAGEMAP_SOFT_DIRTY)
				mark_dirty(vm, done + i);
		done += n;
	}
	return 0;
}

/* The bits can only be cleared for the whole process at once, which would
 * also forget the unrestored writes of every other VM.  So the bits of
 * each VM that ran since are read first, kept as its pages to restore,
 * and only then cleared.  Every live VM of the template must be among
 * the n. */
static int clear_soft_dirty(struct vm *vms, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (vms[i].t->tracking != RESET_SOFT_DIRTY)
			return err_set(-EINVAL, "reset soft-dirty needs a template prepared for it "
				       "(reset_prepare)");
		int err = vms[i].track->ran ? collect_soft_dirty(&vms[i]) : 0;
		if (err)
			return err;
	}
	if (pwrite(vms[0].t->clear_refs_fd, "4", 1, 0) != 1)
		return err_errno(-errno, "writing 4 to /proc/self/clear_refs");
	return 0;
}

/* ---- the table ---- */

const struct reset_ops reset_strategies[RESET_COUNT] = {
	[RESET_NONE] = {
		.name = "none",
		.restore = restore_nothing,
	},
	[RESET_FULL] = {
		.name = "full",
		.restore = restore_full,
	},
	[RESET_MADVISE] = {
		.name = "madvise",
		.file_backed = true, .prepare = prepare_file, .restore = restore_madvise,
	},
	[RESET_COW] = {
		.name = "cow",
		.file_backed = true, .prepare = prepare_file, .restore = restore_cow,
	},
	[RESET_DIRTY_LOG] = {
		.name = "dirty-log",
		.tracker = "KVM_GET_DIRTY_LOG",
		.prepare = prepare_dirty_log, .collect = collect_dirty_log,
		.restore = restore_tracked,
	},
	[RESET_DIRTY_RING] = {
		.name = "dirty-ring",
		.tracker = "the vCPU's dirty ring",
		.prepare = prepare_dirty_ring, .collect = collect_dirty_ring,
		.restore = restore_tracked,
	},
	[RESET_DIRTY_LOG_HOT] = {
		.name = "dirty-log-hot",
		.tracker = "KVM_GET_DIRTY_LOG with manual protect",
		.prepare = prepare_dirty_log_hot, .collect = collect_dirty_log_hot,
		.restore = restore_tracked,
	},
	[RESET_PTE_DIRTY] = {
		.name = "pte-dirty",
		.tracker = "the Dirty bits of the guest's page tables",
		.prepare = prepare_pte_dirty, .collect = collect_pte_dirty,
		.restore = restore_pte_dirty,
	},
	[RESET_SOFT_DIRTY] = {
		.name = "soft-dirty",
		.tracker = "the soft-dirty bits of /proc/self/pagemap",
		.prepare = prepare_soft_dirty, .collect = collect_soft_dirty,
		.restore = restore_tracked, .before_round = clear_soft_dirty,
	},
};

int reset_find(const char *name)
{
	for (int i = 0; i < RESET_COUNT; i++)
		if (!strcmp(reset_strategies[i].name, name))
			return i;
	return -1;
}

int reset_prepare(struct vm_template *t, enum reset_strategy how)
{
	const struct reset_ops *r = &reset_strategies[how];
	int err;

	if (r->tracker && t->tracking != RESET_NONE && t->tracking != (int)how)
		return err_set(-EINVAL, "a template tracks written pages one way only: it is "
			       "prepared for %s, not %s", reset_strategies[t->tracking].name,
			       r->name);
	err = r->prepare ? r->prepare(t) : 0;
	if (!err && r->tracker)
		t->tracking = (int)how;
	return err;
}

int reset_vm(struct vm *vm, enum reset_strategy how, enum vcpu_reset level,
	     uint64_t rdi, uint64_t rsi)
{
	int err = reset_memory(vm, how);

	return err ? err : vm_reset_vcpu(vm, level, rdi, rsi);
}

int reset_memory(struct vm *vm, enum reset_strategy how)
{
	const struct reset_ops *r = &reset_strategies[how];

	if ((r->file_backed && !vm->t->file_backed) || (r->tracker && vm->t->tracking != (int)how))
		return err_set(-EINVAL, "reset %s needs a template prepared for it "
			       "(reset_prepare)", r->name);
	return r->restore(vm);
}

int reset_before_round(struct vm *vms, size_t n, enum reset_strategy how)
{
	return reset_strategies[how].before_round ? reset_strategies[how].before_round(vms, n) : 0;
}
