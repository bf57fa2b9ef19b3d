/*
 * gdt.h - segments and the task state segment.
 *
 * Long mode ignores segment bases and limits, but the CPU still needs code
 * segments to know the privilege level and 64-bit mode, and the TSS for the
 * stacks it switches to: RSP0 when an interrupt arrives from ring 3, and the
 * Interrupt Stack Table entries for exceptions that must not run on the
 * interrupted stack (Intel SDM vol. 3, 6.14.5 and 8.7).
 *
 * Layout (user data before user code, the order SYSRET expects):
 *   0x00 null, 0x08 kernel code, 0x10 kernel data, 0x18 user data,
 *   0x20 user code, 0x28 TSS (two slots).
 */
#ifndef SELFOS_KERNEL_ARCH_GDT_H
#define SELFOS_KERNEL_ARCH_GDT_H

#include <stdbool.h>
#include <stdint.h>

#define GDT_KERNEL_CS   0x08
#define GDT_KERNEL_DS   0x10
#define GDT_USER_DS     0x1B    /* 0x18 | RPL 3 */
#define GDT_USER_CS     0x23    /* 0x20 | RPL 3 */
#define GDT_TSS         0x28

/* Interrupt Stack Table slots (the IST field of an IDT gate). */
#define IST_DOUBLE_FAULT   1
#define IST_NMI            2
#define IST_MACHINE_CHECK  3

/* Size of each static stack (RSP0 and the IST stacks); the page below each
 * is a guard page that vmm_init leaves unmapped. */
#define GDT_STACK_SIZE     16384

/* Load the GDT and TSS, reload every segment register, point RSP0 at the
 * kernel's ring-0 stack and IST1..3 at their own stacks. Call once, early,
 * with interrupts off. */
void gdt_init(void);

/* Stack the CPU switches to on an interrupt or exception from ring 3
 * (e.g. the current user task's kernel stack; 16-byte aligned top). Takes
 * effect for the next ring 3 -> 0 transition. Call with interrupts off or
 * from the task that owns the stack. */
void tss_set_rsp0(uint64_t rsp0);

/* The RSP0 value now in the TSS. */
uint64_t tss_get_rsp0(void);

/* Bounds [*bottom, *top) of IST stack ist (1..3), or of gdt.c's own RSP0
 * stack for any other value (e.g. 0). The guard page is the page just
 * below *bottom. For tests and fault reports. */
void gdt_stack_bounds(unsigned ist, uint64_t *bottom, uint64_t *top);

#endif
