/*
 * test_crc32.c - lib/crc32.c against the published check values and against
 * a bitwise reference written here from the definition (reflected polynomial
 * 0xEDB88320, initial value and final xor 0xFFFFFFFF), so a wrong table entry
 * or a wrong chaining convention cannot hide behind matching the table.
 */
#include <stdint.h>
#include <stdlib.h>

#include "test/host/check.h"

#include "lib/crc32.c"

/* One bit at a time, straight from the definition. */
static uint32_t crc32_bitwise(const uint8_t *p, size_t len)
{
	uint32_t c = 0xFFFFFFFFu;

	while (len--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & -(c & 1));
	}
	return ~c;
}

#define BIG (1u << 20)

static uint8_t *pattern(void)
{
	uint8_t *b = malloc(BIG);
	uint32_t x = 0x12345678;

	for (size_t i = 0; i < BIG; i++) {
		x = x * 1664525u + 1013904223u;     /* LCG: every byte value occurs */
		b[i] = (uint8_t)(x >> 24);
	}
	return b;
}

TEST(known_vectors)
{
	CHECK_EQ(crc32_update(0, "123456789", 9), 0xCBF43926u);  /* the standard check value */
	CHECK_EQ(crc32_update(0, "", 0), 0);
	CHECK_EQ(crc32_update(0, "a", 1), 0xE8B7BE43u);
	CHECK_EQ(crc32_update(0, "abc", 3), 0x352441C2u);
	CHECK_EQ(crc32_update(0, "The quick brown fox jumps over the lazy dog", 43), 0x414FA339u);
}

TEST(zero_length_keeps_state)
{
	CHECK_EQ(crc32_update(0x12345678u, "x", 0), 0x12345678u);
	CHECK_EQ(crc32_update(0, NULL, 0), 0);
}

TEST(every_byte_value_matches_reference)
{
	for (unsigned v = 0; v < 256; v++) {
		uint8_t b = (uint8_t)v;
		CHECK_EQ(crc32_update(0, &b, 1), crc32_bitwise(&b, 1));
	}
}

TEST(one_megabyte_matches_reference)
{
	uint8_t *b = pattern();
	CHECK_EQ(crc32_update(0, b, BIG), crc32_bitwise(b, BIG));
	/* and all zeros, where a missing pre/post inversion would show */
	memset(b, 0, BIG);
	CHECK_EQ(crc32_update(0, b, BIG), crc32_bitwise(b, BIG));
	free(b);
}

TEST(incremental_equals_one_shot)
{
	uint8_t *b = pattern();
	uint32_t whole = crc32_update(0, b, BIG);
	static const size_t steps[] = { 1, 7, 512, 4095, 65536, 333333 };

	for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
		uint32_t c = 0;
		for (size_t off = 0; off < BIG; off += steps[s])
			c = crc32_update(c, b + off, off + steps[s] <= BIG ? steps[s] : BIG - off);
		CHECK_EQ(c, whole);
	}
	/* split at every point of a short buffer */
	for (size_t cut = 0; cut <= 9; cut++)
		CHECK_EQ(crc32_update(crc32_update(0, "123456789", cut), "123456789" + cut, 9 - cut),
			 0xCBF43926u);
	free(b);
}

int main(void)
{
	return RUN_TESTS();
}
