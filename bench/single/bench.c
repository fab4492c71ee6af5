/*
 * kvmbench-single: the seed's first experiment.  A VM is created, runs the
 * hello guest to its end port and is closed, again and again.
 *
 * Timed, per VM: KVM_CREATE_VM, its write-enabled memory (individual kind),
 * two memslots, KVM_CREATE_VCPU, mapping kvm_run, KVM_SET_CPUID2,
 * KVM_SET_SREGS and KVM_SET_REGS, every KVM_RUN until the end port (7
 * exits: 6 console bytes and the end), and the teardown (munmap, close
 * vCPU, close VM).
 * Not timed: option parsing, the read of KVM's counters between the run
 * and the teardown (vm_count), the check of the guest's output and status,
 * printing, writing the result.
 *
 * Warm-up VMs are timed and kept in the file, but flagged as warm-up and
 * left out of every summary.
 *
 * --phases also stamps the time between the steps of each VM
 * (vm_oneshot_phases) and keeps a series per phase; they add up to the
 * VM's sample.  The stamps add seven clock reads (well under 0.1% of a VM
 * here).
 */
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "common.h"
#include "err.h"
#include "series.h"
#include "names.h"

/* n VMs with their phases: totals into s, each phase into ph[]. */
static int phased(const struct vm_template *t, uint64_t n, struct samples *s,
		  struct exit_counts *exits,
		  struct samples ph[VM_PHASES], struct progress *p, uint64_t *done)
{
	uint64_t ns, phase_ns[VM_PHASES];
	struct vm_result res;

	for (uint64_t i = 0; i < n && !bench_signal; i++) {
		sig_atomic_t mark = bench_continued;
		int err = vm_oneshot_phases(t, &res, &ns, phase_ns);
		if (err || (err = bench_check_hello(&res)))
			return err;
		if (bench_stopped_since(mark))
			continue;
		samples_add(s, ns);
		for (int k = 0; k < VM_PHASES; k++)
			samples_add(&ph[k], phase_ns[k]);
		bench_count_exits(exits, &res);
		progress_tick(p, ++*done);
	}
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t rounds = 5, iterations = 2000, warmup = 100;
	int memory = VM_MEM_SHARED, guest = 0;
	bool phases = false;
	struct samples ph[VM_PHASES] = { 0 };
	const char *guest_names[64] = { 0 };

	/* hello first: the default; the others misbehave, for tests. */
	for (unsigned i = 0, k = 1; i < guest_image_count && k < 63; i++)
		if (strcmp(guest_images[i].name, "hello"))
			guest_names[k++] = guest_images[i].name;
	guest_names[0] = "hello";
	const struct bench_opt opts[] = {
		BENCH_COUNT("rounds", "R", "rounds, each printing its mean per VM", &rounds,
			    1, 1000000),
		BENCH_COUNT("iterations", "N", "VMs per round", &iterations, 1, 10000000),
		BENCH_COUNT("warmup", "N", "VMs run first, kept but left out of summaries",
			    &warmup, 0, 10000000),
		BENCH_CHOICE("memory", "KIND", "write-enabled memory: shared or individual;\n"
			     "                      the result of individual is single-individual.cbor",
			     &memory, vm_memory_names),
		BENCH_FLAG("phases", "also time each phase of each VM: create VM, memslots,\n"
			   "                      create vCPU, map kvm_run, set CPUID, set registers,\n"
			   "                      run, teardown (result single-phases[-individual].cbor)",
			   &phases),
		BENCH_CHOICE("guest", "NAME", "the guest: hello; hello-outsb (one exit for its\n"
			     "                      output; result single-hello-outsb.cbor); or one\n"
			     "                      that misbehaves (fault-*, spin, flood: for tests)",
			     &guest, guest_names),
		{ 0 },
	};
	struct bench_common c = {
		.prog = "kvmbench-single", .name = "single", .opts = opts,
		.summary = "Create a VM, run hello in it, close it; repeat, and time each VM.",
	};
	struct vm_template t;
	struct samples s = { 0 };
	int err = bench_parse(&c, argc, argv);

	if (err >= 0)
		return err;
	if (rounds * iterations > 100000000)
		return bench_usage_error(&c, "--rounds x --iterations: more than 100000000 VMs");
	/* Variants side by side in one results directory: single.cbor,
	 * single-individual.cbor, single-hello-outsb.cbor ... */
	char file[96];
	snprintf(file, sizeof(file), "single%s%s%s%s", phases ? "-phases" : "",
		 guest ? "-" : "", guest ? guest_names[guest] : "",
		 memory == VM_MEM_INDIVIDUAL ? "-individual" : "");
	c.file = file;
	err = bench_start(&c);
	if (err != BENCH_MEASURE)
		return err;
	err = 0;
	rec_param_uint(&c.out.rec, "data_size", GUEST_DATA_DEFAULT);
	for (int k = 0; k < VM_PHASES && !err && phases; k++)
		err = samples_init(&ph[k], warmup + rounds * iterations);
	err = err ?: samples_init(&s, warmup + rounds * iterations) ?:
	      vm_template_init(&t, &c.kvm, guest_find(guest_names[guest]), (enum vm_memory)memory,
			       GUEST_DATA_DEFAULT);
	if (err) {
		samples_free(&s);
		return bench_finish(&c, err, false);
	}

	struct progress progress;
	uint64_t done = 0;
	progress_start(&progress, &c, "VMs", warmup + rounds * iterations);
	err = phases ? phased(&t, warmup, &s, &c.out.exits, ph, &progress, &done) :
		       bench_oneshots(&t, vm_oneshot, warmup, &s, NULL, &c.out.exits, &progress, &done);
	for (uint64_t r = 0; r < rounds && !err && !bench_signal; r++) {
		size_t before = s.n;
		err = phases ? phased(&t, iterations, &s, &c.out.exits, ph, &progress, &done) :
			       bench_oneshots(&t, vm_oneshot, iterations, &s, NULL, &c.out.exits, &progress,
					      &done);
		progress_end(&progress);
		/* The seed's line, the round's mean per VM: of a whole round only
		 * (an interrupted one has fewer). */
		if (!err && !c.opt.quiet && s.n - before == iterations) {
			uint64_t ns = (uint64_t)stats_mean(s.v + before, iterations);
			printf("Time spent: %lluns (%llu micros)\n", (unsigned long long)ns,
			       (unsigned long long)(ns / 1000));
			fflush(stdout);
		}
	}
	progress_end(&progress);
	vm_template_fini(&t);

	if (s.n)
		bench_series(&c, SERIES_CREATE_RUN_CLOSE, &s, warmup, LABEL_MEMORY,
			     vm_memory_names[memory]);
	if (!c.opt.quiet && s.n > warmup)
		bench_print_summary("per VM", s.v + warmup, s.n - warmup);
	for (int k = 0; k < VM_PHASES && phases && s.n; k++) {
		char name[64];
		snprintf(name, sizeof(name), SERIES_PHASE "%s", vm_phase_names[k]);
		bench_series(&c, name, &ph[k], warmup, LABEL_MEMORY, vm_memory_names[memory]);
		if (!c.opt.quiet && ph[k].n > warmup)
			bench_print_summary(name, ph[k].v + warmup, ph[k].n - warmup);
	}
	for (int k = 0; k < VM_PHASES; k++)
		samples_free(&ph[k]);
	err = bench_finish(&c, err, s.n > 0);
	samples_free(&s);
	return err;
}
