/*
 * x86-64 for a ring-3 guest without a kernel: the page-table bits, the
 * identity map of guest/abi.h's layout, and the entry state (long mode,
 * CPL 3 segments, IOPL 3).
 */
#ifndef KVMBENCH_X86_H
#define KVMBENCH_X86_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/kvm.h>

#define PAGE_SIZE 4096u
/* CR0.PE: clear in real mode, where KVM's INIT leaves a vCPU. */
#define X86_CR0_PE (1ull << 0)

/* Page-table entry bits. */
#define PTE_P	(1ull << 0)
#define PTE_RW	(1ull << 1)
#define PTE_US	(1ull << 2)
#define PTE_A	(1ull << 5)
#define PTE_D	(1ull << 6)
#define PTE_PS	(1ull << 7)
#define PTE_NX	(1ull << 63)

/*
 * The shared page tables, at GUEST_PT_BASE of ro (the read-only memory):
 * [0, 2 MiB) one 2 MiB page, read-only and executable (page tables, code);
 * the write-enabled memory from 2 MiB on, writable, not executable, with as
 * many 2 MiB pages as data_size needs, or (per_vm_ptes) through 4 KiB
 * tables at GUEST_PTE_BASE that each VM has for itself.  A second PML4,
 * the same, follows the tables (the pte-dirty reset switches between them).
 */
void x86_page_tables(uint8_t *ro, size_t data_size, bool per_vm_ptes);
/* A VM's own 4 KiB tables for its write-enabled memory, Dirty clear. */
void x86_data_ptes(uint64_t *pt, size_t data_size);
/* The PML4 that CR3 points to: the first, or the identical second. */
uint64_t x86_pml4(bool second);

/* Long mode with paging, CPL 3 code and data segments, starting from a
 * vCPU's reset state (so TR, LDT and the APIC base stay as KVM set them). */
void x86_entry_sregs(struct kvm_sregs *s);
/* At the code's start, the stack at the top of the write-enabled memory,
 * IOPL 3 (port I/O at CPL 3), RDI and RSI zero. */
void x86_entry_regs(struct kvm_regs *r, size_t data_size);

#endif
