/*
 * bios.h - calling the BIOS from stage2's C code (stage2/bioscall.asm).
 */
#ifndef SELFOS_STAGE2_BIOS_H
#define SELFOS_STAGE2_BIOS_H

#include <stdint.h>

/* Register image for bios_call; the layout is mirrored in bioscall.asm. */
struct biosregs {
	uint32_t edi, esi, ebp, ebx, edx, ecx, eax;
	uint16_t ds, es;
	uint32_t eflags;
};

#define EFLAGS_CF 0x0001u

/* Load *in, execute `int intno`, store every register and the flags in *out
 * (in and out may be the same). DS/ES/DF and unreal mode are restored. */
void bios_call(uint8_t intno, const struct biosregs *in, struct biosregs *out);

/* (Re-)enter unreal mode: 4 GiB limits on DS/ES/FS/GS. */
void unreal_enter(void);

static inline void bios_regs_init(struct biosregs *r)
{
	*r = (struct biosregs){ 0 };
}

/*
 * A pointer to any physical address below 4 GiB (DS has a 4 GiB limit in
 * unreal mode). The empty asm hides the constant from the compiler: with a
 * constant address gcc -m16 emits an absolute operand, which the assembler
 * in .code16gcc mode encodes with a 16-bit displacement ("0x100200
 * shortened to 0x200"). Through a register it uses a 32-bit address.
 */
static inline void *flat_ptr(uint32_t addr)
{
	__asm__("" : "+r"(addr));
	return (void *)(uintptr_t)addr;
}

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void io_delay(void) { outb(0x80, 0); }

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline __attribute__((noreturn)) void halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif
