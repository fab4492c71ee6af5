/*
 * The tiny VMM: /dev/kvm, templates (lib/template.c), VM and vCPU
 * lifecycle, the run loop.  With lib/x86.c (page tables, entry state),
 * lib/reset.c and lib/probe.c (reset strategies), lib/watchdog.c (when a
 * run ends early) and lib/bare.c (the deliberately bare reference loop),
 * the only code in kvmbench that issues KVM ioctls.
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
#include "kinds.h"
#include "kvmstat.h"

/* An open /dev/kvm, checked once. */
struct kvm {
	int fd;
	size_t run_size;		/* KVM_GET_VCPU_MMAP_SIZE */
	struct kvm_sregs sregs;		/* 64-bit ring-3 entry, built once */
	/* A fresh vCPU's extended state (x87, SSE and what else XSAVE holds)
	 * and extended control registers, taken once: the pristine copy that
	 * vm_reset_vcpu(VCPU_RESET_FULL) puts back. */
	struct kvm_xsave *xsave;	/* xsave_size bytes (KVM_CAP_XSAVE2) */
	size_t xsave_size;
	bool xsave2;			/* KVM_GET_XSAVE2 reads it */
	bool have_xcrs;			/* KVM_CAP_XCRS */
	struct kvm_xcrs xcrs;
	/* KVM_SYNC_X86_REGS, KVM_SYNC_X86_SREGS where KVM_CAP_SYNC_REGS offers
	 * them: a reset hands those registers over in kvm_run, to be set by
	 * the next KVM_RUN, instead of by an ioctl of its own. */
	uint32_t sync_regs;
	/* KVM_GET_SUPPORTED_CPUID, taken once and set on every vCPU
	 * (KVM_SET_CPUID2) before its registers, as every VMM does: Linux 6.12
	 * refuses long mode to a vCPU whose CPUID does not offer it. */
	struct kvm_cpuid2 *cpuid;
	/* Where the counters of a vCPU's statistics are (vm_count()). */
	struct kvmstat_layout stats;
	/* Instructions this KVM emulates for each port I/O exit of a guest
	 * without string I/O, as kvm_open()'s run of hello found: 0 where
	 * VMX and SVM hand OUT to user space directly, 1 under kvm_pvm, which
	 * emulates every one. */
	uint32_t emulated_per_io;
	/* The KVM at hand in one phrase, for messages (sysinfo_kvm_describe). */
	char what[160];
};


struct vm;
struct vm_snapshot;
struct vm_track;

/* What every VM of one kind starts from: page tables and code in the low
 * memory (shared by all), the write-enabled memory (shared kind), entry
 * registers. */
struct vm_template {
	const struct kvm *kvm;
	const struct guest_image *guest;
	enum vm_memory memory;
	void *low;			/* GUEST_LOW_SIZE bytes: page tables, stub, code */
	/* Tests only: the low memory in a read-only memslot, as before 0.3.0,
	 * where hardware paging makes KVM emulate the guest's instructions. */
	bool low_readonly;
	void *data;			/* VM_MEM_SHARED only */
	size_t data_size;
	int pristine_fd;		/* memfd: the write-enabled memory's first image */
	const void *pristine;		/* the same, mapped read-only */
	bool file_backed;		/* write-enabled memory maps pristine_fd privately */
	/* What a reset strategy (lib/reset.c) set up, before the VMs exist. */
	int tracking;			/* the tracking reset prepared for: enum
					 * reset_strategy, 0 (RESET_NONE) for none */
	uint32_t slot_flags;		/* of the write-enabled memslot */
	size_t ring_bytes;		/* each vCPU's dirty ring; 0: none */
	bool manual_protect;		/* KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 on */
	size_t pt_size;			/* each VM's page tables at GUEST_PTE_BASE; 0: none */
	int pagemap_fd, clear_refs_fd;	/* soft-dirty */
	struct kvm_regs regs;
	/* Its VMs are forks of this snapshot (lib/snapshot.h): their vCPU
	 * starts from its state; regs are its registers.  NULL: entry state. */
	const struct vm_snapshot *snap;
};

struct vm {
	const struct vm_template *t;
	int fd;
	int vcpu_fd;
	struct kvm_run *run;
	void *data;			/* this VM's write-enabled memory */
	uint32_t vcpu_id;		/* of its vCPU (recreate counts up) */
	/* What a tracking reset strategy keeps for this VM (lib/reset.c,
	 * vm_internal.h); NULL where its template tracks nothing. */
	struct vm_track *track;
	/* KVM's counters of its vCPU when vm_count() last read them. */
	uint64_t counted[KVMSTAT_COUNT];
	/* Where vm_run() stamps the return of its first KVM_RUN; NULL: no
	 * stamp (vm_oneshot_first()). */
	uint64_t *first_exit;
};

/* Console output kept per run; a guest that prints more is stopped. */
#define VM_OUTPUT_MAX 4096

struct vm_result {
	uint32_t status;		/* value written to GUEST_PORT_EXIT */
	uint32_t exits;			/* KVM_RUN returns, the last one included */
	uint32_t exits_io;		/* of which port I/O */
	/* What KVM counted in the run, by vm_count() (zeros until then, and
	 * where this KVM has no statistics). */
	uint64_t kvm[KVMSTAT_COUNT];
	size_t out_len;
	char out[VM_OUTPUT_MAX];
};

/* Opens path (NULL: /dev/kvm), checks API version 12 and the capabilities
 * the VMM relies on, prepares the entry state and the CPUID, and runs one
 * hello VM to learn what KVM emulates of a run (emulated_per_io); a KVM
 * that emulates more of it than its port I/O is refused, with the reason. */
int kvm_open(struct kvm *kvm, const char *path);
void kvm_close(struct kvm *kvm);


/* data_size: a multiple of 4 KiB, GUEST_DATA_MIN to GUEST_DATA_MAX. */
int vm_template_init(struct vm_template *t, const struct kvm *kvm,
		     const struct guest_image *guest, enum vm_memory memory,
		     size_t data_size);
void vm_template_fini(struct vm_template *t);
/* RDI and RSI of every VM created from t from now on (both 0 at first). */
void vm_template_args(struct vm_template *t, uint64_t rdi, uint64_t rsi);
/* Replaces the guest code of t's VMs, live ones too (the next tenant's
 * program); the new guest may have no initialised data. */
int vm_template_code(struct vm_template *t, const struct guest_image *guest);
/* From now on the write-enabled memory (the shared one at once, each
 * individual one when its VM is created) is a private copy-on-write
 * mapping of the pristine image's memfd instead of anonymous memory with
 * the image copied in: what the madvise and cow resets need. */
int vm_template_file_backed(struct vm_template *t);

/* A VM ready to run: memslots, one vCPU, kvm_run mapped, registers set. */
int vm_create(struct vm *vm, const struct vm_template *t);
/* Runs until the guest writes GUEST_PORT_EXIT. */
int vm_run(struct vm *vm, struct vm_result *res);
/*
 * What KVM counted for vm's vCPU since the last vm_count() (or since the
 * vCPU was created), into res->kvm: to be called after vm_run() and outside
 * every timed region.  -EIO and a message naming the KVM at hand when KVM
 * emulated any instruction of the run that the guest's string I/O does not
 * explain (KVM emulates every OUTS and INS): the time of such a run is
 * that of KVM's instruction emulator, not of a VM.  0 where this KVM has
 * no statistics (kvm->stats says why).
 */
int vm_count(struct vm *vm, struct vm_result *res);
/* vm_count()'s check of res->kvm, for a run of a VM made from t. */
int vm_counts_check(const struct vm_template *t, const struct vm_result *res);
/* Back to the entry registers, with RDI and RSI set; memory is left as it
 * is (lib/reset.h restores it). */
int vm_reset_regs(struct vm *vm, uint64_t rdi, uint64_t rsi);
/* The vCPU back to its entry state as far as `level` goes, RDI and RSI
 * set.  VCPU_RESET_RECREATE leaves the old vCPU idle inside the VM (KVM
 * destroys a vCPU only with its VM) and takes the next vCPU id: a VM can be
 * recreated up to vcpu_recreate_max() times. */
int vm_reset_vcpu(struct vm *vm, enum vcpu_reset level, uint64_t rdi, uint64_t rsi);
uint32_t vcpu_recreate_max(const struct kvm *kvm);
/* Unmaps kvm_run and closes the vCPU fd, keeping the VM (and the vCPU inside
 * it, until the VM fd is closed) alive on one fd.  The VM cannot run again. */
void vm_release_vcpu(struct vm *vm);
/* Returns every fd and mapping; safe on a VM that vm_create() failed. */
void vm_destroy(struct vm *vm);

/* create, run, destroy: the seed's single-use VM.  vm_count() reads KVM's
 * counters between the run and the teardown; *ns is the time of the rest,
 * CLOCK_MONOTONIC: create and run, then teardown. */
int vm_oneshot(const struct vm_template *t, struct vm_result *res, uint64_t *ns);

/* vm_oneshot, with the time of each phase in phase_ns[]: they add up to *ns. */
int vm_oneshot_phases(const struct vm_template *t, struct vm_result *res, uint64_t *ns,
		      uint64_t phase_ns[VM_PHASES]);

/* vm_oneshot_phases, and the first KVM_RUN alone in *first_ns (from the
 * run phase's start to that KVM_RUN's return: one clock read more). */
int vm_oneshot_first(const struct vm_template *t, struct vm_result *res, uint64_t *ns,
		     uint64_t phase_ns[VM_PHASES], uint64_t *first_ns);

#endif
