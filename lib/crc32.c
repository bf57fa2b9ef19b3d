/*
 * crc32.c - CRC-32 as in zlib/PNG/Ethernet: reflected polynomial 0xEDB88320,
 * initial value and final xor 0xFFFFFFFF.
 *
 * Table-driven, with the table built on first use rather than stored: the
 * table is 1 KiB and stage2 must fit in 16 KiB, while building it costs
 * 256 x 8 shifts once.
 */
#include "lib/crc32.h"

static uint32_t crc32_table[256];
static int crc32_table_ready;

static void crc32_build_table(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc32_table[i] = c;
	}
	crc32_table_ready = 1;
}

uint32_t crc32_update(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (!crc32_table_ready)
		crc32_build_table();
	crc = ~crc;
	while (len--)
		crc = crc32_table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return ~crc;
}
