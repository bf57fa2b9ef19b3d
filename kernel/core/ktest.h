/*
 * ktest.h - the in-kernel test framework (test kernel only).
 *
 *   KTEST(name) { ... }                  passes if the body returns
 *   KTEST_SHOULD_FAIL(name) { ... }      passes if a KASSERT in it fails
 *   KTEST_SHOULD_FAULT(name, vector) {}  passes if it raises CPU exception
 *                                        `vector` (14 = #PF, 8 = #DF, ...)
 *   KASSERT(cond), KASSERT_EQ(a, b)      a failure ends the case at once
 *                                        (KASSERT_EQ prints both values,
 *                                        compared as 64-bit integers)
 *   KTEST_SKIP(why)                      ends the case as skipped: the
 *                                        machine lacks what it tests (no
 *                                        8042, no NX, no VGA card); neither
 *                                        a pass nor a failure
 *
 * Cases are collected by the linker (section .ktests) from the test/kernel/ sources
 * and run by ktest_main in a fixed order: by file name, then by line. A
 * case may rely on the one before it in the same file (e.g. to inspect
 * ktest_last_fault() after a KTEST_SHOULD_FAULT case).
 *
 * Each case runs on the boot stack, with interrupts enabled, in the
 * runner's context. A failed KASSERT jumps back to the runner; any CPU
 * exception in kernel mode during a case (even a #DF on its IST stack) is
 * caught by a kernel fixup that restores the runner's registers and stack,
 * so the next case runs in the same boot. Interrupts are enabled again
 * after every case. KASSERT belongs in the case's own code, not in
 * interrupt handlers, and a fault inside an IRQ handler leaves that IRQ
 * without its EOI.
 *
 * Output on serial, one line per case: "PASS ktest/<name>",
 * "FAIL ktest/<name>: <why>" or "SKIP ktest/<name>: <why>", then
 * "ktest: N passed, M failed" (", K skipped" when K > 0); QEMU exits with
 * QEMU_EXIT_SUCCESS only if no case failed and at least one passed.
 */
#ifndef SELFOS_KERNEL_CORE_KTEST_H
#define SELFOS_KERNEL_CORE_KTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch/idt.h"

enum ktest_expect {
	KTEST_EXPECT_PASS,
	KTEST_EXPECT_FAIL,
	KTEST_EXPECT_FAULT,
};

struct ktest_case {
	const char *name;
	const char *file;
	void (*fn)(void);
	uint32_t line;
	uint32_t expect;            /* enum ktest_expect */
	uint32_t vector;            /* for KTEST_EXPECT_FAULT */
} __attribute__((aligned(8)));

#define KTEST_DEFINE_(name_, expect_, vector_)                                       \
	static void ktest_fn_##name_(void);                                          \
	static const struct ktest_case ktest_case_##name_                            \
		__attribute__((used, section(".ktests"), aligned(8))) = {            \
		.name = #name_, .file = __FILE__, .fn = ktest_fn_##name_,            \
		.line = __LINE__, .expect = (expect_), .vector = (vector_),          \
	};                                                                           \
	static void ktest_fn_##name_(void)

#define KTEST(name)                      KTEST_DEFINE_(name, KTEST_EXPECT_PASS, 0)
#define KTEST_SHOULD_FAIL(name)          KTEST_DEFINE_(name, KTEST_EXPECT_FAIL, 0)
#define KTEST_SHOULD_FAULT(name, vector) KTEST_DEFINE_(name, KTEST_EXPECT_FAULT, (vector))

#define KASSERT(cond)                                                                \
	do {                                                                         \
		if (!(cond))                                                         \
			ktest_fail_assert(__FILE__, __LINE__, #cond);                \
	} while (0)

#define KASSERT_EQ(a, b)                                                             \
	do {                                                                         \
		uint64_t ktest_a_ = (uint64_t)(a), ktest_b_ = (uint64_t)(b);         \
		if (ktest_a_ != ktest_b_)                                            \
			ktest_fail_eq(__FILE__, __LINE__, #a, #b, ktest_a_, ktest_b_); \
	} while (0)

#define KTEST_SKIP(why) ktest_skip(__FILE__, __LINE__, (why))

/* The last exception a case raised (expected or not), for the case after
 * a KTEST_SHOULD_FAULT one. */
struct ktest_fault {
	bool valid;
	const char *case_name;      /* the case that raised it */
	unsigned vector;
	uint64_t cr2;               /* read when the fault arrived */
	uint64_t frame_addr;        /* where the trap frame was: which stack ran the handler */
	struct trap_frame tf;       /* the registers at the fault */
};

/* Run every case, print the results, exit QEMU. */
__attribute__((noreturn)) void ktest_main(void);

/* The last fault caught by the runner (valid == false if none yet). */
const struct ktest_fault *ktest_last_fault(void);

/* Name of the case now running, or NULL (for panic()). */
const char *ktest_current_name(void);

/* Used by the macros: record why the case failed and return to the
 * runner. */
__attribute__((noreturn)) void ktest_fail_assert(const char *file, unsigned line, const char *cond);
__attribute__((noreturn)) void ktest_skip(const char *file, unsigned line, const char *why);
__attribute__((noreturn)) void ktest_fail_eq(const char *file, unsigned line, const char *a,
					     const char *b, uint64_t va, uint64_t vb);

#endif
