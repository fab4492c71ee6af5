/* --data DIR: plain files for gnuplot.  Every series gets <file>--<series>
 * [--<labels>].dat (index, value), .cdf (value, fraction) and .gp (its
 * title); every result <file>--meta.gp (its machine); run--name.gp the
 * runs' names; and charts.c a view per chart. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report.h"
#include "series.h"

void data_name(const char *file, const char *what, char *name, size_t size)
{
	const char *ext = strrchr(what, '.');
	char stem[1024];

	snprintf(stem, sizeof(stem), "%s--%.*s", file, (int)(ext - what), what);
	esc_filename(stem, name, size - strlen(ext));
	strcat(name, ext);
}

char *data_series(const struct rec_series *s, const char *ext, char *buf, size_t size)
{
	char labels[256];

	report_labels(s, labels, sizeof(labels));
	snprintf(buf, size, "%s%s%s%s", s->name, labels[0] ? "--" : "", labels, ext);
	return buf;
}

FILE *data_open(const char *dir, const char *file, const char *what)
{
	char name[192], path[4096];

	data_name(file, what, name, sizeof(name));
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
		report_fail("cannot write data into %s: path too long", ESC_SHOWN(dir));
		return NULL;
	}
	FILE *f = fopen(path, "w");
	if (!f)
		report_fail("cannot write %s: %s", ESC_SHOWN(path), strerror(errno));
	return f;
}

int data_close(FILE *out, const char *what)
{
	return fclose(out) ? report_fail("cannot write the data of %s", ESC_SHOWN(what)) : 0;
}

void gp_text(FILE *out, const char *name, const char *text)
{
	char lit[1100];

	fprintf(out, "%s = %s\n", name, esc_gnuplot(text, lit, sizeof(lit)));
}

/* A nan or inf would be read as a name: gnuplot's NaN stands for both. */
void gp_number(FILE *out, const char *name, double v)
{
	if (isfinite(v))
		fprintf(out, "%s = %.12g\n", name, v);
	else
		fprintf(out, "%s = NaN\n", name);
}

void gp_array(FILE *out, const char *name, const char *const *text, size_t n)
{
	char lit[1100];

	fprintf(out, "array %s[%zu] = [", name, n);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? ", " : "", esc_gnuplot(text[i], lit, sizeof(lit)));
	fprintf(out, "]\n");
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* A series' .dat (index, value, run) and, for samples, .cdf and .gp. */
static int series_data(const char *dir, const struct result *r, const struct rec_series *s)
{
	char what[512], labels[256];
	double f = report_scale(s->unit);
	uint64_t *own;
	size_t n;
	FILE *out;

	if (!(out = data_open(dir, r->file, data_series(s, ".dat", what, sizeof(what)))))
		return 1;
	fprintf(out, "# %s %s (%s), %zu samples in %zu run(s) after %zu warm-up each; "
		"columns: index value run\n", ESC_SHOWN(r->file), ESC_SHOWN(s->name),
		ESC_SHOWN(report_unit(s->unit)), report_n(s), s->nruns, s->warmup);
	for (size_t k = 0, i = 0; k < s->nruns; k++) {
		const uint64_t *v;
		for (size_t j = 0, m = rec_run_kept(s, k, &v); j < m; j++, i++)
			fprintf(out, "%zu %.3f %zu\n", i, (double)v[j] * f, k + 1);
	}
	if (data_close(out, r->file))
		return 1;
	if (series_is_reading(s->name))
		return 0;

	const uint64_t *kept = report_kept(s, &n, &own);
	uint64_t *sorted = kept ? malloc((n ? n : 1) * sizeof(*sorted)) : NULL;
	if (!sorted) {
		free(own);
		return report_fail("out of memory");
	}
	memcpy(sorted, kept, n * sizeof(*sorted));
	free(own);
	qsort(sorted, n, sizeof(*sorted), cmp_u64);
	if (!(out = data_open(dir, r->file, data_series(s, ".cdf", what, sizeof(what))))) {
		free(sorted);
		return 1;
	}
	fprintf(out, "# %s %s: CDF of every run's samples; columns: value (%s) fraction\n",
		ESC_SHOWN(r->file), ESC_SHOWN(s->name), ESC_SHOWN(report_unit(s->unit)));
	/* At most ~2000 points: a chart needs no more. */
	size_t stride = n > 2000 ? n / 2000 : 1;
	for (size_t i = 0; i < n; i += stride)
		fprintf(out, "%.3f %.6f\n", (double)sorted[i] * f, (double)(i + 1) / (double)n);
	if (n)
		fprintf(out, "%.3f 1\n", (double)sorted[n - 1] * f);
	free(sorted);
	if (data_close(out, r->file))
		return 1;

	/* What an overlay chart of this series says it shows. */
	char title[1024];
	if (!(out = data_open(dir, r->file, data_series(s, ".gp", what, sizeof(what)))))
		return 1;
	report_labels(s, labels, sizeof(labels));
	snprintf(title, sizeof(title), "%s: %s%s%s (%s)", r->file, s->name, labels[0] ? ", " : "",
		 labels, report_unit(s->unit));
	gp_text(out, "series_title", title);
	return data_close(out, r->file);
}

/* <file>--meta.gp: the run's machine and state. */
static int meta_data(const char *dir, const struct result *r)
{
	char machine[512];
	FILE *out = data_open(dir, r->file, "meta.gp");

	if (!out)
		return 1;
	report_machine(r, machine, sizeof(machine));
	gp_text(out, "machine", machine);
	fprintf(out, "incomplete = %d\npublished = %d\n", !r->rec.complete, r->published);
	return data_close(out, r->file);
}

/* The name of a run as given: the last part of its path. */
static void path_name(const char *path, char *buf, size_t size)
{
	size_t len = strlen(path);

	while (len > 1 && path[len - 1] == '/')
		len--;
	size_t from = len;
	while (from && path[from - 1] != '/')
		from--;
	snprintf(buf, size, "%.*s", (int)(len - from), path + from);
}

/* run--name.gp: run_name, the runs' names as given, for the charts' keys. */
static int run_data(const char *dir, char *const *paths, int npaths)
{
	char name[1024] = "", one[256];
	FILE *out;

	for (int i = 0; i < npaths; i++) {
		path_name(paths[i], one, sizeof(one));
		snprintf(name + strlen(name), sizeof(name) - strlen(name), "%s%s", i ? ", " : "",
			 one);
	}
	if (!(out = data_open(dir, "run", "name.gp")))
		return 1;
	gp_text(out, "run_name", name);
	return data_close(out, "the run's name");
}

int report_data(const char *dir, const struct results *rs, char *const *paths, int npaths)
{
	struct stat st;

	if (stat(dir, &st) < 0 && mkdir(dir, 0755) < 0)
		return report_fail("cannot create %s: %s", ESC_SHOWN(dir), strerror(errno));
	if (run_data(dir, paths, npaths))
		return 1;
	for (size_t i = 0; i < rs->n; i++) {
		const struct result *r = &rs->r[i];
		int err = meta_data(dir, r);
		for (size_t k = 0; k < r->rec.nseries && !err; k++)
			err = series_data(dir, r, &r->rec.series[k]);
		if (err)
			return 1;
	}
	return 0;
}
