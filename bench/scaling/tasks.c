/* Description: live VMs are tasks too (one per VM on kernels with x86's NX
 * huge page recovery task), so RLIMIT_NPROC bounds them for a user other
 * than root.  Run as user nobody with RLIMIT_NPROC 16 (soft and hard, set
 * in this test's own child, never machine-wide), through a private copy of
 * the KVM device node that nobody may open: kvmbench-scaling --vms 100
 * stops before starting with a message naming RLIMIT_NPROC, the need and
 * the fix (ulimit -u), exit 1; --vms 2 fits and runs.  Skipped when not
 * root (the test switches user and makes a device node), when the
 * kernel starts no task per VM, or when the node cannot be made here.
 * Usage: tasks PATH-TO-kvmbench-scaling */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "limits.h"

#define NOBODY 65534

struct nobody {
	rlim_t limit;
	const char *bin;
};

/* In the child: RLIMIT_NPROC = limit, then user nobody; 77 if either
 * fails or nobody cannot run the binary. */
static void become_nobody(void *ctx)
{
	const struct nobody *n = ctx;
	struct rlimit rl = { n->limit, n->limit };

	if (setrlimit(RLIMIT_NPROC, &rl) || setgroups(0, NULL) || setgid(NOBODY) ||
	    setuid(NOBODY) || access(n->bin, X_OK))
		_exit(77);
}

/* Runs argv as nobody under RLIMIT_NPROC = limit; output into *out.
 * 77 when the child cannot become nobody or run the binary. */
static int run_as_nobody(char *const argv[], char **out, rlim_t limit)
{
	struct nobody n = { limit, argv[0] };
	int fd;
	pid_t pid = t_start_with(argv, &fd, become_nobody, &n);

	return t_finish(pid, fd, out);
}

int main(int argc, char **argv)
{
	char dir[512], node[600], outdir[600], result[700], *out;
	struct kvm kvm;
	struct stat st;

	T_CHECK(argc == 2, "usage: tasks PATH-TO-kvmbench-scaling");
	t_kvm_or_skip(&kvm);
	kvm_close(&kvm);
	if (getuid() != 0) {
		printf("SKIP: needs root, to make a device node and run as another user\n");
		return T_EXIT_SKIP;
	}
	if (limits_tasks_per_vm() == 0) {
		printf("SKIP: this kernel starts no task per VM (kvm.nx_huge_pages=never)\n");
		return T_EXIT_SKIP;
	}
	T_CHECK(stat("/dev/kvm", &st) == 0 && S_ISCHR(st.st_mode), "/dev/kvm");
	snprintf(dir, sizeof(dir), "%s", t_tmpdir());
	snprintf(node, sizeof(node), "%s/kvm", dir);
	snprintf(outdir, sizeof(outdir), "%s/out", dir);
	T_CHECK(chmod(dir, 0755) == 0 && mkdir(outdir, 0777) == 0 && chmod(outdir, 0777) == 0,
		"%s", strerror(errno));
	if (mknod(node, S_IFCHR | 0666, st.st_rdev) || chmod(node, 0666)) {
		printf("SKIP: cannot make a private KVM device node here: %s\n", strerror(errno));
		t_cleanup();
		return T_EXIT_SKIP;
	}

	snprintf(result, sizeof(result), "%s/s.cbor", outdir);
	char *many[] = { argv[1], "--vms", "100", "--step", "50", "--device", node, "--output",
			 result, NULL };
	int rc = run_as_nobody(many, &out, 16);
	if (rc == 77) {
		printf("SKIP: cannot run %s as user nobody (%s)\n", argv[1], out);
		t_cleanup();
		return T_EXIT_SKIP;
	}
	T_CHECK(rc == 1 && strstr(out, "RLIMIT_NPROC allows user 65534 16") &&
		strstr(out, "needs 100 more tasks") && strstr(out, "ulimit -u"),
		"exit %d: %s", rc, out);
	free(out);

	/* Two VMs fit under the same limit: the check refuses only what does not. */
	char *two[] = { argv[1], "--vms", "2", "--step", "1", "--quiet", "--device", node,
			"--output", result, NULL };
	rc = run_as_nobody(two, &out, 16);
	T_CHECK(rc == 0, "exit %d: %s", rc, out);
	free(out);
	t_cleanup();
	return T_EXIT_PASS;
}
