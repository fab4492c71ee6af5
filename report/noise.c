/*
 * kvmbench-report --noise-out FILE PATH...: how much this machine's runs
 * of each series spread, from runs of one build on one machine (the runs
 * inside each result, and those of every PATH, pooled), and the smallest
 * difference K runs a side can detect with that spread.  FILE keeps the
 * spread for --compare --noise, as lines
 * "file<TAB>series<TAB>labels<TAB>spread<TAB>runs"; this file alone writes
 * and reads that format (noise_key, noise_read).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "compare.h"
#include "series.h"

#define MAX_MEDIANS 512

int report_noise(char *const *paths, size_t npaths, const char *out_path)
{
	struct results rs[16] = { { 0 } };
	FILE *out = NULL;
	int err = 0;

	if (npaths > 16)
		return report_fail("--noise-out takes at most 16 paths");
	for (size_t x = 0; x < npaths && !err; x++)
		err = report_load(&rs[x], paths[x]);
	if (!err && !(out = fopen(out_path, "w")))
		err = report_fail("cannot write %s: %s", ESC_SHOWN(out_path), strerror(errno));
	if (err)
		goto done;
	fprintf(out, "# kvmbench-report --noise-out: file, series, labels, between-run spread "
		"(standard deviation of the log run medians), runs\n");
	printf("| benchmark | series | labels | runs | run medians | spread (CV) | "
	       "detectable with 3 / 5 / 10 runs a side |\n|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < rs[0].n; i++) {
		const struct result *r = &rs[0].r[i];
		for (size_t k = 0; k < r->rec.nseries; k++) {
			const struct rec_series *s = &r->rec.series[k];
			double med[MAX_MEDIANS];
			size_t m = 0;
			char labels[256];
			if (series_is_reading(s->name))
				continue;
			report_labels(s, labels, sizeof(labels));
			/* The same series in every path: more runs of it. */
			for (size_t x = 0; x < npaths; x++) {
				const struct result *in = report_file(&rs[x], r->file);
				const struct rec_series *t = NULL;
				for (size_t l = 0; in && l < in->rec.nseries && !t; l++) {
					char other[256];
					report_labels(&in->rec.series[l], other, sizeof(other));
					if (!strcmp(in->rec.series[l].name, s->name) && !strcmp(other, labels))
						t = &in->rec.series[l];
				}
				if (t && m + t->nruns <= MAX_MEDIANS)
					m += report_run_medians(t, med + m);
			}
			double spread = stats_run_spread(med, m), lo = INFINITY, hi = 0;
			for (size_t j = 0; j < m; j++) {
				lo = med[j] < lo ? med[j] : lo;
				hi = med[j] > hi ? med[j] : hi;
			}
			double f = report_scale(s->unit);
			if (m < 2) {
				printf("| %s | %s | %s | %zu | | one run: no spread | |\n", MD(r->file),
				       MD(s->name), MD(labels), m);
				continue;
			}
			printf("| %s | %s | %s | %zu | %.1f - %.1f %s | %.1f%% | %.1f%% / %.1f%% / "
			       "%.1f%% |\n", MD(r->file), MD(s->name), MD(labels), m, lo * f, hi * f,
			       MD(report_unit(s->unit)), 100 * spread, 100 * stats_detectable(spread, 3, 3),
			       100 * stats_detectable(spread, 5, 5), 100 * stats_detectable(spread, 10, 10));
			/* The file's own names, made safe for a line of fields. */
			char key[1024];
			noise_key(key, sizeof(key), r->file, s);
			fprintf(out, "%s\t%.6f\t%zu\n", key, spread, m);
		}
	}
	if (fclose(out))
		err = report_fail("cannot write %s", ESC_SHOWN(out_path));
	else
		printf("\nnoise floor: %s (give it to --compare --noise)\n", ESC_SHOWN(out_path));
done:
	for (size_t x = 0; x < npaths; x++)
		report_free(&rs[x]);
	return err;
}

/* ---- the file, read back (--compare --noise) ---- */

/* The key as --noise-out writes it: each name terminal-escaped. */
void noise_key(char *buf, size_t size, const char *file, const struct rec_series *s)
{
	char labels[256];

	report_labels(s, labels, sizeof(labels));
	snprintf(buf, size, "%s\t%s\t%s", ESC_SHOWN(file), ESC_SHOWN(s->name), ESC_SHOWN(labels));
}

/* A file of lines "file<TAB>series<TAB>labels<TAB>spread<TAB>runs" as
 * kvmbench-report --noise writes them; '#' lines are comments. */
int noise_read(const char *path, struct noises *ns)
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

double noise_of(const struct noises *ns, const char *file, const struct rec_series *s)
{
	char key[1024];

	noise_key(key, sizeof(key), file, s);
	for (size_t i = 0; i < ns->n; i++)
		if (!strcmp(ns->v[i].key, key))
			return ns->v[i].spread;
	return 0;
}
