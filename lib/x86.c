#include <string.h>

#include "abi.h"
#include "x86.h"

#define CR0_MP		(1ull << 1)
#define CR0_ET		(1ull << 4)
#define CR0_NE		(1ull << 5)
#define CR0_WP		(1ull << 16)
#define CR0_PG		(1ull << 31)
#define CR4_PAE		(1ull << 5)
#define CR4_OSFXSR	(1ull << 9)
#define CR4_OSXMMEXCPT	(1ull << 10)
#define EFER_LME	(1ull << 8)
#define EFER_LMA	(1ull << 10)
#define EFER_NXE	(1ull << 11)

#define RFLAGS_FIXED	(1ull << 1)
#define RFLAGS_IOPL3	(3ull << 12)

/* Accessed and Dirty are preset: these tables live in a read-only
 * memslot, where a CPU update would fault. */
void x86_page_tables(uint8_t *ro, size_t data_size, bool per_vm_ptes)
{
	uint64_t *pml4 = (uint64_t *)(ro + GUEST_PT_BASE);
	uint64_t *pdpt = (uint64_t *)(ro + GUEST_PT_BASE + PAGE_SIZE);
	uint64_t *pd = (uint64_t *)(ro + GUEST_PT_BASE + 2 * PAGE_SIZE);
	const uint64_t table = PTE_P | PTE_RW | PTE_US | PTE_A;
	const uint64_t big = 2u << 20;

	pml4[0] = (GUEST_PT_BASE + PAGE_SIZE) | table;
	((uint64_t *)(ro + x86_pml4(true)))[0] = pml4[0];
	pdpt[0] = (GUEST_PT_BASE + 2 * PAGE_SIZE) | table;
	pd[0] = 0 | PTE_P | PTE_US | PTE_A | PTE_D | PTE_PS;
	for (size_t i = 0; i < 511; i++) {
		if (i * big >= data_size)
			pd[1 + i] = 0;
		else if (per_vm_ptes)
			pd[1 + i] = (GUEST_PTE_BASE + i * PAGE_SIZE) | table;
		else
			pd[1 + i] = (GUEST_DATA_BASE + i * big) | PTE_P | PTE_RW | PTE_US |
				    PTE_A | PTE_D | PTE_PS | PTE_NX;
	}
}

void x86_data_ptes(uint64_t *pt, size_t data_size)
{
	for (size_t j = 0; j < data_size / PAGE_SIZE; j++)
		pt[j] = (GUEST_DATA_BASE + j * PAGE_SIZE) | PTE_P | PTE_RW | PTE_US | PTE_A |
			PTE_NX;
}

uint64_t x86_pml4(bool second)
{
	return GUEST_PT_BASE + (second ? 3 * PAGE_SIZE : 0);
}

void x86_entry_sregs(struct kvm_sregs *s)
{
	struct kvm_segment code = {
		.base = 0, .limit = 0xffffffff, .selector = GUEST_SEL_CODE,
		.type = 11 /* execute/read, accessed */, .present = 1,
		.dpl = 3, .db = 0, .s = 1, .l = 1, .g = 1,
	};
	struct kvm_segment data = {
		.base = 0, .limit = 0xffffffff, .selector = GUEST_SEL_DATA,
		.type = 3 /* read/write, accessed */, .present = 1,
		.dpl = 3, .db = 1, .s = 1, .l = 0, .g = 1,
	};

	s->cs = code;
	s->ds = s->es = s->fs = s->gs = s->ss = data;
	s->cr0 = X86_CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	s->cr3 = x86_pml4(false);
	s->cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	s->efer = EFER_LME | EFER_LMA | EFER_NXE;
}

void x86_entry_regs(struct kvm_regs *r, size_t data_size)
{
	memset(r, 0, sizeof(*r));
	r->rip = GUEST_CODE_BASE;
	r->rsp = GUEST_DATA_BASE + data_size;
	r->rflags = RFLAGS_FIXED | RFLAGS_IOPL3;
}
