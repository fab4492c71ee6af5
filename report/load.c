#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic.h"
#include "err.h"
#include "report.h"
#include "util.h"

const char *const report_prog = "kvmbench-report";

int report_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", report_prog);
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
		return report_fail("out of memory");
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
		return report_fail("%s", err_msg());
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

/* In a directory, anything under a result's name that is not a regular
 * file (a FIFO, a device, a dangling link) is skipped with a note, never
 * opened; the files are read in name order. */
int report_load(struct results *rs, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		int err = errno;
		if (err == ENOENT)
			return report_fail("%s does not exist: give a result file or a results "
					   "directory (make bench writes results/<host>-<kernel>/)",
					   ESC_SHOWN(path));
		return report_fail("%s %s", ESC_SHOWN(path),
				   path_problem(err) ? path_problem(err) : strerror(err));
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(rs, path);

	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	int err = 0;

	if (!d)
		return report_fail("cannot read directory %s: %s", ESC_SHOWN(path), strerror(errno));
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char full[4096];
		if (len <= 5 || strcmp(e->d_name + len - 5, ".cbor"))
			continue;
		snprintf(full, sizeof(full), "%s/%s", path, e->d_name);
		bool gone = stat(full, &st) < 0;
		if (gone || !S_ISREG(st.st_mode)) {
			fprintf(stderr, "%s: skipped %s: %s, not a result file\n", report_prog,
				ESC_SHOWN(full), gone ? strerror(errno) : file_kind(st.st_mode));
			continue;
		}
		char **more = realloc(names, (n + 1) * sizeof(*names));
		if (!more || !(more[n] = strdup(e->d_name))) {
			closedir(d);
			return report_fail("out of memory");
		}
		names = more;
		n++;
	}
	closedir(d);
	if (!n) {
		free(names);
		return report_fail("%s holds no result files (*.cbor): run make bench, or name "
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

void report_free(struct results *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		rec_free(&rs->r[i].rec);
	free(rs->r);
	rs->r = NULL;
	rs->n = 0;
}

const struct result *report_file(const struct results *rs, const char *file)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->r[i].file, file))
			return &rs->r[i];
	return NULL;
}

/* 1: the parameter is there as wanted; 0: missing, and its default is
 * wanted; -1: it says otherwise. */
static int wanted(const struct rec_map *params, const struct want *w)
{
	const struct rec_value *v = rec_map_get(params, w->key);

	if (!v)
		return w->or_missing ? 0 : -1;
	switch (v->type) {
	case REC_TEXT:
		return w->text && !strcmp(v->text, w->text) ? 1 : -1;
	case REC_UINT:
		return !w->text && v->u == w->u ? 1 : -1;
	case REC_BOOL:
		return !w->text && v->b == (w->u != 0) ? 1 : -1;
	default:
		return -1;
	}
}

const struct result *report_find(const struct results *rs, const char *benchmark,
				 const struct want *w)
{
	const struct result *best = NULL;
	int most = -1;

	for (size_t i = 0; i < rs->n; i++) {
		const struct record *rec = &rs->r[i].rec;
		int score = 0;
		if (strcmp(rec->benchmark, benchmark))
			continue;
		for (const struct want *x = w; x && x->key && score >= 0; x++) {
			int m = wanted(&rec->parameters, x);
			score = m < 0 ? -1 : score + m;
		}
		if (score > most) {
			most = score;
			best = &rs->r[i];
		}
	}
	return best;
}

const struct rec_series *report_series(const struct record *rec, const char *name,
				       const char *key, const char *value)
{
	for (size_t i = 0; i < rec->nseries; i++) {
		const struct rec_series *s = &rec->series[i];
		const char *v = key ? rec_map_text(&s->labels, key) : NULL;
		if (!strcmp(s->name, name) && (!key || (v && !strcmp(v, value))))
			return s;
	}
	return NULL;
}

size_t report_n(const struct rec_series *s)
{
	size_t n = 0;

	for (size_t k = 0; k < s->nruns; k++) {
		const uint64_t *v;
		n += rec_run_kept(s, k, &v);
	}
	return n;
}

const uint64_t *report_kept(const struct rec_series *s, size_t *n, uint64_t **own)
{
	*own = NULL;
	if (s->nruns == 1) {
		*n = rec_run_kept(s, 0, &(const uint64_t *){ NULL });
		return s->samples + (s->n - *n);
	}
	*own = malloc((s->n ? s->n : 1) * sizeof(**own));
	if (!*own) {
		report_fail("out of memory for %zu samples", s->n);
		return NULL;
	}
	*n = rec_kept(s, *own);
	return *own;
}

int report_summary(const struct rec_series *s, struct summary *sum)
{
	uint64_t *own;
	size_t n;
	const uint64_t *v = report_kept(s, &n, &own);
	int err = v ? stats_summarize(v, n, sum) : -ENOMEM;

	free(own);
	return err;
}

double report_mean(const struct rec_series *s)
{
	uint64_t *own;
	size_t n;
	const uint64_t *v = report_kept(s, &n, &own);
	double mean = v ? stats_mean(v, n) : 0;

	free(own);
	return mean;
}

size_t report_run_medians(const struct rec_series *s, double *med)
{
	size_t m = 0;

	for (size_t k = 0; k < s->nruns; k++) {
		const uint64_t *v;
		struct summary sum;
		size_t n = rec_run_kept(s, k, &v);
		if (n && !stats_summarize(v, n, &sum))
			med[m++] = sum.median;
	}
	return m;
}

size_t report_readings(const struct rec_series *s)
{
	size_t most = 0;

	for (size_t k = 0; k < s->nruns; k++)
		most = s->runs[k] > most ? s->runs[k] : most;
	return most;
}

double report_reading(const struct rec_series *s, size_t i)
{
	uint64_t at[64];
	size_t m = 0, start = 0;

	for (size_t k = 0; k < s->nruns; k++) {
		if (i < s->runs[k] && m < ARRAY_SIZE(at))
			at[m++] = s->samples[start + i];
		start += s->runs[k];
	}
	struct summary sum;
	return m && !stats_summarize(at, m, &sum) ? sum.median : -1;
}
