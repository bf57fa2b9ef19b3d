/* syscall_edge_args.c - system call arguments at the edges: write buffers
 * straddling the stack's bottom (guard page), the end of the program's
 * memory, the end of user space and the non-canonical hole, or in the
 * kernel half; negative lengths; junk in unused argument registers; sleep
 * with negative, huge and 2^32 + 1 durations, sleep(1), a thousand
 * sleep(0); and exit with a 64-bit code, of which only the low 32 bits
 * count: the program ends with "user: exit 7". */
#include "test/user/check.h"

extern char __user_end[];   /* user/linker.ld: the end of .bss */

int main(void)
{
	char *bottom = (char *)USER_STACK_BOTTOM;   /* the lowest stack byte */
	memcpy(bottom, "ok\n", 3);
	expect("write(stack bottom - 1, 2)", sys_write(bottom - 1, 2), -UERR_EFAULT, 1);
	expect("write(stack bottom, 3), rdx = -1", sys_call3(SYS_WRITE, (long)bottom, 3, -1), 3, 2);
	expect("write(0x7fffffffffff, 1)", sys_write((const void *)0x7FFFFFFFFFFFul, 1), -UERR_EFAULT, 3);
	expect("write(up to USER_SPACE_END)", sys_write((const void *)(USER_SPACE_END - 4), 4), -UERR_EFAULT, 4);
	expect("write(across USER_SPACE_END)", sys_write((const void *)(USER_SPACE_END - 1), 2), -UERR_EFAULT, 5);
	expect("write(non-canonical)", sys_write((const void *)USER_SPACE_END, 1), -UERR_EFAULT, 6);
	expect("write(direct map)", sys_write((const void *)0xFFFF800000000000ul, 1), -UERR_EFAULT, 7);
	expect("write(kernel image)", sys_write((const void *)0xFFFFFFFF80100000ul, 1), -UERR_EFAULT, 8);
	expect("write(last address, 1) wraps", sys_write((const void *)~0ul, 1), -UERR_EINVAL, 9);
	expect("write(NULL, 2^63)", sys_write(0, 1ul << 63), -UERR_EINVAL, 10);
	expect("write(NULL, 1 MiB)", sys_write(0, USER_WRITE_MAX), -UERR_EFAULT, 11);
	/* .bss is last: the page holding its end is the last page mapped. */
	char *end = (char *)(((long)__user_end + 4095) & ~4095l);
	end[-1] = '\n';
	expect("write(last byte of memory, 1)", sys_write(end - 1, 1), 1, 12);
	expect("write(last byte of memory, 2)", sys_write(end - 1, 2), -UERR_EFAULT, 13);
	expect("write(buf, -3)", sys_call3(SYS_WRITE, (long)bottom, -3, 0), -UERR_EINVAL, 14);
	expect("sleep(-1)", sys_call1(SYS_SLEEP, -1), -UERR_EINVAL, 15);
	expect("sleep(2^63)", sys_call1(SYS_SLEEP, (long)(1ul << 63)), -UERR_EINVAL, 16);
	expect("sleep(2^32 + 1)", sys_call1(SYS_SLEEP, (1l << 32) + 1), -UERR_EINVAL, 17);
	long t0 = sys_uptime();
	expect("sleep(1), rsi = rdx = -1", sys_call3(SYS_SLEEP, 1, -1, -1), 0, 18);
	expect("slept at least 1 ms", sys_uptime() - t0 >= 1, 1, 19);
	int bad = 0;
	for (int i = 0; i < 1000; i++)
		bad += sys_sleep(0) != 0;
	expect("sleep(0) x 1000 failures", bad, 0, 20);
	expect("uptime(-1, -1, -1) not before", sys_call3(SYS_UPTIME, -1, -1, -1) >= t0, 1, 21);
	sys_call1(SYS_EXIT, (long)0xFFFFFFFF00000007ul);
	return 99;
}
