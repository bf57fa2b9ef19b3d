/*
 * user_loader.c - a flat binary into a fresh address space.
 *
 * The program is copied page by page into frames from the PMM and mapped at
 * USER_LOAD_ADDR with the user bit; the optional layout trailer
 * (user/abi.h) says which pages are code, constants and data. The stack
 * gets USER_STACK_SIZE of fresh frames below USER_STACK_TOP with the page
 * under it left unmapped. Nothing else is mapped in the lower half, and
 * vmm_new_root shares a kernel half that has no user bit anywhere.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/pmm.h"
#include "kernel/mm/vmm.h"
#include "kernel/user/user_priv.h"
#include "lib/string.h"
#include "user/abi.h"

/* Where each part of the program goes and how it is mapped. */
struct user_layout {
	uint64_t text_end;      /* [0, text_end): R+X */
	uint64_t rodata_end;    /* [text_end, rodata_end): R */
	uint64_t mem_size;      /* [rodata_end, mem_size): RW+NX (file bytes, then zeros) */
	bool whole_rwx;         /* no trailer: everything R+W+X */
};

static bool page_aligned(uint64_t v) { return (v & (USER_PAGE_SIZE - 1)) == 0; }
static uint64_t page_up(uint64_t v) { return (v + USER_PAGE_SIZE - 1) & ~(USER_PAGE_SIZE - 1); }

/* Apply the rules of user/abi.h; false with *why for a binary to refuse. */
static bool layout_from_binary(const uint8_t *bin, size_t size, struct user_layout *l,
			       const char **why)
{
	if (size == 0) {
		*why = "empty binary";
		return false;
	}
	struct user_trailer t;
	bool has_trailer = false;
	if (size >= USER_TRAILER_SIZE) {
		memcpy(&t, bin + size - USER_TRAILER_SIZE, sizeof(t));
		has_trailer = memcmp(t.magic, USER_TRAILER_MAGIC, sizeof(t.magic)) == 0;
	}
	if (!has_trailer) {
		if (size > USER_IMAGE_MAX) {
			*why = "binary larger than USER_IMAGE_MAX";
			return false;
		}
		*l = (struct user_layout){ size, size, size, true };
		return true;
	}
	if (t.version != USER_TRAILER_VERSION || t.reserved[0] || t.reserved[1]) {
		*why = "layout trailer: unknown version";
		return false;
	}
	if (!page_aligned(t.text_end) || !page_aligned(t.rodata_end) || t.text_end == 0 ||
	    t.text_end > t.rodata_end || t.rodata_end > size - USER_TRAILER_SIZE ||
	    size > t.mem_size || t.mem_size > USER_IMAGE_MAX) {
		*why = "layout trailer: inconsistent offsets";
		return false;
	}
	*l = (struct user_layout){ t.text_end, t.rodata_end, t.mem_size, false };
	return true;
}

static unsigned page_flags(const struct user_layout *l, uint64_t off)
{
	if (l->whole_rwx)
		return VMM_USER | VMM_WRITE;
	if (off < l->text_end)
		return VMM_USER;
	if (off < l->rodata_end)
		return VMM_USER | VMM_NX;
	return VMM_USER | VMM_WRITE | VMM_NX;
}

/* A fresh frame with `n` bytes of src at its start (the rest is zero, as
 * pmm_alloc promises), mapped at va. */
static bool map_copy(uint64_t root, uint64_t va, const uint8_t *src, size_t n, unsigned flags)
{
	uint64_t pa = pmm_alloc();
	if (pa == 0)
		return false;
	if (n)
		memcpy(phys_to_virt(pa), src, n);
	if (vmm_map(root, va, pa, flags) != 0) {
		pmm_free(pa);
		return false;
	}
	return true;
}

uint64_t user_load(const uint8_t *bin, size_t size, const char **why)
{
	struct user_layout l;
	if (!layout_from_binary(bin, size, &l, why))
		return 0;

	uint64_t root = vmm_new_root();
	if (root == 0) {
		*why = "out of memory (page tables)";
		return 0;
	}
	for (uint64_t off = 0; off < page_up(l.mem_size); off += USER_PAGE_SIZE) {
		size_t n = off < size ? (size - off < USER_PAGE_SIZE ? size - off : USER_PAGE_SIZE) : 0;
		if (!map_copy(root, USER_LOAD_ADDR + off, bin + off, n, page_flags(&l, off)))
			goto oom;
	}
	/* USER_STACK_GUARD is simply never mapped. */
	for (uint64_t va = USER_STACK_BOTTOM; va < USER_STACK_TOP; va += USER_PAGE_SIZE)
		if (!map_copy(root, va, NULL, 0, VMM_USER | VMM_WRITE | VMM_NX))
			goto oom;
	return root;

oom:
	*why = "out of memory";
	user_unload(root);
	return 0;
}

void user_unload(uint64_t root)
{
	vmm_free_user(root);
	pmm_free(root);
}
