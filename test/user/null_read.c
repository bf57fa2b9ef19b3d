/* null_read.c - a user program that reads through a NULL pointer: page 0
 * is never mapped. (The pointer goes through a volatile variable so the
 * compiler emits the load instead of treating it as unreachable.) */
#include <stdint.h>

static uint64_t *volatile nowhere;

int main(void)
{
	return (int)*nowhere;
}
