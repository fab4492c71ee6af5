/*
 * kvmbench-report --compare A B [C...]: every run against the first,
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

#include "report.h"
#include "series.h"
#include "stats.h"
#include "util.h"

#define MAX_RUNS 8
#define MAX_SERIES_RUNS 64

static bool same_labels(const struct rec_series *a, const struct rec_series *b)
{
	if (a->labels.n != b->labels.n)
		return false;
	for (size_t i = 0; i < a->labels.n; i++) {
		const char *v = rec_map_text(&b->labels, a->labels.kv[i].key);
		if (!v || a->labels.kv[i].v.type != REC_TEXT || strcmp(v, a->labels.kv[i].v.text))
			return false;
	}
	return true;
}

/* Labels that agree on every key both have (one side may have more). */
static bool labels_agree(const struct rec_series *a, const struct rec_series *b)
{
	for (size_t i = 0; i < a->labels.n; i++) {
		const struct rec_value *v = rec_map_get(&b->labels, a->labels.kv[i].key);
		if (v && (v->type != REC_TEXT || a->labels.kv[i].v.type != REC_TEXT ||
			  strcmp(v->text, a->labels.kv[i].v.text)))
			return false;
	}
	return true;
}

/* How a series of A found its partner in another run. */
enum pairing {
	PAIR_NONE,
	PAIR_EXACT,	/* the same name and labels */
	PAIR_SHARED,	/* the only series of that name whose labels agree where
			 * both have them: labels added or dropped by another
			 * version of the suite */
	PAIR_AMBIGUOUS,	/* several such: none is taken */
	PAIR_NO_FILE,	/* the run has no result of that benchmark */
};

/* Does a series of the file `in` match t exactly? */
static bool taken_exactly(const struct result *in, const struct rec_series *t)
{
	for (size_t l = 0; l < in->rec.nseries; l++) {
		const struct rec_series *s = &in->rec.series[l];
		if (!strcmp(s->name, t->name) && same_labels(s, t))
			return true;
	}
	return false;
}

/* The series of rs that s (of file ra) is compared with, or NULL, and how
 * it was found.  Two single results (two files, p1.cbor against p16.cbor)
 * are each other's whatever they are called. */
static const struct rec_series *match(const struct results *rs, bool one_each,
				      const struct result *ra, const struct rec_series *s,
				      const struct result **in, enum pairing *how)
{
	const struct rec_series *found = NULL;
	size_t agree = 0;
	bool file = false;

	*how = PAIR_NONE;
	for (size_t j = 0; j < rs->n; j++) {
		const struct result *r = &rs->r[j];
		if (!one_each && strcmp(r->file, ra->file))
			continue;
		file = true;
		for (size_t l = 0; l < r->rec.nseries; l++) {
			const struct rec_series *t = &r->rec.series[l];
			if (strcmp(t->name, s->name))
				continue;
			if (same_labels(s, t)) {
				*in = r;
				*how = PAIR_EXACT;
				return t;
			}
			if (labels_agree(s, t) && !taken_exactly(ra, t)) {
				agree++;
				found = t;
				*in = r;
			}
		}
	}
	*how = !file ? PAIR_NO_FILE : agree == 1 ? PAIR_SHARED : agree ? PAIR_AMBIGUOUS : PAIR_NONE;
	return agree == 1 ? found : NULL;
}

/* The other way round: does any series of A's runs pair with t of file rb? */
static bool paired_back(const struct results *a, bool one_each, const struct result *rb,
			const struct rec_series *t)
{
	for (size_t i = 0; i < a->n; i++) {
		const struct result *ra = &a->r[i];
		if (!one_each && strcmp(ra->file, rb->file))
			continue;
		for (size_t k = 0; k < ra->rec.nseries; k++) {
			const struct rec_series *s = &ra->rec.series[k];
			const struct result *in;
			enum pairing how;
			struct results one = { .r = (struct result *)rb, .n = 1 };
			if (match(&one, true, ra, s, &in, &how) == t)
				return true;
		}
	}
	return false;
}

/* ---- a measured noise floor (--noise FILE) ---- */

struct noise {
	char key[1024];		/* file<TAB>series<TAB>labels, as --noise-out wrote them */
	double spread;
};

struct noises {
	struct noise *v;
	size_t n;
};

/* The key as --noise-out writes it: each name terminal-escaped. */
static void noise_key(char *buf, size_t size, const char *file, const struct rec_series *s)
{
	char labels[256];

	report_labels(s, labels, sizeof(labels));
	snprintf(buf, size, "%s\t%s\t%s", ESC_SHOWN(file), ESC_SHOWN(s->name), ESC_SHOWN(labels));
}

/* A file of lines "file<TAB>series<TAB>labels<TAB>spread<TAB>runs" as
 * kvmbench-report --noise writes them; '#' lines are comments. */
static int noise_read(const char *path, struct noises *ns)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int lineno = 0;

	if (!f)
		return report_fail("cannot read the noise file %s: %s", ESC_SHOWN(path),
				   strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *tab[4], *end;
		int t = 0;
		lineno++;
		line[strcspn(line, "\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		for (char *p = line; *p && t < 4; p++)
			if (*p == '\t')
				tab[t++] = p;
		double spread = t == 4 ? strtod(tab[2] + 1, &end) : NAN;
		if (t != 4 || end != tab[3] || !(spread >= 0)) {
			fclose(f);
			return report_fail("%s:%d: not a line of kvmbench-report --noise-out",
					   ESC_SHOWN(path), lineno);
		}
		struct noise *more = realloc(ns->v, (ns->n + 1) * sizeof(*more));
		if (!more) {
			fclose(f);
			return report_fail("out of memory");
		}
		ns->v = more;
		*tab[2] = 0;
		snprintf(ns->v[ns->n].key, sizeof(ns->v[0].key), "%s", line);
		ns->v[ns->n++].spread = spread;
	}
	fclose(f);
	return 0;
}

static double noise_of(const struct noises *ns, const char *file, const struct rec_series *s)
{
	char key[1024];

	noise_key(key, sizeof(key), file, s);
	for (size_t i = 0; i < ns->n; i++)
		if (!strcmp(ns->v[i].key, key))
			return ns->v[i].spread;
	return 0;
}

/* ---- the comparison ---- */

/* Tallies of one benchmark's (or every) verdict, and their log ratios. */
struct tally {
	size_t slower, faster, same, none;
	double log_sum;
	size_t ratios;
};

static void tally_add(struct tally *t, const struct run_comparison *c)
{
	t->slower += c->verdict == VERDICT_SLOWER;
	t->faster += c->verdict == VERDICT_FASTER;
	t->same += c->verdict == VERDICT_SAME;
	t->none += c->verdict == VERDICT_NONE;
	t->log_sum += log(c->ratio);
	t->ratios++;
}

static void tally_print(const char *what, char run, const struct tally *t)
{
	if (!t->ratios) {
		printf("- %s, %c against A: no series in common\n", what, run);
		return;
	}
	printf("- %s, %c against A: geometric mean of the ratios %.3f over %zu series; "
	       "%c slower %zu, %c faster %zu, no difference %zu", what, run,
	       exp(t->log_sum / (double)t->ratios), t->ratios, run, t->slower,
	       run, t->faster, t->same + t->none);
	if (t->none)
		printf(" (%zu of them with one run on a side: no verdict possible)", t->none);
	printf("\n");
}

/* The verdict with the false discovery rate over the whole comparison: a
 * difference stands only where its q is below 0.05 too. */
static enum verdict final_verdict(const struct run_comparison *c, double q)
{
	if ((c->verdict == VERDICT_SLOWER || c->verdict == VERDICT_FASTER) && !(q < 0.05))
		return VERDICT_SAME;
	return c->verdict;
}

/* "B slower (+12.3%, noise ±4.1%)" and the like. */
static void verdict_text(char *buf, size_t size, char run, const struct run_comparison *c,
			 double q)
{
	enum verdict v = final_verdict(c, q);

	if (v == VERDICT_NONE)
		snprintf(buf, size, "no difference (one run on a side: no verdict possible)");
	else if (v == VERDICT_SAME && v != c->verdict)
		snprintf(buf, size, "no difference (%+.1f%% beyond the ±%.1f%% noise, but with "
			 "q %.2g: as often as chance over this many series)", 100 * (c->ratio - 1),
			 100 * c->floor, q);
	else if (v == VERDICT_SAME)
		snprintf(buf, size, "no difference (within ±%.1f%% noise)", 100 * c->floor);
	else
		snprintf(buf, size, "%c %s (%+.1f%%, noise ±%.1f%%)", run,
			 v == VERDICT_SLOWER ? "slower" : "faster",
			 100 * (c->ratio - 1), 100 * c->floor);
}

/* Run medians, and "5 (CV 4.1%)" or "1". */
static size_t medians(const struct rec_series *s, double *med, char *runs, size_t size)
{
	size_t k = report_run_medians(s, med);
	double spread = stats_run_spread(med, k);

	if (k > 1)
		snprintf(runs, size, "%zu (CV %.1f%%)", k, 100 * spread);
	else
		snprintf(runs, size, "%zu", k);
	return k;
}

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

/* One side measured under emulation and the other not: no verdict. */
static bool apart(const struct result *a, const struct result *b)
{
	return !report_emulator(a) != !report_emulator(b);
}

/* A's series that are compared: timings, with runs. */
static bool comparable(const struct rec_series *sa)
{
	struct summary x;

	return !series_is_reading(sa->name) && sa->nruns <= MAX_SERIES_RUNS &&
	       report_run_medians(sa, (double[MAX_SERIES_RUNS]){ 0 }) > 0 &&
	       report_summary(sa, &x) == 0;
}

/* One cell: A's series sa against its partner in run o.  0 with *c, *rb,
 * *sb, *y and B's runs text; -1 where there is nothing to compare. */
struct cell {
	bool ok;			/* compared: the rest is set */
	bool apart;			/* one side emulated, the other not */
	const struct result *rb;
	const struct rec_series *sb;
	enum pairing how;
	struct run_comparison c;
	double q;			/* c.p over every series (NaN: no verdict) */
	struct summary y;
	char runs[64];
};

static int compare_cell(const struct results *rs, size_t o, const struct result *ra,
			const struct rec_series *sa, const struct noises *ns, struct cell *cell)
{
	double ma[MAX_SERIES_RUNS], mb[MAX_SERIES_RUNS];
	size_t ka = report_run_medians(sa, ma), kb = 0;

	cell->sb = match(&rs[o], rs[0].n == 1 && rs[o].n == 1, ra, sa, &cell->rb, &cell->how);
	if (cell->sb && cell->sb->nruns <= MAX_SERIES_RUNS)
		kb = medians(cell->sb, mb, cell->runs, sizeof(cell->runs));
	if (!kb || report_summary(cell->sb, &cell->y) ||
	    stats_compare_runs(ma, ka, mb, kb, noise_of(ns, ra->file, sa), &cell->c))
		return -1;
	return 0;
}

/* Run o's cells, one per comparable series of A in table order, each
 * compared once, and their q values: Benjamini-Hochberg over every series
 * compared (one side emulated, the other not: no verdict, left out). */
static int cells_of(const struct results *rs, size_t o, const struct noises *ns,
		    struct cell **out, size_t *nout)
{
	struct cell *cells = NULL;
	double *p = NULL, *q = NULL;
	size_t n = 0, m = 0;
	int err = 0;

	for (size_t i = 0; i < rs[0].n && !err; i++) {
		const struct result *ra = &rs[0].r[i];
		for (size_t k = 0; k < ra->rec.nseries && !err; k++) {
			if (!comparable(&ra->rec.series[k]))
				continue;
			struct cell *more = realloc(cells, (n + 1) * sizeof(*cells));
			if (!more) {
				err = -ENOMEM;
				break;
			}
			cells = more;
			struct cell *c = &cells[n++];
			c->ok = !compare_cell(rs, o, ra, &ra->rec.series[k], ns, c);
			c->apart = c->ok && apart(ra, c->rb);
			c->q = NAN;
		}
	}
	if (!err && (!(p = malloc((n ? n : 1) * sizeof(*p))) ||
		     !(q = malloc((n ? n : 1) * sizeof(*q)))))
		err = -ENOMEM;
	for (size_t j = 0; !err && j < n; j++)
		if (cells[j].ok && !cells[j].apart)
			p[m++] = cells[j].c.p;
	if (!err && stats_bh(p, m, q))
		err = -ENOMEM;
	for (size_t j = 0, k = 0; !err && j < n; j++)
		if (cells[j].ok && !cells[j].apart)
			cells[j].q = q[k++];
	free(p);
	free(q);
	*out = cells;
	*nout = n;
	return err ? report_fail("out of memory") : 0;
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
