/* write_vga.c - a user program that writes to the text screen directly at
 * 0xB8000, as a real-mode or kernel program would: nothing is mapped there
 * in a user address space (the kernel reaches the screen through its
 * direct map, which has no user bit). */
#include <stdint.h>

int main(void)
{
	*(volatile uint16_t *)0xB8000 = 0x4F21;   /* '!' white on red */
	return 1;
}
