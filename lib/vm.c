#define _GNU_SOURCE	/* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <unistd.h>

#include "abi.h"
#include "clock.h"
#include "err.h"
#include "sysinfo.h"
#include "vm.h"

#define PAGE_SIZE 4096u

/* Page-table entry bits. */
#define PTE_P	(1ull << 0)
#define PTE_RW	(1ull << 1)
#define PTE_US	(1ull << 2)
#define PTE_A	(1ull << 5)
#define PTE_D	(1ull << 6)
#define PTE_PS	(1ull << 7)
#define PTE_NX	(1ull << 63)

#define CR0_PE	(1ull << 0)
#define CR0_MP	(1ull << 1)
#define CR0_ET	(1ull << 4)
#define CR0_NE	(1ull << 5)
#define CR0_WP	(1ull << 16)
#define CR0_PG	(1ull << 31)
#define CR4_PAE	(1ull << 5)
#define CR4_OSFXSR	(1ull << 9)
#define CR4_OSXMMEXCPT	(1ull << 10)
#define EFER_LME	(1ull << 8)
#define EFER_LMA	(1ull << 10)
#define EFER_NXE	(1ull << 11)

#define RFLAGS_FIXED	(1ull << 1)
#define RFLAGS_IOPL3	(3ull << 12)

/* ---- the run time limit ---- */

#define WATCH_SLOTS 256
#define WATCH_SIGNAL (SIGRTMIN + 1)
#define WATCH_STACK (256u << 10)

/* One per thread that runs guests: seq is odd while a KVM_RUN loop is in
 * progress; the watchdog sees a run that stays the same for four looks. */
struct watch {
	_Atomic uint64_t seq;
	pthread_t thread;
};

static struct watch watches[WATCH_SLOTS];
static _Atomic int nwatches;
static _Atomic uint64_t watch_timeout_ns;
static _Atomic int watchdog_running;
static pthread_once_t watchdog_once = PTHREAD_ONCE_INIT;
static int watchdog_err;

static _Thread_local struct watch *my_watch;
static _Thread_local struct kvm_run *volatile running;
static _Thread_local volatile sig_atomic_t timed_out;
/* Set by vm_stop_runs(): a KVM_RUN that a signal ends is not resumed. */
static volatile sig_atomic_t stop_requested;

void vm_stop_runs(void)
{
	stop_requested = 1;
}

bool vm_runs_stopped(void)
{
	return stop_requested;
}

static void on_watch_signal(int sig)
{
	(void)sig;
	timed_out = 1;
	if (running)
		running->immediate_exit = 1;
}

static void *watchdog(void *arg)
{
	uint64_t last[WATCH_SLOTS] = { 0 };
	int strikes[WATCH_SLOTS] = { 0 };

	(void)arg;
	atomic_store(&watchdog_running, 1);
	for (;;) {
		uint64_t t = atomic_load(&watch_timeout_ns);
		struct timespec ts = { .tv_sec = (time_t)(t / 4 / 1000000000u),
				       .tv_nsec = (long)(t / 4 % 1000000000u) };
		if (!t)
			ts = (struct timespec){ .tv_sec = 1 };
		uint64_t before = clock_ns();
		nanosleep(&ts, NULL);
		/* A look that comes two periods late follows a stop of the whole
		 * process (SIGSTOP, ^Z) or of the machine: the guest did not run
		 * meanwhile, so that period is no strike against it. */
		bool late = t && clock_ns() - before > t / 2;
		for (int i = 0; i < atomic_load(&nwatches); i++) {
			uint64_t seq = atomic_load_explicit(&watches[i].seq, memory_order_relaxed);
			if (late) {
				;
			} else if (t && seq % 2 && seq == last[i]) {
				if (++strikes[i] >= 4) {
					pthread_kill(watches[i].thread, WATCH_SIGNAL);
					strikes[i] = 0;
				}
			} else {
				strikes[i] = 0;
			}
			last[i] = seq;
		}
	}
	return NULL;
}

static void start_watchdog(void)
{
	struct sigaction sa = { .sa_handler = on_watch_signal };
	pthread_t th;
	sigset_t all, old;

	/* No SA_RESTART: the signal must end the KVM_RUN in progress. */
	sigemptyset(&sa.sa_mask);
	if (sigaction(WATCH_SIGNAL, &sa, NULL) < 0) {
		watchdog_err = -errno;
		return;
	}
	/* The watchdog thread takes no signal meant for the benchmark; it needs
	 * a few KiB of stack, not the default 8 MiB of address space. */
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, WATCH_STACK);
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	watchdog_err = -pthread_create(&th, &attr, watchdog, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (watchdog_err)
		return;
	pthread_detach(th);
	/* Return with the thread running, its stack and TLS in place: whoever
	 * counts the process's mappings next counts them too. */
	while (!atomic_load(&watchdog_running)) {
		struct timespec ms = { 0, 1000000 };
		nanosleep(&ms, NULL);
	}
}

int vm_watchdog(uint64_t timeout_ns)
{
	struct rlimit as;

	pthread_once(&watchdog_once, start_watchdog);
	if (watchdog_err && getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY)
		return err_set(watchdog_err, "cannot start the guest run time watchdog: its thread "
			       "needs %u KiB of address space for its stack, but RLIMIT_AS (ulimit "
			       "-v) is %llu KiB and the process already uses %llu KiB: raise it "
			       "(ulimit -v unlimited), or run without a time limit (--guest-timeout 0)",
			       WATCH_STACK >> 10, (unsigned long long)(as.rlim_cur >> 10),
			       (unsigned long long)(sysinfo_status_bytes("VmSize") >> 10));
	if (watchdog_err)
		return err_errno(watchdog_err, "cannot start the guest run time watchdog");
	atomic_store(&watch_timeout_ns, timeout_ns);
	return 0;
}

/* This thread's slot, taken on its first run once the watchdog is on. */
static struct watch *watch_slot(void)
{
	if (!my_watch && atomic_load(&watch_timeout_ns)) {
		int i = atomic_fetch_add(&nwatches, 1);
		if (i >= WATCH_SLOTS) {
			atomic_fetch_sub(&nwatches, 1);
			return NULL;
		}
		watches[i].thread = pthread_self();
		my_watch = &watches[i];
	}
	return my_watch;
}

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

	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	return "an unknown exit reason";
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
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
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
	 * kvm_pvm ring-3 port I/O needs the reset TR (DESIGN.md). */
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
	close(vcpu_fd);
	close(vm_fd);

	struct kvm_sregs *s = &kvm->sregs;
	struct kvm_segment code = {
		.base = 0, .limit = 0xffffffff, .selector = 0x33,
		.type = 11 /* execute/read, accessed */, .present = 1,
		.dpl = 3, .db = 0, .s = 1, .l = 1, .g = 1,
	};
	struct kvm_segment data = {
		.base = 0, .limit = 0xffffffff, .selector = 0x2b,
		.type = 3 /* read/write, accessed */, .present = 1,
		.dpl = 3, .db = 1, .s = 1, .l = 0, .g = 1,
	};
	s->cs = code;
	s->ds = s->es = s->fs = s->gs = s->ss = data;
	s->cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	s->cr3 = GUEST_PT_BASE;
	s->cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	s->efer = EFER_LME | EFER_LMA | EFER_NXE;
	return 0;

fail:
	if (vcpu_fd >= 0)
		close(vcpu_fd);
	if (vm_fd >= 0)
		close(vm_fd);
	close(kvm->fd);
	kvm->fd = -1;
	return err;
}

void kvm_close(struct kvm *kvm)
{
	if (kvm->fd >= 0)
		close(kvm->fd);
	kvm->fd = -1;
}

const char *const vm_memory_names[] = { "shared", "individual", NULL };

/* Identity map: [0, 2 MiB) with one 2 MiB page, read-only and executable
 * (page tables, code); the write-enabled memory from 2 MiB on, writable,
 * not executable, with as many 2 MiB pages as its size needs, or (pte_dirty)
 * through page tables at GUEST_PTE_BASE, one per 2 MiB, that each VM has
 * for itself.  Accessed and Dirty are preset here: these tables live in a
 * read-only memslot, where a CPU update would fault. */
static void write_page_tables(uint8_t *ro, size_t data_size, bool pte_dirty)
{
	uint64_t *pml4 = (uint64_t *)(ro + GUEST_PT_BASE);
	uint64_t *pdpt = (uint64_t *)(ro + GUEST_PT_BASE + PAGE_SIZE);
	uint64_t *pd = (uint64_t *)(ro + GUEST_PT_BASE + 2 * PAGE_SIZE);
	const uint64_t table = PTE_P | PTE_RW | PTE_US | PTE_A;
	const uint64_t big = 2u << 20;

	pml4[0] = (GUEST_PT_BASE + PAGE_SIZE) | table;
	/* A second PML4, the same: the pte-dirty reset switches CR3 between the two. */
	((uint64_t *)(ro + GUEST_PT_BASE + 3 * PAGE_SIZE))[0] = pml4[0];
	pdpt[0] = (GUEST_PT_BASE + 2 * PAGE_SIZE) | table;
	pd[0] = 0 | PTE_P | PTE_US | PTE_A | PTE_D | PTE_PS;
	for (size_t i = 0; i < 511; i++) {
		if (i * big >= data_size)
			pd[1 + i] = 0;
		else if (pte_dirty)
			pd[1 + i] = (GUEST_PTE_BASE + i * PAGE_SIZE) | table;
		else
			pd[1 + i] = (GUEST_DATA_BASE + i * big) | PTE_P | PTE_RW | PTE_US |
				    PTE_A | PTE_D | PTE_PS | PTE_NX;
	}
}

/* pte-dirty: a VM's own tables for its write-enabled memory, 4 KiB pages,
 * Dirty clear so that the CPU marks each page the guest writes. */
static void write_data_ptes(uint64_t *pt, size_t data_size)
{
	for (size_t j = 0; j < data_size / PAGE_SIZE; j++)
		pt[j] = (GUEST_DATA_BASE + j * PAGE_SIZE) | PTE_P | PTE_RW | PTE_US | PTE_A |
			PTE_NX;
}

/* The write-enabled memory's first image, in a memfd (the guest's
 * initialised data, zeros after it), and mapped read-only for copying. */
static int pristine_image(struct vm_template *t)
{
	const struct guest_image *g = t->guest;

	t->pristine_fd = memfd_create("kvmbench-pristine", MFD_CLOEXEC);
	if (t->pristine_fd < 0)
		return err_errno(-errno, "memfd_create for the pristine guest memory");
	if (ftruncate(t->pristine_fd, (off_t)t->data_size) < 0 ||
	    (g->data_size && pwrite(t->pristine_fd, g->data, g->data_size, 0) !=
	     (ssize_t)g->data_size))
		return err_errno(-errno, "writing the pristine guest memory");
	t->pristine = mmap(NULL, t->data_size, PROT_READ, MAP_SHARED, t->pristine_fd, 0);
	if (t->pristine == MAP_FAILED) {
		t->pristine = NULL;
		return err_errno(-errno, "mmap of the pristine guest memory");
	}
	return 0;
}

int vm_template_init(struct vm_template *t, const struct kvm *kvm,
		     const struct guest_image *guest, enum vm_memory memory,
		     size_t data_size)
{
	memset(t, 0, sizeof(*t));
	t->pristine_fd = t->pagemap_fd = t->clear_refs_fd = -1;
	if (data_size < GUEST_DATA_MIN || data_size % PAGE_SIZE || data_size > GUEST_DATA_MAX)
		return err_set(-EINVAL, "guest memory size %zu: must be a multiple of 4096 "
			       "from %u to %u", data_size, GUEST_DATA_MIN, GUEST_DATA_MAX);
	if (guest->size > GUEST_CODE_MAX)
		return err_set(-EINVAL, "guest '%s' is %zu bytes, more than the %u bytes "
			       "of its code region", guest->name, guest->size, GUEST_CODE_MAX);
	if (guest->data_size > data_size)
		return err_set(-EINVAL, "guest '%s' has %zu bytes of initialised data, more "
			       "than its %zu bytes of write-enabled memory", guest->name,
			       guest->data_size, data_size);

	t->kvm = kvm;
	t->guest = guest;
	t->memory = memory;
	t->data_size = data_size;
	t->ro = mmap(NULL, GUEST_RO_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->ro == MAP_FAILED) {
		t->ro = NULL;
		return err_errno(-errno, "mmap of %u bytes for page tables and code",
				 GUEST_RO_SIZE);
	}
	write_page_tables(t->ro, data_size, false);
	memcpy((uint8_t *)t->ro + GUEST_CODE_BASE, guest->code, guest->size);
	if (mprotect(t->ro, GUEST_RO_SIZE, PROT_READ) < 0) {
		int err = err_errno(-errno, "mprotect of the read-only guest memory");
		vm_template_fini(t);
		return err;
	}

	int err = pristine_image(t);
	if (err) {
		vm_template_fini(t);
		return err;
	}
	if (memory == VM_MEM_SHARED) {
		t->data = mmap(NULL, data_size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (t->data == MAP_FAILED) {
			t->data = NULL;
			err = err_errno(-errno, "mmap of %zu bytes of shared guest memory",
					data_size);
			vm_template_fini(t);
			return err;
		}
		memcpy(t->data, guest->data, guest->data_size);
	}

	t->regs.rip = GUEST_CODE_BASE;
	t->regs.rsp = GUEST_DATA_BASE + data_size;
	t->regs.rflags = RFLAGS_FIXED | RFLAGS_IOPL3;
	return 0;
}

void vm_template_fini(struct vm_template *t)
{
	if (t->ro)
		munmap(t->ro, GUEST_RO_SIZE);
	if (t->data)
		munmap(t->data, t->data_size);
	if (t->pristine)
		munmap((void *)t->pristine, t->data_size);
	if (t->pristine_fd >= 0)
		close(t->pristine_fd);
	if (t->pagemap_fd >= 0)
		close(t->pagemap_fd);
	if (t->clear_refs_fd >= 0)
		close(t->clear_refs_fd);
	t->ro = t->data = NULL;
	t->pristine = NULL;
	t->pristine_fd = t->pagemap_fd = t->clear_refs_fd = -1;
}

int vm_template_file_backed(struct vm_template *t)
{
	if (t->memory == VM_MEM_SHARED && !t->file_backed &&
	    mmap(t->data, t->data_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_FIXED | MAP_NORESERVE, t->pristine_fd, 0) == MAP_FAILED)
		return err_errno(-errno, "mmap of the pristine image as shared guest memory");
	t->file_backed = true;
	return 0;
}

void vm_template_args(struct vm_template *t, uint64_t rdi, uint64_t rsi)
{
	t->regs.rdi = rdi;
	t->regs.rsi = rsi;
}

/* stamp (NULL: none) gets a timestamp after each step; see VM_STAMPS. */
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
	/* Only a tracking reset reads it; single and floor time this path. */
	if (t->tracking != VM_RESET_NONE)
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
		write_data_ptes(vm->pt, t->data_size);
	}
	if (stamp)
		stamp[1] = clock_ns();

	struct kvm_userspace_memory_region slot = {
		.slot = 0, .flags = KVM_MEM_READONLY, .guest_phys_addr = 0,
		.memory_size = GUEST_RO_SIZE, .userspace_addr = (uintptr_t)t->ro,
	};
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &slot) < 0) {
		err = err_errno(-errno, "KVM_SET_USER_MEMORY_REGION (read-only slot)");
		goto fail;
	}
	slot = (struct kvm_userspace_memory_region){
		.slot = 1, .flags = t->tracking == VM_RESET_DIRTY_LOG ||
				    t->tracking == VM_RESET_DIRTY_RING ? KVM_MEM_LOG_DIRTY_PAGES : 0,
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
		stamp[2] = clock_ns();

	vm->vcpu_fd = ioctl(vm->fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0) {
		err = -errno;
		err = err_errno(err, "KVM_CREATE_VCPU%s", err == -EMFILE ?
				" (out of file descriptors: raise ulimit -n)" : "");
		goto fail;
	}
	if (stamp)
		stamp[3] = clock_ns();
	vm->run = mmap(NULL, kvm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED) {
		vm->run = NULL;
		err = err_errno(-errno, "mmap of kvm_run");
		goto fail;
	}
	if (t->ring_bytes) {
		vm->ring = mmap(NULL, t->ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
				vm->vcpu_fd, KVM_DIRTY_LOG_PAGE_OFFSET * (off_t)PAGE_SIZE);
		if (vm->ring == MAP_FAILED) {
			vm->ring = NULL;
			err = err_errno(-errno, "mmap of the vCPU's dirty ring");
			goto fail;
		}
	}
	if (stamp)
		stamp[4] = clock_ns();
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &kvm->sregs) < 0) {
		err = err_errno(-errno, "KVM_SET_SREGS");
		goto fail;
	}
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &t->regs) < 0) {
		err = err_errno(-errno, "KVM_SET_REGS");
		goto fail;
	}
	if (stamp)
		stamp[5] = clock_ns();
	return 0;

fail:
	vm_destroy(vm);
	return err;
}

const char *const vm_reset_names[VM_RESET_COUNT + 1] = {
	"none", "full", "madvise", "cow", "dirty-log", "dirty-ring", "pte-dirty", "soft-dirty",
	NULL,
};

const char *const vm_reset_descriptions[VM_RESET_COUNT] = {
	"none (registers only: does not isolate)",
	"full (copy the whole image back)",
	"madvise (MADV_DONTNEED on a private memfd mapping)",
	"cow (a fresh private mapping, in place)",
	"dirty-log (KVM_GET_DIRTY_LOG, copy back the pages written)",
	"dirty-ring (the vCPU's dirty ring, likewise)",
	"pte-dirty (the guest page tables' Dirty bits)",
	"soft-dirty (/proc/self/pagemap)",
};

/* What each tracking reset reads, for its messages. */
static const char *const tracker_names[VM_RESET_COUNT] = {
	[VM_RESET_DIRTY_LOG] = "KVM_GET_DIRTY_LOG",
	[VM_RESET_DIRTY_RING] = "the vCPU's dirty ring",
	[VM_RESET_PTE_DIRTY] = "the Dirty bits of the guest's page tables",
	[VM_RESET_SOFT_DIRTY] = "the soft-dirty bits of /proc/self/pagemap",
};

/* A ring of this many bytes (1024 entries) is the smallest that leaves
 * room beyond the entries KVM reserves for itself on Intel (PML). */
#define RING_BYTES 16384u
#define PAGEMAP_SOFT_DIRTY (1ull << 55)

bool vm_reset_needs_file(enum vm_reset r)
{
	return r == VM_RESET_MADVISE || r == VM_RESET_COW;
}

bool vm_reset_tracks(enum vm_reset r)
{
	return r == VM_RESET_DIRTY_LOG || r == VM_RESET_DIRTY_RING ||
	       r == VM_RESET_PTE_DIRTY || r == VM_RESET_SOFT_DIRTY;
}

int vm_template_for_reset(struct vm_template *t, enum vm_reset how)
{
	if (vm_reset_needs_file(how))
		return vm_template_file_backed(t);
	if (!vm_reset_tracks(how))
		return 0;
	if (t->tracking != VM_RESET_NONE && t->tracking != how)
		return err_set(-EINVAL, "a template tracks written pages one way only: "
			       "it is prepared for %s, not %s", vm_reset_names[t->tracking],
			       vm_reset_names[how]);
	switch (how) {
	case VM_RESET_DIRTY_RING: {
		int max = ioctl(t->kvm->fd, KVM_CHECK_EXTENSION, KVM_CAP_DIRTY_LOG_RING);
		if (max < (int)RING_BYTES)
			return err_set(-ENOTSUP, "reset dirty-ring is unavailable: this KVM "
				       "offers %s (KVM_CAP_DIRTY_LOG_RING %d)", max > 0 ?
				       "only a smaller dirty ring" : "no dirty ring", max);
		t->ring_bytes = RING_BYTES;
		break;
	}
	case VM_RESET_PTE_DIRTY:
		if (mprotect(t->ro, GUEST_RO_SIZE, PROT_READ | PROT_WRITE) < 0)
			return err_errno(-errno, "mprotect of the guest page tables");
		write_page_tables(t->ro, t->data_size, true);
		if (mprotect(t->ro, GUEST_RO_SIZE, PROT_READ) < 0)
			return err_errno(-errno, "mprotect of the guest page tables");
		t->pt_size = (t->data_size + (2u << 20) - 1) / (2u << 20) * PAGE_SIZE;
		break;
	case VM_RESET_SOFT_DIRTY:
		t->pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
		if (t->pagemap_fd < 0)
			return err_errno(-errno, "reset soft-dirty is unavailable: cannot open "
					 "/proc/self/pagemap");
		t->clear_refs_fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
		if (t->clear_refs_fd < 0)
			return err_errno(-errno, "reset soft-dirty is unavailable: cannot open "
					 "/proc/self/clear_refs");
		break;
	default:
		break;
	}
	t->tracking = how;
	return 0;
}

static void mark_dirty(struct vm *vm, uint64_t page)
{
	if (page < vm->t->data_size / PAGE_SIZE)
		vm->dirty[page / 64] |= 1ull << (page % 64);
}

/* Takes every entry the vCPU pushed, hands them back, re-protects. */
static int harvest_ring(struct vm *vm)
{
	const uint32_t n = (uint32_t)(vm->t->ring_bytes / sizeof(*vm->ring));
	uint32_t got = 0;

	for (;; got++, vm->ring_next++) {
		struct kvm_dirty_gfn *e = &vm->ring[vm->ring_next % n];
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

/* Adds the soft-dirty pages of vm's write-enabled memory to vm->dirty. */
static int read_soft_dirty(struct vm *vm)
{
	const size_t pages = vm->t->data_size / PAGE_SIZE;
	uint64_t entry[512];

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

/* Adds to vm->dirty every page the tracking saw written since it was last
 * read, and starts it afresh. */
static int collect(struct vm *vm)
{
	const struct vm_template *t = vm->t;
	struct kvm_dirty_log log = { .slot = 1, .dirty_bitmap = vm->dirty };

	switch (t->tracking) {
	case VM_RESET_DIRTY_LOG:
		/* The kernel writes the whole bitmap: nothing is pending here,
		 * since every reset restores what it collected. */
		if (ioctl(vm->fd, KVM_GET_DIRTY_LOG, &log) < 0)
			return err_errno(-errno, "KVM_GET_DIRTY_LOG");
		return 0;
	case VM_RESET_DIRTY_RING:
		return harvest_ring(vm);
	case VM_RESET_PTE_DIRTY:
		for (size_t j = 0; j < t->data_size / PAGE_SIZE; j++) {
			if (vm->pt[j] & PTE_D) {
				vm->pt[j] &= ~PTE_D;
				mark_dirty(vm, j);
			}
		}
		return 0;
	case VM_RESET_SOFT_DIRTY:
		vm->ran = false;
		return read_soft_dirty(vm);
	default:
		return 0;
	}
}

/* Copies back the pages in vm->dirty, and forgets them. */
static void restore_dirty(struct vm *vm)
{
	uint8_t *data = vm->data;
	const uint8_t *pristine = vm->t->pristine;

	for (size_t w = 0; w < (vm->t->data_size / PAGE_SIZE + 63) / 64; w++) {
		for (uint64_t bits = vm->dirty[w]; bits; bits &= bits - 1) {
			size_t off = (w * 64 + (size_t)__builtin_ctzll(bits)) * PAGE_SIZE;
			memcpy(data + off, pristine + off, PAGE_SIZE);
		}
		vm->dirty[w] = 0;
	}
}

int vm_reset_sync(struct vm *vms, size_t n, enum vm_reset how)
{
	if (how != VM_RESET_SOFT_DIRTY || !n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (vms[i].t->tracking != VM_RESET_SOFT_DIRTY)
			return err_set(-EINVAL, "reset soft-dirty needs a template prepared for it "
				       "(vm_template_for_reset)");
		int err = vms[i].ran ? collect(&vms[i]) : 0;
		if (err)
			return err;
	}
	if (pwrite(vms[0].t->clear_refs_fd, "4", 1, 0) != 1)
		return err_errno(-errno, "writing 4 to /proc/self/clear_refs");
	return 0;
}

int vm_reset(struct vm *vm, enum vm_reset how, uint64_t rdi, uint64_t rsi)
{
	const struct vm_template *t = vm->t;
	int err;

	if ((vm_reset_needs_file(how) && !t->file_backed) ||
	    (vm_reset_tracks(how) && t->tracking != how))
		return err_set(-EINVAL, "reset %s needs a template prepared for it "
			       "(vm_template_for_reset)", vm_reset_names[how]);
	switch (how) {
	case VM_RESET_FULL:
		memcpy(vm->data, t->pristine, t->data_size);
		break;
	case VM_RESET_MADVISE:
		if (madvise(vm->data, t->data_size, MADV_DONTNEED) < 0)
			return err_errno(-errno, "madvise(MADV_DONTNEED) of guest memory");
		break;
	case VM_RESET_COW:
		if (mmap(vm->data, t->data_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_FIXED | MAP_NORESERVE, t->pristine_fd, 0) == MAP_FAILED)
			return err_errno(-errno, "mmap of a fresh copy of the pristine image");
		break;
	case VM_RESET_DIRTY_LOG:
	case VM_RESET_DIRTY_RING:
	case VM_RESET_PTE_DIRTY:
	case VM_RESET_SOFT_DIRTY:
		err = collect(vm);
		if (err)
			return err;
		restore_dirty(vm);
		if (how == VM_RESET_PTE_DIRTY) {
			/* A new CR3 drops every translation the vCPU cached with its
			 * Dirty bit set: the next write to such a page sets it again. */
			struct kvm_sregs sregs = t->kvm->sregs;
			vm->cr3_alt = !vm->cr3_alt;
			sregs.cr3 = GUEST_PT_BASE + (vm->cr3_alt ? 3 * PAGE_SIZE : 0);
			if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sregs) < 0)
				return err_errno(-errno, "KVM_SET_SREGS");
		}
		break;
	default:
		break;
	}
	return vm_reset_regs(vm, rdi, rsi);
}

int vm_create(struct vm *vm, const struct vm_template *t)
{
	return create(vm, t, NULL);
}

int vm_reset_regs(struct vm *vm, uint64_t rdi, uint64_t rsi)
{
	struct kvm_regs regs = vm->t->regs;

	regs.rdi = rdi;
	regs.rsi = rsi;
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs) < 0)
		return err_errno(-errno, "KVM_SET_REGS");
	return 0;
}

static int guest_failed(struct vm *vm)
{
	const struct kvm_run *r = vm->run;
	struct kvm_regs regs;
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
	struct watch *w = watch_slot();
	int err;

	if (w) {
		timed_out = 0;
		running = vm->run;
		atomic_store_explicit(&w->seq, w->seq + 1, memory_order_relaxed);
	}
	vm->ran = true;
	err = run_loop(vm, res);
	if (w) {
		atomic_store_explicit(&w->seq, w->seq + 1, memory_order_relaxed);
		running = NULL;
	}
	return err;
}

static int run_loop(struct vm *vm, struct vm_result *res)
{
	struct kvm_run *r = vm->run;

	res->exits = res->exits_io = 0;
	res->out_len = 0;
	for (;;) {
		if (ioctl(vm->vcpu_fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR && timed_out) {
				timed_out = 0;
				r->immediate_exit = 0;
				return err_set(-ETIMEDOUT, "guest '%s' was still running after the "
					       "run time limit of %.3f s: stopped (see --guest-timeout)",
					       vm->t->guest->name,
					       (double)atomic_load(&watch_timeout_ns) / 1e9);
			}
			/* Anything else, a stop and continue (job control) above all,
			 * interrupts the run but does not end it: resume the guest. */
			if (errno == EINTR && stop_requested)
				return err_set(-EINTR, "guest run interrupted by a signal");
			if (errno == EINTR)
				continue;
			return err_errno(-errno, "KVM_RUN");
		}
		res->exits++;
		if (r->exit_reason == KVM_EXIT_DIRTY_RING_FULL && vm->ring) {
			int err = harvest_ring(vm);
			if (err)
				return err;
			continue;
		}
		if (r->exit_reason != KVM_EXIT_IO || r->io.direction != KVM_EXIT_IO_OUT)
			return guest_failed(vm);
		res->exits_io++;

		const uint8_t *p = (const uint8_t *)r + r->io.data_offset;
		if (r->io.port == GUEST_PORT_CONSOLE && r->io.size == 1) {
			if (r->io.count > VM_OUTPUT_MAX - res->out_len)
				return err_set(-EIO, "guest '%s' printed more than %u bytes: "
					       "stopped", vm->t->guest->name, VM_OUTPUT_MAX);
			memcpy(res->out + res->out_len, p, r->io.count);
			res->out_len += r->io.count;
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
	vm->data = NULL;
	vm->pt = NULL;
	vm->fd = -1;
}

/* Checks that vm->dirty holds exactly pages [0, pages) and the last one. */
static int probe_check(const struct vm *vm, enum vm_reset how, int run, uint64_t pages)
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
		       "built on it would leak them", vm_reset_names[how], run, pages > 1 ? "-" : ",",
		       (unsigned long long)(pages > 1 ? pages - 1 : 0), last, tracker_names[how],
		       reported, reported ? " (" : "", list, reported ? ")" : "");
}

int vm_reset_probe(const struct kvm *kvm, enum vm_reset how)
{
	static const uint64_t pages[] = { 2, 3, 1 };
	struct vm_template t;
	struct vm_result res;
	struct vm vm;
	int err;

	if (!vm_reset_tracks(how))
		return 0;
	err = vm_template_init(&t, kvm, guest_find("rounds"), VM_MEM_INDIVIDUAL,
			       GUEST_DATA_DEFAULT) ?: vm_template_for_reset(&t, how);
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
		err = vm_reset(&vm, how, pages[run], 0) ?: vm_reset_sync(&vm, 1, how) ?:
		      vm_run(&vm, &res) ?: vm_reset_sync(&vm, 1, how) ?: collect(&vm) ?:
		      probe_check(&vm, how, run + 1, pages[run]);
	}
	vm_destroy(&vm);
	vm_template_fini(&t);
	return err;
}

const char *const vm_phase_names[VM_PHASES] = {
	"create-vm", "memslots", "create-vcpu", "map-run", "set-registers", "run", "teardown",
};

int vm_oneshot_phases(const struct vm_template *t, struct vm_result *res,
		      uint64_t stamp[VM_PHASES + 1])
{
	struct vm vm;
	int err;

	stamp[0] = clock_ns();
	err = create(&vm, t, stamp);
	if (err)
		return err;
	err = vm_run(&vm, res);
	stamp[6] = clock_ns();
	vm_destroy(&vm);
	stamp[7] = clock_ns();
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
