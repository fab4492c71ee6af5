/* Description: the reader refuses whatever is not a complete kvmbench/2
 * (or kvmbench/1) result, with a message that says what is wrong: a
 * missing or empty file, every truncation of a good file, text that is not
 * CBOR, trailing bytes, another schema or version, runs in a kvmbench/1
 * file, runs that do not add up to the samples, a missing key, a duplicate
 * key, a wrong type
 * under a known key, a sample that is negative, a float or NaN; and hostile
 * shapes: deep nesting, huge declared lengths, indefinite lengths, tags.
 * And a file whose status cannot be read (fstat failing) is refused as
 * that, its struct stat never read. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <cbor.h>

#include "atomic.h"
#include "err.h"
#include "helpers.h"
#include "record.h"

static unsigned char *good;
static size_t good_size;

static void refused(const unsigned char *data, size_t size, const char *expect,
		    const char *what)
{
	struct record r;
	int err = rec_decode(&r, data, size);

	T_CHECK(err < 0, "%s was accepted", what);
	T_CHECK(strstr(err_msg(), expect), "%s: message '%s' lacks '%s'", what, err_msg(),
		expect);
}

/* The good file with its first occurrence of from (same length) replaced. */
static unsigned char *patched(const char *from, const char *to)
{
	unsigned char *copy = malloc(good_size);
	size_t n = strlen(from);

	T_CHECK(copy && strlen(to) == n, "patch");
	memcpy(copy, good, good_size);
	for (size_t i = 0; i + n <= good_size; i++) {
		if (!memcmp(copy + i, from, n)) {
			memcpy(copy + i, to, n);
			return copy;
		}
	}
	T_CHECK(0, "'%s' not found in the good file", from);
	return NULL;
}

/* A minimal top-level map from key/value items given as pairs. */
static unsigned char *craft(size_t *size, size_t npairs, ...)
{
	va_list ap;
	cbor_item_t *map = cbor_new_definite_map(npairs);
	unsigned char *buf = NULL;
	size_t cap = 0;

	va_start(ap, npairs);
	for (size_t i = 0; i < npairs; i++) {
		cbor_item_t *k = cbor_build_string(va_arg(ap, const char *));
		cbor_item_t *v = va_arg(ap, cbor_item_t *);
		T_CHECK(cbor_map_add(map, (struct cbor_pair){ .key = cbor_move(k),
							     .value = cbor_move(v) }), "craft");
	}
	va_end(ap);
	*size = cbor_serialize_alloc(map, &buf, &cap);
	cbor_decref(&map);
	T_CHECK(*size, "serialize");
	return buf;
}

/* A file that is whole but for its one series' one sample. */
static unsigned char *file_with_sample(size_t *size, cbor_item_t *sample)
{
	cbor_item_t *arr = cbor_new_definite_array(1), *s = cbor_new_definite_map(3);

	cbor_array_push(arr, cbor_move(sample));
	cbor_map_add(s, (struct cbor_pair){ cbor_move(cbor_build_string("name")),
					     cbor_move(cbor_build_string("x")) });
	cbor_map_add(s, (struct cbor_pair){ cbor_move(cbor_build_string("unit")),
					     cbor_move(cbor_build_string("ns")) });
	cbor_map_add(s, (struct cbor_pair){ cbor_move(cbor_build_string("samples")),
					     cbor_move(arr) });
	cbor_item_t *all = cbor_new_definite_array(1);
	cbor_array_push(all, cbor_move(s));
	return craft(size, 6, "schema", cbor_build_string(REC_SCHEMA),
		     "benchmark", cbor_build_string("x"), "complete", cbor_build_bool(true),
		     "parameters", cbor_new_definite_map(0), "machine", cbor_new_definite_map(0),
		     "series", all);
}

/* One more run of series "s", of n samples from v. */
static int append(struct record *r, const uint64_t *v, size_t n)
{
	struct record run;
	int err = rec_init(&run, "single") ?: rec_add_series(&run, "s", v, n, 0);

	err = err < 0 ? err : rec_append_runs(r, &run, r->series[0].nruns);
	rec_free(&run);
	return err;
}

int main(void)
{
	char path[512];
	struct record r;
	size_t n;
	unsigned char *buf;

	/* A real result file to damage. */
	uint64_t v[50];
	for (int i = 0; i < 50; i++)
		v[i] = 1000u * (uint64_t)i;
	T_CHECK(rec_init(&r, "single") == 0 && rec_param_uint(&r, "rounds", 1) == 0 &&
		rec_add_series(&r, "s", v, 50, 0) == 0, "build");
	snprintf(path, sizeof(path), "%s/good.cbor", t_tmpdir());
	T_CHECK(rec_write(&r, path) == 0, "%s", err_msg());
	rec_free(&r);
	good = t_read_file(path, &good_size);
	T_CHECK(rec_decode(&r, good, good_size) == 0, "the good file: %s", err_msg());
	rec_free(&r);

	for (size_t len = 1; len < good_size; len++)
		refused(good, len, "truncated", "a truncated file");

	buf = patched("kvmbench/2", "kvmbench/3");
	refused(buf, good_size, "another version", "schema kvmbench/3");
	free(buf);
	buf = patched("kvmbench/2", "otherfmt/2");
	refused(buf, good_size, "not a kvmbench result", "schema otherfmt/2");
	free(buf);
	/* kvmbench/1 had no runs: a v1 file that has them is not one. */
	buf = patched("kvmbench/2", "kvmbench/1");
	refused(buf, good_size, "unknown or repeated key 'runs'", "runs in kvmbench/1");
	free(buf);
	/* Runs that claim more, or fewer, samples than the series has. */
	for (int more = -1; more <= 1; more += 2) {
		char bad[512];
		T_CHECK(rec_init(&r, "single") == 0 && rec_add_series(&r, "s", v, 50, 0) == 0 &&
			append(&r, v, 10) == 0, "build");
		r.series[0].runs[1] = (size_t)(10 + more);
		snprintf(bad, sizeof(bad), "%s/runs%d.cbor", t_tmpdir(), more);
		T_CHECK(rec_write(&r, bad) == 0, "%s", err_msg());
		rec_free(&r);
		size_t bad_size;
		unsigned char *b = t_read_file(bad, &bad_size);
		refused(b, bad_size, more > 0 ? "is not a count of the samples that remain" :
			"hold 59 samples, not its 60", "runs that do not add up");
		free(b);
	}
	buf = patched("benchmark", "benchmarc");
	refused(buf, good_size, "unknown top-level key 'benchmarc'", "a renamed key");
	free(buf);

	unsigned char *longer = malloc(good_size + 1);
	memcpy(longer, good, good_size);
	longer[good_size] = 0;
	refused(longer, good_size + 1, "follow the result", "trailing bytes");
	free(longer);

	const char *text = "{\"schema\": \"kvmbench/1\"}\n";
	refused((const unsigned char *)text, strlen(text), "", "JSON");
	refused((const unsigned char *)"\xff\xff", 2, "not CBOR", "a stray break code");
	refused(good, 0, "empty", "nothing");

	buf = craft(&n, 1, "schema", cbor_build_uint8(1));
	refused(buf, n, "no text 'schema'", "a numeric schema");
	free(buf);
	buf = craft(&n, 2, "schema", cbor_build_string(REC_SCHEMA),
		    "benchmark", cbor_build_string("x"));
	refused(buf, n, "no 'complete' key", "missing keys");
	free(buf);
	buf = craft(&n, 3, "schema", cbor_build_string(REC_SCHEMA),
		    "benchmark", cbor_build_string("x"), "benchmark", cbor_build_string("y"));
	refused(buf, n, "appears twice", "a duplicate key");
	free(buf);
	buf = file_with_sample(&n, cbor_build_negint8(4));
	refused(buf, n, "not an unsigned integer", "a negative sample");
	free(buf);
	buf = file_with_sample(&n, cbor_build_float8(1.5));
	refused(buf, n, "not an unsigned integer", "a float sample");
	free(buf);
	buf = file_with_sample(&n, cbor_build_uint8(9));
	T_CHECK(rec_decode(&r, buf, n) == 0, "the crafted control file: %s", err_msg());
	T_CHECK(r.nseries == 1 && r.series[0].n == 1 && r.series[0].samples[0] == 9, "control");
	rec_free(&r);
	free(buf);

	buf = file_with_sample(&n, cbor_build_float8(NAN));
	refused(buf, n, "not an unsigned integer", "a NaN sample");
	free(buf);
	buf = craft(&n, 3, "schema", cbor_build_string(REC_SCHEMA),
		    "benchmark", cbor_build_string("x"), "complete", cbor_build_string("yes"));
	refused(buf, n, "'complete' is not a bool", "complete as text");
	free(buf);
	/* Floats where a bool or a parameter stands: once an abort inside
	 * libcbor's cbor_is_bool(), found by fuzzing. */
	buf = craft(&n, 3, "schema", cbor_build_string(REC_SCHEMA),
		    "benchmark", cbor_build_string("x"), "complete", cbor_build_float2(1.0f));
	refused(buf, n, "'complete' is not a bool", "complete as a float");
	free(buf);
	cbor_item_t *params = cbor_new_definite_map(1);
	cbor_map_add(params, (struct cbor_pair){ cbor_move(cbor_build_string("rounds")),
						  cbor_move(cbor_build_float4(5.0f)) });
	buf = craft(&n, 2, "schema", cbor_build_string(REC_SCHEMA), "parameters", params);
	refused(buf, n, "parameters.rounds has a type the schema does not allow",
		"a float parameter");
	free(buf);
	buf = craft(&n, 2, "schema", cbor_build_string(REC_SCHEMA),
		    "series", cbor_new_definite_map(0));
	refused(buf, n, "'series' is not a definite-length array", "series as a map");
	free(buf);

	/* Hostile shapes, refused before anything is built from them. */
	static unsigned char deep[100001];
	memset(deep, 0x81, sizeof(deep) - 1);	/* [[[[... 0]]]] */
	refused(deep, sizeof(deep), "nested more than", "100000 nested arrays");
	const unsigned char huge_array[] = { 0x9b, 0, 0, 0, 1, 0, 0, 0, 0, 0 };
	refused(huge_array, sizeof(huge_array), "declares 4294967296 items", "a huge array");
	const unsigned char huge_map[] = { 0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	refused(huge_map, sizeof(huge_map), "declares 18446744073709551615 items", "a huge map");
	const unsigned char huge_text[] = { 0xa1, 0x7b, 0x7f, 0, 0, 0, 0, 0, 0, 0, 'x' };
	refused(huge_text, sizeof(huge_text), "a string at byte 1 declares", "a huge string");
	const unsigned char indefinite[] = { 0xbf, 0x61, 'a', 0x01, 0xff };
	refused(indefinite, sizeof(indefinite), "indefinite-length item at byte 0",
		"an indefinite map");
	const unsigned char tagged[] = { 0xd9, 0xd9, 0xf7, 0xa0 };
	refused(tagged, sizeof(tagged), "a CBOR tag at byte 0", "a tagged map");

	/* Files: missing, empty. */
	snprintf(path, sizeof(path), "%s/missing.cbor", t_tmpdir());
	T_CHECK(rec_read(&r, path) < 0 && strstr(err_msg(), "cannot open"), "%s", err_msg());
	snprintf(path, sizeof(path), "%s/empty.cbor", t_tmpdir());
	t_write_file(path, "", 0);
	T_CHECK(rec_read(&r, path) < 0 && strstr(err_msg(), "empty.cbor: empty"), "%s",
		err_msg());
	free(good);
	t_cleanup();
	/* fstat failed: whatever *st holds is not what the file is. */
	struct stat st;
	memset(&st, 0, sizeof(st));
	st.st_mode = S_IFREG;
	T_CHECK(atomic_stat_problem(-EIO, &st, "x.cbor", "result") == -EIO &&
		strstr(err_msg(), "cannot read the status of x.cbor: Input/output error"),
		"an fstat that failed: %s", err_msg());
	st.st_mode = S_IFIFO;
	T_CHECK(atomic_stat_problem(0, &st, "x.cbor", "result") == -EINVAL &&
		strstr(err_msg(), "x.cbor is a FIFO, not a result file"), "a FIFO: %s", err_msg());
	st.st_mode = S_IFREG;
	T_CHECK(atomic_stat_problem(0, &st, "x.cbor", "result") == 0, "a regular file refused");
	return T_EXIT_PASS;
}
