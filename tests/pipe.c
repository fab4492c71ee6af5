/* Description: a closed stdout is not a reason to lose a measurement.
 * The one-shot benchmark with its stdout a pipe that nobody reads any more (as in
 * `kvmbench-<name> | head -1`) finishes the run, writes its result file,
 * complete with every sample, exits 0 and says on stderr where the result
 * is.  Usage: pipe ONE-SHOT-BENCHMARK */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "helpers.h"
#include "record.h"

int main(int argc, char **argv)
{
	char path[512], err[4096] = "";
	int out[2], errp[2], status;
	ssize_t got, len = 0;
	struct record r;
	struct kvm kvm;

	T_CHECK(argc == 2, "usage: pipe ONE-SHOT-BENCHMARK");
	t_kvm_or_skip(&kvm);
	kvm_close(&kvm);
	snprintf(path, sizeof(path), "%s/single.cbor", t_tmpdir());
	char *args[] = { argv[1], "--rounds", "3", "--iterations", "30", "--warmup", "0",
			 "--output", path, NULL };

	T_CHECK(pipe(out) == 0 && pipe(errp) == 0, "pipe");
	/* The reader is gone before the first line is printed. */
	close(out[0]);
	pid_t pid = fork();
	if (pid == 0) {
		/* As a shell starts a pipeline: SIGPIPE at its default. */
		signal(SIGPIPE, SIG_DFL);
		dup2(out[1], 1);
		dup2(errp[1], 2);
		close(errp[0]);
		execv(args[0], args);
		_exit(127);
	}
	close(out[1]);
	close(errp[1]);
	while ((got = read(errp[0], err + len, sizeof(err) - 1 - (size_t)len)) > 0)
		len += got;
	err[len] = 0;
	T_CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
	T_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d (signal %d): %s",
		WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		WIFSIGNALED(status) ? WTERMSIG(status) : 0, err);
	T_CHECK(strstr(err, "result: ") && strstr(err, path), "stderr: %s", err);
	T_CHECK(rec_read(&r, path) == 0, "%s", err_msg());
	T_CHECK(r.complete && r.nseries == 1 && r.series[0].n == 90, "complete %d, %zu samples",
		r.complete, r.nseries ? r.series[0].n : 0);
	rec_free(&r);
	t_cleanup();
	return T_EXIT_PASS;
}
