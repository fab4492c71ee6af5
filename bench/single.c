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
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "abi.h"
#include "clock.h"
#include "cli.h"
#include "common.h"
#include "err.h"
#include "stats.h"

static const char hello[] = "hello\n";

struct options {
	uint64_t rounds;
	uint64_t iterations;
	uint64_t warmup;
	enum vm_memory memory;
};

static void help(const struct bench_common *c, const struct options *o)
{
	printf("Usage: %s [OPTION]...\n"
	       "Create a VM, run hello in it, close it; repeat, and time each VM.\n\n"
	       "  --rounds R          rounds, each printing its mean (default %llu)\n"
	       "  --iterations N      VMs per round (default %llu)\n"
	       "  --warmup N          VMs run first and left out of summaries (default %llu)\n"
	       "  --memory KIND       shared or individual write-enabled memory (default %s);\n"
	       "                      the default result of individual is single-individual.cbor\n",
	       c->prog, (unsigned long long)o->rounds, (unsigned long long)o->iterations,
	       (unsigned long long)o->warmup, vm_memory_name(o->memory));
	bench_common_help(stdout, c->name);
}

/* The guest must have printed hello and ended with status 0: anything else
 * means the VM did not do the work the sample claims to time. */
static int check_run(const struct vm_result *res)
{
	if (res->status)
		return err_set(-EIO, "hello guest ended with status %u instead of 0", res->status);
	if (res->out_len != sizeof(hello) - 1 || memcmp(res->out, hello, res->out_len))
		return err_set(-EIO, "hello guest printed '%.*s' (%zu bytes) instead of "
			       "'hello\\n'", (int)res->out_len, res->out, res->out_len);
	return 0;
}

static int measure(struct bench_common *c, const struct options *o, struct samples *s,
		   struct vm_result *res)
{
	struct vm_template t;
	int err = vm_template_init(&t, &c->kvm, guest_find("hello"), o->memory,
				   GUEST_DATA_DEFAULT);

	if (err)
		return err;
	for (uint64_t i = 0; i < o->warmup + o->rounds * o->iterations && !bench_signal; i++) {
		uint64_t t0 = clock_ns();
		err = vm_oneshot(&t, res);
		uint64_t t1 = clock_ns();
		if (err || (err = check_run(res)))
			break;
		samples_add(s, t1 - t0);

		uint64_t done = i + 1 - o->warmup;
		if (i >= o->warmup && done % o->iterations == 0 && !c->quiet) {
			uint64_t ns = (uint64_t)stats_mean(s->v + s->n - o->iterations,
							   o->iterations);
			printf("Time spent: %lluns (%llu micros)\n", (unsigned long long)ns,
			       (unsigned long long)(ns / 1000));
			fflush(stdout);
		}
	}
	vm_template_fini(&t);
	return err;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rounds", required_argument, NULL, 'r' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "memory", required_argument, NULL, 'm' },
		BENCH_COMMON_OPTIONS,
		{ 0 },
	};
	struct bench_common c = { .prog = "kvmbench-single", .name = "single" };
	struct options o = { .rounds = 5, .iterations = 2000, .warmup = 100,
			     .memory = VM_MEM_SHARED };
	struct samples s;
	struct vm_result res = { 0 };
	int opt, err;

	while ((opt = getopt_long(argc, argv, BENCH_OPTSTRING, longopts, NULL)) != -1) {
		if (bench_common_option(&c, opt, optarg))
			continue;
		switch (opt) {
		case 'r':
			err = cli_count("--rounds", optarg, 1, 1000000, &o.rounds);
			break;
		case 'n':
			err = cli_count("--iterations", optarg, 1, 10000000, &o.iterations);
			break;
		case 'w':
			err = cli_count("--warmup", optarg, 0, 10000000, &o.warmup);
			break;
		case 'm':
			err = vm_memory_parse(optarg, &o.memory);
			break;
		case 'h':
			help(&c, &o);
			return 0;
		default:
			return bench_option_error(&c, opt, argv);
		}
		if (err)
			return bench_usage_error(&c, err_msg());
	}
	if (optind < argc)
		return bench_usage_error(&c, "unexpected argument");
	if (o.rounds * o.iterations > 100000000)
		return bench_usage_error(&c, "--rounds x --iterations: more than 100000000 VMs");

	/* Both kinds side by side in one results directory. */
	if (o.memory == VM_MEM_INDIVIDUAL)
		c.file = "single-individual";
	err = bench_start(&c);
	if (err)
		return err;
	err = samples_init(&s, o.warmup + o.rounds * o.iterations);
	if (err)
		return bench_finish(&c, err, false);

	rec_param_uint(&c.rec, "rounds", o.rounds);
	rec_param_uint(&c.rec, "iterations", o.iterations);
	rec_param_uint(&c.rec, "warmup", o.warmup);
	rec_param_text(&c.rec, "memory", vm_memory_name(o.memory));
	rec_param_text(&c.rec, "guest", "hello");
	rec_param_uint(&c.rec, "data_size", GUEST_DATA_DEFAULT);

	err = measure(&c, &o, &s, &res);
	if (s.n) {
		int i = rec_add_series(&c.rec, "create-run-close", s.v, s.n,
				       o.warmup < s.n ? o.warmup : s.n);
		if (i >= 0)
			rec_series_label(&c.rec, i, "memory", vm_memory_name(o.memory));
		rec_param_uint(&c.rec, "exits_per_run", res.exits);
		rec_param_uint(&c.rec, "io_exits_per_run", res.exits_io);
	}
	if (!c.quiet && s.n > o.warmup)
		bench_print_summary("per VM", s.v + o.warmup, s.n - o.warmup);
	err = bench_finish(&c, err, s.n > 0);
	samples_free(&s);
	return err;
}
