/*
 * stage2.h - the steps stage2_main (main.c) runs, one file each.
 */
#ifndef SELFOS_STAGE2_STAGE2_H
#define SELFOS_STAGE2_STAGE2_H

#include <stdint.h>

struct boot_info;

/* CRC-32 of stage2's file bytes, computed on entry (main.c). */
extern uint32_t stage2_crc;
extern char __stage2_file_end[];     /* linker.ld */
static inline uint32_t stage2_file_size(void)
{
	return (uint32_t)(uintptr_t)__stage2_file_end - 0x8000u;
}

void cpu_check_long_mode(void);                  /* cpu.c: or die in words */
void a20_enable(struct boot_info *bi);           /* a20.c */
void memory_detect(struct boot_info *bi);        /* memory.c: E820 / E801 / 88h */
void disk_init(uint8_t drive);                   /* disk.c: LBA or CHS */
/* disk.c: read sectors to any physical address below 4 GiB, or die naming what */
void disk_read(uint32_t lba, uint32_t sectors, uint32_t dest, const char *what);
void image_load(struct boot_info *bi);           /* load.c: header, parts, CRCs */
void screen_info(struct boot_info *bi);          /* screen.c: text mode, cursor */
void page_tables_build(void);                    /* pagetables.c */
__attribute__((noreturn)) void long_mode_enter(struct boot_info *bi); /* longmode.c */

/* pmjump.asm: protected mode, then long mode, then the kernel. */
__attribute__((noreturn)) void long_mode_jump(uint32_t boot_info, uint32_t entry_lo, uint32_t entry_hi);

#endif
