/*
 * user_access.c - reading a user buffer without trusting it.
 *
 * An address range check ("below 0x800000000000") is not enough: the range
 * may cross an unmapped page (the stack guard, the hole after the program)
 * and the kernel would fault on it. So every page of a buffer is looked up
 * in the program's page tables first (present and user at every level, as
 * vmm_translate reports), and the bytes are then read through the direct
 * map at the physical address found, never through the user address. A
 * fault is therefore impossible in these copies, and no kernel fixup is
 * needed; the kernel never dereferences a user pointer anywhere else.
 *
 * One CPU and a cooperative executor: nothing can change the program's page
 * tables between the check and the copy.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/vmm.h"
#include "kernel/user/user_priv.h"
#include "user/abi.h"

bool user_range_ok(uint64_t root, uint64_t va, uint64_t len, bool write)
{
	if (len == 0 || va + len < va || va + len > USER_SPACE_END)
		return false;
	uint64_t first = va & ~(USER_PAGE_SIZE - 1);
	uint64_t last = (va + len - 1) & ~(USER_PAGE_SIZE - 1);
	for (uint64_t page = first;; page += USER_PAGE_SIZE) {
		uint64_t pa;
		unsigned flags;
		if (!vmm_translate(root, page, &pa, &flags) || !(flags & VMM_USER))
			return false;
		if (write && !(flags & VMM_WRITE))
			return false;
		if (page == last)
			return true;
	}
}

bool user_read_pieces(uint64_t root, uint64_t va, uint64_t len,
		      void (*fn)(void *ctx, const char *p, size_t n), void *ctx)
{
	if (!user_range_ok(root, va, len, false))
		return false;
	while (len) {
		uint64_t in_page = USER_PAGE_SIZE - (va & (USER_PAGE_SIZE - 1));
		uint64_t n = len < in_page ? len : in_page;
		uint64_t pa;
		unsigned flags;
		/* Checked above; looked up again for the frame of this page. */
		if (!vmm_translate(root, va, &pa, &flags))
			return false;
		fn(ctx, (const char *)phys_to_virt(pa), n);
		va += n;
		len -= n;
	}
	return true;
}
