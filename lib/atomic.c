/*
 * Files written whole or not at all: a new file without a name (O_TMPFILE)
 * or under a temporary one beside the target, written, synced and renamed
 * over it; what killed runs left behind is removed before the next writes.
 */
#define _GNU_SOURCE	/* O_TMPFILE */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "err.h"
#include "escape.h"

const char *file_kind(mode_t mode)
{
	return S_ISREG(mode) ? "a regular file" : S_ISDIR(mode) ? "a directory" :
	       S_ISFIFO(mode) ? "a FIFO" : S_ISSOCK(mode) ? "a socket" :
	       S_ISCHR(mode) ? "a character device" : S_ISBLK(mode) ? "a block device" :
	       S_ISLNK(mode) ? "a symbolic link" : "a special file";
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The directory of path, into buf. */
static char *dir_of(const char *path, char *buf, size_t size)
{
	char copy[4096];

	snprintf(copy, sizeof(copy), "%s", path);
	snprintf(buf, size, "%s", dirname(copy));
	return buf;
}

int atomic_tmp_name(char *buf, size_t size, const char *path, unsigned tag)
{
	if (snprintf(buf, size, "%s.tmp.%d.%06x", path, (int)getpid(), tag & 0xffffff) >= (int)size)
		return err_set(-ENAMETOOLONG, "result path too long: %s", ESC_SHOWN(path));
	return 0;
}

/* atomic_tmp_name() with a tag of its own, new at every call. */
static int tmp_name(char *buf, size_t size, const char *path)
{
	static _Atomic unsigned counter;
	unsigned r = (unsigned)clock() ^ (unsigned)getpid() * 2654435761u ^ ++counter * 40503u;

	return atomic_tmp_name(buf, size, path, r);
}

/* A new file under a temporary name beside path, for writing. */
static int create_tmp(const char *path, char *tmp, size_t size)
{
	for (int tries = 0; tries < 100; tries++) {
		int err = tmp_name(tmp, size, path);
		if (err)
			return err;
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0 || errno != EEXIST)
			return fd >= 0 ? fd : -errno;
	}
	return -EEXIST;
}

/* What a failure to create a file in dir means, with the fix. */
static int dir_problem(int err, const char *dir, const char *path)
{
	if (err == -ENAMETOOLONG)
		return err_set(err, "cannot write the result %s: its name is too long once "
			       "kvmbench's temporary suffix (.tmp.<pid>.<6 digits>) is added; "
			       "choose a shorter one", ESC_SHOWN(path));
	return err_errno(err, "cannot create a file in %s for the result (choose another "
			 "--output or --results-dir)", ESC_SHOWN(dir));
}

/* A new file in dir, for what goes to path: without a name (O_TMPFILE), so
 * that a kill while it is written leaves nothing behind; where the file
 * system cannot, under a temporary name beside path (*named, in tmp). */
static int open_new(const char *dir, const char *path, char *tmp, size_t size, bool *named)
{
	int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);

	*named = fd < 0;
	return fd >= 0 ? fd : create_tmp(path, tmp, size);
}

/* Names the file open_new() gave for path, once it is written and synced:
 * renames it to target (path itself, or the probe's name), an unnamed one
 * linked under a temporary name beside path just before.  Closes fd; on
 * error nothing of it stays. */
static int publish(int fd, bool named, char *tmp, size_t size, const char *path,
		   const char *target)
{
	char proc[64];
	int err = 0;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	for (int tries = 0; !named && !err && tries < 100; tries++) {
		err = tmp_name(tmp, size, path);
		if (!err && linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0)
			named = true;
		else if (!err && errno != EEXIST)
			err = -errno;
	}
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, target) < 0)
		err = -errno;
	if (err && named)
		unlink(tmp);
	return err;
}

int atomic_prepare(const char *path, char *resolved, size_t size, int *removed)
{
	char dir[4096], tmp[4096], probe[4096];
	struct stat st;
	bool named;
	int err, fd;

	*removed = 0;
	if (snprintf(resolved, size, "%s", path) >= (int)size)
		return err_set(-ENAMETOOLONG, "result path too long: %s", ESC_SHOWN(path));
	if (lstat(path, &st) == 0) {
		bool link = S_ISLNK(st.st_mode);
		char real[PATH_MAX];
		if (link && stat(path, &st) < 0)
			return err_errno(-errno, "%s is a symbolic link to no file: remove it or "
					 "choose another --output", ESC_SHOWN(path));
		if (!S_ISREG(st.st_mode))
			return err_set(-EINVAL, "%s is %s%s, not a regular file: a result is "
				       "written by renaming a new file over its path, which would "
				       "replace it; choose a file name", ESC_SHOWN(path),
				       link ? "a symbolic link to " : "", file_kind(st.st_mode));
		/* Followed: the result replaces the file the link names. */
		if (link && (!realpath(path, real) ||
			     snprintf(resolved, size, "%s", real) >= (int)size))
			return err_errno(-errno, "cannot resolve %s", ESC_SHOWN(path));
	} else if (errno != ENOENT) {
		return err_errno(-errno, "cannot write the result %s", ESC_SHOWN(path));
	}

	dir_of(resolved, dir, sizeof(dir));
	const char *base = strrchr(resolved, '/') ? strrchr(resolved, '/') + 1 : resolved;
	size_t blen = strlen(base);
	DIR *d = opendir(dir);
	struct dirent *e;
	/* Temporary files of this result left by runs that were killed. */
	while (d && (e = readdir(d))) {
		int pid, end = 0;
		unsigned suffix;
		if (strncmp(e->d_name, base, blen) || strncmp(e->d_name + blen, ".tmp.", 5) ||
		    sscanf(e->d_name + blen + 5, "%d.%6x%n", &pid, &suffix, &end) != 2 ||
		    e->d_name[blen + 5 + end] || pid <= 0 || pid == getpid() ||
		    kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		*removed += unlinkat(dirfd(d), e->d_name, 0) == 0;
	}
	if (d)
		closedir(d);

	/* What the final write does, to a name of its own that is removed
	 * again: a problem of the path shows now, not after the run. */
	err = tmp_name(probe, sizeof(probe), resolved);
	fd = err ? err : open_new(dir, resolved, tmp, sizeof(tmp), &named);
	if (fd < 0)
		return dir_problem(fd, dir, path);
	err = write(fd, "", 1) == 1 && fsync(fd) == 0 ? 0 : -errno;
	if (err)
		close(fd);
	if (err || (err = publish(fd, named, tmp, sizeof(tmp), resolved, probe)) != 0) {
		if (named)
			unlink(tmp);
		if (err == -ENAMETOOLONG)
			return dir_problem(err, dir, path);
		return err_errno(err, "cannot write the result in %s: a test file could not be "
				 "written and renamed there (choose another --output or "
				 "--results-dir)", ESC_SHOWN(dir));
	}
	unlink(probe);
	return 0;
}


int atomic_write(const char *path, const void *buf, size_t len)
{
	char tmp[4096], dir[4096];
	bool named;
	int fd, err;

	dir_of(path, dir, sizeof(dir));
	fd = open_new(dir, path, tmp, sizeof(tmp), &named);
	if (fd < 0)
		return dir_problem(fd, dir, path);
	err = write_all(fd, buf, len);
	if (!err && fchmod(fd, 0644) < 0)
		err = -errno;
	if (!err && fsync(fd) < 0)
		err = -errno;
	if (err) {
		close(fd);
		if (named)
			unlink(tmp);
	} else {
		err = publish(fd, named, tmp, sizeof(tmp), path, path);
	}
	if (err)
		return err_errno(err, "cannot write %s", ESC_SHOWN(path));
	/* Make the rename itself durable. */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
}

int atomic_stat_problem(int err, const struct stat *st, const char *shown, const char *what)
{
	if (err)
		return err_errno(err, "cannot read the status of %s", shown);
	if (!S_ISREG(st->st_mode))
		return err_set(-EINVAL, "%s is %s, not a %s file", shown, file_kind(st->st_mode),
			       what);
	return 0;
}

int atomic_read(const char *path, size_t max, const char *what, unsigned char **out,
		size_t *len)
{
	/* O_NONBLOCK: a FIFO under a file's name must not block the open. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	char shown[512];
	struct stat st;
	unsigned char *buf;
	size_t got = 0;
	int err;

	*out = NULL;
	*len = 0;
	esc_terminal(path, shown, sizeof(shown));
	if (fd < 0)
		return err_errno(-errno, "cannot open %s", shown);
	err = atomic_stat_problem(fstat(fd, &st) < 0 ? -errno : 0, &st, shown, what);
	if (err) {
		close(fd);
		return err;
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		return err_set(-EFBIG, "%s is %lld bytes, more than any kvmbench %s (%zu)", shown,
			       (long long)st.st_size, what, max);
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		close(fd);
		return err_set(-ENOMEM, "out of memory reading %s", shown);
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? err_errno(-errno, "cannot read %s", shown)
				    : err_set(-EIO, "%s shrank while being read", shown);
			free(buf);
			close(fd);
			return err;
		}
		got += (size_t)n;
	}
	close(fd);
	*out = buf;
	*len = got;
	return 0;
}

/* "<dir>/.<name>.lock" for path: beside it, hidden, never a result's name. */
static int lock_name(char *buf, size_t size, const char *path)
{
	char dir[4096], copy[4096];

	snprintf(copy, sizeof(copy), "%s", path);
	if (snprintf(buf, size, "%s/.%s.lock", dir_of(path, dir, sizeof(dir)), basename(copy)) >=
	    (int)size)
		return err_set(-ENAMETOOLONG, "the lock file's name for %s is too long",
			       ESC_SHOWN(path));
	return 0;
}

int atomic_lock(const char *path, void (*waiting)(pid_t holder, void *ctx), void *ctx)
{
	char name[4200];
	int err = lock_name(name, sizeof(name), path);

	if (err)
		return err;
	int fd = open(name, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return err_errno(-errno, "cannot open the lock file %s", ESC_SHOWN(name));
	/* A record lock: the kernel drops it with its process, kill -9 too. */
	struct flock l = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	if (fcntl(fd, F_SETLK, &l) == 0)
		return fd;
	if (errno != EAGAIN && errno != EACCES) {
		err = err_errno(-errno, "cannot lock %s", ESC_SHOWN(name));
		close(fd);
		return err;
	}
	struct flock who = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	if (waiting)
		waiting(fcntl(fd, F_GETLK, &who) == 0 && who.l_type != F_UNLCK ? who.l_pid : 0,
			ctx);
	/* A signal that ends the run must not cost what it measured: wait on. */
	while (fcntl(fd, F_SETLKW, &l) < 0) {
		if (errno == EINTR)
			continue;
		err = err_errno(-errno, "cannot lock %s", ESC_SHOWN(name));
		close(fd);
		return err;
	}
	return fd;
}

void atomic_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}
