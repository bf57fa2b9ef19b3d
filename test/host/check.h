/*
 * check.h - the host test harness: every test file is one program built with
 * -fsanitize=address,undefined. Each CHECK failure prints the expression and
 * location; each TEST prints "PASS name" or "FAIL name: why" on its own line,
 * which test/run.sh counts.
 *
 *   TEST(crc32_known_vectors) { CHECK_EQ(crc32_update(0, "a", 1), 0xe8b7be43); }
 *   int main(void) { return RUN_TESTS(); }   (tests run in file order)
 */
#ifndef SELFOS_TEST_HOST_CHECK_H
#define SELFOS_TEST_HOST_CHECK_H

#include <stdio.h>
#include <string.h>

struct check_test {
	const char *name;
	void (*fn)(void);
};

extern int check_failed_now;      /* set by a failing CHECK in the running test */
extern struct check_test check_tests[];
extern int check_count;

#define CHECK_MAX_TESTS 256

#define TEST(tname)                                                        \
	static void test_##tname(void);                                        \
	__attribute__((constructor)) static void register_##tname(void)        \
	{                                                                      \
		check_tests[check_count].name = #tname;                            \
		check_tests[check_count++].fn = test_##tname;                      \
	}                                                                      \
	static void test_##tname(void)

#define CHECK(cond)                                                        \
	do {                                                                   \
		if (!(cond)) {                                                     \
			printf("  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			check_failed_now = 1;                                          \
		}                                                                  \
	} while (0)

#define CHECK_EQ(a, b)                                                     \
	do {                                                                   \
		unsigned long long check_a_ = (unsigned long long)(a);             \
		unsigned long long check_b_ = (unsigned long long)(b);             \
		if (check_a_ != check_b_) {                                        \
			printf("  %s:%d: %s == %s failed: 0x%llx != 0x%llx\n",         \
			       __FILE__, __LINE__, #a, #b, check_a_, check_b_);         \
			check_failed_now = 1;                                          \
		}                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                    \
	do {                                                                   \
		const char *check_a_ = (a), *check_b_ = (b);                       \
		if (strcmp(check_a_, check_b_) != 0) {                             \
			printf("  %s:%d: %s == %s failed: \"%s\" != \"%s\"\n",         \
			       __FILE__, __LINE__, #a, #b, check_a_, check_b_);         \
			check_failed_now = 1;                                          \
		}                                                                  \
	} while (0)

/* Define the registry and runner once per test program. */
#define RUN_TESTS() check_run_all()
int check_failed_now;
struct check_test check_tests[CHECK_MAX_TESTS];
int check_count;

static inline int check_run_all(void)
{
	int failed = 0;
	for (int i = 0; i < check_count; i++) {
		check_failed_now = 0;
		check_tests[i].fn();
		if (check_failed_now) {
			printf("FAIL %s: see the lines above\n", check_tests[i].name);
			failed++;
		} else {
			printf("PASS %s\n", check_tests[i].name);
		}
		fflush(stdout);
	}
	return failed ? 1 : 0;
}

#endif
