/* Description: kvmbench-concurrent end to end with small counts, in real
 * VMs: a complete result with one line per batch, as many create-run and
 * teardown samples as VMs, the machine fingerprint; with two threads a
 * series each, the VMs split between them, and the throughput's parts;
 * over two worker processes (--processes 2), every VM's sample and
 * teardown. */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "helpers.h"
#include "record.h"

static const char *bin;

static void test_concurrent(void)
{
	struct record r;
	char *out;
	const char *args[] = { "--vms", "20", "--batches", "4", NULL };

	t_result(&r, bin, "concurrent", args, &out);
	int lines = 0;
	for (char *p = out; (p = strstr(p, "Time spent: ")); p++)
		lines++;
	T_CHECK(lines == 4, "%d batch lines: %s", lines, out);
	t_series(&r, "create-run", "shared", 20);
	t_series(&r, "teardown", "shared", 20);
	free(out);
	rec_free(&r);

	/* Two threads: a series each, half the VMs each, the throughput's parts. */
	const char *two[] = { "--vms", "21", "--threads", "2", NULL };
	t_result(&r, bin, "concurrent-2", two, &out);
	T_CHECK(strstr(out, "21 VMs by 2 thread(s)") && strstr(out, "VMs/s"), "%s", out);
	size_t per[2] = { 0 };
	for (size_t i = 0; i < r.nseries; i++) {
		const char *th = rec_map_text(&r.series[i].labels, "thread");
		if (!strcmp(r.series[i].name, "create-run") && th)
			per[atoi(th) & 1] += r.series[i].n;
	}
	T_CHECK(per[0] == 11 && per[1] == 10, "per thread %zu and %zu VMs", per[0], per[1]);
	uint64_t made, wall, sys;
	T_CHECK(rec_map_uint(&r.parameters, "vms_made", &made) == 0 && made == 21 &&
		rec_map_uint(&r.parameters, "wall_ns", &wall) == 0 && wall > 0 &&
		rec_map_uint(&r.parameters, "sys_ns", &sys) == 0, "throughput parameters");
	t_series(&r, "teardown", "shared", 21);
	free(out);
	rec_free(&r);

	/* Two worker processes of 20, in turn: every sample and teardown. */
	const char *procs[] = { "--vms", "40", "--batches", "4", "--processes", "2", NULL };
	t_result(&r, bin, "concurrent-processes", procs, &out);
	T_CHECK(strstr(out, "40 VMs by 2 processes of 20"), "%s", out);
	t_series(&r, "create-run", NULL, 40);
	t_series(&r, "teardown", NULL, 40);
	free(out);
	rec_free(&r);
}

int main(int argc, char **argv)
{
	struct kvm kvm;

	T_CHECK(argc == 2, "usage: test PATH-TO-kvmbench-concurrent");
	bin = argv[1];
	t_kvm_or_skip(&kvm);
	kvm_close(&kvm);
	test_concurrent();
	t_cleanup();
	return T_EXIT_PASS;
}
