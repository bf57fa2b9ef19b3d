/*
 * pic.h - the two cascaded 8259A interrupt controllers of the PC.
 *
 * After pic_init, IRQ 0..7 (master) arrive as vectors 32..39 and IRQ 8..15
 * (slave, wired to the master's IRQ 2) as 40..47, out of the way of the
 * CPU exceptions the BIOS's mapping (8..15) collides with. All functions
 * are IRQ-safe.
 */
#ifndef SELFOS_KERNEL_ARCH_PIC_H
#define SELFOS_KERNEL_ARCH_PIC_H

#include <stdbool.h>
#include <stdint.h>

#define PIC_CASCADE_IRQ  2
#define PIC_SPURIOUS_MASTER 7
#define PIC_SPURIOUS_SLAVE  15

/* Remap to vectors 32..47 and mask every IRQ except the cascade. */
void pic_init(void);

/* Let irq (0..15) through; for a slave IRQ also the cascade. */
void pic_unmask(unsigned irq);

/* Block irq (0..15). */
void pic_mask(unsigned irq);

/* The current mask bits: bit n set = IRQ n blocked. */
uint16_t pic_get_mask(void);

/* End of interrupt for irq: the slave and then the master for IRQ 8..15,
 * the master only for IRQ 0..7. */
void pic_eoi(unsigned irq);

/* For IRQ 7 and 15, check the in-service register: if the PIC did not
 * really raise the line (noise, or the IRQ was withdrawn before the CPU
 * acknowledged it) the interrupt is spurious. Then it must not get the
 * usual EOI: IRQ 7 gets none, IRQ 15 one for the master only (which did see
 * a real cascade IRQ from the slave). Returns true, having counted it and
 * sent any EOI needed, for a spurious interrupt; false otherwise (and for
 * any other IRQ). Call from the IRQ path only. */
bool pic_handle_spurious(unsigned irq);

/* Spurious interrupts seen so far on IRQ 7 and 15 together. */
uint64_t pic_spurious_count(void);

#endif
