/* write_wrapping_length.c - write() with lengths that overflow: buf + len
 * wraps around the address space, or len is beyond USER_WRITE_MAX. Each
 * gives -EINVAL; the program exits 0. */
#include "test/user/check.h"

static const char text[] = "abc";

int main(void)
{
	expect("write(text, -1)", sys_write(text, (size_t)-1), -UERR_EINVAL, 1);
	expect("write(text, 2^63)", sys_write(text, 1ull << 63), -UERR_EINVAL, 2);
	expect("write(-16, 32)", sys_write((const void *)-16l, 32), -UERR_EINVAL, 3);
	expect("write(text, USER_WRITE_MAX + 1)", sys_write(text, USER_WRITE_MAX + 1),
	       -UERR_EINVAL, 4);
	return 0;
}
