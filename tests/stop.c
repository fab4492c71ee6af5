/* Description: job control is not a failure.  The in-rounds benchmark is stopped
 * (SIGSTOP, SIGTSTP) for 600 ms and continued, five times, with a run
 * time limit (200 ms: room for a loaded machine) shorter than each stop
 * (both stretched by the time scale of a slow KVM, tests/helpers.h): the
 * run is not aborted
 * (KVM_RUN's EINTR resumes the guest), the watchdog does not fire, the
 * result is complete, no sample holds a stop (each is far shorter than
 * one), and the parameters count the continues and the samples left out.
 * The stops wait until the process catches SIGCONT, and each until it has
 * taken the last continue: a stop signal discards a SIGCONT still pending
 * (POSIX), and under a slow KVM start-up and delivery take longer.  Each
 * stop is seen to stop the process; the run has a process group of its
 * own, or SIGTSTP would not stop it where the test's group is orphaned.
 * Usage: stop IN-ROUNDS-BENCHMARK */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "helpers.h"
#include "record.h"

#define STOP_MS 600

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	nanosleep(&ts, NULL);
}

/* Whether signal sig is in the mask field ("ShdPnd:" pending, "SigCgt:"
 * caught by a handler) of process pid's /proc status. */
static bool in_mask(pid_t pid, const char *field, int sig)
{
	char path[64], line[256];
	size_t len = strlen(field);
	bool found = false, is = false;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	while (f && !found && fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len)) {
			found = true;
			is = strtoull(line + len, NULL, 16) >> (sig - 1) & 1;
		}
	if (f)
		fclose(f);
	return is;
}

/* Whether process pid is stopped ("State:\tT"). */
static bool stopped(pid_t pid)
{
	char path[64], line[256];
	bool is = false;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "State:", 6)) {
			char state = 0;
			is = sscanf(line, "State: %c", &state) == 1 && state == 'T';
			break;
		}
	if (f)
		fclose(f);
	return is;
}

/* The child in a process group of its own, in this session: SIGTSTP stops
 * only a process whose group is not orphaned, and a test run from init
 * (the emulated machine) is in one that is. */
static void own_group(void *ctx)
{
	(void)ctx;
	setpgid(0, 0);
}

/* How many VMs process pid holds: its fds on "anon_inode:kvm-vm". */
static int vms_of(pid_t pid)
{
	char dir[64], path[320], target[64];
	struct dirent *e;
	int n = 0;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	DIR *d = opendir(dir);
	while (d && (e = readdir(d))) {
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		ssize_t len = readlink(path, target, sizeof(target) - 1);
		if (len > 0) {
			target[len] = 0;
			n += !strcmp(target, "anon_inode:kvm-vm");
		}
	}
	if (d)
		closedir(d);
	return n;
}

/* Waits, within the stretched time limit of a run, until sig is (caught)
 * or is no longer (pending) in field. */
static void await_mask(pid_t pid, const char *field, int sig, bool want)
{
	for (uint64_t w = 0; in_mask(pid, field, sig) != want && w < t_scaled_ms(1000); w += 10)
		pause_ms(10);
}

int main(int argc, char **argv)
{
	char path[512], *out;
	struct record r;
	struct kvm kvm;
	uint64_t continued = 0, discarded = 0;

	T_CHECK(argc == 2, "usage: stop IN-ROUNDS-BENCHMARK");
	t_kvm_or_skip(&kvm);
	kvm_close(&kvm);
	snprintf(path, sizeof(path), "%s/rounds.cbor", t_tmpdir());
	char limit[32];
	snprintf(limit, sizeof(limit), "%llu", (unsigned long long)t_scaled_ms(200));
	char *args[] = { argv[1], "--vms", "20", "--rounds", "500", "--guest-timeout", limit,
			 "--quiet", "--output", path, NULL };

	int fd;
	pid_t pid = t_start_with(args, &fd, own_group, NULL);
	/* Into the rounds: once its 40 VMs (20 for each of none and full)
	 * exist, the run is timing rounds.  Creating them takes seconds under
	 * emulation.  The pauses between stops pace them and are not
	 * stretched: the run itself is slower where the KVM is, and must not
	 * end before the fifth stop. */
	for (uint64_t w = 0; vms_of(pid) < 40 && w < t_scaled_ms(10000); w += 10)
		pause_ms(10);
	T_CHECK(vms_of(pid) >= 40, "the run holds %d VMs, not its 40", vms_of(pid));
	/* A continue before its handler is there is not counted. */
	await_mask(pid, "SigCgt:", SIGCONT, true);
	for (int i = 0; i < 5; i++) {
		T_CHECK(kill(pid, i % 2 ? SIGTSTP : SIGSTOP) == 0, "kill");
		for (uint64_t w = 0; !stopped(pid) && w < t_scaled_ms(1000); w += 10)
			pause_ms(10);
		T_CHECK(stopped(pid), "stop %d (%s) did not stop the run", i + 1,
			i % 2 ? "SIGTSTP" : "SIGSTOP");
		t_sleep_ms(STOP_MS);
		T_CHECK(kill(pid, SIGCONT) == 0, "kill");
		pause_ms(150);
		await_mask(pid, "ShdPnd:", SIGCONT, false);
	}
	int rc = t_finish(pid, fd, &out);
	T_CHECK(rc == 0, "status %d: %s", rc, out);

	T_CHECK(rec_read(&r, path) == 0, "%s", err_msg());
	T_CHECK(r.complete, "incomplete: %s", r.error);
	T_CHECK(rec_map_uint(&r.parameters, "continued_after_stop", &continued) == 0 &&
		rec_map_uint(&r.parameters, "samples_discarded_stopped", &discarded) == 0,
		"the stops are not counted in the parameters");
	T_CHECK(continued == 5, "%llu continues counted, 5 made", (unsigned long long)continued);
	/* Nearly all of a rounds run is timed: some stops fell into samples. */
	T_CHECK(discarded >= 1 && discarded <= 5, "%llu samples left out for 5 stops",
		(unsigned long long)discarded);
	for (size_t i = 0; i < r.nseries; i++) {
		const struct rec_series *s = &r.series[i];
		for (size_t k = 0; k < s->n; k++)
			T_CHECK(s->samples[k] < t_scaled_ms(STOP_MS) * 1000000 * 2 / 3,
				"%s sample %zu is %.1f ms: it holds a stop", s->name, k,
				(double)s->samples[k] / 1e6);
	}
	rec_free(&r);
	free(out);
	t_cleanup();
	return T_EXIT_PASS;
}
