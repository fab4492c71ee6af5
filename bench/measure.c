/*
 * Measuring: the loops that drive VMs (single-use ones, live ones created
 * and torn down), their samples into a series, the exits they counted,
 * summaries and ratios printed, and the progress bar.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "common.h"
#include "err.h"
#include "limits.h"
#include "stats.h"
#include "util.h"

void bench_add_exits(struct exit_counts *e, const struct exit_tally *t)
{
	if (!e || !t->runs)
		return;
	/* Threads that create VMs at once count here too; outside timed regions. */
	pthread_mutex_lock(&e->lock);
	if (!e->t.runs || t->min < e->t.min)
		e->t.min = t->min;
	if (t->max > e->t.max)
		e->t.max = t->max;
	e->t.runs += t->runs;
	e->t.exits += t->exits;
	e->t.io += t->io;
	for (int k = 0; k < KVMSTAT_COUNT; k++)
		e->t.kvm[k] += t->kvm[k];
	pthread_mutex_unlock(&e->lock);
}

void bench_count_exits(struct exit_counts *e, const struct vm_result *res)
{
	struct exit_tally t = { .runs = 1, .exits = res->exits, .io = res->exits_io,
				.min = res->exits, .max = res->exits };

	memcpy(t.kvm, res->kvm, sizeof(t.kvm));
	bench_add_exits(e, &t);
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
	int i = rec_add_series(&c->out.rec, name, s->v, s->n, warmup < s->n ? warmup : s->n);

	if (i >= 0 && label_key) {
		int err = rec_series_label(&c->out.rec, i, label_key, label_value);
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
		uint64_t ns;
		int err = oneshot(t, res, &ns);
		if (err || (err = bench_check_hello(res)))
			return err;
		if (!bench_stopped_since(mark))
			samples_add(s, ns);
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
	p->on = !c->opt.quiet && isatty(STDERR_FILENO);
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
	for (size_t i = 0; i < n && !bench_signal && !(o->stop && *o->stop); i++) {
		sig_atomic_t mark = bench_continued;
		uint64_t t0 = clock_ns();
		err = vm_create(&vms[i], t);
		if (err)
			break;
		err = vm_run(&vms[i], &res);
		uint64_t t1 = clock_ns();
		*made = i + 1;
		if (err || (err = vm_count(&vms[i], &res)) || (err = bench_check_hello(&res))) {
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


bool bench_live_two_fds(uint64_t n, enum vm_memory memory)
{
	uint64_t maps_per_vm = memory == VM_MEM_INDIVIDUAL;

	return limits_nofile(2 * n, "two fds per VM") == 0 &&
	       limits_maps(n * (maps_per_vm + 1), "a kvm_run per VM") == 0;
}
