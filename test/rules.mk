# test/ - the three layers: host unit tests, the in-kernel test kernel and
# whole-system QEMU tests. `make test` builds everything and runs test/run.sh.

HOST_TEST_CFLAGS := -std=gnu11 -g -O1 -I. -Wall -Wextra -Werror \
                    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -MMD -MP
HOST_TESTS := $(patsubst test/host/%.c,$(BUILD)/test/host/%,$(wildcard test/host/test_*.c))

$(BUILD)/test/host/%: test/host/%.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_TEST_CFLAGS) -o $@ $<
-include $(HOST_TESTS:=.d)

# The test kernel with the default user program.
KTEST_IMG := $(BUILD)/test/ktest.img
$(KTEST_IMG): $(MKIMAGE) $(MBR_BIN) $(STAGE2_BIN) $(KTEST_ELF) $(BUILD)/user/hello.bin
	@mkdir -p $(@D)
	$(call mkimage_cmd,$@,$(KTEST_ELF),$(BUILD)/user/hello.bin)

-include $(wildcard test/*/rules.mk)

TEST_DEPS := $(HOST_TESTS) $(BUILD)/disk.img $(KTEST_IMG) $(MKIMAGE) $(VGATEXT) $(USER_TEST_IMAGES)

test: $(TEST_DEPS)
	BUILD=$(BUILD) ACCEL=$(ACCEL) QEMU=$(QEMU) bash test/run.sh

# `make check-system T=boot` runs only the matching system scripts.
check-system: $(TEST_DEPS)
	BUILD=$(BUILD) ACCEL=$(ACCEL) QEMU=$(QEMU) bash test/run.sh $(T)

# ---------------------------------------------------------------------------
# Running the image by hand.
QEMU_RUN_ARGS := -accel $(ACCEL) -drive format=raw,file=$(BUILD)/disk.img -nic none -no-reboot \
                 -device isa-debug-exit,iobase=0xf4,iosize=0x04 $(QEMU_EXTRA)

# With a display (X11 or Wayland): a window, and the serial console here.
# Without one (ssh, CI): headless, serial console on this terminal.
run: $(BUILD)/disk.img
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		echo "selfos: QEMU window; serial console below (close the window to quit)"; \
		$(QEMU) $(QEMU_RUN_ARGS) -serial stdio; \
	else \
		echo "selfos: no display found: running headless (Ctrl-A X quits QEMU)"; \
		$(QEMU) $(QEMU_RUN_ARGS) -display none -serial mon:stdio; \
	fi

run-nox: $(BUILD)/disk.img
	@echo "selfos: headless; serial console on this terminal (Ctrl-A X quits QEMU)"
	$(QEMU) $(QEMU_RUN_ARGS) -display none -serial mon:stdio

.PHONY: test check-system run run-nox

# ---------------------------------------------------------------------------
# Benchmarks: boot time against the firmware floor, and the kernel heap
# against glibc malloc (test/bench/).
$(BUILD)/bench/floor.bin: test/bench/floor.asm
	@mkdir -p $(@D)
	$(NASM) -f bin -o $@ $<

bench: $(BUILD)/disk.img $(BUILD)/bench/floor.bin $(BUILD)/bench/bench_alloc
	BUILD=$(BUILD) ACCEL=$(ACCEL) QEMU=$(QEMU) bash test/bench/boot.sh
	$(BUILD)/bench/bench_alloc

.PHONY: bench
