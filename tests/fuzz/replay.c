/* Description: replays every file of the fuzzing corpus and the seed inputs
 * through the reader's fuzz target: no input may crash it, leak, or trip a
 * sanitizer; every refusal carries a message.  Usage: replay DIR... */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "../helpers.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int main(int argc, char **argv)
{
	size_t files = 0;

	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		struct dirent *e;
		T_CHECK(d, "cannot open %s", argv[i]);
		while ((e = readdir(d))) {
			char path[4096];
			size_t size;
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			unsigned char *data = t_read_file(path, &size);
			LLVMFuzzerTestOneInput(data, size);
			free(data);
			files++;
		}
		closedir(d);
	}
	T_CHECK(files > 0, "no inputs to replay");
	printf("replayed %zu inputs\n", files);
	return T_EXIT_PASS;
}
