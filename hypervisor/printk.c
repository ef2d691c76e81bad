// SPDX-License-Identifier: GPL-2.0
/*
 * Hypervisor console: formatted output to the debug UART and, when the
 * system config asks for a virtual debug console, to the console ring page
 * that the root cell maps read-only for "jailhouse console".
 */
#include <jailhouse/arch.h>
#include <jailhouse/control.h>
#include <jailhouse/printk.h>
#include <jailhouse/spinlock.h>
#include <jailhouse/string.h>
#include <jailhouse/utils.h>

/* Aligned so that it is exactly the page the root cell may see. */
struct jailhouse_console_page console_page
	__attribute__((section(".console"), aligned(4096)));

static DEFINE_SPINLOCK(printk_lock);
static bool uart_ready;
static bool ring_enabled;

#define LINE_MAX	256

struct fmt_out {
	char *buf;
	size_t size;
	size_t len;
};

static void out_char(struct fmt_out *out, char c)
{
	if (out->len + 1 < out->size)
		out->buf[out->len] = c;
	out->len++;
}

static void out_number(struct fmt_out *out, unsigned long long value,
		       unsigned int base, bool upper, bool negative,
		       unsigned int width, bool zero_pad, bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	unsigned int n = 0, len;

	do {
		tmp[n++] = digits[value % base];
		value /= base;
	} while (value);

	len = n + (negative ? 1 : 0);
	if (negative && zero_pad)
		out_char(out, '-');
	if (!left)
		for (; width > len; width--)
			out_char(out, zero_pad ? '0' : ' ');
	if (negative && !zero_pad)
		out_char(out, '-');
	while (n > 0)
		out_char(out, tmp[--n]);
	if (left)
		for (; width > len; width--)
			out_char(out, ' ');
}

int format_string(char *buf, size_t size, const char *fmt,
		  __builtin_va_list ap)
{
	struct fmt_out out = { .buf = buf, .size = size };
	unsigned long long value;
	unsigned int width, longs;
	bool zero_pad, left;
	const char *s;
	size_t slen;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_char(&out, *fmt);
			continue;
		}
		fmt++;
		zero_pad = left = false;
		for (;; fmt++) {
			if (*fmt == '0')
				zero_pad = true;
			else if (*fmt == '-')
				left = true;
			else
				break;
		}
		if (left)
			zero_pad = false;
		for (width = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (longs = 0; *fmt == 'l' || *fmt == 'z'; fmt++)
			longs += *fmt == 'z' ? 2 : 1;

		switch (*fmt) {
		case 'd':
		case 'i':
			if (longs)
				value = __builtin_va_arg(ap, long long);
			else
				value = __builtin_va_arg(ap, int);
			/* negated unsigned: LLONG_MIN has no positive twin */
			if ((long long)value < 0)
				out_number(&out, -value, 10, false, true,
					   width, zero_pad, left);
			else
				out_number(&out, value, 10, false, false,
					   width, zero_pad, left);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			if (longs)
				value = __builtin_va_arg(ap,
							 unsigned long long);
			else
				value = __builtin_va_arg(ap, unsigned int);
			out_number(&out, value,
				   *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16,
				   *fmt == 'X', false, width, zero_pad, left);
			break;
		case 'p':
			out_char(&out, '0');
			out_char(&out, 'x');
			value = (unsigned long)__builtin_va_arg(ap, void *);
			out_number(&out, value, 16, false, false,
				   width > 2 ? width - 2 : 0, zero_pad, left);
			break;
		case 'c':
			out_char(&out, (char)__builtin_va_arg(ap, int));
			break;
		case 's':
			s = __builtin_va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			slen = strlen(s);
			if (!left)
				for (; width > slen; width--)
					out_char(&out, ' ');
			while (*s)
				out_char(&out, *s++);
			if (left)
				for (; width > slen; width--)
					out_char(&out, ' ');
			break;
		case '%':
			out_char(&out, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			out_char(&out, '%');
			out_char(&out, *fmt);
			break;
		}
	}
	if (out.size > 0)
		buf[out.len < out.size ? out.len : out.size - 1] = '\0';
	return out.len;
}

/* Seqcount-like protocol of struct jailhouse_console_page, see header.h. */
static void ring_write(const char *buf, unsigned int len)
{
	u32 tail;

	if (!ring_enabled)
		return;

	console_page.busy++;
	smp_wmb();
	tail = console_page.tail;
	while (len-- > 0)
		console_page.content[tail++ % JAILHOUSE_CONSOLE_SIZE] = *buf++;
	smp_wmb();
	console_page.tail = tail;
	smp_wmb();
	console_page.busy++;
}

static void console_write(const char *buf, unsigned int len)
{
	ring_write(buf, len);
	if (uart_ready)
		arch_dbg_console_write(buf, len);
}

static void vprintk(const char *fmt, __builtin_va_list ap, bool locked)
{
	char line[LINE_MAX];
	int len;

	len = format_string(line, sizeof(line), fmt, ap);
	if (len >= LINE_MAX)
		len = LINE_MAX - 1;

	if (locked)
		spin_lock(&printk_lock);
	console_write(line, len);
	if (locked)
		spin_unlock(&printk_lock);
}

void printk(const char *fmt, ...)
{
	__builtin_va_list ap;

	__builtin_va_start(ap, fmt);
	vprintk(fmt, ap, true);
	__builtin_va_end(ap);
}

/*
 * A hostile cell can repeat what makes the hypervisor speak as often as it
 * likes; were every line printed, it would hold the console lock, and so
 * the UART and the ring, from the others and push what they said out of
 * the ring.  Its lines come in bursts, as Linux's printk_ratelimit() lets
 * them: at most CELL_MSG_BURST in CELL_MSG_WINDOW_US, and the number of
 * those left out with the first line after that.
 */
#define CELL_MSG_BURST		10
#define CELL_MSG_WINDOW_US	5000000UL

static void report_dropped(struct cell *cell, unsigned int dropped)
{
	if (dropped)
		printk("Cell \"%s\": %u more lines not shown (at most %u in "
		       "%lu s)\n", cell->config->name, dropped, CELL_MSG_BURST,
		       CELL_MSG_WINDOW_US / 1000000);
}

void cell_printk(struct cell *cell, const char *fmt, ...)
{
	struct cell_msg_limit *limit = &cell->msg_limit;
	unsigned int dropped = 0;
	__builtin_va_list ap;
	unsigned long now;
	bool print;

	spin_lock(&limit->lock);
	/*
	 * Read under the lock, and a time before the window's start (another
	 * CPU's clock a little behind) is in the window: a window ends once.
	 */
	now = arch_time_us();
	if (limit->printed == 0 ||
	    (long)(now - limit->window_start) >=
	    (long)CELL_MSG_WINDOW_US) {
		dropped = limit->dropped;
		limit->window_start = now;
		limit->printed = 0;
		limit->dropped = 0;
	}
	print = limit->printed < CELL_MSG_BURST;
	if (print)
		limit->printed++;
	else
		limit->dropped++;
	spin_unlock(&limit->lock);

	report_dropped(cell, dropped);
	if (!print)
		return;
	__builtin_va_start(ap, fmt);
	vprintk(fmt, ap, true);
	__builtin_va_end(ap);
}

void cell_printk_flush(struct cell *cell)
{
	struct cell_msg_limit *limit = &cell->msg_limit;
	unsigned int dropped;

	spin_lock(&limit->lock);
	dropped = limit->dropped;
	limit->dropped = 0;
	spin_unlock(&limit->lock);
	report_dropped(cell, dropped);
}

void panic_printk(const char *fmt, ...)
{
	__builtin_va_list ap;

	__builtin_va_start(ap, fmt);
	vprintk(fmt, ap, false);
	__builtin_va_end(ap);
}

void console_putc_from_cell(char c)
{
	spin_lock(&printk_lock);
	console_write(&c, 1);
	spin_unlock(&printk_lock);
}

int console_init(void)
{
	int err;

	ring_enabled = SYS_FLAGS_VIRTUAL_DEBUG_CONSOLE(system_config->flags);
	console_page.busy = 0;
	console_page.tail = 0;

	err = arch_dbg_console_init();
	if (err < 0)
		return err;
	uart_ready = err > 0;
	return 0;
}
