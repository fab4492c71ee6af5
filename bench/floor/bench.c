/*
 * kvmbench-floor: what does the VMM add?  Times the suite's single-use VM
 * (vm_oneshot, as every single-use benchmark runs it) against the bare loop
 * (lib/bare.c: the same ioctls and nothing else), in one process, on the
 * same memory, alternating VM by VM (A B, B A, B A, A B ...) so that drift
 * on the machine, which here moves the median by 20% from one second to the
 * next, hits both alike.  Prints both medians and their ratio.
 *
 * Timed, per VM, in both: create VM, memory (individual kind), two
 * memslots, create vCPU, map kvm_run, set CPUID, sregs and regs, run hello
 * to its end port, teardown.  Not timed, in both: the read of KVM's
 * counters between the run and the teardown, and everything else.
 */
#include "abi.h"
#include "common.h"
#include "bare.h"
#include "series.h"
#include "names.h"
#include "err.h"

int main(int argc, char **argv)
{
	static const char *const names[2] = { SERIES_VM_ONESHOT, SERIES_FLOOR };
	uint64_t rounds = 6, iterations = 1000, warmup = 100;
	int memory = VM_MEM_SHARED;
	const struct bench_opt opts[] = {
		BENCH_COUNT("rounds", "R", "rounds of each", &rounds, 1, 1000000),
		BENCH_COUNT("iterations", "N", "VMs of each per round, alternating one by one",
			    &iterations, 1, 10000000),
		BENCH_COUNT("warmup", "N", "VMs of each run first, left out of summaries",
			    &warmup, 0, 10000000),
		BENCH_CHOICE("memory", "KIND", "shared or individual", &memory,
			     vm_memory_names),
		{ 0 },
	};
	struct bench_common c = {
		.prog = "kvmbench-floor", .name = "floor", .opts = opts,
		.summary = "Time kvmbench's single-use VM against the bare floor loop, alternating.",
	};
	struct samples s[2] = { 0 };
	struct vm_template t;
	int err = bench_parse(&c, argc, argv);

	if (err >= 0)
		return err;
	if (rounds * iterations > 100000000)
		return bench_usage_error(&c, "--rounds x --iterations: more than 100000000 VMs");
	err = bench_start(&c);
	if (err != BENCH_MEASURE)
		return err;
	err = 0;
	rec_param_text(&c.out.rec, "guest", "hello");
	rec_param_text(&c.out.rec, "order", "alternating VM by VM in ABBA pairs, vm_oneshot first");
	for (int k = 0; k < 2 && !err; k++)
		err = samples_init(&s[k], warmup + rounds * iterations);
	err = err ?: vm_template_init(&t, &c.kvm, guest_find("hello"), (enum vm_memory)memory,
				      GUEST_DATA_DEFAULT);
	if (err) {
		samples_free(&s[0]);
		samples_free(&s[1]);
		return bench_finish(&c, err, false);
	}

	/* The suite's VM, and the floor's; only the suite's runs count exits. */
	bench_oneshot_fn *const oneshot[2] = { vm_oneshot, bare_oneshot };
	struct exit_counts *const exits[2] = { &c.out.exits, NULL };
	struct progress progress;
	uint64_t done = 0;
	progress_start(&progress, &c, "VMs", 2 * (warmup + rounds * iterations));
	for (int k = 0; k < 2 && !err; k++)
		err = bench_oneshots(&t, oneshot[k], warmup, &s[k], NULL, exits[k], &progress,
				     &done);
	for (uint64_t i = 0; i < rounds * iterations && !err && !bench_signal; i++) {
		int a = bench_abba(i);
		err = bench_oneshots(&t, oneshot[a], 1, &s[a], NULL, exits[a], &progress, &done) ?:
		      bench_oneshots(&t, oneshot[!a], 1, &s[!a], NULL, exits[!a], &progress, &done);
	}
	progress_end(&progress);
	vm_template_fini(&t);

	bool measured = s[0].n || s[1].n;
	for (int k = 0; k < 2 && measured; k++) {
		bench_series(&c, names[k], &s[k], warmup, LABEL_MEMORY, vm_memory_names[memory]);
		if (!c.opt.quiet && s[k].n > warmup)
			bench_print_summary(names[k], s[k].v + warmup, s[k].n - warmup);
	}
	if (!c.opt.quiet)
		bench_print_ratio("ratio vm_oneshot/floor", &s[0], warmup, &s[1], warmup, NULL);
	err = bench_finish(&c, err, measured);
	samples_free(&s[0]);
	samples_free(&s[1]);
	return err;
}
