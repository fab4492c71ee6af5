/*
 * The names in result files of kvmbench-vmas, written once for its
 * benchmark (bench.c) and its view (view.c); bench/series.h holds the
 * ones experiments share (SERIES_CREATE_RUN_CLOSE: the whole VM).
 */
#ifndef KVMBENCH_VMAS_NAMES_H
#define KVMBENCH_VMAS_NAMES_H

#include "series.h"

#define SERIES_CREATE_VM	"create-vm"	/* KVM_CREATE_VM alone */
#define SERIES_FIRST_KVM_RUN	"first-kvm-run"	/* the VM's first KVM_RUN alone */
#define LABEL_VMAS_SWEEP	"sweep"		/* "vmas" or "live" */
/* The point: mappings the creating process adds (as asked; what
 * /proc/self/maps counted is the reading below), or live VMs another
 * process holds. */
#define LABEL_VMAS		"vmas"
#define LABEL_LIVE_VMS		"live_vms"

/* --sweep vmas: the VMAs /proc/self/maps counted at each visit of a point,
 * labelled with it: a reading, not a time. */
enum vmas_reading { VMAS_COUNTED, VMAS_READINGS };
extern const struct reading vmas_readings[VMAS_READINGS];

#endif
