/* Description: kvmbench-neighbours end to end with small counts, in real
 * VMs: the victim's chunks of the idle phases (aggressor=none) and of each
 * cell (kind, placement, rate), aggressors as threads of the victim's
 * process and as processes of their own, each cell with its aggressors'
 * operations counted (and some done); a victim CPU that does not exist and
 * more aggressors than CPUs besides the victim's are refused, naming them,
 * with status 2. */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "helpers.h"
#include "record.h"

static const char *bin;

static void cell(const struct record *r, const char *kind, const char *place, const char *rate)
{
	const struct rec_series *chunk = NULL, *ops = NULL;

	for (size_t i = 0; i < r->nseries; i++) {
		const struct rec_series *s = &r->series[i];
		const char *k = rec_map_text(&s->labels, "aggressor");
		const char *p = rec_map_text(&s->labels, "placement");
		const char *t = rec_map_text(&s->labels, "rate");
		if (!k || !p || !t || strcmp(k, kind) || strcmp(p, place) || strcmp(t, rate))
			continue;
		if (!strcmp(s->name, "victim-chunk"))
			chunk = s;
		else if (!strcmp(s->name, "aggressor-ops"))
			ops = s;
	}
	T_CHECK(chunk && chunk->n > 0, "%s, %s, %s: no chunks", kind, place, rate);
	T_CHECK(ops && ops->n == 1 && ops->samples[0] > 0, "%s, %s, %s: no operations",
		kind, place, rate);
}

static void refused(char *a, char *b, const char *says)
{
	char *argv[] = { (char *)bin, a, b, NULL };
	char *out;
	int rc = t_run(argv, &out);

	T_CHECK(rc == 2 && strstr(out, says), "%s %s: exit %d: %s", a, b, rc, out);
	free(out);
}

int main(int argc, char **argv)
{
	/* Phases long enough for the aggressors to be scheduled and work,
	 * under an emulated KVM too (whose CPUs take turns). */
	char phase[32];
	snprintf(phase, sizeof(phase), "%llu", (unsigned long long)t_scaled_ms(40));
	const char *mmap_args[] = { "--kind", "mmap", "--phase-ms", phase, "--rounds", "1",
				    "--units", "200", NULL };
	const char *oneshot[] = { "--kind", "oneshot", "--placement", "process", "--phase-ms",
				  phase, "--rounds", "1", "--units", "200", NULL };
	struct record r;
	struct kvm kvm;
	char *out;

	T_CHECK(argc == 2, "usage: %s kvmbench-neighbours", argv[0]);
	bin = argv[1];
	refused("--victim-cpu", "1000", "no such CPU");
	refused("--aggressors", "63", "besides the victim's");
	t_kvm_or_skip(&kvm);
	kvm_close(&kvm);
	t_result(&r, bin, "neighbours", mmap_args, &out);
	T_CHECK(t_find(&r, "victim-chunk", "aggressor", "none"), "no idle phases");
	for (int p = 0; p < 2; p++) {
		cell(&r, "mmap", p ? "thread" : "process", "100");
		cell(&r, "mmap", p ? "thread" : "process", "max");
	}
	T_CHECK(r.nseries == 13, "%zu series: idle and 6 cells of 2", r.nseries);
	rec_free(&r);
	free(out);
	t_result(&r, bin, "neighbours-oneshot", oneshot, &out);
	cell(&r, "oneshot", "process", "1000");
	T_CHECK(r.nseries == 7, "%zu series", r.nseries);
	rec_free(&r);
	free(out);
	t_cleanup();
	return T_EXIT_PASS;
}
