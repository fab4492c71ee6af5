/*
 * Readings of this process and of the host from /proc, taken at steps of
 * a run and around it (sysinfo.h): lines, meminfo and status fields, task,
 * thread, mapping and descriptor counts, the load.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysinfo.h"

int sysinfo_read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	if (!fgets(buf, (int)size, f)) {
		fclose(f);
		return -ENODATA;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/* The numbers on the "Key:   123 kB" (or "Key: 123") lines of a /proc
 * file, for each of keys[0..n), read in one pass; 0 for a key absent. */
static void fields(const char *path, const char *const *keys, uint64_t *v, size_t n)
{
	FILE *f = fopen(path, "re");
	char line[256];

	memset(v, 0, n * sizeof(*v));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		for (size_t i = 0; i < n; i++) {
			size_t klen = strlen(keys[i]);
			unsigned long long kb = 0;
			if (!strncmp(line, keys[i], klen) && line[klen] == ':' &&
			    sscanf(line + klen + 1, "%llu", &kb) == 1)
				v[i] = (uint64_t)kb;
		}
	}
	fclose(f);
}

static uint64_t field(const char *path, const char *key)
{
	uint64_t v;

	fields(path, &key, &v, 1);
	return v;
}

uint64_t sysinfo_meminfo(const char *key)
{
	return field("/proc/meminfo", key) * 1024;
}

void sysinfo_smaps_bytes(const char *const *keys, uint64_t *bytes, size_t n)
{
	fields("/proc/self/smaps_rollup", keys, bytes, n);
	for (size_t i = 0; i < n; i++)
		bytes[i] *= 1024;
}

uint64_t sysinfo_status_bytes(const char *key)
{
	return field("/proc/self/status", key) * 1024;
}

long sysinfo_tasks(void)
{
	char buf[128];

	/* "0.12 0.08 0.05 1/231 4711": every task of the machine after the '/'. */
	if (sysinfo_read_line("/proc/loadavg", buf, sizeof(buf)) || !strchr(buf, '/'))
		return -1;
	return strtol(strchr(buf, '/') + 1, NULL, 10);
}

long sysinfo_threads(void)
{
	return (long)field("/proc/self/status", "Threads");
}

long sysinfo_map_count(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	long n = 0;
	int c;

	if (!f)
		return -errno;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

long sysinfo_fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	long n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* the directory's own fd */
}

long sysinfo_kernel_threads(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	long n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		char path[300], buf[512];
		int ppid = -1;
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if (sysinfo_read_line(path, buf, sizeof(buf)))
			continue;
		/* pid (comm) state ppid: comm may hold spaces and parentheses. */
		const char *close = strrchr(buf, ')');
		if (close && sscanf(close + 1, " %*c %d", &ppid) == 1 &&
		    (ppid == 2 || !strcmp(e->d_name, "2")))
			n++;
	}
	closedir(d);
	return n;
}

void sysinfo_load(char *load, size_t lsize, char *runnable, size_t rsize)
{
	char line[128], l1[32] = "unreadable", run[32] = "unreadable";

	if (sysinfo_read_line("/proc/loadavg", line, sizeof(line)) == 0)
		sscanf(line, "%31s %*s %*s %31s", l1, run);
	snprintf(load, lsize, "%s", l1);
	snprintf(runnable, rsize, "%s", run);
}
