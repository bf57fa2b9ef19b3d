# selfos - top-level Makefile.
#
#   make            build build/disk.img
#   make run        boot it in QEMU (a window if there is a display, else serial on this terminal)
#   make run-nox    boot it headless, serial console on this terminal
#   make test       host tests, in-kernel tests and whole-system QEMU tests
#   make check-system T=boot   only the test/system scripts whose name matches
#   make bench      boot-time and allocator benchmarks
#   make debug      QEMU paused + gdb with every stage's symbols and breakpoints
#   make screenshot build/screenshot.png of the booted screen
#   make usb DEV=/dev/sdX   write the image to a USB stick (asks first)
#
# Each directory adds its own rules in rules.mk; the image is assembled in
# disk.img.mk. Variables you may set: CC (gcc or clang), USER_BIN, ACCEL
# (tcg or kvm), QEMU_EXTRA.

BUILD      := build
ifeq ($(origin CC),default)
CC         := gcc
endif
HOSTCC     ?= gcc
NASM       ?= nasm
LD         ?= ld
OBJCOPY    ?= objcopy
QEMU       ?= qemu-system-x86_64
ACCEL      ?= tcg
QEMU_EXTRA ?=

ifeq ($(filter $(ACCEL),tcg kvm),)
$(error ACCEL=$(ACCEL) is not supported: use ACCEL=tcg (default) or ACCEL=kvm)
endif

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

# ---------------------------------------------------------------------------
# Missing tools are installed with apt-get (sudo when not root), loudly.
# "command:package" pairs; the run tools are only needed by goals that start QEMU.
BUILD_TOOLS := nasm:nasm $(firstword $(CC)):$(if $(findstring clang,$(CC)),clang,gcc) \
               $(HOSTCC):gcc ld:binutils objcopy:binutils
RUN_TOOLS   := qemu-system-x86_64:qemu-system-x86 gdb:gdb pnmtopng:netpbm timeout:coreutils
RUN_GOALS   := run run-nox test bench debug screenshot check-system

define ensure_tools
missing=""; \
for pair in $(1); do \
	cmd=$${pair%%:*}; pkg=$${pair##*:}; \
	command -v "$$cmd" >/dev/null 2>&1 || case " $$missing " in *" $$pkg "*) ;; *) missing="$$missing $$pkg";; esac; \
done; \
if [ -n "$$missing" ]; then \
	echo "selfos: missing tools; installing with apt-get:$$missing" >&2; \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "selfos: no apt-get on this system; install these packages yourself:$$missing" >&2; exit 1; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; \
	elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; echo "selfos: using sudo" >&2; \
	else echo "selfos: not root and no sudo: cannot install$$missing" >&2; exit 1; fi; \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || \
		echo "selfos: apt-get update failed; trying with the package lists already here" >&2; \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing >&2 || \
		{ echo "selfos: apt-get install$$missing failed" >&2; exit 1; }; \
	for pair in $(1); do command -v "$${pair%%:*}" >/dev/null 2>&1 || \
		{ echo "selfos: $${pair%%:*} is still missing after the install" >&2; exit 1; }; done; \
fi
endef

ifneq ($(filter-out clean help,$(or $(MAKECMDGOALS),all)),)
_deps := $(shell { $(call ensure_tools,$(BUILD_TOOLS) $(if $(filter $(RUN_GOALS),$(MAKECMDGOALS)),$(RUN_TOOLS))) } >&2 || echo failed)
ifneq ($(_deps),)
$(error could not install the tools selfos needs (see the messages above))
endif
endif

# ---------------------------------------------------------------------------
# Flags shared by every freestanding target. Include paths are from the tree
# root: #include "lib/crc32.h", and kernel headers as #include "kernel/...".
WARN        := -Wall -Wextra -Werror
FREESTANDING := -std=gnu11 -ffreestanding -fno-stack-protector -fno-pic -fno-pie \
                -fno-asynchronous-unwind-tables -fno-builtin -nostdlib -I. $(WARN)

all: $(BUILD)/disk.img

include lib/rules.mk
include bootloader/rules.mk
include stage2/rules.mk
include kernel/rules.mk
include user/rules.mk
include tools/rules.mk
include disk.img.mk
include test/rules.mk

clean:
	rm -rf $(BUILD)

help:
	@sed -n '3,16p' Makefile

.PHONY: all clean help
