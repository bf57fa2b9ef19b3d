/* sleep_uptime.c - uptime advances, sleep(200) takes at least 200 ms (and
 * not absurdly more), a sleep beyond USER_SLEEP_MAX_MS is -EINVAL, and a
 * program that sleeps 6 s in total is not killed by the 5 s CPU time
 * budget (time spent blocked does not count). Exits 0. */
#include "test/user/check.h"

int main(void)
{
	long t0 = sys_uptime();
	expect("sleep(200)", sys_sleep(200), 0, 1);
	long t1 = sys_uptime();
	expect("slept at least 200 ms", t1 - t0 >= 200, 1, 2);
	expect("slept less than 2 s", t1 - t0 < 2000, 1, 3);
	expect("sleep(USER_SLEEP_MAX_MS + 1)", sys_sleep(USER_SLEEP_MAX_MS + 1), -UERR_EINVAL, 4);
	expect("sleep(0)", sys_sleep(0), 0, 5);
	for (int i = 0; i < 3; i++)
		expect("sleep(2000)", sys_sleep(2000), 0, 6);
	return 0;
}
