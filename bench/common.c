#define _GNU_SOURCE	/* sched_setaffinity */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "clock.h"
#include "cli.h"
#include "common.h"
#include "err.h"
#include "escape.h"
#include "floor.h"
#include "limits.h"
#include "stats.h"
#include "util.h"
#include "watchdog.h"

volatile sig_atomic_t bench_signal;
volatile sig_atomic_t bench_continued;
/* Timed regions left out because the process was stopped inside them. */
static _Atomic uint64_t stopped_regions;

void bench_add_exits(struct exit_counts *e, uint64_t runs, uint64_t exits, uint64_t io,
		     uint64_t min, uint64_t max)
{
	if (!e || !runs)
		return;
	/* Threads of kvmbench-concurrent count here too; outside timed regions. */
	pthread_mutex_lock(&e->lock);
	if (!e->runs || min < e->min)
		e->min = min;
	if (max > e->max)
		e->max = max;
	e->runs += runs;
	e->exits += exits;
	e->io += io;
	pthread_mutex_unlock(&e->lock);
}

void bench_count_exits(struct exit_counts *e, const struct vm_result *res)
{
	bench_add_exits(e, 1, res->exits, res->exits_io, res->exits, res->exits);
}

static void record_exits(struct record *rec, const struct exit_counts *e)
{
	if (!e->runs)
		return;
	/* Whole numbers when every run took the same exits, as the guests do. */
	rec_param_uint(rec, "exits_per_run", (e->exits + e->runs / 2) / e->runs);
	rec_param_uint(rec, "io_exits_per_run", (e->io + e->runs / 2) / e->runs);
	rec_param_uint(rec, "other_exits_per_run", (e->exits - e->io + e->runs / 2) / e->runs);
	rec_param_bool(rec, "exit_counts_vary", e->min != e->max);
	rec_param_uint(rec, "runs_counted", e->runs);
}

/* What job control did to the run: how often it was continued after a
 * stop, and how many timed regions were left out for holding the stop. */
static void record_stops(struct record *rec)
{
	rec_param_uint(rec, "continued_after_stop", (uint64_t)bench_continued);
	rec_param_uint(rec, "samples_discarded_stopped", atomic_load(&stopped_regions));
}

static void on_signal(int sig)
{
	bench_signal = sig;
	watchdog_stop_runs();
}

static void on_continue(int sig)
{
	(void)sig;
	bench_continued++;
}

bool bench_stopped_since(sig_atomic_t mark)
{
	if (bench_continued == mark)
		return false;
	atomic_fetch_add(&stopped_regions, 1);
	return true;
}

enum { OPT_OUTPUT = 0x100, OPT_RESULTS_DIR, OPT_DEVICE, OPT_TIMEOUT, OPT_RUNS, OPT_RUN_OF,
       OPT_CPU, OPT_APPEND, OPT_QUIET, OPT_HELP, OPT_OWN };

static size_t count_opts(const struct bench_opt *o)
{
	size_t n = 0;

	while (o && o[n].name)
		n++;
	return n;
}

static void print_opt(const char *name, const char *arg, const char *help, const char *dflt)
{
	char left[64];

	snprintf(left, sizeof(left), "--%s%s%s", name, arg ? " " : "", arg ? arg : "");
	printf("  %-19s %s%s%s%s\n", left, help, dflt ? " (default " : "", dflt ? dflt : "",
	       dflt ? ")" : "");
}

static void help(const struct bench_common *c)
{
	char dflt[64];

	printf("Usage: %s [OPTION]...\n%s\n\n", c->prog, c->summary);
	for (const struct bench_opt *o = c->opts; o && o->name; o++) {
		const char *d = dflt;
		if (o->kind == OPT_COUNT || o->kind == OPT_SIZE)
			snprintf(dflt, sizeof(dflt), "%llu", (unsigned long long)*o->count);
		else if (o->kind == OPT_CHOICE)
			d = o->choices[*o->choice];
		else
			d = NULL;
		print_opt(o->name, o->arg, o->help, d);
	}
	snprintf(dflt, sizeof(dflt), "results/<host>-<kernel>/%s.cbor", c->file ? c->file : c->name);
	print_opt("output", "FILE", "write the result there", dflt);
	print_opt("results-dir", "DIR", "write the result into DIR instead", NULL);
	print_opt("device", "PATH", "the KVM device", "/dev/kvm");
	print_opt("guest-timeout", "MS", "stop a guest run after MS milliseconds, 0: never", "1000");
	print_opt("runs", "K", "K independent runs, each a fresh process, in one result", "1");
	print_opt("append", NULL, "add the runs to those already in the result file (same "
		  "options), to spread a result's runs over time", NULL);
	print_opt("cpu", "N", "pin the process (and the VMs' vCPU threads) to CPU N", NULL);
	print_opt("quiet", NULL, "print only errors", NULL);
	print_opt("help", NULL, "print this help", NULL);
}

static int parse_own(const struct bench_opt *o, const char *arg)
{
	char option[64];

	snprintf(option, sizeof(option), "--%s", o->name);
	switch (o->kind) {
	case OPT_COUNT:
		return cli_count(option, arg, o->min, o->max, o->count);
	case OPT_SIZE:
		return cli_size(option, arg, o->min, o->max, o->count);
	case OPT_FLAG:
		*o->flag = true;
		return 0;
	case OPT_CHOICE:
		for (int i = 0; o->choices[i]; i++) {
			if (!strcmp(arg, o->choices[i])) {
				*o->choice = i;
				return 0;
			}
		}
		char list[256] = "";
		for (int i = 0; o->choices[i]; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 i ? ", " : "", o->choices[i]);
		return err_set(-EINVAL, "%s: '%s' is not one of %s", option, arg, list);
	}
	return -EINVAL;
}

int bench_parse(struct bench_common *c, int argc, char **argv)
{
	static const struct option common[] = {
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "results-dir", required_argument, NULL, OPT_RESULTS_DIR },
		{ "device", required_argument, NULL, OPT_DEVICE },
		{ "guest-timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "runs", required_argument, NULL, OPT_RUNS },
		{ "run-of", required_argument, NULL, OPT_RUN_OF },	/* --runs' own */
		{ "cpu", required_argument, NULL, OPT_CPU },
		{ "append", no_argument, NULL, OPT_APPEND },
		{ "quiet", no_argument, NULL, OPT_QUIET },
		{ "help", no_argument, NULL, OPT_HELP },
	};
	/* The common options, an experiment's own, and getopt's ending { 0 }. */
	struct option longopts[ARRAY_SIZE(common) + BENCH_MAX_OPTS + 1] = { { 0 } };
	size_t n = count_opts(c->opts);
	char msg[256];
	int opt;

	if (n > BENCH_MAX_OPTS)
		return bench_usage_error(c, "too many options");
	c->guest_timeout_ms = 1000;
	c->runs = 1;
	c->cpu = -1;
	c->argc = argc;
	c->argv = argv;
	memcpy(longopts, common, sizeof(common));
	for (size_t i = 0; i < n; i++)
		longopts[ARRAY_SIZE(common) + i] = (struct option){ c->opts[i].name,
			c->opts[i].arg ? required_argument : no_argument, NULL, OPT_OWN + (int)i };
	/* A leading ':' in optstring: getopt reports nothing, we do. */
	while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_OUTPUT:
			c->output = optarg;
			break;
		case OPT_RESULTS_DIR:
			c->results_dir = optarg;
			break;
		case OPT_DEVICE:
			c->device = optarg;
			break;
		case OPT_TIMEOUT:
			if (cli_count("--guest-timeout", optarg, 0, 3600000, &c->guest_timeout_ms))
				return bench_usage_error(c, err_msg());
			break;
		case OPT_RUNS:
		case OPT_RUN_OF: {
			uint64_t k;
			if (cli_count(opt == OPT_RUNS ? "--runs" : "--run-of", optarg, 1, 64, &k))
				return bench_usage_error(c, err_msg());
			*(opt == OPT_RUNS ? &c->runs : &c->run_of) = (unsigned)k;
			break;
		}
		case OPT_CPU: {
			uint64_t cpu;
			if (cli_count("--cpu", optarg, 0, CPU_SETSIZE - 1, &cpu))
				return bench_usage_error(c, err_msg());
			c->cpu = (int)cpu;
			break;
		}
		case OPT_APPEND:
			c->append = true;
			break;
		case OPT_QUIET:
			c->quiet = true;
			break;
		case OPT_HELP:
			help(c);
			return 0;
		case ':':
		case '?':
			/* getopt names a known option given a value it does not take
			 * (--quiet=1) in optopt. */
			if (opt == '?' && optopt && strchr(argv[optind - 1], '='))
				snprintf(msg, sizeof(msg), "option '%.*s' takes no value",
					 (int)(strchr(argv[optind - 1], '=') - argv[optind - 1]),
					 argv[optind - 1]);
			else
				snprintf(msg, sizeof(msg), opt == ':' ? "option '%s' is missing its "
					 "argument" : "unknown option '%s'", argv[optind - 1]);
			return bench_usage_error(c, msg);
		default:
			if (parse_own(&c->opts[opt - OPT_OWN], optarg))
				return bench_usage_error(c, err_msg());
		}
	}
	if (optind < argc) {
		snprintf(msg, sizeof(msg), "unexpected argument '%s'", argv[optind]);
		return bench_usage_error(c, msg);
	}
	return -1;
}

int bench_usage_error(const struct bench_common *c, const char *msg)
{
	fprintf(stderr, "%s: %s\nTry '%s --help'.\n", c->prog, msg, c->prog);
	return BENCH_EXIT_USAGE;
}

static int record_options(const struct bench_common *c, struct record *r)
{
	int err = 0;

	for (const struct bench_opt *o = c->opts; o && o->name && !err; o++) {
		char key[64];
		snprintf(key, sizeof(key), "%s", o->name);
		for (char *k = key; *k; k++)
			*k = *k == '-' ? '_' : *k;
		if (o->kind == OPT_COUNT || o->kind == OPT_SIZE)
			err = rec_param_uint(r, key, *o->count);
		else if (o->kind == OPT_FLAG)
			err = rec_param_bool(r, key, *o->flag);
		else
			err = rec_param_text(r, key, o->choices[*o->choice]);
	}
	return err;
}

/* The parameters the options set, into r: what runs must share to be
 * runs of one result (--append). */
static int record_invocation(const struct bench_common *c, struct record *r)
{
	return record_options(c, r) ?: rec_param_uint(r, "guest_timeout_ms", c->guest_timeout_ms) ?:
	       (c->cpu >= 0 ? rec_param_uint(r, "cpu", (uint64_t)c->cpu) :
		rec_param_text(r, "cpu", "not pinned"));
}

static void value_shown(const struct rec_value *v, char *out, size_t size)
{
	if (!v)
		snprintf(out, size, "nothing");
	else if (v->type == REC_UINT)
		snprintf(out, size, "%llu", (unsigned long long)v->u);
	else if (v->type == REC_BOOL)
		snprintf(out, size, "%s", v->b ? "true" : "false");
	else if (v->type == REC_TEXT)
		esc_terminal(v->text, out, size);
	else
		snprintf(out, size, "a map");
}

static bool same_value(const struct rec_value *a, const struct rec_value *b)
{
	return a && b && a->type == b->type &&
	       (a->type == REC_UINT ? a->u == b->u : a->type == REC_BOOL ? a->b == b->b :
		a->type == REC_TEXT ? !strcmp(a->text, b->text) : false);
}

/*
 * --append: reads the runs already at c->path into c->prior, if there are
 * any; they must be whole runs of this benchmark with these options, or
 * the runs would not be runs of one thing.  0 when there are none.
 */
static int prior_read(struct bench_common *c)
{
	struct record inv;
	int err;

	if (access(c->path, F_OK) != 0)
		return 0;
	if ((err = rec_read(&c->prior, c->path)) != 0)
		return err_set(err, "--append: %s", err_msg());
	c->have_prior = true;
	if (strcmp(c->prior.benchmark, c->name))
		return err_set(-EINVAL, "--append: %s holds a result of '%s', not of %s: give "
			       "another --output", c->path, ESC_SHOWN(c->prior.benchmark), c->name);
	if (!c->prior.complete)
		return err_set(-EINVAL, "--append: %s is marked incomplete (%s): its last run is "
			       "not whole; start it again without --append", c->path,
			       ESC_SHOWN(c->prior.error ? c->prior.error : "no reason given"));
	if ((err = rec_init(&inv, c->name)) != 0 || (err = record_invocation(c, &inv)) != 0)
		return err;
	for (size_t i = 0; i < inv.parameters.n && !err; i++) {
		const struct rec_kv *kv = &inv.parameters.kv[i];
		const struct rec_value *was = rec_map_get(&c->prior.parameters, kv->key);
		char then[128], now[128];
		if (same_value(was, &kv->v))
			continue;
		value_shown(was, then, sizeof(then));
		value_shown(&kv->v, now, sizeof(now));
		err = err_set(-EINVAL, "--append: the runs in %s had %s %s, this one %s: runs with "
			      "other options are not runs of one result; give another --output",
			      c->path, kv->key, then, now);
	}
	rec_free(&inv);
	return err;
}

/* A --device that cannot be KVM is a usage error, found before anything. */
static int check_device(const struct bench_common *c)
{
	struct stat st;

	if (!c->device)
		return 0;
	if (!*c->device)
		return err_set(-EINVAL, "--device: the path is empty: name the KVM device "
			       "(/dev/kvm)");
	if (stat(c->device, &st) < 0 && errno == ENOENT)
		return err_set(-ENOENT, "--device: %s does not exist (the KVM device is "
			       "/dev/kvm)", c->device);
	if (stat(c->device, &st) < 0)
		return err_errno(-errno, "--device: cannot reach %s", c->device);
	if (!S_ISCHR(st.st_mode))
		return err_set(-ENODEV, "--device: %s is %s, not a device (the KVM device is "
			       "/dev/kvm)", c->device, file_kind(st.st_mode));
	return 0;
}

int bench_start(struct bench_common *c)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct sigaction cont = { .sa_handler = on_continue, .sa_flags = SA_RESTART };
	char path[sizeof(c->path)];
	int stale;

	pthread_mutex_init(&c->exits.lock, NULL);
	if (cli_output_path(path, sizeof(path), c->file ? c->file : c->name, c->output,
			    c->results_dir) ||
	    atomic_prepare(path, c->path, sizeof(c->path), &stale) || check_device(c))
		return bench_usage_error(c, err_msg());
	if (stale)
		fprintf(stderr, "%s: removed %d temporary file%s of %s left by runs killed while "
			"writing it\n", c->prog, stale, stale > 1 ? "s" : "", c->path);
	if (c->append && !c->run_of && prior_read(c)) {
		int status = bench_usage_error(c, err_msg());
		if (c->have_prior)
			rec_free(&c->prior);
		c->have_prior = false;
		return status;
	}
	if (c->cpu >= 0) {
		cpu_set_t one;
		CPU_ZERO(&one);
		CPU_SET(c->cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one) < 0) {
			err_errno(-errno, "--cpu %d: cannot run there (is it online, and ours?)",
				  c->cpu);
			return bench_usage_error(c, err_msg());
		}
	}
	/* The runs, each a process of its own, and their one result. */
	if (c->runs > 1 && !c->run_of)
		exit(bench_runs(c));
	/* A reader that goes away (| head) must not cost the measurement:
	 * printing stops mattering, the run goes on and its file is written. */
	signal(SIGPIPE, SIG_IGN);
	/* Job control: a stop inside a timed region is seen and left out. */
	sigemptyset(&cont.sa_mask);
	sigaction(SIGCONT, &cont, NULL);
	machine_probe(&c->machine);
	/* A noisy machine is said, and recorded; never refused. */
	char noise[256];
	machine_noise(&c->machine, noise, sizeof(noise));
	if (rec_init(&c->rec, c->name) || machine_record(&c->rec, &c->machine) ||
	    rec_param_text(&c->rec, "noise_warnings", noise[0] ? noise : "none") ||
	    record_invocation(c, &c->rec) || rec_param_uint(&c->rec, "runs", 1)) {
		fprintf(stderr, "%s: %s\n", c->prog, err_msg());
		return 1;
	}
	/* Room for one VM at least, before the first descriptor or thread. */
	int err = limits_nofile(VM_FDS, "even one VM") ?:
		  limits_memory(RUN_BYTES, "a run (guest memory, the watchdog, buffers)");
	if (!err && (err = kvm_open(&c->kvm, c->device)) != 0 && c->device &&
	    err != -EACCES && err != -EPERM) {
		/* A device that exists but does not speak KVM: the option is wrong. */
		char msg[600];
		snprintf(msg, sizeof(msg), "--device: %s is not a KVM device (%s)", c->device,
			 err_msg());
		rec_free(&c->rec);
		return bench_usage_error(c, msg);
	}
	if (err || (c->guest_timeout_ms && watchdog_start(c->guest_timeout_ms * 1000000))) {
		fprintf(stderr, "%s: %s\n", c->prog, err_msg());
		if (err == -ENOENT && !c->device)
			fprintf(stderr, "%s: without a KVM, make test still checks the suite: it runs "
				"the VM tests in an emulated machine with a KVM inside (scripts/vm); "
				"timings taken there are the emulator's, nobody's numbers\n", c->prog);
		if (!err)
			kvm_close(&c->kvm);
		rec_free(&c->rec);
		return 1;
	}
	/* No SA_RESTART: a signal must end a KVM_RUN in progress. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (noise[0] && !c->quiet)
		fprintf(stderr, "%s: warning: the machine is not quiet (%s): runs will spread "
			"more than they need to\n", c->prog, noise);
	/* With --quiet the result file (machine.emulator) and every report say it. */
	if (strcmp(c->machine.emulator, "none") && !c->quiet)
		fprintf(stderr, "%s: warning: this CPU is emulated (%s): every timing here is "
			"the emulator's, nobody's number; the run checks the suite, it measures "
			"no KVM\n", c->prog, c->machine.emulator);
	return 0;
}

/* Where a result goes when its own path fails at the end: beside it, as
 * <name>.<pid>.cbor, or else in $TMPDIR (or /tmp). */
static int write_elsewhere(const struct bench_common *c, char *path, size_t size)
{
	const char *name = c->file ? c->file : c->name, *tmp = getenv("TMPDIR");
	char dir[sizeof(c->path)];
	int err;

	snprintf(dir, sizeof(dir), "%s", c->path);
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = 0;
	else
		snprintf(dir, sizeof(dir), ".");
	err = snprintf(path, size, "%s/%s.%d.cbor", dir, name, (int)getpid()) < (int)size ?
	      rec_write(&c->rec, path) : -ENAMETOOLONG;
	if (err)
		err = snprintf(path, size, "%s/kvmbench-%s.%d.cbor", tmp && *tmp ? tmp : "/tmp",
			       name, (int)getpid()) < (int)size ? rec_write(&c->rec, path) :
		      err_set(-ENAMETOOLONG, "$TMPDIR is too long a path");
	return err;
}

int bench_write(struct bench_common *c, int status)
{
	char saved[sizeof(c->path)];
	char why[128];

	snprintf(why, sizeof(why), "interrupted by %s", bench_signal ? strsignal(bench_signal) : "");
	if (c->have_prior) {
		/* --append: the runs before, then these. */
		size_t had = rec_nruns(&c->prior);
		c->have_prior = false;
		if (rec_append_runs(&c->prior, &c->rec, had) ||
		    rec_param_uint(&c->prior, "runs", had + rec_nruns(&c->rec))) {
			fprintf(stderr, "%s: --append: %s\n", c->prog, err_msg());
			rec_free(&c->prior);
			if (write_elsewhere(c, saved, sizeof(saved)) == 0)
				fprintf(stderr, "%s: this run alone is in %s\n", c->prog, saved);
			return status ? status : 1;
		}
		rec_free(&c->rec);
		c->rec = c->prior;
		if (!c->quiet)
			bench_runs_summary(c, &c->rec);
	}
	if (rec_write(&c->rec, c->path)) {
		/* Checked before the run, failing now: keep the run elsewhere. */
		fprintf(stderr, "%s: %s\n", c->prog, err_msg());
		if (write_elsewhere(c, saved, sizeof(saved)) == 0)
			fprintf(stderr, "%s: the result is in %s instead\n", c->prog, saved);
		else
			fprintf(stderr, "%s: %s; the result is lost\n", c->prog, err_msg());
		return status ? status : 1;
	}
	if (status && c->run_of) {
		/* One of --runs' runs: the runs' parent says where the result is. */
	} else if (status) {
		/* An error's message is out already; a signal's is not. */
		fprintf(stderr, "%s: %s%s%s in %s, marked incomplete\n", c->prog,
			bench_signal ? why : "", bench_signal ? "; " : "",
			c->rec.nseries ? "what was measured is" :
			"the run is recorded, without samples,", c->path);
	} else if (!c->quiet && !c->run_of) {
		/* Where the result is must be said, stdout gone or not. */
		fflush(stdout);
		fprintf(ferror(stdout) ? stderr : stdout, "result: %s\n", c->path);
	}
	return status;
}

/* What a guest that never ended has been seen to mean on the KVM at hand,
 * or "".  kvm_amd with nested paging, on a CPU that QEMU emulates: hello
 * ran (three times slower than with npt=0), but the guests that save the
 * FPU state below their stack and compare it with read-only data
 * (inspect, rounds) never reached their end port, 30 s given. */
static const char *timeout_hint(const struct bench_common *c, int err)
{
	const struct machine *m = &c->machine;

	if (err != -ETIMEDOUT || !strcmp(m->emulator, "none") || strcmp(m->kvm_module, "kvm_amd"))
		return "";
	for (size_t i = 0; i < m->nparams; i++)
		if (!strcmp(m->params[i].name, "kvm_amd.npt") &&
		    (!strcmp(m->params[i].value, "Y") || !strcmp(m->params[i].value, "1")))
			return "; kvm_amd's nested paging (npt=Y) under QEMU's software emulation "
			       "has been seen to leave such guests running forever: boot with "
			       "kvm_amd.npt=0, scripts/vm's default there (docs/emulated-kvm.md)";
	return "";
}

int bench_finish(struct bench_common *c, int err, bool measured)
{
	int status = 0;
	char why[640];

	if (bench_signal) {
		snprintf(why, sizeof(why), "interrupted by %s", strsignal(bench_signal));
		status = 128 + bench_signal;
	} else if (err) {
		snprintf(why, sizeof(why), "%s%s", err_msg(), timeout_hint(c, err));
		fprintf(stderr, "%s: %s\n", c->prog, why);
		status = 1;
	}
	if (status)
		rec_set_incomplete(&c->rec, why);
	record_exits(&c->rec, &c->exits);
	record_stops(&c->rec);
	char load[32], runnable[32];
	sysinfo_load(load, sizeof(load), runnable, sizeof(runnable));
	rec_machine_text(&c->rec, "load_end", load);
	rec_machine_text(&c->rec, "runnable_end", runnable);
	if (measured)
		status = bench_write(c, status);
	else if (status)
		fprintf(stderr, "%s: nothing was measured, no result written\n", c->prog);
	kvm_close(&c->kvm);
	rec_free(&c->rec);
	return status;
}

void bench_print_summary(const char *label, const uint64_t *v, size_t n)
{
	struct summary s;

	if (stats_summarize(v, n, &s))
		return;
	printf("%s: median %.1f us  p90 %.1f us  p99 %.1f us  min %.1f us  max %.1f us  "
	       "(%zu samples, one run)\n", label, s.median / 1e3, s.p90 / 1e3, s.p99 / 1e3,
	       s.min / 1e3, s.max / 1e3, s.n);
}

int bench_series(struct bench_common *c, const char *name, const struct samples *s,
		 size_t warmup, const char *label_key, const char *label_value)
{
	int i = rec_add_series(&c->rec, name, s->v, s->n, warmup < s->n ? warmup : s->n);

	if (i >= 0 && label_key) {
		int err = rec_series_label(&c->rec, i, label_key, label_value);
		if (err)
			return err;
	}
	return i;
}

int bench_oneshots(const struct vm_template *t, bench_oneshot_fn *oneshot, uint64_t n,
		   struct samples *s, struct vm_result *last, struct exit_counts *exits,
		   struct progress *p, uint64_t *done)
{
	/* Zeroed once, not 4 KiB per call: floor and memory call this per VM. */
	static _Thread_local struct vm_result own;
	struct vm_result *res = last ? last : &own;

	for (uint64_t i = 0; i < n && !bench_signal; i++) {
		sig_atomic_t mark = bench_continued;
		uint64_t t0 = clock_ns();
		int err = oneshot(t, res);
		uint64_t t1 = clock_ns();
		if (err || (err = bench_check_hello(res)))
			return err;
		if (!bench_stopped_since(mark))
			samples_add(s, t1 - t0);
		bench_count_exits(exits, res);
		if (p)
			progress_tick(p, ++*done);
	}
	return 0;
}

void bench_print_ratio(const char *label, const struct samples *a, size_t warm_a,
		       const struct samples *b, size_t warm_b, const char *note)
{
	struct summary x, y;

	if (a->n > warm_a && b->n > warm_b &&
	    !stats_summarize(a->v + warm_a, a->n - warm_a, &x) &&
	    !stats_summarize(b->v + warm_b, b->n - warm_b, &y))
		printf("%s (medians): %.3f%s%s\n", label, x.median / y.median, note ? "   " : "",
		       note ? note : "");
}

int bench_check_hello(const struct vm_result *res)
{
	static const char hello[] = "hello\n";

	if (res->status)
		return err_set(-EIO, "guest ended with status 0x%x instead of 0", res->status);
	if (res->out_len != sizeof(hello) - 1 || memcmp(res->out, hello, res->out_len))
		return err_set(-EIO, "guest printed '%.*s' (%zu bytes) instead of 'hello\\n'",
			       (int)(res->out_len > 64 ? 64 : res->out_len), res->out,
			       res->out_len);
	return 0;
}

void progress_start(struct progress *p, const struct bench_common *c, const char *what,
		    uint64_t total)
{
	p->on = !c->quiet && isatty(STDERR_FILENO);
	p->what = what;
	p->total = total;
	p->start_ns = p->last_ns = clock_ns();
}

void progress_tick(struct progress *p, uint64_t done)
{
	if (!p->on)
		return;
	uint64_t now = clock_ns();
	if (now - p->last_ns < 250000000u && done != p->total)
		return;
	p->last_ns = now;
	double secs = (double)(now - p->start_ns) / 1e9;
	double rate = secs > 0 ? (double)done / secs : 0;
	double left = rate > 0 ? (double)(p->total - done) / rate : 0;
	fprintf(stderr, "\r  %llu/%llu %s  %.0f/s  %.0f s left   ", (unsigned long long)done,
		(unsigned long long)p->total, p->what, rate, left);
}

void progress_end(struct progress *p)
{
	if (p->on)
		fprintf(stderr, "\r%*s\r", 60, "");
}

int bench_live_create(const struct vm_template *t, struct vm *vms, size_t n,
		      struct samples *s, const struct live_options *o, size_t *made)
{
	struct vm_result res;
	int err = 0;

	*made = 0;
	for (size_t i = 0; i < n && !bench_signal; i++) {
		sig_atomic_t mark = bench_continued;
		uint64_t t0 = clock_ns();
		err = vm_create(&vms[i], t);
		if (err)
			break;
		err = vm_run(&vms[i], &res);
		uint64_t t1 = clock_ns();
		*made = i + 1;
		if (err || (err = bench_check_hello(&res))) {
			err = err_prefix(err, "VM %zu", i);
			break;
		}
		bool kept = s && !bench_stopped_since(mark);
		if (kept)
			samples_add(s, t1 - t0);
		bench_count_exits(o->exits, &res);
		if (o->release_vcpu)
			vm_release_vcpu(&vms[i]);
		if (o->after)
			o->after(o->ctx, i, kept);
		if (o->progress)
			progress_tick(o->progress, i + 1);
	}
	return err;
}

void bench_live_destroy(struct vm *vms, size_t n, struct samples *s)
{
	for (size_t i = 0; i < n; i++) {
		sig_atomic_t mark = bench_continued;
		uint64_t t0 = clock_ns();
		vm_destroy(&vms[i]);
		uint64_t t1 = clock_ns();
		if (s && !bench_stopped_since(mark))
			samples_add(s, t1 - t0);
	}
}
