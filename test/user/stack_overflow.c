/* stack_overflow.c - a user program that recurses until it runs off the
 * bottom of its 64 KiB stack into the unmapped guard page below it.
 * (`never` is always 0; reading it keeps the compiler from calling the
 * recursion infinite or turning it into a loop.) */
static volatile int never;

static int depth(volatile char *prev)
{
	volatile char frame[256];
	frame[0] = (char)(prev ? prev[0] + 1 : 0);
	if (never)
		return frame[0];
	return depth(frame) + frame[1];   /* not a tail call */
}

int main(void)
{
	return depth(0);
}
