/* write_1mib.c - the USER_WRITE_MAX boundary: 1 MiB + 1 is -EINVAL, exactly
 * 1 MiB passes the length check (a buffer one byte past the end of the
 * program's memory is -EFAULT, with nothing written), and a write ending at
 * the last byte of that memory returns its length. The bytes are '\r',
 * which scroll nothing. The successful write is 64 KiB, not 1 MiB: 1 MiB
 * through the UART costs 3-5 s of the 5 s time budget under QEMU (TCG),
 * depending on the load of the host. Exits 0. */
#include "test/user/check.h"

/* Page aligned and a page multiple, so it ends where the program's memory
 * ends (.bss is last, and this is all of it). */
static char buf[USER_WRITE_MAX + 4096] __attribute__((aligned(4096)));
extern char __user_end[];   /* user/linker.ld: the end of .bss */

int main(void)
{
	memset(buf, '\r', sizeof(buf));
	char *end = buf + sizeof(buf);
	/* (through asm: GCC folds a comparison of two objects' addresses) */
	char *user_end = __user_end;
	__asm__("" : "+r"(user_end));
	if (end != user_end)
		return 5;
	expect("write(1 MiB + 1)", sys_write(buf, USER_WRITE_MAX + 1), -UERR_EINVAL, 2);
	expect("write(1 MiB, one byte past the end)",
	       sys_write(end - USER_WRITE_MAX + 1, USER_WRITE_MAX), -UERR_EFAULT, 3);
	expect("write(64 KiB ending at the end of memory)",
	       sys_write(end - 65536, 65536), 65536, 4);
	return 0;
}
