/*
 * kvmbench-concurrent: does creating a VM get slower as more VMs are alive?
 * The seed's second experiment: 1000 VMs are created one after another and
 * every one is kept alive (having run hello once) until the end.
 *
 * Timed, per VM, in creation order: what a single-use VM takes except the
 * teardown: create VM, memslots, vCPU, kvm_run, CPUID, registers, every
 * KVM_RUN until hello's end port.  At the end every VM is destroyed, in
 * creation order, and each teardown is timed too (a second series).
 * Not timed: reading KVM's counters after the run, checking the guest's
 * output, progress, printing, the file.
 *
 * --threads T: T threads create the VMs at once, each its own share (the
 * VM count is the total), released together from a barrier.  Each keeps
 * its own samples; the run records its wall time from the release to the
 * last VM, and the process's user and system time over the same span, so
 * that throughput (VMs per second) and kernel contention (system time
 * that buys no throughput) can be read off.
 *
 * --processes P: the VMs spread over P worker processes that create theirs
 * in turn, one at a time (bench/shard.h): the per-process costs of a live
 * VM (MMU notifiers) are paid per worker.
 */
#include <errno.h>
#include <pthread.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>

#include "abi.h"
#include "clock.h"
#include "common.h"
#include "err.h"
#include "limits.h"
#include "series.h"
#include "names.h"
#include "shard.h"
#include "stats.h"

struct worker {
	const struct vm_template *t;
	struct vm *vms;
	size_t n;
	size_t made;
	struct samples create;
	struct progress *progress;
	struct exit_counts *exits;
	pthread_barrier_t *start;
	int err;
	char msg[512];
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct live_options lo = { .progress = w->progress, .exits = w->exits };

	pthread_barrier_wait(w->start);
	w->err = bench_live_create(w->t, w->vms, w->n, &w->create, &lo, &w->made);
	if (w->err)
		snprintf(w->msg, sizeof(w->msg), "%s", err_msg());
	return NULL;
}

/* The seed's lines: the mean per VM of each consecutive batch, in creation
 * order. */
static void batch_lines(const struct samples *create, uint64_t nvms, uint64_t batches)
{
	size_t per = nvms / batches;

	for (size_t b = 0; b < batches && (b + 1) * per <= create->n; b++) {
		size_t from = b * per, n = b + 1 == batches ? create->n - from : per;
		uint64_t ns = (uint64_t)stats_mean(create->v + from, n);
		printf("Time spent: %lluns (%llu micros)\n", (unsigned long long)ns,
		       (unsigned long long)(ns / 1000));
	}
}

/* --processes: the same VMs, spread over worker processes. */
static int in_processes(struct bench_common *c, uint64_t nvms, uint64_t batches,
			uint64_t processes, int memory)
{
	struct progress progress;
	struct shard_result r;
	struct shard_options so = { .vms = nvms, .per = shard_per(nvms, processes),
				    .memory = (enum vm_memory)memory, .fds_per_vm = 2,
				    .progress = &progress };
	int err = shard_check(&so, "--vms live VMs");

	if (err)
		return bench_finish(c, err, false);
	rec_param_text(&c->out.rec, "guest", "hello");
	progress_start(&progress, c, "VMs", nvms);
	err = shard_run(c, &so, &r);
	progress_end(&progress);
	rec_param_uint(&c->out.rec, "workers", r.workers);
	rec_param_uint(&c->out.rec, "worker_vms", so.per);
	rec_param_uint(&c->out.rec, "vms_made", r.made);
	rec_param_uint(&c->out.rec, "wall_ns", r.wall_ns);
	if (!c->opt.quiet && r.made)
		printf("%llu VMs by %u processes of %llu in %.3f s: %.0f VMs/s\n",
		       (unsigned long long)r.made, r.workers, (unsigned long long)so.per,
		       (double)r.wall_ns / 1e9, (double)r.made / ((double)r.wall_ns / 1e9));
	if (!c->opt.quiet)
		batch_lines(&r.create, nvms, batches);
	if (!c->opt.quiet && r.create.n) {
		bench_print_summary("create+run, kept alive", r.create.v, r.create.n);
		bench_print_summary("teardown at the end", r.teardown.v, r.teardown.n);
	}
	if (r.create.n) {
		bench_series(c, SERIES_CREATE_RUN, &r.create, 0, LABEL_MEMORY, vm_memory_names[memory]);
		bench_series(c, SERIES_WORKER, &r.worker, 0, NULL, NULL);
		bench_series(c, SERIES_TEARDOWN, &r.teardown, 0, LABEL_MEMORY,
			     vm_memory_names[memory]);
	}
	err = bench_finish(c, err, r.create.n > 0);
	shard_result_free(&r);
	return err;
}

static uint64_t cpu_ns(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000000u + (uint64_t)tv->tv_usec * 1000u;
}

int main(int argc, char **argv)
{
	uint64_t nvms = 1000, batches = 8, nthreads = 1, processes = 0;
	int memory = VM_MEM_SHARED;
	const struct bench_opt opts[] = {
		BENCH_COUNT("vms", "N", "VMs to create and keep alive", &nvms, 1, 1000000),
		BENCH_COUNT("batches", "B", "print the mean per VM of B consecutive batches",
			    &batches, 1, 1000000),
		BENCH_CHOICE("memory", "KIND", "shared or individual", &memory,
			     vm_memory_names),
		BENCH_COUNT("threads", "N", "threads creating VMs at once, each its share;\n"
			    "                      more than 1: result concurrent-threads-N.cbor",
			    &nthreads, 1, 256),
		BENCH_COUNT("processes", "P", "spread the VMs over P worker processes that\n"
			    "                      create theirs in turn (0: all in this one);\n"
			    "                      result concurrent-processes-P.cbor", &processes, 0,
			    100000),
		{ 0 },
	};
	struct bench_common c = {
		.prog = "kvmbench-concurrent", .name = "concurrent", .opts = opts,
		.summary = "Create VMs and keep them all alive; time each creation.",
	};
	struct samples create = { 0 }, teardown = { 0 };
	struct worker *workers = NULL;
	pthread_t *tids = NULL;
	pthread_barrier_t start;
	char file[64];
	struct progress progress;
	struct vm_template t;
	struct vm *vms = NULL;
	int err = bench_parse(&c, argc, argv);

	if (err >= 0)
		return err;
	if (batches > nvms)
		return bench_usage_error(&c, "--batches: more batches than --vms");
	if (nthreads > nvms)
		return bench_usage_error(&c, "--threads: more threads than --vms");
	if (processes && nthreads > 1)
		return bench_usage_error(&c, "--processes and --threads: one or the other");
	if (processes > nvms)
		return bench_usage_error(&c, "--processes: more processes than --vms");
	if (nthreads > 1) {
		snprintf(file, sizeof(file), "concurrent-threads-%llu", (unsigned long long)nthreads);
		c.file = file;
	} else if (processes) {
		snprintf(file, sizeof(file), "concurrent-processes-%llu",
			 (unsigned long long)processes);
		c.file = file;
	}
	err = bench_start(&c);
	if (err != BENCH_MEASURE)
		return err;
	err = 0;
	if (processes)
		return in_processes(&c, nvms, batches, processes, memory);
	err = limits_maps(nvms * (memory == VM_MEM_INDIVIDUAL ? 2 : 1), "--vms live VMs") ?:
	      limits_nofile(2 * nvms, "keeping --vms alive (2 fds each)") ?:
	      limits_memory(nvms * LIVE_VM_BYTES, "--vms live VMs") ?:
	      limits_tasks(nvms * limits_tasks_per_vm(), "--vms live VMs");
	if (err)
		return bench_finish(&c, err, false);
	rec_param_text(&c.out.rec, "guest", "hello");

	err = vm_template_init(&t, &c.kvm, guest_find("hello"), (enum vm_memory)memory, GUEST_DATA_DEFAULT);
	if (err)
		return bench_finish(&c, err, false);
	vms = calloc(nvms, sizeof(*vms));
	workers = calloc(nthreads, sizeof(*workers));
	tids = calloc(nthreads, sizeof(*tids));
	if (!vms || !workers || !tids || samples_init(&create, nvms) ||
	    samples_init(&teardown, nvms)) {
		vm_template_fini(&t);
		return bench_finish(&c, err_set(-ENOMEM, "no memory for %llu VMs",
						(unsigned long long)nvms), false);
	}

	/* Thread k makes the next n_k VMs of vms[]: shares differ by one at most. */
	progress_start(&progress, &c, "VMs of the first thread", nvms / nthreads);
	pthread_barrier_init(&start, NULL, (unsigned)nthreads + 1);
	size_t offset = 0, started = 0;
	for (uint64_t k = 0; k < nthreads && !err; k++) {
		struct worker *w = &workers[k];
		w->t = &t;
		w->n = nvms / nthreads + (k < nvms % nthreads);
		w->vms = vms + offset;
		w->start = &start;
		w->progress = k == 0 ? &progress : NULL;
		w->exits = &c.out.exits;
		offset += w->n;
		err = samples_init(&w->create, w->n);
		if (!err && (err = -pthread_create(&tids[k], NULL, work, w)) != 0)
			err = err_errno(err, "pthread_create");
		started += !err;
	}
	struct rusage ru0, ru1;
	getrusage(RUSAGE_SELF, &ru0);
	uint64_t t0 = clock_ns();
	if (started < nthreads) {
		/* The barrier will never fill: no thread may wait on it. */
		for (size_t k = 0; k < started; k++)
			pthread_cancel(tids[k]);
	} else {
		pthread_barrier_wait(&start);
	}
	for (size_t k = 0; k < started; k++)
		pthread_join(tids[k], NULL);
	uint64_t wall = clock_ns() - t0;
	getrusage(RUSAGE_SELF, &ru1);
	progress_end(&progress);
	pthread_barrier_destroy(&start);

	size_t alive = 0;
	for (uint64_t k = 0; k < nthreads; k++) {
		struct worker *w = &workers[k];
		for (size_t i = 0; i < w->create.n; i++)
			samples_add(&create, w->create.v[i]);
		if (w->err && !err)
			err = err_set(w->err, "thread %llu: %s", (unsigned long long)k, w->msg);
	}
	for (uint64_t k = 0; k < nthreads; k++) {
		bench_live_destroy(workers[k].vms, workers[k].made, &teardown);
		alive += workers[k].made;
	}
	vm_template_fini(&t);
	free(vms);
	free(tids);

	uint64_t user = cpu_ns(&ru1.ru_utime) - cpu_ns(&ru0.ru_utime);
	uint64_t sys = cpu_ns(&ru1.ru_stime) - cpu_ns(&ru0.ru_stime);
	rec_param_uint(&c.out.rec, "vms_made", alive);
	rec_param_uint(&c.out.rec, "wall_ns", wall);
	rec_param_uint(&c.out.rec, "user_ns", user);
	rec_param_uint(&c.out.rec, "sys_ns", sys);
	if (!c.opt.quiet && alive)
		printf("%zu VMs by %llu thread(s) in %.3f s: %.0f VMs/s; CPU time: system %.3f s, "
		       "user %.3f s\n", alive, (unsigned long long)nthreads, (double)wall / 1e9,
		       (double)alive / ((double)wall / 1e9), (double)sys / 1e9, (double)user / 1e9);

	if (!c.opt.quiet && nthreads == 1)
		batch_lines(&create, nvms, batches);
	if (!c.opt.quiet && create.n) {
		bench_print_summary("create+run, kept alive", create.v, create.n);
		bench_print_summary("teardown at the end", teardown.v, teardown.n);
	}
	if (create.n && nthreads == 1) {
		bench_series(&c, SERIES_CREATE_RUN, &create, 0, LABEL_MEMORY, vm_memory_names[memory]);
	} else if (create.n) {
		for (uint64_t k = 0; k < nthreads; k++) {
			char label[32];
			snprintf(label, sizeof(label), "%llu", (unsigned long long)k);
			int i = bench_series(&c, SERIES_CREATE_RUN, &workers[k].create, 0, LABEL_MEMORY,
					     vm_memory_names[memory]);
			if (i >= 0)
				rec_series_label(&c.out.rec, i, LABEL_THREAD, label);
		}
	}
	if (create.n)
		bench_series(&c, SERIES_TEARDOWN, &teardown, 0, LABEL_MEMORY, vm_memory_names[memory]);
	err = bench_finish(&c, err, create.n > 0);
	for (uint64_t k = 0; k < nthreads; k++)
		samples_free(&workers[k].create);
	free(workers);
	samples_free(&create);
	samples_free(&teardown);
	return err;
}
