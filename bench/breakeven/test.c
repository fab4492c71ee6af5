/* Description: the compute guest's work is the same in KVM, in Unicorn and
 * in C.  In KVM, 0, 1, 37 and 5000 units give exactly compute_checksum()'s
 * checksum (two implementations, assembly and C, agreeing), and different
 * sizes give different checksums.  kvmbench-breakeven at three work sizes
 * checks every run of all four modes against it (Unicorn included) and
 * writes a complete result: a series per mode and size, with warm-up,
 * fits and crossovers.  A wrong checksum stops it (exit 1, naming the run);
 * built without Unicorn, it skips (77) saying what to install. */
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "compute.h"
#include "err.h"
#include "helpers.h"
#include "record.h"
#include "vm.h"

static uint64_t kvm_checksum(const struct kvm *kvm, uint64_t units)
{
	struct vm_template t;
	struct vm_result res;
	uint64_t ns;
	uint64_t sum = 0;

	T_CHECK(vm_template_init(&t, kvm, guest_find("compute"), VM_MEM_INDIVIDUAL,
				 GUEST_DATA_DEFAULT) == 0, "%s", err_msg());
	vm_template_args(&t, units, 0);
	T_CHECK(vm_oneshot(&t, &res, &ns) == 0, "%s", err_msg());
	T_CHECK(res.status == 0 && res.out_len == 8, "%llu units: status %u, %zu bytes out",
		(unsigned long long)units, res.status, res.out_len);
	memcpy(&sum, res.out, 8);
	vm_template_fini(&t);
	return sum;
}

int main(int argc, char **argv)
{
	static const uint64_t sizes[] = { 0, 1, 37, 5000 };
	struct kvm kvm;
	struct record r;
	char path[512], *out;

	T_CHECK(argc == 3, "usage: breakeven KVMBENCH-BREAKEVEN WITHOUT-UNICORN");
	char *without[] = { argv[2], NULL };
	int rc = t_run(without, &out);
	T_CHECK(rc == 77 && strstr(out, "skipped") && strstr(out, "libunicorn-dev"),
		"without Unicorn: exit %d: %s", rc, out);
	free(out);

	t_kvm_or_skip(&kvm);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t got = kvm_checksum(&kvm, sizes[i]), want = compute_checksum(sizes[i]);
		T_CHECK(got == want, "%llu units: KVM 0x%016llx, C 0x%016llx",
			(unsigned long long)sizes[i], (unsigned long long)got,
			(unsigned long long)want);
	}
	T_CHECK(compute_checksum(1) != compute_checksum(2) && compute_checksum(1) != 0,
		"checksums that do not depend on the work");
	kvm_close(&kvm);

	snprintf(path, sizeof(path), "%s/breakeven.cbor", t_tmpdir());
	char *run[] = { argv[1], "--points", "3", "--max-units", "300", "--samples", "3",
			"--cheap-samples", "3", "--output", path, NULL };
	rc = t_run(run, &out);
	if (rc == 77) {
		printf("SKIP: %s", out);
		t_cleanup();
		return T_EXIT_SKIP;
	}
	T_CHECK(rc == 0 && rec_read(&r, path) == 0 && r.complete, "exit %d: %s", rc, out);
	/* 0, 17 and 300 units; four modes; the whole and the run part. */
	T_CHECK(r.nseries == 3 * 4 * 2, "%zu series", r.nseries);
	for (size_t i = 0; i < r.nseries; i++) {
		const struct rec_series *s = &r.series[i];
		T_CHECK(rec_map_text(&s->labels, "mode") && rec_map_text(&s->labels, "units") &&
			s->n == 4 && s->warmup == 1, "series %zu: %s, %zu samples", i, s->name,
			s->n);
	}
	T_CHECK(rec_map_text(&r.parameters, "crossover_single") &&
		rec_map_text(&r.parameters, "crossover_reuse") &&
		rec_map_text(&r.parameters, "fit_emu-single") &&
		rec_map_text(&r.parameters, "reuse_reset") && strstr(out, "kvm-reuse"),
		"no fits or crossovers: %s", out);
	rec_free(&r);
	free(out);

	char *wrong[] = { argv[1], "--points", "3", "--max-units", "30", "--samples", "2",
			  "--cheap-samples", "2", "--test-wrong-checksum", "--output", path, NULL };
	rc = t_run(wrong, &out);
	T_CHECK(rc == 1 && strstr(out, "checksum") && strstr(out, "went wrong"),
		"a wrong checksum: exit %d: %s", rc, out);
	free(out);
	t_cleanup();
	return T_EXIT_PASS;
}
