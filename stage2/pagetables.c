/*
 * pagetables.c - the page tables the kernel starts with.
 *
 * Long mode cannot be entered without paging. One page directory of 512
 * 2 MiB pages maps the first 1 GiB, and is shared three ways:
 *
 *   PML4[0]   -> PDPT_LOW[0]    -> PD   identity: 0..1 GiB (this code keeps
 *                                       running after CR0.PG is set)
 *   PML4[256] -> PDPT_LOW[0]    -> PD   direct map: DIRECT_MAP_BASE + phys
 *   PML4[511] -> PDPT_HIGH[510] -> PD   kernel: KERNEL_VMA_BASE + phys
 *
 * The kernel replaces all of this with its own tables in vmm_init.
 */
#include "stage2/stage2.h"

#include "lib/layout.h"
#include "stage2/bios.h"

#define PTE_PRESENT   0x001u
#define PTE_WRITABLE  0x002u
#define PTE_HUGE      0x080u   /* PS: in a PD entry, a 2 MiB page */
#define PAGE_2M       0x200000u

static void zero_page(uint32_t addr)
{
	volatile uint32_t *p = flat_ptr(addr);
	for (int i = 0; i < 1024; i++)
		p[i] = 0;
}

/* Entries are 64-bit; the high halves stay 0 (everything lies below 4 GiB). */
static void set_entry(uint32_t table, uint32_t index, uint32_t value)
{
	volatile uint32_t *e = flat_ptr(table + index * 8);
	e[0] = value;
	e[1] = 0;
}

void page_tables_build(void)
{
	zero_page(BOOT_PML4_PHYS);
	zero_page(BOOT_PDPT_LOW_PHYS);
	zero_page(BOOT_PD_PHYS);
	zero_page(BOOT_PDPT_HIGH_PHYS);

	for (uint32_t i = 0; i < 512; i++)
		set_entry(BOOT_PD_PHYS, i, i * PAGE_2M | PTE_PRESENT | PTE_WRITABLE | PTE_HUGE);
	set_entry(BOOT_PDPT_LOW_PHYS, 0, BOOT_PD_PHYS | PTE_PRESENT | PTE_WRITABLE);
	set_entry(BOOT_PDPT_HIGH_PHYS, 510, BOOT_PD_PHYS | PTE_PRESENT | PTE_WRITABLE);
	set_entry(BOOT_PML4_PHYS, 0, BOOT_PDPT_LOW_PHYS | PTE_PRESENT | PTE_WRITABLE);
	set_entry(BOOT_PML4_PHYS, 256, BOOT_PDPT_LOW_PHYS | PTE_PRESENT | PTE_WRITABLE);
	set_entry(BOOT_PML4_PHYS, 511, BOOT_PDPT_HIGH_PHYS | PTE_PRESENT | PTE_WRITABLE);
}
