/*
 * ktest.c - the in-kernel test runner (see ktest.h for the contract).
 *
 * Each case runs as ktest_setjmp() == 0 -> fn(). Three ways back:
 *   - fn returns;
 *   - a KASSERT fails: ktest_longjmp(&case_jmp, OUTCOME_ASSERT);
 *   - the CPU raises an exception: ktest_fixup (a kernel fixup, idt.h)
 *     rewrites the trap frame so that the exception "returns" into the
 *     runner exactly as ktest_longjmp would (saved callee-saved registers,
 *     RSP and RIP, RAX = OUTCOME_FAULT, kernel CS/SS, IF set), and iretq
 *     does the jump. That works from any stack, including the #DF IST
 *     stack after the case overflowed the boot stack into its guard page:
 *     the runner's frame lies above the overflowed part.
 */
#include "kernel/core/ktest.h"

#ifdef KERNEL_TEST

#include <stddef.h>

#include "kernel/arch/cpu.h"
#include "kernel/arch/gdt.h"
#include "kernel/core/console.h"
#include "kernel/core/panic.h"
#include "kernel/core/qemu.h"
#include "kernel/drivers/serial.h"
#include "lib/fmt.h"
#include "lib/string.h"

#define KTEST_MAX_CASES   1024
#define RFLAGS_RESERVED1  (1ull << 1)   /* always 1 */

enum outcome {
	OUTCOME_RETURNED = 0,   /* ktest_setjmp's first return */
	OUTCOME_ASSERT = 1,
	OUTCOME_FAULT = 2,
	OUTCOME_SKIP = 3,
};

struct ktest_jmp {
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
};

__attribute__((returns_twice)) int ktest_setjmp(struct ktest_jmp *buf);
__attribute__((noreturn)) void ktest_longjmp(struct ktest_jmp *buf, int value);

extern const struct ktest_case __ktests_start[], __ktests_end[];

static struct ktest_jmp case_jmp;
static const struct ktest_case *volatile current;
static volatile bool case_running;       /* between setjmp and the case's end */
static char fail_reason[256];
static struct ktest_fault last_fault;
static const struct ktest_case *cases[KTEST_MAX_CASES];

const struct ktest_fault *ktest_last_fault(void)
{
	return &last_fault;
}

const char *ktest_current_name(void)
{
	const struct ktest_case *c = current;
	return c ? c->name : NULL;
}

static __attribute__((noreturn)) void back_to_runner(int outcome)
{
	if (!case_running)
		panic("ktest: assertion failed or skip outside a test case: %s", fail_reason);
	case_running = false;
	ktest_longjmp(&case_jmp, outcome);
}

void ktest_skip(const char *file, unsigned line, const char *why)
{
	fmt_snprintf(fail_reason, sizeof(fail_reason), "%s (%s:%u)", why, file, line);
	back_to_runner(OUTCOME_SKIP);
}

void ktest_fail_assert(const char *file, unsigned line, const char *cond)
{
	fmt_snprintf(fail_reason, sizeof(fail_reason), "%s:%u: KASSERT(%s)", file, line, cond);
	back_to_runner(OUTCOME_ASSERT);
}

void ktest_fail_eq(const char *file, unsigned line, const char *a, const char *b,
		   uint64_t va, uint64_t vb)
{
	fmt_snprintf(fail_reason, sizeof(fail_reason),
		     "%s:%u: KASSERT_EQ(%s, %s): %lld (%#llx) != %lld (%#llx)", file, line, a, b,
		     (long long)va, (unsigned long long)va, (long long)vb, (unsigned long long)vb);
	back_to_runner(OUTCOME_ASSERT);
}

/* The kernel fixup: any exception during a case ends the case. */
static bool ktest_fixup(struct trap_frame *tf)
{
	if (!case_running)
		return false;
	case_running = false;

	const struct ktest_case *c = current;
	last_fault.valid = true;
	last_fault.case_name = c->name;
	last_fault.vector = (unsigned)tf->vector;
	last_fault.cr2 = read_cr2();
	last_fault.frame_addr = (uint64_t)(uintptr_t)tf;
	last_fault.tf = *tf;

	bool expected = c->expect == KTEST_EXPECT_FAULT && c->vector == tf->vector;
	if (!expected) {
		exception_report(tf);
		fmt_snprintf(fail_reason, sizeof(fail_reason), "unexpected exception %llu (%s) at RIP %#llx",
			     (unsigned long long)tf->vector, exception_name((unsigned)tf->vector),
			     (unsigned long long)tf->rip);
	}

	tf->rbx = case_jmp.rbx;
	tf->rbp = case_jmp.rbp;
	tf->r12 = case_jmp.r12;
	tf->r13 = case_jmp.r13;
	tf->r14 = case_jmp.r14;
	tf->r15 = case_jmp.r15;
	tf->rsp = case_jmp.rsp;
	tf->rip = case_jmp.rip;
	tf->rax = OUTCOME_FAULT;
	tf->cs = GDT_KERNEL_CS;
	tf->ss = GDT_KERNEL_DS;
	tf->rflags = RFLAGS_IF | RFLAGS_RESERVED1;
	return true;
}

/* Output after a case's own (maybe unfinished) line starts at column 0. */
static void start_line(void)
{
	if (!console_at_line_start())
		kprintf("\n");
}

/* Run one case; true if it met its expectation. The reason for a failure
 * (or a skip) is left in fail_reason. */
static bool case_skipped;

static bool run_case(const struct ktest_case *c)
{
	fail_reason[0] = '\0';
	current = c;
	case_running = true;
	int outcome = ktest_setjmp(&case_jmp);
	if (outcome == OUTCOME_RETURNED) {
		c->fn();
		case_running = false;
	}
	/* The case may have left interrupts off (a failed KASSERT between
	 * irq_save and irq_restore) or the screen in another colour. */
	cpu_sti();
	console_set_color(CONSOLE_LIGHT_GREY, CONSOLE_BLACK);
	current = NULL;

	case_skipped = outcome == OUTCOME_SKIP;
	if (case_skipped)
		return true;
	switch (c->expect) {
	case KTEST_EXPECT_PASS:
		return outcome == OUTCOME_RETURNED;
	case KTEST_EXPECT_FAIL:
		if (outcome == OUTCOME_ASSERT) {
			start_line();
			kprintf("  expected failure: %s\n", fail_reason);
			return true;
		}
		if (outcome == OUTCOME_RETURNED)
			str_lcpy(fail_reason, "the case was expected to fail an assertion but returned",
				 sizeof(fail_reason));
		return false;
	case KTEST_EXPECT_FAULT:
		if (outcome == OUTCOME_FAULT && last_fault.vector == c->vector) {
			start_line();
			kprintf("  expected exception %u (%s) at RIP %#llx\n", c->vector,
				exception_name(c->vector), (unsigned long long)last_fault.tf.rip);
			return true;
		}
		if (outcome == OUTCOME_RETURNED)
			fmt_snprintf(fail_reason, sizeof(fail_reason),
				     "expected exception %u (%s), but the case returned", c->vector,
				     exception_name(c->vector));
		else if (outcome == OUTCOME_FAULT)
			fmt_snprintf(fail_reason, sizeof(fail_reason), "expected exception %u (%s), got %u (%s) at RIP %#llx",
				     c->vector, exception_name(c->vector), last_fault.vector,
				     exception_name(last_fault.vector), (unsigned long long)last_fault.tf.rip);
		return false;
	default:
		str_lcpy(fail_reason, "corrupt test case record", sizeof(fail_reason));
		return false;
	}
}

static bool case_before(const struct ktest_case *a, const struct ktest_case *b)
{
	int by_file = strcmp(a->file, b->file);
	return by_file < 0 || (by_file == 0 && a->line < b->line);
}

/* Gather the linker's array and order it by file, then line: insertion
 * sort, stable, fine for a few hundred cases. */
static size_t collect_cases(void)
{
	size_t n = (size_t)(__ktests_end - __ktests_start);
	if (n > KTEST_MAX_CASES)
		panic("ktest: %zu cases, at most %d supported", n, KTEST_MAX_CASES);
	for (size_t i = 0; i < n; i++) {
		const struct ktest_case *c = &__ktests_start[i];
		size_t j = i;
		while (j > 0 && case_before(c, cases[j - 1])) {
			cases[j] = cases[j - 1];
			j--;
		}
		cases[j] = c;
	}
	return n;
}

void ktest_main(void)
{
	trap_add_kernel_fixup(ktest_fixup);
	size_t n = collect_cases();
	kprintf("ktest: running %zu cases\n", n);

	unsigned passed = 0, failed = 0, skipped = 0;
	for (size_t i = 0; i < n; i++) {
		bool ok = run_case(cases[i]);
		start_line();
		console_set_color(ok ? CONSOLE_LIGHT_GREEN : CONSOLE_LIGHT_RED, CONSOLE_BLACK);
		if (case_skipped) {
			skipped++;
			kprintf("SKIP ktest/%s: %s\n", cases[i]->name, fail_reason);
		} else if (ok) {
			passed++;
			kprintf("PASS ktest/%s\n", cases[i]->name);
		} else {
			failed++;
			kprintf("FAIL ktest/%s: %s\n", cases[i]->name, fail_reason);
		}
		console_set_color(CONSOLE_LIGHT_GREY, CONSOLE_BLACK);
	}

	if (n == 0)
		kprintf("ktest: no test cases were linked in (section .ktests is empty)\n");
	if (skipped)
		kprintf("ktest: %u passed, %u failed, %u skipped\n", passed, failed, skipped);
	else
		kprintf("ktest: %u passed, %u failed\n", passed, failed);
	serial_flush();
	qemu_exit(failed == 0 && passed > 0 ? QEMU_EXIT_SUCCESS : QEMU_EXIT_FAILURE);
}

#endif /* KERNEL_TEST */
