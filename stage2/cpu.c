/*
 * cpu.c - refuse CPUs that cannot run a 64-bit kernel, in words.
 *
 * Long mode is reported by CPUID leaf 0x80000001, EDX bit 29. CPUID itself
 * exists when EFLAGS.ID (bit 21) can be toggled. PAE (leaf 1 EDX bit 6) is
 * implied by long mode but checked anyway: it is what CR4.PAE needs.
 */
#include "stage2/stage2.h"

#include "stage2/tty.h"

#define EFLAGS_ID        (1u << 21)
#define CPUID_1_EDX_PAE  (1u << 6)
#define CPUID_EXT_EDX_LM (1u << 29)

static int cpuid_present(void)
{
	uint32_t before, after;

	__asm__ volatile("pushfl\n\t"
			 "popl %0\n\t"
			 "movl %0, %1\n\t"
			 "xorl %2, %1\n\t"
			 "pushl %1\n\t"
			 "popfl\n\t"
			 "pushfl\n\t"
			 "popl %1\n\t"
			 "pushl %0\n\t"
			 "popfl"
			 : "=&r"(before), "=&r"(after)
			 : "i"(EFLAGS_ID));
	return ((before ^ after) & EFLAGS_ID) != 0;
}

static void cpuid(uint32_t leaf, uint32_t *a, uint32_t *d)
{
	uint32_t b, c;
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(b), "=c"(c), "=d"(*d) : "a"(leaf), "c"(0));
}

void cpu_check_long_mode(void)
{
	uint32_t a, d;

	if (!cpuid_present())
		die("selfos needs a 64-bit (x86_64) CPU; this one does not even have CPUID");
	cpuid(0x80000000u, &a, &d);
	if (a < 0x80000001u)
		die("selfos needs a 64-bit (x86_64) CPU; this one is 32-bit only (no long mode)");
	cpuid(0x80000001u, &a, &d);
	if (!(d & CPUID_EXT_EDX_LM))
		die("selfos needs a 64-bit (x86_64) CPU; this one is 32-bit only (no long mode)");
	cpuid(1, &a, &d);
	if (!(d & CPUID_1_EDX_PAE))
		die("selfos needs a CPU with PAE paging");
	tty_puts("stage2: CPU supports long mode\n");
}
