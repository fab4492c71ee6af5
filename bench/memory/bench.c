/*
 * kvmbench-memory: shared versus individual write-enabled memory.
 *
 * Part 1, the seed's single-use loop for both kinds in one run: create, run
 * hello, close, alternating kind VM by VM in A B, B A pairs so that drift
 * on the machine hits both alike (alternating whole rounds let the ratio
 * swing by 10% here).  Timed
 * per VM exactly as every single-use VM: create, memory (individual kind),
 * memslots, vCPU, kvm_run, CPUID, registers, runs, teardown (KVM's
 * counters read between, untimed).
 *
 * Part 2, what a live VM costs in memory: for each kind, --live VMs are
 * created and kept; every --live/10 VMs the process's resident memory,
 * the kernel's Slab, PageTables and KernelStack (/proc/meminfo, so the
 * whole machine's) and the number of kernel threads are read.  The growth
 * per VM is the last reading minus the first, divided by the VMs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "abi.h"
#include "clock.h"
#include "common.h"
#include "err.h"
#include "limits.h"
#include "series.h"
#include "names.h"
#include "stats.h"
#include "sysinfo.h"

struct live {
	uint64_t every;
	struct samples m[LIVE_READINGS];
};

static void read_live(struct live *l)
{
	samples_add(&l->m[LIVE_RSS], sysinfo_status_bytes("VmRSS"));
	samples_add(&l->m[LIVE_SLAB], sysinfo_meminfo("Slab"));
	samples_add(&l->m[LIVE_PAGETABLES], sysinfo_meminfo("PageTables"));
	samples_add(&l->m[LIVE_KERNELSTACK], sysinfo_meminfo("KernelStack"));
	long k = sysinfo_kernel_threads(), p = sysinfo_threads();
	samples_add(&l->m[LIVE_KERNEL_THREADS], k > 0 ? (uint64_t)k : 0);
	samples_add(&l->m[LIVE_PROCESS_THREADS], p > 0 ? (uint64_t)p : 0);
}

static void after_live(void *ctx, size_t i, bool kept)
{
	struct live *l = ctx;

	(void)kept;	/* readings, not the samples of a timed region */
	if ((i + 1) % l->every == 0)
		read_live(l);
}

static int live_cost(const struct vm_template *t, uint64_t n, struct live *l)
{
	struct vm *vms = calloc(n, sizeof(*vms));
	struct live_options lo = { .after = after_live, .ctx = l };
	size_t made = 0;
	int err;

	if (!vms)
		return err_set(-ENOMEM, "no memory for %llu VMs", (unsigned long long)n);
	read_live(l);
	err = bench_live_create(t, vms, n, NULL, &lo, &made);
	bench_live_destroy(vms, made, NULL);
	free(vms);
	return err;
}

int main(int argc, char **argv)
{
	uint64_t rounds = 5, iterations = 2000, warmup = 100, nlive = 1000;
	const struct bench_opt opts[] = {
		BENCH_COUNT("rounds", "R", "rounds of each kind", &rounds, 1, 1000000),
		BENCH_COUNT("iterations", "N", "VMs of each kind per round, alternating one by one",
			    &iterations, 1, 10000000),
		BENCH_COUNT("warmup", "N", "VMs of each kind run first, left out of summaries",
			    &warmup, 0, 10000000),
		BENCH_COUNT("live", "N", "live VMs of each kind for the memory readings,\n"
			    "                      read every N/10", &nlive, 10, 1000000),
		{ 0 },
	};
	struct bench_common c = {
		.prog = "kvmbench-memory", .name = "memory", .opts = opts,
		.summary = "Shared against individual guest memory: single-use cost and live cost.",
	};
	struct vm_template t[2];
	struct samples s[2] = { 0 };
	struct live live[2] = { 0 };
	struct progress progress;
	uint64_t done = 0;
	int err = bench_parse(&c, argc, argv), ready = 0;

	if (err >= 0)
		return err;
	if (rounds * iterations > 100000000)
		return bench_usage_error(&c, "--rounds x --iterations: more than 100000000 VMs");
	err = bench_start(&c);
	if (err != BENCH_MEASURE)
		return err;
	err = 0;
	err = limits_nofile(2 * nlive, "--live VMs (2 fds each)") ?:
	      limits_maps(2 * nlive, "--live VMs") ?:
	      limits_memory(nlive * LIVE_VM_BYTES, "--live VMs") ?:
	      limits_tasks(nlive * limits_tasks_per_vm(), "--live VMs");
	if (err)
		return bench_finish(&c, err, false);
	rec_param_uint(&c.out.rec, "live_every", nlive / 10);
	rec_param_text(&c.out.rec, "guest", "hello");
	rec_param_text(&c.out.rec, "order", "alternating VM by VM in ABBA pairs, shared first");

	for (int k = 0; k < 2 && !err; k++) {
		live[k].every = nlive / 10;
		err = vm_template_init(&t[k], &c.kvm, guest_find("hello"), (enum vm_memory)k,
				       GUEST_DATA_DEFAULT) ?:
		      samples_init(&s[k], warmup + rounds * iterations);
		ready += !err;
		for (int m = 0; m < LIVE_READINGS && !err; m++)
			err = samples_init(&live[k].m[m], 12);
	}

	progress_start(&progress, &c, "VMs", 2 * (warmup + rounds * iterations));
	for (int k = 0; k < 2 && !err; k++)
		err = bench_oneshots(&t[k], vm_oneshot, warmup, &s[k], NULL, &c.out.exits, &progress,
				     &done);
	for (uint64_t i = 0; i < rounds * iterations && !err && !bench_signal; i++) {
		int a = bench_abba(i);
		err = bench_oneshots(&t[a], vm_oneshot, 1, &s[a], NULL, &c.out.exits, &progress, &done) ?:
		      bench_oneshots(&t[!a], vm_oneshot, 1, &s[!a], NULL, &c.out.exits, &progress,
				     &done);
	}
	progress_end(&progress);
	for (int k = 0; k < 2 && !err && !bench_signal; k++)
		err = live_cost(&t[k], nlive, &live[k]);
	for (int k = 0; k < ready; k++)
		vm_template_fini(&t[k]);

	bool measured = s[0].n || s[1].n;
	for (int k = 0; k < 2 && measured; k++) {
		const char *kind = vm_memory_names[k];
		bench_series(&c, SERIES_CREATE_RUN_CLOSE, &s[k], warmup, LABEL_MEMORY, kind);
		for (int m = 0; m < LIVE_READINGS && live[k].m[m].n; m++) {
			int i = bench_series(&c, live_readings[m].name, &live[k].m[m], 0,
					     LABEL_MEMORY, kind);
			if (i >= 0)
				rec_series_unit(&c.out.rec, i, live_readings[m].unit);
		}
		if (!c.opt.quiet && s[k].n > warmup) {
			char label[64];
			snprintf(label, sizeof(label), "%s memory, per VM", kind);
			bench_print_summary(label, s[k].v + warmup, s[k].n - warmup);
		}
	}
	if (!c.opt.quiet)
		bench_print_ratio("ratio individual/shared", &s[1], warmup, &s[0], warmup,
				  "(seed, published means: 420/240 = 1.75)");
	for (int k = 0; k < 2 && !c.opt.quiet; k++) {
		struct samples *m = live[k].m;
		size_t n = m[LIVE_RSS].n;
		if (n < 2)
			continue;
		uint64_t vms = (n - 1) * live[k].every;
		printf("%s memory, %llu live VMs, growth per VM:", vm_memory_names[k],
		       (unsigned long long)vms);
		for (int j = 0; j < LIVE_KERNEL_THREADS; j++)
			printf("  %s %.1f KiB", live_readings[j].title,
			       ((double)m[j].v[n - 1] - (double)m[j].v[0]) / 1024.0 / (double)vms);
		printf("\n  threads started: %lld of the kernel's own (kthreadd's), %lld inside this "
		       "process\n", (long long)m[LIVE_KERNEL_THREADS].v[n - 1] - (long long)m[LIVE_KERNEL_THREADS].v[0],
		       (long long)m[LIVE_PROCESS_THREADS].v[n - 1] - (long long)m[LIVE_PROCESS_THREADS].v[0]);
	}
	err = bench_finish(&c, err, measured);
	for (int k = 0; k < 2; k++) {
		samples_free(&s[k]);
		for (int m = 0; m < LIVE_READINGS; m++)
			samples_free(&live[k].m[m]);
	}
	return err;
}
