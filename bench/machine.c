/*
 * kvmbench-machine: the machine facts the shell scripts need, from the one
 * place that knows them (lib/sysinfo.c), as the result files record them.
 *   --kvm-module          kvm_intel, kvm_amd, kvm_pvm or unknown
 *   --kvm-paging          the KVM's paging: npt=1, ept=1 eptad=1, shadow, ...
 *   --kvm                 the KVM at hand in one line, for messages
 *   --kernel-config FILE  sha256 of the kernel config FILE (.gz or not)
 */
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "sysinfo.h"

static int usage(void)
{
	fprintf(stderr, "usage: kvmbench-machine --kvm-module | --kvm-paging | --kvm | "
		"--kernel-config FILE\n");
	return 2;
}

int main(int argc, char **argv)
{
	char buf[512];

	if (argc == 2 && !strcmp(argv[1], "--kvm-module")) {
		printf("%s\n", sysinfo_kvm_module());
	} else if (argc == 2 && !strcmp(argv[1], "--kvm-paging")) {
		sysinfo_kvm_paging(buf, sizeof(buf));
		printf("%s\n", buf);
	} else if (argc == 2 && !strcmp(argv[1], "--kvm")) {
		sysinfo_kvm_describe(buf, sizeof(buf));
		printf("%s\n", buf);
	} else if (argc == 3 && !strcmp(argv[1], "--kernel-config")) {
		int err = sysinfo_kernel_config(buf, sizeof(buf), argv[2]);
		if (err) {
			fprintf(stderr, "kvmbench-machine: cannot read %s: %s\n", argv[2],
				strerror(-err));
			return 1;
		}
		printf("%s\n", buf);
	} else {
		return usage();
	}
	return 0;
}
