/* execute_stack.c - a C program jumps to code it put on its stack: the
 * stack is no-execute, so the fetch is a protection fault. */
int main(void)
{
	volatile unsigned char code[16] = { 0xC3 };   /* ret */
	((void (*)(void))(void *)code)();
	return 1;
}
