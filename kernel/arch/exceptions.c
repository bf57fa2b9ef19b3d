/*
 * exceptions.c - what a CPU exception means: names, the report, and the
 * decision between resuming, handing the fault to someone who can recover
 * (the user-mode code, a kernel fixup) and panicking. The order is
 * described in idt.h.
 */
#include <stddef.h>

#include "kernel/arch/cpu.h"
#include "kernel/arch/gdt.h"
#include "kernel/arch/idt.h"
#include "kernel/core/console.h"
#include "kernel/core/panic.h"
#include "lib/layout.h"

#define MAX_FIXUPS          8
#define BACKTRACE_DEPTH     16
#define SYSTEM_PORT_B       0x61    /* bits 6-7: NMI source (I/O check, parity) */

/* Selector error code (#TS, #NP, #SS, #GP; SDM vol. 3, 6.13). */
#define SEL_ERR_EXTERNAL    0x1     /* raised while delivering an external event */
#define SEL_ERR_IDT         0x2     /* index is an IDT vector */
#define SEL_ERR_LDT         0x4     /* (when not IDT) index is in the LDT */
#define SEL_ERR_INDEX_SHIFT 3

/* Page-table walk for the backtrace (SDM vol. 3, 4.5). */
#define PTE_PRESENT         0x1ull
#define PTE_LARGE           0x80ull
#define PTE_ADDR_MASK       0x000FFFFFFFFFF000ull

static const char *const names[EXC_COUNT] = {
	"#DE divide error",             "#DB debug",
	"NMI non-maskable interrupt",   "#BP breakpoint",
	"#OF overflow",                 "#BR bound range exceeded",
	"#UD invalid opcode",           "#NM device not available",
	"#DF double fault",             "coprocessor segment overrun",
	"#TS invalid TSS",              "#NP segment not present",
	"#SS stack-segment fault",      "#GP general protection",
	"#PF page fault",               "reserved vector 15",
	"#MF x87 floating-point error", "#AC alignment check",
	"#MC machine check",            "#XM SIMD floating-point",
	"#VE virtualization exception", "#CP control protection",
	"reserved vector 22",           "reserved vector 23",
	"reserved vector 24",           "reserved vector 25",
	"reserved vector 26",           "reserved vector 27",
	"#HV hypervisor injection",     "#VC VMM communication",
	"#SX security exception",       "reserved vector 31",
};

static uint64_t counts[EXC_COUNT];
static void (*user_fault_handler)(struct trap_frame *tf);
static bool (*fixups[MAX_FIXUPS])(struct trap_frame *tf);
static unsigned fixup_count;

const char *exception_name(unsigned vector)
{
	return vector < EXC_COUNT ? names[vector] : "interrupt";
}

uint64_t exception_count(unsigned vector)
{
	return vector < EXC_COUNT ? __atomic_load_n(&counts[vector], __ATOMIC_RELAXED) : 0;
}

void trap_set_user_fault_handler(void (*fn)(struct trap_frame *tf))
{
	__atomic_store_n(&user_fault_handler, fn, __ATOMIC_RELEASE);
}

void trap_add_kernel_fixup(bool (*fn)(struct trap_frame *tf))
{
	uint64_t flags = irq_save();
	if (fixup_count == MAX_FIXUPS) {
		irq_restore(flags);
		panic("trap_add_kernel_fixup: all %d slots are taken", MAX_FIXUPS);
	}
	fixups[fixup_count] = fn;
	__atomic_store_n(&fixup_count, fixup_count + 1, __ATOMIC_RELEASE);
	irq_restore(flags);
}

/* ---- the report ---------------------------------------------------------- */

/* Is va mapped in the current address space? Walks the live page tables
 * through the direct map, so the backtrace never faults on a bad frame
 * pointer (a fault inside a fault report would lose the report). */
static bool kernel_va_mapped(uint64_t va)
{
	if (va < DIRECT_MAP_BASE)
		return false;
	uint64_t table = read_cr3() & PTE_ADDR_MASK;
	for (int level = 3; level >= 0; level--) {
		const uint64_t *entries = (const uint64_t *)(uintptr_t)(DIRECT_MAP_BASE + table);
		uint64_t e = entries[(va >> (12 + 9 * level)) & 0x1FF];
		if (!(e & PTE_PRESENT))
			return false;
		if (level > 0 && level < 3 && (e & PTE_LARGE))
			return true;    /* 1 GiB or 2 MiB page */
		table = e & PTE_ADDR_MASK;
	}
	return true;
}

void trap_print_backtrace(uint64_t rbp)
{
	kprintf_emergency("  backtrace:");
	for (int depth = 0; depth < BACKTRACE_DEPTH; depth++) {
		/* A frame is [saved rbp][return address]; both words must be
		 * readable, aligned, in the kernel half. */
		if (rbp == 0 || (rbp & 7) || !kernel_va_mapped(rbp) || !kernel_va_mapped(rbp + 15))
			break;
		const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;
		uint64_t ret = frame[1];
		if (ret < DIRECT_MAP_BASE)
			break;
		kprintf_emergency(" %#llx", (unsigned long long)ret);
		/* Frames go up the stack; anything else is a corrupt chain. */
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
	kprintf_emergency("\n");
}

static void report_page_fault(uint64_t err)
{
	uint64_t cr2 = read_cr2();
	kprintf_emergency("  CR2 %016llx: %s, %s, %s mode, %s%s\n", (unsigned long long)cr2,
			  (err & PF_ERR_PRESENT) ? "protection violation" : "page not present",
			  (err & PF_ERR_WRITE) ? "write" : "read",
			  (err & PF_ERR_USER) ? "user" : "kernel",
			  (err & PF_ERR_FETCH) ? "instruction fetch" : "data access",
			  (err & PF_ERR_RESERVED) ? ", reserved bit set in a page-table entry" : "");
	if (cr2 < 4096)
		kprintf_emergency("  (an address in page 0: a NULL pointer dereference)\n");
}

static void report_selector(uint64_t err)
{
	if (err == 0) {
		kprintf_emergency("  no selector involved (e.g. a non-canonical address or a privileged instruction)\n");
		return;
	}
	const char *table = (err & SEL_ERR_IDT) ? "IDT" : (err & SEL_ERR_LDT) ? "LDT" : "GDT";
	kprintf_emergency("  selector: %s index %llu (%s %#llx)%s\n", table,
			  (unsigned long long)((err & 0xFFFF) >> SEL_ERR_INDEX_SHIFT),
			  (err & SEL_ERR_IDT) ? "vector" : "selector",
			  (err & SEL_ERR_IDT) ? (unsigned long long)((err & 0xFFFF) >> SEL_ERR_INDEX_SHIFT)
					      : (unsigned long long)(err & 0xFFF8),
			  (err & SEL_ERR_EXTERNAL) ? ", during delivery of an external event" : "");
}

void exception_report(const struct trap_frame *tf)
{
	unsigned v = (unsigned)tf->vector;
	if (!console_at_line_start())
		kprintf_emergency("\n");
	kprintf_emergency("EXCEPTION %u: %s in %s mode, error code %#llx\n", v, exception_name(v),
			  (tf->cs & 3) ? "user" : "kernel", (unsigned long long)tf->error_code);
	switch (v) {
	case EXC_PAGE_FAULT:
		report_page_fault(tf->error_code);
		break;
	case EXC_INVALID_TSS:
	case EXC_SEGMENT_NP:
	case EXC_STACK_FAULT:
	case EXC_GENERAL_PROT:
		report_selector(tf->error_code);
		break;
	default:
		break;
	}
	kprintf_emergency("  RIP %04llx:%016llx  RFLAGS %016llx\n", (unsigned long long)tf->cs,
			  (unsigned long long)tf->rip, (unsigned long long)tf->rflags);
	kprintf_emergency("  RSP %04llx:%016llx\n", (unsigned long long)tf->ss, (unsigned long long)tf->rsp);
	kprintf_emergency("  RAX %016llx  RBX %016llx  RCX %016llx\n", (unsigned long long)tf->rax,
			  (unsigned long long)tf->rbx, (unsigned long long)tf->rcx);
	kprintf_emergency("  RDX %016llx  RSI %016llx  RDI %016llx\n", (unsigned long long)tf->rdx,
			  (unsigned long long)tf->rsi, (unsigned long long)tf->rdi);
	kprintf_emergency("  RBP %016llx  R8  %016llx  R9  %016llx\n", (unsigned long long)tf->rbp,
			  (unsigned long long)tf->r8, (unsigned long long)tf->r9);
	kprintf_emergency("  R10 %016llx  R11 %016llx  R12 %016llx\n", (unsigned long long)tf->r10,
			  (unsigned long long)tf->r11, (unsigned long long)tf->r12);
	kprintf_emergency("  R13 %016llx  R14 %016llx  R15 %016llx\n", (unsigned long long)tf->r13,
			  (unsigned long long)tf->r14, (unsigned long long)tf->r15);
	kprintf_emergency("  CR0 %016llx  CR3 %016llx  CR4 %016llx\n", (unsigned long long)read_cr0(),
			  (unsigned long long)read_cr3(), (unsigned long long)read_cr4());
	if (!(tf->cs & 3)) {
		kprintf_emergency("  at %#llx\n", (unsigned long long)tf->rip);
		trap_print_backtrace(tf->rbp);
	}
}

/* ---- dispatch ------------------------------------------------------------ */

static bool run_fixups(struct trap_frame *tf)
{
	unsigned n = __atomic_load_n(&fixup_count, __ATOMIC_ACQUIRE);
	for (unsigned i = 0; i < n; i++)
		if (fixups[i](tf))
			return true;
	return false;
}

static __attribute__((noreturn)) void fatal(struct trap_frame *tf)
{
	exception_report(tf);
	panic("unhandled %s in %s mode at RIP %#llx", exception_name((unsigned)tf->vector),
	      (tf->cs & 3) ? "user" : "kernel", (unsigned long long)tf->rip);
}

void exception_dispatch(struct trap_frame *tf)
{
	unsigned v = (unsigned)tf->vector;
	counts[v]++;

	switch (v) {
	case EXC_NMI:
		/* On a PC an NMI is a hardware alarm (parity, watchdog, the
		 * QEMU monitor's `nmi`): tell, and carry on. */
		kprintf_emergency("NMI at RIP %#llx (port 0x61 = %#x); continuing\n",
				  (unsigned long long)tf->rip, inb(SYSTEM_PORT_B));
		return;
	case EXC_BREAKPOINT:
		/* int3 is a deliberate stop: show where, then resume after it
		 * (the CPU already points RIP past the one-byte instruction). */
		exception_report(tf);
		kprintf_emergency("  int3: resuming\n");
		return;
	case EXC_MACHINE_CHECK:
		/* The hardware reports an error it could not correct: nothing
		 * in software fixes that. */
		fatal(tf);
	default:
		break;
	}

	void (*user)(struct trap_frame *) = __atomic_load_n(&user_fault_handler, __ATOMIC_ACQUIRE);
	if ((tf->cs & 3) && user && v != EXC_DOUBLE_FAULT) {
		user(tf);
		return;
	}
	if (run_fixups(tf))
		return;
	if (v == EXC_DEBUG) {
		/* A #DB in kernel mode: the kernel never sets TF or the debug
		 * registers, so this is a trap ring 3 armed that the CPU
		 * delivered late. After MOV SS / POP SS the CPU holds debug
		 * traps for one instruction; if that instruction is int 0x80
		 * (TF set, or a breakpoint on the SS load), some CPUs deliver
		 * the trap at the first instruction of the kernel's stub, CPL 0
		 * (the pattern of CVE-2018-8897). Nothing is wrong with the
		 * kernel: resume it, TF cleared in case. The program's own TF is
		 * in its frame, so it still traps (and is ended) in ring 3. */
		tf->rflags &= ~RFLAGS_TF;
		return;
	}
	fatal(tf);
}
