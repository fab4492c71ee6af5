/* Description: summaries on inputs with known answers: median, p90, p99
 * (linear interpolation between ranks), min, max, mean; unsorted input is
 * not reordered; no samples is an error. */
#include <math.h>

#include "helpers.h"
#include "stats.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

int main(void)
{
	uint64_t ten[] = { 7, 3, 10, 1, 9, 2, 8, 4, 6, 5 };
	uint64_t copy[10];
	struct summary s;

	for (int i = 0; i < 10; i++)
		copy[i] = ten[i];
	T_CHECK(stats_summarize(ten, 10, &s) == 0, "summarize");
	T_CHECK(s.n == 10 && s.min == 1 && s.max == 10, "n %zu min %llu max %llu", s.n,
		(unsigned long long)s.min, (unsigned long long)s.max);
	T_CHECK(NEAR(s.mean, 5.5), "mean %f", s.mean);
	T_CHECK(NEAR(s.median, 5.5), "median %f", s.median);
	T_CHECK(NEAR(s.p90, 9.1), "p90 %f", s.p90);
	T_CHECK(NEAR(s.p99, 9.91), "p99 %f", s.p99);
	for (int i = 0; i < 10; i++)
		T_CHECK(ten[i] == copy[i], "input reordered at %d", i);

	uint64_t odd[] = { 300, 100, 200 };
	T_CHECK(stats_summarize(odd, 3, &s) == 0 && NEAR(s.median, 200), "odd median %f",
		s.median);
	uint64_t one[] = { 42 };
	T_CHECK(stats_summarize(one, 1, &s) == 0 && NEAR(s.median, 42) && NEAR(s.p99, 42) &&
		s.min == 42 && s.max == 42, "single sample");
	uint64_t big[] = { UINT64_MAX - 1, UINT64_MAX - 1 };
	T_CHECK(stats_summarize(big, 2, &s) == 0 && s.max == UINT64_MAX - 1, "large values");

	uint64_t hundred[101];
	for (int i = 0; i <= 100; i++)
		hundred[i] = (uint64_t)(100 - i) * 10;
	T_CHECK(stats_summarize(hundred, 101, &s) == 0, "summarize 101");
	T_CHECK(NEAR(s.p25, 250) && NEAR(s.p75, 750), "0..1000: p25 %f p75 %f", s.p25, s.p75);
	T_CHECK(NEAR(s.median, 500) && NEAR(s.p90, 900) && NEAR(s.p99, 990),
		"0..1000: median %f p90 %f p99 %f", s.median, s.p90, s.p99);

	T_CHECK(stats_summarize(ten, 0, &s) < 0, "no samples must be refused");

	struct samples buf;
	T_CHECK(samples_init(&buf, 2) == 0, "samples_init");
	samples_add(&buf, 1);
	samples_add(&buf, 2);
	samples_add(&buf, 3);	/* beyond capacity: dropped, never written past */
	T_CHECK(buf.n == 2 && buf.v[1] == 2, "sample buffer holds %zu", buf.n);
	samples_free(&buf);
	return T_EXIT_PASS;
}
