// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 MMIO instruction decoder on lines of standard input, for
 * decode-vs-objdump.py: each line "MODE HEX" (MODE 16, 32 or 64, HEX the
 * instruction's bytes) gives a line
 * "RESULT LENGTH WIDTH IS_WRITE HAS_IMM REG HIGH_BYTE REG_SIZE".
 */
#include <stdio.h>
#include <string.h>

#include <asm/mmio-decode.h>

int main(void)
{
	char line[256], hex[200];
	struct x86_mmio_insn insn;
	enum x86_code_mode mode;
	unsigned int bits, len, byte;
	u8 code[64];
	int ret;

	while (fgets(line, sizeof(line), stdin)) {
		if (sscanf(line, "%u %199s", &bits, hex) != 2)
			return 1;
		mode = bits == 64 ? X86_MODE_64 :
			bits == 32 ? X86_MODE_32 : X86_MODE_16;
		for (len = 0; len < sizeof(code) && 2 * len < strlen(hex);
		     len++) {
			if (sscanf(hex + 2 * len, "%2x", &byte) != 1)
				return 1;
			code[len] = byte;
		}
		ret = x86_mmio_decode(code, len, mode, &insn);
		printf("%d %u %u %d %d %u %d %u\n", ret, insn.length,
		       insn.width, insn.is_write, insn.has_imm, insn.reg,
		       insn.reg_high_byte, insn.reg_size);
	}
	return 0;
}
