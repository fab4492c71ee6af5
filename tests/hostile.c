/*
 * Description: not a test by itself: makes the hostile runs that
 * tests/hostile.sh feeds to every tool that reads result files.
 *
 *   hostile count                   the number of payloads
 *   hostile make SRC PARENT         for each payload I, PARENT/pI/run-<it>/:
 *                                   every result file of SRC (samples cut
 *                                   to 300 per series) with the payload in
 *                                   every string field the reader accepts,
 *                                   and one more file named <it>.cbor; and
 *                                   PARENT/qI/run-<it>/, the same with only
 *                                   single, scaling and rounds-sweep, for
 *                                   the comparisons (fewer charts to draw)
 *   hostile show markdown|svg I     how the hostname "host-<payload I>"
 *                                   must appear in a Markdown table, or in
 *                                   the text of an SVG chart
 *
 * Every payload would create a file named PWNED<n> in the working
 * directory of whatever ran it as code, in gnuplot, the shell or make.
 * None contains '/', so each also serves as a file and directory name.
 */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "escape.h"
#include "helpers.h"
#include "record.h"
#include "util.h"

static const char *const payloads[] = {
	"`touch PWNED0`",
	"$(touch PWNED1)",
	"x\"; system(\"touch PWNED2\"); y=\"",
	"it's'; system('touch PWNED3'); y='",
	"x\n!touch PWNED4\nsystem(\"touch PWNED5\")\n",
	"; touch PWNED6 ; $(shell touch PWNED7) @m",
	/* Split: "\x9b2J" would be one (too large) escape. */
	("a|b <img src=x onerror=alert(1)> &amp; *e* \x1b[31mred\x1b[0m\r\x1b]0;t\a\xc2\x9b" "2J"),
	"-x --compare \\ \\n",
};
#define NPAYLOADS (ARRAY_SIZE(payloads))

static char *joined(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 1;
	char *s = malloc(n);

	T_CHECK(s, "out of memory");
	snprintf(s, n, "%s%s", a, b);
	return s;
}

/* Every text value of m (and of the maps in it) becomes p. */
static void poison_map(struct rec_map *m, const char *p)
{
	for (size_t i = 0; i < m->n; i++) {
		struct rec_value *v = &m->kv[i].v;
		if (v->type == REC_TEXT) {
			free(v->text);
			v->text = joined("", p);
		} else if (v->type == REC_MAP) {
			poison_map(&v->map, p);
		}
	}
}

static void set_text(struct rec_map *m, const char *key, const char *prefix, const char *p)
{
	for (size_t i = 0; i < m->n; i++) {
		if (!strcmp(m->kv[i].key, key) && m->kv[i].v.type == REC_TEXT) {
			free(m->kv[i].v.text);
			m->kv[i].v.text = joined(prefix, p);
		}
	}
}

/* A series named p, of unit p, labelled p=p, after the file's first one;
 * and where strategies or vCPU levels are read from labels, one named p. */
static void add_series(struct record *r, const char *p)
{
	/* A copy: adding series moves them. */
	struct rec_series first = r->series[0];
	uint64_t *v = malloc((first.n ? first.n : 1) * sizeof(*v));

	T_CHECK(v, "out of memory");
	memcpy(v, first.samples, first.n * sizeof(*v));
	int s = rec_add_series(r, p, v, first.n, first.warmup);

	T_CHECK(s >= 0 && rec_series_unit(r, s, p) == 0 && rec_series_label(r, s, p, p) == 0,
		"%s", err_msg());
	if (strncmp(r->benchmark, "rounds", 6)) {
		free(v);
		return;
	}
	/* rounds-sweep's charts and rounds-all's strategies read "reset". */
	bool sweep = false;
	for (size_t i = 0; i < r->nseries; i++)
		sweep |= rec_map_text(&r->series[i].labels, "sweep") != NULL;
	/* rounds-all's vcpu-reset chart reads the level and what it leaks. */
	for (int k = 0; !sweep && k < 2; k++) {
		s = rec_add_series(r, k ? "vcpu-reset-run" : "vcpu-reset", v, first.n,
				   first.warmup);
		T_CHECK(s >= 0 && rec_series_label(r, s, "vcpu_reset", p) == 0 &&
			rec_series_label(r, s, "vcpu_leaks", p) == 0, "%s", err_msg());
	}
	for (int k = 0; k < (sweep ? 2 : 1); k++) {
		s = rec_add_series(r, "reset-run", v, first.n, first.warmup);
		T_CHECK(s >= 0 && rec_series_label(r, s, "reset", p) == 0, "%s", err_msg());
		if (sweep)
			T_CHECK(rec_series_label(r, s, "sweep", k ? "size" : "pages") == 0 &&
				rec_series_label(r, s, "dirty_pages", "1") == 0 &&
				rec_series_label(r, s, "memory_size", "1048576") == 0, "%s",
				err_msg());
	}
	free(v);
}

static void poison(struct record *r, const char *p)
{
	poison_map(&r->machine, p);
	set_text(&r->machine, "hostname", "host-", p);
	set_text(&r->machine, "kernel_release", "kernel-", p);
	/* The parameters a view chooses its runs by (report_find) keep their
	 * values: a run whose "reset" is a payload is no reset-all run and
	 * draws no chart, and the charts are what is under test. */
	static const char *const chosen_by[] = { "reset", "guest" };
	char *kept[2] = { 0 };
	for (size_t k = 0; k < 2; k++) {
		const char *v = rec_map_text(&r->parameters, chosen_by[k]);
		kept[k] = v ? strdup(v) : NULL;
	}
	poison_map(&r->parameters, p);
	for (size_t k = 0; k < 2; k++) {
		if (kept[k])
			T_CHECK(rec_param_text(r, chosen_by[k], kept[k]) == 0, "%s", err_msg());
		free(kept[k]);
	}
	T_CHECK(rec_param_text(r, p, p) == 0, "%s", err_msg());
	for (size_t i = 0; i < r->nseries; i++) {
		struct rec_series *s = &r->series[i];
		if (s->n > 300) {
			/* One run: the reference files are kvmbench/1. */
			s->n = s->runs[0] = 300;
			s->warmup = s->warmup < 30 ? s->warmup : 30;
		}
	}
	if (r->nseries)
		add_series(r, p);
	T_CHECK(rec_set_incomplete(r, p) == 0, "%s", err_msg());
}

static void make(const char *src, const char *parent)
{
	DIR *d = opendir(src);
	struct dirent *e;
	int n = 0;

	T_CHECK(d, "%s: %s", src, strerror(errno));
	T_CHECK(mkdir(parent, 0755) == 0 || errno == EEXIST, "mkdir %s", parent);
	for (size_t i = 0; i < 2 * NPAYLOADS; i++) {
		char dir[4096];
		snprintf(dir, sizeof(dir), "%s/%c%zu", parent, "pq"[i & 1], i / 2);
		T_CHECK(mkdir(dir, 0755) == 0, "mkdir %s: %s", dir, strerror(errno));
		snprintf(dir, sizeof(dir), "%s/%c%zu/run-%s", parent, "pq"[i & 1], i / 2,
			 payloads[i / 2]);
		T_CHECK(mkdir(dir, 0755) == 0, "mkdir: %s", strerror(errno));
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char path[4096];
		struct record r;
		if (len <= 5 || strcmp(e->d_name + len - 5, ".cbor"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", src, e->d_name);
		for (size_t i = 0; i < NPAYLOADS; i++) {
			const char *p = payloads[i];
			char out[8192];
			/* Read afresh: poison() changes the record for good. */
			T_CHECK(rec_read(&r, path) == 0, "%s", err_msg());
			poison(&r, p);
			bool small = !strcmp(e->d_name, "single.cbor") ||
				     !strcmp(e->d_name, "scaling.cbor") ||
				     !strcmp(e->d_name, "rounds-sweep.cbor");
			for (int q = 0; q < 1 + small; q++) {
				snprintf(out, sizeof(out), "%s/%c%zu/run-%s/%s", parent, "pq"[q], i,
					 p, e->d_name);
				T_CHECK(rec_write(&r, out) == 0, "%s", err_msg());
				if (strcmp(e->d_name, "single.cbor"))
					continue;
				snprintf(out, sizeof(out), "%s/%c%zu/run-%s/%s.cbor", parent, "pq"[q],
					 i, p, p);
				T_CHECK(rec_write(&r, out) == 0, "%s", err_msg());
			}
			rec_free(&r);
		}
		n++;
	}
	closedir(d);
	T_CHECK(n > 0, "no result files in %s", src);
}

/* gnuplot's SVG text: the literal's text, with & and < as entities. */
static void show_svg(const char *text)
{
	char lit[1024];

	esc_gnuplot(text, lit, sizeof(lit));
	lit[strlen(lit) - 1] = 0;
	for (const char *c = lit + 1; *c; c++) {
		if (*c == '\'' && c[1] == '\'')
			c++;
		if (*c == '&')
			fputs("&amp;", stdout);
		else if (*c == '<')
			fputs("&lt;", stdout);
		else
			putchar(*c);
	}
	putchar('\n');
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "count")) {
		printf("%zu\n", NPAYLOADS);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "make")) {
		make(argv[2], argv[3]);
		return 0;
	}
	T_CHECK(argc == 4 && !strcmp(argv[1], "show"),
		"usage: hostile count | make SRC PARENT | show markdown|svg I");
	size_t i = strtoul(argv[3], NULL, 10);
	T_CHECK(i < NPAYLOADS, "no payload %zu", i);
	char *host = joined("host-", payloads[i]), shown[1024];
	if (!strcmp(argv[2], "markdown"))
		puts(esc_markdown(host, shown, sizeof(shown)));
	else
		show_svg(host);
	free(host);
	return 0;
}
