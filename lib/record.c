/*
 * The result in memory: parameters, the machine, the series and their runs
 * (record.h).  Its file format is record_encode.c and record_decode.c's;
 * writing a file whole or not at all is atomic.c's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "record.h"

int rec_init(struct record *r, const char *benchmark)
{
	memset(r, 0, sizeof(*r));
	r->complete = true;
	r->benchmark = strdup(benchmark);
	return r->benchmark ? 0 : err_set(-ENOMEM, "out of memory");
}

void rec_map_free(struct rec_map *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->kv[i].key);
		rec_value_free(&m->kv[i].v);
	}
	free(m->kv);
	m->kv = NULL;
	m->n = 0;
}

void rec_value_free(struct rec_value *v)
{
	free(v->text);
	v->text = NULL;
	rec_map_free(&v->map);
}

void rec_free(struct record *r)
{
	free(r->benchmark);
	free(r->error);
	rec_map_free(&r->parameters);
	rec_map_free(&r->machine);
	for (size_t i = 0; i < r->nseries; i++) {
		free(r->series[i].name);
		free(r->series[i].unit);
		free(r->series[i].samples);
		free(r->series[i].runs);
		rec_map_free(&r->series[i].labels);
	}
	free(r->series);
	memset(r, 0, sizeof(*r));
}

int rec_map_put(struct rec_map *m, const char *key, struct rec_value *v)
{
	for (size_t i = 0; i < m->n; i++) {
		if (!strcmp(m->kv[i].key, key)) {
			rec_value_free(&m->kv[i].v);
			m->kv[i].v = *v;
			return 0;
		}
	}
	struct rec_kv *kv = realloc(m->kv, (m->n + 1) * sizeof(*kv));
	char *k = strdup(key);

	if (kv)
		m->kv = kv;
	if (!kv || !k) {
		free(k);
		rec_value_free(v);
		return err_set(-ENOMEM, "out of memory");
	}
	m->kv[m->n].key = k;
	m->kv[m->n].v = *v;
	m->n++;
	return 0;
}

int rec_map_put_uint(struct rec_map *m, const char *key, uint64_t u)
{
	struct rec_value v = { .type = REC_UINT, .u = u };

	return rec_map_put(m, key, &v);
}

int rec_map_put_bool(struct rec_map *m, const char *key, bool b)
{
	struct rec_value v = { .type = REC_BOOL, .b = b };

	return rec_map_put(m, key, &v);
}

int rec_map_put_text(struct rec_map *m, const char *key, const char *text)
{
	struct rec_value v = { .type = REC_TEXT, .text = strdup(text) };

	if (!v.text)
		return err_set(-ENOMEM, "out of memory");
	return rec_map_put(m, key, &v);
}

int rec_param_uint(struct record *r, const char *key, uint64_t v)
{
	return rec_map_put_uint(&r->parameters, key, v);
}

int rec_param_text(struct record *r, const char *key, const char *v)
{
	return rec_map_put_text(&r->parameters, key, v);
}

int rec_param_bool(struct record *r, const char *key, bool v)
{
	return rec_map_put_bool(&r->parameters, key, v);
}

int rec_machine_text(struct record *r, const char *key, const char *v)
{
	return rec_map_put_text(&r->machine, key, v);
}

int rec_add_series(struct record *r, const char *name, const uint64_t *samples,
		   size_t n, size_t warmup)
{
	struct rec_series *s = realloc(r->series, (r->nseries + 1) * sizeof(*s));

	if (!s)
		return err_set(-ENOMEM, "out of memory");
	r->series = s;
	s = &r->series[r->nseries];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	s->unit = strdup("ns");
	s->samples = malloc((n ? n : 1) * sizeof(*samples));
	s->runs = malloc(sizeof(*s->runs));
	if (!s->name || !s->unit || !s->samples || !s->runs) {
		free(s->name);
		free(s->unit);
		free(s->samples);
		free(s->runs);
		return err_set(-ENOMEM, "out of memory for %zu samples", n);
	}
	if (n)
		memcpy(s->samples, samples, n * sizeof(*samples));
	s->n = n;
	s->runs[0] = n;
	s->nruns = 1;
	s->warmup = warmup > n ? n : warmup;
	return (int)r->nseries++;
}

static bool same_labels(const struct rec_map *a, const struct rec_map *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const char *v = rec_map_text(b, a->kv[i].key);
		if (!v || a->kv[i].v.type != REC_TEXT || strcmp(v, a->kv[i].v.text))
			return false;
	}
	return true;
}

/* Adds `more` samples as s's next run. */
static int append_samples(struct rec_series *s, const uint64_t *more, size_t n)
{
	uint64_t *v = realloc(s->samples, (s->n + n ? s->n + n : 1) * sizeof(*v));
	size_t *runs = v ? realloc(s->runs, (s->nruns + 1) * sizeof(*runs)) : NULL;

	if (v)
		s->samples = v;
	if (runs)
		s->runs = runs;
	if (!v || !runs)
		return err_set(-ENOMEM, "out of memory for %zu more samples", n);
	if (n)
		memcpy(s->samples + s->n, more, n * sizeof(*more));
	s->n += n;
	s->runs[s->nruns++] = n;
	return 0;
}

size_t rec_nruns(const struct record *r)
{
	size_t k = 0;

	for (size_t i = 0; i < r->nseries; i++)
		k = r->series[i].nruns > k ? r->series[i].nruns : k;
	return k ? k : 1;
}

int rec_append_runs(struct record *r, const struct record *more, size_t runs)
{
	size_t added = rec_nruns(more);
	int err = 0;

	for (size_t i = 0; i < more->nseries && !err; i++) {
		const struct rec_series *from = &more->series[i];
		size_t k;
		for (k = 0; k < r->nseries; k++)
			if (!strcmp(r->series[k].name, from->name) &&
			    same_labels(&r->series[k].labels, &from->labels))
				break;
		if (k == r->nseries) {
			/* New in these runs: empty in the runs before. */
			int idx = rec_add_series(r, from->name, NULL, 0, from->warmup);
			if (idx < 0)
				return idx;
			struct rec_series *s = &r->series[idx];
			for (size_t j = 1; j < runs && !err; j++)
				err = append_samples(s, NULL, 0);
			err = err ?: rec_series_unit(r, idx, from->unit);
			for (size_t j = 0; j < from->labels.n && !err; j++)
				if (from->labels.kv[j].v.type == REC_TEXT)
					err = rec_series_label(r, idx, from->labels.kv[j].key,
							       from->labels.kv[j].v.text);
			if (err)
				return err;
		}
		size_t start = 0;
		for (size_t j = 0; j < from->nruns && !err; j++) {
			err = append_samples(&r->series[k], from->samples + start, from->runs[j]);
			start += from->runs[j];
		}
	}
	/* A series these runs lack, or have fewer runs of: no samples there. */
	for (size_t k = 0; k < r->nseries && !err; k++)
		while (!err && r->series[k].nruns < runs + added)
			err = append_samples(&r->series[k], NULL, 0);
	if (!err && !more->complete)
		err = rec_set_incomplete(r, more->error);
	return err;
}

size_t rec_run_kept(const struct rec_series *s, size_t k, const uint64_t **v)
{
	size_t start = 0;

	for (size_t j = 0; j < k; j++)
		start += s->runs[j];
	size_t skip = s->warmup < s->runs[k] ? s->warmup : s->runs[k];
	*v = s->samples + start + skip;
	return s->runs[k] - skip;
}

size_t rec_kept(const struct rec_series *s, uint64_t *out)
{
	size_t n = 0;

	for (size_t k = 0; k < s->nruns; k++) {
		const uint64_t *v;
		size_t m = rec_run_kept(s, k, &v);
		memcpy(out + n, v, m * sizeof(*v));
		n += m;
	}
	return n;
}

int rec_series_unit(struct record *r, int series, const char *unit)
{
	char *u = strdup(unit);

	if (!u)
		return err_set(-ENOMEM, "out of memory");
	free(r->series[series].unit);
	r->series[series].unit = u;
	return 0;
}

int rec_series_label(struct record *r, int series, const char *key, const char *value)
{
	return rec_map_put_text(&r->series[series].labels, key, value);
}

int rec_set_incomplete(struct record *r, const char *why)
{
	r->complete = false;
	if (r->error)
		return 0;
	r->error = strdup(why && *why ? why : "interrupted");
	return r->error ? 0 : err_set(-ENOMEM, "out of memory");
}

const struct rec_value *rec_map_get(const struct rec_map *m, const char *key)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->kv[i].key, key))
			return &m->kv[i].v;
	return NULL;
}

int rec_map_uint(const struct rec_map *m, const char *key, uint64_t *u)
{
	const struct rec_value *v = rec_map_get(m, key);

	if (!v)
		return -ENOENT;
	if (v->type != REC_UINT)
		return -EINVAL;
	*u = v->u;
	return 0;
}

const char *rec_map_text(const struct rec_map *m, const char *key)
{
	const struct rec_value *v = rec_map_get(m, key);

	return v && v->type == REC_TEXT ? v->text : NULL;
}

