# tools/ - host programs written in C.
HOST_TOOL_CFLAGS := -std=gnu11 -O2 -g -I. -Wall -Wextra -Werror
MKIMAGE := $(BUILD)/tools/mkimage

$(MKIMAGE): tools/mkimage.c lib/crc32.c lib/crc32.h lib/image.h lib/layout.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_TOOL_CFLAGS) -o $@ tools/mkimage.c lib/crc32.c

VGATEXT := $(BUILD)/tools/vgatext
$(VGATEXT): tools/vgatext.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_TOOL_CFLAGS) -o $@ $<
