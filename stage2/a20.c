/*
 * a20.c - make address line 20 work.
 *
 * The 8086 had 20 address lines and FFFF:0010 wrapped to 0; the first PCs
 * with more memory (the AT) gated line 20 to keep that wrap for old
 * software. Until someone opens the gate, every odd megabyte aliases the
 * even one below it and a kernel loaded at 1 MiB would overwrite the IVT.
 * Three ways to open it, tried from the gentlest, each checked afterwards:
 * the BIOS (int 15h AX=2401h), the keyboard controller's output port (the
 * original AT method), and "fast A20" (port 0x92, bit 1).
 */
#include "stage2/stage2.h"

#include "lib/boot_info.h"
#include "stage2/bios.h"
#include "stage2/tty.h"

#define A20_TEST_LOW     0x00000200u   /* int 0x80 vector: unused by the BIOS */
#define A20_TEST_HIGH    (A20_TEST_LOW + 0x100000u)

#define KBC_DATA         0x60
#define KBC_STATUS       0x64          /* read */
#define KBC_CMD          0x64          /* write */
#define KBC_IN_FULL      0x02          /* status: controller has not taken our byte yet */
#define KBC_OUT_FULL     0x01          /* status: a byte waits for us */
#define KBC_WRITE_OUTPUT 0xD1
#define KBC_OUTPUT_A20   0xDF          /* A20 on, reset line inactive */
#define KBC_NULL_CMD     0xFF          /* "pulse nothing": some UHCI emulations need it */
#define KBC_SPIN_MAX     100000u

#define PORT_92          0x92
#define P92_A20          0x02
#define P92_RESET        0x01          /* writing 1 resets the machine: never set it */

/* Is A20 on? Write a changing value at 0x200 and see whether 1 MiB + 0x200
 * follows it; the loop gives slow methods (the KBC) time to take effect. */
static int a20_test(uint32_t loops)
{
	volatile uint32_t *low = flat_ptr(A20_TEST_LOW);
	volatile uint32_t *high = flat_ptr(A20_TEST_HIGH);
	uint32_t saved = *low;
	uint32_t v = *high;
	int on = 0;

	do {
		*low = ++v;
		io_delay();
		if (*high != v) {
			on = 1;
			break;
		}
	} while (loops--);
	*low = saved;
	return on;
}

static void a20_bios(void)
{
	struct biosregs r;

	/* int 15h AX=2401h: enable A20 gate.
	 *   out: CF clear and AH = 0 on success; CF set, AH = 86h if unsupported */
	bios_regs_init(&r);
	r.eax = 0x2401;
	bios_call(0x15, &r, &r);
}

/* Wait until the controller has consumed our last byte; 0 on timeout. */
static int kbc_wait_input_empty(void)
{
	for (uint32_t i = 0; i < KBC_SPIN_MAX; i++) {
		uint8_t status = inb(KBC_STATUS);
		if (status == 0xFF)             /* no controller at all */
			return 0;
		if (status & KBC_OUT_FULL) {    /* drain stray keyboard bytes */
			io_delay();
			(void)inb(KBC_DATA);
		} else if (!(status & KBC_IN_FULL)) {
			return 1;
		}
		io_delay();
	}
	return 0;
}

static void a20_kbc(void)
{
	if (!kbc_wait_input_empty())
		return;
	outb(KBC_CMD, KBC_WRITE_OUTPUT);
	if (!kbc_wait_input_empty())
		return;
	outb(KBC_DATA, KBC_OUTPUT_A20);
	if (!kbc_wait_input_empty())
		return;
	outb(KBC_CMD, KBC_NULL_CMD);
	kbc_wait_input_empty();
}

static void a20_fast(void)
{
	uint8_t v = inb(PORT_92);

	if (v & P92_A20)
		return;
	v |= P92_A20;
	v &= (uint8_t)~P92_RESET;
	outb(PORT_92, v);
}

void a20_enable(struct boot_info *bi)
{
	static const char *const names[] = { "", "already on", "BIOS int 15h AX=2401h",
					     "keyboard controller", "port 0x92 (fast A20)" };

	if (a20_test(16))
		bi->a20_method = A20_ALREADY;
	else if (a20_bios(), a20_test(1024))
		bi->a20_method = A20_BIOS;
	else if (a20_kbc(), a20_test(100000))
		bi->a20_method = A20_KBC;
	else if (a20_fast(), a20_test(100000))
		bi->a20_method = A20_FAST;
	else
		die("A20 gate could not be opened (tried BIOS, keyboard controller, port 0x92);\n"
		    "       memory above 1 MiB is unusable on this machine");
	tty_puts("stage2: A20 ");
	tty_puts(names[bi->a20_method]);
	tty_puts("\n");
}
