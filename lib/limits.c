#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>

#include "err.h"
#include "limits.h"
#include "sysinfo.h"

/* Descriptors for the result file, /proc reads and libc. */
#define FD_MARGIN 16

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

int limits_maps(uint64_t extra, const char *what)
{
	char buf[64];
	unsigned long long max = 0;
	long now = sysinfo_map_count();
	uint64_t need = (uint64_t)(now > 0 ? now : 0) + extra + 64;

	if (sysinfo_read_line("/proc/sys/vm/max_map_count", buf, sizeof(buf)) ||
	    sscanf(buf, "%llu", &max) != 1)
		return 0;	/* no such limit to check */
	if (need <= max)
		return 0;
	return err_set(-ENOMEM, "%s needs %llu memory mappings, but vm.max_map_count is %llu: "
		       "raise it (sysctl -w vm.max_map_count=%llu) or ask for fewer VMs",
		       what, (unsigned long long)need, max, (unsigned long long)need);
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
