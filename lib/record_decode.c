/*
 * Reading a result back, with full validation: anything that is not a
 * complete kvmbench/2 (or kvmbench/1) result is refused with a message
 * saying what is wrong.  The bytes are checked (prescan) before libcbor
 * parses them, and every key and type after.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cbor.h>

#include "atomic.h"
#include "err.h"
#include "escape.h"
#include "record.h"

/* Larger files are refused rather than read: a real run is a few MB. */
#define REC_MAX_FILE (256u << 20)
/* kvmbench/2 nests three deep (top map, series array, series map, samples);
 * anything much deeper is not ours, and is refused before libcbor recurses. */
#define REC_MAX_DEPTH 8

static int text_of(const cbor_item_t *item, char **out)
{
	size_t n;

	if (!cbor_isa_string(item) || !cbor_string_is_definite(item))
		return -EINVAL;
	n = cbor_string_length(item);
	if (memchr(cbor_string_handle(item), 0, n))
		return -EINVAL;
	*out = malloc(n + 1);
	if (!*out)
		return -ENOMEM;
	memcpy(*out, cbor_string_handle(item), n);
	(*out)[n] = 0;
	return 0;
}

static bool is_uint(const cbor_item_t *item)
{
	return cbor_isa_uint(item);
}

/* libcbor 0.8's cbor_is_bool() asserts on a float: ask only of a simple
 * value (found by fuzzing). */
static bool is_bool(const cbor_item_t *item)
{
	return cbor_isa_float_ctrl(item) && cbor_float_get_width(item) == CBOR_FLOAT_0 &&
	       cbor_is_bool(item);
}

static int decode_map(const cbor_item_t *item, struct rec_map *m, int depth, const char *where);

static int decode_value(const cbor_item_t *item, struct rec_value *v, int depth,
			const char *where, const char *key)
{
	memset(v, 0, sizeof(*v));
	if (is_uint(item)) {
		v->type = REC_UINT;
		v->u = cbor_get_int(item);
		return 0;
	}
	if (is_bool(item)) {
		v->type = REC_BOOL;
		v->b = cbor_get_bool(item);
		return 0;
	}
	if (cbor_isa_string(item)) {
		v->type = REC_TEXT;
		int err = text_of(item, &v->text);
		if (err == -ENOMEM)
			return err_set(err, "out of memory");
		if (err)
			return err_set(-EINVAL, "not a kvmbench result: %s.%s is not a "
				       "definite-length text string", ESC_SHOWN(where), ESC_SHOWN(key));
		return 0;
	}
	if (cbor_isa_map(item) && depth > 0) {
		v->type = REC_MAP;
		return decode_map(item, &v->map, depth - 1, key);
	}
	return err_set(-EINVAL, "not a kvmbench result: %s.%s has a type the schema "
		       "does not allow there (see results/SCHEMA.cddl)", ESC_SHOWN(where), ESC_SHOWN(key));
}

/* A definite map with distinct text keys.  On error *m may hold part. */
static int decode_map(const cbor_item_t *item, struct rec_map *m, int depth, const char *where)
{
	if (!cbor_isa_map(item) || !cbor_map_is_definite(item))
		return err_set(-EINVAL, "not a kvmbench result: '%s' is not a "
			       "definite-length map", ESC_SHOWN(where));
	struct cbor_pair *pairs = cbor_map_handle(item);
	size_t n = cbor_map_size(item);

	for (size_t i = 0; i < n; i++) {
		char *key;
		struct rec_value v;
		int err = text_of(pairs[i].key, &key);

		if (err)
			return err_set(-EINVAL, "not a kvmbench result: a key of '%s' is "
				       "not a text string", ESC_SHOWN(where));
		if (rec_map_get(m, key)) {
			err = err_set(-EINVAL, "not a kvmbench result: key '%s' appears "
				      "twice in '%s'", ESC_SHOWN(key), ESC_SHOWN(where));
			free(key);
			return err;
		}
		err = decode_value(pairs[i].value, &v, depth, where, key);
		if (!err)
			err = rec_map_put(m, key, &v);
		else
			rec_value_free(&v);
		free(key);
		if (err)
			return err;
	}
	return 0;
}

static int decode_series(const cbor_item_t *item, struct rec_series *s, size_t index,
			 int version)
{
	char where[32];
	bool has_warmup = false;
	const cbor_item_t *runs = NULL;

	snprintf(where, sizeof(where), "series[%zu]", index);
	if (!cbor_isa_map(item) || !cbor_map_is_definite(item))
		return err_set(-EINVAL, "not a kvmbench result: %s is not a definite-length map",
			       where);
	struct cbor_pair *pairs = cbor_map_handle(item);
	size_t n = cbor_map_size(item);
	const cbor_item_t *samples = NULL;

	for (size_t i = 0; i < n; i++) {
		char *key;
		int err = text_of(pairs[i].key, &key);
		const cbor_item_t *v = pairs[i].value;

		if (err)
			return err_set(-EINVAL, "not a kvmbench result: a key of %s is not "
				       "a text string", where);
		if (!strcmp(key, "name") && !s->name) {
			err = text_of(v, &s->name);
		} else if (!strcmp(key, "unit") && !s->unit) {
			err = text_of(v, &s->unit);
		} else if (!strcmp(key, "samples") && !samples) {
			samples = v;
			err = cbor_isa_array(v) && cbor_array_is_definite(v) ? 0 : -EINVAL;
		} else if (!strcmp(key, "warmup") && !has_warmup) {
			has_warmup = true;
			err = is_uint(v) ? 0 : -EINVAL;
			if (!err)
				s->warmup = cbor_get_int(v);
		} else if (!strcmp(key, "runs") && version >= 2 && !runs) {
			runs = v;
			err = cbor_isa_array(v) && cbor_array_is_definite(v) &&
			      cbor_array_size(v) > 0 ? 0 : -EINVAL;
		} else if (!strcmp(key, "labels") && !s->labels.n) {
			err = decode_map(v, &s->labels, 0, "labels");
			free(key);
			if (err)
				return err;
			continue;
		} else {
			err = err_set(-EINVAL, "not a kvmbench result: %s has an unknown "
				      "or repeated key '%s'", where, ESC_SHOWN(key));
			free(key);
			return err;
		}
		if (err) {
			err = err_set(-EINVAL, "not a kvmbench result: %s.%s has the wrong type",
				      where, ESC_SHOWN(key));
			free(key);
			return err;
		}
		free(key);
	}
	if (!s->name || !s->unit || !samples)
		return err_set(-EINVAL, "not a kvmbench result: %s lacks '%s'", where,
			       !s->name ? "name" : !s->unit ? "unit" : "samples");

	s->n = cbor_array_size(samples);
	s->samples = malloc((s->n ? s->n : 1) * sizeof(*s->samples));
	if (!s->samples)
		return err_set(-ENOMEM, "out of memory for %zu samples", s->n);
	cbor_item_t **items = cbor_array_handle(samples);
	for (size_t i = 0; i < s->n; i++) {
		if (!is_uint(items[i]))
			return err_set(-EINVAL, "not a kvmbench result: sample %zu of series "
				       "'%s' is not an unsigned integer", i, ESC_SHOWN(s->name));
		s->samples[i] = cbor_get_int(items[i]);
	}
	if (s->warmup > s->n)
		return err_set(-EINVAL, "not a kvmbench result: series '%s' claims %zu "
			       "warm-up samples of %zu", ESC_SHOWN(s->name), s->warmup, s->n);

	/* Without runs (kvmbench/1), all of it is one run. */
	s->nruns = runs ? cbor_array_size(runs) : 1;
	s->runs = malloc(s->nruns * sizeof(*s->runs));
	if (!s->runs)
		return err_set(-ENOMEM, "out of memory for %zu runs", s->nruns);
	s->runs[0] = s->n;
	size_t sum = 0;
	for (size_t k = 0; runs && k < s->nruns; k++) {
		const cbor_item_t *c = cbor_array_handle(runs)[k];
		if (!is_uint(c) || cbor_get_int(c) > s->n - sum)
			return err_set(-EINVAL, "not a kvmbench result: run %zu of series '%s' "
				       "is not a count of the samples that remain", k,
				       ESC_SHOWN(s->name));
		s->runs[k] = cbor_get_int(c);
		sum += s->runs[k];
	}
	if (runs && sum != s->n)
		return err_set(-EINVAL, "not a kvmbench result: the runs of series '%s' hold "
			       "%zu samples, not its %zu", ESC_SHOWN(s->name), sum, s->n);
	return 0;
}

/* The keys every result has, in the order the writer puts them. */
enum root_key { KEY_SCHEMA, KEY_BENCHMARK, KEY_COMPLETE, KEY_PARAMETERS, KEY_MACHINE,
		KEY_SERIES, KEY_REQUIRED };

static int decode_root(struct record *r, const cbor_item_t *root)
{
	static const char *const required[KEY_REQUIRED] = {
		[KEY_SCHEMA] = "schema", [KEY_BENCHMARK] = "benchmark",
		[KEY_COMPLETE] = "complete", [KEY_PARAMETERS] = "parameters",
		[KEY_MACHINE] = "machine", [KEY_SERIES] = "series",
	};
	bool seen[KEY_REQUIRED] = { false };
	char *schema = NULL;
	int version;

	if (!cbor_isa_map(root) || !cbor_map_is_definite(root))
		return err_set(-EINVAL, "not a kvmbench result: the top level is not a "
			       "definite-length map");
	struct cbor_pair *pairs = cbor_map_handle(root);
	size_t n = cbor_map_size(root);

	/* The schema first: a file of another kind or version is named as such
	 * rather than blamed for whatever key it happens to lack. */
	for (size_t i = 0; i < n; i++) {
		char *key = NULL;
		if (text_of(pairs[i].key, &key) == 0 && !strcmp(key, "schema") && !schema &&
		    text_of(pairs[i].value, &schema) != 0)
			schema = NULL;
		free(key);
	}
	if (!schema)
		return err_set(-EINVAL, "not a kvmbench result: no text 'schema' key "
			       "(expected \"%s\")", REC_SCHEMA);
	version = !strcmp(schema, REC_SCHEMA) ? 2 : !strcmp(schema, REC_SCHEMA_1) ? 1 : 0;
	if (!version) {
		int err = err_set(-EPROTO, "result schema \"%s\" is not \"%s\" (or \"%s\"): %s",
				  ESC_SHOWN(schema), REC_SCHEMA, REC_SCHEMA_1,
				  strncmp(schema, "kvmbench/", 9) ?
				  "not a kvmbench result" :
				  "written by another version of kvmbench; read it with that version");
		free(schema);
		return err;
	}
	free(schema);

	for (size_t i = 0; i < n; i++) {
		char *key;
		const cbor_item_t *v = pairs[i].value;
		int err = text_of(pairs[i].key, &key), k;

		if (err)
			return err_set(-EINVAL, "not a kvmbench result: a top-level key is "
				       "not a text string");
		for (k = 0; k < KEY_REQUIRED && strcmp(key, required[k]); k++)
			;
		if (k < KEY_REQUIRED && seen[k]) {
			err = err_set(-EINVAL, "not a kvmbench result: key '%s' appears twice",
				      ESC_SHOWN(key));
		} else if (k < KEY_REQUIRED) {
			seen[k] = true;
		} else if (!strcmp(key, "error") && !r->error) {
			if (text_of(v, &r->error))
				err = err_set(-EINVAL, "not a kvmbench result: 'error' is not text");
		} else {
			err = err_set(-EINVAL, "not a kvmbench result: unknown top-level key '%s'",
				      ESC_SHOWN(key));
		}
		free(key);
		if (err)
			return err;

		switch (k) {
		case KEY_BENCHMARK:
			if (text_of(v, &r->benchmark))
				return err_set(-EINVAL, "not a kvmbench result: 'benchmark' is not text");
			break;
		case KEY_COMPLETE:
			if (!is_bool(v))
				return err_set(-EINVAL, "not a kvmbench result: 'complete' is not a bool");
			r->complete = cbor_get_bool(v);
			break;
		case KEY_PARAMETERS:
			err = decode_map(v, &r->parameters, 1, "parameters");
			break;
		case KEY_MACHINE:
			err = decode_map(v, &r->machine, 1, "machine");
			break;
		case KEY_SERIES:
			if (!cbor_isa_array(v) || !cbor_array_is_definite(v))
				return err_set(-EINVAL, "not a kvmbench result: 'series' is not a "
					       "definite-length array");
			r->series = calloc(cbor_array_size(v) + 1, sizeof(*r->series));
			if (!r->series)
				return err_set(-ENOMEM, "out of memory");
			for (size_t j = 0; j < cbor_array_size(v) && !err; j++) {
				r->nseries = j + 1;
				err = decode_series(cbor_array_handle(v)[j], &r->series[j], j,
						    version);
			}
			break;
		}
		if (err)
			return err;
	}
	for (int k = 0; k < KEY_REQUIRED; k++)
		if (!seen[k])
			return err_set(-EINVAL, "not a kvmbench result: no '%s' key", required[k]);
	if (!r->complete && !r->error && (r->error = strdup("no reason recorded")) == NULL)
		return err_set(-ENOMEM, "out of memory");
	return 0;
}

/*
 * Walks the CBOR item's headers without building anything, so that hostile
 * input never reaches libcbor's allocating, recursive decoder: definite
 * lengths only, no tags, at most REC_MAX_DEPTH levels, and no declared
 * length larger than the bytes that follow.  Returns 0 or -EINVAL with a
 * message naming the byte.
 */
static int prescan(const unsigned char *p, size_t n)
{
	uint64_t pending[REC_MAX_DEPTH + 1] = { 1 };	/* items left per level */
	int depth = 0;
	size_t pos = 0;

	for (;;) {
		while (pending[depth] == 0) {
			if (depth == 0)
				return 0;
			depth--;
		}
		pending[depth]--;
		if (pos >= n)
			return err_set(-EINVAL, "truncated: the CBOR data ends early, after "
				       "%zu bytes (a copy or run that was cut short?)", n);
		size_t at = pos;
		unsigned major = p[pos] >> 5, info = p[pos] & 31;
		uint64_t v = info;
		pos++;
		if (info >= 24 && info <= 27) {
			size_t len = (size_t)1 << (info - 24);
			if (len > n - pos)
				return err_set(-EINVAL, "truncated: the CBOR data ends early, "
					       "after %zu bytes (a copy or run that was cut short?)", n);
			v = 0;
			for (size_t i = 0; i < len; i++)
				v = v << 8 | p[pos++];
		} else if (info == 31 && major >= 2 && major <= 5) {
			return err_set(-EINVAL, "not a kvmbench result: an indefinite-length "
				       "item at byte %zu (kvmbench/2 uses definite lengths only)", at);
		} else if (info > 27) {
			return err_set(-EINVAL, "not CBOR: malformed data at byte %zu", at);
		}
		switch (major) {
		case 2:
		case 3:
			if (v > n - pos)
				return err_set(-EINVAL, "truncated: a string at byte %zu declares "
					       "%llu bytes, %zu follow", at, (unsigned long long)v,
					       n - pos);
			pos += v;
			break;
		case 4:
		case 5:
			/* Every element takes at least one byte. */
			if (v > (n - pos) / (major == 5 ? 2 : 1))
				return err_set(-EINVAL, "truncated or hostile: the %s at byte %zu "
					       "declares %llu items, but only %zu bytes follow",
					       major == 5 ? "map" : "array", at,
					       (unsigned long long)v, n - pos);
			if (!v)
				break;
			if (depth == REC_MAX_DEPTH)
				return err_set(-EINVAL, "not a kvmbench result: items nested more "
					       "than %d deep at byte %zu", REC_MAX_DEPTH, at);
			pending[++depth] = major == 5 ? 2 * v : v;
			break;
		case 6:
			return err_set(-EINVAL, "not a kvmbench result: a CBOR tag at byte %zu "
				       "(kvmbench results have none)", at);
		}
	}
}

int rec_decode(struct record *r, const unsigned char *data, size_t size)
{
	struct cbor_load_result res;
	cbor_item_t *root;
	int err;

	memset(r, 0, sizeof(*r));
	if (!size)
		return err_set(-EINVAL, "empty: no CBOR at all");
	err = prescan(data, size);
	if (err)
		return err;
	root = cbor_load(data, size, &res);
	if (!root) {
		switch (res.error.code) {
		case CBOR_ERR_NOTENOUGHDATA:
		case CBOR_ERR_NODATA:
			return err_set(-EINVAL, "truncated: the CBOR data ends early, after "
				       "%zu bytes (a copy or run that was cut short?)", size);
		case CBOR_ERR_MEMERROR:
			return err_set(-ENOMEM, "the CBOR data declares more than fits in memory");
		default:
			return err_set(-EINVAL, "not CBOR: malformed data at byte %zu",
				       res.error.position);
		}
	}
	if (res.read != size) {
		cbor_decref(&root);
		return err_set(-EINVAL, "not a kvmbench result: %zu bytes of other data "
			       "follow the result", size - res.read);
	}
	err = decode_root(r, root);
	cbor_decref(&root);
	if (err)
		rec_free(r);
	return err;
}

int rec_read(struct record *r, const char *path)
{
	unsigned char *buf;
	size_t len;
	int err;

	memset(r, 0, sizeof(*r));
	err = atomic_read(path, REC_MAX_FILE, "result", &buf, &len);
	if (err)
		return err;
	err = rec_decode(r, buf, len);
	free(buf);
	return err ? err_prefix(err, "%s", ESC_SHOWN(path)) : 0;
}
