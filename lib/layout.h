/*
 * layout.h - where the boot stages put things in physical memory, shared by
 * the MBR, stage2, the kernel and mkimage (lib/layout.inc mirrors it).
 *
 *   0x00000-0x004FF  real-mode IVT and BIOS data area (stage2's A20 test
 *                    briefly writes the unused int 0x80 vector at 0x200)
 *   0x01000-0x04FFF  boot page tables built by stage2 (PML4, PDPTs, PD)
 *   0x05000-0x07BFF  real-mode stack (grows down from 0x7C00)
 *   0x07C00-0x07DFF  MBR
 *   0x07E00-0x07FFF  image header sector (LBA 1)
 *   0x08000-0x0FFFF  stage2 (file at most 16 KiB, then its .bss)
 *   0x10000-0x1FFFF  disk bounce buffer (one 64 KiB DMA window)
 *   0x100000-        kernel image, then the user program (page aligned)
 */
#ifndef SELFOS_LIB_LAYOUT_H
#define SELFOS_LIB_LAYOUT_H

#define BOOT_PML4_PHYS        0x1000u
#define BOOT_PDPT_LOW_PHYS    0x2000u   /* PML4[0] and PML4[256] */
#define BOOT_PD_PHYS          0x3000u   /* 512 x 2 MiB = first 1 GiB */
#define BOOT_PDPT_HIGH_PHYS   0x4000u   /* PML4[511], entry 510 -> PD */
#define BOOT_STACK_TOP        0x7C00u
#define MBR_LOAD_ADDR         0x7C00u
#define IMAGE_HEADER_ADDR     0x7E00u
#define STAGE2_LOAD_ADDR      0x8000u
#define STAGE2_MAX_SIZE       0x4000u   /* 16 KiB: every sector the MBR reads costs boot time */
#define STAGE2_MAGIC          0x32534653u /* "SFS2" at stage2 offset 2 */
#define BOUNCE_BUF_ADDR       0x10000u
#define BOUNCE_BUF_SIZE       0x10000u
#define KERNEL_LOAD_PHYS      0x100000u
/* The kernel and user program must end below 16 MiB: the smallest machine we
 * support has 32 MiB and the boot identity map covers 1 GiB. mkimage refuses
 * an image whose parts would be loaded beyond it. */
#define LOAD_LIMIT_PHYS       0x1000000u

/* Virtual layout the kernel is linked for (see kernel/README.md). */
#define KERNEL_VMA_BASE       0xFFFFFFFF80000000ull /* + phys = kernel virtual */
#define DIRECT_MAP_BASE       0xFFFF800000000000ull /* + phys = direct map */
#define USER_LOAD_ADDR        0x400000u

#endif
