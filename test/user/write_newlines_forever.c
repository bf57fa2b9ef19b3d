/* write_newlines_forever.c - write() 1 MiB of '\n' in a loop: each one
 * scrolls the screen, so one call costs minutes of console time. The
 * kernel hands the buffer to the console a line at a time with the timer
 * running and checks the time budget in between, so the program is ended
 * by the budget in the middle of a write instead of holding the kernel
 * (interrupts off, ticks lost, keyboard dead) for as long as it likes. */
#include "test/user/check.h"

static char buf[USER_WRITE_MAX];

int main(void)
{
	memset(buf, '\n', sizeof(buf));
	for (;;)
		sys_write(buf, sizeof(buf));
}
