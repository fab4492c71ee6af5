/* Description: no finished run is lost to the way its result is written.
 * A temporary file that a killed run left (its process gone) is removed by
 * the next run, which says so, and one of a live process is left alone; a
 * results
 * directory removed during the run costs nothing: the result goes to
 * $TMPDIR and the message says where; an --output that is a symbolic link
 * to a file is followed: the link stays and the file gets the result.
 * Usage: write ONE-SHOT-BENCHMARK */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "helpers.h"
#include "record.h"

static void stale_removed(const char *bin, const char *dir)
{
	char path[512], stale[600], live[600], *out;

	/* A pid that no process has now: a child that has exited. */
	pid_t gone = fork();
	if (gone == 0)
		_exit(0);
	T_CHECK(waitpid(gone, NULL, 0) == gone, "waitpid");
	snprintf(path, sizeof(path), "%s/stale.cbor", dir);
	snprintf(stale, sizeof(stale), "%s.tmp.%d.0a1b2c", path, (int)gone);
	snprintf(live, sizeof(live), "%s.tmp.%d.0a1b2c", path, (int)getpid());
	t_write_file(stale, "x", 1);
	t_write_file(live, "x", 1);
	char *args[] = { (char *)bin, "--rounds", "1", "--iterations", "5", "--warmup", "0",
			 "--quiet", "--output", path, NULL };
	int rc = t_run(args, &out);
	T_CHECK(rc == 0, "exit %d: %s", rc, out);
	T_CHECK(strstr(out, "removed 1 temporary file of") && strstr(out, "left by runs killed"),
		"no word of the stale file: %s", out);
	T_CHECK(access(stale, F_OK) < 0, "the stale file of pid %d is still there", (int)gone);
	T_CHECK(access(live, F_OK) == 0, "the file of a live process was removed");
	unlink(live);
	unlink(path);
	free(out);
}

static void directory_gone(const char *bin, const char *dir)
{
	char results[512], path[600], tmpdir[600], saved[700];
	struct record r;

	snprintf(results, sizeof(results), "%s/results", dir);
	snprintf(path, sizeof(path), "%s/single.cbor", results);
	snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", dir);
	T_CHECK(mkdir(results, 0755) == 0 && mkdir(tmpdir, 0755) == 0, "mkdir");
	char *args[] = { (char *)bin, "--rounds", "1000", "--iterations", "1000", "--quiet",
			 "--output", path, NULL };
	char *err;
	int fd;
	/* Where the run's result must go instead (t_tmpdir() is made already). */
	setenv("TMPDIR", tmpdir, 1);
	pid_t pid = t_start(args, &fd);
	struct timespec second = { 1, 0 };
	nanosleep(&second, NULL);
	T_CHECK(rmdir(results) == 0, "rmdir %s: %s", results, strerror(errno));
	T_CHECK(kill(pid, SIGINT) == 0, "kill");
	int rc = t_finish(pid, fd, &err);
	T_CHECK(rc == 130, "status %d: %s", rc, err);
	/* kvmbench-<name>.<pid>.cbor: the binary's own name, its default file's. */
	const char *base = strrchr(bin, '/') ? strrchr(bin, '/') + 1 : bin;
	snprintf(saved, sizeof(saved), "%s/%s.%d.cbor", tmpdir, base, (int)pid);
	T_CHECK(strstr(err, "the result is in") && strstr(err, saved), "stderr: %s", err);
	T_CHECK(rec_read(&r, saved) == 0, "%s", err_msg());
	T_CHECK(!r.complete && r.nseries == 1 && r.series[0].n > 0, "complete %d, %zu series",
		r.complete, r.nseries);
	rec_free(&r);
	free(err);
}

static void symlink_followed(const char *bin, const char *dir)
{
	char file[512], link[512], *out;
	struct record r;
	struct stat st;

	snprintf(file, sizeof(file), "%s/real.cbor", dir);
	snprintf(link, sizeof(link), "%s/link.cbor", dir);
	t_write_file(file, "old", 3);
	T_CHECK(symlink(file, link) == 0, "symlink");
	char *args[] = { (char *)bin, "--rounds", "1", "--iterations", "5", "--warmup", "0",
			 "--quiet", "--output", link, NULL };
	int rc = t_run(args, &out);
	T_CHECK(rc == 0, "exit %d: %s", rc, out);
	T_CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode), "the link was replaced");
	T_CHECK(rec_read(&r, file) == 0 && r.complete, "the linked file: %s", err_msg());
	rec_free(&r);
	free(out);
}

int main(int argc, char **argv)
{
	struct kvm kvm;

	T_CHECK(argc == 2, "usage: write ONE-SHOT-BENCHMARK");
	t_kvm_or_skip(&kvm);
	kvm_close(&kvm);
	stale_removed(argv[1], t_tmpdir());
	directory_gone(argv[1], t_tmpdir());
	symlink_followed(argv[1], t_tmpdir());
	t_cleanup();
	return T_EXIT_PASS;
}
