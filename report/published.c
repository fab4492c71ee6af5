/*
 * kvmbench-published TEXT DIR: turns the seed's published figures, as
 * transcribed in results/seed-2021/published.txt, into result files of the
 * kvmbench/1 schema in DIR, one per experiment, so that charts and
 * comparisons read them like any run.  Every file says what it is:
 * parameters.published = true, and a machine that is "the seed's", with
 * nothing in it that the seed did not say.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "record.h"

#define MAX_FILES 16

struct file {
	char name[64];
	struct record rec;
};

static struct file files[MAX_FILES];
static int nfiles;

static struct record *file(const char *name)
{
	for (int i = 0; i < nfiles; i++)
		if (!strcmp(files[i].name, name))
			return &files[i].rec;
	if (nfiles == MAX_FILES)
		return NULL;
	struct file *f = &files[nfiles++];
	struct rec_map *m = &f->rec.machine;
	struct record *r = &f->rec;
	snprintf(f->name, sizeof(f->name), "%s", name);
	if (rec_init(r, name) || rec_param_bool(r, "published", true) ||
	    rec_param_text(r, "statistic", "mean, as published") ||
	    rec_param_text(r, "source", "the seed's README, as results/seed-2021/published.txt "
			   "transcribes it"))
		return NULL;
	/* What the seed says of its machine, and no more. */
	struct record tmp;
	if (rec_init(&tmp, "machine") ||
	    rec_param_text(&tmp, "hostname", "the seed's machine") ||
	    rec_param_text(&tmp, "kernel_release", "not published") ||
	    rec_param_text(&tmp, "cpu_model", "not published") ||
	    rec_param_text(&tmp, "kvm_module", "unknown") ||
	    rec_param_bool(&tmp, "nested", false) ||
	    rec_param_text(&tmp, "nested_reason", "bare metal, as the seed describes it") ||
	    rec_param_text(&tmp, "date", "2021") ||
	    rec_param_text(&tmp, "note", "published means, not raw samples"))
		return NULL;
	*m = tmp.parameters;
	tmp.parameters = (struct rec_map){ 0 };
	rec_free(&tmp);
	return r;
}

static int parse(FILE *in, const char *path)
{
	char line[4096];
	int lineno = 0;

	while (fgets(line, sizeof(line), in)) {
		char *save, *kind, *name, *key;
		struct record *r;
		lineno++;
		line[strcspn(line, "\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		kind = strtok_r(line, " ", &save);
		name = strtok_r(NULL, " ", &save);
		key = strtok_r(NULL, " ", &save);
		if (!kind || !name || !key || !(r = file(name)))
			goto bad;
		if (!strcmp(kind, "text")) {
			if (!save || !*save || rec_param_text(r, key, save))
				goto bad;
		} else if (!strcmp(kind, "param")) {
			char *v = strtok_r(NULL, " ", &save), *end;
			if (!v)
				goto bad;
			unsigned long long u = strtoull(v, &end, 10);
			if (*end ? rec_param_text(r, key, v) : rec_param_uint(r, key, u))
				goto bad;
		} else if (!strcmp(kind, "series")) {
			uint64_t v[64];
			size_t n = 0;
			char *tok, *labels[8];
			int nl = 0;
			while ((tok = strtok_r(NULL, " ", &save)) && strcmp(tok, ":"))
				if (nl < 8 && strchr(tok, '='))
					labels[nl++] = tok;
			while ((tok = strtok_r(NULL, " ", &save)) && n < 64) {
				char *end;
				v[n++] = strtoull(tok, &end, 10);
				if (*end)
					goto bad;
			}
			int s = n ? rec_add_series(r, key, v, n, 0) : -1;
			if (s < 0)
				goto bad;
			for (int i = 0; i < nl; i++) {
				char *eq = strchr(labels[i], '=');
				*eq = 0;
				if (rec_series_label(r, s, labels[i], eq + 1))
					goto bad;
			}
		} else {
			goto bad;
		}
	}
	return 0;
bad:
	fprintf(stderr, "kvmbench-published: %s:%d: not a line this tool understands\n",
		path, lineno);
	return 1;
}

int main(int argc, char **argv)
{
	int err = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: kvmbench-published results/seed-2021/published.txt DIR\n");
		return 2;
	}
	FILE *in = fopen(argv[1], "r");
	if (!in) {
		fprintf(stderr, "kvmbench-published: cannot open %s\n", argv[1]);
		return 1;
	}
	err = parse(in, argv[1]);
	fclose(in);
	for (int i = 0; i < nfiles && !err; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s.cbor", argv[2], files[i].name);
		if (rec_write(&files[i].rec, path)) {
			fprintf(stderr, "kvmbench-published: %s\n", err_msg());
			err = 1;
		}
	}
	for (int i = 0; i < nfiles; i++)
		rec_free(&files[i].rec);
	return err;
}
