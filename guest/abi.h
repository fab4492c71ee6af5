/*
 * The contract between every kvmbench guest and the host: memory layout and
 * port protocol.  Included by the guests' assembly and by lib/, so the two
 * can never disagree.
 *
 * Memory (guest-physical == guest-virtual, identity mapped):
 *   0x002000  page tables: PML4, PDPT, PD.  Shared by every VM, in a
 *             memslot that KVM may write (not KVM_MEM_READONLY): hardware
 *             paging (EPT with A/D flags, NPT) walks guest page tables as
 *             writes, and a read-only slot there makes KVM emulate every
 *             instruction that walks them.  Accessed/Dirty bits are preset,
 *             so no walk changes a byte.  The guest cannot: its own tables
 *             map all of [0, 2 MiB) read-only, and at CPL 3 it can change
 *             neither them nor CR3.
 *   0x0f0000  the VMM's entry stub (guest/entry.S).  Same memslot.
 *   0x100000  binary and rodata.  Same memslot, read-only to the guest.
 *   0x200000  stack and heap, write-enabled: shared by every VM or one
 *             private copy per VM.  The stack starts at its top.  Mapped
 *             by 2 MiB pages, as many as its size needs (up to 128 MiB), or,
 *             for the pte-dirty reset, by 4 KiB pages whose tables live at
 *  0x10000000 in a memslot of each VM's own: writable, so the CPU can set
 *             their Dirty bits, but mapped at no guest-virtual address, so
 *             only the host can change them.
 *
 * Ports (guest at CPL 3 with IOPL 3; KVM's reset TR is kept, see docs/design.md):
 *   GUEST_PORT_CONSOLE  out, 1 byte: one byte of output ("hello\n").
 *   GUEST_PORT_RESULT   out, 4 bytes: four bytes of a result (the compute
 *                       guest's checksum, low half first), kept with the
 *                       output.
 *   GUEST_PORT_EXIT     out, 4 bytes: end of the run; the value is the
 *                       guest's status, 0 for success.  Ring 3 cannot hlt,
 *                       so this write is the only way a run ends well.
 *
 * Registers on entry: RIP = GUEST_CODE_BASE, RSP = top of the write-enabled
 * memory, RDI = an argument chosen by the host (0 unless a test sets it).
 */
#ifndef KVMBENCH_GUEST_ABI_H
#define KVMBENCH_GUEST_ABI_H

#define GUEST_PT_BASE      0x002000
/* The VMM's entry stub (guest/entry.S), for the fxrstor vCPU reset. */
#define GUEST_STUB_BASE    0x0f0000
#define GUEST_CODE_BASE    0x100000
#define GUEST_DATA_BASE    0x200000

/* The low memslot covers [0, GUEST_LOW_SIZE): page tables and code. */
#define GUEST_LOW_SIZE     0x200000
#define GUEST_CODE_MAX     (GUEST_LOW_SIZE - GUEST_CODE_BASE)
/* Write-enabled memory: from GUEST_DATA_MIN to GUEST_DATA_MAX bytes. */
#define GUEST_DATA_MIN     0x1000
#define GUEST_DATA_MAX     0x8000000
#define GUEST_DATA_DEFAULT 0x100000

/* The pte-dirty reset's page tables of the write-enabled memory. */
#define GUEST_PTE_BASE     0x10000000

#define GUEST_PORT_CONSOLE 0xe9
#define GUEST_PORT_EXIT    0xf4
#define GUEST_PORT_RESULT  0xf8

/* guest/compute.S: one unit of work is COMPUTE_ITERATIONS steps of
 * xorshift64* over a table of COMPUTE_TABLE_BYTES at GUEST_DATA_BASE. */
#define COMPUTE_ITERATIONS 64
#define COMPUTE_TABLE_BYTES 0x10000
#define COMPUTE_SEED       0x9e3779b97f4a7c15
#define COMPUTE_MULTIPLIER 0x2545f4914f6cdd1d

/*
 * The vCPU state a ring-3 guest can change and the next run could read
 * (guest/vcpu-state.h): guest/inspect.S, and guest/rounds.S with its verify
 * flag, end with status GUEST_STATUS_VCPU | the kinds below that differ
 * from the pristine entry state.  That state: RFLAGS as KVM_SET_REGS sets
 * it (no arithmetic flag, DF, AC or ID set), data selectors GUEST_SEL_DATA,
 * the x87 and SSE state of FNINIT and a fresh MXCSR (FCW GUEST_FCW, every
 * other x87 field, register and XMM register zero, MXCSR GUEST_MXCSR).
 */
#define GUEST_STATUS_VCPU  0x40000000
#define GUEST_LEAK_RFLAGS  0x01	/* CF PF AF ZF SF OF, DF, AC, ID */
#define GUEST_LEAK_SEGMENTS 0x02	/* DS ES FS GS selectors */
#define GUEST_LEAK_X87_CONTROL 0x04	/* FCW FSW FTW FOP FIP FDP */
#define GUEST_LEAK_X87_REGISTERS 0x08	/* ST0-ST7 */
#define GUEST_LEAK_MXCSR   0x10
#define GUEST_LEAK_XMM     0x20	/* XMM0-XMM15 */
#define GUEST_LEAK_KINDS   6
#define GUEST_SEL_CODE     0x33
#define GUEST_SEL_DATA     0x2b
#define GUEST_FCW          0x037f
#define GUEST_MXCSR        0x1f80

/* guest/warm.S: the request in RSI, P pages and WARM_* flags. */
#define WARM_VERIFY        0x01	/* checksum the whole table, write nothing */
#define WARM_POISON        0x02	/* poison the vCPU state at the end */
#define WARM_INSPECT       0x100	/* first check the vCPU state is pristine */
#define WARM_REQUEST(pages, flags) (((uint64_t)(pages) << 16) | (flags))

/* Where the marker guest keeps its marker, inside the write-enabled memory. */
#define GUEST_MARKER_ADDR  (GUEST_DATA_BASE + 0x1000)

#endif
