/*
 * idt.c - the interrupt descriptor table and the first dispatch step.
 *
 * Gate format: Intel SDM vol. 3, 6.14.1 (64-bit IDT gate descriptors).
 */
#include "kernel/arch/idt.h"

#include "kernel/arch/cpu.h"
#include "kernel/arch/gdt.h"
#include "kernel/arch/pic.h"
#include "kernel/core/console.h"
#include "kernel/core/panic.h"

#define IDT_VECTORS        256
#define GATE_PRESENT       0x80
#define GATE_INTERRUPT     0x0E    /* 64-bit interrupt gate: clears IF */
#define GATE_DPL_SHIFT     5
#define FIRST_FREE_VECTOR  (IRQ_VECTOR_BASE + IRQ_COUNT)

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;               /* bits 0-2: IST slot, 0 = current stack */
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gates are 16 bytes");

struct idt_pointer {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern const uint64_t isr_stub_table[IDT_VECTORS];   /* isr.asm */

static struct idt_gate idt[IDT_VECTORS];
static trap_handler handlers[IDT_VECTORS];
static uint64_t irq_counts[IRQ_COUNT];

/* NMI and #MC can arrive at any instruction, even one that just switched
 * stacks; #DF usually means the current stack is gone. Each gets its own
 * known-good stack from the TSS. */
static uint8_t ist_for(unsigned vector)
{
	switch (vector) {
	case EXC_DOUBLE_FAULT:  return IST_DOUBLE_FAULT;
	case EXC_NMI:           return IST_NMI;
	case EXC_MACHINE_CHECK: return IST_MACHINE_CHECK;
	default:                return 0;
	}
}

static void set_gate(unsigned vector, unsigned dpl)
{
	uint64_t addr = isr_stub_table[vector];
	struct idt_gate g = {
		.offset_low = addr & 0xFFFF,
		.selector = GDT_KERNEL_CS,
		.ist = ist_for(vector),
		.type_attr = (uint8_t)(GATE_PRESENT | (dpl & 3) << GATE_DPL_SHIFT | GATE_INTERRUPT),
		.offset_mid = (addr >> 16) & 0xFFFF,
		.offset_high = (uint32_t)(addr >> 32),
		.reserved = 0,
	};
	idt[vector] = g;
}

#define CMOS_INDEX_PORT 0x70   /* bit 7 set = NMI masked */
#define CMOS_DATA_PORT  0x71
#define CMOS_STATUS_D   0x0D

void idt_init(void)
{
	for (unsigned v = 0; v < FIRST_FREE_VECTOR; v++)
		set_gate(v, 0);
	struct idt_pointer ptr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
	__asm__ volatile("lidt %0" : : "m"(ptr) : "memory");

	/* Stage2 masked NMI (bit 7 of the CMOS index port) for the mode switch.
	 * With a gate on its own IST stack in place, let NMIs (parity errors,
	 * watchdogs) through again. Register D is selected, and read, so the
	 * RTC index is not left pointing at the seconds register. */
	outb(CMOS_INDEX_PORT, CMOS_STATUS_D);
	io_wait();
	(void)inb(CMOS_DATA_PORT);
}

void idt_set_handler(uint8_t vector, trap_handler fn, unsigned dpl)
{
	uint64_t flags = irq_save();
	handlers[vector] = fn;
	if (fn || vector < FIRST_FREE_VECTOR)
		set_gate(vector, dpl);
	else
		idt[vector] = (struct idt_gate){0};
	irq_restore(flags);
}

void irq_set_handler(unsigned irq, trap_handler fn)
{
	if (irq >= IRQ_COUNT)
		panic("irq_set_handler: IRQ %u does not exist (0..15)", irq);
	uint64_t flags = irq_save();
	handlers[IRQ_VECTOR_BASE + irq] = fn;
	irq_restore(flags);
}

uint64_t irq_count(unsigned irq)
{
	return irq < IRQ_COUNT ? __atomic_load_n(&irq_counts[irq], __ATOMIC_RELAXED) : 0;
}

static void irq_dispatch(struct trap_frame *tf)
{
	unsigned irq = (unsigned)tf->vector - IRQ_VECTOR_BASE;
	if (pic_handle_spurious(irq))
		return;
	irq_counts[irq]++;
	trap_handler fn = handlers[tf->vector];
	/* An IRQ unmasked without a handler only gets its EOI. */
	if (fn)
		fn(tf);
	pic_eoi(irq);
}

void trap_dispatch(struct trap_frame *tf)
{
	uint64_t v = tf->vector;
	if (v < EXC_COUNT) {
		if (handlers[v])
			handlers[v](tf);
		else
			exception_dispatch(tf);
	} else if (v < FIRST_FREE_VECTOR) {
		irq_dispatch(tf);
	} else if (v < IDT_VECTORS && handlers[v]) {
		handlers[v](tf);
	} else {
		/* A gate without a handler: idt_set_handler always installs both. */
		exception_report(tf);
		panic("interrupt on vector %llu, which has no handler", (unsigned long long)v);
	}
}
