/*
 * kvmbench-rounds: the seed's rounds.  --vms live VMs (individual memory)
 * are each re-entered once per round, single-threaded, for --rounds
 * rounds.  The guest (guest/rounds.S) writes one heap page and its stack
 * and prints hello on every run.
 *
 * Timed, per guest round: the reset (memory as the mode says, then the
 * entry registers) and every KVM_RUN until the end port.  Not timed:
 * creating the VMs and their first run, the check of each run's output,
 * the teardown.
 *
 * Reset modes: none (registers only: the seed's first run, "not kosher"),
 * full (every byte of write-enabled memory cleared: the seed's second).
 * Without --reset both run in one process, alternating round by round on
 * the same VMs (none first, then A B B A ...), and the ratio is printed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "abi.h"
#include "clock.h"
#include "common.h"
#include "err.h"
#include "limits.h"
#include "stats.h"

#define VERIFY_FLAG 1	/* guest/rounds.S: check memory is clear first */

/* vm_reset's names, and "both": the two alternating in one run. */
#define RESET_BOTH 2
static const char *const reset_choices[] = { "none", "full", "both", NULL };

struct options {
	uint64_t vms;
	uint64_t rounds;
	uint64_t warmup;	/* rounds */
	uint64_t dirty_pages;
	int reset;		/* enum vm_reset, or RESET_BOTH */
	int memory;
	bool verify;
};

static int check_round(const struct vm_result *res, size_t vm, uint64_t round)
{
	if (res->status & 0x80000000u)
		return err_set(-EIO, "VM %zu, round %llu: the guest found bytes of an earlier run "
			       "at offset 0x%x of its write-enabled memory: the reset did not "
			       "clear it", vm, (unsigned long long)round, res->status & 0x7fffffffu);
	int err = bench_check_hello(res);
	if (err) {
		char msg[512];
		snprintf(msg, sizeof(msg), "%s", err_msg());
		return err_set(err, "VM %zu, round %llu: %s", vm, (unsigned long long)round, msg);
	}
	return 0;
}

/* One round: every VM reset as `how` and run once. */
static int round_once(struct vm *vms, size_t n, enum vm_reset how, const struct options *o,
		      uint64_t round, struct samples *s)
{
	struct vm_result res;
	uint64_t rsi = o->verify ? VERIFY_FLAG : 0;

	for (size_t i = 0; i < n && !bench_signal; i++) {
		uint64_t t0 = clock_ns();
		int err = vm_reset(&vms[i], how, o->dirty_pages, rsi) ?: vm_run(&vms[i], &res);
		uint64_t t1 = clock_ns();
		if (err || (err = check_round(&res, i, round)))
			return err;
		samples_add(s, t1 - t0);
		bench_count_exits(&res);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { .vms = 1000, .rounds = 400, .warmup = 1, .dirty_pages = 1,
			     .reset = RESET_BOTH, .memory = VM_MEM_INDIVIDUAL };
	const struct bench_opt opts[] = {
		BENCH_COUNT("vms", "N", "live VMs", &o.vms, 1, 1000000),
		BENCH_COUNT("rounds", "R", "rounds; each enters every VM once", &o.rounds,
			    1, 1000000),
		BENCH_COUNT("warmup", "R", "rounds run first, left out of summaries", &o.warmup,
			    0, 1000000),
		BENCH_CHOICE("reset", "MODE", "none (registers only), full (clear all write-\n"
			     "                      enabled memory), or both, alternating, with\n"
			     "                      their ratio", &o.reset, reset_choices),
		BENCH_CHOICE("memory", "KIND", "shared or individual", &o.memory,
			     bench_memory_choices),
		/* The stack needs the top page. */
		BENCH_COUNT("dirty-pages", "N", "heap pages the guest writes per run",
			    &o.dirty_pages, 0, GUEST_DATA_DEFAULT / 4096 - 1),
		BENCH_FLAG("verify", "the guest checks on every entry that its write-enabled\n"
			   "                      memory is all zero; the run fails if not (slow:\n"
			   "                      for tests of the resets)", &o.verify),
		{ 0 },
	};
	struct bench_common c = {
		.prog = "kvmbench-rounds", .name = "rounds", .opts = opts,
		.summary = "Re-enter live VMs round after round; time each guest round.",
	};
	struct samples s[2] = { 0 };
	struct progress progress;
	struct vm_template t;
	struct vm *vms = NULL;
	size_t made = 0;
	int err = bench_parse(&c, argc, argv);

	if (err >= 0)
		return err;
	if ((o.rounds + o.warmup) * o.vms > 200000000)
		return bench_usage_error(&c, "--vms x --rounds: more than 200000000 guest rounds");
	err = bench_start(&c);
	if (err)
		return err;
	err = limits_nofile(2 * o.vms, "--vms live VMs (2 fds each)") ?:
	      limits_maps(2 * o.vms, "--vms live VMs") ?:
	      limits_memory(o.vms * (LIVE_VM_BYTES + GUEST_DATA_DEFAULT), "--vms live VMs");
	if (err)
		return bench_finish(&c, err, false);
	bool both = o.reset == RESET_BOTH;
	int first = both ? 0 : o.reset, last = both ? 1 : o.reset;
	rec_param_uint(&c.rec, "data_size", GUEST_DATA_DEFAULT);
	rec_param_text(&c.rec, "guest", "rounds");
	if (both)
		rec_param_text(&c.rec, "order", "alternating ABBA rounds, none first");

	err = vm_template_init(&t, &c.kvm, guest_find("rounds"), (enum vm_memory)o.memory, GUEST_DATA_DEFAULT);
	if (err)
		return bench_finish(&c, err, false);
	vms = calloc(o.vms, sizeof(*vms));
	for (int k = first; k <= last && !err && vms; k++)
		err = samples_init(&s[k], (o.warmup + o.rounds) * o.vms);
	if (!vms || err) {
		vm_template_fini(&t);
		return bench_finish(&c, err_set(-ENOMEM, "no memory for %llu VMs",
						(unsigned long long)o.vms), false);
	}

	struct live_options lo = { 0 };
	vm_template_args(&t, o.dirty_pages, o.verify ? VERIFY_FLAG : 0);
	err = bench_live_create(&t, vms, o.vms, NULL, &lo, &made);
	uint64_t total = o.warmup + o.rounds;
	progress_start(&progress, &c, "rounds", total);
	for (uint64_t r = 0; r < total && !err && !bench_signal; r++) {
		/* none, full | full, none | none, full ...: ABBA when both. */
		int a = both ? bench_abba(r) : o.reset;
		err = round_once(vms, made, (enum vm_reset)a, &o, r, &s[a]);
		if (!err && both)
			err = round_once(vms, made, (enum vm_reset)!a, &o, r, &s[!a]);
		progress_tick(&progress, r + 1);
	}
	progress_end(&progress);
	bench_live_destroy(vms, made, NULL);
	vm_template_fini(&t);
	free(vms);

	bool measured = false;
	size_t warm = o.warmup * o.vms;
	for (int k = first; k <= last; k++) {
		if (!s[k].n)
			continue;
		measured = true;
		bench_series(&c, "reset-run", &s[k], warm, "reset", reset_choices[k]);
		if (!c.quiet && s[k].n > warm) {
			/* The seed's line: the mean per guest round. */
			uint64_t ns = (uint64_t)stats_mean(s[k].v + warm, s[k].n - warm);
			char label[64];
			printf("reset %s: Time spent: %lluns (%llu micros)\n",
			       vm_reset_name((enum vm_reset)k), (unsigned long long)ns,
			       (unsigned long long)(ns / 1000));
			snprintf(label, sizeof(label), "reset %s, per guest round",
				 vm_reset_name((enum vm_reset)k));
			bench_print_summary(label, s[k].v + warm, s[k].n - warm);
		}
	}
	if (!c.quiet && both)
		bench_print_ratio("ratio full/none", &s[1], warm, &s[0], warm,
				  "(seed, published means: 175/24 = 7.3)");
	err = bench_finish(&c, err, measured);
	samples_free(&s[0]);
	samples_free(&s[1]);
	return err;
}
