/*
 * user.c - the user program as an executor task: entering ring 3, coming
 * back, and every way a program stops running.
 *
 * Life of a program:
 *
 *   user_spawn_binary   user_load builds its address space; task_spawn.
 *   user_poll           (the executor) handles what the program waited for,
 *                       then enter(): CR3 = its root, TSS.RSP0 = trap_stack,
 *                       user_enter iretq's to its saved frame.
 *   ring 3              runs with IF=1, IOPL 0, CPL 3 until a trap:
 *     int 0x80          user_syscall: most calls return straight to ring 3;
 *                       read_key and sleep call user_block.
 *     IRQ 0             user_tick counts its time; at the end of a slice or
 *                       of the budget it makes the IRQ return to
 *                       tick_trampoline (ring 0) instead of ring 3.
 *     other IRQs        served and return to ring 3.
 *     an exception      user_fault (trap_set_user_fault_handler): report.
 *   user_block /        save the frame or the result, user_leave: back in
 *   user_finish         user_poll, which returns POLL_PENDING (the waker is
 *                       registered by kbd_channel_poll / timer_sleep_poll /
 *                       task_wake) or, once ended, frees the address space
 *                       and returns POLL_READY with the result.
 *
 * The kernel never uses the program's stack pointer: every trap from ring 3
 * lands on trap_stack (TSS.RSP0), which has an unmapped guard page below it.
 * What the handlers touch in the process record happens with interrupts off
 * (trap gates are interrupt gates, the tick hook runs in IRQ 0), and the
 * poll only touches it while the program is not in ring 3.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/cpu.h"
#include "kernel/arch/gdt.h"
#include "kernel/arch/idt.h"
#include "kernel/arch/pic.h"
#include "kernel/arch/pit.h"
#include "kernel/core/console.h"
#include "kernel/core/panic.h"
#include "kernel/mm/kheap.h"
#include "kernel/mm/vmm.h"
#include "kernel/task/kbd_channel.h"
#include "kernel/task/task.h"
#include "kernel/task/timer.h"
#include "kernel/user/user.h"
#include "kernel/user/user_priv.h"
#include "lib/string.h"
#include "user/abi.h"

#define PAGE_SIZE        4096

/* Control register bits for SSE (Intel SDM vol. 3A, 2.5 and 13.1.3):
 * no emulation, WAIT honours TS, FXSAVE/SSE enabled, SIMD exceptions as #XM. */
#define CR0_MP           (1ull << 1)
#define CR0_EM           (1ull << 2)
#define CR0_TS           (1ull << 3)
#define CR0_NE           (1ull << 5)
#define CR4_OSFXSR       (1ull << 9)
#define CR4_OSXMMEXCPT   (1ull << 10)
#define CR4_UMIP         (1ull << 11)
#define CPUID_7_ECX_UMIP (1u << 2)

/* RFLAGS a program may hold (CF PF AF ZF SF TF DF OF NT AC ID); bit 1 is
 * always 1. IF is forced on and IOPL to 0 so cli/hlt/in/out raise #GP.
 * NT is the program's to keep (popf sets it at CPL 3, and the ABI promises
 * RFLAGS back unchanged after a blocking call too): it only matters to an
 * iretq executed with it set, and the kernel's iretqs run with the kernel's
 * own RFLAGS, where the interrupt gates cleared it. */
#define RFLAGS_USER_MASK 0x244DD5ull
#define RFLAGS_FIXED     (1ull << 1)

/* The ring-0 stack for every trap from ring 3, with its guard page listed
 * for vmm_init to leave unmapped (kernel/linker.ld, .guardpages). */
static struct {
	uint8_t guard[PAGE_SIZE];
	uint8_t stack[USER_TRAP_STACK_SIZE];
} trap_stack __attribute__((aligned(PAGE_SIZE)));
static const uint64_t trap_stack_guard_entry
	__attribute__((section(".guardpages"), used)) = (uint64_t)&trap_stack.guard;

static uint64_t trap_stack_top(void)
{
	return (uint64_t)(trap_stack.stack + USER_TRAP_STACK_SIZE);
}

static struct user_process *current;   /* set only between enter and leave */
static struct user_kctx executor_ctx;  /* the poll's stack while ring 3 runs */
static struct user_stats stats;
static bool installed;

struct user_process *user_current(void)
{
	return current;
}

void user_count_syscall(uint64_t cs)
{
	stats.syscalls++;
	stats.last_syscall_cs = cs;
}

void user_get_stats(struct user_stats *out)
{
	uint64_t f = irq_save();
	*out = stats;
	irq_restore(f);
}

/* ---- stopping ---- */

static __attribute__((noreturn)) void leave(struct user_process *p, enum user_wait wait)
{
	cpu_cli();
	p->wait = wait;
	user_leave(&executor_ctx);
}

void user_block(struct user_process *p, const struct trap_frame *tf, enum user_wait wait)
{
	p->frame = *tf;
	leave(p, wait);
}

void user_finish(struct user_process *p, int64_t result)
{
	p->result = result;
	leave(p, USER_WAIT_ENDED);
}

void user_report(const char *fmt, ...)
{
	va_list ap;
	uint64_t f = irq_save();
	/* The report is a line of its own even when the program's last write
	 * left a partial line ("abc" or "abc\r"): otherwise it would read
	 * "abcuser: exit 0" and nobody matching ^user: would find it. */
	if (!console_at_line_start())
		console_write("\n", 1);
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	irq_restore(f);
}

static __attribute__((noreturn)) void kill_budget(struct user_process *p, uint64_t rip)
{
	user_report("user: killed: time budget of %u ms exceeded rip=0x%llx\n",
		USER_TIME_BUDGET_MS, (unsigned long long)rip);
	stats.budget_kills++;
	user_finish(p, USER_RESULT_BUDGET);
}

void user_check_budget(struct user_process *p, const struct trap_frame *tf)
{
	if (p->cpu_ms > USER_TIME_BUDGET_MS)
		kill_budget(p, tf->rip);
}

/* Any exception raised in ring 3 (called by the IDT dispatcher, which does
 * not return to the faulting instruction after us). */
static void user_fault(struct trap_frame *tf)
{
	struct user_process *p = current;
	if (p == NULL)
		panic("exception %llu from ring 3 with no user program running",
		      (unsigned long long)tf->vector);
	if (tf->vector == EXC_PAGE_FAULT) {
		uint64_t err = tf->error_code;
		const char *access = (err & PF_ERR_FETCH) ? "execute" : (err & PF_ERR_WRITE) ? "write" : "read";
		const char *why = (err & PF_ERR_RESERVED) ? "reserved bit set"
				  : (err & PF_ERR_PRESENT) ? "protection violation" : "not present";
		user_report("user: killed: page fault at 0x%llx (%s, %s) rip=0x%llx\n",
			(unsigned long long)read_cr2(), access, why, (unsigned long long)tf->rip);
	} else {
		user_report("user: killed: %s at rip=0x%llx\n", exception_name((unsigned)tf->vector),
			(unsigned long long)tf->rip);
	}
	stats.faults++;
	user_finish(p, USER_RESULT_EXCEPTION + (int64_t)tf->vector);
}

/* Entered by the iretq of IRQ 0 instead of ring 3 (see user_tick), on the
 * trap stack with interrupts off; the program's frame is already saved. */
static __attribute__((noreturn)) void tick_trampoline(void)
{
	struct user_process *p = current;
	if (p->kill_pending)
		kill_budget(p, p->frame.rip);
	stats.preemptions++;
	leave(p, USER_WAIT_YIELD);
}

/*
 * IRQ 0 hook (interrupts off). The program's CPU time counts while it is
 * current, in ring 3 or in a system call; it is stopped only where ring 3
 * was interrupted (a system call checks the budget on entry instead), so
 * no kernel code is ever abandoned half way.
 *
 * Stopping from inside the IRQ would skip the rest of the dispatcher (the
 * other hooks, the EOI). Instead the frame is saved and rewritten so that
 * the dispatcher's own iretq, after the EOI, "returns" to tick_trampoline
 * in ring 0 on the trap stack. The trap frame sits at the top of that same
 * stack, but the iretq has read it before the trampoline pushes anything.
 */
static void user_tick(struct trap_frame *tf, uint64_t ticks)
{
	(void)ticks;
	struct user_process *p = current;
	if (p == NULL)
		return;
	p->cpu_ms += 1000 / PIT_HZ;
	if ((tf->cs & 3) != 3)
		return;
	p->slice_ms += 1000 / PIT_HZ;
	p->kill_pending = p->cpu_ms > USER_TIME_BUDGET_MS;
	if (!p->kill_pending && p->slice_ms < USER_SLICE_MS)
		return;
	p->frame = *tf;
	tf->rip = (uint64_t)tick_trampoline;
	tf->cs = GDT_KERNEL_CS;
	tf->ss = GDT_KERNEL_DS;
	tf->rsp = trap_stack_top() - 8;   /* as after a call: rsp + 8 16-aligned */
	tf->rflags = RFLAGS_FIXED;        /* IF off */
	tf->rbp = 0;                      /* end of the frame-pointer chain */
}

/* ---- entering ---- */

static void install(void)
{
	if (installed)
		return;
	installed = true;
	/* Only ring 3 uses x87/SSE (the kernel is -mgeneral-regs-only), so
	 * there is no lazy switching: TS stays clear and the state simply
	 * belongs to the program that runs.
	 * NE: an unmasked x87 error is a #MF at the next waiting x87
	 * instruction (a report and the program ends) rather than the PC's
	 * legacy FERR# -> IRQ 13 path, which is masked here: on hardware the
	 * CPU would stall at that instruction waiting for an interrupt, and
	 * QEMU 7.2 (TCG) aborts the whole emulator on it. */
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	/* UMIP (where the CPU has it): sgdt, sidt, sldt, smsw and str become
	 * #GP in ring 3, so a program cannot read where the kernel keeps its
	 * descriptor tables. Older CPUs simply let them through. */
	uint32_t a, b, c, d;
	cpuid(0, 0, &a, &b, &c, &d);
	if (a >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		if (c & CPUID_7_ECX_UMIP)
			write_cr4(read_cr4() | CR4_UMIP);
	}
	idt_set_handler(SYSCALL_VECTOR, user_syscall, 3);
	trap_set_user_fault_handler(user_fault);
	pit_add_tick_hook(user_tick);
}

/* Run p in ring 3 until it blocks, yields or ends. */
static void enter(struct user_process *p)
{
	p->frame.cs = GDT_USER_CS;
	p->frame.ss = GDT_USER_DS;
	p->frame.rflags = (p->frame.rflags & RFLAGS_USER_MASK) | RFLAGS_FIXED | RFLAGS_IF;
	p->slice_ms = 0;
	if (!p->started) {
		/* A fresh x87/SSE state for a new program (see install). */
		user_fpu_reset();
		p->started = true;
	}
	tss_set_rsp0(trap_stack_top());
	vmm_switch(p->root);
	current = p;
	user_enter(&executor_ctx, &p->frame);
	current = NULL;
}

/* Free the address space and leave the result for the joiner. */
static enum poll_result end(struct task *self, struct user_process *p)
{
	if (p->root) {
		vmm_switch(vmm_kernel_root());
		user_unload(p->root);
		p->root = 0;
	}
	task_set_result(self, p->result);
	return POLL_READY;
}

static enum poll_result user_poll(struct task *self, void *state)
{
	struct user_process *p = state;
	if (p->refused) {
		user_report("user: refused: %s\n", p->refused);
		p->result = USER_RESULT_REFUSED;
		p->refused = NULL;
		p->wait = USER_WAIT_ENDED;
	}
	for (;;) {
		switch (p->wait) {
		case USER_WAIT_KEY: {
			int ch;
			if (!kbd_channel_poll(self, &ch))
				return POLL_PENDING;
			p->frame.rax = (uint64_t)(int64_t)ch;
			break;
		}
		case USER_WAIT_SLEEP:
			if (!timer_sleep_poll(self, p->wake_ms))
				return POLL_PENDING;
			p->frame.rax = 0;
			break;
		case USER_WAIT_YIELD:
			/* Let the other ready tasks run; we are polled again after. */
			p->wait = USER_WAIT_NONE;
			task_wake(self);
			return POLL_PENDING;
		case USER_WAIT_ENDED:
			return end(self, p);
		case USER_WAIT_NONE:
			break;
		}
		p->wait = USER_WAIT_NONE;
		enter(p);
	}
}

static void user_drop(void *state)
{
	struct user_process *p = state;
	if (p->root) {
		vmm_switch(vmm_kernel_root());
		user_unload(p->root);
	}
	kfree(p);
}

struct task *user_spawn_binary(const char *name, const void *bin, size_t size)
{
	install();
	struct user_process *p = kcalloc(1, sizeof(*p));
	if (p == NULL)
		panic("user: no memory for a process record");
	p->root = user_load(bin, size, &p->refused);
	p->frame.rip = USER_LOAD_ADDR;
	p->frame.rsp = USER_STACK_TOP;
	p->frame.rflags = RFLAGS_FIXED | RFLAGS_IF;
	p->wait = USER_WAIT_NONE;
	struct task *t = task_spawn(name, user_poll, p, user_drop);
	if (t == NULL)
		panic("user: cannot spawn the task for %s", name);
	p->task = t;
	return t;
}

struct task *user_spawn(const struct boot_info *bi)
{
	if (bi->user.size == 0)
		return NULL;
	kprintf("user: running the program loaded at 0x%llx (%llu bytes)\n",
		(unsigned long long)bi->user.phys, (unsigned long long)bi->user.size);
	return user_spawn_binary("user", phys_to_virt(bi->user.phys), bi->user.size);
}
