/*
 * The aggressors of kvmbench-neighbours (neighbours.h): each kind set up
 * before it is let go, and paced to its rate.
 */
#define _GNU_SOURCE	/* sched_setaffinity */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "clock.h"
#include "err.h"
#include "neighbours.h"
#include "reset.h"

const char *const kind_names[KINDS + 2] = { "oneshot", "reset", "mmap", "all", NULL };
const char *const placement_names[PLACES + 2] = { "process", "thread", "both", NULL };

#define MMAP_BYTES (64u << 10)

static int op(const struct aggressor *a, const struct vm_template *t, struct vm *vm)
{
	struct vm_result res;
	uint64_t ns;

	switch (a->kind) {
	case KIND_ONESHOT:
		return vm_oneshot(t, &res, &ns) ?: bench_check_hello(&res);
	case KIND_RESET:
		return reset_vm(vm, RESET_MADVISE, VCPU_RESET_REGS, 0, 0) ?: vm_run(vm, &res) ?:
		       bench_check_hello(&res);
	case KIND_MMAP: {
		char *p = mmap(NULL, MMAP_BYTES, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return err_errno(-errno, "mmap of %u bytes", MMAP_BYTES);
		for (size_t i = 0; i < MMAP_BYTES; i += 4096)
			p[i] = 1;
		munmap(p, MMAP_BYTES);
		return 0;
	}
	case KINDS:
		break;
	}
	return -EINVAL;
}

static void sleep_until(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000u),
			       .tv_nsec = (long)(ns % 1000000000u) };
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

int aggress(const struct aggressor *a)
{
	struct vm_template t;
	struct vm vm;
	bool have_t = false, have_vm = false;
	int err = sched_setaffinity(0, sizeof(a->cpus), &a->cpus) < 0 ?
		  err_errno(-errno, "an aggressor cannot run on the CPUs besides the victim's") : 0;

	if (!err && a->kind != KIND_MMAP) {
		err = vm_template_init(&t, &a->c->kvm, guest_find("hello"),
				       a->kind == KIND_RESET ? VM_MEM_INDIVIDUAL : VM_MEM_SHARED,
				       GUEST_DATA_DEFAULT);
		have_t = !err;
	}
	if (!err && a->kind == KIND_RESET) {
		struct vm_result res;
		err = reset_prepare(&t, RESET_MADVISE) ?: vm_create(&vm, &t);
		have_vm = !err;
		err = err ?: vm_run(&vm, &res);
	}
	if (err)
		atomic_fetch_add(&a->sh->failed, 1);
	atomic_fetch_add(&a->sh->ready, 1);
	while (!err && !atomic_load(&a->sh->go) && !atomic_load(&a->sh->stop))
		sleep_until(clock_ns() + 100000);
	uint64_t next = clock_ns(), gap = a->rate ? 1000000000u / a->rate : 0;
	while (!err && !atomic_load(&a->sh->stop)) {
		err = op(a, &t, &vm);
		atomic_fetch_add(&a->sh->ops, 1);
		if (gap) {
			next += gap;
			sleep_until(next);
		}
	}
	if (have_vm)
		vm_destroy(&vm);
	if (have_t)
		vm_template_fini(&t);
	return err;
}
