/*
 * kvmbench-breakeven: how long must a guest compute before a VM beats an
 * emulator?  The same guest image (guest/compute.S) runs at the same
 * addresses in KVM and in Unicorn, a CPU emulator built on QEMU's
 * translator, for work sizes from 0 units to past 100 ms of guest work.
 *
 * Modes, alternating sample by sample at each point (the order rotates):
 *   kvm-single  create a VM, run the guest, close it (vm_oneshot; the
 *               write-enabled memory is the VM's own, so the table starts
 *               zero);
 *   kvm-reuse   re-enter one live VM after the fastest reset strategy
 *               whose probe passes here, with the cheapest clean vCPU
 *               level (memory and vCPU back to pristine);
 *   emu-single  uc_open, map code and memory, write the image, set the
 *               registers, run, uc_close;
 *   emu-reuse   one engine kept open: its registers back by
 *               uc_context_restore, the table's pages (the only memory the
 *               guest writes) written back to zero, then run.
 * Timed, per sample: all of the above; and the run alone (every KVM_RUN,
 * or uc_emu_start) as the series breakeven-run.  Not timed: the check of
 * every run's checksum against compute_checksum() (a wrong one stops the
 * benchmark), making the reused VM and engine.  The first sample of each
 * mode at each point is warm-up, kept and flagged.
 *
 * Without Unicorn (libunicorn-dev) at build time, it says so and exits 77
 * (skipped).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "clock.h"
#include "common.h"
#include "compute.h"
#include "err.h"
#include "reset.h"
#include "series.h"
#include "names.h"
#include "stats.h"
#include "util.h"

#ifdef KVMBENCH_HAVE_UNICORN
#include "emulator.h"

enum mode {
	KVM_SINGLE = BE_KVM_SINGLE, KVM_REUSE = BE_KVM_REUSE,
	EMU_SINGLE = BE_EMU_SINGLE, EMU_REUSE = BE_EMU_REUSE, MODES = BE_MODES
};

/* Reset strategies for kvm-reuse, fastest first (docs/findings.md). */
static const enum reset_strategy reuse_order[] = {
	RESET_DIRTY_LOG_HOT, RESET_DIRTY_RING, RESET_DIRTY_LOG, RESET_FULL,
};

#define MAX_POINTS 64

struct bench {
	struct vm_template single, reuse;
	struct vm live;
	bool live_made;
	enum reset_strategy how;
	enum vcpu_reset level;
	struct emu emu;			/* emu-reuse's engine */
	const struct guest_image *guest;
};

/* --test-wrong-checksum: expect what no run gives, to see it caught. */
static uint64_t checksum_offset;

/* compute_checksum(units), worked out once per work size: at the largest
 * it takes as long as the guest's run, and every sample checks it. */
static uint64_t expected(uint64_t units)
{
	static uint64_t known_units = UINT64_MAX, known;

	if (units != known_units) {
		known = compute_checksum(units);
		known_units = units;
	}
	return known;
}

/* The run's output against the checksum units of work must give. */
static int check(const char *mode, uint64_t units, const uint8_t *out, size_t len,
		 uint32_t status)
{
	uint64_t want = expected(units) + checksum_offset, got = 0;

	if (len == 8)
		memcpy(&got, out, 8);
	if (status || len != 8 || got != want)
		return err_set(-EIO, "%s, %llu units: checksum 0x%016llx (%zu bytes, status %u), "
			       "expected 0x%016llx: the guest's work went wrong; stopped", mode,
			       (unsigned long long)units, (unsigned long long)got, len, status,
			       (unsigned long long)want);
	return 0;
}

/* One sample of mode m at `units`: total and run part, in ns. */
static int sample(struct bench *b, enum mode m, uint64_t units, uint64_t *total, uint64_t *run)
{
	struct vm_result res;
	uint64_t phase_ns[VM_PHASES], t0, t1, t2;
	int err;

	switch (m) {
	case KVM_SINGLE:
		vm_template_args(&b->single, units, 0);
		err = vm_oneshot_phases(&b->single, &res, total, phase_ns);
		*run = phase_ns[VM_PHASE_RUN];
		return err ?: check(breakeven_mode_names[m], units, (uint8_t *)res.out, res.out_len,
				    res.status);
	case KVM_REUSE:
		t0 = clock_ns();
		err = reset_vm(&b->live, b->how, b->level, units, 0);
		t1 = clock_ns();
		err = err ?: vm_run(&b->live, &res);
		t2 = clock_ns();
		*run = t2 - t1;
		*total = t2 - t0;
		return err ?: vm_count(&b->live, &res) ?: check(breakeven_mode_names[m], units, (uint8_t *)res.out, res.out_len,
				    res.status);
	case EMU_SINGLE: {
		struct emu e = { 0 };
		t0 = clock_ns();
		err = emu_open(&e, b->guest, units);
		t1 = clock_ns();
		err = err ?: emu_run(&e);
		uint64_t t_run = clock_ns();
		if (e.uc)
			uc_close(e.uc);
		t2 = clock_ns();
		*run = t_run - t1;
		*total = t2 - t0;
		return err ?: check(breakeven_mode_names[m], units, e.out, e.out_len, e.status);
	}
	case EMU_REUSE: {
		static const uint8_t zero[COMPUTE_TABLE_BYTES];
		struct emu *e = &b->emu;
		uc_err u;
		t0 = clock_ns();
		if ((u = uc_context_restore(e->uc, e->ctx)) ||
		    (u = uc_reg_write(e->uc, UC_X86_REG_RDI, &units)) ||
		    (u = uc_mem_write(e->uc, GUEST_DATA_BASE, zero, sizeof(zero))))
			return uc_fail(u, "putting the engine back");
		t1 = clock_ns();
		err = emu_run(e);
		t2 = clock_ns();
		*run = t2 - t1;
		*total = t2 - t0;
		return err ?: check(breakeven_mode_names[m], units, e->out, e->out_len, e->status);
	}
	case MODES:
		break;
	}
	return -EINVAL;
}

/* The reused VM and engine, each run once; the strategy and vCPU level
 * recorded. */
static int prepare(struct bench_common *c, struct bench *b)
{
	uint32_t leaks = 1;
	/* Both templates first, whatever follows: finish() ends them. */
	int err = vm_template_init(&b->single, &c->kvm, b->guest, VM_MEM_INDIVIDUAL,
				   GUEST_DATA_DEFAULT);
	int err2 = vm_template_init(&b->reuse, &c->kvm, b->guest, VM_MEM_INDIVIDUAL,
				    GUEST_DATA_DEFAULT);

	if (err || err2)
		return err ? err : err2;
	err = -ENOTSUP;
	for (size_t i = 0; i < ARRAY_SIZE(reuse_order) && err; i++) {
		b->how = reuse_order[i];
		err = reset_probe(&c->kvm, b->how);
	}
	if (err)
		return err;
	for (int l = 0; l < VCPU_RESET_COUNT && leaks; l++) {
		b->level = (enum vcpu_reset)l;
		err = vcpu_probe(&c->kvm, b->level, &leaks);
		if (err)
			return err;
	}
	if (leaks)
		return err_set(-ENOTSUP, "kvm-reuse: no vCPU reset level puts the vCPU back here");
	rec_param_text(&c->out.rec, "reuse_reset", reset_strategies[b->how].name);
	rec_param_text(&c->out.rec, "reuse_vcpu_reset", vcpu_reset_names[b->level]);
	if (!c->opt.quiet)
		printf("kvm-reuse resets with %s, vCPU %s (fastest whose probes pass here)\n",
		       reset_strategies[b->how].name, vcpu_reset_names[b->level]);

	struct vm_result res;
	err = reset_prepare(&b->reuse, b->how) ?: vm_create(&b->live, &b->reuse);
	if (err)
		return err;
	b->live_made = true;
	err = vm_run(&b->live, &res) ?: vm_count(&b->live, &res) ?:
	      check("kvm-reuse", 0, (uint8_t *)res.out, res.out_len, res.status);
	err = err ?: emu_open(&b->emu, b->guest, 0);
	if (err)
		return err;
	uc_err u = uc_context_alloc(b->emu.uc, &b->emu.ctx);
	if (u == UC_ERR_OK)
		u = uc_context_save(b->emu.uc, b->emu.ctx);
	if (u != UC_ERR_OK)
		return uc_fail(u, "saving the engine's context");
	err = emu_run(&b->emu) ?: check("emu-reuse", 0, b->emu.out, b->emu.out_len,
					 b->emu.status);
	return err;
}

/* How many units make max_ms of guest work: the run of kvm-reuse at 0
 * and at 20000 units, the least of five each, the difference per unit. */
static int calibrate(struct bench_common *c, struct bench *b, uint64_t max_ms, uint64_t *units)
{
	uint64_t best[2] = { UINT64_MAX, UINT64_MAX }, total, run;
	const uint64_t probe_units = 20000;
	char text[160];

	for (int i = 0; i < 10; i++) {
		int err = sample(b, KVM_REUSE, i % 2 ? probe_units : 0, &total, &run);
		if (err)
			return err;
		if (run < best[i % 2])
			best[i % 2] = run;
	}
	double unit_ns = best[1] > best[0] ? (double)(best[1] - best[0]) / probe_units : 1.0;
	*units = (uint64_t)ceil((double)max_ms * 1e6 / unit_ns);
	snprintf(text, sizeof(text), "%.2f ns per unit natively (kvm-reuse runs of 0 and %llu "
		 "units): %llu units for %llu ms of guest work", unit_ns,
		 (unsigned long long)probe_units, (unsigned long long)*units,
		 (unsigned long long)max_ms);
	rec_param_text(&c->out.rec, "calibration", text);
	if (!c->opt.quiet)
		printf("%s\n", text);
	return 0;
}

static void finish(struct bench *b)
{
	if (b->live_made)
		vm_destroy(&b->live);
	if (b->emu.ctx)
		uc_context_free(b->emu.ctx);
	if (b->emu.uc)
		uc_close(b->emu.uc);
	vm_template_fini(&b->single);
	vm_template_fini(&b->reuse);
}

/* points[0] = 0, then n - 1 log-spaced from 1 to max, distinct. */
static size_t make_points(uint64_t *points, size_t n, uint64_t max)
{
	size_t k = 0;

	points[k++] = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		double x = n > 2 ? pow((double)max, (double)i / (double)(n - 2)) : (double)max;
		uint64_t u = (uint64_t)llround(x);
		if (u > points[k - 1])
			points[k++] = u;
	}
	return k;
}

static double median_us(const struct samples *s, size_t warm)
{
	struct summary sum;

	if (s->n <= warm || stats_summarize(s->v + warm, s->n - warm, &sum))
		return NAN;
	return (double)sum.median / 1e3;
}

int main(int argc, char **argv)
{
	uint64_t npoints = 16, max_units = 0, max_work_ms = 100, min_samples = 30;
	uint64_t cheap_samples = 120;
	bool wrong = false;
	const struct bench_opt opts[] = {
		BENCH_COUNT("points", "N", "work sizes: 0, then N - 1 log-spaced up to\n"
			    "                      --max-units", &npoints, 3, MAX_POINTS),
		BENCH_COUNT("max-work-ms", "MS", "the largest work size: this much guest work,\n"
			    "                      timed natively (KVM) at the start", &max_work_ms, 1,
			    10000),
		BENCH_COUNT("max-units", "N", "the largest work size in units instead (one unit\n"
			    "                      is 1093 guest instructions); 0: --max-work-ms",
			    &max_units, 0, 100000000),
		BENCH_COUNT("samples", "N", "samples per mode at each point, at least", &min_samples,
			    2, 100000),
		BENCH_COUNT("cheap-samples", "N", "samples per mode at points of at most 100\n"
			    "                      units", &cheap_samples, 2, 100000),
		BENCH_FLAG("test-wrong-checksum", "for tests: expect a checksum no run gives, so\n"
			   "                      that the first run stops the benchmark", &wrong),
		{ 0 },
	};
	struct bench_common c = {
		.prog = "kvmbench-breakeven", .name = "breakeven", .opts = opts,
		.summary = "The same guest in KVM and in an emulator: where a VM starts to win.",
	};
	struct bench b = { .guest = guest_find("compute") };
	uint64_t points[MAX_POINTS];
	struct samples total[MAX_POINTS][MODES] = { 0 }, run[MAX_POINTS][MODES] = { 0 };
	int err = bench_parse(&c, argc, argv);

	if (err >= 0)
		return err;
	err = bench_start(&c);
	if (err != BENCH_MEASURE)
		return err;
	err = 0;
	checksum_offset = wrong;
	rec_param_uint(&c.out.rec, "instructions_per_unit", COMPUTE_INSNS_PER_UNIT);
	rec_param_text(&c.out.rec, "emulator", "Unicorn");
	char version[32];
	snprintf(version, sizeof(version), "%d.%d.%d", UC_VERSION_MAJOR, UC_VERSION_MINOR,
		 UC_VERSION_PATCH);
	rec_param_text(&c.out.rec, "emulator_version", version);
	rec_param_text(&c.out.rec, "order", "the four modes sample by sample at each point, the "
		       "order rotating");
	err = prepare(&c, &b);
	if (!err && !max_units)
		err = calibrate(&c, &b, max_work_ms, &max_units);
	size_t n = make_points(points, npoints, max_units);
	rec_param_uint(&c.out.rec, "largest_units", max_units);

	struct progress progress;
	uint64_t todo = 0, done = 0;
	for (size_t p = 0; p < n; p++)
		todo += (points[p] <= 100 ? cheap_samples : min_samples) + 1;
	if (!err)
		progress_start(&progress, &c, "samples per mode", todo);
	for (size_t p = 0; p < n && !err && !bench_signal; p++) {
		uint64_t k = (points[p] <= 100 ? cheap_samples : min_samples) + 1;
		for (int m = 0; m < MODES && !err; m++)
			err = samples_init(&total[p][m], k) ?: samples_init(&run[p][m], k);
		for (uint64_t i = 0; i < k && !err && !bench_signal; i++) {
			for (int j = 0; j < MODES && !err; j++) {
				enum mode m = (enum mode)((i + (uint64_t)j) % MODES);
				sig_atomic_t mark = bench_continued;
				uint64_t t = 0, r = 0;
				err = sample(&b, m, points[p], &t, &r);
				if (!err && !bench_stopped_since(mark)) {
					samples_add(&total[p][m], t);
					samples_add(&run[p][m], r);
				}
			}
			progress_tick(&progress, ++done);
		}
	}
	if (todo && !err)
		progress_end(&progress);
	finish(&b);

	/* The series, then medians, fits and crossovers. */
	bool measured = false;
	double med[MODES][MAX_POINTS], x[MAX_POINTS], runmed[MAX_POINTS];
	size_t got = 0;
	for (size_t p = 0; p < n; p++) {
		bool all = true;
		for (int m = 0; m < MODES; m++) {
			char units[32];
			snprintf(units, sizeof(units), "%llu", (unsigned long long)points[p]);
			for (int part = 0; part < 2; part++) {
				const struct samples *s = part ? &run[p][m] : &total[p][m];
				if (!s->n)
					continue;
				int i = bench_series(&c, part ? SERIES_BREAKEVEN_RUN : SERIES_BREAKEVEN,
						     s, 1, LABEL_MODE, breakeven_mode_names[m]);
				if (i >= 0)
					rec_series_label(&c.out.rec, i, LABEL_UNITS, units);
				measured = true;
			}
			med[m][got] = median_us(&total[p][m], 1);
			all &= !isnan(med[m][got]);
		}
		if (all) {
			x[got] = (double)points[p];
			runmed[got] = median_us(&run[p][KVM_REUSE], 1);
			got++;
		}
	}
	struct breakeven be;
	const double *const meds[MODES] = { med[0], med[1], med[2], med[3] };
	if (got >= 2 && !breakeven_analyse(x, meds, runmed, got, &be)) {
		char text[256];
		for (int m = 0; m < MODES; m++) {
			snprintf(text, sizeof(text), "fixed %.1f us, %.4f us per unit, R^2 %.4f",
				 be.fit[m].intercept, be.fit[m].slope, be.fit[m].r2);
			char key[64];
			snprintf(key, sizeof(key), "fit_%s", breakeven_mode_names[m]);
			rec_param_text(&c.out.rec, key, text);
			if (!c.opt.quiet)
				printf("%-10s  %s (least squares, relative, over %zu points' medians)\n",
				       breakeven_mode_names[m], text, got);
		}
		for (int k = 0; k < 2; k++) {
			const char *what = k ? "kvm-reuse beats emu-reuse" : "kvm-single beats emu-single";
			if (isnan(be.cross[k]))
				snprintf(text, sizeof(text), "%s at no work size measured", what);
			else
				snprintf(text, sizeof(text), "%s from %.1f units: %.4f ms of guest "
					 "work (%.0f guest instructions)", what, be.cross[k],
					 be.cross_ms[k], be.cross[k] * COMPUTE_INSNS_PER_UNIT);
			rec_param_text(&c.out.rec, k ? "crossover_reuse" : "crossover_single", text);
			if (!c.opt.quiet)
				printf("%s\n", text);
		}
	}
	int status = bench_finish(&c, err, measured);
	for (size_t p = 0; p < n; p++)
		for (int m = 0; m < MODES; m++) {
			samples_free(&total[p][m]);
			samples_free(&run[p][m]);
		}
	return status;
}

#else	/* no Unicorn */

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "kvmbench-breakeven: skipped: this build has no Unicorn, the emulator "
		"it runs the guest in: apt-get install libunicorn-dev, then make again "
		"(meson finds it)\n");
	return 77;
}

#endif
