/*
 * ps2.h - the 8042 PS/2 controller and the keyboard on its first port.
 *
 * ps2_init() programs the controller from scratch instead of trusting what
 * the firmware (or QEMU) left behind, and every wait in it is bounded in
 * time: a PC without an 8042 (some UEFI machines, `-machine pc,i8042=off`)
 * gets "ps2: no controller" and boots on without a keyboard.
 *
 * The second port (a mouse) is left disabled, clock and interrupt off.
 */
#ifndef SELFOS_KERNEL_DRIVERS_PS2_H
#define SELFOS_KERNEL_DRIVERS_PS2_H

#include <stdbool.h>
#include <stdint.h>

/* I/O ports. Reading PS2_STATUS and writing PS2_COMMAND share port 0x64. */
#define PS2_DATA                 0x60
#define PS2_STATUS               0x64
#define PS2_COMMAND              0x64

/* Status register bits. "Output" and "input" are seen from the controller:
 * the output buffer holds a byte for us, the input buffer a byte for it. */
#define PS2_STATUS_OUTPUT_FULL   0x01   /* a byte is waiting at PS2_DATA */
#define PS2_STATUS_INPUT_FULL    0x02   /* controller has not taken our last byte yet */
#define PS2_STATUS_SYSTEM        0x04
#define PS2_STATUS_AUX_DATA      0x20   /* the waiting byte came from the second port */
#define PS2_STATUS_TIMEOUT       0x40
#define PS2_STATUS_PARITY        0x80

/* Controller commands (written to PS2_COMMAND). */
#define PS2_CMD_READ_CONFIG      0x20
#define PS2_CMD_WRITE_CONFIG     0x60
#define PS2_CMD_DISABLE_PORT2    0xA7
#define PS2_CMD_ENABLE_PORT2     0xA8
#define PS2_CMD_TEST_PORT2       0xA9
#define PS2_CMD_SELF_TEST        0xAA
#define PS2_CMD_TEST_PORT1       0xAB
#define PS2_CMD_DISABLE_PORT1    0xAD
#define PS2_CMD_ENABLE_PORT1     0xAE
#define PS2_CMD_WRITE_PORT1_OUT  0xD2   /* next data byte appears as if port 1 sent it */

#define PS2_SELF_TEST_OK         0x55
#define PS2_PORT_TEST_OK         0x00

/* Controller configuration byte (PS2_CMD_READ_CONFIG / WRITE_CONFIG). */
#define PS2_CONFIG_PORT1_IRQ     0x01
#define PS2_CONFIG_PORT2_IRQ     0x02
#define PS2_CONFIG_SYSTEM        0x04   /* POST passed; firmware sets it, we keep it */
#define PS2_CONFIG_PORT1_NOCLOCK 0x10
#define PS2_CONFIG_PORT2_NOCLOCK 0x20
#define PS2_CONFIG_TRANSLATE     0x40   /* port 1: scancode set 2 -> set 1 */

/* Keyboard commands (written to PS2_DATA, i.e. to the device on port 1). */
#define PS2_KBD_SET_LEDS         0xED
#define PS2_KBD_SCANCODE_SET     0xF0   /* argument 0 = query, 1..3 = select */
#define PS2_KBD_ENABLE_SCANNING  0xF4
#define PS2_KBD_DISABLE_SCANNING 0xF5
#define PS2_KBD_RESET            0xFF

/* Keyboard replies. */
#define PS2_KBD_ACK              0xFA
#define PS2_KBD_RESEND           0xFE
#define PS2_KBD_SELF_TEST_OK     0xAA
#define PS2_KBD_SELF_TEST_FAIL1  0xFC
#define PS2_KBD_SELF_TEST_FAIL2  0xFD

/* Program the controller and reset the keyboard on port 1, leaving it
 * scanning, translated to scancode set 1, with the port 1 interrupt enabled
 * in the controller (the PIC line is the caller's business). Returns true
 * if a working keyboard is ready. Never hangs: each wait has a deadline.
 * Call once, with interrupts disabled, before IRQ 1 is unmasked. */
bool ps2_init(void);

/* True if ps2_init found a controller that passed its self-test. */
bool ps2_present(void);

/* True if ps2_init left a reset, scanning keyboard on port 1. */
bool ps2_keyboard_present(void);

/* IRQ 1 side: if the controller holds a byte from port 1, store it in *out
 * and return true (reading it frees the controller for the next one);
 * false for a spurious interrupt or a byte from port 2 (discarded).
 * IRQ-safe, does not wait. */
bool ps2_read_port1_byte(uint8_t *out);

/* Make the controller present `byte` as if the keyboard had sent it (8042
 * command 0xD2), raising IRQ 1 when the interrupt is enabled: how the test
 * kernel drives the real interrupt path without a person at the keyboard.
 * Waits (bounded) for the previous byte to be read first, since the
 * controller's one-byte output buffer would be overwritten. Returns false
 * if there is no controller, the previous byte stays unread, or the
 * controller does not accept the command. Not for interrupt context. */
bool ps2_inject_port1_byte(uint8_t byte);

#endif
