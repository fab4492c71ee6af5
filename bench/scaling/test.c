/* Description: kvmbench-scaling end to end with small counts, in real VMs:
 * a complete result with the table and the fit, a reading at every step
 * (the cumulative time the sum of the samples before it), and really two
 * fds per VM, or one in one-fd mode. */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "helpers.h"
#include "record.h"

static const char *bin;

static void test_scaling(const char *mode, uint64_t fds_per_vm)
{
	struct record r;
	char *out;
	const char *args[] = { "--vms", "30", "--step", "10", "--fd-mode", mode, NULL };

	t_result(&r, bin, "scaling", args, &out);
	T_CHECK(strstr(out, "R^2") && strstr(out, "30:\t"), "table and fit: %s", out);
	const struct rec_series *c = t_series(&r, "create-run", "shared", 30);
	const struct rec_series *cum = t_series(&r, "cumulative", NULL, 4);
	const struct rec_series *fds = t_series(&r, "fds", NULL, 4);
	t_series(&r, "maps", NULL, 4);
	t_series(&r, "slab", NULL, 4);
	uint64_t sum = 0;
	for (size_t i = 0; i < c->n; i++) {
		sum += c->samples[i];
		if ((i + 1) % 10 == 0)
			T_CHECK(cum->samples[(i + 1) / 10] == sum, "cumulative at %zu", i + 1);
	}
	T_CHECK(cum->samples[0] == 0, "baseline");
	for (size_t k = 1; k < 4; k++)
		T_CHECK(fds->samples[k] - fds->samples[k - 1] == 10 * fds_per_vm,
			"%s mode: %llu fds for 10 VMs", mode,
			(unsigned long long)(fds->samples[k] - fds->samples[k - 1]));
	uint64_t used;
	T_CHECK(rec_map_uint(&r.parameters, "fds_per_vm", &used) == 0 && used == fds_per_vm,
		"fds_per_vm");
	T_CHECK(!strcmp(rec_map_text(&r.parameters, "fd_mode"), mode), "fd_mode");
	free(out);
	rec_free(&r);
}

int main(int argc, char **argv)
{
	struct kvm kvm;

	T_CHECK(argc == 2, "usage: test PATH-TO-kvmbench-scaling");
	bin = argv[1];
	t_kvm_or_skip(&kvm);
	kvm_close(&kvm);
	test_scaling("two", 2);
	test_scaling("one", 1);
	t_cleanup();
	return T_EXIT_PASS;
}
