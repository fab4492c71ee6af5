/* Description: live VMs spread over worker processes.  kvmbench-scaling
 * --vms 60 --processes 3 --step 20: complete, 60 samples made by workers
 * 0, 0, ... 1 ... 2 in creation order, readings at 0, 20, 40 and 60 VMs
 * with the mappings summed over the workers (rising by at least one per
 * VM), 60 teardowns.  --sweep-processes over 40 VMs: points of 40, 20 and
 * 10 VMs per process, each its own labelled series.  SIGINT to the parent
 * alone during a run reaches the workers: exit 130, what was measured is
 * kept, marked incomplete; a worker killed (SIGKILL) while another creates
 * stops the run with a message naming it: exit 1, the samples of the
 * worker that was creating kept, marked incomplete.  Either way no worker
 * process is left.
 * Usage: shard PATH-TO-kvmbench-scaling */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "helpers.h"
#include "record.h"
#include "series.h"
#include "names.h"

/* The children of pid, in pid order (fork order here): up to max. */
static int children(pid_t pid, pid_t *out, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	T_CHECK(d, "opendir /proc");
	while ((e = readdir(d)) && n < max) {
		char path[300], buf[512];
		int ppid = -1;
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f) && strrchr(buf, ')'))
			sscanf(strrchr(buf, ')') + 2, "%*c %d", &ppid);
		fclose(f);
		if (ppid == pid)
			out[n++] = (pid_t)atoi(e->d_name);
	}
	closedir(d);
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && out[j] < out[j - 1]; j--) {
			pid_t t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

/* Open files of pid (every live VM holds at least one), 0 once it is gone.
 * Not its threads: where a VM's NX recovery task is a thread of the
 * process depends on the kernel (a kernel thread of its own on 6.1). */
static long open_files(pid_t pid)
{
	char path[64];
	struct dirent *e;
	long n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return 0;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static bool gone(pid_t pid)
{
	char path[64], buf[512];

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return true;
	bool zombie = fgets(buf, sizeof(buf), f) && strrchr(buf, ')') && strrchr(buf, ')')[2] == 'Z';
	fclose(f);
	return zombie;
}

/* Starts a long sharded run; returns once its first worker has made VMs,
 * with the workers' pids in w[0..3). */
static pid_t start_long(char *scaling, const char *path, pid_t w[3], int *fd)
{
	char *argv[] = { scaling, "--vms", "6000", "--processes", "3", "--quiet", "--output",
			 (char *)path, NULL };
	pid_t pid = t_start(argv, fd);

	for (int i = 0; i < 1000; i++) {
		t_sleep_ms(10);
		if (children(pid, w, 3) == 3 && open_files(w[0]) > 100)
			return pid;
	}
	T_CHECK(false, "the first worker made no VMs in %.0f s", t_scaled_ms(10000) / 1e3);
	return pid;
}

int main(int argc, char **argv)
{
	char path[512], *out;
	struct record r;
	struct kvm kvm;
	pid_t w[3];
	int fd;

	T_CHECK(argc == 2, "usage: shard PATH-TO-kvmbench-scaling");
	t_kvm_or_skip(&kvm);
	kvm_close(&kvm);

	snprintf(path, sizeof(path), "%s/sharded.cbor", t_tmpdir());
	char *three[] = { argv[1], "--vms", "60", "--processes", "3", "--step", "20", "--output",
			  path, NULL };
	int rc = t_run(three, &out);
	T_CHECK(rc == 0 && strstr(out, "processes: 3 of 20 VMs"), "exit %d: %s", rc, out);
	free(out);
	T_CHECK(rec_read(&r, path) == 0 && r.complete, "%s", err_msg());
	const struct rec_series *create = t_find(&r, SERIES_CREATE_RUN, NULL, NULL),
				*worker = t_find(&r, SERIES_WORKER, NULL, NULL),
				*teardown = t_find(&r, SERIES_TEARDOWN, NULL, NULL),
				*maps = t_find(&r, "maps", NULL, NULL);
	T_CHECK(create && create->n == 60 && worker && worker->n == 60 && teardown &&
		teardown->n == 60, "series: %zu created, %zu teardowns", create ? create->n : 0,
		teardown ? teardown->n : 0);
	for (size_t i = 0; i < 60; i++)
		T_CHECK(worker->samples[i] == i / 20, "VM %zu made by worker %llu", i,
			(unsigned long long)worker->samples[i]);
	T_CHECK(maps && maps->n == 4, "%zu readings of the mappings", maps ? maps->n : 0);
	for (size_t k = 1; k < 4; k++)
		T_CHECK(maps->samples[k] >= maps->samples[k - 1] + 20,
			"mappings at step %zu: %llu after %llu", k,
			(unsigned long long)maps->samples[k], (unsigned long long)maps->samples[k - 1]);
	uint64_t v;
	T_CHECK(rec_map_uint(&r.parameters, "workers", &v) == 0 && v == 3, "workers");
	rec_free(&r);

	/* The sweep: a labelled series per point. */
	snprintf(path, sizeof(path), "%s/sweep.cbor", t_tmpdir());
	char *sweep[] = { argv[1], "--vms", "40", "--step", "10", "--sweep-processes", "--quiet",
			  "--output", path, NULL };
	rc = t_run(sweep, &out);
	T_CHECK(rc == 0, "exit %d: %s", rc, out);
	free(out);
	T_CHECK(rec_read(&r, path) == 0 && r.complete, "%s", err_msg());
	static const char *const points[] = { "40", "20", "10" };
	for (size_t p = 0; p < 3; p++) {
		const struct rec_series *s = t_find(&r, SERIES_CREATE_RUN, LABEL_VMS_PER_PROCESS,
						  points[p]);
		const struct rec_series *c = t_find(&r, "cumulative", LABEL_VMS_PER_PROCESS, points[p]);
		T_CHECK(s && s->n == 40 && c && c->n == 5, "point %s", points[p]);
	}
	T_CHECK(!t_find(&r, SERIES_CREATE_RUN, LABEL_VMS_PER_PROCESS, "1000"), "a point above --vms");
	rec_free(&r);

	/* SIGINT to the parent alone: passed on; what was made is kept. */
	snprintf(path, sizeof(path), "%s/interrupted.cbor", t_tmpdir());
	pid_t pid = start_long(argv[1], path, w, &fd);
	T_CHECK(kill(pid, SIGINT) == 0, "kill");
	rc = t_finish(pid, fd, &out);
	T_CHECK(rc == 130 && strstr(out, "marked incomplete"), "exit %d: %s", rc, out);
	free(out);
	for (int i = 0; i < 3; i++)
		T_CHECK(gone(w[i]), "worker %d (pid %d) is left", i, (int)w[i]);
	T_CHECK(rec_read(&r, path) == 0 && !r.complete && strstr(r.error, "interrupted"), "%s",
		err_msg());
	create = t_find(&r, SERIES_CREATE_RUN, NULL, NULL);
	T_CHECK(create && create->n > 0 && create->n < 6000, "%zu samples kept",
		create ? create->n : 0);
	rec_free(&r);

	/* A worker killed while the first creates: named; the first's samples kept. */
	snprintf(path, sizeof(path), "%s/killed.cbor", t_tmpdir());
	pid = start_long(argv[1], path, w, &fd);
	T_CHECK(kill(w[1], SIGKILL) == 0, "kill");
	rc = t_finish(pid, fd, &out);
	char want[64];
	snprintf(want, sizeof(want), "worker 1 (pid %d) was killed by signal 9", (int)w[1]);
	T_CHECK(rc == 1 && strstr(out, want), "exit %d: %s", rc, out);
	free(out);
	for (int i = 0; i < 3; i++)
		T_CHECK(gone(w[i]), "worker %d (pid %d) is left", i, (int)w[i]);
	T_CHECK(rec_read(&r, path) == 0 && !r.complete && strstr(r.error, "worker 1"), "%s",
		r.error ? r.error : err_msg());
	create = t_find(&r, SERIES_CREATE_RUN, NULL, NULL);
	T_CHECK(create && create->n > 0 && create->n <= 2000, "%zu samples kept",
		create ? create->n : 0);
	rec_free(&r);
	t_cleanup();
	return T_EXIT_PASS;
}
