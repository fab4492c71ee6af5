/*
 * kvmbench-single: the seed's first experiment.  A VM is created, runs the
 * hello guest to its end port and is closed, again and again.
 *
 * Timed, per VM: KVM_CREATE_VM, its write-enabled memory (individual kind),
 * two memslots, KVM_CREATE_VCPU, mapping kvm_run, KVM_SET_SREGS and
 * KVM_SET_REGS, every KVM_RUN until the end port (7 exits: 6 console bytes
 * and the end), and the teardown (munmap, close vCPU, close VM).
 * Not timed: option parsing, the check of the guest's output and status,
 * printing, writing the result.
 *
 * Warm-up VMs are timed and kept in the file, but flagged as warm-up and
 * left out of every summary.
 */
#include <string.h>

#include "abi.h"
#include "common.h"
#include "err.h"

int main(int argc, char **argv)
{
	uint64_t rounds = 5, iterations = 2000, warmup = 100;
	int memory = VM_MEM_SHARED, guest = 0;
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
			     "                      individual's result is single-individual.cbor",
			     &memory, bench_memory_choices),
		BENCH_CHOICE("guest", "NAME", "the guest: hello, or one that misbehaves (the\n"
			     "                      tests' fault-*, spin, flood: the run must fail)",
			     &guest, guest_names),
		{ 0 },
	};
	struct bench_common c = {
		.prog = "kvmbench-single", .name = "single", .opts = opts,
		.summary = "Create a VM, run hello in it, close it; repeat, and time each VM.",
	};
	struct vm_template t;
	struct samples s = { 0 };
	struct vm_result res = { 0 };
	int err = bench_parse(&c, argc, argv);

	if (err >= 0)
		return err;
	if (rounds * iterations > 100000000)
		return bench_usage_error(&c, "--rounds x --iterations: more than 100000000 VMs");
	/* Both kinds side by side in one results directory. */
	if (memory == VM_MEM_INDIVIDUAL)
		c.file = "single-individual";
	err = bench_start(&c);
	if (err)
		return err;
	rec_param_uint(&c.rec, "data_size", GUEST_DATA_DEFAULT);
	err = samples_init(&s, warmup + rounds * iterations) ?:
	      vm_template_init(&t, &c.kvm, guest_find(guest_names[guest]), (enum vm_memory)memory,
			       GUEST_DATA_DEFAULT);
	if (err) {
		samples_free(&s);
		return bench_finish(&c, err, false);
	}

	err = bench_oneshots(&t, false, warmup, &s, &res, NULL, NULL);
	for (uint64_t r = 0; r < rounds && !err && !bench_signal; r++) {
		err = bench_oneshots(&t, false, iterations, &s, &res, NULL, NULL);
		if (!err && !c.quiet) {
			/* The seed's line: the round's mean per VM. */
			uint64_t ns = (uint64_t)stats_mean(s.v + s.n - iterations, iterations);
			printf("Time spent: %lluns (%llu micros)\n", (unsigned long long)ns,
			       (unsigned long long)(ns / 1000));
			fflush(stdout);
		}
	}
	vm_template_fini(&t);

	if (s.n) {
		bench_series(&c, "create-run-close", &s, warmup, "memory",
			     bench_memory_choices[memory]);
		rec_param_uint(&c.rec, "exits_per_run", res.exits);
		rec_param_uint(&c.rec, "io_exits_per_run", res.exits_io);
	}
	if (!c.quiet && s.n > warmup)
		bench_print_summary("per VM", s.v + warmup, s.n - warmup);
	err = bench_finish(&c, err, s.n > 0);
	samples_free(&s);
	return err;
}
