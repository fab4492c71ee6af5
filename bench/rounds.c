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
 * The write-enabled memory starts as a pristine image that is not all
 * zero (the guest's initialised data).  Reset strategies (lib/vm.h):
 * none (registers only: the seed's first run, "not kosher"), full (every
 * byte copied back: the seed's second), madvise (MADV_DONTNEED on a private
 * mapping of the image's memfd), cow (a fresh private mapping of it, in
 * place), dirty-log (KVM_GET_DIRTY_LOG, then only the pages written are
 * copied back).  --reset both runs none and full, the seed's pair, and
 * prints their ratio; --reset all runs every strategy.  Each strategy has
 * its own --vms VMs and its own template, set up as that strategy needs
 * (memfd-backed memory for madvise and cow, a dirty-logging memslot for
 * dirty-log), so that what one does to memory never shows in another's
 * samples; the strategies alternate round by round (A B, B A for two; a
 * rotating order for more).  A strategy that tracks written pages runs
 * only after a probe has seen it report exactly the pages a guest wrote;
 * the outcome is recorded in the machine fingerprint.
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
#include "stats.h"

#define VERIFY_FLAG 1	/* guest/rounds.S: check memory is pristine first */

/* vm_reset's names, then "both" (none and full) and "all". */
#define RESET_BOTH VM_RESET_COUNT
#define RESET_ALL (VM_RESET_COUNT + 1)
static const char *const reset_choices[] = { "none", "full", "madvise", "cow", "dirty-log",
					     "both", "all", NULL };

struct options {
	uint64_t vms;
	uint64_t rounds;
	uint64_t warmup;	/* rounds */
	uint64_t dirty_pages;
	int reset;		/* enum vm_reset, RESET_BOTH or RESET_ALL */
	int memory;
	bool verify;
};

static int check_round(const struct vm_result *res, size_t vm, uint64_t round)
{
	if (res->status & 0x80000000u)
		return err_set(-EIO, "VM %zu, round %llu: the guest found its write-enabled memory "
			       "differing from the pristine image at offset 0x%x: the reset did "
			       "not restore it", vm, (unsigned long long)round,
			       res->status & 0x7fffffffu);
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
	/* none restores nothing: with other strategies beside it, its VMs are
	 * not checked; alone, it is the check's control and must fail. */
	bool check = o->verify && (how != VM_RESET_NONE || o->reset == VM_RESET_NONE);
	uint64_t rsi = check ? VERIFY_FLAG : 0;

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
		BENCH_CHOICE("reset", "MODE", "how the write-enabled memory goes back to its\n"
			     "                      pristine image: none, full, madvise, cow,\n"
			     "                      dirty-log; both\n"
			     "                      (none and full, with their ratio) or all,\n"
			     "                      alternating round by round; results other than\n"
			     "                      both's go to rounds-MODE.cbor", &o.reset,
			     reset_choices),
		BENCH_CHOICE("memory", "KIND", "shared or individual", &o.memory,
			     vm_memory_names),
		/* The stack needs the top page. */
		BENCH_COUNT("dirty-pages", "N", "heap pages the guest writes per run",
			    &o.dirty_pages, 0, GUEST_DATA_DEFAULT / 4096 - 1),
		BENCH_FLAG("verify", "the guest checks on every entry that its write-enabled\n"
			   "                      memory is its pristine image; the run fails if\n"
			   "                      not (slow: for tests of the resets; with both\n"
			   "                      or all, none's VMs are not checked)", &o.verify),
		{ 0 },
	};
	struct bench_common c = {
		.prog = "kvmbench-rounds", .name = "rounds", .opts = opts,
		.summary = "Re-enter live VMs round after round; time each guest round.",
	};
	struct samples s[VM_RESET_COUNT] = { 0 };
	int modes[VM_RESET_COUNT], nmodes = 0, ready = 0;
	struct progress progress;
	struct vm_template t[VM_RESET_COUNT];
	struct vm *vms = NULL;
	size_t made = 0;
	int err = bench_parse(&c, argc, argv);

	if (err >= 0)
		return err;
	if ((o.rounds + o.warmup) * o.vms > 200000000)
		return bench_usage_error(&c, "--vms x --rounds: more than 200000000 guest rounds");
	for (int k = 0; k < VM_RESET_COUNT; k++) {
		if (o.reset == k || o.reset == RESET_ALL ||
		    (o.reset == RESET_BOTH && (k == VM_RESET_NONE || k == VM_RESET_FULL))) {
			modes[nmodes++] = k;
		}
	}
	/* both, the seed's pair, is rounds.cbor; others say what they ran. */
	char result[64];
	if (o.reset != RESET_BOTH) {
		snprintf(result, sizeof(result), "rounds-%s", reset_choices[o.reset]);
		c.file = result;
	}
	err = bench_start(&c);
	if (err)
		return err;
	/* Trust a tracking mechanism only once it has been seen to work. */
	for (int j = 0; j < nmodes; j++) {
		char key[64];
		if (modes[j] != VM_RESET_DIRTY_LOG)
			continue;
		snprintf(key, sizeof(key), "probe_%s", vm_reset_names[modes[j]]);
		err = vm_reset_probe(&c.kvm, (enum vm_reset)modes[j]);
		rec_machine_text(&c.rec, key, err ? err_msg() : "passed");
		if (err && nmodes == 1)
			return bench_finish(&c, err, false);
		if (err) {
			fprintf(stderr, "%s: skipped: %s\n", c.prog, err_msg());
			rec_param_text(&c.rec, key, err_msg());
			memmove(&modes[j], &modes[j + 1], (size_t)(nmodes - j - 1) * sizeof(*modes));
			nmodes--;
			j--;
			err = 0;
		}
	}
	uint64_t live = o.vms * (uint64_t)nmodes;	/* --vms for each strategy */
	err = limits_nofile(2 * live, "--vms live VMs per strategy (2 fds each)") ?:
	      limits_maps(2 * live, "--vms live VMs per strategy") ?:
	      limits_memory(live * (LIVE_VM_BYTES + GUEST_DATA_DEFAULT),
			    "--vms live VMs per strategy");
	if (err)
		return bench_finish(&c, err, false);
	rec_param_uint(&c.rec, "data_size", GUEST_DATA_DEFAULT);
	rec_param_text(&c.rec, "guest", "rounds");
	if (nmodes > 1)
		rec_param_text(&c.rec, "order", "alternating round by round: ABBA for two "
			       "strategies, a rotating order for more");

	for (int j = 0; j < nmodes && !err; j++) {
		err = vm_template_init(&t[j], &c.kvm, guest_find("rounds"), (enum vm_memory)o.memory,
				       GUEST_DATA_DEFAULT);
		ready += !err;
		err = err ?: vm_template_for_reset(&t[j], (enum vm_reset)modes[j]);
		vm_template_args(&t[j], o.dirty_pages, o.verify ? VERIFY_FLAG : 0);
		char key[64];
		snprintf(key, sizeof(key), "backing_%s", vm_reset_names[modes[j]]);
		rec_param_text(&c.rec, key, t[j].file_backed ? "memfd, private mapping" : "anonymous");
	}
	if (err) {
		for (int j = 0; j < ready; j++)
			vm_template_fini(&t[j]);
		return bench_finish(&c, err, false);
	}
	vms = calloc(live, sizeof(*vms));
	for (int k = 0; k < nmodes && !err && vms; k++)
		err = samples_init(&s[modes[k]], (o.warmup + o.rounds) * o.vms);
	if (!vms || err) {
		for (int j = 0; j < ready; j++)
			vm_template_fini(&t[j]);
		return bench_finish(&c, err_set(-ENOMEM, "no memory for %llu VMs",
						(unsigned long long)o.vms), false);
	}

	/* Group j: VMs [j * vms, (j + 1) * vms), from strategy j's template. */
	struct live_options lo = { 0 };
	for (int j = 0; j < nmodes && !err; j++) {
		size_t got = 0;
		err = bench_live_create(&t[j], vms + (size_t)j * o.vms, o.vms, NULL, &lo, &got);
		made += got;
	}
	uint64_t total = o.warmup + o.rounds;
	progress_start(&progress, &c, "rounds", total);
	for (uint64_t r = 0; r < total && !err && !bench_signal; r++) {
		for (int j = 0; j < nmodes && !err; j++) {
			/* Two: A B, B A, B A, A B ...; more: each round starts one later. */
			int k = nmodes == 2 ? (j ^ bench_abba(r)) : (int)((r + (uint64_t)j) % nmodes);
			err = round_once(vms + (size_t)k * o.vms, o.vms, (enum vm_reset)modes[k], &o,
					 r, &s[modes[k]]);
		}
		progress_tick(&progress, r + 1);
	}
	progress_end(&progress);
	bench_live_destroy(vms, made, NULL);
	for (int j = 0; j < ready; j++)
		vm_template_fini(&t[j]);
	free(vms);

	bool measured = false;
	size_t warm = o.warmup * o.vms;
	for (int j = 0; j < nmodes; j++) {
		int k = modes[j];
		if (!s[k].n)
			continue;
		measured = true;
		bench_series(&c, "reset-run", &s[k], warm, "reset", vm_reset_names[k]);
		if (!c.quiet && s[k].n > warm) {
			/* The seed's line: the mean per guest round. */
			uint64_t ns = (uint64_t)stats_mean(s[k].v + warm, s[k].n - warm);
			char label[64];
			printf("reset %s: Time spent: %lluns (%llu micros)\n", vm_reset_names[k],
			       (unsigned long long)ns, (unsigned long long)(ns / 1000));
			snprintf(label, sizeof(label), "reset %s, per guest round", vm_reset_names[k]);
			bench_print_summary(label, s[k].v + warm, s[k].n - warm);
		}
	}
	if (!c.quiet && o.reset == RESET_BOTH)
		bench_print_ratio("ratio full/none", &s[VM_RESET_FULL], warm, &s[VM_RESET_NONE],
				  warm, "(seed, published means: 175/24 = 7.3)");
	for (int j = 0; !c.quiet && o.reset == RESET_ALL && j < nmodes; j++) {
		char label[64];
		snprintf(label, sizeof(label), "ratio %s/none", vm_reset_names[modes[j]]);
		if (modes[j] != VM_RESET_NONE)
			bench_print_ratio(label, &s[modes[j]], warm, &s[VM_RESET_NONE], warm, NULL);
	}
	err = bench_finish(&c, err, measured);
	for (int k = 0; k < VM_RESET_COUNT; k++)
		samples_free(&s[k]);
	return err;
}
