/*
 * What every kvmbench binary shares: the common options, start-up (result
 * path, machine fingerprint, /dev/kvm), signals, and the end of a run
 * (write the result, say where, pick the exit status).
 *
 * Exit status: 0 measured and written; 1 a run-time error (result written,
 * marked incomplete, if anything was measured); 2 bad usage (nothing
 * measured); 128 + signal when interrupted (result written, incomplete).
 */
#ifndef KVMBENCH_BENCH_COMMON_H
#define KVMBENCH_BENCH_COMMON_H

#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "record.h"
#include "sysinfo.h"
#include "vm.h"

#define BENCH_EXIT_USAGE 2

struct bench_common {
	const char *prog;		/* "kvmbench-single" */
	const char *name;		/* "single": the benchmark, in the result */
	const char *file;		/* the result file's base name; NULL: name */
	const char *output;
	const char *results_dir;
	const char *device;
	bool quiet;
	char path[4096];		/* where the result goes */
	struct machine machine;
	struct kvm kvm;
	struct record rec;
};

/* Long options every binary accepts; their getopt codes are below 0x100. */
#define BENCH_COMMON_OPTIONS                                         \
	{ "output", required_argument, NULL, 'o' },                  \
	{ "results-dir", required_argument, NULL, 'R' },             \
	{ "device", required_argument, NULL, 'D' },                  \
	{ "quiet", no_argument, NULL, 'q' },                         \
	{ "help", no_argument, NULL, 'h' }

/* getopt_long's optstring: long options only, errors reported by us. */
#define BENCH_OPTSTRING ":"

/* Set by SIGINT/SIGTERM: the signal number. */
extern volatile sig_atomic_t bench_signal;

/* 1 if opt was a common option (handled), 0 if not. */
int bench_common_option(struct bench_common *c, int opt, const char *arg);
/* The common options' lines of --help. */
void bench_common_help(FILE *f, const char *name);
/* "prog: msg\nTry 'prog --help'." on stderr; returns BENCH_EXIT_USAGE. */
int bench_usage_error(const struct bench_common *c, const char *msg);

/* For getopt's '?' and ':': names the option; returns BENCH_EXIT_USAGE. */
int bench_option_error(const struct bench_common *c, int opt, char **argv);

/* Resolves the result path, probes the machine, opens /dev/kvm, starts the
 * record, catches SIGINT/SIGTERM.  0, or an exit status after printing why. */
int bench_start(struct bench_common *c);

/* Ends the run: err (0 or -errno with err_msg()) or a caught signal marks
 * the result incomplete; writes it unless nothing was measured; returns the
 * exit status. */
int bench_finish(struct bench_common *c, int err, bool measured);

/* "label: median 240.1 us  p90 …  p99 …  min … max …  (N samples)" on stdout. */
void bench_print_summary(const char *label, const uint64_t *v, size_t n);

#endif
