/* write_rodata.c - a C program writes to its own constants: the layout
 * trailer made that page read-only, so the write is a protection fault. */
static const char message[] = "constant";

int main(void)
{
	*(volatile char *)&message[0] = 'C';
	return 1;
}
