/*
 * Files written whole or not at all, and read back whole.  A result is
 * written to a new file in its directory (unnamed with O_TMPFILE where the
 * file system can; else under a temporary name beside it), synced, and
 * renamed over its path: a reader never sees half a file under the final
 * name, and a run killed meanwhile leaves nothing, or a temporary file the
 * next atomic_prepare() removes.  Functions return 0 or -errno with a
 * message (err.h).
 */
#ifndef KVMBENCH_ATOMIC_H
#define KVMBENCH_ATOMIC_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* The one temporary name beside path: "<path>.tmp.<pid>.<6 hex digits of
 * tag>".  The pid tells one left by a killed process from one being
 * written; atomic_prepare() removes those whose process is gone. */
int atomic_tmp_name(char *buf, size_t size, const char *path, unsigned tag);
/* Before a run: checks that a file can be written and renamed where path
 * goes (a symbolic link is followed: resolved is where to write), and
 * removes temporary files of path left by killed processes (*removed: how
 * many). */
int atomic_prepare(const char *path, char *resolved, size_t size, int *removed);
/* Writes len bytes to path, atomically and durably (the file, then its
 * directory, synced). */
int atomic_write(const char *path, const void *buf, size_t len);
/* Reads a regular file of at most max bytes into *buf (malloc'd), what
 * naming the kind of file in messages ("result"). */
int atomic_read(const char *path, size_t max, const char *what, unsigned char **buf,
		size_t *len);
/* What fstat's err (0 or -errno) and *st say against reading the file
 * shown: its status unreadable, or not a regular file; 0 if neither.
 * *st is not looked at when err is set. */
int atomic_stat_problem(int err, const struct stat *st, const char *shown, const char *what);
/* The lock of a read-merge-write of path (--append): a record lock on
 * "<dir>/.<name>.lock" beside it, held until atomic_unlock(), and dropped
 * by the kernel with its process (kill -9 included), so it never outlives
 * a writer.  Where another process holds it, waiting(holder, ctx) is
 * called once before this one waits (holder 0 where it cannot be known).
 * The lock's fd, or -errno with a message. */
int atomic_lock(const char *path, void (*waiting)(pid_t holder, void *ctx), void *ctx);
void atomic_unlock(int fd);
/* "a regular file", "a directory", "a FIFO", ... */
const char *file_kind(mode_t mode);

#endif
