/*
 * test_user.c - the user program machinery from the inside: the loader's
 * mappings, the kernel half of a user address space, and small ring-3
 * programs run as real tasks (ring 3 entered, system call results, every
 * register preserved).
 *
 * The ring-3 programs are assembled here by gas as position-independent
 * code between two labels in .rodata; the kernel copies those bytes to
 * 0x400000 like any flat binary without a trailer. Each program checks its
 * own results and exits with 0, or with the number of the first check that
 * failed (KASSERT_EQ prints it).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/gdt.h"
#include "kernel/arch/idt.h"
#include "kernel/core/ktest.h"
#include "kernel/mm/pmm.h"
#include "kernel/mm/vmm.h"
#include "kernel/task/executor.h"
#include "kernel/task/task.h"
#include "kernel/user/user.h"
#include "kernel/user/user_priv.h"
#include "lib/string.h"
#include "user/abi.h"

#define PTE_PRESENT  (1ull << 0)
#define PTE_USER     (1ull << 2)
#define PTE_HUGE     (1ull << 7)
#define PTE_ADDR     0x000FFFFFFFFFF000ull

/* ---- ring-3 programs ---- */

extern const uint8_t user_prog_calls[], user_prog_calls_end[];
extern const uint8_t user_prog_regs[], user_prog_regs_end[];

__asm__(
	".pushsection .rodata\n"
	".balign 16\n"

	/* Checks 1-6: CPL 3, write's length, -EFAULT for a kernel and an
	 * unmapped buffer, -EINVAL for a wrapping length, -ENOSYS. */
	"user_prog_calls:\n"
	"	mov %cs, %eax\n"
	"	and $3, %eax\n"
	"	mov $1, %edi\n"
	"	cmp $3, %eax\n"
	"	jne 9f\n"
	"	mov $" "1" ", %eax\n"                   /* SYS_WRITE */
	"	lea 8f(%rip), %rdi\n"
	"	mov $17, %esi\n"
	"	int $0x80\n"
	"	mov $2, %edi\n"
	"	cmp $17, %rax\n"
	"	jne 9f\n"
	"	mov $1, %eax\n"
	"	movabs $0xffffffff80100000, %rdi\n"
	"	mov $8, %esi\n"
	"	int $0x80\n"
	"	mov $3, %edi\n"
	"	cmp $-14, %rax\n"
	"	jne 9f\n"
	"	mov $1, %eax\n"
	"	mov $0x10000000, %edi\n"
	"	mov $8, %esi\n"
	"	int $0x80\n"
	"	mov $4, %edi\n"
	"	cmp $-14, %rax\n"
	"	jne 9f\n"
	"	mov $1, %eax\n"
	"	lea 8f(%rip), %rdi\n"
	"	mov $-1, %rsi\n"
	"	int $0x80\n"
	"	mov $5, %edi\n"
	"	cmp $-22, %rax\n"
	"	jne 9f\n"
	"	movabs $0x100000001, %rax\n"
	"	int $0x80\n"
	"	mov $6, %edi\n"
	"	cmp $-38, %rax\n"
	"	jne 9f\n"
	"	xor %edi, %edi\n"
	"9:	xor %eax, %eax\n"                     /* SYS_EXIT */
	"	int $0x80\n"
	"	ud2\n"
	"8:	.ascii \"ktest: ring 3 ok\\n\"\n"
	"user_prog_calls_end:\n"

	/* Every register but rax holds a pattern across three system calls
	 * (write with the patterns as arguments, uptime, an unknown number); then each is compared:
	 * exit(1..15) names the first register that changed (by its number
	 * in the rax, rcx, rdx, rbx order, 7 = rsp), 16 RFLAGS (CF and DF
	 * were set before the calls), 17 XMM0, 18 XMM15. */
	"user_prog_regs:\n"
	"	movabs $0x1111111111111111, %rax\n"
	"	movq %rax, %xmm0\n"
	"	movabs $0x2222222222222222, %rax\n"
	"	movq %rax, %xmm15\n"
	"	movq %rsp, %xmm1\n"
	"	movabs $0x0101010101010101, %rbx\n"
	"	movabs $0x0202020202020202, %rcx\n"
	"	movabs $0x0303030303030303, %rdx\n"
	"	movabs $0x0404040404040404, %rsi\n"
	"	movabs $0x0505050505050505, %rdi\n"
	"	movabs $0x0606060606060606, %rbp\n"
	"	movabs $0x0808080808080808, %r8\n"
	"	movabs $0x0909090909090909, %r9\n"
	"	movabs $0x0a0a0a0a0a0a0a0a, %r10\n"
	"	movabs $0x0b0b0b0b0b0b0b0b, %r11\n"
	"	movabs $0x0c0c0c0c0c0c0c0c, %r12\n"
	"	movabs $0x0d0d0d0d0d0d0d0d, %r13\n"
	"	movabs $0x0e0e0e0e0e0e0e0e, %r14\n"
	"	movabs $0x0f0f0f0f0f0f0f0f, %r15\n"
	"	stc\n"
	"	std\n"
	"	mov $1, %eax\n"                       /* write(pattern, pattern): -EINVAL */
	"	int $0x80\n"
	"	stc\n"
	"	mov $4, %eax\n"                       /* uptime */
	"	int $0x80\n"
	"	mov $1000, %eax\n"                    /* unknown */
	"	int $0x80\n"
	"	pushfq\n"
	"	cld\n"
	"	movq %xmm1, %rax\n"
	"	sub $8, %rax\n"
	"	cmp %rax, %rsp\n"
	"	mov $7, %eax\n"
	"	jne 7f\n"
	"	movabs $0x0101010101010101, %rax\n"
	"	cmp %rax, %rbx\n"
	"	mov $1, %eax\n"
	"	jne 7f\n"
	"	movabs $0x0202020202020202, %rax\n"
	"	cmp %rax, %rcx\n"
	"	mov $2, %eax\n"
	"	jne 7f\n"
	"	movabs $0x0303030303030303, %rax\n"
	"	cmp %rax, %rdx\n"
	"	mov $3, %eax\n"
	"	jne 7f\n"
	"	movabs $0x0404040404040404, %rax\n"
	"	cmp %rax, %rsi\n"
	"	mov $4, %eax\n"
	"	jne 7f\n"
	"	movabs $0x0505050505050505, %rax\n"
	"	cmp %rax, %rdi\n"
	"	mov $5, %eax\n"
	"	jne 7f\n"
	"	movabs $0x0606060606060606, %rax\n"
	"	cmp %rax, %rbp\n"
	"	mov $6, %eax\n"
	"	jne 7f\n"
	"	movabs $0x0808080808080808, %rax\n"
	"	cmp %rax, %r8\n"
	"	mov $8, %eax\n"
	"	jne 7f\n"
	"	movabs $0x0909090909090909, %rax\n"
	"	cmp %rax, %r9\n"
	"	mov $9, %eax\n"
	"	jne 7f\n"
	"	movabs $0x0a0a0a0a0a0a0a0a, %rax\n"
	"	cmp %rax, %r10\n"
	"	mov $10, %eax\n"
	"	jne 7f\n"
	"	movabs $0x0b0b0b0b0b0b0b0b, %rax\n"
	"	cmp %rax, %r11\n"
	"	mov $11, %eax\n"
	"	jne 7f\n"
	"	movabs $0x0c0c0c0c0c0c0c0c, %rax\n"
	"	cmp %rax, %r12\n"
	"	mov $12, %eax\n"
	"	jne 7f\n"
	"	movabs $0x0d0d0d0d0d0d0d0d, %rax\n"
	"	cmp %rax, %r13\n"
	"	mov $13, %eax\n"
	"	jne 7f\n"
	"	movabs $0x0e0e0e0e0e0e0e0e, %rax\n"
	"	cmp %rax, %r14\n"
	"	mov $14, %eax\n"
	"	jne 7f\n"
	"	movabs $0x0f0f0f0f0f0f0f0f, %rax\n"
	"	cmp %rax, %r15\n"
	"	mov $15, %eax\n"
	"	jne 7f\n"
	"	pop %rax\n"                           /* RFLAGS after the calls: CF (bit 0), DF (bit 10) */
	"	and $0x401, %eax\n"
	"	cmp $0x401, %eax\n"
	"	mov $16, %eax\n"
	"	jne 7f\n"
	"	movq %xmm0, %rax\n"
	"	movabs $0x1111111111111111, %rbx\n"
	"	cmp %rbx, %rax\n"
	"	mov $17, %eax\n"
	"	jne 7f\n"
	"	movq %xmm15, %rax\n"
	"	movabs $0x2222222222222222, %rbx\n"
	"	cmp %rbx, %rax\n"
	"	mov $18, %eax\n"
	"	jne 7f\n"
	"	xor %eax, %eax\n"
	"7:	mov %eax, %edi\n"
	"	xor %eax, %eax\n"
	"	int $0x80\n"
	"	ud2\n"
	"user_prog_regs_end:\n"
	".popsection\n");

/* Run a program as a task until it has ended; its result. */
static int64_t run_program(const char *name, const uint8_t *start, const uint8_t *end)
{
	struct task *t = user_spawn_binary(name, start, (size_t)(end - start));
	KASSERT(t != NULL);
	executor_run_until_idle();
	int64_t result;
	KASSERT(task_result(t, &result));
	task_unref(t);
	return result;
}

KTEST(user_ring3_syscall_results)
{
	struct user_stats before, after;
	user_get_stats(&before);
	KASSERT_EQ(run_program("ktest-calls", user_prog_calls, user_prog_calls_end), 0);
	user_get_stats(&after);
	/* Seen from the kernel side too: the calls came from CPL 3. */
	KASSERT_EQ(after.last_syscall_cs, GDT_USER_CS);
	KASSERT_EQ(after.last_syscall_cs & 3, 3);
	KASSERT_EQ(after.syscalls - before.syscalls, 6);   /* exit included */
}

KTEST(user_syscalls_preserve_registers)
{
	KASSERT_EQ(run_program("ktest-regs", user_prog_regs, user_prog_regs_end), 0);
}

KTEST(user_fault_ends_program_and_frees_everything)
{
	/* movabs 0x0, %rax: a NULL read, #PF from ring 3. */
	static const uint8_t null_read[] = { 0x48, 0xA1, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct user_stats before, after;
	/* One run first, so that heap growth is not counted as a leak. */
	KASSERT_EQ(run_program("ktest-null", null_read, null_read + sizeof(null_read)),
		   USER_RESULT_EXCEPTION + EXC_PAGE_FAULT);
	uint64_t free_before = pmm_free_count();
	user_get_stats(&before);
	for (int i = 0; i < 3; i++) {
		KASSERT_EQ(run_program("ktest-null", null_read, null_read + sizeof(null_read)),
			   USER_RESULT_EXCEPTION + EXC_PAGE_FAULT);
		KASSERT_EQ(run_program("ktest-calls", user_prog_calls, user_prog_calls_end), 0);
	}
	user_get_stats(&after);
	KASSERT_EQ(after.faults - before.faults, 3);
	/* Program pages, stack, page tables and root all went back. */
	KASSERT_EQ(pmm_free_count(), free_before);
}

KTEST(user_trap_stack_has_guard_page)
{
	/* A program ran above, so TSS.RSP0 is the user trap stack's top. */
	uint64_t top = tss_get_rsp0();
	uint64_t root = vmm_kernel_root();
	KASSERT_EQ(top & 15, 0);
	KASSERT(vmm_translate(root, top - 8, NULL, NULL));
	KASSERT(vmm_translate(root, top - USER_TRAP_STACK_SIZE, NULL, NULL));
	KASSERT(!vmm_translate(root, top - USER_TRAP_STACK_SIZE - 8, NULL, NULL));
}

/* ---- address spaces ---- */

/* Count entries with the user bit in the tables below `table` (level 4 =
 * PML4, indices [from, to)); `entries` counts present entries seen. */
static uint64_t count_user_bits(uint64_t table_pa, int level, unsigned from, unsigned to,
				uint64_t *entries)
{
	const uint64_t *t = phys_to_virt(table_pa);
	uint64_t found = 0;
	for (unsigned i = from; i < to; i++) {
		uint64_t e = t[i];
		if (!(e & PTE_PRESENT))
			continue;
		(*entries)++;
		if (e & PTE_USER)
			found++;
		if (level > 1 && !(level < 4 && (e & PTE_HUGE)))
			found += count_user_bits(e & PTE_ADDR, level - 1, 0, 512, entries);
	}
	return found;
}

KTEST(user_root_kernel_half_has_no_user_bit)
{
	uint64_t root = vmm_new_root();
	KASSERT(root != 0);
	uint64_t entries = 0;
	uint64_t user = count_user_bits(root, 4, 256, 512, &entries);
	vmm_free_user(root);
	pmm_free(root);
	KASSERT(entries > 256);   /* really walked the direct map and the kernel */
	KASSERT_EQ(user, 0);
}

/* Present leaf entries (4 KiB pages, or large pages) in the first `to`
 * entries of the table at table_pa (level 4 = PML4). */
static uint64_t count_leaves(uint64_t table_pa, int level, unsigned to)
{
	const uint64_t *t = phys_to_virt(table_pa);
	uint64_t n = 0;
	for (unsigned i = 0; i < to; i++) {
		uint64_t e = t[i];
		if (!(e & PTE_PRESENT))
			continue;
		if (level == 1 || (level < 4 && (e & PTE_HUGE)))
			n++;
		else
			n += count_leaves(e & PTE_ADDR, level - 1, 512);
	}
	return n;
}

/* Effective rights of va in root, or -1 if unmapped. */
static int64_t rights(uint64_t root, uint64_t va)
{
	unsigned flags;
	if (!vmm_translate(root, va, NULL, &flags))
		return -1;
	return flags;
}

KTEST(user_load_without_trailer_is_rwx_and_alone)
{
	static const uint8_t prog[5000] = { 0xEB, 0xFE };   /* jmp $ */
	const char *why = NULL;
	uint64_t root = user_load(prog, sizeof(prog), &why);
	KASSERT(root != 0);
	KASSERT_EQ(rights(root, USER_LOAD_ADDR), VMM_USER | VMM_WRITE);
	KASSERT_EQ(rights(root, USER_LOAD_ADDR + 4096), VMM_USER | VMM_WRITE);
	KASSERT_EQ(rights(root, USER_LOAD_ADDR + 8192), -1);
	unsigned nx = vmm_nx_enabled() ? VMM_NX : 0;   /* no NX bit on -cpu qemu64,-nx */
	KASSERT_EQ(rights(root, USER_STACK_TOP - 8), VMM_USER | VMM_WRITE | nx);
	KASSERT_EQ(rights(root, USER_STACK_BOTTOM), VMM_USER | VMM_WRITE | nx);
	KASSERT_EQ(rights(root, USER_STACK_GUARD), -1);
	KASSERT_EQ(rights(root, USER_STACK_TOP), -1);
	KASSERT_EQ(rights(root, 0), -1);
	KASSERT_EQ(rights(root, 0xB8000), -1);
	/* Nothing else in the lower half: 2 program pages + the stack. */
	KASSERT_EQ(count_leaves(root, 4, 256), 2 + USER_STACK_SIZE / 4096);
	/* The copy is the binary's bytes. */
	uint64_t pa;
	KASSERT(vmm_translate(root, USER_LOAD_ADDR, &pa, NULL));
	KASSERT_EQ(memcmp(phys_to_virt(pa), prog, 4096), 0);
	user_unload(root);
}

/* A binary laid out like user/linker.ld's: code page, constants page, data
 * page ending with the trailer, one more page of .bss. */
static uint8_t trailer_prog[3 * 4096];

static void make_trailer_prog(uint32_t text_end, uint32_t rodata_end, uint32_t mem_size)
{
	memset(trailer_prog, 0, sizeof(trailer_prog));
	trailer_prog[0] = 0xEB;
	trailer_prog[1] = 0xFE;
	struct user_trailer t = { .version = USER_TRAILER_VERSION, .text_end = text_end,
				  .rodata_end = rodata_end, .mem_size = mem_size };
	memcpy(t.magic, USER_TRAILER_MAGIC, sizeof(t.magic));
	memcpy(trailer_prog + sizeof(trailer_prog) - sizeof(t), &t, sizeof(t));
}

KTEST(user_load_with_trailer_maps_wx_separately)
{
	make_trailer_prog(4096, 8192, 4 * 4096);
	const char *why = NULL;
	uint64_t root = user_load(trailer_prog, sizeof(trailer_prog), &why);
	KASSERT(root != 0);
	bool nx = vmm_nx_enabled();
	KASSERT_EQ(rights(root, USER_LOAD_ADDR), VMM_USER);
	KASSERT_EQ(rights(root, USER_LOAD_ADDR + 4096), VMM_USER | (nx ? VMM_NX : 0));
	KASSERT_EQ(rights(root, USER_LOAD_ADDR + 8192), VMM_USER | VMM_WRITE | (nx ? VMM_NX : 0));
	KASSERT_EQ(rights(root, USER_LOAD_ADDR + 12288), VMM_USER | VMM_WRITE | (nx ? VMM_NX : 0));
	KASSERT_EQ(rights(root, USER_LOAD_ADDR + 16384), -1);
	/* .bss beyond the file is zero. */
	uint64_t pa;
	KASSERT(vmm_translate(root, USER_LOAD_ADDR + 12288, &pa, NULL));
	const uint8_t *bss = phys_to_virt(pa);
	uint64_t nonzero = 0;
	for (int i = 0; i < 4096; i++)
		nonzero += bss[i] != 0;
	KASSERT_EQ(nonzero, 0);
	user_unload(root);
}

KTEST(user_load_refuses_bad_trailers)
{
	static const uint32_t bad[][3] = {
		{ 100, 8192, 4 * 4096 },          /* text_end not page aligned */
		{ 0, 8192, 4 * 4096 },            /* no code at all */
		{ 8192, 4096, 4 * 4096 },         /* text after rodata */
		{ 4096, 3 * 4096, 4 * 4096 },     /* data region would not hold the trailer */
		{ 4096, 8192, 4096 },             /* mem_size smaller than the file */
		{ 4096, 8192, 0x7FFFFFFF },       /* beyond USER_IMAGE_MAX */
	};
	uint64_t free_before = pmm_free_count();
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		make_trailer_prog(bad[i][0], bad[i][1], bad[i][2]);
		const char *why = NULL;
		KASSERT_EQ(user_load(trailer_prog, sizeof(trailer_prog), &why), 0);
		KASSERT(why != NULL);
	}
	KASSERT_EQ(pmm_free_count(), free_before);
}

KTEST(user_access_checks_every_page)
{
	static const uint8_t prog[4096] = { 0xEB, 0xFE };
	const char *why = NULL;
	uint64_t root = user_load(prog, sizeof(prog), &why);
	KASSERT(root != 0);
	KASSERT(user_range_ok(root, USER_LOAD_ADDR, 4096, false));
	KASSERT(!user_range_ok(root, USER_LOAD_ADDR, 4097, false));        /* runs off the end */
	KASSERT(!user_range_ok(root, USER_LOAD_ADDR - 1, 2, false));       /* starts before */
	KASSERT(user_range_ok(root, USER_STACK_BOTTOM, USER_STACK_SIZE, true));
	KASSERT(!user_range_ok(root, USER_STACK_BOTTOM - 1, 2, false));    /* the guard page */
	KASSERT(!user_range_ok(root, 0xFFFFFFFF80100000ull, 8, false));   /* kernel text */
	KASSERT(!user_range_ok(root, DIRECT_MAP_BASE + 0xB8000, 8, false));
	KASSERT(!user_range_ok(root, (uint64_t)-8, 16, false));            /* wraps */
	KASSERT(!user_range_ok(root, USER_SPACE_END - 8, 16, false));      /* non-canonical end */
	user_unload(root);
}

KTEST(user_refused_binary_still_gives_a_task)
{
	make_trailer_prog(100, 8192, 4 * 4096);
	struct task *t = user_spawn_binary("ktest-refused", trailer_prog, sizeof(trailer_prog));
	KASSERT(t != NULL);
	executor_run_until_idle();
	int64_t result;
	KASSERT(task_result(t, &result));
	task_unref(t);
	KASSERT_EQ(result, USER_RESULT_REFUSED);
}
