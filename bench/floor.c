/*
 * kvmbench-floor: what does the VMM add?  Times the suite's single-use VM
 * (vm_oneshot, as kvmbench-single runs it) against the floor loop
 * (lib/floor.c: the same ioctls and nothing else), in one process, on the
 * same memory, in alternating rounds (A B B A ...) so that drift on the
 * machine hits both alike.  Prints both medians and their ratio.
 *
 * Timed, per VM, in both: create VM, memory (individual kind), two
 * memslots, create vCPU, map kvm_run, set sregs and regs, run hello to its
 * end port, teardown.  Not timed: everything else.
 */
#include <errno.h>
#include <stdio.h>

#include "abi.h"
#include "clock.h"
#include "cli.h"
#include "common.h"
#include "err.h"
#include "floor.h"
#include "stats.h"

struct options {
	uint64_t rounds;
	uint64_t iterations;
	uint64_t warmup;
	enum vm_memory memory;
};

static void help(const struct bench_common *c, const struct options *o)
{
	printf("Usage: %s [OPTION]...\n"
	       "Time kvmbench's single-use VM against the bare floor loop, alternating.\n\n"
	       "  --rounds R          rounds of each (default %llu)\n"
	       "  --iterations N      VMs per round (default %llu)\n"
	       "  --warmup N          VMs of each run first and left out (default %llu)\n"
	       "  --memory KIND       shared or individual (default %s)\n",
	       c->prog, (unsigned long long)o->rounds, (unsigned long long)o->iterations,
	       (unsigned long long)o->warmup, vm_memory_name(o->memory));
	bench_common_help(stdout, c->name);
}

/* n VMs of one kind; 1 = the floor, 0 = vm_oneshot. */
static int run_batch(const struct vm_template *t, int floor, uint64_t n, struct samples *s,
		     struct vm_result *res)
{
	for (uint64_t i = 0; i < n && !bench_signal; i++) {
		uint64_t t0 = clock_ns();
		int err = floor ? floor_oneshot(t) : vm_oneshot(t, res);
		uint64_t t1 = clock_ns();

		if (err < 0)
			return err;
		if (floor ? err != 6 : res->out_len != 6 || res->status)
			return err_set(-EIO, "the hello guest did not print its 6 bytes");
		samples_add(s, t1 - t0);
	}
	return 0;
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
	static const char *const names[2] = { "vm_oneshot", "floor" };
	struct bench_common c = { .prog = "kvmbench-floor", .name = "floor" };
	struct options o = { .rounds = 6, .iterations = 1000, .warmup = 100,
			     .memory = VM_MEM_SHARED };
	struct samples s[2] = { 0 };
	struct vm_result res;
	struct vm_template t;
	int opt, err = 0;

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

	err = bench_start(&c);
	if (err)
		return err;
	rec_param_uint(&c.rec, "rounds", o.rounds);
	rec_param_uint(&c.rec, "iterations", o.iterations);
	rec_param_uint(&c.rec, "warmup", o.warmup);
	rec_param_text(&c.rec, "memory", vm_memory_name(o.memory));
	rec_param_text(&c.rec, "guest", "hello");
	rec_param_text(&c.rec, "order", "alternating ABBA rounds, vm_oneshot first");

	err = vm_template_init(&t, &c.kvm, guest_find("hello"), o.memory, GUEST_DATA_DEFAULT);
	if (err)
		return bench_finish(&c, err, false);
	for (int k = 0; k < 2 && !err; k++)
		err = samples_init(&s[k], o.warmup + o.rounds * o.iterations);
	for (int k = 0; k < 2 && !err; k++)
		err = run_batch(&t, k, o.warmup, &s[k], &res);
	for (uint64_t r = 0; r < o.rounds && !err && !bench_signal; r++) {
		int first = (int)((r + 1) / 2 % 2);	/* 0 1 1 0 0 1 1 ... */
		err = run_batch(&t, first, o.iterations, &s[first], &res);
		if (!err)
			err = run_batch(&t, !first, o.iterations, &s[!first], &res);
	}
	vm_template_fini(&t);

	bool measured = s[0].n || s[1].n;
	for (int k = 0; k < 2 && measured; k++) {
		int i = rec_add_series(&c.rec, names[k], s[k].v, s[k].n,
				       o.warmup < s[k].n ? o.warmup : s[k].n);
		if (i >= 0)
			rec_series_label(&c.rec, i, "memory", vm_memory_name(o.memory));
	}
	if (!c.quiet && s[0].n > o.warmup && s[1].n > o.warmup) {
		struct summary a, b;
		bench_print_summary(names[0], s[0].v + o.warmup, s[0].n - o.warmup);
		bench_print_summary(names[1], s[1].v + o.warmup, s[1].n - o.warmup);
		if (!stats_summarize(s[0].v + o.warmup, s[0].n - o.warmup, &a) &&
		    !stats_summarize(s[1].v + o.warmup, s[1].n - o.warmup, &b))
			printf("ratio vm_oneshot/floor (medians): %.3f\n", a.median / b.median);
	}
	err = bench_finish(&c, err, measured);
	samples_free(&s[0]);
	samples_free(&s[1]);
	return err;
}
