/* write_kernel_pointer.c - write() with a buffer in the kernel (its text and
 * the direct map of the text screen): -EFAULT, nothing printed, and the
 * program carries on and exits 0. */
#include "test/user/check.h"

int main(void)
{
	expect("write(kernel text, 16)", sys_write((const void *)0xFFFFFFFF80100000ull, 16),
	       -UERR_EFAULT, 1);
	expect("write(direct map of 0xb8000, 16)",
	       sys_write((const void *)(0xFFFF800000000000ull + 0xB8000), 16), -UERR_EFAULT, 2);
	expect("write(non-canonical, 16)", sys_write((const void *)0x0000800000000000ull, 16),
	       -UERR_EFAULT, 3);
	return 0;
}
