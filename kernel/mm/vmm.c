/*
 * vmm.c - x86_64 four-level paging (Intel SDM vol. 3A, chapter 4.5).
 *
 * vmm_init replaces stage2's boot tables with the kernel's own:
 *   - the direct map of all RAM with the largest pages the CPU offers
 *     (1 GiB if CPUID says so, else 2 MiB): a handful of tables even for
 *     many GiB, so building it costs next to nothing per GiB;
 *   - the kernel image with 4 KiB pages, so that text is read-only and
 *     executable, rodata read-only and data/bss writable, both no-execute,
 *     and the guard pages listed in .guardpages are holes;
 *   - no identity map: a stray low pointer faults, page 0 above all.
 *
 * Table entries are reached through the direct map (phys_to_virt), which
 * is why pmm hands out only directly mapped frames.
 */
#include "kernel/mm/vmm.h"

#include "kernel/arch/cpu.h"
#include "kernel/core/console.h"
#include "kernel/core/panic.h"
#include "kernel/mm/pmm.h"
#include "lib/string.h"

/* Page table entry bits (SDM vol. 3A, tables 4-15 to 4-20). */
#define PTE_P            (1ull << 0)
#define PTE_W            (1ull << 1)
#define PTE_U            (1ull << 2)
#define PTE_PS           (1ull << 7)    /* in a PDPTE or PDE: 1 GiB / 2 MiB page */
#define PTE_NX           (1ull << 63)
/* Physical address bits of an entry: 12..51 (MAXPHYADDR up to 52). */
#define PTE_ADDR_MASK    0x000FFFFFFFFFF000ull

#define ENTRIES          512
#define PAGE_2M          (1ull << 21)
#define PAGE_1G          (1ull << 30)
#define PML4_SPAN        (1ull << 39)
#define KERNEL_HALF_FIRST 256          /* PML4 index of 0xFFFF800000000000 */

/* CPUID 0x80000001 EDX (SDM vol. 2A, CPUID): NX and 1 GiB pages. */
#define CPUID_EXT_MAX    0x80000000u
#define CPUID_EXT_FEAT   0x80000001u
#define CPUID_EDX_NX     (1u << 20)
#define CPUID_EDX_PAGE1G (1u << 26)

/* CR0.WP: supervisor writes honour read-only pages (SDM 4.6.1). */
#define CR0_WP           (1ull << 16)

/* The direct map reaches at least the 4 GiB below which the PC keeps device
 * memory (VGA, APICs, PCI holes), and at most the 64 TiB between
 * DIRECT_MAP_BASE and KHEAP_BASE. */
#define DIRECT_MAP_MIN   (4ull << 30)
#define DIRECT_MAP_MAX   (64ull << 40)

extern char __kernel_start[], __text_end[], __rodata_end[], __kernel_end[];
extern const uint64_t __guard_pages_start[], __guard_pages_end[];

static uint64_t kernel_root;
static uint64_t direct_end;
static bool nx_enabled;
static uint64_t kstack_next = VMM_KSTACK_BASE;

static uint64_t *table(uint64_t pa)
{
	return phys_to_virt(pa & PTE_ADDR_MASK);
}

static unsigned idx(uint64_t va, unsigned level)
{
	return (va >> (12 + 9 * level)) & (ENTRIES - 1);
}

static bool canonical(uint64_t va)
{
	uint64_t top = va >> 47;
	return top == 0 || top == 0x1FFFF;
}

static bool in_kernel_half(uint64_t va)
{
	return va >= DIRECT_MAP_BASE;
}

/* Invalidate va's TLB entry if it can be cached now: the kernel half is
 * the same in every root, the lower half only matters in the loaded one. */
static void flush(uint64_t root, uint64_t va)
{
	if (in_kernel_half(va) || (read_cr3() & PTE_ADDR_MASK) == root)
		invlpg(va);
}

static uint64_t leaf_bits(unsigned flags)
{
	uint64_t e = PTE_P;
	if (flags & VMM_WRITE)
		e |= PTE_W;
	if (flags & VMM_USER)
		e |= PTE_U;
	if ((flags & VMM_NX) && nx_enabled)
		e |= PTE_NX;
	return e;
}

/* The entry for va at level 0 (the PTE), creating the tables above it.
 * Intermediate entries are permissive (writable, and user in the lower
 * half): the leaf decides, since rights are the AND over all levels. */
static int walk_create(uint64_t root, uint64_t va, uint64_t **pte_out)
{
	uint64_t *t = table(root);
	uint64_t inter = PTE_P | PTE_W | (in_kernel_half(va) ? 0 : PTE_U);
	for (unsigned level = 3; level > 0; level--) {
		uint64_t *e = &t[idx(va, level)];
		if (!(*e & PTE_P)) {
			uint64_t pa = pmm_alloc();
			if (!pa)
				return VMM_ERR_NOMEM;
			*e = pa | inter;
		} else if (*e & PTE_PS) {
			return VMM_ERR_EXISTS;
		}
		t = table(*e);
	}
	*pte_out = &t[idx(va, 0)];
	return VMM_OK;
}

/* The present leaf entry for va and its level, or NULL. */
static uint64_t *walk_find(uint64_t root, uint64_t va, unsigned *level_out, uint64_t *rights)
{
	uint64_t *t = table(root);
	uint64_t and_bits = PTE_W | PTE_U, or_bits = 0;
	for (unsigned level = 3;; level--) {
		uint64_t *e = &t[idx(va, level)];
		if (!(*e & PTE_P))
			return NULL;
		and_bits &= *e;
		or_bits |= *e & PTE_NX;
		if (level == 0 || (level <= 2 && (*e & PTE_PS))) {
			*level_out = level;
			if (rights)
				*rights = and_bits | or_bits;
			return e;
		}
		t = table(*e);
	}
}

static int check_va(uint64_t va)
{
	if ((va & (VMM_PAGE_SIZE - 1)) || !canonical(va) || va < VMM_PAGE_SIZE)
		return VMM_ERR_INVALID;
	return VMM_OK;
}

int vmm_map(uint64_t root, uint64_t va, uint64_t pa, unsigned flags)
{
	if (check_va(va) || (pa & ~PTE_ADDR_MASK) || ((flags & VMM_USER) && in_kernel_half(va)))
		return VMM_ERR_INVALID;
	uint64_t f = irq_save();
	uint64_t *pte;
	int rc = walk_create(root, va, &pte);
	if (rc == VMM_OK) {
		if (*pte & PTE_P) {
			rc = VMM_ERR_EXISTS;
		} else {
			*pte = pa | leaf_bits(flags);
			/* Not-present entries are never cached (SDM 4.10.2.3), but a
			 * paging-structure cache may hold the old upper levels: cheap
			 * insurance. */
			flush(root, va);
		}
	}
	irq_restore(f);
	return rc;
}

int vmm_unmap(uint64_t root, uint64_t va, uint64_t *pa_out)
{
	if (check_va(va))
		return VMM_ERR_INVALID;
	uint64_t f = irq_save();
	unsigned level;
	uint64_t *e = walk_find(root, va, &level, NULL);
	int rc = VMM_OK;
	if (!e)
		rc = VMM_ERR_NOTMAPPED;
	else if (level != 0)
		rc = VMM_ERR_EXISTS;   /* part of a large page: not ours to split */
	else {
		if (pa_out)
			*pa_out = *e & PTE_ADDR_MASK;
		*e = 0;
		flush(root, va);
	}
	irq_restore(f);
	return rc;
}

bool vmm_translate(uint64_t root, uint64_t va, uint64_t *pa_out, unsigned *flags_out)
{
	if (!canonical(va))
		return false;
	uint64_t f = irq_save();
	unsigned level;
	uint64_t rights;
	uint64_t *e = walk_find(root, va, &level, &rights);
	if (e) {
		uint64_t span = VMM_PAGE_SIZE << (9 * level);
		if (pa_out)
			*pa_out = (*e & PTE_ADDR_MASK & ~(span - 1)) | (va & (span - 1));
		if (flags_out)
			*flags_out = ((rights & PTE_W) ? VMM_WRITE : 0) |
				     ((rights & PTE_U) ? VMM_USER : 0) |
				     ((rights & PTE_NX) ? VMM_NX : 0);
	}
	irq_restore(f);
	return e != NULL;
}

uint64_t vmm_kernel_root(void)
{
	return kernel_root;
}

uint64_t vmm_new_root(void)
{
	uint64_t root = pmm_alloc();
	if (!root)
		return 0;
	/* The lower half is zero (pmm_alloc); the kernel half points at the
	 * same PDPTs as the kernel's root. */
	uint64_t *src = table(kernel_root), *dst = table(root);
	for (unsigned i = KERNEL_HALF_FIRST; i < ENTRIES; i++)
		dst[i] = src[i];
	return root;
}

void vmm_switch(uint64_t root)
{
	if ((read_cr3() & PTE_ADDR_MASK) != root)
		write_cr3(root);
}

static void free_table(uint64_t *t, unsigned level)
{
	for (unsigned i = 0; i < ENTRIES; i++) {
		uint64_t e = t[i];
		if (!(e & PTE_P))
			continue;
		if (level == 0)
			pmm_free(e & PTE_ADDR_MASK);
		else if (!(e & PTE_PS)) {
			/* A large page was never made by vmm_map: nothing of pmm's
			 * to free under it, only the entry to drop. */
			free_table(table(e), level - 1);
			pmm_free(e & PTE_ADDR_MASK);
		}
		t[i] = 0;
	}
}

void vmm_free_user(uint64_t root)
{
	uint64_t f = irq_save();
	uint64_t *pml4 = table(root);
	for (unsigned i = 0; i < KERNEL_HALF_FIRST; i++) {
		if (pml4[i] & PTE_P) {
			free_table(table(pml4[i]), 2);
			pmm_free(pml4[i] & PTE_ADDR_MASK);
			pml4[i] = 0;
		}
	}
	/* Reload CR3 to drop every lower-half TLB entry at once. */
	if ((read_cr3() & PTE_ADDR_MASK) == root)
		write_cr3(root);
	irq_restore(f);
}

uint64_t virt_to_phys_kernel(const void *p)
{
	uint64_t va = (uint64_t)(uintptr_t)p;
	if (va >= DIRECT_MAP_BASE && va - DIRECT_MAP_BASE < (direct_end ? direct_end : PAGE_1G))
		return va - DIRECT_MAP_BASE;
	if (va >= (uint64_t)(uintptr_t)__kernel_start && va < (uint64_t)(uintptr_t)__kernel_end)
		return va - KERNEL_VMA_BASE;
	uint64_t pa;
	if (kernel_root && in_kernel_half(va) && vmm_translate(kernel_root, va, &pa, NULL))
		return pa;
	return 0;
}

uint64_t vmm_direct_map_end(void)
{
	return direct_end;
}

bool vmm_nx_enabled(void)
{
	return nx_enabled;
}

/* ---- kernel stacks ---- */

void *vmm_alloc_kernel_stack(size_t pages, uint64_t *top)
{
	if (pages == 0)
		return NULL;
	uint64_t f = irq_save();
	uint64_t need = (pages + 1) * VMM_PAGE_SIZE;
	uint64_t base = 0;
	if (VMM_KSTACK_LIMIT - kstack_next >= need) {
		base = kstack_next + VMM_PAGE_SIZE;   /* the guard stays unmapped */
		kstack_next += need;
	}
	irq_restore(f);
	if (!base)
		return NULL;
	for (size_t i = 0; i < pages; i++) {
		uint64_t pa = pmm_alloc();
		if (!pa || vmm_map(kernel_root, base + i * VMM_PAGE_SIZE, pa, VMM_WRITE | VMM_NX) != VMM_OK) {
			if (pa)
				pmm_free(pa);
			vmm_free_kernel_stack((void *)(uintptr_t)base, i);
			return NULL;
		}
	}
	if (top)
		*top = base + pages * VMM_PAGE_SIZE;
	return (void *)(uintptr_t)base;
}

void vmm_free_kernel_stack(void *base, size_t pages)
{
	uint64_t va = (uint64_t)(uintptr_t)base;
	for (size_t i = 0; i < pages; i++) {
		uint64_t pa;
		if (vmm_unmap(kernel_root, va + i * VMM_PAGE_SIZE, &pa) == VMM_OK)
			pmm_free(pa);
	}
}

/* ---- vmm_init ---- */

static uint64_t must_alloc(const char *what)
{
	uint64_t pa = pmm_alloc();
	if (!pa)
		panic("vmm: out of memory for %s", what);
	return pa;
}

static void enable_cpu_features(bool *page1g)
{
	uint32_t a, b, c, d;
	cpuid(CPUID_EXT_MAX, 0, &a, &b, &c, &d);
	d = 0;
	if (a >= CPUID_EXT_FEAT)
		cpuid(CPUID_EXT_FEAT, 0, &a, &b, &c, &d);
	if (d & CPUID_EDX_NX) {
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
		nx_enabled = true;
	}
	*page1g = (d & CPUID_EDX_PAGE1G) != 0;
	write_cr0(read_cr0() | CR0_WP);
}

/* Highest end of RAM-like memory (usable, ACPI tables, ACPI NVS): the
 * kernel may need to read any of it. */
static uint64_t direct_map_size(const struct boot_info *bi)
{
	uint64_t end = DIRECT_MAP_MIN;
	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		const struct boot_mmap_entry *e = &bi->mmap[i];
		if (e->type != E820_USABLE && e->type != E820_ACPI && e->type != E820_NVS)
			continue;
		uint64_t last = e->base + e->length;
		if (last < e->base || last > DIRECT_MAP_MAX)
			last = DIRECT_MAP_MAX;
		if (last > end)
			end = last;
	}
	return (end + PAGE_1G - 1) & ~(PAGE_1G - 1);
}

static void map_direct(uint64_t *pml4, bool page1g)
{
	uint64_t big = PTE_P | PTE_W | PTE_PS | (nx_enabled ? PTE_NX : 0);
	for (uint64_t pa = 0; pa < direct_end; pa += PAGE_1G) {
		uint64_t va = DIRECT_MAP_BASE + pa;
		uint64_t *pdpt = table(pml4[idx(va, 3)]);
		uint64_t *e = &pdpt[idx(va, 2)];
		if (page1g) {
			*e = pa | big;
			continue;
		}
		uint64_t pd_pa = must_alloc("the direct map");
		uint64_t *pd = table(pd_pa);
		for (unsigned i = 0; i < ENTRIES; i++)
			pd[i] = (pa + i * PAGE_2M) | big;
		*e = pd_pa | PTE_P | PTE_W;
	}
}

static bool is_guard_page(uint64_t va)
{
	for (const uint64_t *g = __guard_pages_start; g < __guard_pages_end; g++)
		if ((*g & ~(VMM_PAGE_SIZE - 1)) == va)
			return true;
	return false;
}

static void map_kernel_image(uint64_t root)
{
	uint64_t start = (uint64_t)(uintptr_t)__kernel_start;
	uint64_t text_end = (uint64_t)(uintptr_t)__text_end;
	uint64_t rodata_end = (uint64_t)(uintptr_t)__rodata_end;
	uint64_t end = ((uint64_t)(uintptr_t)__kernel_end + VMM_PAGE_SIZE - 1) & ~(VMM_PAGE_SIZE - 1);
	unsigned guards = 0;

	for (uint64_t va = start; va < end; va += VMM_PAGE_SIZE) {
		if (is_guard_page(va)) {
			guards++;
			continue;
		}
		unsigned flags = va < text_end ? 0 : va < rodata_end ? VMM_NX : VMM_WRITE | VMM_NX;
		int rc = vmm_map(root, va, va - KERNEL_VMA_BASE, flags);
		if (rc != VMM_OK)
			panic("vmm: mapping the kernel page %#llx failed (%d)", (unsigned long long)va, rc);
	}
	for (const uint64_t *g = __guard_pages_start; g < __guard_pages_end; g++)
		if ((*g & (VMM_PAGE_SIZE - 1)) || *g < start || *g >= end)
			kprintf("vmm: guard page %#llx is not a page of the kernel image; ignored\n",
				(unsigned long long)*g);
	kprintf("vmm: kernel %#llx-%#llx: text %llu KiB r-x, rodata %llu KiB r--, data+bss %llu KiB rw-, %u guard pages\n",
		(unsigned long long)start, (unsigned long long)end,
		(unsigned long long)((text_end - start) >> 10),
		(unsigned long long)((rodata_end - text_end) >> 10),
		(unsigned long long)((end - rodata_end) >> 10), guards);
}

void vmm_init(const struct boot_info *bi)
{
	bool page1g;
	enable_cpu_features(&page1g);

	uint64_t root = must_alloc("the kernel PML4");
	uint64_t *pml4 = table(root);
	/* Every kernel-half PDPT exists from the start, so roots made by
	 * vmm_new_root share all later kernel mappings (256 frames, 1 MiB). */
	for (unsigned i = KERNEL_HALF_FIRST; i < ENTRIES; i++)
		pml4[i] = must_alloc("kernel PDPTs") | PTE_P | PTE_W;

	direct_end = direct_map_size(bi);
	map_direct(pml4, page1g);
	map_kernel_image(root);

	kernel_root = root;
	write_cr3(root);
	pmm_set_direct_map_limit(direct_end);
	kprintf("vmm: direct map %llu GiB with %s pages, NX %s, no identity map\n",
		(unsigned long long)(direct_end >> 30), page1g ? "1 GiB" : "2 MiB",
		nx_enabled ? "on" : "unsupported (VMM_NX ignored)");
}
