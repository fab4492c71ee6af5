/*
 * Errors from lib/: every function that can fail returns 0 or -errno and
 * leaves one line saying what failed and what to do in a per-thread buffer.
 * lib/ never prints and never exits; the caller decides.
 */
#ifndef KVMBENCH_ERR_H
#define KVMBENCH_ERR_H

/* Sets the message (printf-style) and returns code, for `return err_set(...)`. */
int err_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like err_set, with ": strerror(-code)" appended. */
int err_errno(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Puts "<fmt>: " before the message already set ("VM 3: KVM_RUN: ..."),
 * and returns code. */
int err_prefix(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The last message set by this thread ("" if none). */
const char *err_msg(void);

#endif
