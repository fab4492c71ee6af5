/* Description: SHA-256 gives FIPS 180-4's digests (the empty message,
 * "abc", the 448-bit message, a million 'a' fed in uneven pieces), and
 * the hash of a kernel config is that of its text whether the file is
 * plain or gzip-compressed (/proc/config.gz); a missing file is an error. */
#include <errno.h>
#include <string.h>
#include <zlib.h>

#include "helpers.h"
#include "sha256.h"
#include "sysinfo.h"

static void digest(const char *msg, size_t repeat, size_t piece, const char *want)
{
	struct sha256 s;
	char hex[65];
	size_t len = strlen(msg), total = len * repeat, done = 0;

	sha256_init(&s);
	while (done < total) {
		size_t n = piece < total - done ? piece : total - done;
		/* msg repeated: n bytes from where done falls in it. */
		for (size_t k = 0; k < n; k++)
			sha256_add(&s, msg + (done + k) % len, 1);
		done += n;
	}
	sha256_hex(&s, hex);
	T_CHECK(!strcmp(hex, want), "sha256 of %zu x \"%.20s\": %s, not %s", repeat, msg, hex, want);
}

int main(void)
{
	char path[512], got[80], plain[80];

	digest("", 0, 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	digest("abc", 1, 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1, 7,
	       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	digest("a", 1000000, 997, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

	static const char config[] = "CONFIG_KVM=m\nCONFIG_KVM_AMD=m\n# CONFIG_X is not set\n";
	snprintf(path, sizeof(path), "%s/config", t_tmpdir());
	t_write_file(path, config, sizeof(config) - 1);
	T_CHECK(sysinfo_kernel_config(plain, sizeof(plain), path) == 0, "plain config");
	snprintf(path, sizeof(path), "%s/config.gz", t_tmpdir());
	gzFile gz = gzopen(path, "wb");
	T_CHECK(gz && gzwrite(gz, config, sizeof(config) - 1) == (int)sizeof(config) - 1 &&
		gzclose(gz) == Z_OK, "writing %s", path);
	T_CHECK(sysinfo_kernel_config(got, sizeof(got), path) == 0 && !strcmp(got, plain),
		"config.gz: %s, plain: %s", got, plain);
	struct sha256 s;
	char want[65];
	sha256_init(&s);
	sha256_add(&s, config, sizeof(config) - 1);
	sha256_hex(&s, want);
	T_CHECK(!strcmp(plain, want), "config: %s, its text: %s", plain, want);
	snprintf(path, sizeof(path), "%s/no-such-config", t_tmpdir());
	T_CHECK(sysinfo_kernel_config(got, sizeof(got), path) == -ENOENT, "a missing file");
	t_cleanup();
	return T_EXIT_PASS;
}
