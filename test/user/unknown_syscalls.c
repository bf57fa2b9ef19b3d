/* unknown_syscalls.c - system call numbers that do not exist: small, huge,
 * negative, and 2^32 (which is exit if a kernel truncates to 32 bits). Each
 * returns -ENOSYS; the program then exits 0 normally. */
#include "test/user/check.h"

int main(void)
{
	expect("syscall 5", sys_call0(5), -UERR_ENOSYS, 1);
	expect("syscall 1000", sys_call1(1000, 1), -UERR_ENOSYS, 2);
	expect("syscall 2^32", sys_call1(1l << 32, 7), -UERR_ENOSYS, 3);
	expect("syscall 2^32 + 1", sys_call2(0x100000001l, 0, 0), -UERR_ENOSYS, 4);
	expect("syscall 2^63 - 1", sys_call0(0x7FFFFFFFFFFFFFFFl), -UERR_ENOSYS, 5);
	expect("syscall -1", sys_call0(-1), -UERR_ENOSYS, 6);
	expect("syscall -2^63", sys_call0((long)(1ul << 63)), -UERR_ENOSYS, 7);
	return 0;
}
