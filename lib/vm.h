/*
 * The tiny VMM: /dev/kvm, VM and vCPU lifecycle, the memory layout of
 * guest/abi.h, the run loop.  The only code in kvmbench that issues KVM
 * ioctls (with lib/floor.c, the deliberately bare reference loop).
 *
 * Every function returns 0 or -errno and leaves a message in err_msg().
 * A guest that stops any other way than by writing GUEST_PORT_EXIT gives
 * -EIO and a message naming the exit reason and the guest RIP.
 */
#ifndef KVMBENCH_VM_H
#define KVMBENCH_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/kvm.h>

#include "abi.h"
#include "guest.h"

/* Where the write-enabled memory at GUEST_DATA_BASE comes from. */
enum vm_memory {
	VM_MEM_SHARED,		/* every VM maps the same host memory */
	VM_MEM_INDIVIDUAL,	/* each VM gets its own, created with it */
};

/* An open /dev/kvm, checked once. */
struct kvm {
	int fd;
	size_t run_size;		/* KVM_GET_VCPU_MMAP_SIZE */
	struct kvm_sregs sregs;		/* 64-bit ring-3 entry, built once */
};

/* How a reset restores the write-enabled memory to its pristine image
 * (the guest's initialised data, zeros after it), besides the registers. */
enum vm_reset {
	VM_RESET_NONE,		/* registers only: memory keeps the last run's bytes */
	VM_RESET_FULL,		/* every byte copied back from the pristine image */
	VM_RESET_MADVISE,	/* MADV_DONTNEED: the kernel drops the private copies */
	VM_RESET_COW,		/* a fresh private mapping of the image, in place */
	VM_RESET_DIRTY_LOG,	/* KVM_GET_DIRTY_LOG: copy back only the pages written */
	VM_RESET_DIRTY_RING,	/* the vCPU's dirty ring: likewise */
	VM_RESET_PTE_DIRTY,	/* the Dirty bits of the guest's own 4 KiB page tables */
	VM_RESET_SOFT_DIRTY,	/* the host's soft-dirty bits (/proc/self/pagemap) */
	VM_RESET_COUNT,
};

/* What every VM of one kind starts from: read-only page tables and code
 * (shared by all), the write-enabled memory (shared kind), entry registers. */
struct vm_template {
	const struct kvm *kvm;
	const struct guest_image *guest;
	enum vm_memory memory;
	void *ro;			/* GUEST_RO_SIZE bytes, host read-only */
	void *data;			/* VM_MEM_SHARED only */
	size_t data_size;
	int pristine_fd;		/* memfd: the write-enabled memory's first image */
	const void *pristine;		/* the same, mapped read-only */
	bool file_backed;		/* write-enabled memory maps pristine_fd privately */
	enum vm_reset tracking;		/* the tracking reset it is prepared for, or NONE */
	size_t ring_bytes;		/* dirty-ring: each vCPU's ring */
	size_t pt_size;			/* pte-dirty: each VM's page tables at GUEST_PTE_BASE */
	int pagemap_fd, clear_refs_fd;	/* soft-dirty */
	struct kvm_regs regs;
};

struct vm {
	const struct vm_template *t;
	int fd;
	int vcpu_fd;
	struct kvm_run *run;
	void *data;			/* this VM's write-enabled memory */
	uint64_t *pt;			/* pte-dirty: its page tables */
	struct kvm_dirty_gfn *ring;	/* dirty-ring */
	uint32_t ring_next;
	bool ran;			/* has run since its tracking was last read */
	bool cr3_alt;			/* pte-dirty: CR3 is the second PML4 */
	/* Pages written and not yet restored, as the tracking reported them. */
	uint64_t dirty[GUEST_DATA_MAX / 4096 / 64];
};

/* Console output kept per run; a guest that prints more is stopped. */
#define VM_OUTPUT_MAX 4096

struct vm_result {
	uint32_t status;		/* value written to GUEST_PORT_EXIT */
	uint32_t exits;			/* KVM_RUN returns, the last one included */
	uint32_t exits_io;		/* of which port I/O */
	size_t out_len;
	char out[VM_OUTPUT_MAX];
};

/*
 * A run time limit for every vm_run() of the process: a guest still
 * running after timeout_ns (give or take a quarter) is stopped through a
 * signal and kvm_run's immediate_exit, and vm_run() returns -ETIMEDOUT.
 * A watchdog thread checks four times per period; the run itself pays two
 * memory stores.  0 turns the limit off.
 */
int vm_watchdog(uint64_t timeout_ns);

/*
 * A signal that interrupts KVM_RUN (a stop and continue of the process by
 * job control, say) does not end a run: the guest is resumed.  Once
 * vm_stop_runs() has been called (async-signal-safe: from the SIGINT
 * handler), an interrupted run ends instead, with -EINTR.
 */
void vm_stop_runs(void);
bool vm_runs_stopped(void);

/* Opens path (NULL: /dev/kvm), checks API version 12 and the capabilities
 * the VMM relies on, and prepares the entry state. */
int kvm_open(struct kvm *kvm, const char *path);
void kvm_close(struct kvm *kvm);

/* "shared", "individual", NULL: indexed by enum vm_memory. */
extern const char *const vm_memory_names[];

/* data_size: a multiple of 4 KiB, GUEST_DATA_MIN to GUEST_DATA_MAX. */
int vm_template_init(struct vm_template *t, const struct kvm *kvm,
		     const struct guest_image *guest, enum vm_memory memory,
		     size_t data_size);
void vm_template_fini(struct vm_template *t);
/* RDI and RSI of every VM created from t from now on (both 0 at first). */
void vm_template_args(struct vm_template *t, uint64_t rdi, uint64_t rsi);
/* From now on the write-enabled memory (the shared one at once, each
 * individual one when its VM is created) is a private copy-on-write
 * mapping of the pristine image's memfd instead of anonymous memory with
 * the image copied in: what the madvise and cow resets need. */
int vm_template_file_backed(struct vm_template *t);

/* A VM ready to run: memslots, one vCPU, kvm_run mapped, registers set. */
int vm_create(struct vm *vm, const struct vm_template *t);
/* Runs until the guest writes GUEST_PORT_EXIT. */
int vm_run(struct vm *vm, struct vm_result *res);
extern const char *const vm_reset_names[VM_RESET_COUNT + 1];	/* NULL-ended */
/* One line per strategy, "name (how it works)": the charts' legends. */
extern const char *const vm_reset_descriptions[VM_RESET_COUNT];
/* Whether a reset needs vm_template_file_backed(). */
bool vm_reset_needs_file(enum vm_reset r);
/* Whether a reset tracks the pages a guest writes (and so needs a probe). */
bool vm_reset_tracks(enum vm_reset r);
/* Prepares t for VMs that will be reset as `how` (file backing, dirty
 * logging, a dirty ring, 4 KiB page tables per VM, the soft-dirty files);
 * call before creating them. */
int vm_template_for_reset(struct vm_template *t, enum vm_reset how);
/*
 * A strategy that tracks written pages is trusted only once it has been
 * seen to work: runs the rounds guest three times (writing pages 0-1, then
 * 0-2, then 0, and the stack's top page each time), resetting in between,
 * and checks that the mechanism reports exactly the pages of each run.
 * 0 if it does (or the strategy tracks nothing); -ENOTSUP and a message
 * naming the failure if not.
 */
int vm_reset_probe(const struct kvm *kvm, enum vm_reset how);
/*
 * soft-dirty only (a no-op for every other reset): the soft-dirty bits can
 * only be cleared for the whole process at once, which would also forget
 * the unrestored writes of every other VM.  So this reads the bits of each
 * of the n VMs that ran since, keeps them as that VM's pages to restore,
 * and only then clears.  Every live VM of a soft-dirty template must be
 * among the n.
 */
int vm_reset_sync(struct vm *vms, size_t n, enum vm_reset how);

/* Back to the entry registers, with RDI and RSI set; memory is left as it is. */
int vm_reset_regs(struct vm *vm, uint64_t rdi, uint64_t rsi);
/* Restores the write-enabled memory as `how` says, then the registers. */
int vm_reset(struct vm *vm, enum vm_reset how, uint64_t rdi, uint64_t rsi);
/* Unmaps kvm_run and closes the vCPU fd, keeping the VM (and the vCPU inside
 * it, until the VM fd is closed) alive on one fd.  The VM cannot run again. */
void vm_release_vcpu(struct vm *vm);
/* Returns every fd and mapping; safe on a VM that vm_create() failed. */
void vm_destroy(struct vm *vm);

/* create, run, destroy: the seed's single-use VM. */
int vm_oneshot(const struct vm_template *t, struct vm_result *res);

/* The same, with a CLOCK_MONOTONIC stamp before the first step and after
 * each of the VM_PHASES steps named in vm_phase_names: create the VM (and
 * its individual memory), set the two memslots, create the vCPU, map
 * kvm_run, set sregs and regs, run to the end port, tear down. */
#define VM_PHASES 7
extern const char *const vm_phase_names[VM_PHASES];
int vm_oneshot_phases(const struct vm_template *t, struct vm_result *res,
		      uint64_t stamp[VM_PHASES + 1]);

#endif
