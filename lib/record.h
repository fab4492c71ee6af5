/*
 * Result files: one CBOR map per benchmark run, as results/SCHEMA.cddl
 * describes.  Written atomically (a file in the same directory, fsync,
 * rename), so a reader never sees half a file under the final name.
 * Read back with full validation: anything that is not a complete
 * kvmbench/2 (or kvmbench/1) result is refused with a message saying what
 * is wrong.  kvmbench/2 adds runs: a result may hold several independent
 * runs of one benchmark, each series their samples in run order.
 */
#ifndef KVMBENCH_RECORD_H
#define KVMBENCH_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define REC_SCHEMA "kvmbench/2"
/* The first version, still read: one run per result. */
#define REC_SCHEMA_1 "kvmbench/1"

enum rec_type { REC_UINT, REC_TEXT, REC_BOOL, REC_MAP };

struct rec_map {
	struct rec_kv *kv;
	size_t n;
};

/* A value in parameters, machine or labels: uint, text, bool, or a map of
 * those (one level deep). */
struct rec_value {
	enum rec_type type;
	uint64_t u;
	bool b;
	char *text;
	struct rec_map map;
};

struct rec_kv {
	char *key;
	struct rec_value v;
};

struct rec_series {
	char *name;
	char *unit;
	uint64_t *samples;	/* every sample, in the order taken, run after run */
	size_t n;
	size_t *runs;		/* samples of each run, in order; they add up to n */
	size_t nruns;		/* at least 1 */
	size_t warmup;		/* leading samples of each run that summaries leave out */
	struct rec_map labels;	/* what distinguishes this series (memory kind, ...) */
};

struct record {
	char *benchmark;
	bool complete;
	char *error;		/* why a run is incomplete; NULL otherwise */
	struct rec_map parameters;
	struct rec_map machine;
	struct rec_series *series;
	size_t nseries;
};

int rec_init(struct record *r, const char *benchmark);
/* Maps (parameters, machine, labels): each puts key => value, replacing
 * what key held (a map's keys are unique); rec_map_put takes over *v's
 * contents, freed on error too. */
int rec_map_put(struct rec_map *m, const char *key, struct rec_value *v);
int rec_map_put_uint(struct rec_map *m, const char *key, uint64_t u);
int rec_map_put_bool(struct rec_map *m, const char *key, bool b);
int rec_map_put_text(struct rec_map *m, const char *key, const char *text);
void rec_map_free(struct rec_map *m);
void rec_value_free(struct rec_value *v);
void rec_free(struct record *r);

/* Sets parameter key to v, replacing a value it had. */
int rec_param_uint(struct record *r, const char *key, uint64_t v);
int rec_param_text(struct record *r, const char *key, const char *v);
int rec_param_bool(struct record *r, const char *key, bool v);
/* One more fact in the machine map (a probe's outcome, say). */
int rec_machine_text(struct record *r, const char *key, const char *v);

/* Copies samples, as one run; returns the new series' index or -errno. */
int rec_add_series(struct record *r, const char *name, const uint64_t *samples,
		   size_t n, size_t warmup);
/* Sets the unit of a series ("ns" unless set: "count", "bytes"). */
int rec_series_unit(struct record *r, int series, const char *unit);
int rec_series_label(struct record *r, int series, const char *key, const char *value);

/* Marks the run incomplete, keeping the first reason given. */
int rec_set_incomplete(struct record *r, const char *why);

/* How many runs r holds: the most any series has (1 with no series). */
size_t rec_nruns(const struct record *r);

/*
 * Appends the runs of more, a result of the same benchmark, to r as its
 * next runs, in order: each series' runs go after r's series of the same
 * name and labels (a series new to r is added, with no samples in the runs
 * before).  r keeps its parameters and machine; it is incomplete if more
 * is, with more's reason.  r must have runs runs so far.
 */
int rec_append_runs(struct record *r, const struct record *more, size_t runs);

/* Run k's samples after its warm-up: *v points into s->samples. */
size_t rec_run_kept(const struct rec_series *s, size_t k, const uint64_t **v);
/* Every sample after the warm-up of its run, run after run, into out (room
 * for s->n); returns how many. */
size_t rec_kept(const struct rec_series *s, uint64_t *out);

/* The result as CBOR bytes, in *buf (malloc'd). */
int rec_encode(const struct record *r, unsigned char **buf, size_t *len);
/* Writes the result to path whole or not at all (atomic.h; before a run,
 * atomic_prepare() checks that it can). */
int rec_write(const struct record *r, const char *path);
/* Reads a result file; refuses, with a message, anything that is not a
 * regular file (a FIFO is not waited on) and every malformed result. */
int rec_read(struct record *r, const char *path);
/* Decodes a result from memory (rec_read's work, for tests and fuzzing). */
int rec_decode(struct record *r, const unsigned char *data, size_t size);

/* Lookups in a parameters or machine map: -ENOENT if absent, -EINVAL if of
 * another type. */
const struct rec_value *rec_map_get(const struct rec_map *m, const char *key);
int rec_map_uint(const struct rec_map *m, const char *key, uint64_t *v);
/* The text value of key, or NULL if absent or not text. */
const char *rec_map_text(const struct rec_map *m, const char *key);

#endif
