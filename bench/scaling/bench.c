/*
 * kvmbench-scaling: keep creating live VMs, up to 13000, and report the
 * cumulative time at every 1000, as the seed's "Time spent creating new
 * VMs" table and chart did.
 *
 * Timed, per VM: create VM, memslots, vCPU, kvm_run, CPUID, registers,
 * every KVM_RUN until hello's end port.  The cumulative time at a step is
 * the sum of those samples: bookkeeping between VMs is left out.  Not
 * timed: reading KVM's counters after the run, the check of the guest's
 * output, releasing the vCPU fd (one-fd mode), the readings of /proc at
 * each step, the teardown at the end (timed separately).
 *
 * "Time" sums the samples; "wall" is the elapsed time since the first VM,
 * bookkeeping included.  In one-fd mode the two part: every munmap of a
 * kvm_run calls the MMU notifier of every live VM (README, "Scaling").
 *
 * Each live VM holds two fds (VM, vCPU) and a kvm_run mapping.  Where the
 * file-descriptor limit cannot hold two per VM, the VM keeps one: after its
 * run the vCPU fd is closed and kvm_run unmapped; the vCPU lives on inside
 * the VM.  The mode used is in the result ("fd_mode").
 *
 * --processes P (or --vms-per-process M): the live VMs spread over worker
 * processes that create them in turn (bench/shard.h), the per-process
 * costs of a live VM paid per worker; the readings at each step are summed
 * over the workers where they are per process.  --sweep-processes: the
 * same VMs at several VMs per process, from all in one to 500 each, in one
 * result: how many VMs a process should hold.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "clock.h"
#include "common.h"
#include "err.h"
#include "limits.h"
#include "series.h"
#include "names.h"
#include "shard.h"
#include "stats.h"
#include "sysinfo.h"
#include "util.h"

enum fd_mode { FD_AUTO, FD_TWO, FD_ONE };
static const char *const fd_mode_names[] = { "auto", "two", "one", NULL };

struct options {
	uint64_t vms;
	uint64_t step;
	int memory;
	int fd_mode;
	uint64_t processes;
	uint64_t per;
	bool sweep;
};

/* A run's result: the shard's (or this process's) samples and readings,
 * and the readings as scaling's series (bench/series.h). */
struct scaled {
	struct shard_result r;
	struct samples m[SCALING_READINGS];
};

static void scaled_free(struct scaled *s)
{
	shard_result_free(&s->r);
	for (int k = 0; k < SCALING_READINGS; k++)
		samples_free(&s->m[k]);
}

/* A reading into scaling's series. */
static void record_step(struct samples *m, const struct step_reading *s)
{
	samples_add(&m[SCALING_CUMULATIVE], s->cumulative);
	samples_add(&m[SCALING_WALL], s->at_ns);
	samples_add(&m[SCALING_MAPS], s->maps);
	samples_add(&m[SCALING_FDS], s->fds);
	samples_add(&m[SCALING_RSS], s->rss);
	samples_add(&m[SCALING_SLAB], s->slab);
	samples_add(&m[SCALING_PAGETABLES], s->pagetables);
	samples_add(&m[SCALING_KERNELSTACK], s->kernelstack);
	samples_add(&m[SCALING_TASKS], s->tasks);
}

struct steps {
	const struct options *o;
	const struct samples *create;
	uint64_t start_ns;
	uint64_t cumulative_ns;
	uint64_t last_ns;		/* when the last VM was made */
	struct samples m[SCALING_READINGS];
	bool quiet;
};

static void read_step(struct steps *st, uint64_t vms)
{
	struct step_reading r;

	step_read(&r, vms, clock_ns() - st->start_ns, st->cumulative_ns);
	record_step(st->m, &r);
}

/* "13000:  19.571s  2347.1 us/VM  51.499s  41 maps  2600.8 MiB slab" for
 * reading k (k >= 1: m[][0] is the baseline at 0 VMs). */
static void print_step(const struct options *o, struct samples *m, size_t k, uint64_t vms)
{
	uint64_t in_step = vms - (k - 1) * o->step;

	printf("%llu:\t%.3fs\t%8.1f us/VM\t%8.3fs\t%6llu maps\t%7.1f MiB slab\t%6llu tasks\n",
	       (unsigned long long)vms, (double)m[SCALING_CUMULATIVE].v[k] / 1e9,
	       (double)(m[SCALING_CUMULATIVE].v[k] - m[SCALING_CUMULATIVE].v[k - 1]) / 1e3 /
	       (double)in_step, (double)m[SCALING_WALL].v[k] / 1e9,
	       (unsigned long long)m[SCALING_MAPS].v[k],
	       (double)m[SCALING_SLAB].v[k] / 1048576.0, (unsigned long long)m[SCALING_TASKS].v[k]);
	fflush(stdout);
}

static void after_vm(void *ctx, size_t i, bool kept)
{
	struct steps *st = ctx;
	uint64_t vms = i + 1;

	st->last_ns = clock_ns();
	/* A VM whose creation a stop of the process fell into adds nothing. */
	if (kept)
		st->cumulative_ns += st->create->v[st->create->n - 1];
	if (vms % st->o->step && vms != st->o->vms)
		return;
	read_step(st, vms);
	if (!st->quiet)
		print_step(st->o, st->m, st->m[SCALING_CUMULATIVE].n - 1, vms);
}

/* Picks the fd mode and checks every limit before anything starts. */
static int plan(const struct options *o, int *mode)
{
	uint64_t maps_per_vm = o->memory == VM_MEM_INDIVIDUAL;
	int err = limits_memory(o->vms * LIVE_VM_BYTES, "--vms live VMs") ?:
		  limits_tasks(o->vms * limits_tasks_per_vm(), "--vms live VMs");

	if (err)
		return err;
	*mode = o->fd_mode;
	if (*mode == FD_AUTO)
		*mode = bench_live_two_fds(o->vms, (enum vm_memory)o->memory) ? FD_TWO : FD_ONE;
	if (*mode == FD_ONE)
		err = limits_nofile(o->vms, "--vms live VMs, even with one fd each");
	return err ?: limits_maps(o->vms * (maps_per_vm + (*mode == FD_TWO)), "--vms live VMs");
}

/* All VMs in this process, the seed's form. */
static int one_process(struct bench_common *c, const struct options *o, int mode,
		       struct scaled *sc)
{
	struct shard_result *r = &sc->r;
	struct steps st = { .o = o, .create = &r->create, .quiet = c->opt.quiet };
	struct progress progress;
	struct vm_template t;
	struct vm *vms = NULL;
	size_t made = 0, nsteps = (o->vms + o->step - 1) / o->step + 1;
	int err;

	memset(sc, 0, sizeof(*sc));
	snprintf(r->fds_per_vm, sizeof(r->fds_per_vm), "%d", mode == FD_TWO ? 2 : 1);
	err = vm_template_init(&t, &c->kvm, guest_find("hello"), (enum vm_memory)o->memory,
			       GUEST_DATA_DEFAULT);
	if (err)
		return err;
	vms = calloc(o->vms, sizeof(*vms));
	bool ok = vms && !samples_init(&r->create, o->vms) && !samples_init(&r->teardown, o->vms);
	for (int k = 0; k < SCALING_READINGS && ok; k++)
		ok = !samples_init(&st.m[k], nsteps);
	if (!ok) {
		vm_template_fini(&t);
		free(vms);
		for (int k = 0; k < SCALING_READINGS; k++)
			sc->m[k] = st.m[k];
		return err_set(-ENOMEM, "no memory for %llu VMs", (unsigned long long)o->vms);
	}
	if (!c->opt.quiet)
		printf("VMs\tTime\tstep mean\twall time\tmappings\tkernel slab\ttasks\n");
	st.start_ns = clock_ns();
	read_step(&st, 0);	/* the baseline, at 0 VMs */
	st.m[SCALING_WALL].v[0] = 0;
	progress_start(&progress, c, "VMs", o->vms);
	struct live_options lo = { .release_vcpu = mode == FD_ONE, .after = after_vm,
				   .exits = &c->out.exits, .ctx = &st, .progress = &progress };
	err = bench_live_create(&t, vms, o->vms, &r->create, &lo, &made);
	progress_end(&progress);
	r->made = made;
	r->wall_ns = made ? st.last_ns - st.start_ns : 0;
	bench_live_destroy(vms, made, &r->teardown);
	vm_template_fini(&t);
	free(vms);
	for (int k = 0; k < SCALING_READINGS; k++)
		sc->m[k] = st.m[k];
	return err;
}

/* The VMs spread over worker processes of `per` each. */
static int sharded(struct bench_common *c, const struct options *o, uint64_t per,
		   struct scaled *sc, bool table)
{
	struct shard_result *r = &sc->r;
	struct progress progress;
	struct shard_options so = { .vms = o->vms, .per = per,
				    .memory = (enum vm_memory)o->memory,
				    .fds_per_vm = o->fd_mode == FD_TWO ? 2 : o->fd_mode == FD_ONE,
				    .step = o->step, .progress = &progress };

	progress_start(&progress, c, "VMs", o->vms);
	int err = shard_run(c, &so, r);
	progress_end(&progress);
	memset(sc->m, 0, sizeof(sc->m));
	for (int k = 0; k < SCALING_READINGS && r->nsteps; k++)
		if (samples_init(&sc->m[k], r->nsteps))
			return err ?: err_set(-ENOMEM, "out of memory");
	for (size_t k = 0; k < r->nsteps; k++)
		record_step(sc->m, &r->steps[k]);
	if (table && !c->opt.quiet) {
		printf("VMs\tTime\tstep mean\twall time\tmappings\tkernel slab\ttasks "
		       "(%u processes of %llu VMs; mappings summed over them)\n", r->workers,
		       (unsigned long long)per);
		for (size_t k = 1; k < sc->m[SCALING_CUMULATIVE].n; k++)
			print_step(o, sc->m, k, k * o->step < o->vms ? k * o->step : o->vms);
	}
	return err;
}

/* Linearity: a least-squares line through (VMs, cumulative seconds), and
 * the mean per VM of the last step against the first's. */
static void fit_line(const struct options *o, const struct scaled *sc, const char *what)
{
	const struct shard_result *r = &sc->r;
	const struct samples *cum = &sc->m[SCALING_CUMULATIVE];
	size_t n = cum->n;
	double *x = calloc(n + 1, sizeof(double)), *y = calloc(n + 1, sizeof(double));
	struct linfit fit;

	for (size_t k = 0; x && y && k < n; k++) {
		x[k] = k == n - 1 && r->create.n % o->step ? (double)r->create.n :
		       (double)(k * o->step);
		y[k] = (double)cum->v[k] / 1e9;
	}
	if (x && y && n > 2 && stats_linfit(x, y, n, &fit) == 0) {
		double first = y[1] - y[0], last = y[n - 1] - y[n - 2];
		printf("%sslope %.1f us per VM, R^2 %.4f (least squares through %zu points); "
		       "last step / first step: %.2fx\n", what, fit.slope * 1e6, fit.r2, n,
		       (last / (x[n - 1] - x[n - 2])) / (first / x[1]));
	}
	free(x);
	free(y);
}

/* What each live VM costs the machine, from the readings at 0 VMs and at
 * the last step. */
static void per_vm(const struct scaled *sc)
{
	const struct samples *m = sc->m;
	size_t last = m[SCALING_CUMULATIVE].n - 1;
	uint64_t vms = sc->r.made;

	if (!last || !vms || m[SCALING_SLAB].n <= last || m[SCALING_TASKS].n <= last)
		return;
	printf("per live VM: kernel slab %.1f KiB, kernel stacks %.1f KiB, page tables %.2f "
	       "KiB, tasks %.3f (0 to %llu VMs)\n",
	       ((double)m[SCALING_SLAB].v[last] - (double)m[SCALING_SLAB].v[0]) / 1024 / (double)vms,
	       ((double)m[SCALING_KERNELSTACK].v[last] - (double)m[SCALING_KERNELSTACK].v[0]) /
	       1024 / (double)vms,
	       ((double)m[SCALING_PAGETABLES].v[last] - (double)m[SCALING_PAGETABLES].v[0]) /
	       1024 / (double)vms,
	       ((double)m[SCALING_TASKS].v[last] - (double)m[SCALING_TASKS].v[0]) / (double)vms,
	       (unsigned long long)vms);
}

/* One run's series into the result: the point's label on each (sweep). */
static void record_run(struct bench_common *c, const struct options *o,
		       const struct scaled *sc, const char *point)
{
	const struct shard_result *r = &sc->r;
	const char *key = point ? LABEL_VMS_PER_PROCESS : NULL;

	if (!r->create.n)
		return;
	int i = bench_series(c, SERIES_CREATE_RUN, &r->create, 0, point ? key : LABEL_MEMORY,
			     point ? point : vm_memory_names[o->memory]);
	if (i >= 0 && point)
		rec_series_label(&c->out.rec, i, LABEL_MEMORY, vm_memory_names[o->memory]);
	if (r->workers)
		bench_series(c, SERIES_WORKER, &r->worker, 0, key, point);
	bench_series(c, SERIES_TEARDOWN, &r->teardown, 0, key, point);
	for (int k = 0; k < SCALING_READINGS; k++) {
		i = bench_series(c, scaling_readings[k].name, &sc->m[k], 0, key, point);
		if (i >= 0)
			rec_series_unit(&c->out.rec, i, scaling_readings[k].unit);
	}
}

/* --sweep-processes: the same VMs at several VMs per process. */
static int sweep(struct bench_common *c, const struct options *o)
{
	uint64_t points[] = { o->vms, shard_per(o->vms, 2), shard_per(o->vms, 4), 1000, 500 };
	char list[256] = "";
	int err = 0;

	for (size_t p = 0; p < ARRAY_SIZE(points) && !err && !bench_signal; p++) {
		uint64_t per = points[p];
		char point[32], what[96];
		struct scaled sc;
		const struct shard_result *r = &sc.r;
		if (per > o->vms || (p && per >= points[p - 1]))
			continue;
		snprintf(point, sizeof(point), "%llu", (unsigned long long)per);
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", list[0] ? "," : "",
			 point);
		err = sharded(c, o, per, &sc, false);
		if (!c->opt.quiet && r->made) {
			uint64_t sum = 0;
			for (size_t i = 0; i < r->create.n; i++)
				sum += r->create.v[i];
			printf("%llu VMs per process (%u processes): wall %.3f s, sum of the samples "
			       "%.3f s, wall / sum %.2f\n", (unsigned long long)per, r->workers,
			       (double)r->wall_ns / 1e9, (double)sum / 1e9,
			       sum ? (double)r->wall_ns / (double)sum : 0.0);
			snprintf(what, sizeof(what), "  %llu per process: ", (unsigned long long)per);
			fit_line(o, &sc, what);
			fflush(stdout);
		}
		record_run(c, o, &sc, point);
		char key[96];
		snprintf(key, sizeof(key), "wall_ns_%s_per_process", point);
		rec_param_uint(&c->out.rec, key, r->wall_ns);
		snprintf(key, sizeof(key), "fds_per_vm_by_worker_%s_per_process", point);
		rec_param_text(&c->out.rec, key, r->fds_per_vm);
		scaled_free(&sc);
	}
	rec_param_text(&c->out.rec, "vms_per_process_points", list);
	rec_param_text(&c->out.rec, "order", "from all VMs in one process to the fewest per process");
	return err;
}

int main(int argc, char **argv)
{
	struct options o = { .vms = 13000, .step = 1000, .memory = VM_MEM_SHARED };
	const struct bench_opt opts[] = {
		BENCH_COUNT("vms", "N", "live VMs to reach", &o.vms, 1, 1000000),
		BENCH_COUNT("step", "S", "report every S VMs", &o.step, 1, 1000000),
		BENCH_CHOICE("memory", "KIND", "shared or individual", &o.memory,
			     vm_memory_names),
		BENCH_CHOICE("fd-mode", "MODE", "auto: two fds per VM where the limit allows,\n"
			     "                      else one; two: always (past the limit the run\n"
			     "                      stops with EMFILE); one: close each vCPU fd\n"
			     "                      after its run", &o.fd_mode, fd_mode_names),
		BENCH_COUNT("processes", "P", "spread the VMs over P worker processes that\n"
			    "                      create theirs in turn (0: all in this one);\n"
			    "                      result scaling-M-per-process.cbor", &o.processes,
			    0, 100000),
		BENCH_COUNT("vms-per-process", "M", "the same, M VMs per worker process", &o.per, 0,
			    1000000),
		BENCH_FLAG("sweep-processes", "the same VMs at N, N/2, N/4, 1000 and 500 per\n"
			   "                      process, one after another; result\n"
			   "                      scaling-sweep-processes.cbor", &o.sweep),
		{ 0 },
	};
	struct bench_common c = {
		.prog = "kvmbench-scaling", .name = "scaling", .opts = opts,
		.summary = "Keep creating live VMs; report the cumulative time at every step.",
	};
	struct scaled sc;
	const struct shard_result *r = &sc.r;
	char file[96];
	int mode = FD_ONE;
	int err = bench_parse(&c, argc, argv);

	if (err >= 0)
		return err;
	if (o.step > o.vms)
		return bench_usage_error(&c, "--step: larger than --vms");
	if (o.processes && o.per)
		return bench_usage_error(&c, "--processes and --vms-per-process: one or the other");
	if (o.sweep && (o.processes || o.per))
		return bench_usage_error(&c, "--sweep-processes chooses the processes itself: "
					 "drop --processes and --vms-per-process");
	if (o.processes > o.vms)
		return bench_usage_error(&c, "--processes: more processes than --vms");
	uint64_t per = o.per ? o.per : o.processes ? shard_per(o.vms, o.processes) : 0;
	if (per > o.vms)
		return bench_usage_error(&c, "--vms-per-process: more than --vms");
	/* Apart from the seed's one-process file: scaling[-N]-M-per-process. */
	char vms[32] = "";
	if (o.vms != 13000)
		snprintf(vms, sizeof(vms), "-%llu", (unsigned long long)o.vms);
	if (o.sweep)
		snprintf(file, sizeof(file), "scaling%s-sweep-processes", vms);
	else if (per)
		snprintf(file, sizeof(file), "scaling%s-%llu-per-process", vms,
			 (unsigned long long)per);
	c.file = o.sweep || per ? file : NULL;
	err = bench_start(&c);
	if (err != BENCH_MEASURE)
		return err;
	err = 0;
	struct shard_options check = { .vms = o.vms, .per = per ? per : o.vms };
	err = o.sweep ? shard_check(&(struct shard_options){ .vms = o.vms, .per = 500 },
				    "--vms live VMs") :
	      per ? shard_check(&check, "--vms live VMs") : plan(&o, &mode);
	if (err)
		return bench_finish(&c, err, false);
	rec_param_text(&c.out.rec, "guest", "hello");
	rec_param_uint(&c.out.rec, "nofile_limit", limits_nofile_free());
	rec_param_uint(&c.out.rec, "tasks_per_vm", limits_tasks_per_vm());
	if (o.sweep) {
		err = sweep(&c, &o);
		return bench_finish(&c, err, c.out.rec.nseries > 0);
	}

	err = per ? sharded(&c, &o, per, &sc, true) : one_process(&c, &o, mode, &sc);
	if (per) {
		/* Not vms_per_process: that is the option as given (0 with --processes). */
		rec_param_uint(&c.out.rec, "worker_vms", per);
		rec_param_uint(&c.out.rec, "workers", r->workers);
		rec_param_text(&c.out.rec, "fds_per_vm_by_worker", r->fds_per_vm);
		rec_param_uint(&c.out.rec, "wall_ns", r->wall_ns);
	} else {
		rec_param_uint(&c.out.rec, "fds_per_vm", mode == FD_TWO ? 2 : 1);
	}
	if (!c.opt.quiet && sc.m[SCALING_CUMULATIVE].n > 2) {
		fit_line(&o, &sc, "");
		per_vm(&sc);
		if (per)
			printf("processes: %u of %llu VMs, fds per VM by worker: %s\n", r->workers,
			       (unsigned long long)per, r->fds_per_vm);
		else
			printf("fd mode: %s\n", mode == FD_TWO ? "two fds per VM" :
			       "one fd per VM (vCPU fd closed after its run)");
	}
	if (!c.opt.quiet && r->create.n) {
		uint64_t sum = 0;
		for (size_t i = 0; i < r->create.n; i++)
			sum += r->create.v[i];
		printf("wall %.3f s, sum of the samples %.3f s: wall / sum %.2f\n",
		       (double)r->wall_ns / 1e9, (double)sum / 1e9,
		       sum ? (double)r->wall_ns / (double)sum : 0.0);
		bench_print_summary("create+run, kept alive", r->create.v, r->create.n);
	}
	record_run(&c, &o, &sc, NULL);
	err = bench_finish(&c, err, r->create.n > 0);
	scaled_free(&sc);
	return err;
}
