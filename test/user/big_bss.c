/* big_bss.c - 1 MiB of .bss and initialised .data: the layout trailer's
 * mem_size makes the kernel map zeroed pages after the file, and .data is
 * writable. Exits 0 when every byte of .bss read zero and both were
 * writable. */
#include "test/user/check.h"

static unsigned char big[1 << 20];
static int counter = 41;

int main(void)
{
	long nonzero = 0;
	for (unsigned long i = 0; i < sizeof(big); i += 512)
		nonzero += big[i] != 0;
	nonzero += big[sizeof(big) - 1] != 0;
	expect("non-zero .bss bytes", nonzero, 0, 1);
	big[sizeof(big) - 1] = 1;
	counter++;
	expect(".data counter", counter, 42, 2);
	return 0;
}
