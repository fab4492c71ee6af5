/*
 * kvmbench-report: reads result files and tells what they hold.
 *
 *   kvmbench-report PATH...               a Markdown table, a row per series
 *   kvmbench-report --data DIR PATH...    also plain data files for gnuplot
 *   kvmbench-report --compare A B         run B against run A, series by series
 *
 * A PATH is a result file or a directory of them (*.cbor).  Every file is
 * read in full and validated by lib/record.c; one bad file stops the report
 * with a message, so a table or chart never silently lacks a part.
 * Incomplete runs are shown and flagged, published reference figures
 * (results/seed-2021) are labelled as such; neither is mixed with measured
 * complete runs.
 *
 * Result files may come from anyone: every string in them, and every file
 * or directory name, is untrusted.  Tables show it through esc_markdown(),
 * messages through esc_terminal(); data files carry only numbers and file
 * names reduced by esc_filename(); the only text that reaches gnuplot is in
 * generated .gp files, as literals made by esc_gnuplot().  Nothing from a
 * file is ever part of a command.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "escape.h"
#include "record.h"
#include "reset.h"
#include "stats.h"
#include "vm.h"

#define EXIT_USAGE 2

struct result {
	char path[4096];
	char file[256];		/* base name without .cbor: "single-individual";
				 * untrusted, like everything in rec */
	struct record rec;
	bool published;		/* reference figures, not raw samples */
};

struct results {
	struct result *r;
	size_t n;
};

static const char *prog = "kvmbench-report";

__attribute__((format(printf, 1, 2))) static int fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_file(struct results *rs, const char *path)
{
	struct result *r = realloc(rs->r, (rs->n + 1) * sizeof(*r));
	const struct rec_value *pub;

	if (!r)
		return fail("out of memory");
	rs->r = r;
	r = &rs->r[rs->n];
	memset(r, 0, sizeof(*r));
	snprintf(r->path, sizeof(r->path), "%s", path);
	const char *base = strrchr(path, '/');
	snprintf(r->file, sizeof(r->file), "%s", base ? base + 1 : path);
	char *dot = strstr(r->file, ".cbor");
	if (dot && !dot[5])
		*dot = 0;
	if (rec_read(&r->rec, path))
		return fail("%s", err_msg());
	pub = rec_map_get(&r->rec.parameters, "published");
	r->published = pub && pub->type == REC_BOOL && pub->b;
	rs->n++;
	return 0;
}

/* Why path cannot be read, in words; NULL for an error to show as is. */
static const char *path_problem(int err)
{
	switch (err) {
	case ENOENT:
		return "does not exist";
	case EACCES:
		return "cannot be reached: permission denied (a directory on the way is not "
		       "searchable, or not readable, by this user)";
	case ELOOP:
		return "cannot be reached: too many levels of symbolic links (a loop?)";
	case ENOTDIR:
		return "cannot be reached: a part of the path is not a directory";
	}
	return NULL;
}

/* A file, or every *.cbor in a directory (in name order).  In a directory,
 * anything under a result's name that is not a regular file (a FIFO, a
 * device, a dangling link) is skipped with a note, never opened. */
static int load(struct results *rs, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		int err = errno;
		if (err == ENOENT)
			return fail("%s does not exist: give a result file or a results directory "
				    "(make bench writes results/<host>-<kernel>/)", ESC_SHOWN(path));
		return fail("%s %s", ESC_SHOWN(path), path_problem(err) ? path_problem(err) :
			    strerror(err));
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(rs, path);

	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	int err = 0;

	if (!d)
		return fail("cannot read directory %s: %s", ESC_SHOWN(path), strerror(errno));
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char full[4096];
		if (len <= 5 || strcmp(e->d_name + len - 5, ".cbor"))
			continue;
		snprintf(full, sizeof(full), "%s/%s", path, e->d_name);
		bool gone = stat(full, &st) < 0;
		if (gone || !S_ISREG(st.st_mode)) {
			fprintf(stderr, "%s: skipped %s: %s, not a result file\n", prog,
				ESC_SHOWN(full), gone ? strerror(errno) : rec_file_kind(st.st_mode));
			continue;
		}
		char **more = realloc(names, (n + 1) * sizeof(*names));
		if (!more || !(more[n] = strdup(e->d_name))) {
			closedir(d);
			return fail("out of memory");
		}
		names = more;
		n++;
	}
	closedir(d);
	if (!n) {
		free(names);
		return fail("%s holds no result files (*.cbor): run make bench, or name "
			    "another directory", ESC_SHOWN(path));
	}
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char full[4096];
		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		if (!err)
			err = load_file(rs, full);
		free(names[i]);
	}
	free(names);
	return err;
}

static void free_results(struct results *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		rec_free(&rs->r[i].rec);
	free(rs->r);
	rs->r = NULL;
	rs->n = 0;
}

/* Readings taken at steps (scaling's cumulative time, mappings, memory;
 * memory's live-* series) rather than samples of one quantity: tabled by
 * their range and drawn as curves, but given no CDF and no rank test. */
static bool is_reading(const struct rec_series *s)
{
	static const char *const steps[] = { "cumulative", "wall", "maps", "fds", "rss", "slab",
					     "pagetables", "kernelstack" };

	if (!strncmp(s->name, "live-", 5))
		return true;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (!strcmp(s->name, steps[i]))
			return true;
	return false;
}

/* ---- formatting ---- */

/* Display scale of a unit: ns as us, bytes as KiB. */
static double scale(const char *unit)
{
	return !strcmp(unit, "ns") ? 1e-3 : !strcmp(unit, "bytes") ? 1.0 / 1024 : 1.0;
}

static const char *shown_unit(const char *unit)
{
	return !strcmp(unit, "ns") ? "us" : !strcmp(unit, "bytes") ? "KiB" : unit;
}

static void labels_text(const struct rec_series *s, char *buf, size_t size)
{
	buf[0] = 0;
	for (size_t i = 0; i < s->labels.n; i++) {
		const struct rec_kv *kv = &s->labels.kv[i];
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s=%s", i ? " " : "", kv->key,
			 kv->v.type == REC_TEXT ? kv->v.text : "?");
	}
}

static void machine_text(const struct result *r, char *buf, size_t size)
{
	const struct rec_map *m = &r->rec.machine;
	const struct rec_value *nested = rec_map_get(m, "nested");
	const char *host = rec_map_text(m, "hostname"), *kernel = rec_map_text(m, "kernel_release");
	const char *kvm = rec_map_text(m, "kvm_module");

	snprintf(buf, size, "%s, %s, %s%s", host ? host : "?", kernel ? kernel : "?",
		 kvm ? kvm : "?", nested && nested->type == REC_BOOL && nested->b ? " (nested)" : "");
}

/* Markdown cells, from text that came with a file. */
#define MD(text) esc_markdown((text), (char[1024]){ 0 }, 1024)

/* The run's name as a Markdown cell: marks published and incomplete runs. */
static void run_name(const struct result *r, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", MD(r->file), r->published ? " (published 2021)" : "",
		 r->rec.complete ? "" : " **INCOMPLETE**");
}

static void table(const struct results *rs)
{
	printf("| benchmark | series | labels | samples | median | p90 | p99 | min | max | "
	       "unit | machine |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < rs->n; i++) {
		const struct result *r = &rs->r[i];
		char name[1100], machine[1024], labels[512];

		run_name(r, name, sizeof(name));
		machine_text(r, labels, sizeof(labels));
		esc_markdown(labels, machine, sizeof(machine));
		for (size_t k = 0; k < r->rec.nseries; k++) {
			const struct rec_series *s = &r->rec.series[k];
			const char *sname = MD(s->name), *unit = MD(shown_unit(s->unit));
			struct summary sum;
			double f = scale(s->unit);
			labels_text(s, labels, sizeof(labels));
			const char *lab = MD(labels);
			if (stats_summarize(s->samples + s->warmup, s->n - s->warmup, &sum)) {
				printf("| %s | %s | %s | 0 | | | | | | %s | %s |\n", name, sname,
				       lab, unit, machine);
				continue;
			}
			char count[64];
			if (is_reading(s)) {
				printf("| %s | %s | %s | %zu readings | | | | %.1f | %.1f | %s | %s |\n",
				       name, sname, lab, sum.n, sum.min * f, sum.max * f, unit, machine);
				continue;
			}
			if (r->published)
				snprintf(count, sizeof(count), "%zu published figures", sum.n);
			else if (s->warmup)
				snprintf(count, sizeof(count), "%zu (+%zu warm-up)", sum.n, s->warmup);
			else
				snprintf(count, sizeof(count), "%zu", sum.n);
			printf("| %s | %s | %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %s |\n",
			       name, sname, lab, count, sum.median * f, sum.p90 * f,
			       sum.p99 * f, sum.min * f, sum.max * f, unit, machine);
		}
	}
	for (size_t i = 0; i < rs->n; i++)
		if (!rs->r[i].rec.complete)
			printf("\n**INCOMPLETE** %s: %s\n", MD(rs->r[i].path), MD(rs->r[i].rec.error));
}

/* ---- data files for gnuplot ---- */

/* <file>--<what> as a data file's name: reduced by esc_filename() and cut
 * to stay a valid name, with its extension, the last dot of what, kept. */
static void data_name(const char *file, const char *what, char *name, size_t size)
{
	const char *ext = strrchr(what, '.');
	char stem[1024];

	snprintf(stem, sizeof(stem), "%s--%.*s", file, (int)(ext - what), what);
	esc_filename(stem, name, size - strlen(ext));
	strcat(name, ext);
}

/* A series' part of its data files' names: <series>[--<labels>]<ext>. */
static char *series_what(const struct rec_series *s, const char *ext, char *buf, size_t size)
{
	char labels[256];

	labels_text(s, labels, sizeof(labels));
	snprintf(buf, size, "%s%s%s%s", s->name, labels[0] ? "--" : "", labels, ext);
	return buf;
}

/* DIR/<data_name()>, open for writing. */
static FILE *open_data(const char *dir, const char *file, const char *what)
{
	char name[192], path[4096];

	data_name(file, what, name, sizeof(name));
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
		fail("cannot write data into %s: path too long", ESC_SHOWN(dir));
		return NULL;
	}
	FILE *f = fopen(path, "w");
	if (!f)
		fail("cannot write %s: %s", ESC_SHOWN(path), strerror(errno));
	return f;
}

/* name = 'text': a gnuplot variable holding untrusted text. */
static void gp_text(FILE *out, const char *name, const char *text)
{
	char lit[1100];

	fprintf(out, "%s = %s\n", name, esc_gnuplot(text, lit, sizeof(lit)));
}

/* array name[n] = ['text', ...]: n >= 1. */
static void gp_array(FILE *out, const char *name, const char *const *text, size_t n)
{
	char lit[1100];

	fprintf(out, "array %s[%zu] = [", name, n);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? ", " : "", esc_gnuplot(text[i], lit, sizeof(lit)));
	fprintf(out, "]\n");
}

static const struct rec_series *find_series(const struct record *rec, const char *name,
					    const char *label_key, const char *label_value)
{
	for (size_t i = 0; i < rec->nseries; i++) {
		const struct rec_series *s = &rec->series[i];
		const char *v = label_key ? rec_map_text(&s->labels, label_key) : NULL;
		if (!strcmp(s->name, name) && (!label_key || (v && !strcmp(v, label_value))))
			return s;
	}
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* <file>--<series>[--labels].dat: index and value; and the CDF. */
static int series_data(const char *dir, const struct result *r, const struct rec_series *s)
{
	char what[512], labels[256];
	double f = scale(s->unit);
	size_t n = s->n - s->warmup;
	FILE *out;

	if (!(out = open_data(dir, r->file, series_what(s, ".dat", what, sizeof(what)))))
		return 1;
	fprintf(out, "# %s %s (%s), %zu samples after %zu warm-up; columns: index value\n",
		ESC_SHOWN(r->file), ESC_SHOWN(s->name), ESC_SHOWN(shown_unit(s->unit)), n,
		s->warmup);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%zu %.3f\n", i, (double)s->samples[s->warmup + i] * f);
	if (fclose(out))
		return fail("cannot write data for %s", ESC_SHOWN(r->file));
	if (is_reading(s))
		return 0;

	uint64_t *sorted = malloc((n ? n : 1) * sizeof(*sorted));
	if (!sorted)
		return fail("out of memory");
	memcpy(sorted, s->samples + s->warmup, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_u64);
	if (!(out = open_data(dir, r->file, series_what(s, ".cdf", what, sizeof(what))))) {
		free(sorted);
		return 1;
	}
	fprintf(out, "# %s %s: CDF; columns: value (%s) fraction\n", ESC_SHOWN(r->file),
		ESC_SHOWN(s->name), ESC_SHOWN(shown_unit(s->unit)));
	/* At most ~2000 points: a chart needs no more. */
	size_t stride = n > 2000 ? n / 2000 : 1;
	for (size_t i = 0; i < n; i += stride)
		fprintf(out, "%.3f %.6f\n", (double)sorted[i] * f, (double)(i + 1) / (double)n);
	if (n)
		fprintf(out, "%.3f 1\n", (double)sorted[n - 1] * f);
	free(sorted);
	if (fclose(out))
		return fail("cannot write data for %s", ESC_SHOWN(r->file));

	/* What an overlay chart of this series says it shows. */
	char title[1024];
	if (!(out = open_data(dir, r->file, series_what(s, ".gp", what, sizeof(what)))))
		return 1;
	labels_text(s, labels, sizeof(labels));
	snprintf(title, sizeof(title), "%s: %s%s%s (%s)", r->file, s->name, labels[0] ? ", " : "",
		 labels, shown_unit(s->unit));
	gp_text(out, "series_title", title);
	return fclose(out) ? fail("cannot write data for %s", ESC_SHOWN(r->file)) : 0;
}

/* concurrent: the mean of each batch, in creation order. */
static int batches_data(const char *dir, const struct result *r)
{
	const struct rec_series *s = find_series(&r->rec, "create-run", NULL, NULL);
	uint64_t batches = 8;
	FILE *out;

	if (!s || !s->n)
		return 0;
	rec_map_uint(&r->rec.parameters, "batches", &batches);
	if (!(out = open_data(dir, r->file, "batches.dat")))
		return 1;
	fprintf(out, "# columns: batch first_vm last_vm mean_us (live VMs grow with the batch)\n");
	if (r->published) {
		for (size_t b = 0; b < s->n; b++)
			fprintf(out, "%zu %zu %zu %.3f\n", b + 1, b * 125, (b + 1) * 125 - 1,
				(double)s->samples[b] / 1e3);
	} else {
		size_t per = s->n / (batches ? batches : 1);
		for (size_t b = 0; per && b < batches; b++) {
			size_t from = b * per, n = b + 1 == batches ? s->n - from : per;
			fprintf(out, "%zu %zu %zu %.3f\n", b + 1, from, from + n - 1,
				stats_mean(s->samples + from, n) / 1e3);
		}
	}
	return fclose(out) ? fail("cannot write data for %s", ESC_SHOWN(r->file)) : 0;
}

/* scaling: one row per step; and the least-squares line as gnuplot code. */
static int steps_data(const char *dir, const struct result *r)
{
	static const char *const cols[] = { "cumulative", "wall", "maps", "fds", "rss", "slab",
					    "pagetables", "kernelstack" };
	const struct rec_series *c[8];
	uint64_t step = 1000;
	FILE *out;

	for (int k = 0; k < 8; k++)
		c[k] = find_series(&r->rec, cols[k], NULL, NULL);
	if (!c[0] || c[0]->n < 2)
		return 0;
	rec_map_uint(&r->rec.parameters, "step", &step);
	/* Measured runs start with a reading at 0 VMs; published tables do not. */
	size_t first = c[0]->samples[0] == 0 ? 0 : 1;
	double *x = calloc(c[0]->n, sizeof(double)), *y = calloc(c[0]->n, sizeof(double));
	if (!x || !y || !(out = open_data(dir, r->file, "steps.dat"))) {
		free(x);
		free(y);
		return 1;
	}
	fprintf(out, "# columns: vms cumulative_s wall_s maps fds rss_MiB slab_MiB "
		"pagetables_MiB kernelstack_MiB (-1: not recorded)\n");
	for (size_t i = 0; i < c[0]->n; i++) {
		x[i] = (double)((i + first) * step);
		y[i] = (double)c[0]->samples[i] / 1e9;
		fprintf(out, "%.0f %.6f", x[i], y[i]);
		for (int k = 1; k < 8; k++) {
			double v = c[k] && i < c[k]->n ? (double)c[k]->samples[i] : -1;
			double f = k == 1 ? 1e-9 : k >= 4 ? 1.0 / 1048576 : 1;
			fprintf(out, " %.6f", v < 0 ? -1 : v * f);
		}
		fputc('\n', out);
	}
	if (fclose(out)) {
		free(x);
		free(y);
		return fail("cannot write data for %s", ESC_SHOWN(r->file));
	}
	struct linfit fit;
	int err = 0;
	/* Numbers only: a nan or inf would be a gnuplot name, not a value. */
	if (stats_linfit(x, y, c[0]->n, &fit) == 0 && isfinite(fit.slope) &&
	    isfinite(fit.intercept) && isfinite(fit.r2) &&
	    (out = open_data(dir, r->file, "fit.gp"))) {
		fprintf(out, "# least squares through (VMs, cumulative seconds)\n"
			"fit_slope = %.12g\nfit_intercept = %.12g\nfit_r2 = %.6f\n",
			fit.slope, fit.intercept, fit.r2);
		err = fclose(out) ? fail("cannot write data for %s", ESC_SHOWN(r->file)) : 0;
	}
	free(x);
	free(y);
	return err;
}

/* memory: readings while live VMs grow, per kind; and the growth per VM,
 * one row per quantity with a column per kind (a clustered histogram). */
static int live_data(const char *dir, const struct result *r)
{
	static const char *const cols[] = { "live-rss", "live-slab", "live-pagetables",
					    "live-kernelstack", "live-kernel-threads",
					    "live-process-threads" };
	static const char *const names[] = { "process RSS", "kernel Slab", "PageTables",
					     "KernelStack" };
	static const char *const kinds[] = { "shared", "individual" };
	const struct rec_series *c[2][6];
	double growth[2][6] = { { 0 } }, vms = 0;
	uint64_t every = 100;
	FILE *out;

	if (!find_series(&r->rec, cols[0], NULL, NULL))
		return 0;
	rec_map_uint(&r->rec.parameters, "live_every", &every);
	for (int k = 0; k < 2; k++) {
		char what[64];
		for (int j = 0; j < 6; j++)
			c[k][j] = find_series(&r->rec, cols[j], "memory", kinds[k]);
		if (!c[k][0] || c[k][0]->n < 2)
			return fail("%s: the live-memory readings are incomplete", ESC_SHOWN(r->path));
		snprintf(what, sizeof(what), "live--%s.dat", kinds[k]);
		if (!(out = open_data(dir, r->file, what)))
			return 1;
		fprintf(out, "# columns: vms rss_MiB slab_MiB pagetables_MiB kernelstack_MiB "
			"kernel_threads process_threads (-1: not recorded)\n");
		for (size_t i = 0; i < c[k][0]->n; i++) {
			fprintf(out, "%llu", (unsigned long long)(i * every));
			for (int j = 0; j < 6; j++)
				fprintf(out, " %.3f", c[k][j] && i < c[k][j]->n ?
					(double)c[k][j]->samples[i] / (j < 4 ? 1048576.0 : 1.0) : -1.0);
			fputc('\n', out);
		}
		if (fclose(out))
			return fail("cannot write data for %s", ESC_SHOWN(r->file));
		size_t last = c[k][0]->n - 1;
		vms = (double)(last * every);
		for (int j = 0; j < 6; j++)
			growth[k][j] = c[k][j] ? (double)c[k][j]->samples[last] -
				       (double)c[k][j]->samples[0] : 0;
	}
	if (!(out = open_data(dir, r->file, "per-vm.dat")))
		return 1;
	fprintf(out, "# growth per live VM over %.0f live VMs, KiB; columns: quantity shared "
		"individual\n", vms);
	for (int j = 0; j < 4; j++)
		fprintf(out, "\"%s\" %.3f %.3f\n", names[j], growth[0][j] / 1024 / vms,
			growth[1][j] / 1024 / vms);
	if (fclose(out) || !(out = open_data(dir, r->file, "per-vm.gp")))
		return fail("cannot write data for %s", ESC_SHOWN(r->file));
	fprintf(out, "live_vms = %.0f\nkthreads_shared = %.0f\nkthreads_individual = %.0f\n"
		"pthreads_shared = %.0f\npthreads_individual = %.0f\npthreads_known = %d\n",
		vms, growth[0][4], growth[1][4], growth[0][5], growth[1][5],
		c[0][5] != NULL && c[1][5] != NULL);
	return fclose(out) ? fail("cannot write data for %s", ESC_SHOWN(r->file)) : 0;
}

/* single --phases, across files: phases.dat, the median of each phase, a
 * row per run with phases, by memory kind (shared first), for stacked bars.
 * A run of a kind this build does not know is left out. */
static int phases_data(const char *dir, const struct results *rs)
{
	FILE *out = NULL;

	for (size_t m = 0; vm_memory_names[m]; m++) {
		for (size_t i = 0; i < rs->n; i++) {
			const struct result *r = &rs->r[i];
			const struct rec_series *first =
				find_series(&r->rec, "phase-create-vm", "memory", vm_memory_names[m]);
			double median[VM_PHASES];

			if (!first)
				continue;
			for (size_t k = 0; k < VM_PHASES; k++) {
				char name[64];
				struct summary sum;
				snprintf(name, sizeof(name), "phase-%s", vm_phase_names[k]);
				const struct rec_series *s = find_series(&r->rec, name, NULL, NULL);
				if (!s || stats_summarize(s->samples + s->warmup, s->n - s->warmup,
							  &sum)) {
					if (out)
						fclose(out);
					return fail("%s: the phase series are incomplete",
						    ESC_SHOWN(r->path));
				}
				median[k] = sum.median / 1e3;
			}
			if (!out) {
				if (!(out = open_data(dir, "single", "phases.dat")))
					return 1;
				fprintf(out, "# the median of each phase of a single-use VM, us, a "
					"row per run\nkind");
				for (size_t k = 0; k < VM_PHASES; k++)
					fprintf(out, " %s", vm_phase_names[k]);
				fputc('\n', out);
			}
			fprintf(out, "%s", vm_memory_names[m]);
			for (size_t k = 0; k < VM_PHASES; k++)
				fprintf(out, " %.3f", median[k]);
			fputc('\n', out);
		}
	}
	return out && fclose(out) ? fail("cannot write data for the phases") : 0;
}

/* <file>--meta.gp: what a chart's title and key say about the run.  The
 * machine is text from the file, an esc_gnuplot() literal; the rest are
 * numbers under names reduced to [a-z0-9_]. */
static int meta_data(const char *dir, const struct result *r)
{
	char machine[512], name[512];
	FILE *out = open_data(dir, r->file, "meta.gp");

	if (!out)
		return 1;
	machine_text(r, machine, sizeof(machine));
	gp_text(out, "machine", machine);
	fprintf(out, "incomplete = %d\npublished = %d\n", !r->rec.complete, r->published);
	for (size_t i = 0; i < r->rec.nseries; i++) {
		const struct rec_series *s = &r->rec.series[i];
		char labels[256];
		labels_text(s, labels, sizeof(labels));
		/* gnuplot keeps 50 characters of a name. */
		snprintf(name, 51, "n_%s%s%s", s->name, labels[0] ? "_" : "", labels);
		for (char *p = name; *p; p++)
			*p = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p : '_';
		fprintf(out, "%s = %zu\n", name, s->n - s->warmup);
	}
	return fclose(out) ? fail("cannot write data for %s", ESC_SHOWN(r->file)) : 0;
}

/* One colour per reset strategy, the same in every chart; black for a name
 * this build does not know. */
static const char *const reset_colors[RESET_COUNT] = {
	"#888888", "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
};

/* <name>_n, <name>_name[], <name>_title[], <name>_color[]: the strategies
 * of a chart, in order; their titles from lib's table, or their name. */
static void gp_strategies(FILE *out, const char *prefix, const char *const *names, size_t n)
{
	const char *title[16], *color[16];
	char var[64];

	for (size_t k = 0; k < n; k++) {
		title[k] = names[k];
		color[k] = "#000000";
		int i = reset_find(names[k]);
		if (i >= 0) {
			title[k] = reset_strategies[i].description;
			color[k] = reset_colors[i];
		}
	}
	fprintf(out, "%s_n = %zu\n", prefix, n);
	snprintf(var, sizeof(var), "%s_name", prefix);
	gp_array(out, var, names, n);
	snprintf(var, sizeof(var), "%s_title", prefix);
	gp_array(out, var, title, n);
	snprintf(var, sizeof(var), "%s_color", prefix);
	gp_array(out, var, color, n);
}

/* The distinct values of the "reset" label of series named `series`, with
 * (sweep true) or without a "sweep" label, in file order: at most 16. */
static size_t reset_names(const struct result *r, const char *series, bool sweep,
			  const char *names[16])
{
	size_t n = 0;

	for (size_t i = 0; i < r->rec.nseries; i++) {
		const struct rec_series *s = &r->rec.series[i];
		const char *how = rec_map_text(&s->labels, "reset");
		bool seen = false;
		if (!how || strcmp(s->name, series) ||
		    (rec_map_text(&s->labels, "sweep") != NULL) != sweep)
			continue;
		for (size_t k = 0; k < n; k++)
			seen |= !strcmp(names[k], how);
		if (!seen && n < 16)
			names[n++] = how;
	}
	return n;
}

/* rounds (every strategy): <file>--strategies.gp, the strategies measured,
 * with the CDF file of each (strategies_cdf[]). */
static int strategies_data(const char *dir, const struct result *r)
{
	const char *names[16], *cdf[16];
	char cdfs[16][192];
	size_t n = reset_names(r, "reset-run", false, names);
	FILE *out;

	if (!n)
		return 0;
	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0; i < r->rec.nseries; i++) {
			const struct rec_series *s = &r->rec.series[i];
			const char *how = rec_map_text(&s->labels, "reset");
			char what[512];
			if (strcmp(s->name, "reset-run") || !how || strcmp(how, names[k]) ||
			    rec_map_text(&s->labels, "sweep"))
				continue;
			data_name(r->file, series_what(s, ".cdf", what, sizeof(what)), cdfs[k],
				  sizeof(cdfs[k]));
			break;
		}
		cdf[k] = cdfs[k];
	}
	if (!(out = open_data(dir, r->file, "strategies.gp")))
		return 1;
	gp_strategies(out, "strategies", names, n);
	gp_array(out, "strategies_cdf", cdf, n);
	return fclose(out) ? fail("cannot write data for %s", ESC_SHOWN(r->file)) : 0;
}

/* rounds --sweep: <file>--sweep-pages.dat and --sweep-size.dat, one block
 * (gnuplot index) per strategy, in the order the file has them, named in
 * <file>--sweep.gp.  Columns: x (pages, or KiB), then the median, p25 and
 * p75 of the guest round and the median of its reset part, in us. */
static int sweep_data(const char *dir, const struct result *r)
{
	static const char *const kinds[] = { "pages", "size" };
	const char *names[16];
	size_t per_point = 0, nnames = reset_names(r, "reset-run", true, names);
	FILE *out;

	if (!nnames)
		return 0;
	for (size_t kind = 0; kind < 2; kind++) {
		char what[32];
		snprintf(what, sizeof(what), "sweep-%s.dat", kinds[kind]);
		if (!(out = open_data(dir, r->file, what)))
			return 1;
		fprintf(out, "# %s: time per guest round against %s; columns: %s median p25 p75 "
			"reset_median (us)\n", ESC_SHOWN(r->file), kind ? "memory size" : "dirtied pages",
			kind ? "KiB" : "pages");
		for (size_t k = 0; k < nnames; k++) {
			fprintf(out, "%s# %s\n", k ? "\n\n" : "", ESC_SHOWN(names[k]));
			for (size_t i = 0; i < r->rec.nseries; i++) {
				const struct rec_series *s = &r->rec.series[i];
				const struct rec_map *l = &s->labels;
				const char *how = rec_map_text(l, "reset"), *sw = rec_map_text(l, "sweep");
				const char *x = rec_map_text(l, kind ? "memory_size" : "dirty_pages");
				struct summary round, reset;
				if (strcmp(s->name, "reset-run") || !how || strcmp(how, names[k]) ||
				    !sw || strcmp(sw, kinds[kind]) || !x ||
				    stats_summarize(s->samples + s->warmup, s->n - s->warmup, &round))
					continue;
				const struct rec_series *part = i + 1 < r->rec.nseries ? s + 1 : NULL;
				bool has_part = part && !strcmp(part->name, "reset") &&
					!stats_summarize(part->samples + part->warmup,
							 part->n - part->warmup, &reset);
				double xv = strtod(x, NULL) / (kind ? 1024 : 1);
				per_point = per_point ? per_point : round.n;
				fprintf(out, "%g %.3f %.3f %.3f ", xv, round.median / 1e3,
					round.p25 / 1e3, round.p75 / 1e3);
				if (has_part)
					fprintf(out, "%.3f\n", reset.median / 1e3);
				else
					fprintf(out, "NaN\n");
			}
		}
		if (fclose(out))
			return fail("cannot write data for %s", ESC_SHOWN(r->file));
	}
	if (!(out = open_data(dir, r->file, "sweep.gp")))
		return 1;
	gp_strategies(out, "sweep", names, nnames);
	fprintf(out, "sweep_per_point = %zu\n", per_point);
	return fclose(out) ? fail("cannot write data for %s", ESC_SHOWN(r->file)) : 0;
}

/* concurrent at 1..N threads, across files: one row per run, by threads. */
static int threads_data(const char *dir, const struct results *rs)
{
	FILE *out = NULL;

	for (uint64_t want = 1; want <= 256; want++) {
		for (size_t i = 0; i < rs->n; i++) {
			const struct record *rec = &rs->r[i].rec;
			uint64_t threads = 1, made, wall, sys, user;
			if (strcmp(rec->benchmark, "concurrent") || rs->r[i].published ||
			    rec_map_uint(&rec->parameters, "wall_ns", &wall) ||
			    rec_map_uint(&rec->parameters, "vms_made", &made) ||
			    rec_map_uint(&rec->parameters, "sys_ns", &sys) ||
			    rec_map_uint(&rec->parameters, "user_ns", &user) || !wall)
				continue;
			rec_map_uint(&rec->parameters, "threads", &threads);
			if (threads != want)
				continue;
			if (!out && !(out = open_data(dir, "concurrent", "threads.dat")))
				return 1;
			if (ftell(out) == 0)
				fprintf(out, "# columns: threads vms vms_per_s sys_cores user_cores "
					"complete (cores: CPU seconds per wall second)\n");
			double w = (double)wall / 1e9;
			fprintf(out, "%llu %llu %.1f %.3f %.3f %d\n", (unsigned long long)threads,
				(unsigned long long)made, (double)made / w, (double)sys / 1e9 / w,
				(double)user / 1e9 / w, rec->complete);
		}
	}
	return out && fclose(out) ? fail("cannot write data for concurrent") : 0;
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

/* run.gp: run_name, the runs' names as given, for the charts' keys. */
static int run_data(const char *dir, char *const *paths, int npaths)
{
	char name[1024] = "", one[256];
	FILE *out;

	for (int i = 0; i < npaths; i++) {
		path_name(paths[i], one, sizeof(one));
		snprintf(name + strlen(name), sizeof(name) - strlen(name), "%s%s", i ? ", " : "",
			 one);
	}
	if (!(out = open_data(dir, "run", "name.gp")))
		return 1;
	gp_text(out, "run_name", name);
	return fclose(out) ? fail("cannot write data for the run's name") : 0;
}

static int write_data(const char *dir, const struct results *rs, char *const *paths,
		      int npaths)
{
	struct stat st;

	if (stat(dir, &st) < 0 && mkdir(dir, 0755) < 0)
		return fail("cannot create %s: %s", ESC_SHOWN(dir), strerror(errno));
	if (run_data(dir, paths, npaths) || threads_data(dir, rs) || phases_data(dir, rs))
		return 1;
	for (size_t i = 0; i < rs->n; i++) {
		const struct result *r = &rs->r[i];
		int err = meta_data(dir, r);
		for (size_t k = 0; k < r->rec.nseries && !err; k++)
			err = series_data(dir, r, &r->rec.series[k]);
		if (err || batches_data(dir, r) || steps_data(dir, r) || live_data(dir, r) ||
		    strategies_data(dir, r) || sweep_data(dir, r))
			return 1;
	}
	return 0;
}

/* ---- comparison ---- */

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

/* Fields of two machine maps side by side; differences in bold.  Values
 * are Markdown cells (value_text() escapes text). */
static void compare_machines(const struct result *a, const struct result *b)
{
	static const char *const fields[] = {
		"hostname", "kernel_release", "cpu_model", "cpus", "memory_bytes", "kvm_module",
		"nested", "clocksource", "nofile_hard", "max_map_count", "kvmbench_revision",
		"compiler", "build_type", "date",
	};
	char x[512], y[512];

	printf("\n### Machines\n\n| field | A: %s | B: %s |\n|---|---|---|\n", MD(a->path),
	       MD(b->path));
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		value_text(rec_map_get(&a->rec.machine, fields[i]), x, sizeof(x));
		value_text(rec_map_get(&b->rec.machine, fields[i]), y, sizeof(y));
		bool diff = strcmp(x, y) != 0;
		printf("| %s%s%s | %s%s%s | %s%s%s |\n", diff ? "**" : "", fields[i],
		       diff ? "** (differs)" : "", diff ? "**" : "", x, diff ? "**" : "",
		       diff ? "**" : "", y, diff ? "**" : "");
	}
	const struct rec_value *pa = rec_map_get(&a->rec.machine, "kvm_parameters");
	const struct rec_value *pb = rec_map_get(&b->rec.machine, "kvm_parameters");
	const struct rec_map none = { 0 };
	const struct rec_map *ma = pa && pa->type == REC_MAP ? &pa->map : &none;
	const struct rec_map *mb = pb && pb->type == REC_MAP ? &pb->map : &none;
	if (!ma->n || !mb->n) {
		if (ma->n || mb->n)
			printf("| **kvm_parameters** (differs) | **%zu recorded** | **%zu recorded** |\n",
			       ma->n, mb->n);
		return;
	}
	for (int side = 0; side < 2; side++) {
		const struct rec_map *m = side ? mb : ma, *o = side ? ma : mb;
		for (size_t i = 0; i < m->n; i++) {
			const char *k = m->kv[i].key;
			if (side && rec_map_get(o, k))
				continue;	/* shown from side A */
			value_text(rec_map_get(ma, k), x, sizeof(x));
			value_text(rec_map_get(mb, k), y, sizeof(y));
			if (strcmp(x, y))
				printf("| **%s** (differs) | **%s** | **%s** |\n", MD(k), x, y);
		}
	}
}

static int compare(const char *pa, const char *pb)
{
	struct results a = { 0 }, b = { 0 };
	int err = load(&a, pa) || load(&b, pb);
	size_t rows = 0;

	if (err) {
		free_results(&a);
		free_results(&b);
		return 1;
	}
	printf("## %s (A) against %s (B)\n\nratio = median B / median A, 95%% bootstrap "
	       "interval (1000 resamples); p: two-sided Mann-Whitney U.  A difference is "
	       "called significant when p < 0.05 and the interval leaves out 1.  Readings at "
	       "steps (cumulative times, memory) are compared in the overlay charts only.\n\n"
	       "| benchmark | series | labels | n A | n B | median A | median B | unit | "
	       "ratio B/A | 95%% interval | p | verdict |\n"
	       "|---|---|---|---|---|---|---|---|---|---|---|---|\n", MD(pa), MD(pb));
	for (size_t i = 0; i < a.n; i++) {
		const struct result *ra = &a.r[i];
		for (size_t j = 0; j < b.n; j++) {
			const struct result *rb = &b.r[j];
			if (strcmp(ra->file, rb->file))
				continue;
			for (size_t k = 0; k < ra->rec.nseries; k++) {
				const struct rec_series *sa = &ra->rec.series[k];
				for (size_t l = 0; l < rb->rec.nseries; l++) {
					const struct rec_series *sb = &rb->rec.series[l];
					if (strcmp(sa->name, sb->name) || !same_labels(sa, sb) ||
					    is_reading(sa))
						continue;
					size_t na = sa->n - sa->warmup, nb = sb->n - sb->warmup;
					struct ratio_ci ci;
					struct summary x, y;
					double u, p;
					char labels[256], flags[128];
					if (stats_summarize(sa->samples + sa->warmup, na, &x) ||
					    stats_summarize(sb->samples + sb->warmup, nb, &y) ||
					    stats_mann_whitney(sa->samples + sa->warmup, na,
							       sb->samples + sb->warmup, nb, &u, &p) ||
					    stats_ratio_ci(sa->samples + sa->warmup, na,
							   sb->samples + sb->warmup, nb, 1000, 0.95,
							   1, &ci))
						continue;
					labels_text(sa, labels, sizeof(labels));
					bool sig = p < 0.05 && (ci.lo > 1 || ci.hi < 1);
					snprintf(flags, sizeof(flags), "%s%s%s", sig ?
						 (ci.ratio > 1 ? "B slower/larger" : "B faster/smaller") :
						 "not significant",
						 ra->rec.complete && rb->rec.complete ? "" : ", INCOMPLETE run",
						 ra->published || rb->published ? ", published means" : "");
					double f = scale(sa->unit);
					printf("| %s | %s | %s | %zu | %zu | %.1f | %.1f | %s | %.3f | "
					       "%.3f - %.3f | %.3g | %s |\n", MD(ra->file), MD(sa->name),
					       MD(labels), na, nb, x.median * f, y.median * f,
					       MD(shown_unit(sa->unit)),
					       ci.ratio, ci.lo, ci.hi, p, flags);
					rows++;
				}
			}
		}
	}
	if (!rows) {
		err = fail("the two runs have no series in common (same file name, series "
			   "and labels): nothing to compare");
	} else {
		compare_machines(&a.r[0], &b.r[0]);
	}
	free_results(&a);
	free_results(&b);
	return err;
}

static void help(void)
{
	printf("Usage: %s [--data DIR] PATH...\n"
	       "       %s --compare A B\n"
	       "Read kvmbench result files (or directories of them) and report.\n\n"
	       "  --data DIR          also write plain data files for gnuplot into DIR\n"
	       "  --compare A B       compare run B against run A, series by series: medians,\n"
	       "                      ratio with a 95%% interval, Mann-Whitney p, machines\n"
	       "  --help              print this help\n", prog, prog);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "compare", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *data = NULL;
	bool cmp = false;
	struct results rs = { 0 };
	int opt, err = 0;

	/* A reader that stops reading (| head) must not cost the data files. */
	signal(SIGPIPE, SIG_IGN);
	while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			data = optarg;
			break;
		case 'c':
			cmp = true;
			break;
		case 'h':
			help();
			return 0;
		default:
			fprintf(stderr, "%s: %s '%s'\nTry '%s --help'.\n", prog, opt == ':' ?
				"missing the argument of" : "unknown option", argv[optind - 1], prog);
			return EXIT_USAGE;
		}
	}
	if (cmp) {
		if (argc - optind != 2 || data) {
			fprintf(stderr, "%s: --compare takes two runs, A and B\nTry '%s --help'.\n",
				prog, prog);
			return EXIT_USAGE;
		}
		return compare(argv[optind], argv[optind + 1]);
	}
	if (optind == argc) {
		fprintf(stderr, "%s: no result file or directory given\nTry '%s --help'.\n",
			prog, prog);
		return EXIT_USAGE;
	}
	for (int i = optind; i < argc && !err; i++)
		err = load(&rs, argv[i]);
	if (!err) {
		table(&rs);
		if (data)
			err = write_data(data, &rs, argv + optind, argc - optind);
	}
	free_results(&rs);
	return err;
}
