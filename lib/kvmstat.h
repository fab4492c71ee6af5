/*
 * What KVM itself counted for a vCPU: its binary statistics
 * (KVM_GET_STATS_FD, Linux 5.14; Documentation/virt/kvm/api.rst).  They
 * show what user space cannot see, above all instructions that KVM
 * emulated in the kernel, which never reach user space as exits.  Read
 * outside every timed region.
 */
#ifndef KVMBENCH_KVMSTAT_H
#define KVMBENCH_KVMSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The counters the suite reads, by their names in KVM's statistics. */
enum kvmstat_counter {
	KVMSTAT_EXITS,			/* every exit, in-kernel ones included */
	KVMSTAT_IO_EXITS,		/* port I/O that went to user space */
	KVMSTAT_MMIO_EXITS,
	KVMSTAT_INSN_EMULATION,		/* instructions KVM decoded and emulated */
	KVMSTAT_PF_EMULATE,		/* page faults it resolved by emulating;
					 * newer kernels only (6.1 lacks it) */
	KVMSTAT_COUNT,
};
/* "exits", "io_exits", "mmio_exits", "insn_emulation", "pf_emulate". */
extern const char *const kvmstat_names[KVMSTAT_COUNT];

/* Where each counter sits in a vCPU's statistics, found once per KVM: the
 * descriptors are the same for every vCPU of one module. */
struct kvmstat_layout {
	bool available;			/* KVM_CAP_BINARY_STATS_FD, and insn_emulation */
	char why[160];			/* when not: why, for the one message */
	uint64_t data_offset;		/* of the values in the file */
	size_t data_size;		/* bytes read, the last counter's end */
	int32_t offset[KVMSTAT_COUNT];	/* bytes into the values; -1: this KVM lacks it */
};

/* Reads the descriptors of vcpu_fd's statistics; never fails: a KVM
 * without them (or without insn_emulation) leaves l->available false and
 * says why in l->why. */
void kvmstat_layout(struct kvmstat_layout *l, int kvm_fd, int vcpu_fd);
/* The counters of vcpu_fd now (a counter this KVM lacks reads 0): one
 * KVM_GET_STATS_FD, one pread, one close.  0 or -errno and a message. */
int kvmstat_read(const struct kvmstat_layout *l, int vcpu_fd, uint64_t v[KVMSTAT_COUNT]);

#endif
