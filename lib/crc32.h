/* crc32.h - CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320), as zlib and PNG
 * compute it. Freestanding: used by mkimage on the host,
 * by stage2 in 16-bit code and by the kernel. */
#ifndef SELFOS_LIB_CRC32_H
#define SELFOS_LIB_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continue a CRC: start with crc = 0, feed buffers in order. */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);

#endif
