#define _GNU_SOURCE	/* O_TMPFILE */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cbor.h>

#include "err.h"
#include "escape.h"
#include "record.h"

/* Larger files are refused rather than read: a real run is a few MB. */
#define REC_MAX_FILE (256u << 20)
/* kvmbench/2 nests three deep (top map, series array, series map, samples);
 * anything much deeper is not ours, and is refused before libcbor recurses. */
#define REC_MAX_DEPTH 8

/* ---- building ---- */

int rec_init(struct record *r, const char *benchmark)
{
	memset(r, 0, sizeof(*r));
	r->complete = true;
	r->benchmark = strdup(benchmark);
	return r->benchmark ? 0 : err_set(-ENOMEM, "out of memory");
}

static void value_free(struct rec_value *v);

static void map_free(struct rec_map *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->kv[i].key);
		value_free(&m->kv[i].v);
	}
	free(m->kv);
	m->kv = NULL;
	m->n = 0;
}

static void value_free(struct rec_value *v)
{
	free(v->text);
	v->text = NULL;
	map_free(&v->map);
}

void rec_free(struct record *r)
{
	free(r->benchmark);
	free(r->error);
	map_free(&r->parameters);
	map_free(&r->machine);
	for (size_t i = 0; i < r->nseries; i++) {
		free(r->series[i].name);
		free(r->series[i].unit);
		free(r->series[i].samples);
		free(r->series[i].runs);
		map_free(&r->series[i].labels);
	}
	free(r->series);
	memset(r, 0, sizeof(*r));
}

/* Appends key => *v to m, taking ownership of v's contents. */
/* Puts v at key, replacing what key held: a map's keys are unique. */
static int map_put(struct rec_map *m, const char *key, struct rec_value *v)
{
	for (size_t i = 0; i < m->n; i++) {
		if (!strcmp(m->kv[i].key, key)) {
			value_free(&m->kv[i].v);
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
		value_free(v);
		return err_set(-ENOMEM, "out of memory");
	}
	m->kv[m->n].key = k;
	m->kv[m->n].v = *v;
	m->n++;
	return 0;
}

static int map_put_uint(struct rec_map *m, const char *key, uint64_t u)
{
	struct rec_value v = { .type = REC_UINT, .u = u };

	return map_put(m, key, &v);
}

static int map_put_bool(struct rec_map *m, const char *key, bool b)
{
	struct rec_value v = { .type = REC_BOOL, .b = b };

	return map_put(m, key, &v);
}

static int map_put_text(struct rec_map *m, const char *key, const char *text)
{
	struct rec_value v = { .type = REC_TEXT, .text = strdup(text) };

	if (!v.text)
		return err_set(-ENOMEM, "out of memory");
	return map_put(m, key, &v);
}

int rec_param_uint(struct record *r, const char *key, uint64_t v)
{
	return map_put_uint(&r->parameters, key, v);
}

int rec_param_text(struct record *r, const char *key, const char *v)
{
	return map_put_text(&r->parameters, key, v);
}

int rec_param_bool(struct record *r, const char *key, bool v)
{
	return map_put_bool(&r->parameters, key, v);
}

int rec_set_machine(struct record *r, const struct machine *m)
{
	struct rec_map *x = &r->machine;
	struct rec_value params = { .type = REC_MAP };
	int err = 0;

	for (size_t i = 0; i < m->nparams && !err; i++)
		err = map_put_text(&params.map, m->params[i].name, m->params[i].value);
	if (err) {
		value_free(&params);
		return err;
	}
	map_free(x);
	err = map_put_text(x, "hostname", m->hostname) ?:
	      map_put_text(x, "kernel_release", m->kernel_release) ?:
	      map_put_text(x, "kernel_version", m->kernel_version) ?:
	      map_put_text(x, "arch", m->arch) ?:
	      map_put_text(x, "cpu_model", m->cpu_model) ?:
	      map_put_uint(x, "cpus", m->cpus) ?:
	      map_put_uint(x, "memory_bytes", m->memory_bytes) ?:
	      map_put_text(x, "kvm_module", m->kvm_module) ?:
	      map_put_bool(x, "nested", m->nested) ?:
	      map_put_text(x, "nested_reason", m->nested_reason) ?:
	      map_put_text(x, "hypervisor", m->hypervisor) ?:
	      map_put_text(x, "emulator", m->emulator) ?:
	      map_put(x, "kvm_parameters", &params) ?:
	      map_put_text(x, "clocksource", m->clocksource) ?:
	      map_put_text(x, "kernel_cmdline", m->kernel_cmdline) ?:
	      map_put_text(x, "kernel_source", m->kernel_source) ?:
	      map_put_text(x, "kernel_config", m->kernel_config) ?:
	      map_put_text(x, "host_kernel", m->host_kernel) ?:
	      map_put_text(x, "host_kvm_module", m->host_kvm_module) ?:
	      map_put_text(x, "host_nested", m->host_nested) ?:
	      map_put_text(x, "microcode", m->microcode) ?:
	      map_put_text(x, "cpufreq_driver", m->cpufreq_driver) ?:
	      map_put_text(x, "cpufreq_governor", m->cpufreq_governor) ?:
	      map_put_text(x, "cpu_boost", m->cpu_boost) ?:
	      map_put_text(x, "smt", m->smt) ?:
	      map_put_text(x, "thp", m->thp) ?:
	      map_put_text(x, "mitigations", m->mitigations) ?:
	      map_put_text(x, "vulnerabilities", m->vulnerabilities) ?:
	      map_put_text(x, "numa_nodes", m->numa_nodes) ?:
	      map_put_text(x, "isolation", m->isolation) ?:
	      map_put_text(x, "cgroup", m->cgroup) ?:
	      map_put_text(x, "cpu_affinity", m->cpu_affinity) ?:
	      map_put_text(x, "load_start", m->load) ?:
	      map_put_text(x, "runnable_start", m->runnable) ?:
	      map_put_uint(x, "nofile_soft", m->nofile_soft) ?:
	      map_put_uint(x, "nofile_hard", m->nofile_hard) ?:
	      map_put_uint(x, "max_map_count", m->max_map_count) ?:
	      map_put_text(x, "kvmbench_version", m->version) ?:
	      map_put_text(x, "kvmbench_revision", m->revision) ?:
	      map_put_text(x, "compiler", m->compiler) ?:
	      map_put_text(x, "build_type", m->build_type) ?:
	      map_put_text(x, "sanitize", m->sanitize) ?:
	      map_put_text(x, "date", m->date);
	return err;
}

int rec_machine_text(struct record *r, const char *key, const char *v)
{
	return map_put_text(&r->machine, key, v);
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
	return map_put_text(&r->series[series].labels, key, value);
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

/* ---- encoding ---- */

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

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The directory of path, into buf. */
static char *dir_of(const char *path, char *buf, size_t size)
{
	char copy[4096];

	snprintf(copy, sizeof(copy), "%s", path);
	snprintf(buf, size, "%s", dirname(copy));
	return buf;
}

/* A temporary name beside path, "<path>.tmp.<pid>.<6 hex digits>": the pid
 * tells one left by a killed run from one being written. */
static int tmp_name(char *buf, size_t size, const char *path)
{
	static _Atomic unsigned counter;
	unsigned r = (unsigned)clock() ^ (unsigned)getpid() * 2654435761u ^ ++counter * 40503u;

	if (snprintf(buf, size, "%s.tmp.%d.%06x", path, (int)getpid(), r & 0xffffff) >= (int)size)
		return err_set(-ENAMETOOLONG, "result path too long: %s", ESC_SHOWN(path));
	return 0;
}

/* A new file under a temporary name beside path, for writing. */
static int create_tmp(const char *path, char *tmp, size_t size)
{
	for (int tries = 0; tries < 100; tries++) {
		int err = tmp_name(tmp, size, path);
		if (err)
			return err;
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0 || errno != EEXIST)
			return fd >= 0 ? fd : -errno;
	}
	return -EEXIST;
}

/* What a failure to create a file in dir means, with the fix. */
static int dir_problem(int err, const char *dir, const char *path)
{
	if (err == -ENAMETOOLONG)
		return err_set(err, "cannot write the result %s: its name is too long once "
			       "kvmbench's temporary suffix (.tmp.<pid>.<6 digits>) is added; "
			       "choose a shorter one", ESC_SHOWN(path));
	return err_errno(err, "cannot create a file in %s for the result (choose another "
			 "--output or --results-dir)", ESC_SHOWN(dir));
}

/* A new file in dir, for what goes to path: without a name (O_TMPFILE), so
 * that a kill while it is written leaves nothing behind; where the file
 * system cannot, under a temporary name beside path (*named, in tmp). */
static int open_new(const char *dir, const char *path, char *tmp, size_t size, bool *named)
{
	int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);

	*named = fd < 0;
	return fd >= 0 ? fd : create_tmp(path, tmp, size);
}

/* Names the file open_new() gave for path, once it is written and synced:
 * renames it to target (path itself, or the probe's name), an unnamed one
 * linked under a temporary name beside path just before.  Closes fd; on
 * error nothing of it stays. */
static int publish(int fd, bool named, char *tmp, size_t size, const char *path,
		   const char *target)
{
	char proc[64];
	int err = 0;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	for (int tries = 0; !named && !err && tries < 100; tries++) {
		err = tmp_name(tmp, size, path);
		if (!err && linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0)
			named = true;
		else if (!err && errno != EEXIST)
			err = -errno;
	}
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, target) < 0)
		err = -errno;
	if (err && named)
		unlink(tmp);
	return err;
}

int rec_prepare(const char *path, char *resolved, size_t size, int *removed)
{
	char dir[4096], tmp[4096], probe[4096];
	struct stat st;
	bool named;
	int err, fd;

	*removed = 0;
	if (snprintf(resolved, size, "%s", path) >= (int)size)
		return err_set(-ENAMETOOLONG, "result path too long: %s", ESC_SHOWN(path));
	if (lstat(path, &st) == 0) {
		bool link = S_ISLNK(st.st_mode);
		char real[PATH_MAX];
		if (link && stat(path, &st) < 0)
			return err_errno(-errno, "%s is a symbolic link to no file: remove it or "
					 "choose another --output", ESC_SHOWN(path));
		if (!S_ISREG(st.st_mode))
			return err_set(-EINVAL, "%s is %s%s, not a regular file: a result is "
				       "written by renaming a new file over its path, which would "
				       "replace it; choose a file name", ESC_SHOWN(path),
				       link ? "a symbolic link to " : "", rec_file_kind(st.st_mode));
		/* Followed: the result replaces the file the link names. */
		if (link && (!realpath(path, real) ||
			     snprintf(resolved, size, "%s", real) >= (int)size))
			return err_errno(-errno, "cannot resolve %s", ESC_SHOWN(path));
	} else if (errno != ENOENT) {
		return err_errno(-errno, "cannot write the result %s", ESC_SHOWN(path));
	}

	dir_of(resolved, dir, sizeof(dir));
	const char *base = strrchr(resolved, '/') ? strrchr(resolved, '/') + 1 : resolved;
	size_t blen = strlen(base);
	DIR *d = opendir(dir);
	struct dirent *e;
	/* Temporary files of this result left by runs that were killed. */
	while (d && (e = readdir(d))) {
		int pid, end = 0;
		unsigned suffix;
		if (strncmp(e->d_name, base, blen) || strncmp(e->d_name + blen, ".tmp.", 5) ||
		    sscanf(e->d_name + blen + 5, "%d.%6x%n", &pid, &suffix, &end) != 2 ||
		    e->d_name[blen + 5 + end] || pid <= 0 || pid == getpid() ||
		    kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		*removed += unlinkat(dirfd(d), e->d_name, 0) == 0;
	}
	if (d)
		closedir(d);

	/* What the final write does, to a name of its own that is removed
	 * again: a problem of the path shows now, not after the run. */
	err = tmp_name(probe, sizeof(probe), resolved);
	fd = err ? err : open_new(dir, resolved, tmp, sizeof(tmp), &named);
	if (fd < 0)
		return dir_problem(fd, dir, path);
	err = write(fd, "", 1) == 1 && fsync(fd) == 0 ? 0 : -errno;
	if (err)
		close(fd);
	if (err || (err = publish(fd, named, tmp, sizeof(tmp), resolved, probe)) != 0) {
		if (named)
			unlink(tmp);
		if (err == -ENAMETOOLONG)
			return dir_problem(err, dir, path);
		return err_errno(err, "cannot write the result in %s: a test file could not be "
				 "written and renamed there (choose another --output or "
				 "--results-dir)", ESC_SHOWN(dir));
	}
	unlink(probe);
	return 0;
}

int rec_write(const struct record *r, const char *path)
{
	cbor_item_t *root = build_record(r);
	unsigned char *buf = NULL;
	size_t cap = 0, len;
	char tmp[4096], dir[4096];
	bool named;
	int fd, err;

	if (!root)
		return err_set(-ENOMEM, "out of memory while encoding the result");
	len = cbor_serialize_alloc(root, &buf, &cap);
	cbor_decref(&root);
	if (!len) {
		free(buf);
		return err_set(-ENOMEM, "out of memory while encoding the result");
	}
	dir_of(path, dir, sizeof(dir));
	fd = open_new(dir, path, tmp, sizeof(tmp), &named);
	if (fd < 0) {
		free(buf);
		return dir_problem(fd, dir, path);
	}
	err = write_all(fd, buf, len);
	free(buf);
	if (!err && fchmod(fd, 0644) < 0)
		err = -errno;
	if (!err && fsync(fd) < 0)
		err = -errno;
	if (err) {
		close(fd);
		if (named)
			unlink(tmp);
	} else {
		err = publish(fd, named, tmp, sizeof(tmp), path, path);
	}
	if (err)
		return err_errno(err, "cannot write %s", ESC_SHOWN(path));
	/* Make the rename itself durable. */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
}

/* ---- decoding ---- */

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
			err = map_put(m, key, &v);
		else
			value_free(&v);
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

const char *rec_file_kind(mode_t mode)
{
	return S_ISREG(mode) ? "a regular file" : S_ISDIR(mode) ? "a directory" :
	       S_ISFIFO(mode) ? "a FIFO" : S_ISSOCK(mode) ? "a socket" :
	       S_ISCHR(mode) ? "a character device" : S_ISBLK(mode) ? "a block device" :
	       S_ISLNK(mode) ? "a symbolic link" : "a special file";
}

int rec_read(struct record *r, const char *path)
{
	/* O_NONBLOCK: a FIFO under a result's name must not block the open. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	char shown[512];
	struct stat st;
	unsigned char *buf;
	size_t got = 0;
	int err;

	memset(r, 0, sizeof(*r));
	esc_terminal(path, shown, sizeof(shown));
	if (fd < 0)
		return err_errno(-errno, "cannot open %s", shown);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(-EINVAL, "%s is %s, not a result file", shown,
			       rec_file_kind(st.st_mode));
	}
	if (st.st_size > REC_MAX_FILE) {
		close(fd);
		return err_set(-EFBIG, "%s is %lld bytes, more than any kvmbench result (%u)",
			       shown, (long long)st.st_size, REC_MAX_FILE);
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		close(fd);
		return err_set(-ENOMEM, "out of memory reading %s", shown);
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? err_errno(-errno, "cannot read %s", shown)
				    : err_set(-EIO, "%s shrank while being read", shown);
			free(buf);
			close(fd);
			return err;
		}
		got += (size_t)n;
	}
	close(fd);
	err = rec_decode(r, buf, got);
	free(buf);
	return err ? err_prefix(err, "%s", shown) : 0;
}
