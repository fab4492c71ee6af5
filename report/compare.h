/*
 * --compare's parts, one concern each: pair.c pairs series between runs,
 * noise.c reads and writes the noise file, verdict.c gives the verdicts
 * and their tallies, compare.c renders the comparison.
 */
#ifndef KVMBENCH_COMPARE_H
#define KVMBENCH_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"
#include "stats.h"

#define MAX_RUNS 8
#define MAX_SERIES_RUNS 64

/* ---- pair.c ---- */

/* How a series of A found its partner in another run. */
enum pairing {
	PAIR_NONE,
	PAIR_EXACT,	/* the same name and labels */
	PAIR_SHARED,	/* the only series of that name whose labels agree where
			 * both have them: labels added or dropped by another
			 * version of the suite */
	PAIR_AMBIGUOUS,	/* several such: none is taken */
	PAIR_NO_FILE,	/* the run has no result of that benchmark */
};

/* The series of rs that s (of file ra) is compared with, or NULL, and how
 * it was found (in: its file).  Two single results (two files, p1.cbor
 * against p16.cbor) are each other's whatever they are called. */
const struct rec_series *match(const struct results *rs, bool one_each,
			       const struct result *ra, const struct rec_series *s,
			       const struct result **in, enum pairing *how);
/* The other way round: does any series of A's runs pair with t of file rb? */
bool paired_back(const struct results *a, bool one_each, const struct result *rb,
		 const struct rec_series *t);

/* ---- noise.c: the noise file (--noise-out writes it, --noise reads it) ---- */

struct noise {
	char key[1024];		/* file<TAB>series<TAB>labels, as --noise-out wrote them */
	double spread;
};

struct noises {
	struct noise *v;
	size_t n;
};

/* A series' key in the file: file<TAB>series<TAB>labels, each name
 * terminal-escaped. */
void noise_key(char *buf, size_t size, const char *file, const struct rec_series *s);
/* Reads a noise file into ns: 0, or -1 and a message. */
int noise_read(const char *path, struct noises *ns);
/* The spread the file gives the series s of file, or 0. */
double noise_of(const struct noises *ns, const char *file, const struct rec_series *s);

/* ---- verdict.c ---- */

/* Tallies of one benchmark's (or every) verdict, and their log ratios. */
struct tally {
	size_t slower, faster, same, none;
	double log_sum;
	size_t ratios;
};

void tally_add(struct tally *t, const struct run_comparison *c);
/* "- what, B against A: geometric mean of the ratios ..." */
void tally_print(const char *what, char run, const struct tally *t);
/* The verdict with the false discovery rate over the whole comparison: a
 * difference stands only where its q is below 0.05 too. */
enum verdict final_verdict(const struct run_comparison *c, double q);
/* "B slower (+12.3%, noise ±4.1%)" and the like. */
void verdict_text(char *buf, size_t size, char run, const struct run_comparison *c, double q);
/* Run medians into med, and "5 (CV 4.1%)" or "1" into runs; how many. */
size_t medians(const struct rec_series *s, double *med, char *runs, size_t size);
/* One side measured under emulation and the other not: no verdict. */
bool apart(const struct result *a, const struct result *b);
/* A's series that are compared: timings, with runs. */
bool comparable(const struct rec_series *sa);

/* One cell: A's series sa against its partner in run o.  0 with *c, *rb,
 * *sb, *y and B's runs text; -1 where there is nothing to compare. */
struct cell {
	bool ok;			/* compared: the rest is set */
	bool apart;			/* one side emulated, the other not */
	const struct result *rb;
	const struct rec_series *sb;
	enum pairing how;
	struct run_comparison c;
	double q;			/* c.p over every series (NaN: no verdict) */
	struct summary y;
	char runs[64];
};

/* Run o's cells, one per comparable series of A in table order, each
 * compared once, and their q values: Benjamini-Hochberg over every series
 * compared (one side emulated, the other not: no verdict, left out). */
int cells_of(const struct results *rs, size_t o, const struct noises *ns, struct cell **out,
	     size_t *nout);

#endif
