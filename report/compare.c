/*
 * kvmbench-report --compare A B [C...], rendered as Markdown: the runs'
 * versions and machines, the table, the tallies and the series not paired
 * (pairing is pair.c's, the verdicts verdict.c's, the noise file noise.c's).
 * Every run against the first,
 * series by series, with the run as the unit of evidence (lib/stats.h,
 * stats_compare_runs): a series' run medians on each side, the ratio of
 * their geometric means with a bootstrap interval over runs, Welch's
 * t-test on the log run medians, and a verdict that is "slower" or "faster" only when the
 * difference is both clear (p < 0.05) and larger than the noise floor (the
 * between-run spread, or a measured one given with --noise).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "series.h"
#include "util.h"

/* The heading of the list below the table, before its first line. */
static void heading(size_t *n)
{
	if (!(*n)++)
		printf("\nSeries not paired one to one:\n\n");
}

/* The series that found no partner, or found it on shared labels only,
 * listed under the table with the reason. */
static void unmatched(const struct results *rs, size_t nrs)
{
	size_t n = 0;

	for (size_t o = 1; o < nrs; o++) {
		bool one_each = rs[0].n == 1 && rs[o].n == 1;
		for (size_t i = 0; i < rs[0].n; i++) {
			const struct result *ra = &rs[0].r[i];
			for (size_t k = 0; k < ra->rec.nseries; k++) {
				const struct rec_series *sa = &ra->rec.series[k], *sb;
				const struct result *rb;
				enum pairing how;
				char la[256], lb[256];
				if (series_is_reading(sa->name))
					continue;
				sb = match(&rs[o], one_each, ra, sa, &rb, &how);
				if (how == PAIR_EXACT || how == PAIR_NO_FILE)
					continue;
				heading(&n);
				report_labels(sa, la, sizeof(la));
				if (sb) {
					report_labels(sb, lb, sizeof(lb));
					printf("- %s %s: A's labels \"%s\" paired with %c's \"%s\" on the "
					       "labels they share (another version of the suite labels "
					       "it otherwise)\n", MD(ra->file), MD(sa->name), MD(la),
					       (int)('A' + o), MD(lb));
				} else {
					const struct result *in = one_each ? &rs[o].r[0] :
								  report_file(&rs[o], ra->file);
					printf("- %s %s (%s): unmatched in %c: %s", MD(ra->file),
					       MD(sa->name), MD(la), (int)('A' + o),
					       how == PAIR_AMBIGUOUS ? "several of its series agree on the "
					       "labels both have, none is taken" : "no series of that name "
					       "with labels that agree");
					/* An incomplete run says why it has less. */
					if (in && !in->rec.complete)
						printf(" (its run is incomplete: %s)",
						       MD(in->rec.error ? in->rec.error : "no reason given"));
					printf("\n");
				}
			}
		}
		for (size_t j = 0; j < rs[o].n; j++) {
			const struct result *rb = &rs[o].r[j];
			if (!one_each && !report_file(&rs[0], rb->file)) {
				heading(&n);
				printf("- %s: only in %c\n", MD(rb->file), (int)('A' + o));
				continue;
			}
			for (size_t l = 0; l < rb->rec.nseries; l++) {
				const struct rec_series *t = &rb->rec.series[l];
				char lb[256];
				if (series_is_reading(t->name) || paired_back(&rs[0], one_each, rb, t))
					continue;
				heading(&n);
				report_labels(t, lb, sizeof(lb));
				printf("- %s %s (%s): only in %c\n", MD(rb->file), MD(t->name), MD(lb),
				       (int)('A' + o));
			}
		}
		for (size_t i = 0; i < rs[0].n && !one_each; i++)
			if (!report_file(&rs[o], rs[0].r[i].file)) {
				heading(&n);
				printf("- %s: not in %c\n", MD(rs[0].r[i].file), (int)('A' + o));
			}
	}
}

static int table(const struct results *rs, size_t nrs, const struct noises *ns)
{
	struct tally all[MAX_RUNS] = { 0 };
	struct cell *cells[MAX_RUNS] = { 0 };
	size_t ncells[MAX_RUNS] = { 0 }, row_at = 0;
	/* A tally per result file of A and run compared, printed after the table. */
	struct tally (*per)[MAX_RUNS] = calloc(rs[0].n ? rs[0].n : 1, sizeof(*per));
	int err = per ? 0 : report_fail("out of memory");

	for (size_t o = 1; o < nrs && !err; o++)
		err = cells_of(rs, o, ns, &cells[o], &ncells[o]);
	if (err)
		goto out;

	printf("| benchmark | series | labels | unit | A: runs | A: median |");
	for (size_t x = 1; x < nrs; x++)
		printf(" %c: runs | %c: median | %c/A | 95%% interval | p (q) | verdict |",
		       (int)('A' + x), (int)('A' + x), (int)('A' + x));
	printf("\n|---|---|---|---|---|---|");
	for (size_t x = 1; x < nrs; x++)
		printf("---|---|---|---|---|---|");
	printf("\n");

	for (size_t i = 0; i < rs[0].n; i++) {
		const struct result *ra = &rs[0].r[i];
		for (size_t k = 0; k < ra->rec.nseries; k++) {
			const struct rec_series *sa = &ra->rec.series[k];
			double ma[MAX_SERIES_RUNS];
			char runs[64], labels[256];
			if (!comparable(sa))
				continue;
			size_t at = row_at++;
			medians(sa, ma, runs, sizeof(runs));
			double f = report_scale(sa->unit);
			struct summary x;
			report_labels(sa, labels, sizeof(labels));
			report_summary(sa, &x);
			char row[8192];
			int len = snprintf(row, sizeof(row), "| %s | %s | %s | %s | %s | %.1f |",
					   MD(ra->file), MD(sa->name), MD(labels),
					   MD(report_unit(sa->unit)), runs, x.median * f);
			bool others = false;
			for (size_t o = 1; o < nrs && len < (int)sizeof(row); o++) {
				const struct cell *cell = at < ncells[o] ? &cells[o][at] : NULL;
				if (!cell || !cell->ok) {
					len += snprintf(row + len, sizeof(row) - (size_t)len,
							" | | | | | |");
					continue;
				}
				const struct run_comparison *c = &cell->c;
				const struct result *rb = cell->rb;
				char verdict[200], p[48] = "-";
				double qv = cell->q;
				if (cell->apart)
					snprintf(verdict, sizeof(verdict), "**none: %c under emulation, "
						 "%c on hardware**", report_emulator(ra) ? 'A' : 'A' + (int)o,
						 report_emulator(ra) ? 'A' + (int)o : 'A');
				else
					verdict_text(verdict, sizeof(verdict), (char)('A' + o), c, qv);
				/* No test with one run on a side. */
				if (!isnan(c->p))
					snprintf(p, sizeof(p), "%.3g (%.3g)", c->p, qv);
				len += snprintf(row + len, sizeof(row) - (size_t)len,
						" %s | %.1f | %.3f | %.3f - %.3f | %s | %s%s%s%s |",
						cell->runs, cell->y.median * f, c->ratio, c->lo, c->hi, p,
						verdict,
						ra->rec.complete && rb->rec.complete ? "" :
						", INCOMPLETE run",
						ra->published || rb->published ? ", published means" : "",
						cell->how == PAIR_SHARED ? ", paired on shared labels" : "");
				if (!cell->apart) {
					struct run_comparison called = *c;
					called.verdict = final_verdict(c, qv);
					tally_add(&per[i][o], &called);
					tally_add(&all[o], &called);
				}
				others = true;
			}
			if (others)
				printf("%s\n", row);
		}
	}
	printf("\n");
	for (size_t i = 0; i < rs[0].n; i++)
		for (size_t o = 1; o < nrs; o++)
			if (per[i][o].ratios)
				tally_print(MD(rs[0].r[i].file), (char)('A' + o), &per[i][o]);
	for (size_t o = 1; o < nrs; o++) {
		if (rs[0].n && rs[o].n && apart(&rs[0].r[0], &rs[o].r[0]))
			printf("- **All**, %c against A: no verdict, one side measured under "
			       "emulation and the other on hardware\n", (int)('A' + o));
		else
			tally_print("**All**", (char)('A' + o), &all[o]);
	}
	unmatched(rs, nrs);
out:
	for (size_t o = 0; o < nrs; o++)
		free(cells[o]);
	free(per);
	return err;
}

/* Runs of different versions of the suite, said before the table: their
 * series may be labelled differently (see unmatched()). */
static void versions(const struct results *rs, size_t nrs)
{
	const char *va[MAX_RUNS], *ra[MAX_RUNS];
	bool differ = false;

	for (size_t x = 0; x < nrs; x++) {
		const struct rec_map *m = &rs[x].r[0].rec.machine;
		va[x] = rec_map_text(m, "kvmbench_version");
		ra[x] = rec_map_text(m, "kvmbench_revision");
		va[x] = va[x] ? va[x] : "unknown";
		ra[x] = ra[x] ? ra[x] : "unknown";
		differ |= strcmp(va[x], va[0]) || strcmp(ra[x], ra[0]);
	}
	if (!differ)
		return;
	printf("**The runs were taken by different versions of the suite:");
	for (size_t x = 0; x < nrs; x++)
		printf("%s %c %s (%s)", x ? "," : "", (int)('A' + x), MD(va[x]), MD(ra[x]));
	printf(".**  A series whose labels changed between versions is paired on the labels "
	       "both have, where that names one series; the others are listed under the "
	       "table.\n\n");
}

/* ---- the machines ---- */

static void value_text(const struct rec_value *v, char *buf, size_t size)
{
	switch (v ? v->type : REC_MAP) {
	case REC_UINT:
		snprintf(buf, size, "%llu", (unsigned long long)v->u);
		break;
	case REC_TEXT:
		esc_markdown(v->text, buf, size);
		break;
	case REC_BOOL:
		snprintf(buf, size, "%s", v->b ? "true" : "false");
		break;
	default:
		snprintf(buf, size, "%s", v ? "(map)" : "-");
	}
}

/* The fields of the machines side by side; a field that differs is in
 * bold, and said to move results when it is known to. */
static void machines(const struct results *rs, char *const *paths, size_t nrs)
{
	static const struct { const char *name; bool moves; } fields[] = {
		{ "hostname", false }, { "kernel_release", true }, { "cpu_model", true },
		{ "cpus", true }, { "memory_bytes", false }, { "kvm_module", true },
		{ "kvm_paging", true }, { "nested", true }, { "hypervisor", true },
		{ "emulator", true },
		{ "kernel_source", true }, { "kernel_config", true }, { "kernel_cmdline", true },
		{ "host_kernel", true }, { "host_kvm_module", true }, { "host_nested", true },
		{ "runner", false },
		{ "clocksource", true }, { "microcode", true },
		{ "cpufreq_driver", true }, { "cpufreq_governor", true }, { "cpu_boost", true },
		{ "smt", true }, { "thp", true }, { "mitigations", true }, { "numa_nodes", true },
		{ "isolation", true }, { "cgroup", true }, { "cpu_affinity", true },
		{ "load_start", true }, { "runnable_start", true }, { "nofile_hard", false },
		{ "max_map_count", false }, { "kvmbench_version", true },
		{ "kvmbench_revision", false }, { "compiler", true },
		{ "build_type", true }, { "sanitize", true }, { "date", false },
	};
	char v[MAX_RUNS][512];

	printf("\n### Machines\n\nA field that differs is in bold; \"(moves results)\" marks the "
	       "ones known to.\n\n| field |");
	for (size_t x = 0; x < nrs; x++)
		printf(" %c: %s |", (int)('A' + x), MD(paths[x]));
	printf("\n|---|");
	for (size_t x = 0; x < nrs; x++)
		printf("---|");
	printf("\n");
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		bool diff = false, any = false;
		for (size_t x = 0; x < nrs; x++) {
			const struct rec_value *f = rec_map_get(&rs[x].r[0].rec.machine, fields[i].name);
			value_text(f, v[x], sizeof(v[x]));
			diff |= strcmp(v[x], v[0]) != 0;
			any |= f != NULL;
		}
		if (!any)
			continue;
		printf("| %s%s%s%s |", diff ? "**" : "", fields[i].name, diff ? "**" : "",
		       diff && fields[i].moves ? " (moves results)" : "");
		for (size_t x = 0; x < nrs; x++)
			printf(" %s%s%s |", diff ? "**" : "", v[x], diff ? "**" : "");
		printf("\n");
	}
	/* Parameters of the KVM modules: only those that differ. */
	const struct rec_map none = { 0 };
	for (size_t x = 0; x < nrs; x++) {
		const struct rec_value *px = rec_map_get(&rs[x].r[0].rec.machine, "kvm_parameters");
		const struct rec_map *mx = px && px->type == REC_MAP ? &px->map : &none;
		for (size_t i = 0; i < mx->n; i++) {
			const char *key = mx->kv[i].key;
			bool seen = false, diff = false;
			for (size_t y = 0; y < x && !seen; y++) {
				const struct rec_value *py = rec_map_get(&rs[y].r[0].rec.machine,
									 "kvm_parameters");
				seen = py && py->type == REC_MAP && rec_map_get(&py->map, key);
			}
			if (seen)
				continue;	/* shown from an earlier run */
			for (size_t y = 0; y < nrs; y++) {
				const struct rec_value *py = rec_map_get(&rs[y].r[0].rec.machine,
									 "kvm_parameters");
				value_text(py && py->type == REC_MAP ? rec_map_get(&py->map, key) : NULL,
					   v[y], sizeof(v[y]));
				diff |= strcmp(v[y], v[0]) != 0;
			}
			if (!diff)
				continue;
			printf("| **%s** (moves results) |", MD(key));
			for (size_t y = 0; y < nrs; y++)
				printf(" **%s** |", v[y]);
			printf("\n");
		}
	}
}

/* Runs taken under emulation, said in bold before any number. */
static void emulated(const struct results *rs, size_t nrs)
{
	size_t n = 0;

	for (size_t x = 0; x < nrs; x++) {
		const char *e = rs[x].n ? report_emulator(&rs[x].r[0]) : NULL;
		if (!e)
			continue;
		printf("%s%c (%s)", n++ ? ", " : "**Measured under emulation: ", (int)('A' + x),
		       MD(e));
	}
	if (n)
		printf(".  Their timings are the emulator's, nobody's numbers, and no verdict "
		       "sets them against a run on hardware.**\n\n");
}

int report_compare(char *const *paths, size_t npaths, const char *noise_path)
{
	struct results rs[MAX_RUNS] = { 0 };
	struct noises ns = { 0 };
	int err = 0;

	if (npaths < 2 || npaths > MAX_RUNS)
		return report_fail("--compare takes 2 to %d runs", MAX_RUNS);
	for (size_t x = 0; x < npaths && !err; x++)
		err = report_load(&rs[x], paths[x]);
	if (!err && noise_path)
		err = noise_read(noise_path, &ns);
	if (err)
		goto out;

	printf("## %s (A) against", MD(paths[0]));
	for (size_t x = 1; x < npaths; x++)
		printf("%s %s (%c)", x > 1 ? "," : "", MD(paths[x]), (int)('A' + x));
	printf("\n\nThe run is the unit: each series is summarised by the median of each of "
	       "its runs.  ratio = geometric mean of the run medians over A's, with a 95%% "
	       "bootstrap interval over runs; p: Welch's two-sided t-test on the log run "
	       "medians; q: the same p adjusted for the number of series compared (Benjamini "
	       "and Hochberg's false discovery rate).  A "
	       "difference is called only when p and q < 0.05 and it exceeds the noise floor: the "
	       "smallest difference these runs can tell from the between-run spread (%s), "
	       "2.8 x spread x sqrt(1/runs A + 1/runs B).  With one run on a side no verdict "
	       "is possible.  Readings at steps (cumulative times, memory) are compared in "
	       "the overlay charts only.\n\n", noise_path ? "as measured in the noise file "
	       "where it has the series, else of the runs compared" : "of the runs compared");
	emulated(rs, npaths);
	versions(rs, npaths);
	err = table(rs, npaths, &ns);
	if (!err)
		machines(rs, paths, npaths);
out:
	for (size_t x = 0; x < npaths; x++)
		report_free(&rs[x]);
	free(ns.v);
	return err;
}
