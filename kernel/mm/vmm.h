/*
 * vmm.h - page tables: the kernel's address space and the programs'.
 *
 * Virtual layout (lib/layout.h, kernel/README.md):
 *   0x0000000000000000            page 0: never mapped, NULL faults
 *   0x0000000000001000-           lower half, PML4[0..255]: the user program
 *   DIRECT_MAP_BASE   (PML4 256-) all RAM (at least 4 GiB), kernel only, NX
 *   KHEAP_BASE        (PML4 384)  kernel heap, grown on demand (kheap.h)
 *   VMM_KSTACK_BASE   (PML4 385)  kernel stacks, each over an unmapped guard
 *   KERNEL_VMA_BASE   (PML4 511)  the kernel image, 4 KiB pages, per-section
 *                                 permissions, .guardpages left unmapped
 *
 * Every root shares the kernel half: vmm_init allocates all 256 kernel
 * PML4 entries up front and vmm_new_root copies them, so a kernel mapping
 * made later (heap growth, a stack) is visible in every address space.
 *
 * A "root" is the physical address of a PML4. All functions except
 * vmm_init are IRQ-safe (interrupts are disabled while tables change).
 */
#ifndef SELFOS_KERNEL_MM_VMM_H
#define SELFOS_KERNEL_MM_VMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/boot_info.h"
#include "lib/layout.h"

#define VMM_PAGE_SIZE    4096ull

/* Mapping flags (present is implied). Without VMM_WRITE a page is read-only
 * for the kernel too (CR0.WP is on). VMM_NX is ignored on a CPU without NX
 * (CPUID 0x80000001 EDX bit 20): setting the bit there would be a reserved
 * bit fault, so such pages simply stay executable. */
#define VMM_WRITE        (1u << 0)
#define VMM_USER         (1u << 1)
#define VMM_NX           (1u << 2)

/* vmm_map / vmm_unmap results. */
#define VMM_OK           0
#define VMM_ERR_NOMEM    (-1)   /* no frame for a page table */
#define VMM_ERR_EXISTS   (-2)   /* already mapped (also: inside a large page) */
#define VMM_ERR_INVALID  (-3)   /* unaligned, non-canonical, page 0, user flag in the kernel half */
#define VMM_ERR_NOTMAPPED (-4)  /* vmm_unmap: nothing there */

/* Kernel stacks from vmm_alloc_kernel_stack live here (PML4 entry 385). */
#define VMM_KSTACK_BASE  0xFFFFC08000000000ull
#define VMM_KSTACK_LIMIT 0xFFFFC10000000000ull

/* The kernel's view of physical memory: valid for all RAM (and the first
 * 4 GiB, device memory included) once vmm_init has run; before, for the
 * first 1 GiB through stage2's tables. */
static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)(DIRECT_MAP_BASE + pa);
}

/* Physical address behind a kernel pointer: direct map, kernel image, heap
 * or stack. 0 if p is not mapped in the kernel half. */
uint64_t virt_to_phys_kernel(const void *p);

/* Enable NX (if the CPU has it) and CR0.WP, build the kernel's PML4 (direct
 * map, kernel image, no identity map, nothing at page 0) and switch to it.
 * Needs pmm_init. Panics when RAM runs out. */
void vmm_init(const struct boot_info *bi);

/* The kernel's PML4 (the root in use outside any program). */
uint64_t vmm_kernel_root(void);

/* A fresh PML4: empty lower half, the kernel half shared. 0 if no frame.
 * Free it with vmm_free_user(root) and then pmm_free(root). */
uint64_t vmm_new_root(void);

/* Map the 4 KiB page at va to the frame pa with `flags` (VMM_*), creating
 * page tables as needed. va and pa page aligned; va canonical and not page 0;
 * VMM_USER only in the lower half. An existing mapping is never replaced
 * (VMM_ERR_EXISTS). Returns VMM_OK or a VMM_ERR_* code. */
int vmm_map(uint64_t root, uint64_t va, uint64_t pa, unsigned flags);

/* Remove the 4 KiB mapping at page-aligned va and invalidate its TLB entry;
 * the frame is not freed: its address goes to *pa_out (if not NULL).
 * Page tables stay (vmm_free_user reclaims the lower half's). */
int vmm_unmap(uint64_t root, uint64_t va, uint64_t *pa_out);

/* Look va up in root's tables (4 KiB, 2 MiB and 1 GiB pages). False if not
 * present at some level. Otherwise *pa_out = the physical address of va
 * (offset included) and *flags_out = the effective rights: VMM_WRITE only if
 * writable at every level, VMM_USER only if user at every level, VMM_NX if
 * no-execute at any level. Either pointer may be NULL. */
bool vmm_translate(uint64_t root, uint64_t va, uint64_t *pa_out, unsigned *flags_out);

/* Load root into CR3 (nothing if already loaded: that would flush the TLB
 * for nothing). */
void vmm_switch(uint64_t root);

/* Unmap the whole lower half of root: every mapped frame goes back to
 * pmm_free, every page table below the PML4 too. The PML4 itself stays. */
void vmm_free_user(uint64_t root);

/* A kernel stack of `pages` fresh zeroed pages (RW, NX) in the stack
 * region, with an unmapped guard page below: an overflow faults instead of
 * corrupting memory. Returns the lowest address of the stack and the top
 * (initial RSP) in *top, or NULL (nothing leaked) when memory runs out.
 * Virtual space is not reused; 512 GiB of it outlast any teaching run. */
void *vmm_alloc_kernel_stack(size_t pages, uint64_t *top);

/* Unmap and free a stack from vmm_alloc_kernel_stack (same `pages`). */
void vmm_free_kernel_stack(void *base, size_t pages);

/* End of the direct map (physical bytes covered), for tests and reports. */
uint64_t vmm_direct_map_end(void);

/* True when EFER.NXE is on, i.e. VMM_NX takes effect. */
bool vmm_nx_enabled(void);

#endif
