/*
 * bootinfo.c - take over stage2's hand-off: check it, copy it, print it.
 */
#include "kernel/core/bootinfo.h"

#include "kernel/arch/cpu.h"
#include "kernel/arch/tsc.h"
#include "kernel/core/console.h"
#include "kernel/core/panic.h"
#include "lib/layout.h"
#include "lib/string.h"

static struct boot_info boot_info_copy;
static const struct boot_info *boot_info_ptr;
static uint64_t tsc_kernel_main;

const struct boot_info *bootinfo_take(uint64_t phys)
{
	tsc_kernel_main = rdtsc();
	/* Stage2 keeps the structure in its own memory below 64 KiB; it is read
	 * through the direct map, which stage2's tables already provide, so the
	 * kernel never depends on the identity map. */
	if (phys == 0 || phys >= 0x100000)
		panic("boot info: address %#llx is not where stage2 puts it; was the kernel started by selfos stage2?",
		      (unsigned long long)phys);
	const struct boot_info *src = (const struct boot_info *)(uintptr_t)(DIRECT_MAP_BASE + phys);
	if (src->magic != BOOT_INFO_MAGIC)
		panic("boot info: bad magic %#x (expected %#x): not a selfos stage2 hand-off",
		      src->magic, BOOT_INFO_MAGIC);
	if (src->version != BOOT_INFO_VERSION || src->size != sizeof(struct boot_info))
		panic("boot info: version %u size %u, this kernel needs version %u size %u: stage2 and kernel are from different builds",
		      src->version, src->size, BOOT_INFO_VERSION, (unsigned)sizeof(struct boot_info));
	if (src->mmap_count > BOOT_MMAP_MAX)
		panic("boot info: %u memory map entries, at most %u fit", src->mmap_count, BOOT_MMAP_MAX);
	memcpy(&boot_info_copy, src, sizeof(boot_info_copy));
	boot_info_ptr = &boot_info_copy;
	return boot_info_ptr;
}

const struct boot_info *bootinfo_get(void)
{
	return boot_info_ptr;
}

uint64_t bootinfo_usable_bytes(const struct boot_info *bi)
{
	uint64_t total = 0;
	for (uint32_t i = 0; i < bi->mmap_count; i++)
		if (bi->mmap[i].type == E820_USABLE)
			total += bi->mmap[i].length;
	return total;
}

void bootinfo_print_banner(const struct boot_info *bi)
{
	console_set_color(CONSOLE_LIGHT_CYAN, CONSOLE_BLACK);
	kprintf("selfos kernel: long mode, kernel_main reached\n");
	console_set_color(CONSOLE_LIGHT_GREY, CONSOLE_BLACK);
	kprintf("boot info v%u: drive %#x, kernel %llu bytes at %#llx (crc %08x), user %llu bytes at %#llx (crc %08x)\n",
		bi->version, bi->boot_drive,
		(unsigned long long)bi->kernel.size, (unsigned long long)bi->kernel.phys, bi->kernel.crc32,
		(unsigned long long)bi->user.size, (unsigned long long)bi->user.phys, bi->user.crc32);
}

static const char *e820_type_name(uint32_t type)
{
	switch (type) {
	case E820_USABLE:   return "usable";
	case E820_RESERVED: return "reserved";
	case E820_ACPI:     return "ACPI reclaimable";
	case E820_NVS:      return "ACPI NVS";
	case E820_BAD:      return "bad memory";
	default:            return "unknown";
	}
}

void bootinfo_print_memory_map(const struct boot_info *bi)
{
	static const char *const sources[] = { "none", "E820", "E801", "int 15h AH=88h" };
	const char *src = bi->mmap_source < 4 ? sources[bi->mmap_source] : "?";

	kprintf("memory map (%s, %u entries):\n", src, bi->mmap_count);
	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		const struct boot_mmap_entry *e = &bi->mmap[i];
		kprintf("  %016llx-%016llx %s\n", (unsigned long long)e->base,
			(unsigned long long)(e->base + e->length - 1), e820_type_name(e->type));
	}
	kprintf("usable memory: %llu MiB\n", (unsigned long long)(bootinfo_usable_bytes(bi) >> 20));
}

/* Milliseconds between two TSC readings, or -1 when either is unknown. */
static long long tsc_span_ms(uint64_t from, uint64_t to, uint64_t khz)
{
	if (from == 0 || to == 0 || to < from || khz == 0)
		return -1;
	return (long long)((to - from) / khz);
}

static void timeline_row(const char *what, uint64_t from, uint64_t to, uint64_t khz)
{
	long long ms = tsc_span_ms(from, to, khz);
	if (ms < 0)
		kprintf("  %-28s      ?\n", what);
	else
		kprintf("  %-28s %6lld ms  (%llu cycles)\n", what, ms, (unsigned long long)(to - from));
}

void bootinfo_print_timeline(const struct boot_info *bi)
{
	uint64_t khz = tsc_khz();

	kprintf("boot timeline (TSC %llu kHz):\n", (unsigned long long)khz);
	/* The TSC starts at 0 on reset, so the MBR's reading is the firmware's time. */
	timeline_row("firmware (reset -> MBR)", 1, bi->tsc_mbr, khz);
	timeline_row("MBR (load stage2)", bi->tsc_mbr, bi->tsc_stage2, khz);
	timeline_row("stage2 (A20, E820, load)", bi->tsc_stage2, bi->tsc_loaded, khz);
	timeline_row("stage2 (to long mode)", bi->tsc_loaded, bi->tsc_longmode, khz);
	timeline_row("kernel entry -> kernel_main", bi->tsc_longmode, tsc_kernel_main, khz);
	timeline_row("total to kernel_main", 1, tsc_kernel_main, khz);
}
