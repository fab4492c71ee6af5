#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "build_config.h"
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

int sysinfo_read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	if (!fgets(buf, (int)size, f)) {
		fclose(f);
		return -ENODATA;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/* The number on a "Key:   123 kB" (or "Key: 123") line of a /proc file;
 * 0 if absent. */
static uint64_t field(const char *path, const char *key)
{
	FILE *f = fopen(path, "re");
	char line[256];
	size_t klen = strlen(key);
	unsigned long long kb = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			sscanf(line + klen + 1, "%llu", &kb);
			break;
		}
	}
	fclose(f);
	return (uint64_t)kb;
}

uint64_t sysinfo_meminfo(const char *key)
{
	return field("/proc/meminfo", key) * 1024;
}

uint64_t sysinfo_status_bytes(const char *key)
{
	return field("/proc/self/status", key) * 1024;
}

long sysinfo_threads(void)
{
	return (long)field("/proc/self/status", "Threads");
}

long sysinfo_map_count(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	long n = 0;
	int c;

	if (!f)
		return -errno;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

long sysinfo_fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	long n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* the directory's own fd */
}

long sysinfo_kernel_threads(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	long n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		char path[300], buf[512];
		int ppid = -1;
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if (sysinfo_read_line(path, buf, sizeof(buf)))
			continue;
		/* pid (comm) state ppid: comm may hold spaces and parentheses. */
		const char *close = strrchr(buf, ')');
		if (close && sscanf(close + 1, " %*c %d", &ppid) == 1 &&
		    (ppid == 2 || !strcmp(e->d_name, "2")))
			n++;
	}
	closedir(d);
	return n;
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
		if (!model && !strncmp(line, "model name", 10)) {
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

static int param_cmp(const void *a, const void *b)
{
	return strcmp(((const struct machine_param *)a)->name,
		      ((const struct machine_param *)b)->name);
}

void machine_probe(struct machine *m)
{
	static const char *const vendors[] = { "kvm_intel", "kvm_amd", "kvm_pvm" };
	struct utsname u;
	struct rlimit rl;
	struct stat st;
	char buf[64];
	time_t now = time(NULL);

	memset(m, 0, sizeof(*m));
	COPY(m->kvm_module, "unknown");
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

	for (size_t i = 0; i < ARRAY_SIZE(vendors); i++) {
		char path[64];
		snprintf(path, sizeof(path), "/sys/module/%s", vendors[i]);
		if (stat(path, &st) == 0) {
			COPY(m->kvm_module, vendors[i]);
			break;
		}
	}
	if (!strcmp(m->kvm_module, "kvm_pvm")) {
		m->nested = true;
		COPY(m->nested_reason, "kvm_pvm: paravirtualised KVM inside a virtual machine");
	}
	cpu_info(m);
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

	COPY(m->revision, KVMBENCH_REVISION);
	COPY(m->version, KVMBENCH_VERSION);
	COPY(m->compiler, KVMBENCH_COMPILER);
	COPY(m->build_type, KVMBENCH_BUILDTYPE);
	COPY(m->sanitize, KVMBENCH_SANITIZE);
	strftime(m->date, sizeof(m->date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
}
