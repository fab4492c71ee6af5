/* Description: --runs K makes K independent runs, each a fresh process,
 * in one result file: the one-shot benchmark with --runs 3 gives one series of three
 * runs of 22 samples each (2 of them warm-up), parameter runs = 3, and a
 * summary over 3 runs; the in-rounds benchmark with --runs 2 gives every series two
 * runs.  SIGINT during the second run stops it: exit 130, the result keeps
 * the first run and the second's samples so far, marked incomplete, with
 * runs_asked = 3 (so too where a slow machine let the signal fall into the
 * third run); no temporary file of a run is left.  --append adds runs
 * to those in the file, or starts it, and refuses a file of other options,
 * of another benchmark, or marked incomplete, leaving it as it was.
 * Usage: runs ONE-SHOT-BENCHMARK IN-ROUNDS-BENCHMARK */
#include <dirent.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "helpers.h"
#include "record.h"

static int files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	T_CHECK(d, "opendir");
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	char path[512], *out;
	struct record r;
	struct kvm kvm;
	uint64_t v;

	T_CHECK(argc == 3, "usage: runs ONE-SHOT-BENCHMARK IN-ROUNDS-BENCHMARK");
	t_kvm_or_skip(&kvm);
	kvm_close(&kvm);

	snprintf(path, sizeof(path), "%s/single.cbor", t_tmpdir());
	char *three[] = { argv[1], "--runs", "3", "--rounds", "1", "--iterations", "20",
			  "--warmup", "2", "--output", path, NULL };
	int rc = t_run(three, &out);
	T_CHECK(rc == 0, "exit %d: %s", rc, out);
	T_CHECK(strstr(out, "== run 3 of 3") && strstr(out, "median") &&
		strstr(out, "over 3 runs (run medians"), "output: %s", out);
	free(out);
	T_CHECK(rec_read(&r, path) == 0, "%s", err_msg());
	T_CHECK(r.complete && rec_map_uint(&r.parameters, "runs", &v) == 0 && v == 3,
		"complete %d, runs %llu", r.complete, (unsigned long long)v);
	T_CHECK(r.nseries == 1 && r.series[0].nruns == 3 && r.series[0].n == 66 &&
		r.series[0].runs[0] == 22 && r.series[0].runs[2] == 22 && r.series[0].warmup == 2,
		"%zu runs, %zu samples", r.nseries ? r.series[0].nruns : 0,
		r.nseries ? r.series[0].n : 0);
	rec_free(&r);

	/* Two more runs, appended: five, in order. */
	char *more[] = { argv[1], "--runs", "2", "--rounds", "1", "--iterations", "20",
			 "--warmup", "2", "--output", path, "--append", NULL };
	rc = t_run(more, &out);
	T_CHECK(rc == 0 && strstr(out, "== 5 runs in") && strstr(out, "over 5 runs"),
		"exit %d: %s", rc, out);
	free(out);
	T_CHECK(rec_read(&r, path) == 0, "%s", err_msg());
	T_CHECK(r.complete && rec_map_uint(&r.parameters, "runs", &v) == 0 && v == 5 &&
		r.series[0].nruns == 5 && r.series[0].n == 110, "runs %llu, %zu runs held",
		(unsigned long long)v, r.series[0].nruns);
	rec_free(&r);
	/* Other options, another benchmark: refused, the file as it was. */
	char *other[] = { argv[1], "--rounds", "1", "--iterations", "21", "--warmup", "2",
			  "--output", path, "--append", NULL };
	rc = t_run(other, &out);
	T_CHECK(rc == 2 && strstr(out, "had iterations 20, this one 21"), "exit %d: %s", rc, out);
	free(out);
	char *foreign[] = { argv[2], "--vms", "1", "--rounds", "1", "--output", path, "--append",
			    NULL };
	rc = t_run(foreign, &out);
	T_CHECK(rc == 2 && strstr(out, "holds a result of 'single'"), "exit %d: %s", rc, out);
	free(out);
	T_CHECK(rec_read(&r, path) == 0 && r.series[0].nruns == 5, "the refused runs changed it");
	rec_free(&r);

	snprintf(path, sizeof(path), "%s/rounds.cbor", t_tmpdir());
	/* --append with nothing there yet starts the file. */
	char *first[] = { argv[2], "--vms", "1", "--rounds", "2", "--quiet", "--output", path,
			  "--append", NULL };
	rc = t_run(first, &out);
	T_CHECK(rc == 0, "exit %d: %s", rc, out);
	free(out);
	T_CHECK(rec_read(&r, path) == 0 && r.nseries && r.series[0].nruns == 1, "%s",
		err_msg());
	rec_free(&r);
	unlink(path);
	char *two[] = { argv[2], "--runs", "2", "--vms", "3", "--rounds", "4", "--quiet",
			"--output", path, NULL };
	rc = t_run(two, &out);
	T_CHECK(rc == 0, "exit %d: %s", rc, out);
	free(out);
	T_CHECK(rec_read(&r, path) == 0, "%s", err_msg());
	T_CHECK(r.nseries == 4, "%zu series", r.nseries);
	for (size_t i = 0; i < r.nseries; i++)
		T_CHECK(r.series[i].nruns == 2 && r.series[i].runs[0] == 15 &&
			r.series[i].runs[1] == 15, "series %zu: %zu runs", i, r.series[i].nruns);
	rec_free(&r);
	unlink(path);

	/* Interrupted in the second of three runs. */
	snprintf(path, sizeof(path), "%s/single.cbor", t_tmpdir());
	unlink(path);
	char *long_runs[] = { argv[1], "--runs", "3", "--rounds", "1", "--iterations", "400",
			      "--warmup", "0", "--output", path, NULL };
	int fd;
	pid_t pid = t_start(long_runs, &fd);
	/* Into the second run: its header is out. */
	char seen[4096] = "";
	size_t len = 0;
	while (!strstr(seen, "== run 2 of 3") && len < sizeof(seen) - 1) {
		ssize_t got = read(fd, seen + len, sizeof(seen) - 1 - len);
		T_CHECK(got > 0, "the runs ended before the second: %s", seen);
		len += (size_t)got;
		seen[len] = 0;
	}
	t_sleep_ms(100);
	T_CHECK(kill(pid, SIGINT) == 0, "kill");
	rc = t_finish(pid, fd, &out);
	T_CHECK(rc == 130, "exit %d: %s", rc, out);
	T_CHECK(strstr(out, "marked incomplete") && !strstr(out, ".tmp."), "output: %s", out);
	free(out);
	T_CHECK(rec_read(&r, path) == 0, "%s", err_msg());
	T_CHECK(!r.complete && strstr(r.error, "interrupted") &&
		rec_map_uint(&r.parameters, "runs_asked", &v) == 0 && v == 3,
		"complete %d, error %s", r.complete, r.error ? r.error : "-");
	T_CHECK(r.series[0].nruns >= 1 && r.series[0].runs[0] == 400, "run 1: %zu samples",
		r.series[0].runs[0]);
	rec_free(&r);
	/* Its last run is not whole: no run goes after it. */
	rc = t_run(more, &out);
	T_CHECK(rc == 2 && strstr(out, "marked incomplete"), "exit %d: %s", rc, out);
	free(out);
	T_CHECK(rec_read(&r, path) == 0 && !r.complete, "the incomplete file changed");
	rec_free(&r);
	T_CHECK(files(t_tmpdir()) == 1, "a run's temporary file was left: %d files",
		files(t_tmpdir()));
	t_cleanup();
	return T_EXIT_PASS;
}
