/* Description: a result file written and read back gives the same
 * benchmark, completeness, parameters, machine and every sample in order;
 * runs appended to a result keep their samples, counts and warm-up apart;
 * writing leaves no temporary file; an incomplete run keeps its reason;
 * rewriting replaces the file whole. */
#include <dirent.h>
#include <string.h>

#include "err.h"
#include "helpers.h"
#include "record.h"
#include "sysinfo.h"

static struct record make(size_t n, uint64_t seed)
{
	struct record r;
	struct machine m;
	uint64_t *v = malloc(n * sizeof(*v));

	T_CHECK(v, "out of memory");
	for (size_t i = 0; i < n; i++)	/* every CBOR integer width */
		v[i] = (seed + i) * (i % 5 == 4 ? 0x100000001ull : i % 5 == 3 ? 70000 :
				      i % 5 == 2 ? 300 : i % 5 == 1 ? 24 : 1);
	machine_probe(&m);
	T_CHECK(rec_init(&r, "single") == 0, "%s", err_msg());
	T_CHECK(machine_record(&r, &m) == 0, "%s", err_msg());
	T_CHECK(rec_param_uint(&r, "rounds", 5) == 0 && rec_param_text(&r, "memory", "shared") == 0 &&
		rec_param_bool(&r, "quick", true) == 0, "%s", err_msg());
	int s = rec_add_series(&r, "create-run-close", v, n, 3);
	T_CHECK(s == 0, "%s", err_msg());
	T_CHECK(rec_series_label(&r, s, "memory", "shared") == 0, "%s", err_msg());
	T_CHECK(rec_add_series(&r, "empty", v, 0, 0) == 1, "%s", err_msg());
	free(v);
	return r;
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	T_CHECK(d, "opendir %s", dir);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void same(const struct record *a, const struct record *b)
{
	uint64_t u;

	T_CHECK(!strcmp(a->benchmark, b->benchmark), "benchmark %s", b->benchmark);
	T_CHECK(a->complete == b->complete, "complete");
	T_CHECK(rec_map_uint(&b->parameters, "rounds", &u) == 0 && u == 5, "rounds");
	T_CHECK(rec_map_text(&b->parameters, "memory") &&
		!strcmp(rec_map_text(&b->parameters, "memory"), "shared"), "memory");
	const struct rec_value *q = rec_map_get(&b->parameters, "quick");
	T_CHECK(q && q->type == REC_BOOL && q->b, "quick");
	T_CHECK(b->parameters.n == 3, "%zu parameters", b->parameters.n);
	T_CHECK(b->machine.n == a->machine.n, "machine has %zu keys, not %zu",
		b->machine.n, a->machine.n);
	for (size_t i = 0; i < a->machine.n; i++)
		T_CHECK(!strcmp(a->machine.kv[i].key, b->machine.kv[i].key), "machine key %zu", i);
	T_CHECK(!strcmp(rec_map_text(&b->machine, "kernel_release"),
			rec_map_text(&a->machine, "kernel_release")), "kernel_release");
	const struct rec_value *p = rec_map_get(&b->machine, "kvm_parameters");
	T_CHECK(p && p->type == REC_MAP, "kvm_parameters is a map");
	T_CHECK(b->nseries == 2, "%zu series", b->nseries);
	for (size_t k = 0; k < 2; k++) {
		const struct rec_series *x = &a->series[k], *y = &b->series[k];
		T_CHECK(!strcmp(x->name, y->name) && !strcmp(y->unit, "ns"), "series %zu", k);
		T_CHECK(x->n == y->n && x->warmup == y->warmup, "series %zu: %zu samples",
			k, y->n);
		for (size_t i = 0; i < x->n; i++)
			T_CHECK(x->samples[i] == y->samples[i], "sample %zu differs", i);
	}
	T_CHECK(!strcmp(rec_map_text(&b->series[0].labels, "memory"), "shared"), "label");
}

int main(void)
{
	char path[512];
	struct record a = make(1000, 1), b;

	snprintf(path, sizeof(path), "%s/r.cbor", t_tmpdir());
	T_CHECK(rec_write(&a, path) == 0, "%s", err_msg());
	T_CHECK(count_entries(t_tmpdir()) == 1, "a temporary file was left behind");
	T_CHECK(rec_read(&b, path) == 0, "%s", err_msg());
	same(&a, &b);
	T_CHECK(b.error == NULL, "a complete run has no error");
	rec_free(&b);

	/* Incomplete: the reason survives; the first reason given wins. */
	T_CHECK(rec_set_incomplete(&a, "KVM_CREATE_VM: Too many open files") == 0, "incomplete");
	T_CHECK(rec_set_incomplete(&a, "later") == 0, "incomplete again");
	T_CHECK(rec_write(&a, path) == 0, "%s", err_msg());
	T_CHECK(rec_read(&b, path) == 0, "%s", err_msg());
	T_CHECK(!b.complete && b.error && !strcmp(b.error, "KVM_CREATE_VM: Too many open files"),
		"error '%s'", b.error ? b.error : "(none)");
	rec_free(&b);
	rec_free(&a);

	/* Rewriting with fewer samples replaces the file whole. */
	a = make(10, 7);
	T_CHECK(rec_write(&a, path) == 0, "%s", err_msg());
	T_CHECK(rec_read(&b, path) == 0, "%s", err_msg());
	same(&a, &b);
	rec_free(&a);
	rec_free(&b);
	T_CHECK(count_entries(t_tmpdir()) == 1, "a temporary file was left behind");

	/* Runs: a second and a third run appended; a series only the third has
	 * is empty before it; every run reads back with its own warm-up left
	 * out, and a kvmbench/1 reader's view, one run, is what one run gives. */
	a = make(10, 1);
	struct record run2 = make(6, 100), run3 = make(4, 200);
	T_CHECK(rec_add_series(&run3, "new", run3.series[0].samples, 4, 1) == 2, "%s",
		err_msg());
	T_CHECK(rec_set_incomplete(&run3, "interrupted by Interrupt") == 0, "incomplete");
	T_CHECK(rec_append_runs(&a, &run2, 1) == 0 && rec_append_runs(&a, &run3, 2) == 0, "%s",
		err_msg());
	T_CHECK(rec_write(&a, path) == 0 && rec_read(&b, path) == 0, "%s", err_msg());
	T_CHECK(!b.complete && !strcmp(b.error, "interrupted by Interrupt"), "run 3's state");
	const struct rec_series *s0 = &b.series[0], *s2 = &b.series[2];
	T_CHECK(b.nseries == 3 && s0->nruns == 3 && s0->n == 20 && s0->runs[0] == 10 &&
		s0->runs[1] == 6 && s0->runs[2] == 4, "runs of series 0: %zu", s0->nruns);
	T_CHECK(s2->nruns == 3 && s2->runs[0] == 0 && s2->runs[1] == 0 && s2->runs[2] == 4,
		"a series new in run 3");
	const uint64_t *v;
	T_CHECK(rec_run_kept(s0, 1, &v) == 3 && v[0] == run2.series[0].samples[3],
		"run 2 after its 3 warm-up samples");
	uint64_t kept[20];
	T_CHECK(rec_kept(s0, kept) == 7 + 3 + 1 && kept[7] == v[0], "kept samples");
	T_CHECK(s0->samples[10] == run2.series[0].samples[0] &&
		s0->samples[16] == run3.series[0].samples[0], "samples in run order");
	rec_free(&a);
	rec_free(&b);
	rec_free(&run2);
	rec_free(&run3);

	/* Several runs at once (--append of a --runs file): each keeps its own
	 * bounds; a series they lack gets an empty run for each of them. */
	a = make(10, 1);
	T_CHECK(rec_add_series(&a, "only-a", a.series[0].samples, 2, 0) == 2, "%s", err_msg());
	struct record two = make(5, 300), second = make(3, 400);
	T_CHECK(rec_append_runs(&two, &second, 1) == 0 && rec_nruns(&two) == 2, "%s", err_msg());
	T_CHECK(rec_append_runs(&a, &two, 1) == 0, "%s", err_msg());
	T_CHECK(rec_nruns(&a) == 3 && a.series[0].runs[1] == 5 && a.series[0].runs[2] == 3 &&
		a.series[0].samples[15] == second.series[0].samples[0], "two runs appended");
	T_CHECK(a.series[2].nruns == 3 && a.series[2].runs[1] == 0 && a.series[2].runs[2] == 0,
		"a series the appended runs lack: %zu runs", a.series[2].nruns);
	rec_free(&a);
	rec_free(&two);
	rec_free(&second);

	/* A directory that does not exist: refused, nothing created. */
	snprintf(path, sizeof(path), "%s/missing/r.cbor", t_tmpdir());
	a = make(3, 1);
	T_CHECK(rec_write(&a, path) < 0, "writing into a missing directory succeeded");
	T_CHECK(strstr(err_msg(), "missing"), "message '%s' does not name the directory",
		err_msg());
	rec_free(&a);
	t_cleanup();
	return T_EXIT_PASS;
}
