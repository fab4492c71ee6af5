/*
 * kvmbench-rounds: the seed's rounds.  --vms live VMs (individual memory)
 * are each re-entered once per round, single-threaded, for --rounds
 * rounds.  The guest (guest/rounds.S) writes --dirty-pages heap pages and
 * its stack and prints hello on every run.
 *
 * Timed, per guest round: the reset (memory as the mode says, then the
 * entry registers) and every KVM_RUN until the end port.  Not timed:
 * creating the VMs and their first run, the check of each run's output,
 * the teardown.
 *
 * The write-enabled memory (--memory-size) starts as a pristine image that
 * is not all zero (the guest's initialised data).  Reset strategies
 * (lib/vm.h): none (registers only: the seed's first run, "not kosher"),
 * full (every byte copied back: the seed's second), madvise (MADV_DONTNEED
 * on a private mapping of the image's memfd), cow (a fresh private mapping
 * of it, in place), and five that copy back only the pages written, as
 * KVM_GET_DIRTY_LOG (dirty-log; dirty-log-hot with manual protect, keeping
 * pages written run after run writable), the vCPU's dirty ring
 * (dirty-ring), the Dirty bits of per-VM 4 KiB guest page tables
 * (pte-dirty) or the host's soft-dirty bits (soft-dirty) report them.
 * The vCPU goes back as --vcpu-reset says (lib/vm.h); every level is
 * probed, an isolating strategy runs with the cheapest clean one, and
 * --reset all also times each level alone on VMs of its own.  --reset both runs none and
 * full, the seed's pair, and prints their ratio; --reset all runs every
 * strategy.  Each strategy has its own --vms VMs and its own template, set
 * up as that strategy needs, so that what one does to memory never shows
 * in another's samples; the strategies alternate round by round (A B, B A
 * for two; a rotating order for more).  soft-dirty runs only alone: its
 * clear (/proc/self/clear_refs) write-protects every page of the process,
 * the other strategies' VMs' too; it is timed in the round's first guest
 * round.  A strategy that tracks written pages runs only after a probe has
 * seen it report exactly the pages a guest wrote; the outcome is recorded
 * in the machine fingerprint.
 *
 * --sweep measures every strategy against dirtied pages (1 MiB of memory)
 * and against memory size (1 dirtied page), each point with fresh VMs,
 * into one file, rounds-sweep.cbor.
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
#include "reset.h"
#include "series.h"
#include "names.h"
#include "rounds.h"
#include "stats.h"
#include "util.h"

/* The sweep's points: dirtied pages of 1 MiB, and sizes with 1 page. */
static const uint64_t sweep_pages[] = { 1, 4, 16, 64, 256 };
static const uint64_t sweep_sizes[] = { 64u << 10, 256u << 10, 1u << 20, 4u << 20, 16u << 20 };
/* --memory-size at most (the guest's memory could be larger). */
#define MEMORY_SIZE_MAX (16u << 20)

static int check_round(const struct vm_result *res, size_t vm, uint64_t round,
		       const struct mode *m)
{
	char kinds[128];

	if (res->status & 0x80000000u)
		return err_set(-EIO, "VM %zu, round %llu: the guest found its write-enabled memory "
			       "differing from the pristine image at offset 0x%x: the reset did "
			       "not restore it", vm, (unsigned long long)round,
			       res->status & 0x7fffffffu);
	if (res->status & GUEST_STATUS_VCPU)
		return err_set(-EIO, "VM %zu, round %llu: the guest found vCPU state of the "
			       "previous run (%s): vCPU reset %s did not put it back", vm,
			       (unsigned long long)round,
			       vcpu_leaks_text(res->status & ~GUEST_STATUS_VCPU, kinds, sizeof(kinds)),
			       vcpu_reset_names[m->level]);
	int err = bench_check_hello(res);
	return err ? err_prefix(err, "VM %zu, round %llu", vm, (unsigned long long)round) : 0;
}

/* Per strategy: whole guest rounds, and their reset part alone. */
struct taken {
	struct samples round;
	struct samples reset;
};

/* The guest's flags in a group's VMs. */
static uint64_t guest_flags(const struct mode *m, const struct options *o)
{
	/* none restores nothing: with other strategies beside it, its VMs are
	 * not checked; alone, it is the check's control and must fail. */
	bool check = o->verify && !m->vcpu_group && (m->how != RESET_NONE || o->reset == RESET_NONE);
	return check ? VERIFY_FLAG | POISON_FLAG : 0;
}

/* One round: every VM reset as m says and run once. */
static int round_once(struct vm *vms, size_t n, const struct mode *m,
		      const struct options *o, uint64_t round, struct taken *s,
		      struct exit_counts *exits)
{
	struct vm_result res;
	enum reset_strategy how = (enum reset_strategy)m->how;
	uint64_t rsi = guest_flags(m, o);

	for (size_t i = 0; i < n && !bench_signal; i++) {
		sig_atomic_t mark = bench_continued;
		uint64_t t0 = clock_ns();
		int err = i ? 0 : reset_before_round(vms, n, how);
		err = err ?: reset_vm(&vms[i], how, (enum vcpu_reset)m->level, o->dirty_pages, rsi);
		uint64_t t1 = clock_ns();
		err = err ?: vm_run(&vms[i], &res);
		uint64_t t2 = clock_ns();
		if (err || (err = vm_count(&vms[i], &res)) || (err = check_round(&res, i, round, m)))
			return err;
		bench_count_exits(exits, &res);
		if (bench_stopped_since(mark))
			continue;
		samples_add(&s->round, t2 - t0);
		samples_add(&s->reset, t1 - t0);
	}
	return 0;
}

/* One configuration: --vms VMs for each of the nmodes modes, created
 * from their own templates, run for warmup + rounds rounds; samples into
 * s[mode].  The VMs are gone when it returns. */
static int measure(struct bench_common *c, const struct options *o, const struct mode *modes,
		   int nmodes, struct taken *s, const char *what)
{
	struct vm_template t[MODES_MAX];
	struct progress progress;
	struct vm *vms;
	size_t made = 0;
	int ready = 0, err = 0;

	for (int j = 0; j < nmodes && !err; j++) {
		err = vm_template_init(&t[j], &c->kvm, guest_find("rounds"),
				       (enum vm_memory)o->memory, o->memory_size);
		ready += !err;
		err = err ?: reset_prepare(&t[j], (enum reset_strategy)modes[j].how);
		if (!err)
			vm_template_args(&t[j], o->dirty_pages, o->verify ? VERIFY_FLAG | POISON_FLAG : 0);
	}
	vms = err ? NULL : calloc(o->vms * (uint64_t)nmodes, sizeof(*vms));
	for (int k = 0; k < nmodes && !err && vms; k++)
		err = samples_init(&s[k].round, (o->warmup + o->rounds) * o->vms) ?:
		      samples_init(&s[k].reset, (o->warmup + o->rounds) * o->vms);
	if (!err && !vms)
		err = err_set(-ENOMEM, "no memory for %llu VMs", (unsigned long long)o->vms);

	/* Group j: VMs [j * vms, (j + 1) * vms), from strategy j's template. */
	struct live_options lo = { 0 };
	for (int j = 0; j < nmodes && !err; j++) {
		size_t got = 0;
		err = bench_live_create(&t[j], vms + (size_t)j * o->vms, o->vms, NULL, &lo, &got);
		made += got;
	}
	uint64_t total = o->warmup + o->rounds;
	bool started = !err;
	if (started)
		progress_start(&progress, c, what, total);
	for (uint64_t r = 0; r < total && !err && !bench_signal; r++) {
		for (int j = 0; j < nmodes && !err; j++) {
			/* Two: A B, B A, B A, A B ...; more: each round starts one later. */
			int k = nmodes == 2 ? (j ^ bench_abba(r)) : (int)((r + (uint64_t)j) % nmodes);
			err = round_once(vms + (size_t)k * o->vms, o->vms, &modes[k], o, r, &s[k],
					 &c->out.exits);
		}
		progress_tick(&progress, r + 1);
	}
	if (started)
		progress_end(&progress);
	if (vms)
		bench_live_destroy(vms, made, NULL);
	for (int j = 0; j < ready; j++)
		vm_template_fini(&t[j]);
	free(vms);
	return err;
}

static int add_one(struct bench_common *c, const char *name, const struct samples *s,
		   size_t warm, const struct mode *m, const char *sweep, const struct options *o)
{
	char v[128];
	int i = bench_series(c, name, s, warm, LABEL_RESET, reset_strategies[m->how].name);

	if (i < 0)
		return i;
	int err = rec_series_label(&c->out.rec, i, LABEL_VCPU_RESET, vcpu_reset_names[m->level]) ?:
		  rec_series_label(&c->out.rec, i, LABEL_VCPU_LEAKS,
				   vcpu_leaks_text(o->leaks[m->level], v, sizeof(v)));
	if (err || !sweep)
		return err;
	snprintf(v, sizeof(v), "%llu", (unsigned long long)o->dirty_pages);
	err = rec_series_label(&c->out.rec, i, LABEL_SWEEP, sweep) ?:
		  rec_series_label(&c->out.rec, i, LABEL_DIRTY_PAGES, v);
	snprintf(v, sizeof(v), "%llu", (unsigned long long)o->memory_size);
	return err ?: rec_series_label(&c->out.rec, i, LABEL_MEMORY_SIZE, v);
}

/* Series reset-run and reset (vcpu-reset-run and vcpu-reset for a vcpu
 * group), labelled with the strategy, the vCPU level and, in a sweep, the
 * point. */
static int add_series(struct bench_common *c, const struct taken *s, size_t warm,
		      const struct mode *m, const char *sweep, const struct options *o)
{
	int err = add_one(c, m->vcpu_group ? SERIES_VCPU_RESET_RUN : SERIES_RESET_RUN, &s->round,
			  warm, m, sweep, o);
	return err ?: add_one(c, m->vcpu_group ? SERIES_VCPU_RESET : SERIES_RESET, &s->reset,
			      warm, m, sweep, o);
}

/* "dirty-ring" or, for a vcpu group, "vcpu full". */
static const char *mode_name(const struct mode *m, char *buf, size_t size)
{
	if (m->vcpu_group)
		snprintf(buf, size, "vcpu %s", vcpu_reset_names[m->level]);
	else
		snprintf(buf, size, "%s", reset_strategies[m->how].name);
	return buf;
}

static void free_taken(struct taken *s)
{
	samples_free(&s->round);
	samples_free(&s->reset);
}

/* Every strategy at every point of one sweep; series recorded as they come. */
static int sweep(struct bench_common *c, struct options o, const struct mode *modes, int nmodes,
		 bool by_pages)
{
	size_t npoints = by_pages ? ARRAY_SIZE(sweep_pages)
				  : ARRAY_SIZE(sweep_sizes);
	int err = 0;

	for (size_t p = 0; p < npoints && !err && !bench_signal; p++) {
		struct taken s[MODES_MAX] = { 0 };
		char what[64];
		o.memory_size = by_pages ? GUEST_DATA_DEFAULT : sweep_sizes[p];
		o.dirty_pages = by_pages ? sweep_pages[p] : 1;
		snprintf(what, sizeof(what), "%llu pages of %llu KiB",
			 (unsigned long long)o.dirty_pages,
			 (unsigned long long)(o.memory_size >> 10));
		err = measure(c, &o, modes, nmodes, s, what);
		for (int j = 0; j < nmodes; j++) {
			const struct samples *round = &s[j].round;
			size_t warm = o.warmup * o.vms;
			if (round->n) {
				int e = add_series(c, &s[j], warm, &modes[j],
						   by_pages ? "pages" : "size", &o);
				err = err ?: e;
			}
			if (!c->opt.quiet && round->n > warm) {
				char label[128], name[32];
				snprintf(label, sizeof(label), "%s, %s",
					 mode_name(&modes[j], name, sizeof(name)), what);
				bench_print_summary(label, round->v + warm, round->n - warm);
			}
			free_taken(&s[j]);
		}
	}
	return err;
}

int main(int argc, char **argv)
{
	char reset_help[1024];

	reset_option(reset_help, sizeof(reset_help));
	vcpu_choices[0] = "auto";
	for (int l = 0; l < VCPU_RESET_COUNT; l++)
		vcpu_choices[l + 1] = vcpu_reset_names[l];
	struct options o = { .vms = 1000, .rounds = 400, .warmup = 1, .dirty_pages = 1,
			     .memory_size = GUEST_DATA_DEFAULT, .reset = RESET_BOTH,
			     .memory = VM_MEM_INDIVIDUAL };
	const struct bench_opt opts[] = {
		BENCH_COUNT("vms", "N", "live VMs (for each strategy)", &o.vms, 1, 1000000),
		BENCH_COUNT("rounds", "R", "rounds; each enters every VM once", &o.rounds,
			    1, 1000000),
		BENCH_COUNT("warmup", "R", "rounds run first, left out of summaries", &o.warmup,
			    0, 1000000),
		BENCH_CHOICE("reset", "MODE", reset_help, &o.reset, reset_choices),
		BENCH_CHOICE("memory", "KIND", "shared or individual", &o.memory,
			     vm_memory_names),
		BENCH_SIZE("memory-size", "BYTES", "write-enabled memory per VM, 64K to 16M,\n"
			   "                      a multiple of 4K", &o.memory_size, 64u << 10,
			   MEMORY_SIZE_MAX),
		BENCH_COUNT("dirty-pages", "N", "heap pages the guest writes per run, up to\n"
			    "                      all of --memory-size", &o.dirty_pages, 0,
			    MEMORY_SIZE_MAX / 4096),
		BENCH_CHOICE("vcpu-reset", "LEVEL", "how much of the vCPU goes back between runs:\n"
			     "                      regs, sregs, fxrstor (sregs, and a read-only entry\n"
			     "                      stub restores x87/SSE state), full (sregs and\n"
			     "                      KVM_SET_XSAVE) or recreate (a new vCPU); auto: the\n"
			     "                      cheapest whose probe finds nothing left behind\n"
			     "                      (regs for none)",
			     &o.vcpu, vcpu_choices),
		BENCH_FLAG("verify", "the guest checks on every entry that its write-enabled\n"
			   "                      memory and its vCPU state are pristine, and\n"
			   "                      poisons its vCPU state before it ends; the run\n"
			   "                      fails if not (slow: for tests of the resets;\n"
			   "                      with both or all, none's VMs are not checked)",
			   &o.verify),
		BENCH_FLAG("test-vcpu-leaks", "for tests: take every vCPU level's probe as\n"
			   "                      leaking, so that no isolating reset can run",
			   &o.test_vcpu_leaks),
		BENCH_FLAG("sweep", "the strategies of --reset (with none; all: every\n"
			   "                      one) against dirtied pages 1-256 of 1M and against\n"
			   "                      memory sizes 64K-16M with 1 page, to\n"
			   "                      rounds-sweep.cbor; sets --dirty-pages and\n"
			   "                      --memory-size itself", &o.sweep),
		{ 0 },
	};
	struct bench_common c = {
		.prog = "kvmbench-rounds", .name = "rounds", .opts = opts,
		.summary = "Re-enter live VMs round after round; time each guest round.",
	};
	struct taken s[MODES_MAX] = { 0 };
	struct mode modes[MODES_MAX];
	int nmodes = 0;
	int err = bench_parse(&c, argc, argv);

	if (err >= 0)
		return err;
	if ((o.rounds + o.warmup) * o.vms > 200000000)
		return bench_usage_error(&c, "--vms x --rounds: more than 200000000 guest rounds");
	if (o.memory_size % 4096)
		return bench_usage_error(&c, "--memory-size: not a multiple of 4096 bytes");
	if (!o.sweep && o.dirty_pages > o.memory_size / 4096)
		return bench_usage_error(&c, "--dirty-pages: more pages than --memory-size holds");
	for (int k = 0; k < RESET_COUNT; k++) {
		if (o.reset == k || o.reset == RESET_ALL ||
		    (o.reset == RESET_BOTH && (k == RESET_NONE || k == RESET_FULL)) ||
		    (o.sweep && k == RESET_NONE))
			modes[nmodes++] = (struct mode){ .how = k };
	}
	/* --reset all also times each vCPU level alone. */
	for (int l = 0; o.reset == RESET_ALL && !o.sweep && l < VCPU_RESET_COUNT; l++)
		modes[nmodes++] = (struct mode){ .how = RESET_NONE, .level = l, .vcpu_group = true };
	/* both, the seed's pair, is rounds.cbor; others say what they ran. */
	char result[64];
	if (o.sweep || o.reset != RESET_BOTH) {
		snprintf(result, sizeof(result), "rounds-%s",
			 o.sweep ? "sweep" : reset_choices[o.reset]);
		c.file = result;
	}
	err = bench_start(&c);
	if (err != BENCH_MEASURE)
		return err;
	err = 0;
	/* Trust a tracking mechanism only once it has been seen to work.  Every
	 * one is probed, so that every rounds file says which work here. */
	for (int k = 0; k < RESET_COUNT; k++) {
		char key[64];
		int j = 0;
		if (!reset_strategies[k].tracker)
			continue;
		snprintf(key, sizeof(key), "probe_%s", reset_strategies[k].name);
		err = reset_probe(&c.kvm, (enum reset_strategy)k);
		rec_machine_text(&c.out.rec, key, err ? err_msg() : "passed");
		while (j < nmodes && (modes[j].how != k || modes[j].vcpu_group))
			j++;
		if (j == nmodes) {
			err = 0;
			continue;
		}
		if (!err && k == RESET_SOFT_DIRTY && nmodes > 1)
			err = err_set(-ENOTSUP, "reset soft-dirty runs only alone (--reset "
				      "soft-dirty): clearing its bits write-protects every page "
				      "of the process, which would slow the other strategies' VMs");
		if (err && nmodes == 1) {
			/* The refusal is a finding about this kernel: keep it. */
			rec_param_text(&c.out.rec, key, err_msg());
			return bench_finish(&c, err, true);
		}
		if (err) {
			fprintf(stderr, "%s: skipped: %s\n", c.prog, err_msg());
			rec_param_text(&c.out.rec, key, err_msg());
			memmove(&modes[j], &modes[j + 1], (size_t)(nmodes - j - 1) * sizeof(*modes));
			nmodes--;
			err = 0;
		}
	}
	err = choose_levels(&c, &o, modes, nmodes);
	if (err)
		return bench_finish(&c, err, true);
	uint64_t live = o.vms * (uint64_t)nmodes;	/* --vms for each strategy */
	/* recreate leaves every earlier vCPU idle in its VM, about this much
	 * kernel memory each (kvm_vcpu, its run page, shadow MMU roots). */
	uint64_t idle_vcpus = 0;
	for (int j = 0; j < nmodes; j++)
		idle_vcpus += modes[j].level == VCPU_RESET_RECREATE ? o.vms * (o.warmup + o.rounds) : 0;
	uint64_t size = o.sweep ? MEMORY_SIZE_MAX : o.memory_size;
	err = limits_nofile(2 * live, "--vms live VMs per strategy (2 fds each)") ?:
	      limits_maps(3 * live, "--vms live VMs per strategy") ?:
	      /* full touches every byte; the others about what the guest writes */
	      limits_memory(live * LIVE_VM_BYTES + o.vms * size +
			    live * (o.sweep ? 256 : o.dirty_pages + 3) * 4096 +
			    idle_vcpus * IDLE_VCPU_BYTES,
			    "--vms live VMs per strategy") ?:
	      limits_tasks(live * limits_tasks_per_vm(), "--vms live VMs per strategy");
	if (err)
		return bench_finish(&c, err, false);
	if (!o.sweep)
		rec_param_uint(&c.out.rec, "data_size", o.memory_size);
	rec_param_text(&c.out.rec, "guest", "rounds");
	if (nmodes > 1)
		rec_param_text(&c.out.rec, "order", "alternating round by round: ABBA for two "
			       "strategies, a rotating order for more");
	for (int j = 0; j < nmodes; j++) {
		char key[64];
		if (modes[j].vcpu_group)
			continue;
		snprintf(key, sizeof(key), "backing_%s", reset_strategies[modes[j].how].name);
		rec_param_text(&c.out.rec, key, reset_strategies[modes[j].how].file_backed ?
			       "memfd, private mapping" : "anonymous");
	}

	if (o.sweep) {
		err = sweep(&c, o, modes, nmodes, true) ?: sweep(&c, o, modes, nmodes, false);
		return bench_finish(&c, err, c.out.rec.nseries > 0);
	}
	err = measure(&c, &o, modes, nmodes, s, "rounds");

	bool measured = false;
	size_t warm = o.warmup * o.vms;
	const struct samples *none = NULL;
	for (int j = 0; j < nmodes; j++) {
		const struct samples *round = &s[j].round;
		char name[32], label[96];
		if (!round->n)
			continue;
		measured = true;
		int e = add_series(&c, &s[j], warm, &modes[j], NULL, &o);
		err = err ?: e;
		if (modes[j].how == RESET_NONE && !modes[j].vcpu_group)
			none = round;
		if (c.opt.quiet || round->n <= warm)
			continue;
		mode_name(&modes[j], name, sizeof(name));
		if (!modes[j].vcpu_group) {
			/* The seed's line: the mean per guest round. */
			uint64_t ns = (uint64_t)stats_mean(round->v + warm, round->n - warm);
			printf("reset %s: Time spent: %lluns (%llu micros)\n", name,
			       (unsigned long long)ns, (unsigned long long)(ns / 1000));
		}
		snprintf(label, sizeof(label), "%s%s, per guest round%s%s%s",
			 modes[j].vcpu_group ? "" : "reset ", name,
			 modes[j].vcpu_group ? "" : " (vcpu ",
			 modes[j].vcpu_group ? "" : vcpu_reset_names[modes[j].level],
			 modes[j].vcpu_group ? "" : ")");
		bench_print_summary(label, round->v + warm, round->n - warm);
		snprintf(label, sizeof(label), "%s%s, the reset alone",
			 modes[j].vcpu_group ? "" : "reset ", name);
		bench_print_summary(label, s[j].reset.v + warm, s[j].reset.n - warm);
	}
	if (!c.opt.quiet && o.reset == RESET_BOTH && nmodes == 2)
		bench_print_ratio("ratio full/none", &s[1].round, warm, &s[0].round, warm,
				  "(seed, published means: 175/24 = 7.3)");
	for (int j = 0; !c.opt.quiet && none && o.reset == RESET_ALL && j < nmodes; j++) {
		char label[64], name[32];
		snprintf(label, sizeof(label), "ratio %s/none", mode_name(&modes[j], name, sizeof(name)));
		if (&s[j].round != none)
			bench_print_ratio(label, &s[j].round, warm, none, warm, NULL);
	}
	err = bench_finish(&c, err, measured);
	for (int j = 0; j < MODES_MAX; j++)
		free_taken(&s[j]);
	return err;
}
