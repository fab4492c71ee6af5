#define _GNU_SOURCE	/* memfd_create */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "abi.h"
#include "err.h"
#include "vm.h"
#include "x86.h"

/* The host keeps the stub and the code read-only, but for their copying:
 * a stray host write cannot change what a guest runs.  The page tables
 * below them stay writable, as KVM must be able to write them (guest/abi.h). */
static int code_protect(struct vm_template *t, int prot)
{
	if (mprotect((uint8_t *)t->low + GUEST_STUB_BASE, GUEST_LOW_SIZE - GUEST_STUB_BASE,
		     prot) < 0)
		return err_errno(-errno, "mprotect of the guest code");
	return 0;
}

/* The write-enabled memory's first image, in a memfd (the guest's
 * initialised data, zeros after it), and mapped read-only for copying. */
static int pristine_image(struct vm_template *t)
{
	const struct guest_image *g = t->guest;

	t->pristine_fd = memfd_create("kvmbench-pristine", MFD_CLOEXEC);
	if (t->pristine_fd < 0)
		return err_errno(-errno, "memfd_create for the pristine guest memory");
	if (ftruncate(t->pristine_fd, (off_t)t->data_size) < 0 ||
	    (g->data_size && pwrite(t->pristine_fd, g->data, g->data_size, 0) !=
	     (ssize_t)g->data_size))
		return err_errno(-errno, "writing the pristine guest memory");
	t->pristine = mmap(NULL, t->data_size, PROT_READ, MAP_SHARED, t->pristine_fd, 0);
	if (t->pristine == MAP_FAILED) {
		t->pristine = NULL;
		return err_errno(-errno, "mmap of the pristine guest memory");
	}
	return 0;
}

int vm_template_init(struct vm_template *t, const struct kvm *kvm,
		     const struct guest_image *guest, enum vm_memory memory,
		     size_t data_size)
{
	memset(t, 0, sizeof(*t));	/* tracking 0: RESET_NONE */
	t->pristine_fd = t->pagemap_fd = t->clear_refs_fd = -1;
	if (data_size < GUEST_DATA_MIN || data_size % PAGE_SIZE || data_size > GUEST_DATA_MAX)
		return err_set(-EINVAL, "guest memory size %zu: must be a multiple of 4096 "
			       "from %u to %u", data_size, GUEST_DATA_MIN, GUEST_DATA_MAX);
	if (guest->size > GUEST_CODE_MAX)
		return err_set(-EINVAL, "guest '%s' is %zu bytes, more than the %u bytes "
			       "of its code region", guest->name, guest->size, GUEST_CODE_MAX);
	if (guest->data_size > data_size)
		return err_set(-EINVAL, "guest '%s' has %zu bytes of initialised data, more "
			       "than its %zu bytes of write-enabled memory", guest->name,
			       guest->data_size, data_size);

	t->kvm = kvm;
	t->guest = guest;
	t->memory = memory;
	t->data_size = data_size;
	t->low = mmap(NULL, GUEST_LOW_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->low == MAP_FAILED) {
		t->low = NULL;
		return err_errno(-errno, "mmap of %u bytes for page tables and code",
				 GUEST_LOW_SIZE);
	}
	x86_page_tables(t->low, data_size, false);
	memcpy((uint8_t *)t->low + GUEST_CODE_BASE, guest->code, guest->size);
	/* The entry stub of the fxrstor vCPU reset, in every template. */
	const struct guest_image *stub = guest_find("entry");
	if (stub && stub->size <= GUEST_CODE_BASE - GUEST_STUB_BASE)
		memcpy((uint8_t *)t->low + GUEST_STUB_BASE, stub->code, stub->size);
	int err = code_protect(t, PROT_READ) ?: pristine_image(t);
	if (err) {
		vm_template_fini(t);
		return err;
	}
	if (memory == VM_MEM_SHARED) {
		t->data = mmap(NULL, data_size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (t->data == MAP_FAILED) {
			t->data = NULL;
			err = err_errno(-errno, "mmap of %zu bytes of shared guest memory",
					data_size);
			vm_template_fini(t);
			return err;
		}
		memcpy(t->data, guest->data, guest->data_size);
	}

	x86_entry_regs(&t->regs, data_size);
	return 0;
}

void vm_template_fini(struct vm_template *t)
{
	if (t->low)
		munmap(t->low, GUEST_LOW_SIZE);
	if (t->data)
		munmap(t->data, t->data_size);
	if (t->pristine)
		munmap((void *)t->pristine, t->data_size);
	if (t->pristine_fd >= 0)
		close(t->pristine_fd);
	if (t->pagemap_fd >= 0)
		close(t->pagemap_fd);
	if (t->clear_refs_fd >= 0)
		close(t->clear_refs_fd);
	t->low = t->data = NULL;
	t->pristine = NULL;
	t->pristine_fd = t->pagemap_fd = t->clear_refs_fd = -1;
}

int vm_template_file_backed(struct vm_template *t)
{
	if (t->memory == VM_MEM_SHARED && !t->file_backed &&
	    mmap(t->data, t->data_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_FIXED | MAP_NORESERVE, t->pristine_fd, 0) == MAP_FAILED)
		return err_errno(-errno, "mmap of the pristine image as shared guest memory");
	t->file_backed = true;
	return 0;
}

int vm_template_code(struct vm_template *t, const struct guest_image *guest)
{
	uint8_t *code = (uint8_t *)t->low + GUEST_CODE_BASE;

	if (guest->size > GUEST_CODE_MAX || guest->data_size)
		return err_set(-EINVAL, "guest '%s' cannot replace a template's code: %s",
			       guest->name, guest->data_size ? "it has initialised data"
							     : "it is too large");
	int err = code_protect(t, PROT_READ | PROT_WRITE);
	if (err)
		return err;
	memset(code, 0, t->guest->size);
	memcpy(code, guest->code, guest->size);
	t->guest = guest;
	return code_protect(t, PROT_READ);
}

void vm_template_args(struct vm_template *t, uint64_t rdi, uint64_t rsi)
{
	t->regs.rdi = rdi;
	t->regs.rsi = rsi;
}

