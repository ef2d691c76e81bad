/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding of the guest instruction behind a trapped MMIO access.  AMD SVM
 * without decode assists reports a nested page fault with the address but
 * not the instruction: the trap code fetches the instruction's bytes from
 * the guest and has them decoded here.  Only what guests use on device
 * registers is decoded: MOV between a register or an immediate and memory,
 * MOVZX, MOVSX and MOVSXD from memory.
 *
 * Pure functions without x86-specific code, so that host unit tests run
 * them as they are.
 */
#ifndef _ASM_MMIO_DECODE_H
#define _ASM_MMIO_DECODE_H

#include <jailhouse/types.h>

/* The architectural limit on instruction length. */
#define X86_MAX_INSN_LEN	15

/**
 * enum x86_code_mode - default operand and address size of the guest code
 * @X86_MODE_16:	real mode, or protected mode with a 16-bit code
 *			segment (CS.D = 0)
 * @X86_MODE_32:	protected or compatibility mode with a 32-bit code
 *			segment (CS.D = 1)
 * @X86_MODE_64:	64-bit mode (EFER.LMA = 1 and CS.L = 1)
 */
enum x86_code_mode {
	X86_MODE_16,
	X86_MODE_32,
	X86_MODE_64,
};

/**
 * struct x86_mmio_insn - A decoded memory access instruction.
 * @length:	bytes of the instruction, prefixes included: the guest's
 *		instruction pointer advances by this much
 * @width:	bytes accessed in memory: 1, 2, 4 or 8
 * @is_write:	store to memory (else load)
 * @has_imm:	a store of @imm (else of register @reg)
 * @imm:	the immediate of a store, @width bytes wide (an imm32 of a
 *		64-bit store sign-extended)
 * @reg:	the general-purpose register of a load or register store:
 *		0 RAX, 1 RCX, 2 RDX, 3 RBX, 4 RSP, 5 RBP, 6 RSI, 7 RDI,
 *		8-15 R8-R15 (0 for a store of an immediate)
 * @reg_high_byte: @reg is AH, CH, DH or BH: bits 15:8 of register 0-3
 * @reg_size:	bytes of the register operand: 1, 2, 4 or 8; a load writes
 *		this many bytes of the register, a store takes @width (0 for
 *		a store of an immediate)
 * @sign_extend: a load sign-extends (MOVSX, MOVSXD) rather than
 *		zero-extends from @width to @reg_size bytes
 * @zero_upper:	a load clears the register above @reg_size bytes (a
 *		32-bit destination in 64-bit mode), else keeps those bits
 * @reason:	why decoding failed, for a message; NULL on success
 *
 * x86_mmio_load() and x86_mmio_store_value() apply these rules.
 */
struct x86_mmio_insn {
	unsigned int length;
	unsigned int width;
	bool is_write;
	bool has_imm;
	u64 imm;
	unsigned int reg;
	bool reg_high_byte;
	unsigned int reg_size;
	bool sign_extend;
	bool zero_upper;
	const char *reason;
};

/**
 * x86_mmio_decode() - Decode the instruction of a trapped memory access.
 * @code:	the instruction's bytes, from the guest's instruction pointer
 * @avail:	how many bytes of @code are valid (more than
 *		X86_MAX_INSN_LEN are not looked at)
 * @mode:	the guest's code mode
 * @insn:	the result
 *
 * Prefixes: operand size (66), address size (67, which only changes how
 * long the memory operand is), segment overrides (26, 2E, 36, 3E, 64, 65,
 * ignored: the fault reports the address), REX in 64-bit mode.  Opcodes:
 * MOV 88, 89, 8A, 8B, A0-A3, C6 /0, C7 /0; MOVZX 0F B6, 0F B7; MOVSX
 * 0F BE, 0F BF; MOVSXD 63 in 64-bit mode.  Every addressing form of a
 * memory operand, RIP-relative included.
 *
 * Return: 0, -EINVAL for an instruction that is not decoded here (LOCK or
 * REP prefix, another opcode, a register operand where memory was
 * accessed, more than 15 bytes), -ERANGE when the instruction continues
 * beyond @avail bytes.  On error, @insn->reason says why.
 */
int x86_mmio_decode(const u8 *code, unsigned int avail,
		    enum x86_code_mode mode, struct x86_mmio_insn *insn);

/**
 * x86_mmio_load() - The register's value after a load.
 * @insn:	the decoded load
 * @reg:	the register's value before the load (all 64 bits)
 * @value:	what the device returned, in its low @insn->width bytes
 *
 * Return: the register's new value (all 64 bits).
 */
u64 x86_mmio_load(const struct x86_mmio_insn *insn, u64 reg, u64 value);

/**
 * x86_mmio_store_value() - The value a store writes.
 * @insn:	the decoded store
 * @reg:	the value of register @insn->reg (all 64 bits; not looked at
 *		for a store of an immediate)
 *
 * Return: the value to write, in the low @insn->width bytes, zero above.
 */
u64 x86_mmio_store_value(const struct x86_mmio_insn *insn, u64 reg);

#endif /* !_ASM_MMIO_DECODE_H */
