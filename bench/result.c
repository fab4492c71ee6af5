/*
 * The end of a run: its result written (or, where its path fails, beside
 * it or in $TMPDIR), marked incomplete with the reason when it was
 * interrupted or failed, the runs before it read back for --append, and
 * the summary over the runs.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "cli.h"
#include "common.h"
#include "err.h"
#include "escape.h"
#include "series.h"
#include "stats.h"

static void record_exits(struct record *rec, const struct exit_tally *e,
			 const struct kvmstat_layout *kvm)
{
	if (!e->runs)
		return;
	/* Whole numbers when every run took the same exits, as the guests do. */
	rec_param_uint(rec, "exits_per_run", (e->exits + e->runs / 2) / e->runs);
	rec_param_uint(rec, "io_exits_per_run", (e->io + e->runs / 2) / e->runs);
	rec_param_uint(rec, "other_exits_per_run", (e->exits - e->io + e->runs / 2) / e->runs);
	rec_param_bool(rec, "exit_counts_vary", e->min != e->max);
	rec_param_uint(rec, "runs_counted", e->runs);
	if (!kvm->available)
		return;
	/* What KVM counted, in-kernel exits and emulation included: rounded
	 * per run, and the instructions it emulated in all.  A counter this
	 * kernel lacks is left out, not written as 0. */
	for (int k = 0; k < KVMSTAT_COUNT; k++) {
		if (kvm->offset[k] < 0)
			continue;
		char name[64];
		snprintf(name, sizeof(name), "kvm_%s_per_run", kvmstat_names[k]);
		rec_param_uint(rec, name, (e->kvm[k] + e->runs / 2) / e->runs);
	}
	rec_param_uint(rec, "kvm_insn_emulation_total", e->kvm[KVMSTAT_INSN_EMULATION]);
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
 * --append: reads the runs already at c->out.path into c->out.prior, if there are
 * any; they must be whole runs of this benchmark with these options, or
 * the runs would not be runs of one thing.  0 when there are none.
 */
int bench_prior_read(struct bench_common *c)
{
	struct record inv;
	int err;

	if (access(c->out.path, F_OK) != 0)
		return 0;
	if ((err = rec_read(&c->out.prior, c->out.path)) != 0)
		return err_set(err, "--append: %s", err_msg());
	c->out.have_prior = true;
	if (strcmp(c->out.prior.benchmark, c->name))
		return err_set(-EINVAL, "--append: %s holds a result of '%s', not of %s: give "
			       "another --output", c->out.path, ESC_SHOWN(c->out.prior.benchmark), c->name);
	if (!c->out.prior.complete)
		return err_set(-EINVAL, "--append: %s is marked incomplete (%s): its last run is "
			       "not whole; start it again without --append", c->out.path,
			       ESC_SHOWN(c->out.prior.error ? c->out.prior.error : "no reason given"));
	if ((err = rec_init(&inv, c->name)) != 0 || (err = bench_record_invocation(c, &inv)) != 0)
		return err;
	for (size_t i = 0; i < inv.parameters.n && !err; i++) {
		const struct rec_kv *kv = &inv.parameters.kv[i];
		const struct rec_value *was = rec_map_get(&c->out.prior.parameters, kv->key);
		char then[128], now[128];
		if (same_value(was, &kv->v))
			continue;
		value_shown(was, then, sizeof(then));
		value_shown(&kv->v, now, sizeof(now));
		err = err_set(-EINVAL, "--append: the runs in %s had %s %s, this one %s: runs with "
			      "other options are not runs of one result; give another --output",
			      c->out.path, kv->key, then, now);
	}
	rec_free(&inv);
	return err;
}


/* Where a result goes when its own path fails at the end: beside it, as
 * <name>.<pid>.cbor, or else in $TMPDIR (or /tmp). */
static int write_elsewhere(const struct bench_common *c, char *path, size_t size)
{
	const char *name = c->file ? c->file : c->name, *tmp = getenv("TMPDIR");
	char dir[sizeof(c->out.path)];
	int err;

	snprintf(dir, sizeof(dir), "%s", c->out.path);
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = 0;
	else
		snprintf(dir, sizeof(dir), ".");
	err = snprintf(path, size, "%s/%s.%d.cbor", dir, name, (int)getpid()) < (int)size ?
	      rec_write(&c->out.rec, path) : -ENAMETOOLONG;
	if (err)
		err = snprintf(path, size, "%s/kvmbench-%s.%d.cbor", tmp && *tmp ? tmp : "/tmp",
			       name, (int)getpid()) < (int)size ? rec_write(&c->out.rec, path) :
		      err_set(-ENAMETOOLONG, "$TMPDIR is too long a path");
	return err;
}

/* Writes c->out.rec (after c->out.prior's runs, if any) to c->out.path, or elsewhere. */
static int write_result(struct bench_common *c, int status)
{
	char saved[sizeof(c->out.path)];
	char why[128];

	snprintf(why, sizeof(why), "interrupted by %s", bench_signal ? strsignal(bench_signal) : "");
	if (c->out.have_prior) {
		/* --append: the runs before, then these. */
		size_t had = rec_nruns(&c->out.prior);
		c->out.have_prior = false;
		if (rec_append_runs(&c->out.prior, &c->out.rec, had) ||
		    rec_param_uint(&c->out.prior, "runs", had + rec_nruns(&c->out.rec))) {
			fprintf(stderr, "%s: --append: %s\n", c->prog, err_msg());
			rec_free(&c->out.prior);
			if (write_elsewhere(c, saved, sizeof(saved)) == 0)
				fprintf(stderr, "%s: this run alone is in %s\n", c->prog, saved);
			return status ? status : 1;
		}
		rec_free(&c->out.rec);
		c->out.rec = c->out.prior;
		if (!c->opt.quiet)
			bench_runs_summary(c, &c->out.rec);
	}
	if (rec_write(&c->out.rec, c->out.path)) {
		/* Checked before the run, failing now: keep the run elsewhere. */
		fprintf(stderr, "%s: %s\n", c->prog, err_msg());
		if (write_elsewhere(c, saved, sizeof(saved)) == 0)
			fprintf(stderr, "%s: the result is in %s instead\n", c->prog, saved);
		else
			fprintf(stderr, "%s: %s; the result is lost\n", c->prog, err_msg());
		return status ? status : 1;
	}
	if (status && c->role.run_of) {
		/* One of --runs' runs: the runs' parent says where the result is. */
	} else if (status) {
		/* An error's message is out already; a signal's is not. */
		fprintf(stderr, "%s: %s%s%s in %s, marked incomplete\n", c->prog,
			bench_signal ? why : "", bench_signal ? "; " : "",
			c->out.rec.nseries ? "what was measured is" :
			"the run is recorded, without samples,", c->out.path);
	} else if (!c->opt.quiet && !c->role.run_of) {
		/* Where the result is must be said, stdout gone or not. */
		fflush(stdout);
		fprintf(ferror(stdout) ? stderr : stdout, "result: %s\n", c->out.path);
	}
	return status;
}

static void say_waiting(pid_t holder, void *ctx)
{
	const struct bench_common *c = ctx;
	char pid[32] = "";

	if (holder > 0)
		snprintf(pid, sizeof(pid), " (process %d)", (int)holder);
	fprintf(stderr, "%s: waiting for another writer of %s%s to finish\n", c->prog, c->out.path,
		pid);
}

int bench_write(struct bench_common *c, int status)
{
	char saved[sizeof(c->out.path)];

	if (!c->opt.append || c->role.run_of)
		return write_result(c, status);
	/* --append is a read, a merge and a write: one writer at a time, and
	 * the runs read again under the lock, with what others appended since
	 * this run began (without it the last rename won, and the runs the others appended were lost). */
	int lock = atomic_lock(c->out.path, say_waiting, c);
	int err = lock < 0 ? lock : 0;
	if (!err) {
		if (c->out.have_prior)
			rec_free(&c->out.prior);
		c->out.have_prior = false;
		err = bench_prior_read(c);
	}
	if (err) {
		fprintf(stderr, "%s: %s\n", c->prog, err_msg());
		if (c->out.have_prior)
			rec_free(&c->out.prior);
		c->out.have_prior = false;
		if (write_elsewhere(c, saved, sizeof(saved)) == 0)
			fprintf(stderr, "%s: this run alone is in %s\n", c->prog, saved);
		atomic_unlock(lock);
		return status ? status : 1;
	}
	status = write_result(c, status);
	atomic_unlock(lock);
	return status;
}

int bench_finish(struct bench_common *c, int err, bool measured)
{
	int status = 0;
	char why[640];

	if (bench_signal) {
		snprintf(why, sizeof(why), "interrupted by %s", strsignal(bench_signal));
		status = 128 + bench_signal;
	} else if (err) {
		snprintf(why, sizeof(why), "%s", err_msg());
		fprintf(stderr, "%s: %s\n", c->prog, why);
		status = 1;
	}
	if (status)
		rec_set_incomplete(&c->out.rec, why);
	record_exits(&c->out.rec, &c->out.exits.t, &c->kvm.stats);
	bench_record_stops(&c->out.rec);
	char load[32], runnable[32];
	sysinfo_load(load, sizeof(load), runnable, sizeof(runnable));
	rec_machine_text(&c->out.rec, "load_end", load);
	rec_machine_text(&c->out.rec, "runnable_end", runnable);
	if (measured)
		status = bench_write(c, status);
	else if (status)
		fprintf(stderr, "%s: nothing was measured, no result written\n", c->prog);
	kvm_close(&c->kvm);
	rec_free(&c->out.rec);
	return status;
}


/* "label: median … over K runs (run medians lo – hi us, CV x%), N samples". */
static void summary(const struct rec_series *s)
{
	char labels[256] = "";
	double med[64], lo = INFINITY, hi = 0;
	uint64_t *kept = malloc((s->n ? s->n : 1) * sizeof(*kept));
	struct summary sum;
	size_t k = 0;

	if (!kept)
		return;
	size_t n = rec_kept(s, kept);
	for (size_t r = 0; r < s->nruns && k < 64; r++) {
		const uint64_t *v;
		size_t m = rec_run_kept(s, r, &v);
		if (m && !stats_summarize(v, m, &sum)) {
			med[k++] = sum.median;
			lo = sum.median < lo ? sum.median : lo;
			hi = sum.median > hi ? sum.median : hi;
		}
	}
	for (size_t i = 0; i < s->labels.n; i++)
		if (s->labels.kv[i].v.type == REC_TEXT)
			snprintf(labels + strlen(labels), sizeof(labels) - strlen(labels), ", %s=%s",
				 s->labels.kv[i].key, s->labels.kv[i].v.text);
	if (n && k < 2 && !stats_summarize(kept, n, &sum))
		printf("%s%s: median %.1f us over 1 run, %zu samples\n", s->name, labels,
		       sum.median / 1e3, n);
	else if (n && !stats_summarize(kept, n, &sum))
		printf("%s%s: median %.1f us over %zu runs (run medians %.1f - %.1f us, CV "
		       "%.1f%%), %zu samples\n", s->name, labels, sum.median / 1e3, k, lo / 1e3,
		       hi / 1e3, 100 * stats_run_spread(med, k), n);
	free(kept);
}

void bench_runs_summary(const struct bench_common *c, const struct record *r)
{
	printf("== %zu runs in %s\n", rec_nruns(r), c->out.path);
	for (size_t k = 0; k < r->nseries; k++)
		if (!series_is_reading(r->series[k].name) && r->series[k].n)
			summary(&r->series[k]);
}
