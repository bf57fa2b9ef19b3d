/* write_1mib.c - write() of exactly USER_WRITE_MAX bytes, ending at the last
 * byte of the program's memory, returns it; one byte more is -EINVAL, and
 * the same length one byte further (past the end) is -EFAULT. The bytes
 * are '\r', which scroll nothing, but it is still 1 MiB through the UART:
 * about 2-3 s of the 5 s budget under QEMU (TCG), so only one. Exits 0. */
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
	long t0 = sys_uptime();
	expect("write(1 MiB ending at the end of memory)",
	       sys_write(end - USER_WRITE_MAX, USER_WRITE_MAX), USER_WRITE_MAX, 3);
	char b[24];
	say("ms: ");
	say(dec(sys_uptime() - t0, b));
	say("\n");
	expect("write(1 MiB one byte past the end)",
	       sys_write(end - USER_WRITE_MAX + 1, USER_WRITE_MAX), -UERR_EFAULT, 4);
	return 0;
}
