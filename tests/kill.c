/* Description: killed (SIGKILL) while it writes its result, a benchmark
 * leaves no temporary file behind: strace stops the one-shot benchmark at the
 * fchmod of its result file, after the data and before the rename.  Needs
 * strace and ptrace; skips (77), saying why, without them.
 * Usage: kill ONE-SHOT-BENCHMARK */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "util.h"

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	T_CHECK(d, "%s: %s", dir, strerror(errno));
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	static const char *const where[] = { "/usr/bin/strace", "/bin/strace" };
	const char *strace = NULL;
	char dir[512], path[600], *out;
	struct kvm kvm;

	T_CHECK(argc == 2, "usage: kill ONE-SHOT-BENCHMARK");
	t_kvm_or_skip(&kvm);
	kvm_close(&kvm);
	for (size_t i = 0; i < ARRAY_SIZE(where); i++)
		if (access(where[i], X_OK) == 0)
			strace = where[i];
	if (!strace) {
		printf("SKIP: strace is not installed (apt-get install strace)\n");
		return T_EXIT_SKIP;
	}
	snprintf(dir, sizeof(dir), "%s/results", t_tmpdir());
	snprintf(path, sizeof(path), "%s/killed.cbor", dir);
	T_CHECK(mkdir(dir, 0755) == 0, "mkdir");
	char *args[] = { (char *)strace, "-f", "-o", "/dev/null", "-e", "trace=fchmod",
			 "-e", "inject=fchmod:signal=SIGKILL", argv[1], "--rounds", "1",
			 "--iterations", "5", "--warmup", "0", "--quiet", "--output", path, NULL };
	int rc = t_run(args, &out);
	if (strstr(out, "ptrace")) {
		printf("SKIP: strace cannot trace here: %s\n", out);
		return T_EXIT_SKIP;
	}
	T_CHECK(rc == 128 + SIGKILL, "strace did not kill it at the write: exit %d: %s", rc, out);
	T_CHECK(entries(dir) == 0, "a kill while writing left %d file(s) in %s", entries(dir), dir);
	free(out);
	t_cleanup();
	return T_EXIT_PASS;
}
