/*
 * Reset strategies: how a live VM's write-enabled memory goes back to its
 * pristine image between two runs.  One table, one entry per strategy: its
 * name, what it tracks, and its hooks.  Adding a strategy is adding an
 * entry and its hooks in reset.c, and what it keeps per VM to struct
 * vm_track (vm_internal.h); how the charts draw it (colour, legend) is the
 * report side's, the view that draws strategies.  What it needs of a
 * template (memslot flags, a dirty ring, manual protect, page tables) is
 * data its prepare hook sets; the run loop calls none of its code.
 */
#ifndef KVMBENCH_RESET_H
#define KVMBENCH_RESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm.h"

enum reset_strategy {
	RESET_NONE,		/* registers only: memory keeps the last run's bytes */
	RESET_FULL,		/* every byte copied back from the pristine image */
	RESET_MADVISE,		/* MADV_DONTNEED: the kernel drops the private copies */
	RESET_COW,		/* a fresh private mapping of the image, in place */
	RESET_DIRTY_LOG,	/* KVM_GET_DIRTY_LOG: copy back only the pages written */
	RESET_DIRTY_RING,	/* the vCPU's dirty ring: likewise */
	RESET_DIRTY_LOG_HOT,	/* dirty-log with manual protect: pages written
				 * run after run stay writable, copied back always */
	RESET_PTE_DIRTY,	/* the Dirty bits of the guest's own 4 KiB page tables */
	RESET_SOFT_DIRTY,	/* the host's soft-dirty bits (/proc/self/pagemap) */
	RESET_COUNT,
};

struct reset_ops {
	const char *name;		/* "dirty-ring": option, label, file names */
	/* What a strategy that tracks written pages reads, for its probe's
	 * messages; NULL: it tracks nothing, and needs no probe. */
	const char *tracker;
	/* Its write-enabled memory maps the pristine image's memfd privately
	 * (vm_template_file_backed), instead of anonymous memory. */
	bool file_backed;
	/* Sets up a template before its VMs exist: file backing, memslot
	 * flags, a dirty ring, per-VM page tables, files to read. */
	int (*prepare)(struct vm_template *t);
	/* Tracking: adds to vm->dirty every page written since the last
	 * call, and starts tracking afresh. */
	int (*collect)(struct vm *vm);
	/* Puts the memory back to the pristine image (registers: not here). */
	int (*restore)(struct vm *vm);
	/* Once before each round over n VMs that ran since the last, when the
	 * strategy needs it (soft-dirty: its clear is process-wide).  NULL:
	 * nothing to do, and callers need not call it. */
	int (*before_round)(struct vm *vms, size_t n);
};

extern const struct reset_ops reset_strategies[RESET_COUNT];

/* The strategy called name, or -1. */
int reset_find(const char *name);
/* Prepares t for VMs that will be reset as `how` (its prepare hook). */
int reset_prepare(struct vm_template *t, enum reset_strategy how);
/* Restores vm's memory as `how` says, then its vCPU as `level` says, with
 * RDI and RSI set.  t must have been prepared for `how`. */
int reset_vm(struct vm *vm, enum reset_strategy how, enum vcpu_reset level,
	     uint64_t rdi, uint64_t rsi);
/* Only the memory part of reset_vm(): vm's write-enabled memory back to
 * its template's pristine image; the vCPU is the caller's (a snapshot's
 * fork: vm_snapshot_restore). */
int reset_memory(struct vm *vm, enum reset_strategy how);
/* dirty-log-hot: whether page is one it keeps writable and copies back
 * after every run (a probe accepts it reported unwritten). */
bool reset_page_hot(const struct vm *vm, size_t page);
/* The before_round hook, where there is one. */
int reset_before_round(struct vm *vms, size_t n, enum reset_strategy how);

/*
 * A strategy that tracks written pages is trusted only once it has been
 * seen to work: runs the rounds guest three times (writing pages 0-1, then
 * 0-2, then 0, and the stack's top page each time), resetting in between,
 * and checks that the mechanism reports exactly the pages of each run.
 * 0 if it does (or the strategy tracks nothing); -ENOTSUP and a message
 * naming the failure if not.  (lib/probe.c)
 */
int reset_probe(const struct kvm *kvm, enum reset_strategy how);

/*
 * The same for the vCPU: runs guest/inspect.S in a fresh VM (it must find
 * the pristine state), then guest/poison.S, resets the vCPU at `level`, and
 * runs inspect again.  0 and *leaks the GUEST_LEAK_* kinds of state the
 * reset left behind (0: clean), or -errno and a message if the probe could
 * not be run.  (lib/probe.c)
 */
int vcpu_probe(const struct kvm *kvm, enum vcpu_reset level, uint32_t *leaks);
/* "clean", or the kinds in leaks ("x87-control, mxcsr"), into buf. */
const char *vcpu_leaks_text(uint32_t leaks, char *buf, size_t size);

#endif
