/* Description: a benchmark of live VMs (the vehicle "live") under a low RLIMIT_NOFILE that it has no
 * permission to raise (CAP_SYS_RESOURCE dropped before exec): asked for
 * more VMs than even one fd each allows, it stops before starting with a
 * message naming the limit and the need, and writes nothing; forced to
 * keep two fds per VM, it fails midway with EMFILE and keeps what it
 * measured in a readable file marked incomplete.  Under a low RLIMIT_AS,
 * the second refuses 1000 live VMs before starting; asked for more
 * mappings than vm.max_map_count allows (a machine-wide limit a test must
 * not lower), it refuses them too.  Too few descriptors for even one VM
 * (ulimit -n 5), and too little address space for the run time watchdog's
 * thread and the guest memory (ulimit -Sv 5000), are refused before
 * anything with the same kind of message: the need, the limit, the fix. */
#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build_config.h"
#include "err.h"
#include "helpers.h"
#include "record.h"

#define LIMIT 64

struct limited {
	int resource;
	rlim_t limit;
};

/* In the child: resource = limit, unable to raise it; 77 if that cannot
 * be had. */
static void limit_child(void *ctx)
{
	const struct limited *l = ctx;

	/* Root would get CAP_SYS_RESOURCE back at exec unless the bounding
	 * set loses it. */
	if (getuid() == 0 && prctl(PR_CAPBSET_DROP, CAP_SYS_RESOURCE, 0, 0, 0) < 0)
		_exit(77);
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) == 0) {
		unsigned bit = 1u << (CAP_SYS_RESOURCE % 32);
		d[CAP_SYS_RESOURCE / 32].effective &= ~bit;
		d[CAP_SYS_RESOURCE / 32].permitted &= ~bit;
		d[CAP_SYS_RESOURCE / 32].inheritable &= ~bit;
		syscall(SYS_capset, &h, d);
	}
	struct rlimit rl = { l->limit, l->limit }, more = { l->limit + 1, l->limit + 1 };
	if (setrlimit(l->resource, &rl) < 0 || setrlimit(l->resource, &more) == 0)
		_exit(77);
}

/* Runs argv with stdout+stderr in *out under resource = limit, unable to
 * raise it.  Exits 77 (skip) when the test cannot take that right away. */
static int run_limited(char *const argv[], char **out, int resource, rlim_t limit)
{
	struct limited l = { resource, limit };
	int fd;
	pid_t pid = t_start_with(argv, &fd, limit_child, &l);
	int rc = t_finish(pid, fd, out);

	if (rc == 77) {
		printf("SKIP: cannot run a child unable to raise RLIMIT_NOFILE here\n");
		exit(T_EXIT_SKIP);
	}
	return rc;
}

int main(int argc, char **argv)
{
	char path[512], *out;
	struct record r;
	struct kvm kvm;

	T_CHECK(argc == 3, "usage: limits LIVE-BENCHMARK LIVE-TOO-BENCHMARK");
	t_kvm_or_skip(&kvm);
	kvm_close(&kvm);
	snprintf(path, sizeof(path), "%s/scaling.cbor", t_tmpdir());

	char *refused[] = { argv[1], "--vms", "100", "--step", "10", "--output", path, NULL };
	int rc = run_limited(refused, &out, RLIMIT_NOFILE, LIMIT);
	T_CHECK(rc == 1, "exit %d: %s", rc, out);
	T_CHECK(strstr(out, "RLIMIT_NOFILE allows 64") && strstr(out, "needs") &&
		strstr(out, "ulimit -Hn"), "message: %s", out);
	T_CHECK(!strstr(out, "Time spent") && !strstr(out, "10:\t"), "it measured: %s", out);
	T_CHECK(access(path, F_OK) < 0, "a refused run wrote %s", path);
	free(out);

	char *midway[] = { argv[1], "--vms", "100", "--step", "10", "--fd-mode", "two",
			   "--output", path, NULL };
	rc = run_limited(midway, &out, RLIMIT_NOFILE, LIMIT);
	T_CHECK(rc == 1, "exit %d: %s", rc, out);
	T_CHECK(strstr(out, "Too many open files") && strstr(out, "marked incomplete"),
		"message: %s", out);
	T_CHECK(rec_read(&r, path) == 0, "%s", err_msg());
	T_CHECK(!r.complete && r.error && strstr(r.error, "Too many open files"),
		"complete %d, error %s", r.complete, r.error ? r.error : "(none)");
	T_CHECK(r.nseries > 0 && !strcmp(r.series[0].name, "create-run") &&
		r.series[0].n > 5 && r.series[0].n < 100, "%zu VMs measured",
		r.nseries ? r.series[0].n : 0);
	rec_free(&r);
	free(out);

	/* The runs below must write nothing: no file left from the one above. */
	unlink(path);
	char *one[] = { argv[1], "--vms", "1", "--step", "1", "--output", path, NULL };
	rc = run_limited(one, &out, RLIMIT_NOFILE, 5);
	T_CHECK(rc == 1 && strstr(out, "even one VM needs") &&
		strstr(out, "but RLIMIT_NOFILE allows 5") && strstr(out, "ulimit -Hn"),
		"exit %d: %s", rc, out);
	T_CHECK(access(path, F_OK) < 0, "a refused run wrote %s", path);
	free(out);
	/* AddressSanitizer reserves terabytes of address space: no RLIMIT_AS. */
	if (!strstr(KVMBENCH_SANITIZE, "address")) {
		char *memory[] = { argv[2], "--vms", "1000", "--output", path, NULL };
		rc = run_limited(memory, &out, RLIMIT_AS, 256u << 20);
		T_CHECK(rc == 1, "exit %d: %s", rc, out);
		T_CHECK(strstr(out, "needs about 500 MiB of memory, but RLIMIT_AS leaves") &&
			strstr(out, "ulimit -v"), "message: %s", out);
		T_CHECK(access(path, F_OK) < 0, "a refused run wrote %s", path);
		free(out);

		rc = run_limited(one, &out, RLIMIT_AS, 5000u << 10);
		T_CHECK(rc == 1 && strstr(out, "but RLIMIT_AS leaves this process") &&
			strstr(out, "ulimit -v"), "exit %d: %s", rc, out);
		T_CHECK(access(path, F_OK) < 0, "a refused run wrote %s", path);
		free(out);
	}
	/* Individual memory: two mappings per live VM. */
	char buf[64];
	unsigned long long max_maps = 0;
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
	if (f && fgets(buf, sizeof(buf), f))
		max_maps = strtoull(buf, NULL, 10);
	if (f)
		fclose(f);
	if (max_maps && max_maps / 2 + 100 <= 1000000) {
		char vms[32];
		snprintf(vms, sizeof(vms), "%llu", max_maps / 2 + 100);
		char *maps[] = { argv[2], "--vms", vms, "--memory", "individual", "--output", path,
				 NULL };
		rc = t_run(maps, &out);
		T_CHECK(rc == 1 && strstr(out, "but vm.max_map_count is") &&
			strstr(out, "sysctl -w vm.max_map_count="), "exit %d: %s", rc, out);
		T_CHECK(access(path, F_OK) < 0, "a refused run wrote %s", path);
		free(out);
	}
	t_cleanup();
	return T_EXIT_PASS;
}
