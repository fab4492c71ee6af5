/*
 * Which series of another run a series of run A is compared with: the
 * same name and labels, or else the only one of that name whose labels
 * agree where both have them (compare.h).
 */
#include <string.h>

#include "compare.h"

static bool same_labels(const struct rec_series *a, const struct rec_series *b)
{
	if (a->labels.n != b->labels.n)
		return false;
	for (size_t i = 0; i < a->labels.n; i++) {
		const char *v = rec_map_text(&b->labels, a->labels.kv[i].key);
		if (!v || a->labels.kv[i].v.type != REC_TEXT || strcmp(v, a->labels.kv[i].v.text))
			return false;
	}
	return true;
}

/* Labels that agree on every key both have (one side may have more). */
static bool labels_agree(const struct rec_series *a, const struct rec_series *b)
{
	for (size_t i = 0; i < a->labels.n; i++) {
		const struct rec_value *v = rec_map_get(&b->labels, a->labels.kv[i].key);
		if (v && (v->type != REC_TEXT || a->labels.kv[i].v.type != REC_TEXT ||
			  strcmp(v->text, a->labels.kv[i].v.text)))
			return false;
	}
	return true;
}

/* Does a series of the file `in` match t exactly? */
static bool taken_exactly(const struct result *in, const struct rec_series *t)
{
	for (size_t l = 0; l < in->rec.nseries; l++) {
		const struct rec_series *s = &in->rec.series[l];
		if (!strcmp(s->name, t->name) && same_labels(s, t))
			return true;
	}
	return false;
}

/* The series of rs that s (of file ra) is compared with, or NULL, and how
 * it was found.  Two single results (two files, p1.cbor against p16.cbor)
 * are each other's whatever they are called. */
const struct rec_series *match(const struct results *rs, bool one_each,
				      const struct result *ra, const struct rec_series *s,
				      const struct result **in, enum pairing *how)
{
	const struct rec_series *found = NULL;
	size_t agree = 0;
	bool file = false;

	*how = PAIR_NONE;
	for (size_t j = 0; j < rs->n; j++) {
		const struct result *r = &rs->r[j];
		if (!one_each && strcmp(r->file, ra->file))
			continue;
		file = true;
		for (size_t l = 0; l < r->rec.nseries; l++) {
			const struct rec_series *t = &r->rec.series[l];
			if (strcmp(t->name, s->name))
				continue;
			if (same_labels(s, t)) {
				*in = r;
				*how = PAIR_EXACT;
				return t;
			}
			if (labels_agree(s, t) && !taken_exactly(ra, t)) {
				agree++;
				found = t;
				*in = r;
			}
		}
	}
	*how = !file ? PAIR_NO_FILE : agree == 1 ? PAIR_SHARED : agree ? PAIR_AMBIGUOUS : PAIR_NONE;
	return agree == 1 ? found : NULL;
}

/* The other way round: does any series of A's runs pair with t of file rb? */
bool paired_back(const struct results *a, bool one_each, const struct result *rb,
			const struct rec_series *t)
{
	for (size_t i = 0; i < a->n; i++) {
		const struct result *ra = &a->r[i];
		if (!one_each && strcmp(ra->file, rb->file))
			continue;
		for (size_t k = 0; k < ra->rec.nseries; k++) {
			const struct rec_series *s = &ra->rec.series[k];
			const struct result *in;
			enum pairing how;
			struct results one = { .r = (struct result *)rb, .n = 1 };
			if (match(&one, true, ra, s, &in, &how) == t)
				return true;
		}
	}
	return false;
}
