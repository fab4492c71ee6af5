/*
 * kvmbench-fork: a ready VM three ways, as sandbox platforms make them,
 * side by side in one run with the same guest and the same request.
 *
 * The warm guest (guest/warm.S) fills --warm bytes of its write-enabled
 * memory with a table it computes and reports ready; a request then reads
 * the table's first --pages pages, writes each of them and answers their
 * checksum, which the host checks on every run.  Once per point a template
 * VM warms up and is snapshotted (lib/snapshot.h: its memory copied into a
 * memfd, its vCPU's registers, special registers, XSAVE image, XCRs, MSRs
 * and CPUID); taking it is timed (series snapshot).
 *
 * Methods, alternating sample by sample (a rotating order):
 *   hello  the seed's single-use VM: create, run hello, close (the yardstick);
 *   fresh  create a VM, warm it up, serve the request, close it;
 *   fork   create a VM whose write-enabled memory is a private copy-on-write
 *          mapping of the snapshot's memfd and whose vCPU gets the
 *          snapshot's state, serve the request, close it;
 *   reset  one live VM of the snapshot, put back to it before each request:
 *          memory by the isolating reset strategy, of those whose probe
 *          passes here, that was fastest over 15 resets and requests each
 *          timed first (series reset-calibration; --reset to choose one),
 *          vCPU by the snapshot's state.
 * Timed apart, per sample: prepare (create, or the reset), warm (fresh),
 * the first request's KVM_RUNs, each later request's (--requests), the
 * teardown; ready-request is prepare + warm + first request, and
 * ready-request-close adds the teardown (zeroboot's figure leaves it out).
 * Not timed: the checks of each run's answer and KVM's counters
 * (vm_count), between the timed parts.
 *
 * --sweep: every method against W (64K to 64M, 1 page) and against P (1 to
 * every page of 16M), to fork-sweep.cbor.  --live N: N forks kept alive,
 * after N single-use-kind VMs as the fixed cost (live.c), to fork-live.cbor.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "err.h"
#include "fork.h"
#include "limits.h"
#include "names.h"
#include "util.h"

static const uint64_t sweep_warm[] = { 64u << 10, 256u << 10, 1u << 20, 4u << 20, 16u << 20,
				       64u << 20 };
static const uint64_t sweep_pages[] = { 1, 4, 16, 64, 256, 1024, 4096 };
#define SWEEP_PAGES_WARM (16u << 20)

/* Isolating strategies a fork can be reset with: those that restore
 * memory from the pristine image alone (pte-dirty changes the VM's page
 * tables and CR3, soft-dirty write-protects the whole process). */
static const enum reset_strategy candidates[] = {
	RESET_FULL, RESET_MADVISE, RESET_COW, RESET_DIRTY_LOG, RESET_DIRTY_RING,
	RESET_DIRTY_LOG_HOT,
};
static const char *reset_choices[ARRAY_SIZE(candidates) + 2];

enum part { PART_TOTAL, PART_CLOSE, PART_PREPARE, PART_WARM, PART_FIRST, PART_LATER,
	    PART_TEARDOWN, PARTS };
static const char *const part_series[PARTS] = {
	SERIES_READY_REQUEST, SERIES_READY_REQUEST_CLOSE, SERIES_PREPARE, SERIES_WARM,
	SERIES_FIRST_RUN, SERIES_LATER_RUN, SERIES_TEARDOWN,
};

struct taken {
	struct samples s[PARTS];
};

static int check(struct point *p, struct vm *vm, struct vm_result *res, bool ready,
		 const char *what)
{
	int err = vm_count(vm, res);

	if (err)
		return err;
	bench_count_exits(&p->c->out.exits, res);
	if (ready && (res->status || res->out_len))
		return err_set(-EIO, "%s: the warm-up ended with status 0x%x and %zu bytes of "
			       "output, not 0 and none", what, res->status, res->out_len);
	return ready ? 0 : point_check_request(p, res, what);
}

/* The requests after the first, each timed into t[PART_LATER]. */
static int later(struct point *p, struct vm *vm, uint64_t requests, uint64_t *ns,
		 const char *what)
{
	struct vm_result res;

	for (uint64_t k = 1; k < requests; k++) {
		uint64_t t0 = clock_ns();
		int err = vm_run(vm, &res);
		ns[k - 1] = clock_ns() - t0;
		if (err || (err = check(p, vm, &res, false, what)))
			return err;
	}
	return 0;
}

/* One sample of method m into t; stops of the process drop it. */
static int sample(struct point *p, enum fork_method m, uint64_t requests, struct taken *t)
{
	static const char *const whats[METHODS] = { "hello", "a fresh VM", "a fork",
						    "the reset VM" };
	uint64_t part[PARTS] = { 0 }, later_ns[64];
	struct vm_result res;
	struct vm own = { 0 }, *vm = m == METHOD_RESET ? &p->vm : &own;
	const char *what = whats[m];
	sig_atomic_t mark = bench_continued;
	int err = 0;

	if (m == METHOD_HELLO) {
		err = vm_oneshot(&p->hello, &res, &part[PART_CLOSE]) ?: bench_check_hello(&res);
		bench_count_exits(&p->c->out.exits, &res);
		if (!err && !bench_stopped_since(mark))
			samples_add(&t->s[PART_CLOSE], part[PART_CLOSE]);
		return err;
	}
	uint64_t t0 = clock_ns();
	if (m == METHOD_RESET)
		err = point_reset(p);
	else
		err = vm_create(vm, m == METHOD_FRESH ? &p->fresh : &p->fork);
	part[PART_PREPARE] = clock_ns() - t0;
	if (err)
		return err;
	if (m == METHOD_FRESH) {
		t0 = clock_ns();
		err = vm_run(vm, &res);
		part[PART_WARM] = clock_ns() - t0;
		err = err ?: check(p, vm, &res, true, what);
	}
	if (!err) {
		t0 = clock_ns();
		err = vm_run(vm, &res);
		part[PART_FIRST] = clock_ns() - t0;
		err = err ?: check(p, vm, &res, false, what) ?: later(p, vm, requests, later_ns, what);
	}
	if (m != METHOD_RESET) {
		t0 = clock_ns();
		vm_destroy(vm);
		part[PART_TEARDOWN] = clock_ns() - t0;
	}
	if (err || bench_stopped_since(mark))
		return err;
	part[PART_TOTAL] = part[PART_PREPARE] + part[PART_WARM] + part[PART_FIRST];
	part[PART_CLOSE] = part[PART_TOTAL] + part[PART_TEARDOWN];
	for (int k = 0; k < PARTS; k++) {
		bool none = (k == PART_WARM && m != METHOD_FRESH) || k == PART_LATER ||
			    (m == METHOD_RESET && (k == PART_TEARDOWN || k == PART_CLOSE));
		if (!none)
			samples_add(&t->s[k], part[k]);
	}
	for (uint64_t k = 1; k < requests; k++)
		samples_add(&t->s[PART_LATER], later_ns[k - 1]);
	return 0;
}

/* warmup + iterations samples of every method, in a rotating order. */
static int measure(struct point *p, const struct options *o, struct taken t[METHODS],
		   const char *what)
{
	struct progress progress;
	uint64_t total = o->warmup + o->iterations;
	int err = 0;

	for (int m = 0; m < METHODS && !err; m++)
		for (int k = 0; k < PARTS && !err; k++)
			err = samples_init(&t[m].s[k], total * (k == PART_LATER ? o->requests : 1));
	progress_start(&progress, p->c, what, total);
	for (uint64_t i = 0; i < total && !err && !bench_signal; i++) {
		for (int j = 0; j < METHODS && !err; j++)
			err = sample(p, (enum fork_method)((i + (uint64_t)j) % METHODS), o->requests,
				     &t[(i + (uint64_t)j) % METHODS]);
		progress_tick(&progress, i + 1);
	}
	progress_end(&progress);
	return err;
}

/* The reset method's strategy: --reset's, or the fastest in this run's
 * calibration (median of its resets and requests), labelled "fastest"
 * (LABEL_STRATEGY) so that runs that chose differently still merge; the
 * calibration series say which it was in each run. */
#define FASTEST "fastest"

/* Every candidate whose probe passed, timed over CALIBRATE resets and
 * requests each, alternating, into cal[k] (series reset-calibration);
 * then p's reset VM is left with the strategy chosen. */
#define CALIBRATE 15
static int choose_reset(struct point *p, const struct options *o, const bool *probed,
			struct samples *cal)
{
	int err = 0;

	for (size_t k = 0; k < ARRAY_SIZE(candidates) && !err; k++)
		err = probed[k] ? samples_init(&cal[k], CALIBRATE) : 0;
	for (size_t r = 0; r < CALIBRATE && !err && !bench_signal; r++) {
		for (size_t k = 0; k < ARRAY_SIZE(candidates) && !err; k++) {
			struct vm_result res;
			if (!probed[k])
				continue;
			err = point_reset_vm(p, candidates[k]);
			/* The reset undoes the request point_reset_vm ran. */
			sig_atomic_t mark = bench_continued;
			uint64_t t0 = clock_ns();
			err = err ?: point_reset(p) ?: vm_run(&p->vm, &res);
			uint64_t ns = clock_ns() - t0;
			err = err ?: vm_count(&p->vm, &res) ?:
			      point_check_request(p, &res, "calibrating the reset");
			if (!err && !bench_stopped_since(mark))
				samples_add(&cal[k], ns);
		}
	}
	if (err || bench_signal)
		return err ? err : -EINTR;
	if (o->reset)
		return point_reset_vm(p, candidates[o->reset - 1]);
	size_t best = SIZE_MAX;
	double best_ns = 0;
	for (size_t k = 0; k < ARRAY_SIZE(candidates); k++) {
		struct summary sum;
		if (stats_summarize(cal[k].v, cal[k].n, &sum))
			continue;
		if (best == SIZE_MAX || sum.median < best_ns) {
			best = k;
			best_ns = sum.median;
		}
	}
	if (best == SIZE_MAX)
		return err_set(-EIO, "no reset strategy could be timed: none to put a VM back "
			       "to the snapshot");
	return point_reset_vm(p, candidates[best]);
}

/* The point's series, labelled with the method (and strategy) and, in a
 * sweep, the point. */
/* Labels sweep=, warm_bytes=, pages= on series i, in a sweep. */
static int label_point(struct bench_common *c, const struct point *p, int i, const char *sweep)
{
	char v[64];

	if (!sweep)
		return 0;
	snprintf(v, sizeof(v), "%llu", (unsigned long long)p->warm);
	int err = rec_series_label(&c->out.rec, i, LABEL_FORK_SWEEP, sweep) ?:
		  rec_series_label(&c->out.rec, i, LABEL_WARM_BYTES, v);
	snprintf(v, sizeof(v), "%llu", (unsigned long long)p->pages);
	return err ?: rec_series_label(&c->out.rec, i, LABEL_PAGES, v);
}

static int record_point(struct bench_common *c, const struct options *o, const struct point *p,
			struct taken t[METHODS], const char *sweep, const struct samples *cal)
{
	int err = 0;

	for (int m = 0; m < METHODS && !err; m++) {
		for (int k = 0; k < PARTS && !err; k++) {
			const struct samples *s = &t[m].s[k];
			size_t warm = k == PART_LATER ? 0 : o->warmup;
			if (!s->n)
				continue;
			int i = bench_series(c, part_series[k], s, warm > s->n ? s->n : warm,
					     LABEL_METHOD, fork_method_names[m]);
			err = i < 0 ? i : 0;
			if (!err && m == METHOD_RESET)
				err = rec_series_label(&c->out.rec, i, LABEL_STRATEGY,
						       o->reset ? reset_strategies[p->how].name : FASTEST);
			err = err ?: label_point(c, p, i, sweep);
		}
	}
	for (size_t k = 0; k < ARRAY_SIZE(candidates) && !err; k++) {
		if (!cal[k].n)
			continue;
		int i = bench_series(c, SERIES_RESET_CALIBRATION, &cal[k], 0, LABEL_STRATEGY,
				     reset_strategies[candidates[k]].name);
		err = i < 0 ? i : label_point(c, p, i, sweep);
	}
	return err;
}

static void print_point(const struct bench_common *c, struct taken t[METHODS], uint64_t warmup,
			const char *at)
{
	char label[128];

	if (c->opt.quiet)
		return;
	for (int m = 0; m < METHODS; m++) {
		for (int k = PART_TOTAL; k <= PART_CLOSE; k++) {
			const struct samples *s = &t[m].s[k];
			if (s->n <= warmup)
				continue;
			snprintf(label, sizeof(label), "%s%s %s", at, fork_method_names[m],
				 part_series[k]);
			bench_print_summary(label, s->v + warmup, s->n - warmup);
		}
	}
	const struct samples *fork = &t[METHOD_FORK].s[PART_CLOSE];
	bench_print_ratio("fork/hello, with teardown", fork, warmup, &t[METHOD_HELLO].s[PART_CLOSE],
			  warmup, "(target: at most 2)");
	bench_print_ratio("fork/fresh, with teardown", fork, warmup, &t[METHOD_FRESH].s[PART_CLOSE],
			  warmup, "(target: at most 0.25 at 16M, 1 page)");
	bench_print_ratio("fork/reset, without teardown", &t[METHOD_FORK].s[PART_TOTAL], warmup,
			  &t[METHOD_RESET].s[PART_TOTAL], warmup, NULL);
}

/* One point: set up, calibrated, measured, recorded. */
static int run_point(struct bench_common *c, const struct options *o, const bool *probed,
		     uint64_t warm, uint64_t pages, const char *sweep, struct samples *snapshots)
{
	struct taken t[METHODS] = { 0 };
	struct samples cal[ARRAY_SIZE(candidates)] = { 0 };
	struct point p;
	char what[64], at[80] = "";
	int err = point_open(&p, c, warm, pages) ?: choose_reset(&p, o, probed, cal);

	snprintf(what, sizeof(what), "%llu KiB, %llu pages", (unsigned long long)(warm >> 10),
		 (unsigned long long)pages);
	if (sweep)
		snprintf(at, sizeof(at), "%s: ", what);
	if (p.snapshot_ns)
		samples_add(snapshots, p.snapshot_ns);
	err = err ?: measure(&p, o, t, what);
	int e = record_point(c, o, &p, t, sweep, cal);
	if (!err && !c->opt.quiet) {
		printf("%sreset by %s; calibration medians:", at, reset_strategies[p.how].name);
		for (size_t k = 0; k < ARRAY_SIZE(candidates); k++) {
			struct summary sum;
			if (!stats_summarize(cal[k].v, cal[k].n, &sum))
				printf(" %s %.1f us", reset_strategies[candidates[k]].name,
				       sum.median / 1e3);
		}
		printf("\n");
	}
	print_point(c, t, o->warmup, at);
	point_close(&p);
	for (int m = 0; m < METHODS; m++)
		for (int k = 0; k < PARTS; k++)
			samples_free(&t[m].s[k]);
	for (size_t k = 0; k < ARRAY_SIZE(candidates); k++)
		samples_free(&cal[k]);
	return err ?: e;
}

/* Every tracking candidate's probe, recorded (probe_<name>) as rounds
 * records them; probed[k]: candidate k may run. */
static void probe_candidates(struct bench_common *c, const struct options *o, bool *probed)
{
	for (size_t k = 0; k < ARRAY_SIZE(candidates); k++) {
		const struct reset_ops *r = &reset_strategies[candidates[k]];
		char key[64];
		probed[k] = !o->reset || o->reset == (int)k + 1;
		if (!probed[k] || !r->tracker)
			continue;
		snprintf(key, sizeof(key), "probe_%s", r->name);
		int err = reset_probe(&c->kvm, candidates[k]);
		rec_machine_text(&c->out.rec, key, err ? err_msg() : "passed");
		probed[k] = !err;
	}
}

static int sweep(struct bench_common *c, const struct options *o, const bool *probed,
		 struct samples *snapshots)
{
	int err = 0;

	for (size_t i = 0; i < ARRAY_SIZE(sweep_warm) && !err && !bench_signal; i++)
		err = run_point(c, o, probed, sweep_warm[i], 1, "warm", snapshots);
	for (size_t i = 0; i < ARRAY_SIZE(sweep_pages) && !err && !bench_signal; i++)
		err = run_point(c, o, probed, SWEEP_PAGES_WARM, sweep_pages[i], "pages", snapshots);
	return err;
}

int main(int argc, char **argv)
{
	struct options o = { .warm = 16u << 20, .pages = 1, .iterations = 200, .warmup = 10,
			     .requests = 2, .step = 1000 };
	char reset_help[512];
	size_t len = 0;

	reset_choices[0] = "auto";
	len += (size_t)snprintf(reset_help, sizeof(reset_help),
				"how the reset method puts memory back: auto (the fastest\n"
				"                      of those that isolate and pass their probe) or");
	for (size_t k = 0; k < ARRAY_SIZE(candidates); k++) {
		reset_choices[k + 1] = reset_strategies[candidates[k]].name;
		len += (size_t)snprintf(reset_help + len, sizeof(reset_help) - len, "%s %s",
					k ? "," : "", reset_choices[k + 1]);
	}
	const struct bench_opt opts[] = {
		BENCH_SIZE("warm", "BYTES", "W: memory the guest warms up (fills with a table),\n"
			   "                      64K to 64M, a multiple of 4K", &o.warm, WARM_MIN,
			   WARM_MAX),
		BENCH_COUNT("pages", "N", "P: pages each request reads and writes, up to W / 4K",
			    &o.pages, 1, WARM_MAX / 4096),
		BENCH_COUNT("iterations", "N", "samples of each method", &o.iterations, 1, 10000000),
		BENCH_COUNT("warmup", "N", "samples of each method first, kept but left out\n"
			    "                      of summaries", &o.warmup, 0, 1000000),
		BENCH_COUNT("requests", "N", "requests each VM serves: the first and N - 1\n"
			    "                      later ones, timed apart", &o.requests, 1, 64),
		BENCH_CHOICE("reset", "NAME", reset_help, &o.reset, reset_choices),
		BENCH_FLAG("sweep", "every method against W (64K-64M, 1 page) and against\n"
			   "                      P (1-4096 pages of 16M), to fork-sweep.cbor; sets\n"
			   "                      --warm and --pages itself", &o.sweep),
		BENCH_COUNT("live", "N", "instead: N forks kept alive, after N live hello VMs\n"
			    "                      (the fixed cost), with readings every --step, to\n"
			    "                      fork-live.cbor; 0: off", &o.live, 0, 1000000),
		BENCH_COUNT("step", "N", "--live: VMs between readings", &o.step, 1, 1000000),
		{ 0 },
	};
	struct bench_common c = {
		.prog = "kvmbench-fork", .name = "fork", .opts = opts,
		.summary = "A ready VM from a warmed snapshot (fork), against a fresh VM and a reset.",
	};
	struct samples snapshots = { 0 };
	bool probed[ARRAY_SIZE(candidates)];
	int err = bench_parse(&c, argc, argv);

	if (err >= 0)
		return err;
	if (o.warm % 4096)
		return bench_usage_error(&c, "--warm: not a multiple of 4096 bytes");
	if (!o.sweep && o.pages > o.warm / 4096)
		return bench_usage_error(&c, "--pages: more pages than --warm holds (W / 4096)");
	if (o.sweep && o.live)
		return bench_usage_error(&c, "--sweep and --live: one at a time");
	if ((o.warmup + o.iterations) * (o.sweep ? 13 : 1) > 100000000)
		return bench_usage_error(&c, "--iterations: more than 100000000 samples");
	c.file = o.sweep ? "fork-sweep" : o.live ? "fork-live" : "fork";
	err = bench_start(&c);
	if (err != BENCH_MEASURE)
		return err;
	if (o.live) {
		err = fork_live(&c, &o);
		return bench_finish(&c, err, c.out.rec.nseries > 0);
	}
	uint64_t size = (o.sweep ? WARM_MAX : o.warm) + STACK_BYTES;
	/* The template, a fork's and the reset's memory, a fresh VM's, the
	 * snapshot: each up to W, beside a few VMs' own. */
	err = limits_memory(5 * size + 8 * LIVE_VM_BYTES, "--warm, for the snapshot and its VMs");
	if (err)
		return bench_finish(&c, err, false);
	rec_param_text(&c.out.rec, "guest", "warm");
	rec_param_text(&c.out.rec, "order", "rotating sample by sample: hello, fresh, fork, reset");
	rec_param_uint(&c.out.rec, "stack_bytes", STACK_BYTES);
	probe_candidates(&c, &o, probed);
	err = samples_init(&snapshots, o.sweep ? 16 : 1);
	if (!err && o.sweep)
		err = sweep(&c, &o, probed, &snapshots);
	else if (!err)
		err = run_point(&c, &o, probed, o.warm, o.pages, NULL, &snapshots);
	if (snapshots.n)
		bench_series(&c, SERIES_SNAPSHOT, &snapshots, 0, NULL, NULL);
	samples_free(&snapshots);
	return bench_finish(&c, err, c.out.rec.nseries > 0);
}
