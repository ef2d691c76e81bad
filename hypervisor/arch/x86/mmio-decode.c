// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding of the guest instruction behind a trapped MMIO access (see
 * asm/mmio-decode.h), after the instruction formats of the AMD64
 * Architecture Programmer's Manual, volume 3, chapter 1.
 *
 * The fault reports the guest-physical address, so the memory operand is
 * only skipped, never evaluated: its length is what matters.
 */
#include <jailhouse/errno.h>
#include <jailhouse/utils.h>
#include <asm/mmio-decode.h>

#define REX_W		0x08	/* 64-bit operand size */
#define REX_R		0x04	/* extends ModRM.reg */

#define MODRM_MOD(m)	((m) >> 6)
#define MODRM_REG(m)	(((m) >> 3) & 7)
#define MODRM_RM(m)	((m) & 7)
#define SIB_BASE(s)	((s) & 7)

/* The bytes of one instruction as they are consumed. */
struct insn_bytes {
	const u8 *code;
	unsigned int avail;
	unsigned int pos;
};

/* Refuse the instruction with @err, @reason saying why. */
static int refuse(struct x86_mmio_insn *insn, int err, const char *reason)
{
	insn->reason = reason;
	return err;
}

/* Take the next @count bytes, little endian, into @value (if not NULL). */
static int take(struct insn_bytes *b, unsigned int count, u64 *value,
		struct x86_mmio_insn *insn)
{
	u64 v = 0;
	unsigned int n;

	for (n = 0; n < count; n++, b->pos++) {
		/* the CPU faults on an overlong one, we refuse it alike */
		if (b->pos >= X86_MAX_INSN_LEN)
			return refuse(insn, -EINVAL,
				      "instruction longer than 15 bytes");
		if (b->pos >= b->avail)
			return refuse(insn, -ERANGE,
				      "instruction bytes missing (truncated)");
		v |= (u64)b->code[b->pos] << (8 * n);
	}
	if (value)
		*value = v;
	return 0;
}

static int take_byte(struct insn_bytes *b, u8 *byte,
		     struct x86_mmio_insn *insn)
{
	u64 v = 0;
	int err;

	err = take(b, 1, &v, insn);
	*byte = v;
	return err;
}

/*
 * Skip the memory operand that @modrm describes: SIB byte and
 * displacement.  @addr_size is 2 for the 16-bit forms (BX+SI, ...), 4 or 8
 * for the 32/64-bit ones, which have the same layout.
 */
static int skip_memory_operand(struct insn_bytes *b, u8 modrm,
			       unsigned int addr_size,
			       struct x86_mmio_insn *insn)
{
	unsigned int mod = MODRM_MOD(modrm), rm = MODRM_RM(modrm);
	unsigned int disp;
	u8 sib;
	int err;

	if (mod == 3)
		return refuse(insn, -EINVAL,
			      "register operand, no memory access");

	if (addr_size == 2) {
		/* mod 0 r/m 6 is a bare disp16 */
		if (mod == 1)
			disp = 1;
		else if (mod == 2 || rm == 6)
			disp = 2;
		else
			disp = 0;
		return take(b, disp, NULL, insn);
	}

	if (mod == 1)
		disp = 1;
	else if (mod == 2)
		disp = 4;
	else
		/* mod 0 r/m 5: disp32, RIP-relative in 64-bit mode */
		disp = rm == 5 ? 4 : 0;

	if (rm == 4) {
		err = take_byte(b, &sib, insn);
		if (err)
			return err;
		/* no base register: disp32 (REX.B does not matter) */
		if (mod == 0 && SIB_BASE(sib) == 5)
			disp = 4;
	}
	return take(b, disp, NULL, insn);
}

/* Sign-extend the low @bytes of @value to 64 bits. */
static u64 sign_extend(u64 value, unsigned int bytes)
{
	unsigned int shift = 64 - 8 * bytes;

	return (u64)((s64)(value << shift) >> shift);
}

/* The bits of the low @bytes (1, 2, 4 or 8). */
static u64 byte_mask(unsigned int bytes)
{
	return bytes >= 8 ? ~0ULL : (1ULL << (8 * bytes)) - 1;
}

/* The prefixes of an instruction that matter here. */
struct prefixes {
	bool opsize;		/* 66 */
	bool addrsize;		/* 67 */
	u8 rex;			/* 0 without one */
};

/*
 * Consume the prefixes, legacy ones in any order, then REX (64-bit mode)
 * right before the opcode, whose first byte is left in @op.
 */
static int take_prefixes(struct insn_bytes *b, enum x86_code_mode mode,
			 struct prefixes *p, u8 *op,
			 struct x86_mmio_insn *insn)
{
	int err;

	for (;;) {
		err = take_byte(b, op, insn);
		if (err)
			return err;
		if (mode == X86_MODE_64 && (*op & 0xf0) == 0x40) {
			p->rex = *op;
			continue;
		}
		switch (*op) {
		case 0x66:
			p->opsize = true;
			break;
		case 0x67:
			p->addrsize = true;
			break;
		case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64:
		case 0x65:
			break;
		case 0xf0:
			return refuse(insn, -EINVAL, "LOCK prefix");
		case 0xf2: case 0xf3:
			return refuse(insn, -EINVAL, "REP prefix");
		default:
			return 0;
		}
		/* a REX followed by a legacy prefix is ignored */
		p->rex = 0;
	}
}

int x86_mmio_decode(const u8 *code, unsigned int avail,
		    enum x86_code_mode mode, struct x86_mmio_insn *insn)
{
	struct insn_bytes b = {
		.code = code,
		.avail = MIN(avail, X86_MAX_INSN_LEN),
	};
	struct prefixes p = { 0 };
	unsigned int op_size, addr_size;
	u8 op, modrm;
	u64 imm;
	int err;

	*insn = (struct x86_mmio_insn){ 0 };

	err = take_prefixes(&b, mode, &p, &op, insn);
	if (err)
		return err;

	switch (mode) {
	case X86_MODE_64:
		op_size = p.rex & REX_W ? 8 : p.opsize ? 2 : 4;
		addr_size = p.addrsize ? 4 : 8;
		break;
	case X86_MODE_32:
		op_size = p.opsize ? 2 : 4;
		addr_size = p.addrsize ? 2 : 4;
		break;
	case X86_MODE_16:
		op_size = p.opsize ? 4 : 2;
		addr_size = p.addrsize ? 4 : 2;
		break;
	default:
		return refuse(insn, -EINVAL, "unknown code mode");
	}

	switch (op) {
	case 0x88:	/* MOV r/m8, r8 */
	case 0x8a:	/* MOV r8, r/m8 */
		insn->width = 1;
		insn->reg_size = 1;
		insn->is_write = op == 0x88;
		break;
	case 0x89:	/* MOV r/m, r */
	case 0x8b:	/* MOV r, r/m */
		insn->width = op_size;
		insn->reg_size = op_size;
		insn->is_write = op == 0x89;
		break;
	case 0x63:	/* MOVSXD r, r/m32 (ARPL outside 64-bit mode) */
		if (mode != X86_MODE_64)
			goto unknown;
		insn->width = MIN(op_size, 4);
		insn->reg_size = op_size;
		insn->sign_extend = op_size == 8;
		break;
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:
		/* MOV between AL/rAX and memory at an absolute offset */
		insn->width = op & 1 ? op_size : 1;
		insn->is_write = op & 2;
		insn->reg_size = insn->width;
		insn->zero_upper = !insn->is_write && insn->width >= 4 &&
			mode == X86_MODE_64;
		err = take(&b, addr_size, NULL, insn);
		if (err)
			return err;
		insn->length = b.pos;
		return 0;
	case 0xc6:	/* MOV r/m8, imm8 */
	case 0xc7:	/* MOV r/m, imm16/32 (imm32 sign-extended) */
		insn->width = op == 0xc6 ? 1 : op_size;
		insn->is_write = true;
		insn->has_imm = true;
		break;
	case 0x0f:
		err = take_byte(&b, &op, insn);
		if (err)
			return err;
		switch (op) {
		case 0xb6: case 0xb7:	/* MOVZX r, r/m8 / r/m16 */
		case 0xbe: case 0xbf:	/* MOVSX r, r/m8 / r/m16 */
			insn->width = op & 1 ? 2 : 1;
			insn->reg_size = op_size;
			insn->sign_extend = op & 8;
			break;
		default:
			goto unknown;
		}
		break;
	default:
		goto unknown;
	}

	err = take_byte(&b, &modrm, insn);
	if (err)
		return err;
	if (insn->has_imm && MODRM_REG(modrm) != 0)
		return refuse(insn, -EINVAL, "C6/C7 other than MOV (/0)");
	err = skip_memory_operand(&b, modrm, addr_size, insn);
	if (err)
		return err;

	if (insn->has_imm) {
		err = take(&b, MIN(insn->width, 4), &imm, insn);
		if (err)
			return err;
		insn->imm = sign_extend(imm, MIN(insn->width, 4)) &
			byte_mask(insn->width);
	} else {
		insn->reg = MODRM_REG(modrm) | (p.rex & REX_R ? 8 : 0);
		/* byte registers 4-7 without REX: AH, CH, DH, BH */
		if (insn->reg_size == 1 && !p.rex && insn->reg >= 4) {
			insn->reg -= 4;
			insn->reg_high_byte = true;
		}
		insn->zero_upper = !insn->is_write && insn->reg_size >= 4 &&
			mode == X86_MODE_64;
	}
	insn->length = b.pos;
	return 0;

unknown:
	return refuse(insn, -EINVAL,
		      "opcode not emulated (MOV, MOVZX, MOVSX, MOVSXD only)");
}

u64 x86_mmio_load(const struct x86_mmio_insn *insn, u64 reg, u64 value)
{
	u64 reg_mask = byte_mask(insn->reg_size);

	value &= byte_mask(insn->width);
	if (insn->sign_extend)
		value = sign_extend(value, insn->width);
	if (insn->reg_high_byte)
		return (reg & ~0xff00ULL) | (value & 0xff) << 8;
	if (insn->zero_upper)
		return value & reg_mask;
	return (reg & ~reg_mask) | (value & reg_mask);
}

u64 x86_mmio_store_value(const struct x86_mmio_insn *insn, u64 reg)
{
	if (insn->has_imm)
		return insn->imm;
	if (insn->reg_high_byte)
		return (reg >> 8) & 0xff;
	return reg & byte_mask(insn->width);
}
