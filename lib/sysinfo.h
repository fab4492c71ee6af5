/* What machine a result was measured on: recorded in every result file. */
#ifndef KVMBENCH_SYSINFO_H
#define KVMBENCH_SYSINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MACHINE_MAX_PARAMS 96

struct machine_param {
	char name[64];		/* "kvm.tdp_mmu", "kvm_intel.ept", ... */
	char value[64];
};

struct machine {
	char hostname[256];
	char kernel_release[128];
	char kernel_version[256];
	char arch[65];
	char cpu_model[128];
	unsigned cpus;			/* online */
	uint64_t memory_bytes;		/* MemTotal */
	char kvm_module[32];		/* kvm_intel, kvm_amd, kvm_pvm or unknown */
	bool nested;
	char nested_reason[96];		/* why we think so */
	char clocksource[64];
	uint64_t nofile_soft, nofile_hard;
	uint64_t max_map_count;
	char revision[64];		/* git describe of the suite */
	char version[32];
	char compiler[64];
	char build_type[32];
	char sanitize[64];
	char date[32];			/* ISO 8601, UTC, when the probe ran */
	size_t nparams;
	struct machine_param params[MACHINE_MAX_PARAMS];
};

/* Fills *m; fields that cannot be read are left as "unknown" or 0. */
void machine_probe(struct machine *m);

/* Helpers shared with the benchmarks' resource checks. */
/* First line of a file, newline stripped; -errno if unreadable. */
int sysinfo_read_line(const char *path, char *buf, size_t size);
/* A "Key:   123 kB" field of /proc/meminfo, in bytes; 0 if absent. */
uint64_t sysinfo_meminfo(const char *key);
/* Number of lines in /proc/self/maps (the process's mappings). */
long sysinfo_map_count(void);
/* Number of entries in /proc/self/fd (open file descriptors). */
long sysinfo_fd_count(void);
/* A "Key:   123 kB" field of /proc/self/status (VmRSS, VmSize), in bytes;
 * 0 if unknown. */
uint64_t sysinfo_status_bytes(const char *key);
/* Threads of this process, kernel-started ones included: KVM runs a
 * worker per VM (kvm-nx-lpage-recovery) as a vhost task of the process. */
long sysinfo_threads(void);
/* Kernel threads alive: kthreadd and its children. */
long sysinfo_kernel_threads(void);

#endif
