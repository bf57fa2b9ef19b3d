/* write_own_code.c - a C program overwrites its own code (main): the text
 * pages are mapped read + execute only. */
int main(void);

int main(void)
{
	*(volatile unsigned char *)(void *)main = 0xC3;
	return 1;
}
