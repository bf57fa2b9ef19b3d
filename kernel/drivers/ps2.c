/*
 * ps2.c - bringing up the 8042 PS/2 controller and the keyboard on port 1.
 *
 * The sequence follows the usual 8042 initialisation (the OSDev wiki's
 * "8042 PS/2 Controller" page; IBM PS/2 Hardware Interface Technical
 * Reference, "Keyboard/Auxiliary Device Controller"):
 *
 *   1. is there a controller at all (status 0xFF = nothing on the bus)?
 *   2. disable both ports so no device talks while we reprogram;
 *   3. flush whatever the firmware left in the output buffer;
 *   4. config byte: interrupts off, port 2 clock off, translation on;
 *   5. controller self-test (0xAA -> 0x55), then write the config byte
 *      again: some controllers reset it during the self-test;
 *   6. port 1 interface test (0xAB -> 0x00);
 *   7. enable port 1, reset the keyboard (0xFF -> 0xFA + 0xAA);
 *   8. select scancode set 2 and check it (see below);
 *   9. enable scanning (0xF4), then the port 1 interrupt in the config byte.
 *
 * Scancode set: the keyboard is put in set 2 and the controller's
 * translation (config bit 6) turns that into set 1, which is what the
 * decoder reads. Set 2 is the only set every AT/PS/2 keyboard must support
 * (set 1 and 3 are optional and known to be broken on many keyboards and
 * KVM switches), and translation is what every PC BIOS and DOS-era program
 * relies on, so it is the combination most likely to work everywhere.
 * Selecting set 2 explicitly (instead of trusting the reset default) also
 * undoes a previous OS that left the keyboard in another set. A keyboard
 * that rejects the set commands keeps its reset default, which is set 2.
 *
 * Every wait has a deadline measured with the TSC (or, on a CPU without
 * one, a count of ~1 us port-0x80 delays), so a missing controller or a
 * missing keyboard costs at most a second, never a hang. USB "legacy
 * support" (SMM firmware emulating an 8042 for a USB keyboard) answers the
 * same way and needs no special case here.
 *
 * Runs once at boot with interrupts disabled; afterwards only the IRQ 1
 * handler (ps2_read_port1_byte) touches the ports, apart from the test
 * helper ps2_inject_port1_byte.
 */
#include "kernel/drivers/ps2.h"

#include "kernel/arch/cpu.h"
#include "kernel/arch/tsc.h"
#include "kernel/core/console.h"

/* Deadlines (ms). Controllers answer in microseconds; the keyboard's
 * power-on self-test after a reset takes up to ~750 ms on real keyboards. */
#define PS2_IO_TIMEOUT_MS        20
#define PS2_SELF_TEST_TIMEOUT_MS 500
#define PS2_RESET_TIMEOUT_MS     1000
#define PS2_FLUSH_MAX            32     /* a controller buffer holds far fewer */
#define PS2_RESEND_TRIES         3
#define PS2_MAX_STRAY_BYTES      16     /* unrelated bytes skipped while awaiting a reply */

/* The translated form of the "scancode set 2" reply: with translation on,
 * the controller runs the keyboard's answer to F0 00 through its set 2 ->
 * set 1 table too (0x02 -> 0x41). */
#define PS2_SET2_REPLY           0x02
#define PS2_SET2_REPLY_XLATED    0x41

static bool controller_present;
static bool keyboard_present;

/* ---- bounded waiting ---------------------------------------------------- */

struct ps2_deadline {
	uint64_t end_tsc;       /* used when the TSC frequency is known */
	uint64_t spins_left;    /* otherwise: io_wait() calls of ~1 us each */
};

static void deadline_start(struct ps2_deadline *d, unsigned ms)
{
	uint64_t khz = tsc_khz();
	d->end_tsc = khz ? rdtsc() + khz * ms : 0;
	d->spins_left = (uint64_t)ms * 1000;
}

static bool deadline_passed(struct ps2_deadline *d)
{
	if (d->end_tsc)
		return rdtsc() >= d->end_tsc;
	io_wait();
	return d->spins_left-- == 0;
}

/* Wait until the controller has taken our previous byte. */
static bool wait_input_empty(unsigned ms)
{
	struct ps2_deadline d;
	deadline_start(&d, ms);
	while (inb(PS2_STATUS) & PS2_STATUS_INPUT_FULL) {
		if (deadline_passed(&d))
			return false;
		cpu_pause();
	}
	return true;
}

/* Wait for a byte in the output buffer and read it. */
static bool read_data(uint8_t *out, unsigned ms)
{
	struct ps2_deadline d;
	deadline_start(&d, ms);
	while (!(inb(PS2_STATUS) & PS2_STATUS_OUTPUT_FULL)) {
		if (deadline_passed(&d))
			return false;
		cpu_pause();
	}
	*out = inb(PS2_DATA);
	return true;
}

static bool send_command(uint8_t cmd)
{
	if (!wait_input_empty(PS2_IO_TIMEOUT_MS))
		return false;
	outb(PS2_COMMAND, cmd);
	return true;
}

/* A controller command followed by a data byte (0x60 write config, 0xD2). */
static bool send_command_data(uint8_t cmd, uint8_t data)
{
	if (!send_command(cmd) || !wait_input_empty(PS2_IO_TIMEOUT_MS))
		return false;
	outb(PS2_DATA, data);
	return true;
}

/* A controller command that answers with one byte. */
static bool command_reply(uint8_t cmd, uint8_t *reply, unsigned ms)
{
	return send_command(cmd) && read_data(reply, ms);
}

static void flush_output(void)
{
	for (int i = 0; i < PS2_FLUSH_MAX && (inb(PS2_STATUS) & PS2_STATUS_OUTPUT_FULL); i++) {
		(void)inb(PS2_DATA);
		io_wait();
	}
}

/* Send one byte to the keyboard and wait for its ACK, repeating the byte
 * when the keyboard asks for it (0xFE: it saw a parity error or was busy). */
static bool keyboard_send(uint8_t byte)
{
	for (int tries = 0; tries < PS2_RESEND_TRIES; tries++) {
		if (!wait_input_empty(PS2_IO_TIMEOUT_MS))
			return false;
		outb(PS2_DATA, byte);
		/* Skip a few unrelated bytes (a key pressed during boot), but
		 * not forever: a chattering device must not hang the boot. */
		uint8_t reply = 0;
		for (int n = 0; n < PS2_MAX_STRAY_BYTES; n++) {
			/* The keyboard has up to ~20 ms to answer a command. */
			if (!read_data(&reply, 3 * PS2_IO_TIMEOUT_MS))
				return false;
			if (reply == PS2_KBD_ACK || reply == PS2_KBD_RESEND)
				break;
		}
		if (reply == PS2_KBD_ACK)
			return true;
	}
	return false;
}

/* Reset: ACK, then the result of the keyboard's self-test (BAT). Some
 * keyboards send the BAT result before the ACK, so accept either order. */
static bool keyboard_reset(void)
{
	for (int tries = 0; tries < PS2_RESEND_TRIES; tries++) {
		if (!wait_input_empty(PS2_IO_TIMEOUT_MS))
			return false;
		outb(PS2_DATA, PS2_KBD_RESET);
		bool acked = false, passed = false, resend = false;
		uint8_t reply;
		for (int n = 0; !(acked && passed); n++) {
			if (n == PS2_MAX_STRAY_BYTES || !read_data(&reply, PS2_RESET_TIMEOUT_MS))
				return false;
			if (reply == PS2_KBD_ACK) {
				acked = true;
			} else if (reply == PS2_KBD_SELF_TEST_OK) {
				passed = true;
			} else if (reply == PS2_KBD_RESEND) {
				resend = true;
				break;
			} else if (reply == PS2_KBD_SELF_TEST_FAIL1 || reply == PS2_KBD_SELF_TEST_FAIL2) {
				kprintf("ps2: keyboard self-test failed (0x%02x)\n", reply);
				return false;
			}
		}
		if (!resend)
			return true;
	}
	return false;
}

/* Step 8: set 2 and check. A keyboard without the set command (some old
 * or emulated ones) stays in its reset default, set 2, so failure here is
 * only reported. Returns the reply to the query, or -1. */
static int keyboard_select_set2(void)
{
	if (!keyboard_send(PS2_KBD_SCANCODE_SET) || !keyboard_send(2))
		return -1;
	uint8_t set;
	if (!keyboard_send(PS2_KBD_SCANCODE_SET) || !keyboard_send(0) ||
	    !read_data(&set, 3 * PS2_IO_TIMEOUT_MS))
		return -1;
	return set;
}

/* ---- initialisation ----------------------------------------------------- */

static bool controller_init(void)
{
	/* Nothing decodes port 0x64: the ISA bus floats and reads all ones. */
	if (inb(PS2_STATUS) == 0xFF)
		return false;

	if (!send_command(PS2_CMD_DISABLE_PORT1) || !send_command(PS2_CMD_DISABLE_PORT2))
		return false;
	flush_output();

	uint8_t config;
	if (!command_reply(PS2_CMD_READ_CONFIG, &config, PS2_IO_TIMEOUT_MS))
		return false;
	config &= (uint8_t)~(PS2_CONFIG_PORT1_IRQ | PS2_CONFIG_PORT2_IRQ);
	config |= PS2_CONFIG_TRANSLATE | PS2_CONFIG_PORT2_NOCLOCK;
	if (!send_command_data(PS2_CMD_WRITE_CONFIG, config))
		return false;

	uint8_t result;
	if (!command_reply(PS2_CMD_SELF_TEST, &result, PS2_SELF_TEST_TIMEOUT_MS))
		return false;
	if (result != PS2_SELF_TEST_OK) {
		kprintf("ps2: controller self-test failed (0x%02x)\n", result);
		return false;
	}
	/* The self-test may reset the controller to its power-on config. */
	if (!send_command_data(PS2_CMD_WRITE_CONFIG, config))
		return false;
	return true;
}

static bool port1_init(void)
{
	uint8_t result;
	if (!command_reply(PS2_CMD_TEST_PORT1, &result, PS2_SELF_TEST_TIMEOUT_MS)) {
		kprintf("ps2: port 1 test did not answer\n");
		return false;
	}
	/* 1/2 = clock line stuck low/high, 3/4 = data line stuck low/high. */
	if (result != PS2_PORT_TEST_OK) {
		kprintf("ps2: port 1 test failed (0x%02x)\n", result);
		return false;
	}
	if (!send_command(PS2_CMD_ENABLE_PORT1))
		return false;

	if (!keyboard_reset()) {
		kprintf("ps2: no keyboard on port 1 (reset not acknowledged)\n");
		return false;
	}
	int set = keyboard_select_set2();
	if (set != PS2_SET2_REPLY && set != PS2_SET2_REPLY_XLATED)
		kprintf("ps2: keyboard did not confirm scancode set 2 (reply %d); keeping its default\n", set);

	if (!keyboard_send(PS2_KBD_ENABLE_SCANNING)) {
		kprintf("ps2: keyboard did not accept enable-scanning\n");
		return false;
	}
	return true;
}

bool ps2_init(void)
{
	controller_present = controller_init();
	if (!controller_present) {
		kprintf("ps2: no controller\n");
		return false;
	}
	keyboard_present = port1_init();

	/* Interrupts on only now, so that none of the replies above went to
	 * the IRQ handler. Port 2 stays disabled with its clock off. */
	uint8_t config;
	if (!command_reply(PS2_CMD_READ_CONFIG, &config, PS2_IO_TIMEOUT_MS)) {
		kprintf("ps2: controller stopped answering\n");
		keyboard_present = false;
		return false;
	}
	config &= (uint8_t)~(PS2_CONFIG_PORT2_IRQ | PS2_CONFIG_PORT1_NOCLOCK);
	config |= PS2_CONFIG_TRANSLATE | PS2_CONFIG_PORT2_NOCLOCK;
	if (keyboard_present) {
		config |= PS2_CONFIG_PORT1_IRQ;
	} else {
		/* Nothing usable on port 1: switch it off entirely. */
		config &= (uint8_t)~PS2_CONFIG_PORT1_IRQ;
		config |= PS2_CONFIG_PORT1_NOCLOCK;
		(void)send_command(PS2_CMD_DISABLE_PORT1);
	}
	flush_output();
	if (!send_command_data(PS2_CMD_WRITE_CONFIG, config)) {
		keyboard_present = false;
		return false;
	}
	if (keyboard_present)
		kprintf("ps2: keyboard ready on port 1 (set 2, translated to set 1)\n");
	return keyboard_present;
}

bool ps2_present(void)
{
	return controller_present;
}

bool ps2_keyboard_present(void)
{
	return keyboard_present;
}

bool ps2_read_port1_byte(uint8_t *out)
{
	uint8_t status = inb(PS2_STATUS);
	if (!(status & PS2_STATUS_OUTPUT_FULL))
		return false;           /* spurious, or already read */
	uint8_t byte = inb(PS2_DATA);
	if (status & PS2_STATUS_AUX_DATA)
		return false;           /* port 2 is disabled; drop a stray byte */
	*out = byte;
	return true;
}

bool ps2_inject_port1_byte(uint8_t byte)
{
	if (!controller_present)
		return false;
	/* The output buffer holds one byte and 0xD2 replaces it: wait until
	 * the IRQ handler has read the previous one, or give up. */
	struct ps2_deadline d;
	deadline_start(&d, PS2_IO_TIMEOUT_MS);
	while (inb(PS2_STATUS) & PS2_STATUS_OUTPUT_FULL) {
		if (deadline_passed(&d))
			return false;
		cpu_pause();
	}
	return send_command_data(PS2_CMD_WRITE_PORT1_OUT, byte);
}
