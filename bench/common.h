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
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "record.h"
#include "stats.h"
#include "sysinfo.h"
#include "vm.h"

#define BENCH_EXIT_USAGE 2
/* bench_parse and bench_start: go on (anything else is an exit status). */
#define BENCH_MEASURE (-1)

/* What one live VM costs the machine, for the checks before a run: about
 * 170 KB of kernel memory measured on kvm_pvm, plus a few touched pages;
 * rounded up generously. */
#define LIVE_VM_BYTES (512u << 10)
/* What any run needs before its first VM: descriptors for /dev/kvm, one VM
 * (VM, vCPU, memfds) and the result, beside the limits' own margin; and
 * address space for the guest images, the watchdog's stack and buffers. */
#define VM_FDS 8
#define RUN_BYTES (32u << 20)

/* An experiment's own options, as a table: parsing, --help with every
 * default, range checks and recording into the result all come from it.
 * At most BENCH_MAX_OPTS, ended by { 0 }. */
#define BENCH_MAX_OPTS 48
enum bench_opt_kind { OPT_COUNT, OPT_FLAG, OPT_CHOICE, OPT_SIZE };

struct bench_opt {
	const char *name;		/* long option without "--"; the result's
					 * parameter is the same with '_' for '-' */
	const char *arg;		/* metavariable ("N", "KIND"); NULL for a flag */
	const char *help;		/* may go on over lines, indented by 22 */
	enum bench_opt_kind kind;
	uint64_t *count;		/* OPT_COUNT: value, within [min, max] */
	uint64_t min, max;
	bool *flag;			/* OPT_FLAG */
	int *choice;			/* OPT_CHOICE: index into choices */
	const char *const *choices;	/* NULL-ended */
};

#define BENCH_COUNT(n, a, h, v, lo, hi) \
	{ .name = (n), .arg = (a), .help = (h), .kind = OPT_COUNT, .count = (v), \
	  .min = (lo), .max = (hi) }
/* A size in bytes, given as 65536 or 64K. */
#define BENCH_SIZE(n, a, h, v, lo, hi) \
	{ .name = (n), .arg = (a), .help = (h), .kind = OPT_SIZE, .count = (v), \
	  .min = (lo), .max = (hi) }
#define BENCH_FLAG(n, h, v) { .name = (n), .help = (h), .kind = OPT_FLAG, .flag = (v) }
#define BENCH_CHOICE(n, a, h, v, c) \
	{ .name = (n), .arg = (a), .help = (h), .kind = OPT_CHOICE, .choice = (v), .choices = (c) }

struct bench_common;

/* VM exits of the guest runs a benchmark timed, and what KVM counted in
 * them (vm_count()), recorded by bench_finish() (parameters exits_per_run,
 * io_exits_per_run, other_exits_per_run, exit_counts_vary, runs_counted,
 * kvm_<counter>_per_run). */
struct exit_tally {
	uint64_t runs;
	uint64_t exits;
	uint64_t io;
	uint64_t min, max;	/* exits of one run */
	uint64_t kvm[KVMSTAT_COUNT];
};
struct exit_counts {
	pthread_mutex_t lock;
	struct exit_tally t;
};

/* Progress on stderr, only when it is a terminal and not --quiet:
 * count, rate, time left; redrawn at most 4 times a second. */
struct progress {
	bool on;
	const char *what;
	uint64_t total;
	uint64_t start_ns;
	uint64_t last_ns;
};
void progress_start(struct progress *p, const struct bench_common *c, const char *what,
		    uint64_t total);
void progress_tick(struct progress *p, uint64_t done);
void progress_end(struct progress *p);


/* The shared options, as the command line gave them (options.c). */
struct bench_options {
	const char *output;		/* --output FILE, or NULL */
	const char *results_dir;	/* --results-dir DIR, or NULL */
	const char *device;		/* --device, /dev/kvm by default */
	uint64_t guest_timeout_ms;	/* 0: no limit; bench_parse sets 1000 */
	unsigned runs;			/* --runs K: independent runs (processes) */
	int cpu;			/* --cpu N, or -1 */
	bool append;			/* --append: to the runs in the result file */
	bool quiet;
};

/* This process's part in a --runs (runs.c): the parent that starts each
 * run again as a process of its own, or one of those runs. */
struct bench_role {
	unsigned run_of;		/* this process is run run_of of a --runs; 0: not */
	int argc;			/* the command line as given, for the runs */
	char **argv;
};

/* The result being written (result.c): where, what, and the runs before
 * it that --append keeps. */
struct bench_result {
	char path[4096];		/* where the result goes */
	struct record rec;
	bool have_prior;		/* prior holds them */
	struct record prior;
	struct exit_counts exits;	/* bench_start() readies it */
};

/* A benchmark: what it is (set by its main()), and the separate parts of
 * its run, each passed where it is needed. */
struct bench_common {
	const char *prog;		/* "kvmbench-<name>" */
	const char *name;		/* "<name>": the benchmark, in the result */
	const char *summary;		/* one line for --help */
	const struct bench_opt *opts;	/* ended by { 0 } */
	const char *file;		/* the result file's base name; NULL: name */
	struct bench_options opt;
	struct bench_role role;
	struct bench_result out;
	struct machine machine;		/* the machine map of the result */
	struct kvm kvm;
};

/* Adds a timed run's VM exits and KVM's counts to e (NULL: not counted),
 * outside the timed region; any thread may. */
void bench_count_exits(struct exit_counts *e, const struct vm_result *res);
/* Adds runs' tally, as a worker process counted them. */
void bench_add_exits(struct exit_counts *e, const struct exit_tally *t);

/* Set by SIGINT/SIGTERM: the signal number. */
extern volatile sig_atomic_t bench_signal;

/*
 * Job control: how many times the process was continued (SIGCONT) after a
 * stop (^Z, SIGSTOP).  A timed region that a stop fell into holds the stop,
 * not the work: read bench_continued before the first timestamp, and after
 * the last ask bench_stopped_since(mark), which counts the region as left
 * out (the result's samples_discarded_stopped) and says to drop its samples.
 */
extern volatile sig_atomic_t bench_continued;
bool bench_stopped_since(sig_atomic_t mark);
/* signals.c: SIGCONT counted (job control), SIGINT and SIGTERM ending a
 * run; what job control did, into the result. */
void bench_catch_continue(void);
void bench_catch_interrupt(void);
void bench_record_stops(struct record *rec);

/* Parses argv: c->opts and the common options (--output, --results-dir,
 * --device, --quiet, --help).  BENCH_MEASURE to go on; otherwise the exit status to
 * return at once (0 after --help, BENCH_EXIT_USAGE after a message). */
int bench_parse(struct bench_common *c, int argc, char **argv);
/* "prog: msg\nTry 'prog --help'." on stderr; returns BENCH_EXIT_USAGE. */
int bench_usage_error(const struct bench_common *c, const char *msg);
/* The parameters the options set, into r: what runs must share to be runs
 * of one result (--append). */
int bench_record_invocation(const struct bench_common *c, struct record *r);
/* --append: reads the runs already at c->out.path into c->out.prior, if any; they
 * must be whole runs of this benchmark with these options.  0 when there
 * are none (result.c). */
int bench_prior_read(struct bench_common *c);

/* Resolves the result path, probes the machine, opens /dev/kvm, starts the
 * record with every option of c->opts as a parameter, catches SIGINT and
 * SIGTERM: BENCH_MEASURE, and this process measures.  Otherwise the exit
 * status to return at once: after a message, or as the parent of --runs,
 * whose runs (bench_runs) are all it does. */
int bench_start(struct bench_common *c);

/* Ends the run: err (0 or -errno with err_msg()) or a caught signal marks
 * the result incomplete; writes it unless nothing was measured; returns the
 * exit status. */
int bench_finish(struct bench_common *c, int err, bool measured);
/* Writes c->out.rec to c->out.path, or where it can if that fails at the end, and
 * says where; status: the run's exit status so far.  Returns the final one. */
int bench_write(struct bench_common *c, int status);
/* --runs K > 1, as its parent (bench_start calls it): runs this program K times and
 * merges their results into c->out.path; returns the exit status. */
int bench_runs(struct bench_common *c);
/* "== K runs in PATH" and a line per series: its median over the runs and
 * the spread of the run medians. */
void bench_runs_summary(const struct bench_common *c, const struct record *r);

/* Adds a series of ns samples (the first `warmup` flagged) with one label;
 * label_key NULL for none.  The series' index, or -errno. */
int bench_series(struct bench_common *c, const char *name, const struct samples *s,
		 size_t warmup, const char *label_key, const char *label_value);

/* Step r of an alternating pair runs 0 or 1 first: 0 1 1 0 0 1 1 ... (ABBA),
 * so that a drift in time hits both alike.  Alternate at the finest step
 * the experiment allows: a VM, a round of re-entries. */
static inline int bench_abba(uint64_t r)
{
	return (int)((r + 1) / 2 % 2);
}

/* A single-use VM: create, run to the end port, destroy (vm_oneshot(),
 * bare_oneshot()); *ns its time, KVM's counters read untimed. */
typedef int bench_oneshot_fn(const struct vm_template *t, struct vm_result *res, uint64_t *ns);

/* n single-use VMs by oneshot, each timed into s and its output checked
 * for hello; their exits counted into exits (may be NULL).  res (may be
 * NULL) keeps the last run's result. */
int bench_oneshots(const struct vm_template *t, bench_oneshot_fn *oneshot, uint64_t n,
		   struct samples *s, struct vm_result *res, struct exit_counts *exits,
		   struct progress *p, uint64_t *done);

/* 0 if the guest printed exactly "hello\n" and ended with status 0;
 * otherwise -EIO and a message: the VM did not do the work a sample claims. */
int bench_check_hello(const struct vm_result *res);

/* How bench_live_create() makes each VM. */
struct live_options {
	bool release_vcpu;		/* keep one fd per VM (vm_release_vcpu) */
	/* Called after VM i is made and checked, outside the timed region;
	 * kept: whether its sample is the last one in s (not left out for a
	 * stop of the process). */
	void (*after)(void *ctx, size_t i, bool kept);
	void *ctx;
	struct progress *progress;
	struct exit_counts *exits;	/* the first runs' exits, or NULL */
	/* Set (by a signal handler) to stop making VMs, as bench_signal does
	 * but without interrupting the run; NULL: none. */
	volatile sig_atomic_t *stop;
};

/*
 * Makes vms[0..n) live: create, run to the end port, check hello (entry
 * arguments: vm_template_args()).  The
 * sample per VM (when s is not NULL) is create + that first run; releasing
 * the vCPU is not timed.  Stops at the first error or signal; *made says
 * how many VMs are alive either way.
 */
int bench_live_create(const struct vm_template *t, struct vm *vms, size_t n,
		      struct samples *s, const struct live_options *o, size_t *made);
/* Destroys vms[0..n) in order; per-VM samples into s if not NULL. */
void bench_live_destroy(struct vm *vms, size_t n, struct samples *s);
/* Whether n live VMs of this memory kind can each keep two fds (VM and
 * vCPU) and a kvm_run mapping within this process's limits; else one fd,
 * the vCPU fd closed after its run (lo.release_vcpu). */
bool bench_live_two_fds(uint64_t n, enum vm_memory memory);

/* "label: ratio a/b (medians): x.xxx   note" from samples after warm-up. */
void bench_print_ratio(const char *label, const struct samples *a, size_t warm_a,
		       const struct samples *b, size_t warm_b, const char *note);

/* "label: median 240.1 us  p90 …  p99 …  min … max …  (N samples)" on stdout. */
void bench_print_summary(const char *label, const uint64_t *v, size_t n);

#endif
