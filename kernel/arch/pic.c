/*
 * pic.c - 8259A programming (Intel 8259A datasheet, "Programming the
 * 8259A"; OSDev's 8259 PIC page for the PC wiring).
 */
#include "kernel/arch/pic.h"

#include "kernel/arch/cpu.h"
#include "kernel/arch/idt.h"

#define PIC1_CMD         0x20
#define PIC1_DATA        0x21
#define PIC2_CMD         0xA0
#define PIC2_DATA        0xA1

#define ICW1_ICW4        0x01    /* an ICW4 follows */
#define ICW1_INIT        0x10
#define ICW3_MASTER_SLAVE_ON_IRQ2 0x04   /* bit mask: slave on input 2 */
#define ICW3_SLAVE_ID    0x02    /* cascade identity of the slave */
#define ICW4_8086        0x01
#define OCW2_EOI         0x20    /* non-specific end of interrupt */
#define OCW3_READ_ISR    0x0B

static uint64_t spurious;

static void set_masks(uint16_t mask)
{
	outb(PIC1_DATA, mask & 0xFF);
	outb(PIC2_DATA, mask >> 8);
}

uint16_t pic_get_mask(void)
{
	return (uint16_t)(inb(PIC1_DATA) | inb(PIC2_DATA) << 8);
}

void pic_init(void)
{
	/* The 8259 needs time between the init words on old boards: io_wait. */
	outb(PIC1_CMD, ICW1_INIT | ICW1_ICW4);  io_wait();
	outb(PIC2_CMD, ICW1_INIT | ICW1_ICW4);  io_wait();
	outb(PIC1_DATA, IRQ_VECTOR_BASE);       io_wait();   /* ICW2: vector base */
	outb(PIC2_DATA, IRQ_VECTOR_BASE + 8);   io_wait();
	outb(PIC1_DATA, ICW3_MASTER_SLAVE_ON_IRQ2); io_wait();
	outb(PIC2_DATA, ICW3_SLAVE_ID);         io_wait();
	outb(PIC1_DATA, ICW4_8086);             io_wait();
	outb(PIC2_DATA, ICW4_8086);             io_wait();
	set_masks((uint16_t)~(1u << PIC_CASCADE_IRQ));
}

void pic_unmask(unsigned irq)
{
	if (irq >= 16)
		return;
	uint64_t flags = irq_save();
	uint16_t mask = pic_get_mask() & ~(1u << irq);
	if (irq >= 8)
		mask &= ~(1u << PIC_CASCADE_IRQ);
	set_masks(mask);
	irq_restore(flags);
}

void pic_mask(unsigned irq)
{
	if (irq >= 16)
		return;
	uint64_t flags = irq_save();
	set_masks(pic_get_mask() | (uint16_t)(1u << irq));
	irq_restore(flags);
}

void pic_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, OCW2_EOI);
	outb(PIC1_CMD, OCW2_EOI);
}

static uint8_t read_isr(uint16_t cmd_port)
{
	outb(cmd_port, OCW3_READ_ISR);
	return inb(cmd_port);
}

bool pic_handle_spurious(unsigned irq)
{
	if (irq == PIC_SPURIOUS_MASTER) {
		if (read_isr(PIC1_CMD) & (1u << 7))
			return false;
		spurious++;
		return true;
	}
	if (irq == PIC_SPURIOUS_SLAVE) {
		if (read_isr(PIC2_CMD) & (1u << 7))
			return false;
		spurious++;
		outb(PIC1_CMD, OCW2_EOI);
		return true;
	}
	return false;
}

uint64_t pic_spurious_count(void)
{
	return __atomic_load_n(&spurious, __ATOMIC_RELAXED);
}
