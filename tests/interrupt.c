/* Description: SIGINT during a long run of every benchmark: the run stops,
 * the VMs are torn down, the result is written with "complete": false, the
 * reason and the samples taken so far, a message says where, and the exit
 * status is 130.  A run interrupted before its first sample writes
 * nothing, and says so or dies of the signal before it catches it (then
 * the test waits twice as long and tries again).  Usage: interrupt
 * SOURCE-TREE BENCHMARK... (paths; each runs as its experiment's line of
 * the plan "long" says, scripts/plan long). */
#include <signal.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "helpers.h"
#include "record.h"
#include "util.h"

static char *plan;	/* the plan "long", as scripts/plan prints it */

/* The options of experiment's line in the plan "long", split on spaces
 * into args (up to max - 1, NULL-ended), copied into line first. */
static void long_run(const char *experiment, char *line, size_t size, char **args, int max)
{
	size_t len = strlen(experiment);
	const char *at = plan;
	int n = 0;

	while (at && (strncmp(at, experiment, len) || (at[len] != ' ' && at[len] != '\t')))
		at = strchr(at, '\n') ? strchr(at, '\n') + 1 : NULL;
	T_CHECK(at && *at, "no long run known for %s: bench/%s/plan has no line of the plan "
		"'long'", experiment, experiment);
	snprintf(line, size, "%.*s", (int)strcspn(at + len, "#\n"), at + len);
	char *save, *word = strtok_r(line, " \t", &save);
	for (; word && n < max - 1; word = strtok_r(NULL, " \t", &save))
		args[n++] = word;
	args[n] = NULL;
}

/* One run of bin, interrupted after wait_ms (stretched by the time scale);
 * false when it had measured nothing yet. */
static bool interrupt_after(const char *bin, uint64_t wait_ms)
{
	const char *base = strrchr(bin, '/') ? strrchr(bin, '/') + 1 : bin;
	char path[512], *argv[40], line[512], *args[32];
	int n = 0, status, pipefd[2];

	T_CHECK(!strncmp(base, "kvmbench-", 9), "%s is no experiment's binary", bin);
	long_run(base + 9, line, sizeof(line), args, 32);
	snprintf(path, sizeof(path), "%s/%s.cbor", t_tmpdir(), base);
	argv[n++] = (char *)bin;
	for (int i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n++] = "--output";
	argv[n++] = path;
	argv[n++] = "--quiet";
	argv[n] = NULL;

	T_CHECK(pipe(pipefd) == 0, "pipe");
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		execv(bin, argv);
		_exit(127);
	}
	close(pipefd[1]);
	t_sleep_ms(wait_ms);
	T_CHECK(kill(pid, SIGINT) == 0, "kill");
	char err[4096] = "";
	ssize_t got, len = 0;
	while ((got = read(pipefd[0], err + len, sizeof(err) - 1 - (size_t)len)) > 0)
		len += got;
	err[len] = 0;
	close(pipefd[0]);
	T_CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77 && strstr(err, "skipped")) {
		printf("%s skipped (a build without what it needs): %s", base, err);
		return true;
	}
	/* Before it catches SIGINT, at its start, a benchmark dies of it,
	 * having measured nothing. */
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) {
		T_CHECK(access(path, F_OK) < 0, "%s: died of SIGINT, but wrote %s", base, path);
		return false;
	}
	T_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 130, "%s: status %d: %s", base,
		WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status), err);
	if (strstr(err, "nothing was measured, no result written")) {
		T_CHECK(access(path, F_OK) < 0, "%s: measured nothing, but wrote %s", base, path);
		return false;
	}
	T_CHECK(strstr(err, "marked incomplete") && strstr(err, path), "%s: message: %s", base,
		err);

	struct record r;
	T_CHECK(rec_read(&r, path) == 0, "%s", err_msg());
	T_CHECK(!r.complete && r.error && strstr(r.error, "interrupted"), "%s: complete %d",
		base, r.complete);
	size_t samples = 0;
	for (size_t i = 0; i < r.nseries; i++)
		samples += r.series[i].n;
	rec_free(&r);
	/* Some keep the run's record before its first sample, and say so. */
	if (!samples && strstr(err, "the run is recorded, without samples")) {
		unlink(path);
		return false;
	}
	T_CHECK(samples > 0, "%s: no samples kept", base);
	return true;
}

/* Interrupted early first (a long wait costs minutes under emulation, and
 * the time a benchmark needs to start differs by a factor of ten), later
 * if it had measured nothing: 8 s at most on a real KVM. */
static void interrupt(const char *bin)
{
	uint64_t wait_ms = 125;

	while (!interrupt_after(bin, wait_ms)) {
		wait_ms *= 2;
		T_CHECK(wait_ms <= 8000, "%s measured nothing in %llu ms (stretched x%u)", bin,
			(unsigned long long)(wait_ms / 2 * t_time_scale()), t_time_scale());
	}
}

int main(int argc, char **argv)
{
	struct kvm kvm;

	T_CHECK(argc >= 3, "usage: interrupt SOURCE-TREE BENCHMARK...");
	char script[512];
	snprintf(script, sizeof(script), "%s/scripts/plan", argv[1]);
	char *list[] = { script, "long", NULL };
	T_CHECK(t_run(list, &plan) == 0, "scripts/plan long: %s", plan ? plan : "");
	t_kvm_or_skip(&kvm);
	kvm_close(&kvm);
	for (int i = 2; i < argc; i++)
		interrupt(argv[i]);
	free(plan);
	t_cleanup();
	return T_EXIT_PASS;
}
