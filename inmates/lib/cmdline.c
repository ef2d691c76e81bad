// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The command line: "key=value" or "key" words separated by blanks, loaded
 * at CMDLINE_OFFSET ("jailhouse cell load ... -s STRING -a 0x1000").  The
 * image has zeros there, so no string means an empty line; parsing never
 * reads past CMDLINE_SIZE, terminated or not.
 */
#include <lib.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/**
 * cmdline_find() - Look up the last word for a key.
 * @param:	the key
 * @len:	set to the length of the value
 *
 * Return: the value (after "="; empty for a bare "key"), or NULL.
 */
static const char *cmdline_find(const char *param, size_t *len)
{
	const char *end = __cmdline + CMDLINE_SIZE;
	size_t plen = strlen(param);
	const char *p = __cmdline, *word, *value = NULL;

	while (p < end && *p) {
		while (p < end && *p && is_blank(*p))
			p++;
		word = p;
		while (p < end && *p && !is_blank(*p))
			p++;
		if ((size_t)(p - word) < plen ||
		    strncmp(word, param, plen) != 0)
			continue;
		if (word + plen == p) {
			value = p;
			*len = 0;
		} else if (word[plen] == '=') {
			value = word + plen + 1;
			*len = p - value;
		}
	}
	return value;
}

static bool value_is(const char *value, size_t len, const char *word)
{
	return strlen(word) == len && strncmp(value, word, len) == 0;
}

const char *cmdline_parse_str(const char *param, char *buf, size_t size,
			      const char *defval)
{
	const char *value;
	size_t len;

	value = cmdline_find(param, &len);
	if (!value) {
		value = defval;
		len = strlen(defval);
	}
	if (len >= size)
		len = size - 1;
	memcpy(buf, value, len);
	buf[len] = '\0';
	return buf;
}

/*
 * Decimal, or hexadecimal after "0x"; an optional "-".  A malformed or
 * missing value gives the default.
 */
long long cmdline_parse_int(const char *param, long long defval)
{
	unsigned long long val = 0;
	unsigned int base = 10, digit;
	const char *value;
	bool negative;
	size_t len;
	char c;

	value = cmdline_find(param, &len);
	if (!value || len == 0)
		return defval;

	negative = *value == '-';
	if (negative) {
		value++;
		len--;
	}
	if (len > 2 && value[0] == '0' &&
	    (value[1] == 'x' || value[1] == 'X')) {
		base = 16;
		value += 2;
		len -= 2;
	}
	if (len == 0)
		return defval;

	for (; len > 0; value++, len--) {
		c = *value;
		if (c >= '0' && c <= '9')
			digit = c - '0';
		else if (c >= 'a' && c <= 'f')
			digit = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			digit = c - 'A' + 10;
		else
			return defval;
		if (digit >= base)
			return defval;
		val = val * base + digit;
	}
	return negative ? -(long long)val : (long long)val;
}

/* "key", "key=1|true|on|yes" or "key=0|false|off|no" */
bool cmdline_parse_bool(const char *param, bool defval)
{
	const char *value;
	size_t len;

	value = cmdline_find(param, &len);
	if (!value)
		return defval;
	if (len == 0 || value_is(value, len, "1") ||
	    value_is(value, len, "true") || value_is(value, len, "on") ||
	    value_is(value, len, "yes"))
		return true;
	if (value_is(value, len, "0") || value_is(value, len, "false") ||
	    value_is(value, len, "off") || value_is(value, len, "no"))
		return false;
	return defval;
}
