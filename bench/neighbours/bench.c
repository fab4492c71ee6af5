/*
 * kvmbench-neighbours: what a tenant's vCPU pays for its neighbours'
 * churn.  A victim VM runs the chunks guest (guest/chunks.S: --units of
 * compute per chunk, one exit between chunks) on a CPU of its own
 * (--victim-cpu); aggressors on the other CPUs, --aggressors of them, as
 * processes of their own or as threads of the victim's process (sharing
 * its address space, so its VM's MMU notifier), do one kind of work again
 * and again at a rate (100/s, 1000/s, or as fast as they go): single-use
 * VMs, resets of a live VM (madvise), or mapping, writing and unmapping
 * 64 KiB.
 *
 * Every cell (kind, placement, rate) is an idle phase then an aggressor
 * phase of --phase-ms each, so that the baseline alternates with the load
 * through the run; the cells come in a rotating order each --rounds.
 * Timed: each of the victim's chunks, one KVM_RUN (series victim-chunk,
 * labelled with the cell; the idle phases pooled as aggressor=none).  Not
 * timed: the aggressors' set-up (before the phase) and their ops, which
 * are counted (reading aggressor-ops: per second, per phase).
 *
 * CPU sharing is kept out by placement: the victim's thread is pinned to
 * its CPU, every aggressor to the others, so on a 2-core machine one
 * aggressor; what still reaches the victim is the kernel's (IPIs, TLB
 * shootdowns, MMU notifier invalidations, lock contention), and the host's
 * own work on its CPU, which the idle phases measure.
 */
#define _GNU_SOURCE	/* sched_setaffinity */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "children.h"
#include "clock.h"
#include "err.h"
#include "names.h"
#include "neighbours.h"
#include "util.h"

static const uint64_t rates[] = { 100, 1000, 0 };
#define RATES (sizeof(rates) / sizeof(rates[0]))
#define CELLS_MAX (KINDS * PLACES * RATES)

struct options {
	uint64_t units, phase_ms, rounds, aggressors, victim_cpu;
	int kind, place;
};

struct cell {
	enum kind kind;
	enum placement place;
	uint64_t rate;
	struct samples chunks, ops;
};

/* The victim's chunks until deadline, into s. */
static int victim(struct vm *vm, uint64_t deadline, struct samples *s, struct exit_counts *ex)
{
	struct vm_result res;

	while (clock_ns() < deadline && !bench_signal) {
		sig_atomic_t mark = bench_continued;
		uint64_t t0 = clock_ns();
		int err = vm_run(vm, &res);
		uint64_t ns = clock_ns() - t0;
		if (err)
			return err;
		if (res.status)
			return err_set(-EIO, "the victim's chunk ended with status 0x%x", res.status);
		bench_count_exits(ex, &res);
		if (s->n == s->cap)
			return err_set(-ENOSPC, "the victim ran more chunks than its calibration "
				       "allowed for (chunks 4 times faster than at the start)");
		if (!bench_stopped_since(mark))
			samples_add(s, ns);
	}
	return 0;
}

static void *thread_main(void *arg)
{
	return (void *)(intptr_t)aggress(arg);
}

/* One phase of cell c (NULL: idle), the victim's chunks into s. */
static int phase(struct bench_common *bc, const struct options *o, struct vm *vm,
		 const struct cell *c, struct shared *sh, const cpu_set_t *others,
		 struct samples *s, uint64_t *ops_per_s)
{
	pthread_t th[64];
	pid_t pid[64];
	size_t started = 0;
	struct aggressor a = { .c = bc, .sh = sh, .cpus = *others };
	int err = 0;

	memset(sh, 0, sizeof(*sh));
	if (c) {
		a.kind = c->kind;
		a.rate = c->rate;
		fflush(stdout);
		fflush(stderr);
		for (; started < o->aggressors && !err; started++) {
			if (c->place == PLACE_THREAD) {
				err = -pthread_create(&th[started], NULL, thread_main, &a);
				if (err)
					err = err_errno(err, "pthread_create of an aggressor");
			} else if ((pid[started] = children_fork()) == 0) {
				_exit(aggress(&a) ? 1 : 0);
			} else if (pid[started] < 0) {
				err = err_errno(-errno, "fork of an aggressor");
			}
			if (err)
				break;
		}
		while (!err && atomic_load(&sh->ready) < (int)started && !bench_signal)
			usleep(100);
		if (!err && atomic_load(&sh->failed))
			err = err_set(-EIO, "an aggressor could not set up (%s)",
				      kind_names[c->kind]);
	}
	uint64_t t0 = clock_ns();
	atomic_store(&sh->go, 1);
	if (!err)
		err = victim(vm, t0 + o->phase_ms * 1000000u, s, &bc->out.exits);
	uint64_t t1 = clock_ns();
	atomic_store(&sh->stop, 1);
	*ops_per_s = (uint64_t)((double)atomic_load(&sh->ops) * 1e9 / (double)(t1 - t0));
	for (size_t i = 0; i < started; i++) {
		int status = 0;
		if (c->place == PLACE_THREAD) {
			void *ret;
			pthread_join(th[i], &ret);
			status = (int)(intptr_t)ret;
		} else {
			status = children_wait(pid[i], NULL);
		}
		if (status && !err)
			err = err_set(-EIO, "an aggressor (%s, %s) failed: %s", kind_names[c->kind],
				      placement_names[c->place],
				      c->place == PLACE_THREAD ? err_msg() : "its exit status");
	}
	return err;
}

static int record(struct bench_common *bc, struct cell *cells, size_t n, struct samples *idle)
{
	int i = bench_series(bc, SERIES_VICTIM_CHUNK, idle, 0, LABEL_AGGRESSOR, "none");

	for (size_t k = 0; k < n && i >= 0; k++) {
		char rate[32];
		snprintf(rate, sizeof(rate), cells[k].rate ? "%llu" : "max",
			 (unsigned long long)cells[k].rate);
		for (int r = 0; r < 2 && i >= 0; r++) {
			i = bench_series(bc, r ? neighbours_readings[NEIGHBOURS_OPS].name :
					 SERIES_VICTIM_CHUNK, r ? &cells[k].ops : &cells[k].chunks, 0,
					 LABEL_AGGRESSOR, kind_names[cells[k].kind]);
			if (i >= 0 && (rec_series_label(&bc->out.rec, i, LABEL_PLACEMENT,
							 placement_names[cells[k].place]) ||
				       rec_series_label(&bc->out.rec, i, LABEL_RATE, rate)))
				i = -ENOMEM;
		}
	}
	return i < 0 ? i : 0;
}

/* "oneshot, thread, max: p50 1.02x, p99 1.31x idle; 5230 ops/s". */
static void print(const struct cell *cells, size_t n, const struct samples *idle)
{
	struct summary base, s;

	if (stats_summarize(idle->v, idle->n, &base))
		return;
	bench_print_summary("victim chunk, idle", idle->v, idle->n);
	for (size_t k = 0; k < n; k++) {
		struct summary ops;
		if (stats_summarize(cells[k].chunks.v, cells[k].chunks.n, &s) ||
		    stats_summarize(cells[k].ops.v, cells[k].ops.n, &ops))
			continue;
		char rate[32];
		snprintf(rate, sizeof(rate), cells[k].rate ? "%llu/s" : "max",
			 (unsigned long long)cells[k].rate);
		printf("%s, %s, %s: p50 %.3fx, p99 %.3fx, max %.3fx idle's; %.0f ops/s\n",
		       kind_names[cells[k].kind], placement_names[cells[k].place], rate,
		       s.median / base.median, s.p99 / base.p99, (double)s.max / (double)base.max,
		       ops.median);
	}
}

int main(int argc, char **argv)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	struct options o = { .units = 2000, .phase_ms = 1000, .rounds = 2, .aggressors = 1,
			     .victim_cpu = online > 1 ? (uint64_t)online - 1 : 0,
			     .kind = KINDS, .place = PLACES };
	const struct bench_opt opts[] = {
		BENCH_COUNT("victim-cpu", "N", "the victim's CPU (default: the last one online);\n"
			    "                      the aggressors run on the others", &o.victim_cpu, 0,
			    CPU_SETSIZE - 1),
		BENCH_COUNT("units", "N", "compute units per victim chunk (one KVM_RUN)", &o.units,
			    1, 100000000),
		BENCH_COUNT("aggressors", "K", "aggressors at once, each on a CPU of its own\n"
			    "                      besides the victim's", &o.aggressors, 1, 63),
		BENCH_CHOICE("kind", "KIND", "what the aggressors do: oneshot, reset, mmap or all",
			     &o.kind, kind_names),
		BENCH_CHOICE("placement", "WHERE", "aggressors as processes, as threads of the\n"
			     "                      victim's process, or both", &o.place,
			     placement_names),
		BENCH_COUNT("phase-ms", "MS", "each idle and each aggressor phase", &o.phase_ms, 10,
			    3600000),
		BENCH_COUNT("rounds", "R", "every cell (kind, placement, rate) once per round",
			    &o.rounds, 1, 1000),
		{ 0 },
	};
	struct bench_common c = {
		.prog = "kvmbench-neighbours", .name = "neighbours", .opts = opts,
		.summary = "A victim vCPU's chunks while other VMs churn, against idle.",
	};
	struct cell cells[CELLS_MAX];
	struct samples idle = { 0 };
	size_t n = 0;
	int err = bench_parse(&c, argc, argv);

	if (err >= 0)
		return err;
	cpu_set_t online_set, victim_set, others;
	CPU_ZERO(&online_set);
	if (sched_getaffinity(0, sizeof(online_set), &online_set) < 0)
		CPU_ZERO(&online_set);
	char msg[256];
	if (!CPU_ISSET((int)o.victim_cpu, &online_set)) {
		snprintf(msg, sizeof(msg), "--victim-cpu %llu: no such CPU is online for this "
			 "process (it may run on %d CPUs; see nproc, taskset -p $$)",
			 (unsigned long long)o.victim_cpu, CPU_COUNT(&online_set));
		return bench_usage_error(&c, msg);
	}
	others = online_set;
	CPU_CLR((int)o.victim_cpu, &others);
	if ((uint64_t)CPU_COUNT(&others) < o.aggressors) {
		snprintf(msg, sizeof(msg), "--aggressors %llu: this host has %d CPU(s) besides the "
			 "victim's; each aggressor needs one of its own, or CPU sharing, not "
			 "KVM, would be what the victim feels", (unsigned long long)o.aggressors,
			 CPU_COUNT(&others));
		return bench_usage_error(&c, msg);
	}
	for (int k = 0; k < KINDS; k++)
		for (int p = 0; p < PLACES; p++)
			for (size_t r = 0; r < RATES; r++)
				if ((o.kind == KINDS || o.kind == k) && (o.place == PLACES || o.place == p))
					cells[n++] = (struct cell){ .kind = k, .place = p, .rate = rates[r] };
	err = bench_start(&c);
	if (err != BENCH_MEASURE)
		return err;
	CPU_ZERO(&victim_set);
	CPU_SET((int)o.victim_cpu, &victim_set);
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct vm_template t;
	struct vm vm;
	bool have_t = false, have_vm = false;
	struct samples first = { 0 };
	err = sh == MAP_FAILED ? err_errno(-errno, "mmap of the page aggressors share") :
	      sched_setaffinity(0, sizeof(victim_set), &victim_set) < 0 ?
	      err_errno(-errno, "pinning the victim to CPU %llu", (unsigned long long)o.victim_cpu) :
	      children_init(o.aggressors);
	if (!err) {
		err = vm_template_init(&t, &c.kvm, guest_find("chunks"), VM_MEM_INDIVIDUAL,
				       GUEST_DATA_DEFAULT);
		have_t = !err;
	}
	if (!err) {
		vm_template_args(&t, o.units, 0);
		err = vm_create(&vm, &t);
		have_vm = !err;
	}
	/* How long a chunk takes, to size the samples: 20 chunks, not kept. */
	struct summary cal = { 0 };
	err = err ?: samples_init(&first, 20) ?:
	      victim(&vm, UINT64_MAX, &first, &c.out.exits) == -ENOSPC ? 0 : -EIO;
	if (err == -EIO)
		err = err_set(-EIO, "the victim's first chunks failed: %s", err_msg());
	err = err ?: stats_summarize(first.v, first.n, &cal);
	samples_free(&first);
	uint64_t per_phase = o.phase_ms * 1000000u / (uint64_t)(cal.median / 4 + 1) + 64;
	err = err ?: samples_init(&idle, per_phase * n * o.rounds);
	for (size_t k = 0; k < n && !err; k++)
		err = samples_init(&cells[k].chunks, per_phase * o.rounds) ?:
		      samples_init(&cells[k].ops, o.rounds);
	if (!err) {
		rec_param_uint(&c.out.rec, "chunk_ns_at_start", (uint64_t)cal.median);
		if (!c.opt.quiet)
			printf("victim: %llu units a chunk, %.1f us each at the start (CPU %llu)\n",
			       (unsigned long long)o.units, cal.median / 1e3,
			       (unsigned long long)o.victim_cpu);
	}
	rec_param_uint(&c.out.rec, "victim_cpus_others", (uint64_t)CPU_COUNT(&others));
	rec_param_text(&c.out.rec, "guest", "chunks");
	rec_param_text(&c.out.rec, "order", "each cell an idle phase, then its aggressor phase; "
		       "cells in a rotating order each round");
	children_forward_signals();
	struct progress progress;
	progress_start(&progress, &c, "phases", 2 * n * o.rounds);
	for (uint64_t r = 0; r < o.rounds && !err && !bench_signal; r++) {
		for (size_t j = 0; j < n && !err && !bench_signal; j++) {
			struct cell *cl = &cells[(r + j) % n];
			uint64_t ops;
			err = phase(&c, &o, &vm, NULL, sh, &others, &idle, &ops) ?:
			      phase(&c, &o, &vm, cl, sh, &others, &cl->chunks, &ops);
			if (!err)
				samples_add(&cl->ops, ops);
			progress_tick(&progress, 2 * (r * n + j + 1));
		}
	}
	progress_end(&progress);
	if (have_vm)
		vm_destroy(&vm);
	if (have_t)
		vm_template_fini(&t);
	int e = idle.n ? record(&c, cells, n, &idle) : 0;
	if (!c.opt.quiet && idle.n)
		print(cells, n, &idle);
	for (size_t k = 0; k < n; k++) {
		samples_free(&cells[k].chunks);
		samples_free(&cells[k].ops);
	}
	samples_free(&idle);
	children_fini();
	return bench_finish(&c, err ?: e, c.out.rec.nseries > 0);
}
