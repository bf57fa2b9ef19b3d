/*
 * test_interrupts.c - the CPU tables and everything that arrives through
 * them: segment registers and the TSS, IDT gates (IST stacks, DPL), the
 * trap frame (every register saved and restored, a handler's rax change
 * taken, the stack aligned for C), exceptions (int3 resumes; #DE, #UD, #GP,
 * #PF and a stack overflow's #DF reach the runner with the right vector,
 * error code, RIP, RSP and CR2), the PIC (masks, spurious IRQ 7/15) and the
 * PIT (ticks while idle, uptime, tick hooks).
 *
 * Several KTEST_SHOULD_FAULT cases are followed by a case that inspects
 * ktest_last_fault(): cases run in source order within this file.
 */
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/cpu.h"
#include "kernel/arch/gdt.h"
#include "kernel/arch/idt.h"
#include "kernel/arch/pic.h"
#include "kernel/arch/pit.h"
#include "kernel/core/ktest.h"
#include "lib/string.h"

#define TEST_VECTOR     0x81     /* unused by the kernel */
#define PAGE_SIZE       4096

/* entry.asm: the boot stack and the unmapped page below it. */
extern char boot_stack_guard[], boot_stack_bottom[], boot_stack_top[];

struct descriptor_table_register {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

struct gate {
	uint16_t offset_low, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_high, reserved;
} __attribute__((packed));

static const struct gate *idt_gate(unsigned vector)
{
	struct descriptor_table_register idtr;
	__asm__ volatile("sidt %0" : "=m"(idtr));
	return (const struct gate *)(uintptr_t)idtr.base + vector;
}

static bool in_range(uint64_t x, uint64_t lo, uint64_t hi)
{
	return x >= lo && x < hi;
}

/* ---- GDT and TSS ---------------------------------------------------------- */

KTEST(gdt_segment_registers_and_task_register)
{
	uint16_t cs, ds, ss, es, tr;
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	__asm__ volatile("mov %%ds, %0" : "=r"(ds));
	__asm__ volatile("mov %%ss, %0" : "=r"(ss));
	__asm__ volatile("mov %%es, %0" : "=r"(es));
	__asm__ volatile("str %0" : "=r"(tr));
	KASSERT_EQ(cs, GDT_KERNEL_CS);
	KASSERT_EQ(ds, GDT_KERNEL_DS);
	KASSERT_EQ(ss, GDT_KERNEL_DS);
	KASSERT_EQ(es, GDT_KERNEL_DS);
	KASSERT_EQ(tr, GDT_TSS);

	struct descriptor_table_register gdtr;
	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	KASSERT_EQ(gdtr.limit, 7 * 8 - 1);
	const uint64_t *gdt = (const uint64_t *)(uintptr_t)gdtr.base;
	/* user code: present, DPL 3, code, long mode; user data: DPL 3 */
	KASSERT_EQ((gdt[GDT_USER_CS >> 3] >> 40) & 0xFF, 0xFA);
	KASSERT_EQ((gdt[GDT_USER_CS >> 3] >> 53) & 1, 1);
	KASSERT_EQ((gdt[GDT_USER_DS >> 3] >> 40) & 0xFF, 0xF2);
	/* the TSS is busy now (type 0xB) because ltr loaded it */
	KASSERT_EQ((gdt[GDT_TSS >> 3] >> 40) & 0x8F, 0x8B);
}

KTEST(tss_rsp0_and_ist_stacks)
{
	uint64_t bottom, top;
	gdt_stack_bounds(0, &bottom, &top);
	KASSERT_EQ(top - bottom, GDT_STACK_SIZE);
	KASSERT_EQ(top % 16, 0);
	uint64_t saved = tss_get_rsp0();
	KASSERT_EQ(saved, top);
	tss_set_rsp0(0xFFFFFFFF80DEAD00ull);
	KASSERT_EQ(tss_get_rsp0(), 0xFFFFFFFF80DEAD00ull);
	tss_set_rsp0(saved);

	/* three distinct IST stacks, none overlapping the RSP0 stack */
	uint64_t b[4], t[4];
	for (unsigned i = 0; i < 4; i++) {
		gdt_stack_bounds(i, &b[i], &t[i]);
		KASSERT_EQ(b[i] % PAGE_SIZE, 0);
	}
	for (unsigned i = 0; i < 4; i++)
		for (unsigned j = i + 1; j < 4; j++)
			KASSERT(t[i] <= b[j] || t[j] <= b[i]);
}

/* ---- IDT ------------------------------------------------------------------ */

KTEST(idt_gates_present_dpl0_with_ist)
{
	struct descriptor_table_register idtr;
	__asm__ volatile("sidt %0" : "=m"(idtr));
	KASSERT_EQ(idtr.limit, 256 * 16 - 1);
	for (unsigned v = 0; v < 48; v++) {
		const struct gate *g = idt_gate(v);
		KASSERT_EQ(g->type_attr, 0x8E);      /* present, DPL 0, interrupt gate */
		KASSERT_EQ(g->selector, GDT_KERNEL_CS);
		KASSERT(g->offset_high == 0xFFFFFFFF);
	}
	KASSERT_EQ(idt_gate(EXC_DOUBLE_FAULT)->ist, IST_DOUBLE_FAULT);
	KASSERT_EQ(idt_gate(EXC_NMI)->ist, IST_NMI);
	KASSERT_EQ(idt_gate(EXC_MACHINE_CHECK)->ist, IST_MACHINE_CHECK);
	KASSERT_EQ(idt_gate(EXC_PAGE_FAULT)->ist, 0);
	KASSERT_EQ(idt_gate(IRQ_VECTOR_BASE)->ist, 0);
}

KTEST(exception_names_distinct_and_non_empty)
{
	for (unsigned v = 0; v < EXC_COUNT; v++) {
		const char *a = exception_name(v);
		KASSERT(a != NULL && a[0] != '\0');
		for (unsigned w = 0; w < v; w++)
			KASSERT(strcmp(a, exception_name(w)) != 0);
	}
	KASSERT(strcmp(exception_name(14), "#PF page fault") == 0);
	KASSERT(exception_name(200) != NULL);
}

static struct trap_frame seen_frame;
static uint64_t seen_frame_address, seen_rbp_alignment;

static void record_frame(struct trap_frame *tf)
{
	seen_frame = *tf;
	seen_frame_address = (uint64_t)(uintptr_t)tf;
	/* rbp = rsp after `push rbp`, which is 16-aligned iff the call was */
	seen_rbp_alignment = (uint64_t)(uintptr_t)__builtin_frame_address(0) & 15;
	tf->rax = 0x5EED5EED5EED5EEDull;
}

KTEST(trap_frame_saves_restores_every_register)
{
	idt_set_handler(TEST_VECTOR, record_frame, 0);
	register uint64_t r8 __asm__("r8") = 0x0808080808080808ull;
	register uint64_t r9 __asm__("r9") = 0x0909090909090909ull;
	register uint64_t r10 __asm__("r10") = 0x1010101010101010ull;
	register uint64_t r11 __asm__("r11") = 0x1111111111111111ull;
	register uint64_t r12 __asm__("r12") = 0x1212121212121212ull;
	register uint64_t r13 __asm__("r13") = 0x1313131313131313ull;
	register uint64_t r14 __asm__("r14") = 0x1414141414141414ull;
	register uint64_t r15 __asm__("r15") = 0x1515151515151515ull;
	uint64_t rbx = 0xBBBBBBBBBBBBBBBBull, rcx = 0xCCCCCCCCCCCCCCCCull;
	uint64_t rdx = 0xDDDDDDDDDDDDDDDDull, rsi = 0x5151515151515151ull;
	uint64_t rdi = 0xD1D1D1D1D1D1D1D1ull, rax = 0xAAAAAAAAAAAAAAAAull;
	__asm__ volatile("int %[vec]"
			 : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi), "+D"(rdi),
			   "+r"(r8), "+r"(r9), "+r"(r10), "+r"(r11), "+r"(r12), "+r"(r13),
			   "+r"(r14), "+r"(r15)
			 : [vec] "i"(TEST_VECTOR)
			 : "memory", "cc");
	/* Register variables live in their registers only for the asm: copy
	 * them before the next call clobbers r8-r11. */
	const uint64_t after[8] = { r8, r9, r10, r11, r12, r13, r14, r15 };
	idt_set_handler(TEST_VECTOR, NULL, 0);

	/* the handler saw the registers ... */
	KASSERT_EQ(seen_frame.vector, TEST_VECTOR);
	KASSERT_EQ(seen_frame.error_code, 0);
	KASSERT_EQ(seen_frame.rax, 0xAAAAAAAAAAAAAAAAull);
	KASSERT_EQ(seen_frame.rbx, 0xBBBBBBBBBBBBBBBBull);
	KASSERT_EQ(seen_frame.rcx, 0xCCCCCCCCCCCCCCCCull);
	KASSERT_EQ(seen_frame.rdx, 0xDDDDDDDDDDDDDDDDull);
	KASSERT_EQ(seen_frame.rsi, 0x5151515151515151ull);
	KASSERT_EQ(seen_frame.rdi, 0xD1D1D1D1D1D1D1D1ull);
	KASSERT_EQ(seen_frame.r8, 0x0808080808080808ull);
	KASSERT_EQ(seen_frame.r9, 0x0909090909090909ull);
	KASSERT_EQ(seen_frame.r10, 0x1010101010101010ull);
	KASSERT_EQ(seen_frame.r11, 0x1111111111111111ull);
	KASSERT_EQ(seen_frame.r12, 0x1212121212121212ull);
	KASSERT_EQ(seen_frame.r13, 0x1313131313131313ull);
	KASSERT_EQ(seen_frame.r14, 0x1414141414141414ull);
	KASSERT_EQ(seen_frame.r15, 0x1515151515151515ull);
	KASSERT_EQ(seen_frame.cs, GDT_KERNEL_CS);
	KASSERT_EQ(seen_frame.ss, GDT_KERNEL_DS);
	KASSERT(seen_frame.rflags & RFLAGS_IF);
	/* the frame sits on this stack, just below the interrupted RSP */
	KASSERT(seen_frame.rsp > seen_frame_address);
	KASSERT(seen_frame.rsp - seen_frame_address < 512);
	KASSERT_EQ(seen_rbp_alignment, 0);
	/* ... the handler's rax came back, everything else unchanged */
	KASSERT_EQ(rax, 0x5EED5EED5EED5EEDull);
	KASSERT_EQ(rbx, 0xBBBBBBBBBBBBBBBBull);
	KASSERT_EQ(rcx, 0xCCCCCCCCCCCCCCCCull);
	KASSERT_EQ(rdx, 0xDDDDDDDDDDDDDDDDull);
	KASSERT_EQ(rsi, 0x5151515151515151ull);
	KASSERT_EQ(rdi, 0xD1D1D1D1D1D1D1D1ull);
	KASSERT_EQ(after[0], 0x0808080808080808ull);
	KASSERT_EQ(after[1], 0x0909090909090909ull);
	KASSERT_EQ(after[2], 0x1010101010101010ull);
	KASSERT_EQ(after[3], 0x1111111111111111ull);
	KASSERT_EQ(after[4], 0x1212121212121212ull);
	KASSERT_EQ(after[5], 0x1313131313131313ull);
	KASSERT_EQ(after[6], 0x1414141414141414ull);
	KASSERT_EQ(after[7], 0x1515151515151515ull);
}

KTEST(idt_set_handler_dpl3_and_removal)
{
	idt_set_handler(TEST_VECTOR, record_frame, 3);
	KASSERT_EQ(idt_gate(TEST_VECTOR)->type_attr, 0xEE);   /* present, DPL 3 */
	idt_set_handler(TEST_VECTOR, NULL, 0);
	KASSERT_EQ(idt_gate(TEST_VECTOR)->type_attr & 0x80, 0);
}

/* Software `int` through the NMI and #MC gates, with a stand-in handler:
 * the CPU must have switched to the gate's IST stack. (Not #DF: `int 8`
 * pushes no error code, the #DF stub expects one.) */
KTEST(nmi_and_machine_check_run_on_their_ist_stacks)
{
	uint64_t b, t;
	idt_set_handler(EXC_NMI, record_frame, 0);
	__asm__ volatile("int $2" ::: "rax", "memory");
	idt_set_handler(EXC_NMI, NULL, 0);
	gdt_stack_bounds(IST_NMI, &b, &t);
	KASSERT(in_range(seen_frame_address, b, t));
	KASSERT_EQ(seen_frame.vector, EXC_NMI);

	idt_set_handler(EXC_MACHINE_CHECK, record_frame, 0);
	__asm__ volatile("int $18" ::: "rax", "memory");
	idt_set_handler(EXC_MACHINE_CHECK, NULL, 0);
	gdt_stack_bounds(IST_MACHINE_CHECK, &b, &t);
	KASSERT(in_range(seen_frame_address, b, t));
	KASSERT_EQ(seen_frame.vector, EXC_MACHINE_CHECK);
	/* the gates are back to normal */
	KASSERT_EQ(idt_gate(EXC_NMI)->type_attr, 0x8E);
	KASSERT_EQ(idt_gate(EXC_NMI)->ist, IST_NMI);
}

/* ---- exceptions ----------------------------------------------------------- */

KTEST(int3_reports_and_resumes)
{
	volatile int continued = 0;
	uint64_t before = exception_count(EXC_BREAKPOINT);
	__asm__ volatile("int3" ::: "memory");
	continued = 1;
	KASSERT_EQ(exception_count(EXC_BREAKPOINT), before + 1);
	KASSERT_EQ(continued, 1);
}

KTEST(nmi_reports_and_resumes)
{
	uint64_t before = exception_count(EXC_NMI);
	__asm__ volatile("int $2" ::: "memory");
	KASSERT_EQ(exception_count(EXC_NMI), before + 1);
}

static volatile uint64_t fault_site_rip, fault_site_rsp;

KTEST_SHOULD_FAULT(invalid_opcode, 6)
{
	__asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
			 "movq %%rax, %0\n\t"
			 "movq %%rsp, %1\n"
			 "1: ud2"
			 : "=m"(fault_site_rip), "=m"(fault_site_rsp) : : "rax", "memory");
}

KTEST(invalid_opcode_frame_is_exact)
{
	const struct ktest_fault *f = ktest_last_fault();
	KASSERT(f->valid && strcmp(f->case_name, "invalid_opcode") == 0);
	KASSERT_EQ(f->vector, EXC_INVALID_OPCODE);
	KASSERT_EQ(f->tf.vector, EXC_INVALID_OPCODE);
	KASSERT_EQ(f->tf.error_code, 0);             /* the stub's dummy */
	KASSERT_EQ(f->tf.rip, fault_site_rip);        /* #UD is a fault: RIP of the ud2 */
	KASSERT_EQ(f->tf.rsp, fault_site_rsp);
	KASSERT_EQ(f->tf.cs, GDT_KERNEL_CS);
	KASSERT_EQ(f->tf.ss, GDT_KERNEL_DS);
	/* no IST for #UD: the frame is on the boot stack below the fault */
	KASSERT(in_range(f->frame_addr, (uint64_t)(uintptr_t)boot_stack_bottom, fault_site_rsp));
}

KTEST_SHOULD_FAULT(divide_by_zero, 0)
{
	volatile uint32_t zero = 0;
	uint32_t quotient = 7, divisor = zero;
	__asm__ volatile("xorl %%edx, %%edx\n\tdivl %1" : "+a"(quotient) : "r"(divisor) : "rdx");
}

KTEST_SHOULD_FAULT(non_canonical_address, 13)
{
	*(volatile uint64_t *)0x8000000000000000ull = 1;
}

KTEST(non_canonical_is_gp_with_error_code_0)
{
	const struct ktest_fault *f = ktest_last_fault();
	KASSERT(f->valid && strcmp(f->case_name, "non_canonical_address") == 0);
	KASSERT_EQ(f->tf.vector, EXC_GENERAL_PROT);
	KASSERT_EQ(f->tf.error_code, 0);
	KASSERT_EQ(f->tf.cs, GDT_KERNEL_CS);
}

KTEST_SHOULD_FAULT(null_read, 14)
{
	const volatile uint64_t *volatile null_pointer = NULL;
	(void)*null_pointer;
}

KTEST(null_read_faulted_at_cr2_0)
{
	const struct ktest_fault *f = ktest_last_fault();
	KASSERT(f->valid && strcmp(f->case_name, "null_read") == 0);
	KASSERT_EQ(f->tf.vector, EXC_PAGE_FAULT);
	KASSERT_EQ(f->cr2, 0);
	/* a read, in kernel mode, of a page that is not present */
	KASSERT_EQ(f->tf.error_code & (PF_ERR_PRESENT | PF_ERR_WRITE | PF_ERR_USER | PF_ERR_FETCH), 0);
	KASSERT_EQ(f->tf.cs, GDT_KERNEL_CS);
	KASSERT(f->tf.rip >= 0xFFFFFFFF80000000ull);
}

/* The overflow test below is only safe if the guard page really is
 * unmapped (vmm_init): otherwise the recursion would run on into .bss. */
KTEST_SHOULD_FAULT(boot_stack_guard_page_unmapped, 14)
{
	(void)*(volatile uint8_t *)boot_stack_guard;
}

static volatile uint64_t recursion_limit = UINT64_MAX;

static __attribute__((noinline)) uint64_t recurse(uint64_t depth)
{
	volatile uint8_t pad[128];
	pad[0] = (uint8_t)depth;
	if (depth == recursion_limit)
		return 0;
	return recurse(depth + 1) + pad[0];    /* not a tail call */
}

KTEST_SHOULD_FAULT(stack_overflow, 8)
{
	const struct ktest_fault *f = ktest_last_fault();
	uint64_t guard = (uint64_t)(uintptr_t)boot_stack_guard;
	KASSERT(f->valid && strcmp(f->case_name, "boot_stack_guard_page_unmapped") == 0);
	KASSERT_EQ(f->cr2, guard);
	/* The #PF on the guard page cannot push its frame on that stack:
	 * the CPU raises #DF, which runs on IST1. */
	recursion_limit = recurse(0);
}

KTEST(stack_overflow_double_fault_on_ist1)
{
	const struct ktest_fault *f = ktest_last_fault();
	KASSERT(f->valid && strcmp(f->case_name, "stack_overflow") == 0);
	KASSERT_EQ(f->tf.vector, EXC_DOUBLE_FAULT);
	KASSERT_EQ(f->tf.error_code, 0);             /* #DF always pushes 0 */
	uint64_t b, t;
	gdt_stack_bounds(IST_DOUBLE_FAULT, &b, &t);
	KASSERT(in_range(f->frame_addr, b, t));
	/* the faulting access was in the guard page, the stack at its edge */
	uint64_t guard = (uint64_t)(uintptr_t)boot_stack_guard;
	KASSERT(in_range(f->cr2, guard, guard + PAGE_SIZE));
	KASSERT(in_range(f->tf.rsp, guard, (uint64_t)(uintptr_t)boot_stack_bottom + PAGE_SIZE));
	/* and this case runs on the same boot stack, recovered */
	uint64_t rsp;
	__asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
	KASSERT(in_range(rsp, (uint64_t)(uintptr_t)boot_stack_bottom, (uint64_t)(uintptr_t)boot_stack_top));
	KASSERT(cpu_irqs_enabled());
}

/* The static stacks of gdt.c have their own guard pages (.guardpages):
 * the byte just below the #DF stack and just below the RSP0 stack. */
KTEST_SHOULD_FAULT(ist1_stack_guard_page_unmapped, 14)
{
	uint64_t b, t;
	gdt_stack_bounds(IST_DOUBLE_FAULT, &b, &t);
	(void)*(volatile uint8_t *)(uintptr_t)(b - 1);
}

KTEST(ist1_guard_fault_address)
{
	const struct ktest_fault *f = ktest_last_fault();
	uint64_t b, t;
	gdt_stack_bounds(IST_DOUBLE_FAULT, &b, &t);
	KASSERT(f->valid && strcmp(f->case_name, "ist1_stack_guard_page_unmapped") == 0);
	KASSERT_EQ(f->cr2, b - 1);
}

KTEST_SHOULD_FAULT(rsp0_stack_guard_page_unmapped, 14)
{
	uint64_t b, t;
	gdt_stack_bounds(0, &b, &t);
	*(volatile uint8_t *)(uintptr_t)(b - PAGE_SIZE) = 0;
}

KTEST(rsp0_guard_fault_address)
{
	const struct ktest_fault *f = ktest_last_fault();
	uint64_t b, t;
	gdt_stack_bounds(0, &b, &t);
	KASSERT(f->valid && strcmp(f->case_name, "rsp0_stack_guard_page_unmapped") == 0);
	KASSERT_EQ(f->cr2, b - PAGE_SIZE);
	KASSERT(f->tf.error_code & PF_ERR_WRITE);
}

/* ---- PIC and PIT ---------------------------------------------------------- */

KTEST(pic_masks)
{
	uint16_t mask = pic_get_mask();
	KASSERT_EQ(mask & (1u << 0), 0);                 /* PIT */
	KASSERT_EQ(mask & (1u << PIC_CASCADE_IRQ), 0);
	KASSERT(mask & (1u << 13));                      /* nothing else asked for 13 */
	pic_unmask(13);
	KASSERT_EQ(pic_get_mask(), mask & ~(1u << 13));
	pic_mask(13);
	KASSERT_EQ(pic_get_mask(), mask);
}

static volatile uint64_t irq7_calls, irq15_calls;
static void count_irq7(struct trap_frame *tf) { (void)tf; irq7_calls++; }
static void count_irq15(struct trap_frame *tf) { (void)tf; irq15_calls++; }

KTEST(spurious_irq7_and_irq15_counted_not_handled)
{
	/* A software `int` on the IRQ 7/15 vectors looks exactly like a
	 * spurious IRQ: the line's in-service bit is clear. */
	irq_set_handler(7, count_irq7);
	irq_set_handler(15, count_irq15);
	uint64_t before = pic_spurious_count();
	uint64_t n7 = irq_count(7), n15 = irq_count(15);
	__asm__ volatile("int %0" : : "i"(IRQ_VECTOR_BASE + 7) : "memory");
	__asm__ volatile("int %0" : : "i"(IRQ_VECTOR_BASE + 15) : "memory");
	irq_set_handler(7, NULL);
	irq_set_handler(15, NULL);
	KASSERT_EQ(pic_spurious_count(), before + 2);
	KASSERT_EQ(irq7_calls, 0);
	KASSERT_EQ(irq15_calls, 0);
	KASSERT_EQ(irq_count(7), n7);
	KASSERT_EQ(irq_count(15), n15);
}

KTEST(timer_ticks_advance_while_idle)
{
	KASSERT(cpu_irqs_enabled());
	/* First make sure the PIT is running at all, without hlt (which would
	 * never wake up if it is not). */
	uint64_t t0 = pit_ticks();
	for (uint64_t spin = 0; spin < 50000000 && pit_ticks() == t0; spin++)
		cpu_pause();
	KASSERT(pit_ticks() != t0);

	uint64_t start = pit_ticks(), irq0 = irq_count(0), ms0 = uptime_ms();
	unsigned halts = 0;
	while (pit_ticks() < start + 50) {
		cpu_hlt();          /* IF = 1: the next interrupt wakes us */
		halts++;
	}
	KASSERT(halts >= 1);
	KASSERT(irq_count(0) - irq0 >= 50);
	/* 50 ticks of 0.99985 ms */
	KASSERT(uptime_ms() - ms0 >= 49);
}

KTEST(uptime_uses_exact_pit_rate)
{
	/* A tick is 1193 / 1193181.67 s = 0.99985 ms: uptime runs 0.015 %
	 * behind the tick count, never ahead. Both read with interrupts off
	 * so no tick falls between them. */
	uint64_t flags = irq_save();
	uint64_t t = pit_ticks(), ms = uptime_ms();
	irq_restore(flags);
	KASSERT(t > 0);
	KASSERT(ms <= t);
	KASSERT(t - ms <= t / 6000 + 1);
	KASSERT(t - ms >= t / 7000);
}

static volatile uint64_t hook_calls, hook_ticks_arg, hook_ticks_now;
static volatile bool hook_irqs_on, hook_wrong_vector;

static void tick_hook(struct trap_frame *tf, uint64_t ticks)
{
	hook_calls++;
	hook_ticks_arg = ticks;
	hook_ticks_now = pit_ticks();
	if (cpu_irqs_enabled())
		hook_irqs_on = true;
	if (tf->vector != IRQ_VECTOR_BASE)
		hook_wrong_vector = true;
}

KTEST(tick_hook_called_from_irq0)
{
	pit_add_tick_hook(tick_hook);
	uint64_t deadline = pit_ticks() + 20;
	while (hook_calls < 5 && pit_ticks() < deadline)
		cpu_hlt();
	KASSERT(hook_calls >= 5);
	KASSERT_EQ(hook_ticks_arg, hook_ticks_now);
	KASSERT(!hook_irqs_on);
	KASSERT(!hook_wrong_vector);
}
