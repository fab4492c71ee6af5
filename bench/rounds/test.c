/* Description: kvmbench-rounds end to end with small counts, in real VMs:
 * with --verify it passes after full resets and fails, naming the leak,
 * after none; every file says what each vCPU level's probe found, an
 * isolating reset runs only with a level found clean and refuses to run
 * without one; every strategy runs where its probe passed and is refused,
 * on record, where it failed; the sweep has every point. */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "helpers.h"
#include "record.h"
#include "reset.h"

static const char *bin;

static void test_rounds(void)
{
	struct record r;
	char *out;
	const char *both[] = { "--vms", "4", "--rounds", "3", "--warmup", "1", NULL };

	t_result(&r, bin, "rounds", both, &out);
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
	t_result(&r, bin, "rounds-full", full, &out);
	free(out);
	rec_free(&r);

	/* Every strategy at once, each on its own VMs, each restoring. */
	const char *all[] = { "--vms", "2", "--rounds", "3", "--warmup", "0", "--reset", "all",
			      "--verify", "--dirty-pages", "16", NULL };
	t_result(&r, bin, "rounds-all", all, &out);
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
	char *leaky[] = { (char *)bin, "--vms", "1", "--rounds", "1", "--reset", "dirty-log",
			  "--vcpu-reset", "regs", "--output", t_path, NULL };
	int leaky_rc = t_run(leaky, &out);
	T_CHECK(leaky_rc == 1 && strstr(out, "reset dirty-log refused with --vcpu-reset regs") &&
		strstr(out, "x87-control"), "an isolating reset with a leaking level: exit %d: %s",
		leaky_rc, out);
	free(out);
	char *forced[] = { (char *)bin, "--vms", "1", "--rounds", "1", "--reset", "full",
			   "--test-vcpu-leaks", "--output", t_path, NULL };
	leaky_rc = t_run(forced, &out);
	T_CHECK(leaky_rc == 1 && strstr(out, "reset full refused: no vCPU reset level") &&
		rec_read(&r, t_path) == 0 && !r.complete && r.nseries == 0 &&
		rec_map_text(&r.parameters, "test_vcpu_leaks") &&
		!strcmp(rec_map_text(&r.machine, "probe_vcpu_full"), "clean"),
		"no clean level: exit %d: %s", leaky_rc, out);
	rec_free(&r);
	free(out);
	/* none claims nothing: any level; recreate isolates too. */
	const char *none_regs[] = { "--vms", "2", "--rounds", "2", "--reset", "none",
				    "--vcpu-reset", "full", "--test-vcpu-leaks", NULL };
	t_result(&r, bin, "rounds-none-full", none_regs, &out);
	free(out);
	rec_free(&r);
	const char *recreate[] = { "--vms", "2", "--rounds", "3", "--reset", "dirty-ring",
				   "--vcpu-reset", "recreate", "--verify", NULL };
	t_result(&r, bin, "rounds-recreate", recreate, &out);
	T_CHECK(!strcmp(rec_map_text(&r.series[0].labels, "vcpu_reset"), "recreate"),
		"recreate not recorded");
	free(out);
	rec_free(&r);

	/* A tracking strategy alone: it runs where its probe passes; where it
	 * fails, the run stops and the file records the refusal. */
	for (int how = 0; how < RESET_COUNT; how++) {
		char *argv[] = { (char *)bin, "--vms", "1", "--rounds", "1", "--reset",
				 (char *)reset_strategies[how].name, "--output", t_path, NULL };
		char key[64];
		if (!reset_strategies[how].tracker)
			continue;
		snprintf(t_path, sizeof(t_path), "%s/alone-%s.cbor", t_tmpdir(), reset_strategies[how].name);
		snprintf(key, sizeof(key), "probe_%s", reset_strategies[how].name);
		int rc = t_run(argv, &out);
		T_CHECK(rec_read(&r, t_path) == 0, "%s alone wrote no readable file: %s",
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
	t_result(&r, bin, "rounds-sweep", sweep, &out);
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

	char *none[] = { (char *)bin, "--vms", "3", "--rounds", "3", "--reset", "none",
			 "--verify", "--output", t_path, NULL };
	int rc = t_run(none, &out);
	T_CHECK(rc == 1 && strstr(out, "the reset did not restore it"),
		"reset none with --verify: exit %d: %s", rc, out);
	free(out);
}

int main(int argc, char **argv)
{
	struct kvm kvm;

	T_CHECK(argc == 2, "usage: test PATH-TO-kvmbench-rounds");
	bin = argv[1];
	t_kvm_or_skip(&kvm);
	kvm_close(&kvm);
	test_rounds();
	t_cleanup();
	return T_EXIT_PASS;
}
