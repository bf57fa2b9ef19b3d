/*
 * console_task.h - the task that makes the booted system answer the
 * keyboard.
 */
#ifndef SELFOS_KERNEL_TASK_CONSOLE_TASK_H
#define SELFOS_KERNEL_TASK_CONSOLE_TASK_H

struct task;

/* The greeting printed once the system is ready for keys. */
#define CONSOLE_TASK_READY_LINE "selfos is ready: type on the keyboard"
#define CONSOLE_TASK_READY_NO_KEYBOARD "selfos is ready (no keyboard found: key echo is off)"

/*
 * Spawn the console task. It first waits for `user` to finish (if not
 * NULL; the reference task_spawn gave for it is taken over and dropped
 * after the join) and prints its result, then prints CONSOLE_TASK_READY_LINE
 * in colour and from then on echoes every key typed (printable characters,
 * Enter, Backspace within the typed line, Tab) on screen and serial.
 * Panics if it cannot be spawned: without it the system is deaf.
 */
void console_task_spawn(struct task *user);

#endif
