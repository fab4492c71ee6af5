#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "err.h"
#include "kvmstat.h"

/* The counters the suite reads sit well inside this (about 1 KiB on 6.18). */
#define DATA_MAX 8192

const char *const kvmstat_names[KVMSTAT_COUNT] = {
	[KVMSTAT_EXITS] = "exits", [KVMSTAT_IO_EXITS] = "io_exits",
	[KVMSTAT_MMIO_EXITS] = "mmio_exits", [KVMSTAT_INSN_EMULATION] = "insn_emulation",
	[KVMSTAT_PF_EMULATE] = "pf_emulate",
};

static void unavailable(struct kvmstat_layout *l, const char *why)
{
	l->available = false;
	snprintf(l->why, sizeof(l->why), "%s", why);
}

void kvmstat_layout(struct kvmstat_layout *l, int kvm_fd, int vcpu_fd)
{
	struct kvm_stats_header h;
	char *desc = NULL;
	int fd = -1;

	memset(l, 0, sizeof(*l));
	for (int k = 0; k < KVMSTAT_COUNT; k++)
		l->offset[k] = -1;
	if (ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_BINARY_STATS_FD) <= 0) {
		unavailable(l, "this KVM has no binary statistics (KVM_CAP_BINARY_STATS_FD, "
			    "Linux 5.14)");
		return;
	}
	fd = ioctl(vcpu_fd, KVM_GET_STATS_FD, 0);
	if (fd < 0 || pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    h.name_size == 0 || h.name_size > 4096 || h.num_desc > 65536) {
		unavailable(l, "KVM_GET_STATS_FD on a vCPU gave no readable statistics");
		goto out;
	}
	size_t one = sizeof(struct kvm_stats_desc) + h.name_size;
	desc = malloc(one * h.num_desc);
	if (!desc || pread(fd, desc, one * h.num_desc, h.desc_offset) !=
		     (ssize_t)(one * h.num_desc)) {
		unavailable(l, "the descriptors of a vCPU's statistics could not be read");
		goto out;
	}
	for (uint32_t i = 0; i < h.num_desc; i++) {
		const struct kvm_stats_desc *d = (const void *)(desc + i * one);
		for (int k = 0; k < KVMSTAT_COUNT; k++) {
			if (strncmp(d->name, kvmstat_names[k], h.name_size) || d->size != 1 ||
			    (d->flags & KVM_STATS_TYPE_MASK) != KVM_STATS_TYPE_CUMULATIVE)
				continue;
			l->offset[k] = (int32_t)d->offset;
			if (d->offset + sizeof(uint64_t) > l->data_size)
				l->data_size = d->offset + sizeof(uint64_t);
		}
	}
	if (l->data_size > DATA_MAX) {
		unavailable(l, "this KVM's vCPU statistics are laid out beyond what kvmbench reads");
		goto out;
	}
	if (l->offset[KVMSTAT_INSN_EMULATION] < 0) {
		unavailable(l, "this KVM's vCPU statistics have no insn_emulation counter");
		goto out;
	}
	l->data_offset = h.data_offset;
	l->available = true;
out:
	free(desc);
	if (fd >= 0)
		close(fd);
}

int kvmstat_read(const struct kvmstat_layout *l, int vcpu_fd, uint64_t v[KVMSTAT_COUNT])
{
	uint64_t buf[DATA_MAX / sizeof(uint64_t)];
	int err = 0;

	memset(v, 0, KVMSTAT_COUNT * sizeof(v[0]));
	if (!l->available)
		return 0;
	int fd = ioctl(vcpu_fd, KVM_GET_STATS_FD, 0);
	if (fd < 0)
		return err_errno(-errno, "KVM_GET_STATS_FD");
	if (pread(fd, buf, l->data_size, (off_t)l->data_offset) != (ssize_t)l->data_size)
		err = err_set(-EIO, "reading a vCPU's statistics (KVM_GET_STATS_FD) came short");
	close(fd);
	for (int k = 0; k < KVMSTAT_COUNT && !err; k++)
		if (l->offset[k] >= 0)
			memcpy(&v[k], (const char *)buf + l->offset[k], sizeof(v[k]));
	return err;
}
