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
	char kvm_paging[32];		/* sysinfo_kvm_paging() */
	bool nested;
	char nested_reason[96];		/* why we think so */
	char hypervisor[16];		/* CPUID 0x40000000's signature, or "none" */
	/* "QEMU TCG" where the CPU itself is emulated (QEMU's software
	 * emulation, scripts/vm), else "none": then every timing is the
	 * emulator's, nobody's number. */
	char emulator[16];
	char clocksource[64];
	/* The kernel under test and where it ran.  scripts/vm, which boots a
	 * kernel in a machine of its own, says both sides in the environment
	 * (KVMBENCH_KERNEL, KVMBENCH_KERNEL_CONFIG_FILE, KVMBENCH_HOST_*); on a
	 * machine's own kernel, host_* are "none". */
	char kernel_cmdline[512];	/* /proc/cmdline */
	char kernel_source[256];	/* the kernel as named to scripts/vm, or "running" */
	char kernel_config[80];		/* sha256 of its config, "none" (a booted
					 * kernel without one) or "unknown" */
	char host_kernel[128];		/* the release of the machine below, or "none" */
	char host_kvm_module[32];	/* its KVM module, or "none" */
	char host_nested[16];		/* that module's nested parameter, or "-" */
	/* The CI runner this ran on (label, name, environment: KVMBENCH_RUNNER,
	 * set by the workflows), or "none". */
	char runner[192];
	/* What moves the numbers; "none" where the machine has no such thing,
	 * "unreadable" where it does not say. */
	char microcode[32];
	char cpufreq_driver[64];
	char cpufreq_governor[64];
	char cpu_boost[32];		/* on, off, none */
	char smt[32];			/* /sys/devices/system/cpu/smt/control */
	char thp[32];			/* transparent huge pages: always, madvise, never */
	char mitigations[128];		/* mitigations= of the kernel command line */
	char vulnerabilities[1024];	/* "name: state; ..." of every CPU vulnerability */
	char numa_nodes[16];
	char isolation[128];		/* isolcpus= and nohz_full=, or none */
	char cgroup[192];		/* v1 or v2, and this process's cgroup */
	char cpu_affinity[64];		/* the CPUs this process may run on */
	char load[32];			/* 1-minute load average, at the probe */
	char runnable[32];		/* running / all tasks, at the probe */
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
struct record;
/* Puts *m into r's machine map, under results/SCHEMA.cddl's names
 * (machine_map.c). */
int machine_record(struct record *r, const struct machine *m);
/* What makes this machine noisy now, for a warning (never a refusal): load
 * above 0.1 per CPU, other tasks running, a powersave governor; "" if
 * nothing. */
void machine_noise(const struct machine *m, char *buf, size_t size);
/* The 1-minute load average and "running/all" tasks, now. */
void sysinfo_load(char *load, size_t lsize, char *runnable, size_t rsize);

/* The KVM module loaded: "kvm_intel", "kvm_amd", "kvm_pvm" or "unknown". */
const char *sysinfo_kvm_module(void);
/* How that KVM maps guest memory, from its parameters: "npt" (kvm_amd
 * npt=Y), "ept" or "ept+ad" (kvm_intel ept=Y, with eptad=Y: accessed and
 * dirty flags), "shadow" (npt=N, ept=N, or kvm_pvm, which always shadows
 * the guest's page tables) or "unknown". */
void sysinfo_kvm_paging(char *buf, size_t size);
/* Whether that is hardware paging (npt, ept, ept+ad): the CPU itself
 * walks the guest's page tables, and walks them as writes. */
bool sysinfo_hardware_paging(void);
/* The KVM at hand in one phrase, for messages: "kvm_amd (npt paging,
 * npt=1), Linux 6.1.0-57-amd64". */
void sysinfo_kvm_describe(char *buf, size_t size);

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
/* Lines of /proc/self/smaps_rollup ("Pss", "Private_Dirty") in bytes, each
 * keys[i] into bytes[i] (0 if absent), from one read of the file: each read
 * walks every mapping of the process. */
void sysinfo_smaps_bytes(const char *const *keys, uint64_t *bytes, size_t n);
/* Threads of this process, kernel-started ones included: KVM runs a
 * worker per VM (kvm-nx-lpage-recovery) as a vhost task of the process. */
long sysinfo_threads(void);
/* The tasks (processes and threads, kernel ones too) of the machine, from
 * /proc/loadavg; -1 if unreadable. */
long sysinfo_tasks(void);
/* Kernel threads alive: kthreadd and its children. */
long sysinfo_kernel_threads(void);

/* sha256 of the file at path, read through zlib (a .gz one uncompressed,
 * as /proc/config.gz): 0 with hex, or -errno. */
int sysinfo_kernel_config(char *hex, size_t size, const char *path);

#endif
