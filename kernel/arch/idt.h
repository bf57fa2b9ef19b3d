/*
 * idt.h - interrupts and exceptions: the IDT, the trap frame every handler
 * receives, and the hooks that decide what a CPU exception means.
 *
 * Every vector enters through one assembly stub (isr.asm) that saves all
 * general registers into a struct trap_frame on the current stack (or the
 * IST stack of that vector) and calls trap_dispatch():
 *   0..31   CPU exceptions (exceptions.c): NMI and #BP report and resume;
 *           #MC reports and panics; any other exception from ring 3 goes to
 *           the user fault handler if one is set; otherwise the kernel
 *           fixups are asked in registration order; if none claims it, the
 *           exception is reported and the kernel panics. (#DF never goes to
 *           the user fault handler: it is always a kernel problem.)
 *   32..47  the 8259 IRQs 0..15: spurious IRQ 7/15 are recognised and
 *           counted, otherwise the irq_set_handler handler runs and the EOI
 *           is sent after it returns.
 *   others  whatever idt_set_handler installed (e.g. 0x80, DPL 3).
 * All gates are interrupt gates: handlers run with interrupts off.
 */
#ifndef SELFOS_KERNEL_ARCH_IDT_H
#define SELFOS_KERNEL_ARCH_IDT_H

#include <stdbool.h>
#include <stdint.h>

/* Exception vectors used by name elsewhere (Intel SDM vol. 3, table 6-1). */
#define EXC_DIVIDE            0
#define EXC_DEBUG             1
#define EXC_NMI               2
#define EXC_BREAKPOINT        3
#define EXC_INVALID_OPCODE    6
#define EXC_DOUBLE_FAULT      8
#define EXC_INVALID_TSS       10
#define EXC_SEGMENT_NP        11
#define EXC_STACK_FAULT       12
#define EXC_GENERAL_PROT      13
#define EXC_PAGE_FAULT        14
#define EXC_MACHINE_CHECK     18
#define EXC_COUNT             32

#define IRQ_VECTOR_BASE       32      /* IRQ n arrives as vector 32 + n */
#define IRQ_COUNT             16

/* #PF error code bits (SDM vol. 3, 4.7). */
#define PF_ERR_PRESENT        (1u << 0)   /* 0: page not present, 1: protection */
#define PF_ERR_WRITE          (1u << 1)
#define PF_ERR_USER           (1u << 2)
#define PF_ERR_RESERVED       (1u << 3)   /* a reserved bit set in a paging entry */
#define PF_ERR_FETCH          (1u << 4)   /* instruction fetch (NX) */

/* The registers of the interrupted code, lowest address first. Writable:
 * whatever a handler leaves here (rax, rip, rsp, rflags, ...) is what the
 * interrupted code resumes with. vector is the IDT vector; error_code is
 * the CPU's error code, or 0 for vectors without one. rsp and ss are
 * always valid (64-bit mode pushes them on every interrupt). */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp,
		 rdi, rsi, rdx, rcx, rbx, rax, vector, error_code,
		 rip, cs, rflags, rsp, ss;
};

typedef void (*trap_handler)(struct trap_frame *tf);

/* Install gates for the 32 exceptions (NMI, #DF and #MC on their IST
 * stacks) and the 16 IRQ vectors, all DPL 0, and load the IDT. Call once
 * after gdt_init, with interrupts off. */
void idt_init(void);

/* Install fn for vector (any 0..255) with gate privilege dpl (0, or 3 to
 * allow `int vector` from user mode). For an exception vector fn replaces
 * the whole exception path above; for an IRQ vector it is the IRQ handler
 * (same as irq_set_handler, EOI still sent by the dispatcher). fn == NULL
 * removes a handler (and the gate, for vectors >= 48). IRQ-safe. */
void idt_set_handler(uint8_t vector, trap_handler fn, unsigned dpl);

/* The handler for IRQ 0..15 (NULL removes it). Runs with interrupts off;
 * the dispatcher sends the EOI after it returns. Does not unmask the IRQ
 * (pic_unmask). IRQ-safe. */
void irq_set_handler(unsigned irq, trap_handler fn);

/* Number of (non-spurious) interrupts seen on irq so far. */
uint64_t irq_count(unsigned irq);

/* "#PF page fault" etc. for vectors 0..31 (distinct for each), "interrupt"
 * for anything else. Never NULL. */
const char *exception_name(unsigned vector);

/* How many times exception vector (0..31) has been raised since boot. */
uint64_t exception_count(unsigned vector);

/* Print an exception: name, error code (decoded for #PF with CR2, and for
 * the selector-based #TS/#NP/#SS/#GP), RIP, CS, RFLAGS, RSP, SS, every
 * general register, and a backtrace for kernel-mode faults. Uses the
 * lock-free console path; callable from any handler. */
void exception_report(const struct trap_frame *tf);

/* Print the return addresses along the frame-pointer chain starting at rbp
 * (kernel addresses only; stops at an unmapped or implausible frame). */
void trap_print_backtrace(uint64_t rbp);

/* Called for every exception raised in ring 3 (tf->cs & 3), except NMI,
 * #BP, #DF and #MC. The user-mode code ends the program there: the
 * handler must not return to the faulting instruction (it edits tf to
 * resume elsewhere, or does not return). NULL removes it. */
void trap_set_user_fault_handler(void (*fn)(struct trap_frame *tf));

/* Add a fixup for kernel-mode exceptions (and ring-3 ones when no user
 * fault handler is set). Fixups are asked in registration order; one that
 * returns true has claimed the fault and edited tf so that returning from
 * the exception is safe (e.g. tf->rip moved to a recovery path). At most
 * 8; call during init. */
void trap_add_kernel_fixup(bool (*fn)(struct trap_frame *tf));

/* Entry from isr.asm for every vector. Not for direct use. */
void trap_dispatch(struct trap_frame *tf);
/* The exception part of trap_dispatch (exceptions.c). */
void exception_dispatch(struct trap_frame *tf);

#endif
