/*
 * main.c - kernel_main, the table of contents of the kernel.
 *
 * kernel_entry (arch/entry.asm) calls us on the boot stack with the physical
 * address of stage2's struct boot_info. Each step below is one subsystem's
 * init, in the order their dependencies require; kernel/README.md walks
 * through them.
 */
#include "kernel/arch/cpu.h"
#include "kernel/arch/gdt.h"
#include "kernel/arch/idt.h"
#include "kernel/arch/pic.h"
#include "kernel/arch/pit.h"
#include "kernel/core/bootinfo.h"
#include "kernel/core/console.h"
#include "kernel/core/ktest.h"
#include "kernel/drivers/keyboard.h"
#include "kernel/drivers/serial.h"
#include "kernel/drivers/vga.h"
#include "kernel/mm/kheap.h"
#include "kernel/mm/pmm.h"
#include "kernel/mm/vmm.h"
#include "kernel/task/console_task.h"
#include "kernel/task/executor.h"
#include "kernel/user/user.h"

void kernel_main(uint64_t boot_info_phys);

void kernel_main(uint64_t boot_info_phys)
{
	/* Consoles first, so that every later step (and failure) is seen:
	 * COM1 for headless runs, the VGA text screen for people. */
	serial_init();
	vga_init();

	/* The hand-off: check magic/version/size, keep a copy (stage2's memory
	 * and the identity map are gone once the kernel has its own tables). */
	const struct boot_info *bi = bootinfo_take(boot_info_phys);
	bootinfo_print_banner(bi);
	bootinfo_print_memory_map(bi);
	bootinfo_print_timeline(bi);
	if (!vga_present())
		kprintf("vga: no VGA card answers at port 0x3D4; output on serial only\n");

	/* CPU tables: segments + TSS (with IST stacks), then every exception. */
	gdt_init();
	idt_init();

	/* Memory: physical frames from the E820 map, the kernel's own page
	 * tables (direct map, no identity map, NULL unmapped), then the heap. */
	pmm_init(bi);
	vmm_init(bi);
	kheap_init();

	/* Devices: the 8259 PICs, the PIT timer, the PS/2 keyboard. */
	pic_init();
	pit_init();
	keyboard_init();
	cpu_sti();

#ifdef KERNEL_TEST
	/* The test kernel runs its cases and leaves QEMU with the verdict. */
	ktest_main();
#endif

	/* Tasks from here on (kernel/task/). The user program stage2 loaded
	 * runs in ring 3 as a task (kernel/user/); the console task waits for
	 * its result, reports it and then echoes the keyboard. The executor
	 * halts the CPU whenever no task is ready. */
	struct task *user = user_spawn(bi);
	console_task_spawn(user);
	executor_run();
}
