/* read_keys.c - read_key blocks until a key arrives (through the executor)
 * and returns its character: the test sends "h", "i" and Enter after the
 * prompt; the program echoes what it read and exits 0 if it was "hi\n". */
#include "test/user/check.h"

int main(void)
{
	char got[3];
	say("read_keys: type h i Enter\n");
	for (int i = 0; i < 3; i++) {
		long c = sys_read_key();
		if (c < 0)
			return 1;
		got[i] = (char)c;
		sys_write(&got[i], 1);
	}
	return got[0] == 'h' && got[1] == 'i' && got[2] == '\n' ? 0 : 2;
}
