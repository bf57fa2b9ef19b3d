/*
 * hello.c - the default user program: a greeting from ring 3.
 *
 * It checks what write returned: the full length on success. Anything else
 * (an error code, a short count) is reported as exit code 1, so the boot
 * test's `user: exit 0` proves the system call worked end to end.
 */
#include "user/syscall.h"

static const char greeting[] = "Hello from ring 3!\n";

int main(void)
{
	long n = sys_write(greeting, sizeof(greeting) - 1);
	if (n != (long)(sizeof(greeting) - 1))
		return 1;
	return 0;
}
