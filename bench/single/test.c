/* Description: kvmbench-single end to end, in real VMs: small runs of both
 * memory kinds write a complete result with one sample per VM (warm-up
 * flagged), the parameters and the machine; SIGINT and SIGTERM during a
 * long run keep what was measured, marked incomplete, with exit status 130
 * and 143; a guest that faults or never ends stops the run with exit 1. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "helpers.h"
#include "record.h"

static const char *single;

static void check_file(const char *path, const char *memory, uint64_t rounds,
		       uint64_t iterations, uint64_t warmup)
{
	struct record r;
	struct utsname u;
	uint64_t x;

	T_CHECK(rec_read(&r, path) == 0, "%s", err_msg());
	T_CHECK(!strcmp(r.benchmark, "single") && r.complete, "benchmark %s complete %d",
		r.benchmark, r.complete);
	T_CHECK(rec_map_uint(&r.parameters, "rounds", &x) == 0 && x == rounds, "rounds");
	T_CHECK(rec_map_uint(&r.parameters, "iterations", &x) == 0 && x == iterations, "iter");
	T_CHECK(rec_map_uint(&r.parameters, "warmup", &x) == 0 && x == warmup, "warmup");
	T_CHECK(!strcmp(rec_map_text(&r.parameters, "memory"), memory), "memory");
	T_CHECK(rec_map_uint(&r.parameters, "exits_per_run", &x) == 0 && x == 7, "exits");
	/* Every vCPU got this KVM's CPUID; KVM's own counters were read, saw
	 * at least the exits user space saw, and no instruction emulated
	 * beyond the port I/O this KVM emulates (kvm_open's probe). */
	const char *stats = rec_map_text(&r.parameters, "kvm_stats");
	T_CHECK(stats && !strcmp(rec_map_text(&r.parameters, "vcpu_cpuid"),
				 "KVM_GET_SUPPORTED_CPUID"), "kvm_stats, vcpu_cpuid");
	if (!strcmp(stats, "KVM_GET_STATS_FD")) {
		uint64_t per_io, emulated, total;
		T_CHECK(rec_map_uint(&r.parameters, "kvm_exits_per_run", &x) == 0 && x >= 7,
			"KVM counted %llu exits per run", (unsigned long long)x);
		T_CHECK(rec_map_uint(&r.parameters, "kvm_emulated_per_io_exit", &per_io) == 0 &&
			rec_map_uint(&r.parameters, "kvm_insn_emulation_per_run", &emulated) == 0 &&
			rec_map_uint(&r.parameters, "kvm_insn_emulation_total", &total) == 0 &&
			per_io <= 1 && emulated == 7 * per_io &&
			total == 7 * per_io * (warmup + rounds * iterations),
			"KVM emulated %llu instructions a run, %llu in all (%llu per I/O exit)",
			(unsigned long long)emulated, (unsigned long long)total,
			(unsigned long long)per_io);
	}
	T_CHECK(r.nseries == 1, "%zu series", r.nseries);
	T_CHECK(r.series[0].n == warmup + rounds * iterations && r.series[0].warmup == warmup,
		"%zu samples, %zu warm-up", r.series[0].n, r.series[0].warmup);
	for (size_t i = 0; i < r.series[0].n; i++)
		T_CHECK(r.series[0].samples[i] > 1000, "sample %zu is %llu ns", i,
			(unsigned long long)r.series[0].samples[i]);
	uname(&u);
	T_CHECK(!strcmp(rec_map_text(&r.machine, "kernel_release"), u.release), "kernel");
	T_CHECK(rec_map_text(&r.machine, "kvm_module") && rec_map_text(&r.machine, "cpu_model"),
		"fingerprint");
	/* Inside scripts/vm's machine under software emulation, the file says
	 * so: its timings are nobody's. */
	const char *emulator = rec_map_text(&r.machine, "emulator"), *vm = getenv("KVMBENCH_VM");
	T_CHECK(emulator && (!vm || strcmp(vm, "QEMU TCG") || !strcmp(emulator, "QEMU TCG")),
		"emulator '%s' in a machine of scripts/vm's that is '%s'",
		emulator ? emulator : "(none)", vm ? vm : "");
	rec_free(&r);
}

/* Starts a long run, waits for its first printed line (so something has
 * been measured), sends sig, and checks what it left. */
static void interrupt(int sig)
{
	char path[512];
	int pipefd[2], status;
	struct record r;

	snprintf(path, sizeof(path), "%s/interrupted-%d.cbor", t_tmpdir(), sig);
	T_CHECK(pipe(pipefd) == 0, "pipe");
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		execl(single, single, "--rounds", "100000", "--iterations", "1", "--warmup", "0",
		      "--output", path, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	char c;
	while (read(pipefd[0], &c, 1) == 1 && c != '\n')
		;
	T_CHECK(kill(pid, sig) == 0, "kill");
	T_CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
	close(pipefd[0]);
	T_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 128 + sig,
		"signal %d: exit status %d", sig, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	T_CHECK(rec_read(&r, path) == 0, "%s", err_msg());
	T_CHECK(!r.complete && r.error && strstr(r.error, "interrupted"), "complete %d error %s",
		r.complete, r.error ? r.error : "(none)");
	T_CHECK(r.nseries == 1 && r.series[0].n >= 1 && r.series[0].n < 100000,
		"%zu samples kept", r.nseries ? r.series[0].n : 0);
	rec_free(&r);
}

int main(int argc, char **argv)
{
	char path[1024], dir[512], *out;
	struct kvm kvm;

	T_CHECK(argc == 2, "usage: test PATH-TO-kvmbench-single");
	single = argv[1];
	t_kvm_or_skip(&kvm);
	kvm_close(&kvm);

	snprintf(path, sizeof(path), "%s/s.cbor", t_tmpdir());
	char *a[] = { (char *)single, "--rounds", "2", "--iterations", "5", "--warmup", "3",
		      "--output", path, NULL };
	int rc = t_run(a, &out);
	T_CHECK(rc == 0, "exit %d: %s", rc, out);
	T_CHECK(strstr(out, "Time spent: ") && strstr(strstr(out, "Time spent: ") + 1,
						       "Time spent: "),
		"two round lines expected: %s", out);
	T_CHECK(strstr(out, "median") && strstr(out, "(10 samples, one run)"), "summary: %s", out);
	check_file(path, "shared", 2, 5, 3);
	/* On an emulated CPU the run says its timings are nobody's; else not. */
	struct record rec;
	T_CHECK(rec_read(&rec, path) == 0, "%s", err_msg());
	const char *emulator = rec_map_text(&rec.machine, "emulator");
	T_CHECK(emulator && !strcmp(emulator, "none") ==
		!strstr(out, "this CPU is emulated (QEMU TCG): every timing here is the "
			"emulator's, nobody's number"), "emulator '%s', output: %s",
		emulator ? emulator : "(none)", out);
	rec_free(&rec);
	free(out);

	snprintf(dir, sizeof(dir), "%s/sub/dir", t_tmpdir());
	char *b[] = { (char *)single, "--rounds", "1", "--iterations", "4", "--warmup", "0",
		      "--memory", "individual", "--results-dir", dir, "--quiet", NULL };
	rc = t_run(b, &out);
	T_CHECK(rc == 0 && !*out, "exit %d, --quiet printed: %s", rc, out);
	free(out);
	snprintf(path, sizeof(path), "%s/single-individual.cbor", dir);
	check_file(path, "individual", 1, 4, 0);

	/* --phases: a series per phase, set-cpuid among them, one sample per
	 * VM each, in the order of the VMs: the phases of each VM add up to its
	 * sample exactly (they are stamps between the same clock reads; the
	 * read of KVM's counters lies outside both). */
	snprintf(path, sizeof(path), "%s/phases.cbor", t_tmpdir());
	char *ph[] = { (char *)single, "--phases", "--rounds", "1", "--iterations", "20",
		       "--warmup", "2", "--output", path, NULL };
	rc = t_run(ph, &out);
	T_CHECK(rc == 0 && strstr(out, "phase-teardown: median") &&
		strstr(out, "phase-set-cpuid: median"), "--phases: exit %d: %s", rc, out);
	free(out);
	struct record r;
	T_CHECK(rec_read(&r, path) == 0, "%s", err_msg());
	T_CHECK(r.nseries == 9 && r.series[0].n == 22, "%zu series", r.nseries);
	for (size_t i = 0; i < r.series[0].n; i++) {
		uint64_t sum = 0, total = r.series[0].samples[i];
		for (size_t k = 1; k < 9; k++) {
			T_CHECK(!strncmp(r.series[k].name, "phase-", 6) && r.series[k].n == 22 &&
				r.series[k].samples[i] > 0, "series %s, VM %zu",
				r.series[k].name, i);
			sum += r.series[k].samples[i];
		}
		T_CHECK(sum == total, "VM %zu: phases %llu of %llu ns", i,
			(unsigned long long)sum, (unsigned long long)total);
	}
	rec_free(&r);

	/* Exits are counted for every timed run; hello-outsb prints the same. */
	snprintf(path, sizeof(path), "%s/outsb.cbor", t_tmpdir());
	char *ob[] = { (char *)single, "--guest", "hello-outsb", "--rounds", "1", "--iterations",
		       "5", "--output", path, "--quiet", NULL };
	rc = t_run(ob, &out);
	T_CHECK(rc == 0, "hello-outsb: exit %d: %s", rc, out);
	free(out);
	uint64_t exits, io, runs;
	T_CHECK(rec_read(&r, path) == 0, "%s", err_msg());
	T_CHECK(rec_map_uint(&r.parameters, "exits_per_run", &exits) == 0 &&
		rec_map_uint(&r.parameters, "io_exits_per_run", &io) == 0 &&
		rec_map_uint(&r.parameters, "runs_counted", &runs) == 0, "exit counts missing");
	/* One string OUT and the end at best, one exit per byte at worst. */
	T_CHECK(exits == io && exits >= 2 && exits <= 7 && runs == 105, "exits %llu io %llu "
		"runs %llu", (unsigned long long)exits, (unsigned long long)io,
		(unsigned long long)runs);
	rec_free(&r);

	/* A guest that goes wrong stops the run: no sample of it, exit 1. */
	snprintf(path, sizeof(path), "%s/fault.cbor", t_tmpdir());
	char *f[] = { (char *)single, "--guest", "fault-hlt", "--output", path, NULL };
	rc = t_run(f, &out);
	/* kvm_amd resets the vCPU at a shutdown: then the RIP is said lost. */
	T_CHECK(rc == 1 && (strstr(out, "KVM_EXIT_SHUTDOWN at RIP 0x100000") ||
			    strstr(out, "KVM_EXIT_SHUTDOWN at an unknown RIP (triple fault: "
				   "the guest raised an exception and has no handler; KVM "
				   "reset the vCPU at the shutdown")) &&
		strstr(out, "nothing was measured"), "fault-hlt: exit %d: %s", rc, out);
	T_CHECK(access(path, F_OK) < 0, "a run with no sample wrote %s", path);
	free(out);
	char limit[32], said[96];
	snprintf(limit, sizeof(limit), "%llu", (unsigned long long)t_scaled_ms(100));
	snprintf(said, sizeof(said), "still running after the run time limit of %.3f s",
		 t_scaled_ms(100) / 1e3);
	char *sp[] = { (char *)single, "--guest", "spin", "--guest-timeout", limit,
		       "--output", path, NULL };
	rc = t_run(sp, &out);
	T_CHECK(rc == 1 && strstr(out, said), "spin: exit %d: %s", rc, out);
	free(out);

	interrupt(SIGINT);
	interrupt(SIGTERM);
	t_cleanup();
	return T_EXIT_PASS;
}
