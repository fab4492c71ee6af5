/*
 * kvmbench-concurrent: does creating a VM get slower as more VMs are alive?
 * The seed's second experiment: 1000 VMs are created one after another and
 * every one is kept alive (having run hello once) until the end.
 *
 * Timed, per VM, in creation order: what kvmbench-single times except the
 * teardown: create VM, memslots, vCPU, kvm_run, registers, every KVM_RUN
 * until hello's end port.  At the end every VM is destroyed, in creation
 * order, and each teardown is timed too (a second series).
 * Not timed: checking the guest's output, progress, printing, the file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "abi.h"
#include "common.h"
#include "err.h"
#include "limits.h"
#include "stats.h"

int main(int argc, char **argv)
{
	uint64_t nvms = 1000, batches = 8;
	int memory = VM_MEM_SHARED;
	const struct bench_opt opts[] = {
		BENCH_COUNT("vms", "N", "VMs to create and keep alive", &nvms, 1, 1000000),
		BENCH_COUNT("batches", "B", "print the mean per VM of B consecutive batches",
			    &batches, 1, 1000000),
		BENCH_CHOICE("memory", "KIND", "shared or individual", &memory,
			     bench_memory_choices),
		{ 0 },
	};
	struct bench_common c = {
		.prog = "kvmbench-concurrent", .name = "concurrent", .opts = opts,
		.summary = "Create VMs and keep them all alive; time each creation.",
	};
	struct samples create = { 0 }, teardown = { 0 };
	struct progress progress;
	struct vm_template t;
	struct vm *vms = NULL;
	size_t made = 0;
	int err = bench_parse(&c, argc, argv);

	if (err >= 0)
		return err;
	if (batches > nvms)
		return bench_usage_error(&c, "--batches: more batches than --vms");
	err = bench_start(&c);
	if (err)
		return err;
	err = limits_maps(nvms * (memory == VM_MEM_INDIVIDUAL ? 2 : 1), "--vms live VMs") ?:
	      limits_nofile(2 * nvms, "keeping --vms alive (2 fds each)") ?:
	      limits_memory(nvms * LIVE_VM_BYTES, "--vms live VMs");
	if (err)
		return bench_finish(&c, err, false);
	rec_param_text(&c.rec, "guest", "hello");

	err = vm_template_init(&t, &c.kvm, guest_find("hello"), (enum vm_memory)memory, GUEST_DATA_DEFAULT);
	if (err)
		return bench_finish(&c, err, false);
	vms = calloc(nvms, sizeof(*vms));
	if (!vms || samples_init(&create, nvms) || samples_init(&teardown, nvms)) {
		vm_template_fini(&t);
		return bench_finish(&c, err_set(-ENOMEM, "no memory for %llu VMs",
						(unsigned long long)nvms), false);
	}

	progress_start(&progress, &c, "VMs", nvms);
	struct live_options lo = { .progress = &progress };
	err = bench_live_create(&t, vms, nvms, &create, &lo, &made);
	progress_end(&progress);
	bench_live_destroy(vms, made, &teardown);
	vm_template_fini(&t);
	free(vms);

	/* The seed's lines: the mean per VM of each consecutive batch. */
	size_t per = nvms / batches;
	for (size_t b = 0; !c.quiet && b < batches && (b + 1) * per <= create.n; b++) {
		size_t from = b * per, n = b + 1 == batches ? create.n - from : per;
		uint64_t ns = (uint64_t)stats_mean(create.v + from, n);
		printf("Time spent: %lluns (%llu micros)\n", (unsigned long long)ns,
		       (unsigned long long)(ns / 1000));
	}
	if (!c.quiet && create.n) {
		bench_print_summary("create+run, kept alive", create.v, create.n);
		bench_print_summary("teardown at the end", teardown.v, teardown.n);
	}
	if (create.n) {
		bench_series(&c, "create-run", &create, 0, "memory", bench_memory_choices[memory]);
		bench_series(&c, "teardown", &teardown, 0, "memory", bench_memory_choices[memory]);
	}
	err = bench_finish(&c, err, create.n > 0);
	samples_free(&create);
	samples_free(&teardown);
	return err;
}
