/*
 * --runs K: K independent runs of a benchmark, each in a fresh process
 * (this program again, with the same options and --runs 1: fresh VMs,
 * fresh allocator state, its own preflight), one after another, merged into
 * one result file in which every series holds each run's samples in run
 * order (rec_append_runs).  The run, not the sample, is what a comparison
 * rests on: samples of one run are not independent here.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "children.h"
#include "common.h"
#include "err.h"

/* Runs this program again as run i of k, its result into path; returns its
 * exit status (128 + signal when a signal ended it). */
static int run_one(const struct bench_common *c, unsigned i, const char *path)
{
	char **argv = calloc((size_t)c->role.argc + 8, sizeof(*argv));
	char which[32];
	int status;

	if (!argv) {
		fprintf(stderr, "%s: out of memory\n", c->prog);
		return 1;
	}
	for (int a = 0; a < c->role.argc; a++)
		argv[a] = c->role.argv[a];
	snprintf(which, sizeof(which), "%u", i);
	/* Later options win: one run, this one, into this file. */
	int n = c->role.argc;
	argv[n++] = "--runs";
	argv[n++] = "1";
	argv[n++] = "--run-of";
	argv[n++] = which;
	argv[n++] = "--output";
	argv[n++] = (char *)path;
	argv[n] = NULL;
	fflush(stdout);
	/* A signal before exec: the child dies of it, having written nothing
	 * (children_fork holds it back until then). */
	pid_t child = children_fork();
	if (child == 0) {
		execv("/proc/self/exe", argv);
		fprintf(stderr, "%s: cannot run itself again: %s\n", c->prog, strerror(errno));
		_exit(127);
	}
	free(argv);
	if (child < 0) {
		fprintf(stderr, "%s: fork: %s\n", c->prog, strerror(errno));
		return 1;
	}
	status = children_wait(child, NULL);
	if (status < 0) {
		fprintf(stderr, "%s: waitpid: %s\n", c->prog, strerror(errno));
		return 1;
	}
	return status;
}


int bench_runs(struct bench_common *c)
{
	struct record merged;
	unsigned done = 0;
	int status = 0;

	if (children_init(1)) {
		fprintf(stderr, "%s: out of memory\n", c->prog);
		return 1;
	}
	children_forward_signals();
	signal(SIGPIPE, SIG_IGN);
	for (unsigned i = 1; i <= c->opt.runs && !bench_signal; i++) {
		char path[sizeof(c->out.path) + 64];
		struct record run;
		/* A name the next run's preflight would clean up, were this one killed. */
		if (atomic_tmp_name(path, sizeof(path), c->out.path, i)) {
			fprintf(stderr, "%s: %s\n", c->prog, err_msg());
			return 2;
		}
		if (!c->opt.quiet)
			printf("== run %u of %u\n", i, c->opt.runs);
		status = run_one(c, i, path);
		if (access(path, F_OK) == 0) {
			int err = rec_read(&run, path);
			unlink(path);
			if (err) {
				fprintf(stderr, "%s: run %u: %s\n", c->prog, i, err_msg());
				status = status ? status : 1;
				break;
			}
			if (!done)
				merged = run;
			else if (rec_append_runs(&merged, &run, done))
				status = status ? status : 1;
			if (done)
				rec_free(&run);
			done++;
		}
		if (status)
			break;
	}
	if (!done) {
		fprintf(stderr, "%s: nothing was measured, no result written\n", c->prog);
		return status ? status : 1;
	}
	rec_param_uint(&merged, "runs", done);
	/* Interrupted between two runs, the last of them whole: the runs
	 * still stop short, and say so as an interrupted run does. */
	if (bench_signal && !status)
		status = 128 + bench_signal;
	if (done < c->opt.runs) {
		char why[128];
		if (bench_signal)
			snprintf(why, sizeof(why), "interrupted by %s after %u of %u runs",
				 strsignal(bench_signal), done, c->opt.runs);
		else
			snprintf(why, sizeof(why), "a run failed after %u of %u runs", done,
				 c->opt.runs);
		rec_set_incomplete(&merged, why);
	}
	/* Short of runs, or its last run cut short: how many were asked. */
	if (!merged.complete)
		rec_param_uint(&merged, "runs_asked", c->opt.runs);
	c->out.rec = merged;
	if (!c->opt.quiet && !c->out.have_prior)
		bench_runs_summary(c, &merged);
	status = bench_write(c, status);
	rec_free(&c->out.rec);
	return status;
}
