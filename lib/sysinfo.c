#define _GNU_SOURCE	/* sched_getaffinity */
#include <cpuid.h>
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "build_config.h"
#include "sha256.h"
#include "sysinfo.h"
#include "version.h"
#include "util.h"

#define COPY(dst, src) copy((dst), sizeof(dst), (src))

/* Truncating copy: fingerprint fields are bounded, and a longer value is
 * still worth recording in part. */
static void copy(char *dst, size_t size, const char *src)
{
	int n = snprintf(dst, size, "%s", src);

	(void)n;
}

static void cpu_info(struct machine *m)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[4096];
	bool model = false, flags = false;

	if (!f)
		return;
	while ((!model || !flags) && fgets(line, sizeof(line), f)) {
		char *v = strchr(line, ':');
		if (!v)
			continue;
		v += 1 + (v[1] == ' ');
		v[strcspn(v, "\n")] = 0;
		if (!m->microcode[0] && !strncmp(line, "microcode", 9)) {
			COPY(m->microcode, v);
		} else if (!model && !strncmp(line, "model name", 10)) {
			COPY(m->cpu_model, v);
			model = true;
		} else if (!flags && !strncmp(line, "flags", 5)) {
			flags = true;
			if (!m->nested && strstr(v, " hypervisor")) {
				m->nested = true;
				COPY(m->nested_reason, "the CPU reports the hypervisor flag");
			}
		}
	}
	fclose(f);
}

/* The hypervisor below this kernel by its CPUID signature: "KVMKVMKVM",
 * "TCGTCGTCGTCG" (QEMU's software emulation), "Microsoft Hv", ... */
static void hypervisor(struct machine *m)
{
	unsigned a, b, c, d;
	char sig[13];

	COPY(m->hypervisor, "none");
	COPY(m->emulator, "none");
	__cpuid(1, a, b, c, d);
	if (!(c & (1u << 31)))
		return;
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	sig[12] = 0;
	for (char *p = sig; *p; p++)
		if (*p < ' ' || *p > '~')
			*p = '?';
	COPY(m->hypervisor, sig[0] ? sig : "unnamed");
	if (!strcmp(sig, "TCGTCGTCGTCG")) {
		COPY(m->emulator, "QEMU TCG");
		m->nested = true;
		COPY(m->nested_reason, "the CPU is emulated: QEMU's software emulation (TCG)");
	}
}

static void module_params(struct machine *m, const char *module)
{
	char dir[128], path[512];
	DIR *d;
	struct dirent *e;

	snprintf(dir, sizeof(dir), "/sys/module/%s/parameters", module);
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d)) && m->nparams < MACHINE_MAX_PARAMS) {
		struct machine_param *p = &m->params[m->nparams];
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (sysinfo_read_line(path, p->value, sizeof(p->value)))
			continue;	/* write-only parameter */
		if (snprintf(p->name, sizeof(p->name), "%s.%s", module, e->d_name) <
		    (int)sizeof(p->name))
			m->nparams++;
	}
	closedir(d);
}

/* A sysfs value, or `none` where the file does not exist, "unreadable"
 * where it cannot be read. */
static void sys_value(char *dst, size_t size, const char *path, const char *none)
{
	int err = sysinfo_read_line(path, dst, size);

	if (err)
		snprintf(dst, size, "%s", err == -ENOENT ? none : "unreadable");
}

/* The word in brackets of "always [madvise] never". */
static void bracketed(char *dst, size_t size)
{
	char *open = strchr(dst, '['), *close = open ? strchr(open, ']') : NULL;

	if (open && close) {
		*close = 0;
		memmove(dst, open + 1, strlen(open + 1) + 1);
	}
	(void)size;
}

/* key=value words of the kernel command line, or `none`. */
static void cmdline_words(char *dst, size_t size, const char *const *keys, size_t nkeys)
{
	char line[4096];

	dst[0] = 0;
	if (sysinfo_read_line("/proc/cmdline", line, sizeof(line))) {
		snprintf(dst, size, "unreadable");
		return;
	}
	for (char *w = strtok(line, " "); w; w = strtok(NULL, " ")) {
		if (!strcmp(w, "--"))
			break;
		for (size_t k = 0; k < nkeys; k++)
			if (!strncmp(w, keys[k], strlen(keys[k])))
				snprintf(dst + strlen(dst), size - strlen(dst), "%s%s",
					 dst[0] ? " " : "", w);
	}
	if (!dst[0])
		snprintf(dst, size, "none");
}

static void vulnerabilities(struct machine *m)
{
	const char *dir = "/sys/devices/system/cpu/vulnerabilities";
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	if (n < 0) {
		COPY(m->vulnerabilities, errno == ENOENT ? "none" : "unreadable");
		return;
	}
	for (int i = 0; i < n; i++) {
		char path[512], v[128];
		size_t len = strlen(m->vulnerabilities);
		if (names[i]->d_name[0] != '.' &&
		    snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name) < (int)sizeof(path) &&
		    sysinfo_read_line(path, v, sizeof(v)) == 0)
			snprintf(m->vulnerabilities + len, sizeof(m->vulnerabilities) - len, "%s%s: %s",
				 len ? "; " : "", names[i]->d_name, v);
		free(names[i]);
	}
	free(names);
}

static void movers(struct machine *m)
{
	static const char *const mitig[] = { "mitigations=" };
	static const char *const iso[] = { "isolcpus=", "nohz_full=" };
	struct stat st;
	char line[512];
	cpu_set_t set;

	sys_value(m->cpufreq_driver, sizeof(m->cpufreq_driver),
		  "/sys/devices/system/cpu/cpu0/cpufreq/scaling_driver", "none");
	sys_value(m->cpufreq_governor, sizeof(m->cpufreq_governor),
		  "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "none");
	sys_value(m->cpu_boost, sizeof(m->cpu_boost), "/sys/devices/system/cpu/cpufreq/boost",
		  "none");
	if (!strcmp(m->cpu_boost, "none") &&
	    sysinfo_read_line("/sys/devices/system/cpu/intel_pstate/no_turbo", line,
			      sizeof(line)) == 0)
		COPY(m->cpu_boost, !strcmp(line, "1") ? "0" : "1");
	if (!strcmp(m->cpu_boost, "1") || !strcmp(m->cpu_boost, "0"))
		COPY(m->cpu_boost, !strcmp(m->cpu_boost, "1") ? "on" : "off");
	sys_value(m->smt, sizeof(m->smt), "/sys/devices/system/cpu/smt/control", "none");
	sys_value(m->thp, sizeof(m->thp), "/sys/kernel/mm/transparent_hugepage/enabled", "none");
	bracketed(m->thp, sizeof(m->thp));
	cmdline_words(m->mitigations, sizeof(m->mitigations), mitig, ARRAY_SIZE(mitig));
	if (!strcmp(m->mitigations, "none"))
		COPY(m->mitigations, "default (mitigations= not on the command line)");
	vulnerabilities(m);
	cmdline_words(m->isolation, sizeof(m->isolation), iso, ARRAY_SIZE(iso));

	int nodes = 0;
	DIR *d = opendir("/sys/devices/system/node");
	struct dirent *e;
	while (d && (e = readdir(d)))
		nodes += !strncmp(e->d_name, "node", 4) && e->d_name[4] >= '0' && e->d_name[4] <= '9';
	if (d)
		closedir(d);
	snprintf(m->numa_nodes, sizeof(m->numa_nodes), d ? "%d" : "unreadable", nodes);

	/* cgroup v2 has one hierarchy, "0::/path". */
	bool v2 = stat("/sys/fs/cgroup/cgroup.controllers", &st) == 0;
	FILE *f = fopen("/proc/self/cgroup", "re");
	char own[128] = "unreadable";
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (v2 ? !strncmp(line, "0::", 3) : strstr(line, ":memory:") != NULL)
			snprintf(own, sizeof(own), "%s", strrchr(line, ':') + 1);
	}
	if (f)
		fclose(f);
	snprintf(m->cgroup, sizeof(m->cgroup), "%s %s", v2 ? "v2" : "v1", own);

	if (sched_getaffinity(0, sizeof(set), &set) == 0) {
		m->cpu_affinity[0] = 0;
		for (int c = 0; c < CPU_SETSIZE; c++) {
			if (!CPU_ISSET(c, &set))
				continue;
			int to = c;
			while (to + 1 < CPU_SETSIZE && CPU_ISSET(to + 1, &set))
				to++;
			size_t len = strlen(m->cpu_affinity);
			snprintf(m->cpu_affinity + len, sizeof(m->cpu_affinity) - len,
				 to > c ? "%s%d-%d" : "%s%d", len ? "," : "", c, to);
			c = to;
		}
	} else {
		COPY(m->cpu_affinity, "unreadable");
	}
	sysinfo_load(m->load, sizeof(m->load), m->runnable, sizeof(m->runnable));
}

void machine_noise(const struct machine *m, char *buf, size_t size)
{
	double load = atof(m->load);
	int running = 0;

	buf[0] = 0;
	if (m->cpus && load > 0.1 * m->cpus)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s1-minute load average %s over %u CPUs (it lags: "
			 "runs that just ended count)",
			 buf[0] ? "; " : "", m->load, m->cpus);
	/* This process is one of the running tasks. */
	if (sscanf(m->runnable, "%d", &running) == 1 && running > 1)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%d other task%s running",
			 buf[0] ? "; " : "", running - 1, running > 2 ? "s" : "");
	if (!strcmp(m->cpufreq_governor, "powersave"))
		snprintf(buf + strlen(buf), size - strlen(buf), "%sthe powersave CPU governor",
			 buf[0] ? "; " : "");
}

static int param_cmp(const void *a, const void *b)
{
	return strcmp(((const struct machine_param *)a)->name,
		      ((const struct machine_param *)b)->name);
}

/* The environment's word for a field, or dflt: scripts/vm and scripts/bench
 * say what this process cannot see (the machine below, the kernel's
 * config).  Only text; it is never used as anything but a value. */
static void from_env(char *dst, size_t size, const char *name, const char *dflt)
{
	const char *v = getenv(name);

	snprintf(dst, size, "%s", v && *v ? v : dflt);
}

int sysinfo_kernel_config(char *hex, size_t size, const char *path)
{
	struct sha256 h;
	char buf[16384], sum[65];
	gzFile f;
	int n;

	/* gzopen says why in errno only when a system call failed. */
	errno = 0;
	if (!(f = gzopen(path, "rb")))
		return errno ? -errno : -ENOMEM;
	sha256_init(&h);
	while ((n = gzread(f, buf, sizeof(buf))) > 0)
		sha256_add(&h, buf, (size_t)n);
	gzclose(f);
	if (n < 0)
		return -EIO;
	sha256_hex(&h, sum);
	snprintf(hex, size, "%s", sum);
	return 0;
}

/* The config of the kernel under test: the file scripts/vm names for a
 * kernel it boots ("": it has none), else the running kernel's own. */
static void kernel_config(char *dst, size_t size)
{
	const char *booted = getenv("KVMBENCH_KERNEL_CONFIG_FILE");
	struct utsname u;
	char boot[300];

	if (booted) {
		if (!*booted || sysinfo_kernel_config(dst, size, booted))
			snprintf(dst, size, "none");
		return;
	}
	uname(&u);
	snprintf(boot, sizeof(boot), "/boot/config-%s", u.release);
	if (sysinfo_kernel_config(dst, size, "/proc/config.gz") &&
	    sysinfo_kernel_config(dst, size, boot))
		snprintf(dst, size, "unknown");
}

static void kernel_under_test(struct machine *m)
{
	if (sysinfo_read_line("/proc/cmdline", m->kernel_cmdline, sizeof(m->kernel_cmdline)))
		COPY(m->kernel_cmdline, "unreadable");
	from_env(m->kernel_source, sizeof(m->kernel_source), "KVMBENCH_KERNEL", "running");
	kernel_config(m->kernel_config, sizeof(m->kernel_config));
	from_env(m->host_kernel, sizeof(m->host_kernel), "KVMBENCH_HOST_KERNEL", "none");
	from_env(m->host_kvm_module, sizeof(m->host_kvm_module), "KVMBENCH_HOST_KVM", "none");
	from_env(m->host_nested, sizeof(m->host_nested), "KVMBENCH_HOST_NESTED", "-");
	/* A CI job's runner, as its workflow names it (.github/workflows). */
	from_env(m->runner, sizeof(m->runner), "KVMBENCH_RUNNER", "none");
}

const char *sysinfo_kvm_module(void)
{
	static const char *const modules[] = { "kvm_intel", "kvm_amd", "kvm_pvm" };
	struct stat st;

	for (size_t i = 0; i < ARRAY_SIZE(modules); i++) {
		char path[64];
		snprintf(path, sizeof(path), "/sys/module/%s", modules[i]);
		if (stat(path, &st) == 0)
			return modules[i];
	}
	return "unknown";
}

/* A boolean module parameter: 1 for Y or 1, 0 for N or 0, -1 unreadable. */
static int module_flag(const char *module, const char *param)
{
	char path[128], v[16];

	snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s", module, param);
	if (sysinfo_read_line(path, v, sizeof(v)))
		return -1;
	return v[0] == 'Y' || v[0] == 'y' || v[0] == '1';
}

void sysinfo_kvm_paging(char *buf, size_t size)
{
	const char *module = sysinfo_kvm_module();
	int on;

	if (!strcmp(module, "kvm_pvm")) {
		snprintf(buf, size, "shadow");
	} else if (!strcmp(module, "kvm_amd") && (on = module_flag(module, "npt")) >= 0) {
		snprintf(buf, size, "%s", on ? "npt" : "shadow");
	} else if (!strcmp(module, "kvm_intel") && (on = module_flag(module, "ept")) >= 0) {
		snprintf(buf, size, "%s", !on ? "shadow" :
			 module_flag(module, "eptad") == 1 ? "ept+ad" : "ept");
	} else {
		snprintf(buf, size, "unknown");
	}
}

bool sysinfo_hardware_paging(void)
{
	char paging[32];

	sysinfo_kvm_paging(paging, sizeof(paging));
	return !strcmp(paging, "npt") || !strncmp(paging, "ept", 3);
}

void sysinfo_kvm_describe(char *buf, size_t size)
{
	const char *module = sysinfo_kvm_module();
	char paging[32], params[64] = "";
	struct utsname u;

	sysinfo_kvm_paging(paging, sizeof(paging));
	if (!strcmp(module, "kvm_amd"))
		snprintf(params, sizeof(params), ", npt=%d", module_flag(module, "npt"));
	else if (!strcmp(module, "kvm_intel"))
		snprintf(params, sizeof(params), ", ept=%d eptad=%d", module_flag(module, "ept"),
			 module_flag(module, "eptad"));
	snprintf(buf, size, "%s (%s paging%s), Linux %s", module, paging, params,
		 uname(&u) == 0 ? u.release : "unknown");
}

void machine_probe(struct machine *m)
{
	struct utsname u;
	struct rlimit rl;
	char buf[64];
	time_t now = time(NULL);

	memset(m, 0, sizeof(*m));
	COPY(m->cpu_model, "unknown");
	COPY(m->clocksource, "unknown");
	COPY(m->nested_reason, "no sign of a hypervisor below this kernel");
	if (uname(&u) == 0) {
		COPY(m->hostname, u.nodename);
		COPY(m->kernel_release, u.release);
		COPY(m->kernel_version, u.version);
		COPY(m->arch, u.machine);
	}
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	m->cpus = cpus > 0 ? (unsigned)cpus : 0;
	m->memory_bytes = sysinfo_meminfo("MemTotal");

	COPY(m->kvm_module, sysinfo_kvm_module());
	sysinfo_kvm_paging(m->kvm_paging, sizeof(m->kvm_paging));
	if (!strcmp(m->kvm_module, "kvm_pvm")) {
		m->nested = true;
		COPY(m->nested_reason, "kvm_pvm: paravirtualised KVM inside a virtual machine");
	}
	cpu_info(m);
	hypervisor(m);
	if (!m->microcode[0])
		COPY(m->microcode, "none");
	movers(m);
	module_params(m, "kvm");
	if (strcmp(m->kvm_module, "unknown"))
		module_params(m, m->kvm_module);
	qsort(m->params, m->nparams, sizeof(m->params[0]), param_cmp);

	sysinfo_read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
			  m->clocksource, sizeof(m->clocksource));
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		m->nofile_soft = rl.rlim_cur;
		m->nofile_hard = rl.rlim_max;
	}
	if (sysinfo_read_line("/proc/sys/vm/max_map_count", buf, sizeof(buf)) == 0)
		sscanf(buf, "%llu", (unsigned long long *)&m->max_map_count);

	kernel_under_test(m);

	COPY(m->revision, KVMBENCH_REVISION);
	COPY(m->version, KVMBENCH_VERSION);
	COPY(m->compiler, KVMBENCH_COMPILER);
	COPY(m->build_type, KVMBENCH_BUILDTYPE);
	COPY(m->sanitize, KVMBENCH_SANITIZE);
	strftime(m->date, sizeof(m->date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
}
