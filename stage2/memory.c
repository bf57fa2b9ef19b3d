/*
 * memory.c - ask the BIOS how much memory there is, and where.
 *
 * int 15h E820h is the real answer (a list of typed ranges, holes and
 * all). Old BIOSes only have E801h (two counters) or AH=88h (one 16-bit
 * count of KiB above 1 MiB); from those we build a conservative map.
 */
#include "stage2/stage2.h"

#include "lib/boot_info.h"
#include "stage2/bios.h"
#include "stage2/tty.h"

#define SMAP              0x534D4150u  /* "SMAP": E820's signature */
#define E820_ACPI_VALID   0x1u         /* ACPI 3.0 attribute: entry valid */
#define MIB               0x100000u

static void mmap_add(struct boot_info *bi, uint64_t base, uint64_t length, uint32_t type)
{
	if (length == 0 || bi->mmap_count >= BOOT_MMAP_MAX)
		return;
	struct boot_mmap_entry *e = &bi->mmap[bi->mmap_count++];
	e->base = base;
	e->length = length;
	e->type = type;
	e->acpi = E820_ACPI_VALID;
}

static int detect_e820(struct boot_info *bi)
{
	/* The buffer must be addressable as ES:DI with ES = 0: on the stack. */
	struct boot_mmap_entry buf;
	struct biosregs r;
	uint32_t next = 0;
	uint32_t calls = 0;

	do {
		/* int 15h EAX=E820h: query system address map.
		 *   in:  EAX = E820h (high word clear: some BIOSes check all 32 bits),
		 *        EBX = continuation (0 first), ECX = buffer size (24),
		 *        EDX = 'SMAP' (every call: some BIOSes trash it), ES:DI = buffer
		 *   out: CF clear, EAX = 'SMAP', EBX = continuation (0 = last),
		 *        ECX = bytes written (20 or 24)
		 * The ACPI 3.0 field is preset to "valid" for BIOSes that write
		 * only 20 bytes. */
		buf = (struct boot_mmap_entry){ .acpi = E820_ACPI_VALID };
		bios_regs_init(&r);
		r.eax = 0xE820;
		r.ebx = next;
		r.ecx = sizeof(buf);
		r.edx = SMAP;
		r.edi = (uint32_t)(uintptr_t)&buf;
		bios_call(0x15, &r, &r);

		/* CF on the first call: no E820. CF later: end of list (some BIOSes
		 * end with CF instead of EBX = 0). */
		if (r.eflags & EFLAGS_CF)
			break;
		if (r.eax != SMAP) {
			/* Not a real E820 answer: trust none of it. */
			bi->mmap_count = 0;
			return 0;
		}
		next = r.ebx;
		if (r.ecx >= 24 && !(buf.acpi & E820_ACPI_VALID))
			continue;          /* ACPI 3.0: "ignore this entry" */
		mmap_add(bi, buf.base, buf.length, buf.type);   /* skips zero lengths */
	} while (next != 0 && ++calls < 4 * BOOT_MMAP_MAX);

	return bi->mmap_count > 0;
}

/* Conventional memory below 640 KiB, from int 12h. */
static uint32_t low_memory_kib(void)
{
	struct biosregs r;

	/* int 12h: AX = KiB of conventional memory. */
	bios_regs_init(&r);
	bios_call(0x12, &r, &r);
	uint32_t kib = r.eax & 0xFFFF;
	return (kib == 0 || kib > 640) ? 640 : kib;
}

static int detect_e801(struct boot_info *bi)
{
	struct biosregs r;

	/* int 15h AX=E801h: memory size for large configurations.
	 *   out: CF clear; AX/CX = KiB between 1 and 16 MiB, BX/DX = 64 KiB blocks
	 *        above 16 MiB. Some BIOSes fill only AX/BX, others only CX/DX. */
	bios_regs_init(&r);
	r.eax = 0xE801;
	bios_call(0x15, &r, &r);
	if (r.eflags & EFLAGS_CF)
		return 0;
	uint32_t kib_1_16 = r.ecx & 0xFFFF, blocks_16 = r.edx & 0xFFFF;
	if (kib_1_16 == 0) {
		kib_1_16 = r.eax & 0xFFFF;
		blocks_16 = r.ebx & 0xFFFF;
	}
	if (kib_1_16 == 0)
		return 0;
	mmap_add(bi, 0, (uint64_t)low_memory_kib() * 1024, E820_USABLE);
	mmap_add(bi, MIB, (uint64_t)kib_1_16 * 1024, E820_USABLE);
	mmap_add(bi, 16 * (uint64_t)MIB, (uint64_t)blocks_16 * 65536, E820_USABLE);
	return 1;
}

static int detect_88h(struct boot_info *bi)
{
	struct biosregs r;

	/* int 15h AH=88h: AX = KiB of memory above 1 MiB (at most 64 MiB). */
	bios_regs_init(&r);
	r.eax = 0x8800;
	bios_call(0x15, &r, &r);
	if ((r.eflags & EFLAGS_CF) || (r.eax & 0xFFFF) == 0)
		return 0;
	mmap_add(bi, 0, (uint64_t)low_memory_kib() * 1024, E820_USABLE);
	mmap_add(bi, MIB, (uint64_t)(r.eax & 0xFFFF) * 1024, E820_USABLE);
	return 1;
}

void memory_detect(struct boot_info *bi)
{
	static const char *const names[] = { "none", "E820", "E801", "int 15h AH=88h" };

	if (detect_e820(bi))
		bi->mmap_source = MMAP_SRC_E820;
	else if (detect_e801(bi))
		bi->mmap_source = MMAP_SRC_E801;
	else if (detect_88h(bi))
		bi->mmap_source = MMAP_SRC_88H;
	else
		die("the BIOS reports no memory map (E820, E801 and AH=88h all failed)");

	/* Usable MiB, added in KiB to stay within 32-bit arithmetic here. */
	uint32_t usable_kib = 0;
	for (uint32_t i = 0; i < bi->mmap_count; i++)
		if (bi->mmap[i].type == E820_USABLE)
			usable_kib += (uint32_t)(bi->mmap[i].length >> 10);
	tty_puts("stage2: memory map from ");
	tty_puts(names[bi->mmap_source]);
	tty_puts(": ");
	tty_dec(bi->mmap_count);
	tty_puts(" entries, ");
	tty_dec(usable_kib >> 10);
	tty_puts(" MiB usable\n");
}
