#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static _Thread_local char msg[512];

static void vset(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static void vset(const char *fmt, va_list ap)
{
	vsnprintf(msg, sizeof(msg), fmt, ap);
}

int err_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(fmt, ap);
	va_end(ap);
	return code;
}

int err_errno(int code, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	vset(fmt, ap);
	va_end(ap);
	len = strlen(msg);
	snprintf(msg + len, sizeof(msg) - len, ": %s", strerror(-code));
	return code;
}

const char *err_msg(void)
{
	return msg;
}

int err_prefix(int code, const char *fmt, ...)
{
	char old[sizeof(msg)];
	va_list ap;
	size_t len;

	memcpy(old, msg, sizeof(old));
	va_start(ap, fmt);
	vset(fmt, ap);
	va_end(ap);
	len = strlen(msg);
	snprintf(msg + len, sizeof(msg) - len, ": %s", old);
	return code;
}
