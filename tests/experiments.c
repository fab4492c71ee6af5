/* Description: kvmbench-concurrent, -scaling, -memory and -rounds end to
 * end with small counts, in real VMs: each writes a complete result whose
 * sample counts match its parameters, with the machine fingerprint.
 * Scaling really holds two fds per VM, or one in one-fd mode; rounds with
 * --verify passes after full resets and fails, naming the leak, after
 * none; every rounds file says what each vCPU level's probe found, an
 * isolating reset runs only with a level found clean and refuses to run
 * without one. */
#include <string.h>

#include "err.h"
#include "helpers.h"
#include "reset.h"
#include "record.h"

static const char *concurrent, *scaling, *memory, *rounds;
static char path[512];

/* Runs the binary with args (NULL-ended, --output added) and returns its
 * result; its output in *out. */
static void run_ok(struct record *r, const char *bin, const char *name, const char **args,
		   char **out)
{
	char *argv[32];
	int n = 0;

	snprintf(path, sizeof(path), "%s/%s.cbor", t_tmpdir(), name);
	argv[n++] = (char *)bin;
	for (; *args; args++)
		argv[n++] = (char *)*args;
	argv[n++] = "--output";
	argv[n++] = path;
	argv[n] = NULL;
	int rc = t_run(argv, out);
	T_CHECK(rc == 0, "%s: exit %d: %s", name, rc, *out);
	T_CHECK(rec_read(r, path) == 0, "%s", err_msg());
	T_CHECK(r->complete && !r->error, "%s: not complete", name);
	T_CHECK(rec_map_text(&r->machine, "kernel_release") &&
		rec_map_text(&r->machine, "kvm_module"), "%s: no machine fingerprint", name);
}

static const struct rec_series *series(const struct record *r, const char *name,
				       const char *memory_label, size_t n)
{
	for (size_t i = 0; i < r->nseries; i++) {
		const struct rec_series *s = &r->series[i];
		const char *m = rec_map_text(&s->labels, "memory");
		if (strcmp(s->name, name) || (memory_label && (!m || strcmp(m, memory_label))))
			continue;
		T_CHECK(s->n == n, "series %s (%s): %zu samples, expected %zu", name,
			memory_label ? memory_label : "-", s->n, n);
		return s;
	}
	T_CHECK(0, "no series %s (%s)", name, memory_label ? memory_label : "-");
	return NULL;
}

static void test_concurrent(void)
{
	struct record r;
	char *out;
	const char *args[] = { "--vms", "20", "--batches", "4", NULL };

	run_ok(&r, concurrent, "concurrent", args, &out);
	int lines = 0;
	for (char *p = out; (p = strstr(p, "Time spent: ")); p++)
		lines++;
	T_CHECK(lines == 4, "%d batch lines: %s", lines, out);
	series(&r, "create-run", "shared", 20);
	series(&r, "teardown", "shared", 20);
	free(out);
	rec_free(&r);

	/* Two threads: a series each, half the VMs each, the throughput's parts. */
	const char *two[] = { "--vms", "21", "--threads", "2", NULL };
	run_ok(&r, concurrent, "concurrent-2", two, &out);
	T_CHECK(strstr(out, "21 VMs by 2 thread(s)") && strstr(out, "VMs/s"), "%s", out);
	size_t per[2] = { 0 };
	for (size_t i = 0; i < r.nseries; i++) {
		const char *th = rec_map_text(&r.series[i].labels, "thread");
		if (!strcmp(r.series[i].name, "create-run") && th)
			per[atoi(th) & 1] += r.series[i].n;
	}
	T_CHECK(per[0] == 11 && per[1] == 10, "per thread %zu and %zu VMs", per[0], per[1]);
	uint64_t made, wall, sys;
	T_CHECK(rec_map_uint(&r.parameters, "vms_made", &made) == 0 && made == 21 &&
		rec_map_uint(&r.parameters, "wall_ns", &wall) == 0 && wall > 0 &&
		rec_map_uint(&r.parameters, "sys_ns", &sys) == 0, "throughput parameters");
	series(&r, "teardown", "shared", 21);
	free(out);
	rec_free(&r);
}

static void test_scaling(const char *mode, uint64_t fds_per_vm)
{
	struct record r;
	char *out;
	const char *args[] = { "--vms", "30", "--step", "10", "--fd-mode", mode, NULL };

	run_ok(&r, scaling, "scaling", args, &out);
	T_CHECK(strstr(out, "R^2") && strstr(out, "30:\t"), "table and fit: %s", out);
	const struct rec_series *c = series(&r, "create-run", "shared", 30);
	const struct rec_series *cum = series(&r, "cumulative", NULL, 4);
	const struct rec_series *fds = series(&r, "fds", NULL, 4);
	series(&r, "maps", NULL, 4);
	series(&r, "slab", NULL, 4);
	uint64_t sum = 0;
	for (size_t i = 0; i < c->n; i++) {
		sum += c->samples[i];
		if ((i + 1) % 10 == 0)
			T_CHECK(cum->samples[(i + 1) / 10] == sum, "cumulative at %zu", i + 1);
	}
	T_CHECK(cum->samples[0] == 0, "baseline");
	for (size_t k = 1; k < 4; k++)
		T_CHECK(fds->samples[k] - fds->samples[k - 1] == 10 * fds_per_vm,
			"%s mode: %llu fds for 10 VMs", mode,
			(unsigned long long)(fds->samples[k] - fds->samples[k - 1]));
	uint64_t used;
	T_CHECK(rec_map_uint(&r.parameters, "fds_per_vm", &used) == 0 && used == fds_per_vm,
		"fds_per_vm");
	T_CHECK(!strcmp(rec_map_text(&r.parameters, "fd_mode"), mode), "fd_mode");
	free(out);
	rec_free(&r);
}

static void test_memory(void)
{
	struct record r;
	char *out;
	const char *args[] = { "--rounds", "2", "--iterations", "5", "--warmup", "1",
			       "--live", "20", NULL };

	run_ok(&r, memory, "memory", args, &out);
	T_CHECK(strstr(out, "ratio individual/shared"), "ratio: %s", out);
	T_CHECK(strstr(out, "threads started: ") && strstr(out, "inside this process"),
		"live cost: %s", out);
	for (int k = 0; k < 2; k++) {
		const char *kind = k ? "individual" : "shared";
		const struct rec_series *s = series(&r, "create-run-close", kind, 11);
		T_CHECK(s->warmup == 1, "warm-up");
		series(&r, "live-rss", kind, 11);
		series(&r, "live-slab", kind, 11);
		series(&r, "live-pagetables", kind, 11);
		series(&r, "live-kernelstack", kind, 11);
		series(&r, "live-kernel-threads", kind, 11);
		const struct rec_series *pt = series(&r, "live-process-threads", kind, 11);
		/* Each live VM may bring a KVM worker into the process, never less. */
		T_CHECK(pt->samples[10] >= pt->samples[0], "threads fell while VMs were added");
	}
	free(out);
	rec_free(&r);
}

static void test_rounds(void)
{
	struct record r;
	char *out;
	const char *both[] = { "--vms", "4", "--rounds", "3", "--warmup", "1", NULL };

	run_ok(&r, rounds, "rounds", both, &out);
	T_CHECK(strstr(out, "ratio full/none"), "ratio: %s", out);
	int found = 0;
	for (size_t i = 0; i < r.nseries; i++) {
		const struct rec_series *s = &r.series[i];
		/* Each guest round whole, and its reset part alone. */
		T_CHECK((!strcmp(s->name, "reset-run") || !strcmp(s->name, "reset")) &&
			s->n == 16 && s->warmup == 4,
			"series %s: %zu samples, %zu warm-up", s->name, s->n, s->warmup);
		found |= !strcmp(rec_map_text(&s->labels, "reset"), "none") ? 1 : 2;
		if (!strcmp(s->name, "reset"))
			for (size_t j = 0; j < s->n; j++)
				T_CHECK(s->samples[j] < r.series[i - 1].samples[j], "the reset "
					"part of a round is not less than the round");
	}
	T_CHECK(found == 3 && r.nseries == 4, "two series per reset mode");
	/* Every tracking mechanism is probed, even when none of them runs. */
	for (int how = 0; how < RESET_COUNT; how++) {
		char key[64];
		snprintf(key, sizeof(key), "probe_%s", reset_strategies[how].name);
		T_CHECK(!reset_strategies[how].tracker || rec_map_text(&r.machine, key),
			"no %s in the fingerprint of a run of none and full", key);
	}
	free(out);
	rec_free(&r);

	const char *full[] = { "--vms", "3", "--rounds", "3", "--reset", "full", "--verify", NULL };
	run_ok(&r, rounds, "rounds-full", full, &out);
	free(out);
	rec_free(&r);

	/* Every strategy at once, each on its own VMs, each restoring. */
	const char *all[] = { "--vms", "2", "--rounds", "3", "--warmup", "0", "--reset", "all",
			      "--verify", "--dirty-pages", "16", NULL };
	run_ok(&r, rounds, "rounds-all", all, &out);
	/* A tracking strategy runs only where its probe passed; either way, the
	 * fingerprint says so, and a refusal is kept as a parameter.  soft-dirty
	 * runs only alone. */
	size_t want = 4;
	for (int how = 0; how < RESET_COUNT; how++) {
		char key[64];
		if (!reset_strategies[how].tracker)
			continue;
		snprintf(key, sizeof(key), "probe_%s", reset_strategies[how].name);
		const char *probe = rec_map_text(&r.machine, key);
		const char *skipped = rec_map_text(&r.parameters, key);
		T_CHECK(probe, "no %s outcome in the machine fingerprint", key);
		bool ran = !strcmp(probe, "passed") && how != RESET_SOFT_DIRTY;
		want += ran;
		T_CHECK(ran ? !skipped : skipped && strstr(skipped, reset_strategies[how].name) &&
			strstr(out, skipped), "%s: outcome '%s', skipped as '%s'", key, probe,
			skipped ? skipped : "(not)");
	}
	/* And each vCPU level alone, on VMs of its own. */
	want += VCPU_RESET_COUNT;
	T_CHECK(r.nseries == 2 * want && strstr(out, "ratio cow/none") &&
		strstr(out, "ratio vcpu full/none"), "%zu series: %s", r.nseries, out);
	size_t vcpu_series = 0;
	for (size_t i = 0; i < r.nseries; i++) {
		const char *how = rec_map_text(&r.series[i].labels, "reset");
		const char *level = rec_map_text(&r.series[i].labels, "vcpu_reset");
		const char *leaks = rec_map_text(&r.series[i].labels, "vcpu_leaks");
		char probe[64];
		snprintf(probe, sizeof(probe), "probe_vcpu_%s", level ? level : "?");
		T_CHECK(level && leaks && rec_map_text(&r.machine, probe) &&
			!strcmp(leaks, rec_map_text(&r.machine, probe)), "series %zu: level %s, "
			"leaks %s", i, level ? level : "-", leaks ? leaks : "-");
		if (!strncmp(r.series[i].name, "vcpu-", 5)) {
			vcpu_series++;
			T_CHECK(!strcmp(how, "none"), "vcpu series of reset %s", how);
		} else {
			/* An isolating strategy runs with a level whose probe is clean. */
			T_CHECK(!strcmp(how, "none") ? !strcmp(level, "regs") : !strcmp(leaks, "clean"),
				"reset %s with vCPU level %s (%s)", how, level, leaks);
		}
		char key[64];
		snprintf(key, sizeof(key), "backing_%s", how ? how : "?");
		const char *backing = rec_map_text(&r.parameters, key);
		T_CHECK(r.series[i].n == 6, "%zu samples", r.series[i].n);
		T_CHECK(backing && !strcmp(backing, !strcmp(how, "madvise") || !strcmp(how, "cow") ?
					   "memfd, private mapping" : "anonymous"),
			"%s on %s memory", how, backing ? backing : "?");
	}
	T_CHECK(vcpu_series == 2 * VCPU_RESET_COUNT, "%zu vcpu series", vcpu_series);
	const char *regs_leak = rec_map_text(&r.machine, "probe_vcpu_regs");
	T_CHECK(regs_leak && strstr(regs_leak, "x87-control") && strstr(regs_leak, "mxcsr") &&
		strstr(regs_leak, "xmm"), "KVM_SET_REGS alone put the x87 and SSE state back? "
		"probe: %s", regs_leak ? regs_leak : "(none)");
	T_CHECK(!strcmp(rec_map_text(&r.machine, "probe_vcpu_full"), "clean") &&
		!strcmp(rec_map_text(&r.machine, "probe_vcpu_fxrstor"), "clean") &&
		!strcmp(rec_map_text(&r.machine, "probe_vcpu_recreate"), "clean"),
		"full or recreate left vCPU state behind");
	free(out);
	rec_free(&r);

	/* A level whose probe leaks is never used for an isolating reset; with
	 * no clean level at all (forced), an isolating reset refuses to run. */
	char *leaky[] = { (char *)rounds, "--vms", "1", "--rounds", "1", "--reset", "dirty-log",
			  "--vcpu-reset", "regs", "--output", path, NULL };
	int leaky_rc = t_run(leaky, &out);
	T_CHECK(leaky_rc == 1 && strstr(out, "reset dirty-log refused with --vcpu-reset regs") &&
		strstr(out, "x87-control"), "an isolating reset with a leaking level: exit %d: %s",
		leaky_rc, out);
	free(out);
	char *forced[] = { (char *)rounds, "--vms", "1", "--rounds", "1", "--reset", "full",
			   "--test-vcpu-leaks", "--output", path, NULL };
	leaky_rc = t_run(forced, &out);
	T_CHECK(leaky_rc == 1 && strstr(out, "reset full refused: no vCPU reset level") &&
		rec_read(&r, path) == 0 && !r.complete && r.nseries == 0 &&
		rec_map_text(&r.parameters, "test_vcpu_leaks") &&
		!strcmp(rec_map_text(&r.machine, "probe_vcpu_full"), "clean"),
		"no clean level: exit %d: %s", leaky_rc, out);
	rec_free(&r);
	free(out);
	/* none claims nothing: any level; recreate isolates too. */
	const char *none_regs[] = { "--vms", "2", "--rounds", "2", "--reset", "none",
				    "--vcpu-reset", "full", "--test-vcpu-leaks", NULL };
	run_ok(&r, rounds, "rounds-none-full", none_regs, &out);
	free(out);
	rec_free(&r);
	const char *recreate[] = { "--vms", "2", "--rounds", "3", "--reset", "dirty-ring",
				   "--vcpu-reset", "recreate", "--verify", NULL };
	run_ok(&r, rounds, "rounds-recreate", recreate, &out);
	T_CHECK(!strcmp(rec_map_text(&r.series[0].labels, "vcpu_reset"), "recreate"),
		"recreate not recorded");
	free(out);
	rec_free(&r);

	/* A tracking strategy alone: it runs where its probe passes; where it
	 * fails, the run stops and the file records the refusal. */
	for (int how = 0; how < RESET_COUNT; how++) {
		char *argv[] = { (char *)rounds, "--vms", "1", "--rounds", "1", "--reset",
				 (char *)reset_strategies[how].name, "--output", path, NULL };
		char key[64];
		if (!reset_strategies[how].tracker)
			continue;
		snprintf(path, sizeof(path), "%s/alone-%s.cbor", t_tmpdir(), reset_strategies[how].name);
		snprintf(key, sizeof(key), "probe_%s", reset_strategies[how].name);
		int rc = t_run(argv, &out);
		T_CHECK(rec_read(&r, path) == 0, "%s alone wrote no readable file: %s",
			reset_strategies[how].name, err_msg());
		const char *probe = rec_map_text(&r.machine, key);
		T_CHECK(probe, "no %s in the fingerprint", key);
		if (!strcmp(probe, "passed"))
			T_CHECK(rc == 0 && r.complete && r.nseries == 2, "%s alone: exit %d: %s",
				reset_strategies[how].name, rc, out);
		else
			T_CHECK(rc == 1 && !r.complete && r.nseries == 0 && r.error &&
				strstr(r.error, "is unavailable") && strstr(out, r.error) &&
				!strcmp(rec_map_text(&r.parameters, key), r.error),
				"%s alone, refused: exit %d: %s", reset_strategies[how].name, rc, out);
		free(out);
		rec_free(&r);
	}

	/* The sweep: each strategy at each of 5 page counts and 5 sizes. */
	const char *sweep[] = { "--vms", "1", "--rounds", "2", "--warmup", "0", "--reset", "full",
				"--sweep", "--verify", NULL };
	run_ok(&r, rounds, "rounds-sweep", sweep, &out);
	T_CHECK(r.nseries == 40, "%zu series, not 2 strategies x 10 points x 2", r.nseries);
	size_t by_size = 0, sized_16m = 0, pages_256 = 0;
	for (size_t i = 0; i < r.nseries; i++) {
		const struct rec_map *l = &r.series[i].labels;
		const char *sw = rec_map_text(l, "sweep"), *pages = rec_map_text(l, "dirty_pages");
		const char *size = rec_map_text(l, "memory_size");
		T_CHECK(sw && pages && size && r.series[i].n == 2, "series %zu: labels or samples",
			i);
		by_size += !strcmp(sw, "size");
		sized_16m += !strcmp(size, "16777216") && !strcmp(pages, "1");
		pages_256 += !strcmp(pages, "256") && !strcmp(size, "1048576");
	}
	T_CHECK(by_size == 20 && sized_16m == 4 && pages_256 == 4, "sweep points: %zu by size, "
		"%zu at 16 MiB, %zu with 256 pages", by_size, sized_16m, pages_256);
	free(out);
	rec_free(&r);

	char *none[] = { (char *)rounds, "--vms", "3", "--rounds", "3", "--reset", "none",
			 "--verify", "--output", path, NULL };
	int rc = t_run(none, &out);
	T_CHECK(rc == 1 && strstr(out, "the reset did not restore it"),
		"reset none with --verify: exit %d: %s", rc, out);
	free(out);
}

int main(int argc, char **argv)
{
	struct kvm kvm;

	T_CHECK(argc == 5, "usage: experiments CONCURRENT SCALING MEMORY ROUNDS");
	concurrent = argv[1];
	scaling = argv[2];
	memory = argv[3];
	rounds = argv[4];
	t_kvm_or_skip(&kvm);
	kvm_close(&kvm);
	test_concurrent();
	test_scaling("two", 2);
	test_scaling("one", 1);
	test_memory();
	test_rounds();
	t_cleanup();
	return T_EXIT_PASS;
}
