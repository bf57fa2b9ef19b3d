/*
 * gdt.c - the GDT, the 64-bit TSS and the static stacks it points to.
 *
 * Descriptor formats: Intel SDM vol. 3, 3.4.5 (segment descriptors) and
 * 8.2.3 (the 16-byte TSS descriptor in IA-32e mode).
 */
#include "kernel/arch/gdt.h"

#include <stddef.h>

#include "kernel/arch/cpu.h"

#define PAGE_SIZE 4096

/* Access byte bits. */
#define SEG_PRESENT      0x80
#define SEG_DPL3         0x60
#define SEG_CODE_DATA    0x10    /* S: code/data, not system */
#define SEG_EXEC         0x08
#define SEG_RW           0x02    /* readable code / writable data */
#define SEG_TSS_AVAIL    0x09    /* system type: 64-bit TSS (available) */
/* Flags nibble (bits 52-55). */
#define SEG_LONG         0x2     /* L: 64-bit code */
#define SEG_GRAN_4K      0x8     /* G: limit in pages (data: full 4 GiB) */
#define SEG_SIZE_32      0x4     /* D/B: must be 0 for 64-bit code */

#define GDT_ENTRIES      7       /* null, 4 segments, TSS (2 slots) */

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];             /* stacks for CPL 0..2 */
	uint64_t reserved1;
	uint64_t ist[7];             /* IST1..IST7 */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;         /* offset of the I/O bitmap: beyond the
	                              * limit = none, so ring 3 gets no ports */
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "64-bit TSS is 104 bytes");

struct gdt_pointer {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* A stack with its guard page right below it. */
struct guarded_stack {
	uint8_t guard[PAGE_SIZE];
	uint8_t stack[GDT_STACK_SIZE];
} __attribute__((aligned(PAGE_SIZE)));

static struct guarded_stack rsp0_stack;
static struct guarded_stack ist_stacks[3];

/* vmm_init leaves these pages unmapped (kernel/linker.ld, .guardpages):
 * overflowing one of these stacks faults instead of corrupting .bss. */
static const uint64_t stack_guard_pages[] __attribute__((used, section(".guardpages"), aligned(8))) = {
	(uint64_t)(uintptr_t)rsp0_stack.guard,
	(uint64_t)(uintptr_t)ist_stacks[0].guard,
	(uint64_t)(uintptr_t)ist_stacks[1].guard,
	(uint64_t)(uintptr_t)ist_stacks[2].guard,
};

static struct tss tss;
static uint64_t gdt[GDT_ENTRIES];

static uint64_t segment(uint8_t access, uint8_t flags)
{
	/* Base 0, limit 0xFFFFF (ignored in 64-bit mode except for data
	 * segments used in compatibility mode, where it means 4 GiB). */
	return 0xFFFFull | (uint64_t)access << 40 | 0xFull << 48 | (uint64_t)flags << 52;
}

static uint64_t stack_top(struct guarded_stack *s)
{
	return (uint64_t)(uintptr_t)(s->stack + GDT_STACK_SIZE);
}

static void load_gdt_and_segments(void)
{
	struct gdt_pointer ptr = { sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt };
	/* CS can only be reloaded by a far transfer: push selector and target,
	 * then lretq. Data segment registers take the kernel data selector;
	 * FS and GS are unused (null). */
	__asm__ volatile(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw %w2, %%ax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		"xorl %%eax, %%eax\n\t"
		"movw %%ax, %%fs\n\t"
		"movw %%ax, %%gs\n\t"
		"ltr %w3"
		:
		: "m"(ptr), "i"(GDT_KERNEL_CS), "r"((uint32_t)GDT_KERNEL_DS), "r"((uint32_t)GDT_TSS)
		: "rax", "memory");
}

void gdt_init(void)
{
	gdt[0] = 0;
	gdt[GDT_KERNEL_CS >> 3] = segment(SEG_PRESENT | SEG_CODE_DATA | SEG_EXEC | SEG_RW,
					   SEG_LONG | SEG_GRAN_4K);
	gdt[GDT_KERNEL_DS >> 3] = segment(SEG_PRESENT | SEG_CODE_DATA | SEG_RW,
					   SEG_SIZE_32 | SEG_GRAN_4K);
	gdt[GDT_USER_DS >> 3] = segment(SEG_PRESENT | SEG_DPL3 | SEG_CODE_DATA | SEG_RW,
					 SEG_SIZE_32 | SEG_GRAN_4K);
	gdt[GDT_USER_CS >> 3] = segment(SEG_PRESENT | SEG_DPL3 | SEG_CODE_DATA | SEG_EXEC | SEG_RW,
					 SEG_LONG | SEG_GRAN_4K);

	tss.rsp[0] = stack_top(&rsp0_stack);
	tss.ist[IST_DOUBLE_FAULT - 1] = stack_top(&ist_stacks[0]);
	tss.ist[IST_NMI - 1] = stack_top(&ist_stacks[1]);
	tss.ist[IST_MACHINE_CHECK - 1] = stack_top(&ist_stacks[2]);
	tss.iomap_base = sizeof(struct tss);

	/* 16-byte system descriptor: limit, base 0-23, type, base 24-31 in the
	 * first slot, base 32-63 in the second. */
	uint64_t base = (uint64_t)(uintptr_t)&tss;
	uint64_t limit = sizeof(struct tss) - 1;
	gdt[GDT_TSS >> 3] = (limit & 0xFFFF) | (base & 0xFFFFFF) << 16 |
			    (uint64_t)(SEG_PRESENT | SEG_TSS_AVAIL) << 40 |
			    ((limit >> 16) & 0xF) << 48 | ((base >> 24) & 0xFF) << 56;
	gdt[(GDT_TSS >> 3) + 1] = base >> 32;

	load_gdt_and_segments();
}

void tss_set_rsp0(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}

uint64_t tss_get_rsp0(void)
{
	return tss.rsp[0];
}

void gdt_stack_bounds(unsigned ist, uint64_t *bottom, uint64_t *top)
{
	struct guarded_stack *s = ist >= 1 && ist <= 3 ? &ist_stacks[ist - 1] : &rsp0_stack;
	*bottom = (uint64_t)(uintptr_t)s->stack;
	*top = stack_top(s);
}
