/*
 * bootinfo.h - the kernel's side of the stage2 hand-off (lib/boot_info.h).
 */
#ifndef SELFOS_KERNEL_CORE_BOOTINFO_H
#define SELFOS_KERNEL_CORE_BOOTINFO_H

#include <stdint.h>

#include "lib/boot_info.h"

/* Validate the structure at phys (magic, version, size, counts) and copy it
 * into kernel memory. Panics with the reason when it is not a selfos hand-off.
 * Returns the kernel's copy, valid forever. */
const struct boot_info *bootinfo_take(uint64_t phys);

/* The kernel's copy (NULL before bootinfo_take). */
const struct boot_info *bootinfo_get(void);

void bootinfo_print_banner(const struct boot_info *bi);
void bootinfo_print_memory_map(const struct boot_info *bi);
/* Time spent in each boot stage from the TSC readings (issue: boot timeline). */
void bootinfo_print_timeline(const struct boot_info *bi);

/* Usable RAM in bytes according to the map (E820 type 1 only). */
uint64_t bootinfo_usable_bytes(const struct boot_info *bi);

#endif
