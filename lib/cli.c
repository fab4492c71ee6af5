#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "atomic.h"
#include "cli.h"
#include "err.h"
#include "record.h"

int cli_count(const char *option, const char *arg, uint64_t min, uint64_t max,
	      uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (!*arg || *end || arg[0] == '-' || arg[0] == '+' || arg[0] == ' ')
		return err_set(-EINVAL, "%s: '%s' is not a whole number (expected %llu to %llu)",
			       option, arg, (unsigned long long)min, (unsigned long long)max);
	if (errno == ERANGE || v < min || v > max)
		return err_set(-ERANGE, "%s: %s is out of range (expected %llu to %llu)",
			       option, arg, (unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 0;
}

int cli_size(const char *option, const char *arg, uint64_t min, uint64_t max,
	     uint64_t *out)
{
	static const char units[] = "KMG";
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	const char *unit = *end ? strchr(units, *end) : NULL;
	if (!isdigit((unsigned char)arg[0]) || (*end && (!unit || end[1])))
		return err_set(-EINVAL, "%s: '%s' is not a size (bytes, or a number followed by "
			       "K, M or G; expected %llu to %llu bytes)", option, arg,
			       (unsigned long long)min, (unsigned long long)max);
	unsigned shift = unit ? 10 * (unsigned)(unit - units + 1) : 0;
	if (errno == ERANGE || v > max >> shift || v << shift < min)
		return err_set(-ERANGE, "%s: %s is out of range (expected %llu to %llu bytes)",
			       option, arg, (unsigned long long)min, (unsigned long long)max);
	*out = v << shift;
	return 0;
}

static int mkdir_p(const char *dir)
{
	char path[4096];

	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path))
		return err_set(-ENAMETOOLONG, "directory name too long: %s", dir);
	for (char *p = path + 1; ; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;
		*p = 0;
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return err_errno(-errno, "cannot create directory %s", path);
		if (!c)
			break;
		*p = c;
	}
	return 0;
}

static int writable_dir(const char *dir, const char *file)
{
	struct stat st;

	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return err_set(-ENOENT, "cannot write %s: directory %s does not exist "
			       "(create it, or choose another --output)", file, dir);
	if (access(dir, W_OK) < 0)
		return err_set(-EACCES, "cannot write %s: directory %s is not writable "
			       "(choose another --output)", file, dir);
	return 0;
}

int cli_output_path(char *buf, size_t size, const char *bench, const char *output,
		    const char *results_dir)
{
	char dir[4096];
	int n, err;

	if (output) {
		struct stat st;
		n = snprintf(buf, size, "%s", output);
		if (n < 0 || (size_t)n >= size)
			return err_set(-ENAMETOOLONG, "--output: path too long");
		if (!*output || output[strlen(output) - 1] == '/' ||
		    (stat(output, &st) == 0 && S_ISDIR(st.st_mode)))
			return err_set(-EISDIR, "--output: '%s' names a directory, not a "
				       "file (use --results-dir for a directory)", output);
		snprintf(dir, sizeof(dir), "%s", output);
		return writable_dir(dirname(dir), output);
	}
	if (results_dir) {
		struct stat st;
		if (!*results_dir)
			return err_set(-EINVAL, "--results-dir: the name is empty: name a directory");
		if (stat(results_dir, &st) == 0 && !S_ISDIR(st.st_mode))
			return err_set(-ENOTDIR, "--results-dir: %s is %s, not a directory (use "
				       "--output to name a result file)", results_dir,
				       file_kind(st.st_mode));
		n = snprintf(dir, sizeof(dir), "%s", results_dir);
	} else {
		struct utsname u;
		if (uname(&u) < 0)
			return err_errno(-errno, "uname");
		n = snprintf(dir, sizeof(dir), "results/%s-%s", u.nodename, u.release);
	}
	if (n < 0 || (size_t)n >= sizeof(dir))
		return err_set(-ENAMETOOLONG, "results directory name too long");
	err = mkdir_p(dir);
	if (err)
		return err;
	n = snprintf(buf, size, "%s/%s.cbor", dir, bench);
	if (n < 0 || (size_t)n >= size)
		return err_set(-ENAMETOOLONG, "result path too long");
	return writable_dir(dir, buf);
}
