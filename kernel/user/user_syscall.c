/*
 * user_syscall.c - the int 0x80 system calls (table: user/README.md).
 *
 * The gate has DPL 3, so ring 3 may raise it; the stub saved every
 * register in the trap frame and restores them all on return, so only rax
 * (the result) changes for the program. A call that completes at once
 * returns straight to ring 3 through the stub's iretq. A call that must wait
 * (read_key, sleep) saves the frame and goes back to the task's poll
 * (user_block), which waits through the executor and resumes the program
 * with the result in rax.
 *
 * Arguments are never trusted: the number is compared as an unsigned 64-bit
 * value (so -1 or 1 << 32 is not exit), lengths are checked for wrap and
 * size before any page is looked at, and buffers are checked page by page
 * in the program's page tables (user_access.c).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/cpu.h"
#include "kernel/arch/pit.h"
#include "kernel/core/console.h"
#include "kernel/user/user_priv.h"
#include "user/abi.h"

/*
 * A write reaches the console in small chunks, each with interrupts off
 * (console_write holds the console lock so), and the program's time budget
 * is checked between them. The console is slow: every '\n' at the bottom
 * of the screen scrolls it, 4000 bytes of VGA memory read and written
 * (about 1 ms under QEMU, uncached MMIO on a PC), and on a PC each byte
 * also waits for the UART at 115200 baud. Handed over a page at a time,
 * 1 MiB of newlines kept the kernel in one system call for many minutes,
 * interrupts off for seconds at a stretch: the timer's ticks were lost (so
 * neither uptime nor the budget saw that time) and nothing else ran. Now a
 * chunk is at most one line (it ends after a '\n') and WRITE_CHUNK bytes,
 * so interrupts are off for about one scroll at a time, the timer counts
 * the time against the program, and a write that outlasts the budget ends
 * the program there like any other budget overrun.
 */
#define WRITE_CHUNK 64

struct write_ctx {
	struct user_process *p;
	const struct trap_frame *tf;
};

static void write_piece(void *ctx, const char *s, size_t n)
{
	const struct write_ctx *w = ctx;
	while (n) {
		size_t k = 0;
		while (k < n && k < WRITE_CHUNK && s[k++] != '\n')
			;
		console_write(s, k);
		s += k;
		n -= k;
		/* Between chunks nothing is held: ending the program here
		 * abandons no kernel state (see user_check_budget). */
		user_check_budget(w->p, w->tf);
	}
}

static int64_t sys_write(struct user_process *p, const struct trap_frame *tf,
			 uint64_t buf, uint64_t len)
{
	if (len == 0)
		return 0;
	if (len > USER_WRITE_MAX || buf + len < buf)
		return -UERR_EINVAL;
	/* All or nothing: user_read_pieces checks every page before the first
	 * byte reaches the console. */
	struct write_ctx w = { p, tf };
	if (!user_read_pieces(p->root, buf, len, write_piece, &w))
		return -UERR_EFAULT;
	return (int64_t)len;
}

void user_syscall(struct trap_frame *tf)
{
	struct user_process *p = user_current();
	/* int 0x80 from kernel code (the gate allows CPL 0 too) is not a
	 * program's system call. */
	if (p == NULL || (tf->cs & 3) != 3) {
		tf->rax = (uint64_t)-UERR_ENOSYS;
		return;
	}
	user_count_syscall(tf->cs);
	user_check_budget(p, tf);
	/* The gate cleared IF, but a call may take a while (a 1 MiB write to
	 * the screen): let the timer and keyboard in meanwhile. Their
	 * handlers nest on this stack; the tick hook counts the time against
	 * the program but only stops it in ring 3 (user.c), and user_block /
	 * user_finish disable interrupts again before they switch stacks. */
	cpu_sti();

	uint64_t nr = tf->rax;
	int64_t ret;
	switch (nr) {
	case SYS_EXIT: {
		int code = (int)(uint32_t)tf->rdi;
		user_report("user: exit %d\n", code);
		user_finish(p, code);
	}
	case SYS_WRITE:
		ret = sys_write(p, tf, tf->rdi, tf->rsi);
		break;
	case SYS_READ_KEY:
		user_block(p, tf, USER_WAIT_KEY);
	case SYS_SLEEP:
		if (tf->rdi > USER_SLEEP_MAX_MS) {
			ret = -UERR_EINVAL;
			break;
		}
		p->wake_ms = uptime_ms() + tf->rdi;
		user_block(p, tf, USER_WAIT_SLEEP);
	case SYS_UPTIME:
		ret = (int64_t)uptime_ms();
		break;
	default:
		ret = -UERR_ENOSYS;
		break;
	}
	tf->rax = (uint64_t)ret;
}
