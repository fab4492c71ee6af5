/*
 * kvmbench-report --gather DIR...: result directories from several machines
 * (a directory per machine, as a CI fleet's jobs leave them), grouped by
 * CPU model.  For each model and series: the median of each machine's run
 * medians, how far the machines of the model spread, how far the runs of
 * one machine spread, and whether the machines disagree beyond their own
 * noise: a one-way analysis of variance of the log run medians, machine by
 * machine (F test), its p values adjusted over every test of the report
 * (Benjamini-Hochberg), a disagreement called at q < 0.05 when the
 * machines also spread more than their runs do.
 *
 * Every name comes from the files and is shown through MD(); nothing from
 * them is run.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "series.h"
#include "stats.h"

#define GATHER_MAX 64		/* machines */
#define MAX_RUNS 256		/* run medians of one series on one machine */

struct machine_dir {
	const char *path;
	struct results rs;
	const struct result *head;	/* its first measured result */
	const char *model;
	size_t group;
};

/* One series of one benchmark: what identifies it across machines. */
struct key {
	const char *file;		/* benchmark file, "single" */
	const char *name;
	char labels[256];
	const char *unit;
};

/* A row of the report: a series on the machines of one model. */
struct row {
	size_t group;
	struct key key;
	size_t machines;
	double median;			/* of the machines' medians */
	double between, within;		/* spreads, as coefficients of variation */
	double p, q;
};

static double median_of(double *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
			double t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The F test of one-way analysis of variance over groups of log values:
 * NaN when any group has fewer than two values or none varies. */
static double anova_p(double *const *x, const size_t *n, size_t groups)
{
	double grand = 0, between = 0, within = 0;
	size_t total = 0;

	for (size_t g = 0; g < groups; g++) {
		if (n[g] < 2)
			return NAN;
		for (size_t i = 0; i < n[g]; i++)
			grand += x[g][i];
		total += n[g];
	}
	grand /= (double)total;
	for (size_t g = 0; g < groups; g++) {
		double mean = 0;
		for (size_t i = 0; i < n[g]; i++)
			mean += x[g][i];
		mean /= (double)n[g];
		between += (double)n[g] * (mean - grand) * (mean - grand);
		for (size_t i = 0; i < n[g]; i++)
			within += (x[g][i] - mean) * (x[g][i] - mean);
	}
	double d1 = (double)(groups - 1), d2 = (double)(total - groups);
	if (within <= 0)
		return between > 0 ? 0 : NAN;
	double f = (between / d1) / (within / d2);
	/* P(F > f) = I_{d2/(d2+d1 f)}(d2/2, d1/2). */
	return stats_incbeta(d2 / 2, d1 / 2, d2 / (d2 + d1 * f));
}

/* Series s of machine m's result of the same file, with the same labels. */
static const struct rec_series *find(const struct machine_dir *m, const struct key *k)
{
	const struct result *r = report_file(&m->rs, k->file);

	for (size_t l = 0; r && !r->published && l < r->rec.nseries; l++) {
		char labels[256];
		report_labels(&r->rec.series[l], labels, sizeof(labels));
		if (!strcmp(r->rec.series[l].name, k->name) && !strcmp(labels, k->labels))
			return &r->rec.series[l];
	}
	return NULL;
}

static bool seen(const struct key *keys, size_t n, const struct key *k)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(keys[i].file, k->file) && !strcmp(keys[i].name, k->name) &&
		    !strcmp(keys[i].labels, k->labels))
			return true;
	return false;
}

/* Every series of every machine, once, in the order first met. */
static struct key *all_keys(const struct machine_dir *ms, size_t nm, size_t *nk)
{
	struct key *keys = NULL;
	size_t n = 0, room = 0;

	for (size_t m = 0; m < nm; m++)
		for (size_t i = 0; i < ms[m].rs.n; i++) {
			const struct result *r = &ms[m].rs.r[i];
			for (size_t l = 0; !r->published && l < r->rec.nseries; l++) {
				const struct rec_series *s = &r->rec.series[l];
				struct key k = { .file = r->file, .name = s->name, .unit = s->unit };
				if (series_is_reading(s->name))
					continue;
				report_labels(s, k.labels, sizeof(k.labels));
				if (seen(keys, n, &k))
					continue;
				if (n == room) {
					room = room ? 2 * room : 64;
					struct key *more = realloc(keys, room * sizeof(*keys));
					if (!more) {
						free(keys);
						return NULL;
					}
					keys = more;
				}
				keys[n++] = k;
			}
		}
	*nk = n;
	return keys;
}

/* The row of key k over the machines of group g; false when no machine
 * of it has the series. */
static bool fill_row(const struct machine_dir *ms, size_t nm, size_t g, const struct key *k,
		     struct row *row)
{
	static double med[GATHER_MAX][MAX_RUNS];
	double *logs[GATHER_MAX], mmed[GATHER_MAX], cv[GATHER_MAX];
	size_t runs[GATHER_MAX], n = 0, ncv = 0;

	for (size_t m = 0; m < nm; m++) {
		const struct rec_series *s = ms[m].group == g ? find(&ms[m], k) : NULL;
		if (!s || s->nruns > MAX_RUNS)
			continue;
		size_t r = report_run_medians(s, med[n]);
		if (!r)
			continue;
		double tmp[MAX_RUNS];
		memcpy(tmp, med[n], r * sizeof(tmp[0]));
		mmed[n] = median_of(tmp, r);
		if (r >= 2)
			cv[ncv++] = stats_run_spread(med[n], r);
		for (size_t i = 0; i < r; i++)
			med[n][i] = log(med[n][i]);
		logs[n] = med[n];
		runs[n] = r;
		n++;
	}
	if (!n)
		return false;
	*row = (struct row){ .group = g, .key = *k, .machines = n, .p = NAN, .q = NAN,
			     .between = NAN, .within = NAN };
	if (n >= 2)
		row->between = stats_run_spread(mmed, n);
	if (ncv)
		row->within = median_of(cv, ncv);
	row->median = median_of(mmed, n);
	if (n >= 2)
		row->p = anova_p(logs, runs, n);
	return true;
}

static void cell_pct(char *buf, size_t size, double v)
{
	if (isnan(v))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.1f%%", 100 * v);
}

int report_gather(char *const *paths, size_t npaths)
{
	struct machine_dir ms[GATHER_MAX] = { { 0 } };
	const char *models[GATHER_MAX];
	size_t nmodels = 0, nkeys = 0, nrows = 0;
	struct key *keys = NULL;
	struct row *rows = NULL;
	int err = 0;

	if (npaths < 1 || npaths > GATHER_MAX)
		return report_fail("--gather takes 1 to %d result directories", GATHER_MAX);
	for (size_t m = 0; m < npaths && !err; m++) {
		ms[m].path = paths[m];
		err = report_load(&ms[m].rs, paths[m]);
		for (size_t i = 0; !err && i < ms[m].rs.n && !ms[m].head; i++)
			if (!ms[m].rs.r[i].published)
				ms[m].head = &ms[m].rs.r[i];
		if (!err && !ms[m].head)
			err = report_fail("%s holds no measured result (published figures are "
					  "not a machine)", ESC_SHOWN(paths[m]));
	}
	if (err)
		goto done;
	for (size_t m = 0; m < npaths; m++) {
		const char *model = rec_map_text(&ms[m].head->rec.machine, "cpu_model");
		ms[m].model = model ? model : "unknown";
		size_t g = 0;
		while (g < nmodels && strcmp(models[g], ms[m].model))
			g++;
		if (g == nmodels)
			models[nmodels++] = ms[m].model;
		ms[m].group = g;
	}

	printf("# %zu result directories, grouped by CPU model\n\n", npaths);
	printf("| # | directory | CPU model | microcode | kernel | KVM | paging | runner | "
	       "emulated |\n|---|---|---|---|---|---|---|---|---|\n");
	for (size_t m = 0; m < npaths; m++) {
		const struct rec_map *mm = &ms[m].head->rec.machine;
		const char *fields[] = { "microcode", "kernel_release", "kvm_module", "kvm_paging",
					 "runner" };
		printf("| %zu | %s | %s", m + 1, MD(ms[m].path), MD(ms[m].model));
		for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
			const char *v = rec_map_text(mm, fields[f]);
			printf(" | %s", v ? MD(v) : "-");
		}
		const char *emu = report_emulator(ms[m].head);
		printf(" | %s |\n", emu ? MD(emu) : "no");
	}

	keys = all_keys(ms, npaths, &nkeys);
	rows = keys ? calloc(nkeys * nmodels + 1, sizeof(*rows)) : NULL;
	if (!keys || !rows) {
		err = report_fail("out of memory");
		goto done;
	}
	for (size_t g = 0; g < nmodels; g++)
		for (size_t k = 0; k < nkeys; k++)
			nrows += fill_row(ms, npaths, g, &keys[k], &rows[nrows]);
	double *p = calloc(nrows + 1, sizeof(*p)), *q = calloc(nrows + 1, sizeof(*q));
	for (size_t i = 0; p && i < nrows; i++)
		p[i] = rows[i].p;
	if (!p || !q || (nrows && stats_bh(p, nrows, q))) {
		free(p);
		free(q);
		err = report_fail("out of memory");
		goto done;
	}
	for (size_t i = 0; i < nrows; i++)
		rows[i].q = q[i];
	free(p);
	free(q);

	size_t disagree = 0;
	for (size_t g = 0; g < nmodels; g++) {
		size_t machines = 0;
		for (size_t m = 0; m < npaths; m++)
			machines += ms[m].group == g;
		printf("\n## %s: %zu machine%s\n\n", MD(models[g]), machines, machines > 1 ? "s" : "");
		printf("| benchmark | series | labels | machines | median of machine medians | "
		       "between machines (CV) | within a machine (CV of runs) | p (q) | note |\n"
		       "|---|---|---|---|---|---|---|---|---|\n");
		for (size_t i = 0; i < nrows; i++) {
			const struct row *r = &rows[i];
			char between[32], within[32], pq[48];
			if (r->group != g)
				continue;
			cell_pct(between, sizeof(between), r->between);
			cell_pct(within, sizeof(within), r->within);
			if (isnan(r->p))
				snprintf(pq, sizeof(pq), "-");
			else
				snprintf(pq, sizeof(pq), "%.3g (%.3g)", r->p, r->q);
			bool differ = !isnan(r->q) && r->q < 0.05 && !isnan(r->within) &&
				      r->between > r->within;
			disagree += differ;
			double f = report_scale(r->key.unit);
			printf("| %s | %s | %s | %zu | %.1f %s | %s | %s | %s | %s |\n",
			       MD(r->key.file), MD(r->key.name), MD(r->key.labels), r->machines,
			       r->median * f, MD(report_unit(r->key.unit)), between, within, pq,
			       differ ? "**machines disagree beyond their own noise**" :
			       r->machines < 2 ? "one machine" : isnan(r->p) ? "too few runs" : "");
		}
	}
	printf("\n%zu series where machines of one CPU model disagree beyond their own noise "
	       "(F test on the log run medians, machine by machine, q < 0.05 over the %zu "
	       "tests, and machines spreading more than runs).\n", disagree, nrows);
done:
	free(keys);
	free(rows);
	for (size_t m = 0; m < npaths; m++)
		report_free(&ms[m].rs);
	return err;
}
