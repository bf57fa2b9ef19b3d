# test/user/ - the misbehaving-program suite: each test/user/NAME.c or
# NAME.asm is built into $(BUILD)/test/user/NAME.bin and booted as the user
# program of its own image $(BUILD)/test/user/NAME.img; the report line each
# must produce is in test/user/expected.txt and
# test/system/user_programs.sh boots them all.

USER_TEST_C      := $(sort $(wildcard test/user/*.c))
USER_TEST_ASM    := $(sort $(wildcard test/user/*.asm))
USER_TEST_NAMES  := $(basename $(notdir $(USER_TEST_C) $(USER_TEST_ASM)))
USER_TEST_BINS   := $(patsubst %,$(BUILD)/test/user/%.bin,$(USER_TEST_NAMES))
USER_TEST_IMAGES := $(patsubst %,$(BUILD)/test/user/%.img,$(USER_TEST_NAMES))

$(BUILD)/test/user/%.o: test/user/%.c
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -c -o $@ $<

$(BUILD)/test/user/%.elf: $(BUILD)/test/user/%.o $(USER_RT_OBJS) user/linker.ld
	$(call user_link_cmd,$@,$<)

$(BUILD)/test/user/%.bin: $(BUILD)/test/user/%.elf
	$(call user_flat_cmd,$<,$@)

# Hand-written programs: nasm -f bin, org 0x400000, no trailer.
$(BUILD)/test/user/%.bin: test/user/%.asm user/abi.inc
	@mkdir -p $(@D)
	$(NASM) -f bin -I. -o $@ $<

$(BUILD)/test/user/%.img: $(BUILD)/test/user/%.bin $(MKIMAGE) $(MBR_BIN) $(STAGE2_BIN) $(KERNEL_ELF)
	@mkdir -p $(@D)
	$(call mkimage_cmd,$@,$(KERNEL_ELF),$<) >/dev/null

.PRECIOUS: $(BUILD)/test/user/%.o $(BUILD)/test/user/%.elf $(BUILD)/test/user/%.bin
-include $(wildcard $(BUILD)/test/user/*.d)

# The hand-written NASM example of user/README.md, booted like the others.
USER_TEST_IMAGES += $(BUILD)/test/user/example_hello.img
$(BUILD)/test/user/example_hello.img: $(BUILD)/user/examples/hello.bin $(MKIMAGE) $(MBR_BIN) $(STAGE2_BIN) $(KERNEL_ELF)
	@mkdir -p $(@D)
	$(call mkimage_cmd,$@,$(KERNEL_ELF),$<) >/dev/null
