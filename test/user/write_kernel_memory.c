/* write_kernel_memory.c - a user program that writes to the kernel's first
 * page (KERNEL_VMA_BASE + 1 MiB): mapped, but without the user bit. */
#include <stdint.h>

int main(void)
{
	*(volatile uint64_t *)0xFFFFFFFF80100000ull = 0xBAD;
	return 1;
}
