#define _XOPEN_SOURCE 700	/* nftw */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "helpers.h"
#include "record.h"

void t_kvm_or_skip(struct kvm *kvm)
{
	int err = kvm_open(kvm, NULL);

	if (err == -ENOENT || err == -EACCES || err == -EPERM) {
		printf("SKIP: %s\n", err_msg());
		exit(T_EXIT_SKIP);
	}
	T_CHECK(err == 0, "kvm_open: %s", err_msg());
}

unsigned t_time_scale(void)
{
	const char *v = getenv("KVMBENCH_TIME_SCALE");
	char *end;
	unsigned long scale;

	if (!v || !*v)
		return 1;
	errno = 0;
	scale = strtoul(v, &end, 10);
	T_CHECK(!errno && !*end && scale >= 1 && scale <= 10000,
		"KVMBENCH_TIME_SCALE='%s': not a whole number from 1 to 10000", v);
	return (unsigned)scale;
}

uint64_t t_scaled_ms(uint64_t ms)
{
	return ms * t_time_scale();
}

void t_sleep_ms(uint64_t ms)
{
	uint64_t total = t_scaled_ms(ms);
	struct timespec ts = { (time_t)(total / 1000), (long)(total % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static char tmpdir[256];

const char *t_tmpdir(void)
{
	if (!tmpdir[0]) {
		const char *base = getenv("TMPDIR");
		snprintf(tmpdir, sizeof(tmpdir), "%s/kvmbench-test.XXXXXX",
			 base && *base ? base : "/tmp");
		T_CHECK(mkdtemp(tmpdir), "mkdtemp: %s", strerror(errno));
	}
	return tmpdir;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

void t_cleanup(void)
{
	/* No shell: a directory's name is never part of a command. */
	if (tmpdir[0] && nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS) < 0)
		fprintf(stderr, "warning: could not remove %s\n", tmpdir);
	tmpdir[0] = 0;
}

void t_write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	T_CHECK(f, "fopen %s: %s", path, strerror(errno));
	T_CHECK(fwrite(data, 1, size, f) == size, "fwrite %s", path);
	T_CHECK(fclose(f) == 0, "fclose %s", path);
}

unsigned char *t_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;

	T_CHECK(f, "fopen %s: %s", path, strerror(errno));
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			buf = realloc(buf, cap);
			T_CHECK(buf, "out of memory");
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (!got)
			break;
	}
	fclose(f);
	*size = n;
	return buf;
}

pid_t t_start(char *const argv[], int *out)
{
	return t_start_with(argv, out, NULL, NULL);
}

pid_t t_start_with(char *const argv[], int *out, void (*setup)(void *ctx), void *ctx)
{
	int pipefd[2];
	pid_t pid;

	T_CHECK(pipe(pipefd) == 0, "pipe");
	pid = fork();
	T_CHECK(pid >= 0, "fork");
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		close(pipefd[1]);
		if (setup)
			setup(ctx);
		execv(argv[0], argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	*out = pipefd[0];
	return pid;
}

int t_finish(pid_t pid, int fd, char **out)
{
	size_t cap = 4096, n = 0;
	int status;

	*out = malloc(cap);
	T_CHECK(*out, "out of memory");
	for (;;) {
		if (cap - n < 1024) {
			cap *= 2;
			*out = realloc(*out, cap);
			T_CHECK(*out, "out of memory");
		}
		ssize_t got = read(fd, *out + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	(*out)[n] = 0;
	close(fd);
	T_CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int t_run(char *const argv[], char **out)
{
	int fd;
	pid_t pid = t_start(argv, &fd);

	return t_finish(pid, fd, out);
}

char t_path[512];

void t_result(struct record *r, const char *bin, const char *name, const char **args,
	      char **out)
{
	char *argv[32];
	int n = 0;

	snprintf(t_path, sizeof(t_path), "%s/%s.cbor", t_tmpdir(), name);
	argv[n++] = (char *)bin;
	for (; *args && n < 29; args++)
		argv[n++] = (char *)*args;
	argv[n++] = "--output";
	argv[n++] = t_path;
	argv[n] = NULL;
	int rc = t_run(argv, out);
	T_CHECK(rc == 0, "%s: exit %d: %s", name, rc, *out);
	T_CHECK(rec_read(r, t_path) == 0, "%s", err_msg());
	T_CHECK(r->complete && !r->error, "%s: not complete", name);
	T_CHECK(rec_map_text(&r->machine, "kernel_release") &&
		rec_map_text(&r->machine, "kvm_module"), "%s: no machine fingerprint", name);
}

const struct rec_series *t_find(const struct record *r, const char *name, const char *label,
				const char *value)
{
	for (size_t i = 0; i < r->nseries; i++) {
		const struct rec_series *s = &r->series[i];
		if (strcmp(s->name, name))
			continue;
		const char *v = label ? rec_map_text(&s->labels, label) : NULL;
		if (!label || (v && !strcmp(v, value)))
			return s;
	}
	return NULL;
}

const struct rec_series *t_series(const struct record *r, const char *name,
				  const char *memory_label, size_t n)
{
	const struct rec_series *s = t_find(r, name, memory_label ? "memory" : NULL,
					    memory_label);

	T_CHECK(s, "no series %s (%s)", name, memory_label ? memory_label : "-");
	T_CHECK(s->n == n, "series %s (%s): %zu samples, expected %zu", name,
		memory_label ? memory_label : "-", s->n, n);
	return s;
}
