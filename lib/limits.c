#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "err.h"
#include "limits.h"
#include "sysinfo.h"

/* Descriptors for the result file, /proc reads and libc. */
#define FD_MARGIN 16
/* Tasks that come and go meanwhile on the machine: a shell, a cron job,
 * gnuplot; and of this user, this process's own few threads. */
#define TASK_MARGIN 64
#define USER_TASK_MARGIN 4

static uint64_t open_fds(void)
{
	long n = sysinfo_fd_count();

	return n > 0 ? (uint64_t)n : 3;
}

uint64_t limits_nofile_free(void)
{
	struct rlimit rl;
	uint64_t used = open_fds() + FD_MARGIN;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 0;
	return rl.rlim_cur > used ? rl.rlim_cur - used : 0;
}

int limits_nofile(uint64_t extra, const char *what)
{
	struct rlimit rl;
	uint64_t need = open_fds() + FD_MARGIN + extra;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return err_errno(-errno, "getrlimit(RLIMIT_NOFILE)");
	if (rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max < need) {
		struct rlimit more = { need, need };
		if (setrlimit(RLIMIT_NOFILE, &more) == 0)
			return 0;
	}
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur >= need)
		return 0;
	return err_set(-EMFILE, "%s needs %llu file descriptors, but RLIMIT_NOFILE allows "
		       "%llu and its hard limit cannot be raised by this process: raise it "
		       "(as root: ulimit -Hn %llu; or LimitNOFILE= in systemd, nofile in "
		       "/etc/security/limits.conf) or ask for fewer VMs", what,
		       (unsigned long long)need, (unsigned long long)rl.rlim_cur,
		       (unsigned long long)need);
}

bool limits_maps_count(uint64_t *max, uint64_t *now)
{
	char buf[64];
	unsigned long long m = 0;
	long n = sysinfo_map_count();

	*now = n > 0 ? (uint64_t)n : 0;
	if (sysinfo_read_line("/proc/sys/vm/max_map_count", buf, sizeof(buf)) ||
	    sscanf(buf, "%llu", &m) != 1)
		return false;
	*max = m;
	return true;
}

int limits_maps(uint64_t extra, const char *what)
{
	uint64_t max, now;

	if (!limits_maps_count(&max, &now))
		return 0;	/* no such limit to check */
	uint64_t need = now + extra + 64;
	if (need <= max)
		return 0;
	return err_set(-ENOMEM, "%s needs %llu memory mappings, but vm.max_map_count is %llu: "
		       "raise it (sysctl -w vm.max_map_count=%llu) or ask for fewer VMs",
		       what, (unsigned long long)need, (unsigned long long)max,
		       (unsigned long long)need);
}

int limits_memory(uint64_t bytes, const char *what)
{
	uint64_t avail = sysinfo_meminfo("MemAvailable");
	struct rlimit rl;

	if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		uint64_t used = sysinfo_status_bytes("VmSize"), room = rl.rlim_cur > used ? rl.rlim_cur - used : 0;
		if (bytes > room)
			return err_set(-ENOMEM, "%s needs about %llu MiB of memory, but RLIMIT_AS "
				       "leaves this process %llu MiB: raise it (ulimit -v) or ask "
				       "for fewer VMs", what, (unsigned long long)(bytes >> 20),
				       (unsigned long long)(room >> 20));
	}
	if (!avail || bytes <= avail)
		return 0;
	return err_set(-ENOMEM, "%s needs about %llu MiB of memory, but only %llu MiB are "
		       "available (MemAvailable): free some or ask for fewer VMs", what,
		       (unsigned long long)(bytes >> 20), (unsigned long long)(avail >> 20));
}

unsigned limits_tasks_per_vm(void)
{
	char buf[32];

	return sysinfo_read_line("/sys/module/kvm/parameters/nx_huge_pages", buf, sizeof(buf)) ==
	       0 && !strncmp(buf, "never", 5) ? 0 : 1;
}

/* The tasks (threads) of real user uid, from /proc/<pid>/status. */
static uint64_t user_tasks(uid_t uid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	uint64_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[300], line[256];
		unsigned long real = 0, threads = 0;
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			sscanf(line, "Uid: %lu", &real);
			sscanf(line, "Threads: %lu", &threads);
		}
		fclose(f);
		if (real == uid)
			n += threads;
	}
	closedir(d);
	return n;
}

/* A sysctl's value, or 0 when it cannot be read. */
static uint64_t sysctl_value(const char *path)
{
	char buf[64];
	unsigned long long v = 0;

	if (sysinfo_read_line(path, buf, sizeof(buf)) || sscanf(buf, "%llu", &v) != 1)
		return 0;
	return v;
}

int limits_tasks(uint64_t extra, const char *what)
{
	long now = sysinfo_tasks();
	unsigned long long tasks = now > 0 ? (unsigned long long)now : 0;
	static const struct {
		const char *path, *name;
	} sysctls[] = {
		{ "/proc/sys/kernel/pid_max", "kernel.pid_max" },
		{ "/proc/sys/kernel/threads-max", "kernel.threads-max" },
	};

	for (size_t i = 0; i < sizeof(sysctls) / sizeof(sysctls[0]); i++) {
		uint64_t max = sysctl_value(sysctls[i].path), need = tasks + extra + TASK_MARGIN;
		if (max && need > max)
			return err_set(-EAGAIN, "%s needs %llu more tasks (processes and threads; "
				       "one per live VM on this kernel), but %s is %llu and %llu "
				       "tasks exist: raise it (sysctl -w %s=%llu) or ask for fewer "
				       "VMs", what, (unsigned long long)extra, sysctls[i].name,
				       (unsigned long long)max, tasks, sysctls[i].name,
				       (unsigned long long)need);
	}
	/* RLIMIT_NPROC does not bind root (the kernel lets uid 0 past it). */
	struct rlimit rl;
	uid_t uid = getuid();
	if (uid == 0 || getrlimit(RLIMIT_NPROC, &rl) || rl.rlim_cur == RLIM_INFINITY)
		return 0;
	uint64_t mine = user_tasks(uid), need = mine + extra + USER_TASK_MARGIN;
	if (need <= rl.rlim_cur)
		return 0;
	if (rl.rlim_max == RLIM_INFINITY || need <= rl.rlim_max) {
		struct rlimit more = { need, rl.rlim_max };
		if (setrlimit(RLIMIT_NPROC, &more) == 0)
			return 0;
	}
	return err_set(-EAGAIN, "%s needs %llu more tasks (processes and threads; one per live "
		       "VM on this kernel), but RLIMIT_NPROC allows user %u %llu and it has %llu: "
		       "raise it (ulimit -u %llu; as root for the hard limit, or nproc in "
		       "/etc/security/limits.conf) or ask for fewer VMs", what,
		       (unsigned long long)extra, (unsigned)uid, (unsigned long long)rl.rlim_cur,
		       (unsigned long long)mine, (unsigned long long)need);
}
