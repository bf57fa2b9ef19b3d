/* execute_stack.c - a C program jumps to code it put on its stack: the
 * stack is no-execute, so the fetch is a protection fault. (The empty asm
 * makes the array's address escape, so the compiler keeps it on the stack
 * and really stores the byte before the call.) */
int main(void)
{
	unsigned char code[16];
	code[0] = 0xC3;   /* ret */
	__asm__ volatile("" : : "r"(code) : "memory");
	((void (*)(void))(void *)code)();
	return 1;
}
