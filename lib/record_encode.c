/*
 * A result as CBOR: definite lengths and shortest integers only, so that
 * any decoder reads it (results/SCHEMA.cddl); and rec_write(), which puts
 * the bytes in a file atomically (atomic.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cbor.h>

#include "atomic.h"
#include "err.h"
#include "escape.h"
#include "record.h"

/* The shortest encoding of u, as RFC 8949's preferred serialisation asks. */
static cbor_item_t *build_uint(uint64_t u)
{
	if (u <= UINT8_MAX)
		return cbor_build_uint8((uint8_t)u);
	if (u <= UINT16_MAX)
		return cbor_build_uint16((uint16_t)u);
	if (u <= UINT32_MAX)
		return cbor_build_uint32((uint32_t)u);
	return cbor_build_uint64(u);
}

/* Adds key => value to map and drops our references; false if either is
 * NULL or the map is full. */
static bool put(cbor_item_t *map, const char *key, cbor_item_t *value)
{
	cbor_item_t *k = cbor_build_string(key);
	bool ok = k && value && cbor_map_add(map, (struct cbor_pair){ .key = k, .value = value });

	if (k)
		cbor_decref(&k);
	if (value)
		cbor_decref(&value);
	return ok;
}

static cbor_item_t *build_map(const struct rec_map *m);

static cbor_item_t *build_value(const struct rec_value *v)
{
	switch (v->type) {
	case REC_UINT:
		return build_uint(v->u);
	case REC_TEXT:
		return cbor_build_string(v->text);
	case REC_BOOL:
		return cbor_build_bool(v->b);
	case REC_MAP:
		return build_map(&v->map);
	}
	return NULL;
}

static cbor_item_t *build_map(const struct rec_map *m)
{
	cbor_item_t *map = cbor_new_definite_map(m->n);

	for (size_t i = 0; map && i < m->n; i++)
		if (!put(map, m->kv[i].key, build_value(&m->kv[i].v)))
			cbor_decref(&map);
	return map;
}

static cbor_item_t *build_uint_array(const void *v, size_t n, bool sizes)
{
	cbor_item_t *a = cbor_new_definite_array(n);

	for (size_t i = 0; a && i < n; i++) {
		cbor_item_t *u = build_uint(sizes ? ((const size_t *)v)[i] :
					    ((const uint64_t *)v)[i]);
		bool ok = u && cbor_array_push(a, u);
		if (u)
			cbor_decref(&u);
		if (!ok)
			cbor_decref(&a);
	}
	return a;
}

static cbor_item_t *build_series(const struct rec_series *s)
{
	size_t nkeys = 5 + (s->warmup > 0) + (s->labels.n > 0);
	cbor_item_t *map = cbor_new_definite_map(nkeys);
	cbor_item_t *samples = build_uint_array(s->samples, s->n, false);
	bool ok = map && samples;

	ok = ok && put(map, "name", cbor_build_string(s->name)) &&
	     put(map, "unit", cbor_build_string(s->unit));
	if (ok && s->warmup)
		ok = put(map, "warmup", build_uint(s->warmup));
	if (ok && s->labels.n)
		ok = put(map, "labels", build_map(&s->labels));
	ok = ok && put(map, "runs", build_uint_array(s->runs, s->nruns, true));
	if (ok) {
		ok = put(map, "samples", samples);
		samples = NULL;
	}
	if (samples)
		cbor_decref(&samples);
	if (!ok && map)
		cbor_decref(&map);
	return map;
}

static cbor_item_t *build_record(const struct record *r)
{
	cbor_item_t *root = cbor_new_definite_map(6 + (r->error != NULL));
	cbor_item_t *series = cbor_new_definite_array(r->nseries);
	bool ok = root && series;

	for (size_t i = 0; ok && i < r->nseries; i++) {
		cbor_item_t *s = build_series(&r->series[i]);
		ok = s && cbor_array_push(series, s);
		if (s)
			cbor_decref(&s);
	}
	ok = ok && put(root, "schema", cbor_build_string(REC_SCHEMA)) &&
	     put(root, "benchmark", cbor_build_string(r->benchmark)) &&
	     put(root, "complete", cbor_build_bool(r->complete));
	if (ok && r->error)
		ok = put(root, "error", cbor_build_string(r->error));
	ok = ok && put(root, "parameters", build_map(&r->parameters)) &&
	     put(root, "machine", build_map(&r->machine));
	if (ok) {
		ok = put(root, "series", series);
		series = NULL;
	}
	if (series)
		cbor_decref(&series);
	if (!ok && root)
		cbor_decref(&root);
	return root;
}

int rec_encode(const struct record *r, unsigned char **out, size_t *len)
{
	cbor_item_t *root = build_record(r);
	size_t cap = 0;

	*out = NULL;
	if (!root)
		return err_set(-ENOMEM, "out of memory while encoding the result");
	*len = cbor_serialize_alloc(root, out, &cap);
	cbor_decref(&root);
	if (!*len) {
		free(*out);
		*out = NULL;
		return err_set(-ENOMEM, "out of memory while encoding the result");
	}
	return 0;
}

int rec_write(const struct record *r, const char *path)
{
	unsigned char *buf;
	size_t len;
	int err = rec_encode(r, &buf, &len);

	if (err)
		return err;
	err = atomic_write(path, buf, len);
	free(buf);
	return err;
}
