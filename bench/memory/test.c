/* Description: kvmbench-memory end to end with small counts, in real VMs:
 * a complete result with the ratio and the live cost, for shared and
 * individual memory a single-use series with its warm-up and every live
 * reading at each step, the process's threads never falling. */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "helpers.h"
#include "record.h"

static const char *bin;

static void test_memory(void)
{
	struct record r;
	char *out;
	const char *args[] = { "--rounds", "2", "--iterations", "5", "--warmup", "1",
			       "--live", "20", NULL };

	t_result(&r, bin, "memory", args, &out);
	T_CHECK(strstr(out, "ratio individual/shared"), "ratio: %s", out);
	T_CHECK(strstr(out, "threads started: ") && strstr(out, "inside this process"),
		"live cost: %s", out);
	for (int k = 0; k < 2; k++) {
		const char *kind = k ? "individual" : "shared";
		const struct rec_series *s = t_series(&r, "create-run-close", kind, 11);
		T_CHECK(s->warmup == 1, "warm-up");
		t_series(&r, "live-rss", kind, 11);
		t_series(&r, "live-slab", kind, 11);
		t_series(&r, "live-pagetables", kind, 11);
		t_series(&r, "live-kernelstack", kind, 11);
		t_series(&r, "live-kernel-threads", kind, 11);
		const struct rec_series *pt = t_series(&r, "live-process-threads", kind, 11);
		/* Each live VM may bring a KVM worker into the process, never less. */
		T_CHECK(pt->samples[10] >= pt->samples[0], "threads fell while VMs were added");
	}
	free(out);
	rec_free(&r);
}

int main(int argc, char **argv)
{
	struct kvm kvm;

	T_CHECK(argc == 2, "usage: test PATH-TO-kvmbench-memory");
	bin = argv[1];
	t_kvm_or_skip(&kvm);
	kvm_close(&kvm);
	test_memory();
	t_cleanup();
	return T_EXIT_PASS;
}
