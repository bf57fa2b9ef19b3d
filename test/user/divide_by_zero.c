/* divide_by_zero.c - a user program that divides by zero (#DE). */
static volatile int zero;

int main(void)
{
	return 100 / zero;
}
