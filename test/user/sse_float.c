/* sse_float.c - an ordinary C program using double (SSE2 instructions, as
 * gcc and clang emit by default on x86_64): the kernel enabled SSE for
 * ring 3. Newton's method for sqrt(2), checked against its known value;
 * exits 0 when right. */
#include "test/user/check.h"

static volatile double two = 2.0;

int main(void)
{
	double x = two;
	for (int i = 0; i < 20; i++)
		x = 0.5 * (x + two / x);
	long micro = (long)(x * 1000000.0);
	expect("sqrt(2) * 10^6", micro, 1414213, 1);
	return 0;
}
