/* write_unmapped_pointer.c - write() with buffers that are not (entirely)
 * mapped: NULL, the hole after the program, the stack guard page, and a
 * buffer that starts on the stack and runs past its top. Each gives
 * -EFAULT; the program exits 0. */
#include "test/user/check.h"

int main(void)
{
	expect("write(NULL, 5)", sys_write(0, 5), -UERR_EFAULT, 1);
	expect("write(0x10000000, 5)", sys_write((const void *)0x10000000, 5), -UERR_EFAULT, 2);
	expect("write(stack guard, 5)", sys_write((const void *)USER_STACK_GUARD, 5), -UERR_EFAULT, 3);
	expect("write(stack top - 8, 16)", sys_write((const void *)(USER_STACK_TOP - 8), 16),
	       -UERR_EFAULT, 4);
	/* The last 8 bytes of the stack are fine on their own. */
	expect("write(stack top - 8, 0)", sys_write((const void *)(USER_STACK_TOP - 8), 0), 0, 5);
	return 0;
}
