/* Description: kvmbench-vmas end to end with small counts, in real VMs:
 * --sweep vmas has its points 0, 1000 and the asked maximum, each with the
 * whole VM, KVM_CREATE_VM and the first KVM_RUN, labelled with the point,
 * and the VMAs the process really held counted at each visit, and
 * KVM_CREATE_VM and the first KVM_RUN each less than the whole VM;
 * --sweep live has its points 0 and the asked maximum, the VMs held by
 * another process that ends with the run; --max-vmas beyond what
 * vm.max_map_count leaves, and a warm-up as long as a visit, are refused,
 * naming them, with status 2. */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "helpers.h"
#include "record.h"

static const char *bin;

/* The series of a point: whole, create-vm, first-kvm-run with the label
 * key = a value >= at least (and < below), checked against each other. */
static void point(const struct record *r, const char *key, uint64_t at_least, uint64_t below,
		  size_t n)
{
	static const char *const names[] = { "create-run-close", "create-vm", "first-kvm-run" };
	const struct rec_series *s[3] = { NULL, NULL, NULL };

	for (size_t i = 0; i < r->nseries; i++) {
		const char *v = rec_map_text(&r->series[i].labels, key);
		uint64_t x = v ? strtoull(v, NULL, 10) : 0;
		for (int k = 0; v && k < 3; k++)
			if (!strcmp(r->series[i].name, names[k]) && x >= at_least && x < below)
				s[k] = &r->series[i];
	}
	for (int k = 0; k < 3; k++)
		T_CHECK(s[k] && s[k]->n == n, "%s at %s %llu: %zu samples", names[k], key,
			(unsigned long long)at_least, s[k] ? s[k]->n : 0);
	for (size_t j = 0; j < n; j++)
		T_CHECK(s[1]->samples[j] < s[0]->samples[j] && s[2]->samples[j] < s[0]->samples[j],
			"a part is not less than the whole VM");
}

int main(int argc, char **argv)
{
	const char *vmas[] = { "--max-vmas", "2000", "--iterations", "3", "--rounds", "2",
			       "--warmup", "1", NULL };
	const char *live[] = { "--sweep", "live", "--max-live", "30", "--iterations", "3", "--warmup", "1",
			       "--rounds", "1", NULL };
	struct record r;
	struct kvm kvm;
	char *out;

	T_CHECK(argc == 2, "usage: %s kvmbench-vmas", argv[0]);
	bin = argv[1];
	char *big[] = { (char *)bin, "--max-vmas", "100000000", NULL };
	T_CHECK(t_run(big, &out) == 2 && strstr(out, "vm.max_map_count"), "%s", out);
	free(out);
	char *warm[] = { (char *)bin, "--iterations", "5", "--warmup", "5", NULL };
	T_CHECK(t_run(warm, &out) == 2 && strstr(out, "--warmup"), "%s", out);
	free(out);
	t_kvm_or_skip(&kvm);
	kvm_close(&kvm);

	t_result(&r, bin, "vmas", vmas, &out);
	point(&r, "vmas", 0, 1, 6);
	point(&r, "vmas", 1000, 1001, 6);
	point(&r, "vmas", 2000, 2001, 6);
	T_CHECK(r.nseries == 12, "%zu series", r.nseries);
	/* What the process really held, a reading per visit: as many as asked
	 * (a mapping or two beside them may come or go). */
	const struct rec_series *counted = t_find(&r, "vmas-counted", "vmas", "2000");
	T_CHECK(counted && counted->n == 2, "no count of the VMAs");
	for (size_t i = 0; i < counted->n; i++)
		T_CHECK(counted->samples[i] >= 1998 && counted->samples[i] <= 2010,
			"2000 VMAs asked, %llu counted", (unsigned long long)counted->samples[i]);
	T_CHECK(strstr(out, "per VMA"), "no slope: %s", out);
	rec_free(&r);
	free(out);

	t_result(&r, bin, "vmas-live", live, &out);
	point(&r, "live_vms", 0, 1, 3);
	point(&r, "live_vms", 30, 31, 3);
	T_CHECK(r.nseries == 6, "%zu series", r.nseries);
	rec_free(&r);
	free(out);
	t_cleanup();
	return T_EXIT_PASS;
}
