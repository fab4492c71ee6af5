/*
 * kvmbench-report, in parts: load.c reads and validates result files,
 * table.c tables them in Markdown, data.c writes plain data files for
 * gnuplot (every series, and charts.c a view per chart), compare.c
 * compares two runs.  main.c is the command line.
 *
 * Result files may come from anyone: every string in them, and every file
 * or directory name, is untrusted.  Tables show it through esc_markdown()
 * (MD), messages through esc_terminal() (ESC_SHOWN); data files carry only
 * numbers and names reduced by esc_filename(); the only text that reaches
 * gnuplot is in generated .gp files, as literals made by esc_gnuplot().
 * Nothing from a file is ever part of a command.
 */
#ifndef KVMBENCH_REPORT_H
#define KVMBENCH_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "escape.h"
#include "record.h"
#include "stats.h"

#define REPORT_EXIT_USAGE 2

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

extern const char *const report_prog;
/* "kvmbench-report: ..." on stderr; returns 1. */
int report_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* load.c: a result file, or every *.cbor of a directory, appended to rs. */
int report_load(struct results *rs, const char *path);
void report_free(struct results *rs);
/* The result whose file is called file (without .cbor), or NULL. */
const struct result *report_file(const struct results *rs, const char *file);
/* A parameter a view wants of a run: key = text, or (text NULL) key = u,
 * a bool as 0 or 1.  or_missing: a run without the key (a file of an
 * older version, the seed's published figures) has it at its default. */
struct want {
	const char *key;
	const char *text;
	uint64_t u;
	bool or_missing;
};
/* The run of benchmark whose parameters are as w wants (a list ended by a
 * NULL key): by what it records, not by its file's name.  Of several, the
 * one that states the most of them (a newer file over an older that only
 * lacks them), then the first in file order; NULL: none. */
const struct result *report_find(const struct results *rs, const char *benchmark,
				 const struct want *w);
/* The first series called name (with label key = value, key NULL: any). */
const struct rec_series *report_series(const struct record *rec, const char *name,
				       const char *key, const char *value);
/* Samples after the warm-up of their run, in every run. */
size_t report_n(const struct rec_series *s);
/* Those samples, contiguous: s's own when it has one run, else a copy in
 * *own (free it; NULL otherwise).  NULL on no memory, with a message. */
const uint64_t *report_kept(const struct rec_series *s, size_t *n, uint64_t **own);
/* stats_summarize() and stats_mean() of those samples. */
int report_summary(const struct rec_series *s, struct summary *sum);
double report_mean(const struct rec_series *s);
/* The median of each run's samples after warm-up, in run order, for the
 * runs that have any; returns how many (room for s->nruns in med). */
size_t report_run_medians(const struct rec_series *s, double *med);
/* Readings taken at steps, run by run: reading i is the median over the
 * runs that have it; the count is the most any run has.  -1: none. */
size_t report_readings(const struct rec_series *s);
double report_reading(const struct rec_series *s, size_t i);

/* table.c: how values and names are shown. */
double report_scale(const char *unit);		/* ns as us, bytes as KiB */
const char *report_unit(const char *unit);	/* "us", "KiB", ... */
void report_labels(const struct rec_series *s, char *buf, size_t size);	/* "k=v k=v" */
void report_machine(const struct result *r, char *buf, size_t size);	/* host, kernel, kvm */
/* The emulator the run's CPU was ("QEMU TCG"), NULL for real hardware: its
 * timings are the emulator's, and no verdict sets them against hardware. */
const char *report_emulator(const struct result *r);
/* A Markdown cell of text that came with a file. */
#define MD(text) esc_markdown((text), (char[1024]){ 0 }, 1024)
void report_table(const struct results *rs);

/* data.c: the data files of --data (the charts' own: charts_write()). */
int report_data(const char *dir, const struct results *rs, char *const *paths, int npaths);
/* DIR/<file>--<what>: a name reduced by esc_filename(), its extension (the
 * last dot of what) kept; data_name() gives the name alone. */
FILE *data_open(const char *dir, const char *file, const char *what);
void data_name(const char *file, const char *what, char *name, size_t size);
/* <series>[--<labels>]<ext>: a series' part of its files' names. */
char *data_series(const struct rec_series *s, const char *ext, char *buf, size_t size);
int data_close(FILE *out, const char *what);
/* gnuplot code: name = 'text' (esc_gnuplot), name = number, and an array
 * of literals (n >= 1). */
void gp_text(FILE *out, const char *name, const char *text);
void gp_number(FILE *out, const char *name, double v);
void gp_array(FILE *out, const char *name, const char *const *text, size_t n);

/* charts.c: a view per chart; writes "charts", the charts it can draw. */
int charts_write(const char *dir, const struct results *rs);

/* compare.c: every run against the first (2 to 8 runs); noise: a file
 * written by report_noise(), or NULL. */
int report_compare(char *const *paths, size_t npaths, const char *noise);
/* noise.c: the between-run spread of every series over the runs of paths,
 * and what K runs can detect with it; saved to out (may be NULL) as the
 * noise file --compare --noise reads. */
int report_noise(char *const *paths, size_t npaths, const char *out);
/* gather.c: result directories of several machines, grouped by CPU model:
 * per series the median over machines, the spread between machines of a
 * model against the spread within one, and where they disagree beyond it. */
int report_gather(char *const *paths, size_t npaths);

#endif
