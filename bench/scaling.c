/*
 * kvmbench-scaling: keep creating live VMs, up to 13000, and report the
 * cumulative time at every 1000, as the seed's "Time spent creating new
 * VMs" table and chart did.
 *
 * Timed, per VM: create VM, memslots, vCPU, kvm_run, registers, every
 * KVM_RUN until hello's end port.  The cumulative time at a step is the sum
 * of those samples: bookkeeping between VMs is left out.  Not timed: the
 * check of the guest's output, releasing the vCPU fd (one-fd mode), the
 * readings of /proc at each step, the teardown at the end (timed separately).
 *
 * "Time" sums the samples; "wall" is the elapsed time since the first VM,
 * bookkeeping included.  In one-fd mode the two part: every munmap of a
 * kvm_run calls the MMU notifier of every live VM (README, "Scaling").
 *
 * Each live VM holds two fds (VM, vCPU) and a kvm_run mapping.  Where the
 * file-descriptor limit cannot hold two per VM, the VM keeps one: after its
 * run the vCPU fd is closed and kvm_run unmapped; the vCPU lives on inside
 * the VM.  The mode used is in the result ("fd_mode").
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
#include "stats.h"
#include "sysinfo.h"

enum fd_mode { FD_AUTO, FD_TWO, FD_ONE };
static const char *const fd_mode_names[] = { "auto", "two", "one", NULL };

struct options {
	uint64_t vms;
	uint64_t step;
	int memory;
	int fd_mode;
};

struct steps {
	const struct options *o;
	const struct samples *create;
	uint64_t start_ns;
	uint64_t cumulative_ns;
	struct samples m[SCALING_READINGS];
	bool quiet;
};

static void read_step(struct steps *st)
{
	samples_add(&st->m[SCALING_CUMULATIVE], st->cumulative_ns);
	samples_add(&st->m[SCALING_WALL], clock_ns() - st->start_ns);
	samples_add(&st->m[SCALING_MAPS], (uint64_t)sysinfo_map_count());
	samples_add(&st->m[SCALING_FDS], (uint64_t)sysinfo_fd_count());
	samples_add(&st->m[SCALING_RSS], sysinfo_status_bytes("VmRSS"));
	samples_add(&st->m[SCALING_SLAB], sysinfo_meminfo("Slab"));
	samples_add(&st->m[SCALING_PAGETABLES], sysinfo_meminfo("PageTables"));
	samples_add(&st->m[SCALING_KERNELSTACK], sysinfo_meminfo("KernelStack"));
}

static void after_vm(void *ctx, size_t i, bool kept)
{
	struct steps *st = ctx;
	uint64_t vms = i + 1;

	/* A VM whose creation a stop of the process fell into adds nothing. */
	if (kept)
		st->cumulative_ns += st->create->v[st->create->n - 1];
	if (vms % st->o->step && vms != st->o->vms)
		return;
	read_step(st);
	if (!st->quiet) {
		/* k >= 1: m[][0] is the baseline at 0 VMs. */
		size_t k = st->m[SCALING_CUMULATIVE].n - 1;
		uint64_t prev = st->m[SCALING_CUMULATIVE].v[k - 1];
		uint64_t in_step = vms - (k - 1) * st->o->step;
		fprintf(stdout, "%llu:\t%.3fs\t%8.1f us/VM\t%8.3fs\t%6llu maps\t%7.1f MiB slab\n",
			(unsigned long long)vms, (double)st->cumulative_ns / 1e9,
			(double)(st->cumulative_ns - prev) / 1e3 / (double)in_step,
			(double)st->m[SCALING_WALL].v[k] / 1e9,
			(unsigned long long)st->m[SCALING_MAPS].v[k],
			(double)st->m[SCALING_SLAB].v[k] / 1048576.0);
		fflush(stdout);
	}
}

/* Picks the fd mode and checks every limit before anything starts. */
static int plan(const struct options *o, int *mode)
{
	uint64_t maps_per_vm = o->memory == VM_MEM_INDIVIDUAL;
	int err = limits_memory(o->vms * LIVE_VM_BYTES, "--vms live VMs");

	if (err)
		return err;
	*mode = o->fd_mode;
	if (*mode == FD_AUTO)
		*mode = limits_nofile(2 * o->vms, "two fds per VM") == 0 &&
			limits_maps(o->vms * (maps_per_vm + 1), "a kvm_run per VM") == 0 ?
			FD_TWO : FD_ONE;
	if (*mode == FD_ONE)
		err = limits_nofile(o->vms, "--vms live VMs, even with one fd each");
	return err ?: limits_maps(o->vms * (maps_per_vm + (*mode == FD_TWO)), "--vms live VMs");
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
		{ 0 },
	};
	struct bench_common c = {
		.prog = "kvmbench-scaling", .name = "scaling", .opts = opts,
		.summary = "Keep creating live VMs; report the cumulative time at every step.",
	};
	struct samples create = { 0 }, teardown = { 0 };
	struct steps st = { .o = &o, .create = &create };
	struct progress progress;
	struct vm_template t;
	struct vm *vms = NULL;
	int mode;
	size_t made = 0;
	int err = bench_parse(&c, argc, argv);

	if (err >= 0)
		return err;
	if (o.step > o.vms)
		return bench_usage_error(&c, "--step: larger than --vms");
	err = bench_start(&c);
	if (err)
		return err;
	err = plan(&o, &mode);
	if (err)
		return bench_finish(&c, err, false);
	st.quiet = c.quiet;
	rec_param_text(&c.rec, "guest", "hello");
	rec_param_uint(&c.rec, "fds_per_vm", mode == FD_TWO ? 2 : 1);
	rec_param_uint(&c.rec, "nofile_limit", limits_nofile_free());

	err = vm_template_init(&t, &c.kvm, guest_find("hello"), (enum vm_memory)o.memory, GUEST_DATA_DEFAULT);
	if (err)
		return bench_finish(&c, err, false);
	size_t nsteps = (o.vms + o.step - 1) / o.step + 1;
	vms = calloc(o.vms, sizeof(*vms));
	bool ok = vms && !samples_init(&create, o.vms) && !samples_init(&teardown, o.vms);
	for (int k = 0; k < SCALING_READINGS && ok; k++)
		ok = !samples_init(&st.m[k], nsteps);
	if (!ok) {
		vm_template_fini(&t);
		return bench_finish(&c, err_set(-ENOMEM, "no memory for %llu VMs",
						(unsigned long long)o.vms), false);
	}

	if (!c.quiet)
		printf("VMs\tTime\tstep mean\twall time\tmappings\tkernel slab\n");
	read_step(&st);		/* the baseline, at 0 VMs */
	st.start_ns = clock_ns();
	st.m[SCALING_WALL].v[0] = 0;
	progress_start(&progress, &c, "VMs", o.vms);
	struct live_options lo = { .release_vcpu = mode == FD_ONE, .after = after_vm,
				   .exits = &c.exits,
				   .ctx = &st, .progress = &progress };
	err = bench_live_create(&t, vms, o.vms, &create, &lo, &made);
	progress_end(&progress);
	bench_live_destroy(vms, made, &teardown);
	vm_template_fini(&t);
	free(vms);

	/* Linearity: a least-squares line through (VMs, cumulative seconds). */
	size_t n = st.m[SCALING_CUMULATIVE].n;
	double *x = calloc(n + 1, sizeof(double)), *y = calloc(n + 1, sizeof(double));
	struct linfit fit;
	for (size_t k = 0; x && y && k < n; k++) {
		x[k] = k == n - 1 && create.n % o.step ? (double)create.n : (double)(k * o.step);
		y[k] = (double)st.m[SCALING_CUMULATIVE].v[k] / 1e9;
	}
	if (x && y && !c.quiet && stats_linfit(x, y, n, &fit) == 0) {
		double first = y[1] - y[0], last = y[n - 1] - y[n - 2];
		printf("slope %.1f us per VM, R^2 %.4f (least squares through %zu points); "
		       "last step / first step: %.2fx\n", fit.slope * 1e6, fit.r2, n,
		       n > 2 ? (last / (x[n - 1] - x[n - 2])) / (first / x[1]) : 1.0);
		printf("fd mode: %s\n", mode == FD_TWO ? "two fds per VM" :
		       "one fd per VM (vCPU fd closed after its run)");
	}
	free(x);
	free(y);
	if (!c.quiet && create.n)
		bench_print_summary("create+run, kept alive", create.v, create.n);

	if (create.n) {
		bench_series(&c, SERIES_CREATE_RUN, &create, 0, LABEL_MEMORY, vm_memory_names[o.memory]);
		bench_series(&c, SERIES_TEARDOWN, &teardown, 0, NULL, NULL);
		for (int k = 0; k < SCALING_READINGS; k++) {
			int i = bench_series(&c, scaling_readings[k].name, &st.m[k], 0, NULL, NULL);
			if (i >= 0)
				rec_series_unit(&c.rec, i, scaling_readings[k].unit);
		}
	}
	err = bench_finish(&c, err, create.n > 0);
	samples_free(&create);
	samples_free(&teardown);
	for (int k = 0; k < SCALING_READINGS; k++)
		samples_free(&st.m[k]);
	return err;
}
