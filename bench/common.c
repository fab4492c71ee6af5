/*
 * The start of a run: the result's path checked (and what killed runs left
 * removed), --append's runs read, --runs K handed to bench_runs(), the
 * machine probed and recorded, the limits for one VM checked, /dev/kvm
 * opened and the watchdog started.  options.c parses, result.c ends a run,
 * measure.c holds the loops that drive VMs, signals.c the signals.
 */
#define _GNU_SOURCE	/* sched_setaffinity */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "cli.h"
#include "common.h"
#include "err.h"
#include "limits.h"
#include "watchdog.h"

/* A --device that cannot be KVM is a usage error, found before anything. */
static int check_device(const struct bench_common *c)
{
	struct stat st;

	if (!c->opt.device)
		return 0;
	if (!*c->opt.device)
		return err_set(-EINVAL, "--device: the path is empty: name the KVM device "
			       "(/dev/kvm)");
	if (stat(c->opt.device, &st) < 0 && errno == ENOENT)
		return err_set(-ENOENT, "--device: %s does not exist (the KVM device is "
			       "/dev/kvm)", c->opt.device);
	if (stat(c->opt.device, &st) < 0)
		return err_errno(-errno, "--device: cannot reach %s", c->opt.device);
	if (!S_ISCHR(st.st_mode))
		return err_set(-ENODEV, "--device: %s is %s, not a device (the KVM device is "
			       "/dev/kvm)", c->opt.device, file_kind(st.st_mode));
	return 0;
}

int bench_start(struct bench_common *c)
{
	char path[sizeof(c->out.path)];
	int stale;

	pthread_mutex_init(&c->out.exits.lock, NULL);
	if (cli_output_path(path, sizeof(path), c->file ? c->file : c->name, c->opt.output,
			    c->opt.results_dir) ||
	    atomic_prepare(path, c->out.path, sizeof(c->out.path), &stale) || check_device(c))
		return bench_usage_error(c, err_msg());
	if (stale)
		fprintf(stderr, "%s: removed %d temporary file%s of %s left by runs killed while "
			"writing it\n", c->prog, stale, stale > 1 ? "s" : "", c->out.path);
	if (c->opt.append && !c->role.run_of && bench_prior_read(c)) {
		int status = bench_usage_error(c, err_msg());
		if (c->out.have_prior)
			rec_free(&c->out.prior);
		c->out.have_prior = false;
		return status;
	}
	if (c->opt.cpu >= 0) {
		cpu_set_t one;
		CPU_ZERO(&one);
		CPU_SET(c->opt.cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one) < 0) {
			err_errno(-errno, "--cpu %d: cannot run there (is it online, and ours?)",
				  c->opt.cpu);
			return bench_usage_error(c, err_msg());
		}
	}
	/* The parent of --runs: the runs, each a process of its own, and their
	 * one result, are all it does; its status is theirs. */
	if (c->opt.runs > 1 && !c->role.run_of)
		return bench_runs(c);
	/* A reader that goes away (| head) must not cost the measurement:
	 * printing stops mattering, the run goes on and its file is written. */
	signal(SIGPIPE, SIG_IGN);
	/* Job control: a stop inside a timed region is seen and left out. */
	bench_catch_continue();
	machine_probe(&c->machine);
	/* A noisy machine is said, and recorded; never refused. */
	char noise[256];
	machine_noise(&c->machine, noise, sizeof(noise));
	if (rec_init(&c->out.rec, c->name) || machine_record(&c->out.rec, &c->machine) ||
	    rec_param_text(&c->out.rec, "noise_warnings", noise[0] ? noise : "none") ||
	    bench_record_invocation(c, &c->out.rec) || rec_param_uint(&c->out.rec, "runs", 1)) {
		fprintf(stderr, "%s: %s\n", c->prog, err_msg());
		return 1;
	}
	/* Room for one VM at least, before the first descriptor or thread. */
	int err = limits_nofile(VM_FDS, "even one VM") ?:
		  limits_memory(RUN_BYTES, "a run (guest memory, the watchdog, buffers)");
	if (!err && (err = kvm_open(&c->kvm, c->opt.device)) != 0 && c->opt.device &&
	    err != -EACCES && err != -EPERM) {
		/* A device that exists but does not speak KVM: the option is wrong. */
		char msg[600];
		snprintf(msg, sizeof(msg), "--device: %s is not a KVM device (%s)", c->opt.device,
			 err_msg());
		rec_free(&c->out.rec);
		return bench_usage_error(c, msg);
	}
	if (err || (c->opt.guest_timeout_ms && watchdog_start(c->opt.guest_timeout_ms * 1000000))) {
		fprintf(stderr, "%s: %s\n", c->prog, err_msg());
		if (err == -ENOENT && !c->opt.device)
			fprintf(stderr, "%s: without a KVM, make test still checks the suite: it runs "
				"the VM tests in an emulated machine with a KVM inside (scripts/vm); "
				"timings taken there are the emulator's, nobody's numbers\n", c->prog);
		if (!err)
			kvm_close(&c->kvm);
		rec_free(&c->out.rec);
		return 1;
	}
	bench_catch_interrupt();
	/* How every VM is set up since 0.3.0, so that compare never pairs such
	 * runs with older ones silently; and whether KVM's own counters are
	 * read, said once where they cannot be. */
	rec_param_text(&c->out.rec, "vcpu_cpuid", "KVM_GET_SUPPORTED_CPUID");
	rec_param_text(&c->out.rec, "page_tables", "writable memslot");
	rec_param_text(&c->out.rec, "kvm_stats", c->kvm.stats.available ? "KVM_GET_STATS_FD" :
		       c->kvm.stats.why);
	rec_param_uint(&c->out.rec, "kvm_emulated_per_io_exit", c->kvm.emulated_per_io);
	if (!c->kvm.stats.available && !c->opt.quiet)
		fprintf(stderr, "%s: note: %s: whether KVM emulated guest instructions cannot be "
			"checked (recorded as kvm_stats)\n", c->prog, c->kvm.stats.why);
	if (noise[0] && !c->opt.quiet)
		fprintf(stderr, "%s: warning: the machine is not quiet (%s): runs will spread "
			"more than they need to\n", c->prog, noise);
	/* With --quiet the result file (machine.emulator) and every report say it. */
	if (strcmp(c->machine.emulator, "none") && !c->opt.quiet)
		fprintf(stderr, "%s: warning: this CPU is emulated (%s): every timing here is "
			"the emulator's, nobody's number; the run checks the suite, it measures "
			"no KVM\n", c->prog, c->machine.emulator);
	return BENCH_MEASURE;
}

