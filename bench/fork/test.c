/* Description: kvmbench-fork end to end with small counts, in real VMs:
 * every method's series (hello, fresh, fork, reset) with its samples and
 * warm-up, the parts of each that add up to its ready VM, the snapshot's
 * taking, the reset's strategy (the fastest of a calibration recorded
 * beside it, or the one --reset names); --live keeps
 * forks and the fixed-cost VMs alive with a reading at every step and
 * says what each costs; bad input (W not a multiple of 4K, P beyond W,
 * --sweep with --live) is refused with a message and status 2, before
 * anything is measured. */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "helpers.h"
#include "record.h"

static const char *bin;

static void test_side_by_side(void)
{
	const char *args[] = { "--warm", "64K", "--pages", "2", "--iterations", "4", "--warmup",
			       "1", "--requests", "3", NULL };
	static const char *const methods[] = { "fresh", "fork", "reset" };
	struct record r;
	char *out;

	t_result(&r, bin, "fork", args, &out);
	T_CHECK(strstr(out, "fork/hello") && strstr(out, "fork/fresh"), "ratios: %s", out);
	const struct rec_series *hello = t_find(&r, "ready-request-close", "method", "hello");
	T_CHECK(hello && hello->n == 5 && hello->warmup == 1, "hello: its single-use VMs");
	for (size_t m = 0; m < 3; m++) {
		const struct rec_series *total = t_find(&r, "ready-request", "method", methods[m]);
		const struct rec_series *prep = t_find(&r, "prepare", "method", methods[m]);
		const struct rec_series *first = t_find(&r, "first-run", "method", methods[m]);
		const struct rec_series *later = t_find(&r, "later-run", "method", methods[m]);
		T_CHECK(total && prep && first && later, "%s: a series missing", methods[m]);
		T_CHECK(total->n == 5 && total->warmup == 1 && later->n == 10,
			"%s: %zu samples, %zu warm-up, %zu later runs", methods[m], total->n,
			total->warmup, later->n);
		for (size_t i = 0; i < total->n; i++)
			T_CHECK(prep->samples[i] + first->samples[i] <= total->samples[i],
				"%s: the parts exceed the whole", methods[m]);
	}
	const struct rec_series *warm = t_find(&r, "warm", "method", "fresh");
	T_CHECK(warm && warm->n == 5 && !t_find(&r, "warm", "method", "fork"),
		"only a fresh VM warms up");
	T_CHECK(t_find(&r, "teardown", "method", "fork") && !t_find(&r, "teardown", "method", "reset"),
		"the reset keeps its VM");
	const struct rec_series *reset = t_find(&r, "ready-request", "method", "reset");
	const char *how = rec_map_text(&reset->labels, "reset");
	T_CHECK(how && !strcmp(how, "fastest"), "the reset's strategy: %s", how ? how : "none");
	/* Every candidate is timed first, full and madvise (which track
	 * nothing and always run) among them. */
	const char *timed[] = { "full", "madvise" };
	for (size_t i = 0; i < 2; i++) {
		const struct rec_series *s = t_find(&r, "reset-calibration", "reset", timed[i]);
		T_CHECK(s && s->n == 15, "no calibration of %s", timed[i]);
	}
	const struct rec_series *snap = t_find(&r, "snapshot", NULL, NULL);
	T_CHECK(snap && snap->n == 1 && snap->samples[0] > 0, "the snapshot's taking");
	rec_free(&r);
	free(out);
	/* --reset names the strategy the reset method uses. */
	const char *madvise[] = { "--warm", "64K", "--iterations", "2", "--warmup", "0",
				  "--reset", "madvise", NULL };
	t_result(&r, bin, "fork-madvise", madvise, &out);
	reset = t_find(&r, "ready-request", "method", "reset");
	how = reset ? rec_map_text(&reset->labels, "reset") : NULL;
	T_CHECK(how && !strcmp(how, "madvise"), "--reset madvise ran %s", how ? how : "nothing");
	rec_free(&r);
	free(out);
}

static void test_live(void)
{
	const char *args[] = { "--warm", "64K", "--live", "20", "--step", "10", NULL };
	struct record r;
	char *out;

	t_result(&r, bin, "fork-live", args, &out);
	T_CHECK(strstr(out, "hello: 20 live") && strstr(out, "fork: 20 live"), "%s", out);
	const char *readings[] = { "live-cumulative", "live-pss", "live-private", "live-slab" };
	for (size_t i = 0; i < 4; i++)
		for (int m = 0; m < 2; m++) {
			const struct rec_series *s = t_find(&r, readings[i], "method",
							    m ? "fork" : "hello");
			T_CHECK(s && s->n == 3, "%s of %s: %zu readings", readings[i],
				m ? "fork" : "hello", s ? s->n : 0);
		}
	const struct rec_series *c = t_find(&r, "live-cumulative", "method", "fork");
	T_CHECK(c->samples[0] == 0 && c->samples[1] > 0 && c->samples[2] > c->samples[1],
		"the cumulative time does not grow");
	/* Each fork wrote a page of its own: private dirty memory grows by
	 * them.  (All private memory can grow by less: a page-cache page
	 * counts as private while one mapping alone maps it, and the forks'
	 * read faults map such pages in and share them, run by run.) */
	const struct rec_series *priv = t_find(&r, "live-private-dirty", "method", "fork");
	T_CHECK(priv && priv->n == 3, "no private dirty readings");
	T_CHECK(priv->samples[2] >= priv->samples[0] + 20 * 4096, "20 forks: %llu bytes of "
		"private dirty memory more",
		(unsigned long long)(priv->samples[2] - priv->samples[0]));
	rec_free(&r);
	free(out);
}

static void refused(const char *a, const char *b, const char *c, const char *d, const char *says)
{
	char *argv[] = { (char *)bin, (char *)a, (char *)b, (char *)c, (char *)d, "--output",
			 "/nonexistent/never.cbor", NULL };
	char *out;
	int rc = t_run(argv, &out);

	T_CHECK(rc == 2 && strstr(out, says), "%s %s %s %s: exit %d: %s", a, b, c ? c : "",
		d ? d : "", rc, out);
	free(out);
}

int main(int argc, char **argv)
{
	struct kvm kvm;

	T_CHECK(argc == 2, "usage: %s kvmbench-fork", argv[0]);
	bin = argv[1];
	refused("--warm", "65537", NULL, NULL, "--warm");
	refused("--warm", "128M", NULL, NULL, "--warm");
	refused("--warm", "64K", "--pages", "17", "more pages than --warm holds");
	refused("--sweep", "--live", "10", NULL, "one at a time");
	t_kvm_or_skip(&kvm);
	kvm_close(&kvm);
	test_side_by_side();
	test_live();
	t_cleanup();
	return T_EXIT_PASS;
}
