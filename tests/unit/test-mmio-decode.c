// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the x86 MMIO instruction decoder
 * (hypervisor/arch/x86/mmio-decode.c).  The encodings are the GNU
 * assembler's for the instruction in each row's text (`as --64`, `--32`,
 * `.code16`), or written from the opcode tables of the AMD64 manual where
 * the assembler would not emit them (a REX before a legacy prefix, a DS
 * override).
 *
 * Every valid row is also decoded with trailing bytes after it (which
 * must not count) and cut short at every length (which must say so).
 */
#include "test.h"

#include <jailhouse/errno.h>
#include <jailhouse/utils.h>
#include <asm/mmio-decode.h>

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13,
       R14, R15 };

#define M16	X86_MODE_16
#define M32	X86_MODE_32
#define M64	X86_MODE_64

struct decode_case {
	const char *text;
	enum x86_code_mode mode;
	const char *code;
	unsigned int len;
	struct x86_mmio_insn expect;	/* length taken from @len */
};

/* the instruction's bytes, as a string literal */
#define C(s)		.code = s, .len = sizeof(s) - 1

/* a store of @reg, @w bytes */
#define STORE(w, r)	.expect = { .width = w, .is_write = true, .reg = r, \
				    .reg_size = w }
/* a store of AH..BH */
#define STORE_HI(r)	.expect = { .width = 1, .is_write = true, .reg = r, \
				    .reg_high_byte = true, .reg_size = 1 }
#define STORE_IMM(w, i)	.expect = { .width = w, .is_write = true, \
				    .has_imm = true, .imm = i }
/* a load of @w bytes into @size bytes of @reg, bits above kept */
#define LOAD(w, r, size) \
			.expect = { .width = w, .reg = r, .reg_size = size }
#define LOAD_HI(r)	.expect = { .width = 1, .reg = r, \
				    .reg_high_byte = true, .reg_size = 1 }
/* ... bits above cleared (a 32- or 64-bit destination in 64-bit mode) */
#define LOAD_Z(w, r, size) \
			.expect = { .width = w, .reg = r, .reg_size = size, \
				    .zero_upper = true }
/* sign-extending loads, bits above kept or cleared */
#define LOAD_S(w, r, size) \
			.expect = { .width = w, .reg = r, .reg_size = size, \
				    .sign_extend = true }
#define LOAD_SZ(w, r, size) \
			.expect = { .width = w, .reg = r, .reg_size = size, \
				    .sign_extend = true, .zero_upper = true }

static const struct decode_case cases[] = {
	/* MOV stores, 64-bit mode */
	{ "mov %eax,(%rdx)", M64, C("\x89\x02"), STORE(4, RAX) },
	{ "mov %al,(%rdx)", M64, C("\x88\x02"), STORE(1, RAX) },
	{ "mov %ah,(%rdx)", M64, C("\x88\x22"), STORE_HI(RAX) },
	{ "mov %bh,0x10(%rbx)", M64, C("\x88\x7b\x10"), STORE_HI(RBX) },
	{ "mov %sil,(%rdx)", M64, C("\x40\x88\x32"), STORE(1, RSI) },
	{ "mov %r9b,(%rdx)", M64, C("\x44\x88\x0a"), STORE(1, R9) },
	{ "mov %ax,(%rdx)", M64, C("\x66\x89\x02"), STORE(2, RAX) },
	{ "mov %rax,(%rdx)", M64, C("\x48\x89\x02"), STORE(8, RAX) },
	{ "mov %r15,0x0(%r13)", M64, C("\x4d\x89\x7d\x00"), STORE(8, R15) },
	{ "mov %ecx,0x100(%rip)", M64, C("\x89\x0d\x00\x01\x00\x00"),
	  STORE(4, RCX) },
	/* REX.W wins over 66 */
	{ "data16 mov %rdx,(%rax)", M64, C("\x66\x48\x89\x10"),
	  STORE(8, RDX) },

	/* MOV loads, 64-bit mode: 32 and 64 bits fill the register */
	{ "mov (%rdx),%eax", M64, C("\x8b\x02"), LOAD_Z(4, RAX, 4) },
	{ "mov (%rdx),%ch", M64, C("\x8a\x2a"), LOAD_HI(RCX) },
	{ "mov (%rdx),%dil", M64, C("\x40\x8a\x3a"), LOAD(1, RDI, 1) },
	{ "mov (%rdx),%r10w", M64, C("\x66\x44\x8b\x12"), LOAD(2, R10, 2) },
	{ "mov (%rdx),%rsp", M64, C("\x48\x8b\x22"), LOAD_Z(8, RSP, 8) },
	{ "mov 0x12345678(%rip),%ecx", M64, C("\x8b\x0d\x78\x56\x34\x12"),
	  LOAD_Z(4, RCX, 4) },
	{ "mov 0x8(%rsp),%eax", M64, C("\x8b\x44\x24\x08"),
	  LOAD_Z(4, RAX, 4) },
	{ "mov (%rsp),%eax", M64, C("\x8b\x04\x24"), LOAD_Z(4, RAX, 4) },
	{ "mov (%r12),%eax", M64, C("\x41\x8b\x04\x24"), LOAD_Z(4, RAX, 4) },
	{ "mov 0x0(%rbp),%eax", M64, C("\x8b\x45\x00"), LOAD_Z(4, RAX, 4) },
	{ "mov 0x0(%r13),%eax", M64, C("\x41\x8b\x45\x00"),
	  LOAD_Z(4, RAX, 4) },
	{ "mov (%rax,%rbx,4),%edx", M64, C("\x8b\x14\x98"),
	  LOAD_Z(4, RDX, 4) },
	{ "mov 0x10(%rax,%r11,8),%r8d", M64, C("\x46\x8b\x44\xd8\x10"),
	  LOAD_Z(4, R8, 4) },
	{ "mov 0x1000(,%rcx,2),%esi", M64, C("\x8b\x34\x4d\x00\x10\x00\x00"),
	  LOAD_Z(4, RSI, 4) },
	{ "mov 0x1000(%rbp,%rcx,2),%esi", M64,
	  C("\x8b\xb4\x4d\x00\x10\x00\x00"), LOAD_Z(4, RSI, 4) },
	{ "mov 0x0(%r13,%rcx,1),%esi", M64, C("\x41\x8b\x74\x0d\x00"),
	  LOAD_Z(4, RSI, 4) },
	/* SIB without base, REX.B set: still disp32 */
	{ "mov 0x10(,%rcx,1),%esi (REX.B)", M64,
	  C("\x41\x8b\x34\x0d\x10\x00\x00\x00"), LOAD_Z(4, RSI, 4) },
	{ "mov 0xfee000b0,%eax (SIB form)", M64,
	  C("\x8b\x04\x25\xb0\x00\xe0\xfe"), LOAD_Z(4, RAX, 4) },
	/* segment overrides, address size */
	{ "mov %eax,%fs:(%rdx)", M64, C("\x64\x89\x02"), STORE(4, RAX) },
	{ "mov %gs:0x28,%rax", M64, C("\x65\x48\x8b\x04\x25\x28\x00\x00\x00"),
	  LOAD_Z(8, RAX, 8) },
	{ "mov %ds:(%rdx),%eax", M64, C("\x3e\x8b\x02"), LOAD_Z(4, RAX, 4) },
	{ "mov (%edx),%eax", M64, C("\x67\x8b\x02"), LOAD_Z(4, RAX, 4) },
	{ "mov 0x10(%eax,%ebx,2),%ecx", M64, C("\x67\x8b\x4c\x58\x10"),
	  LOAD_Z(4, RCX, 4) },
	{ "mov 0x10(%eip),%ecx", M64, C("\x67\x8b\x0d\x10\x00\x00\x00"),
	  LOAD_Z(4, RCX, 4) },
	/* a REX before a legacy prefix does not count: %bh, not %dil */
	{ "rex.R; data16 is ignored REX, mov (%rdx),%bh", M64,
	  C("\x44\x66\x8a\x3a"), LOAD_HI(RBX) },
	/* the last REX counts */
	{ "rex.W rex.R mov (%rdx),%r10d", M64, C("\x48\x44\x8b\x12"),
	  LOAD_Z(4, R10, 4) },

	/* MOV with an absolute offset (moffs) */
	{ "movabs 0xfee00030,%eax", M64,
	  C("\xa1\x30\x00\xe0\xfe\x00\x00\x00\x00"), LOAD_Z(4, RAX, 4) },
	{ "movabs %al,0x1122334455667788", M64,
	  C("\xa2\x88\x77\x66\x55\x44\x33\x22\x11"), STORE(1, RAX) },
	{ "movabs 0x1122334455667788,%al", M64,
	  C("\xa0\x88\x77\x66\x55\x44\x33\x22\x11"), LOAD(1, RAX, 1) },
	{ "movabs %rax,0x1122334455667788", M64,
	  C("\x48\xa3\x88\x77\x66\x55\x44\x33\x22\x11"), STORE(8, RAX) },
	{ "addr32 mov 0xfee00030,%ax", M64,
	  C("\x66\x67\xa1\x30\x00\xe0\xfe"), LOAD(2, RAX, 2) },

	/* MOV immediate */
	{ "movl $0x12345678,(%rdi)", M64, C("\xc7\x07\x78\x56\x34\x12"),
	  STORE_IMM(4, 0x12345678) },
	{ "movb $0xab,(%rdi)", M64, C("\xc6\x07\xab"), STORE_IMM(1, 0xab) },
	{ "movw $0xbeef,(%rdi)", M64, C("\x66\xc7\x07\xef\xbe"),
	  STORE_IMM(2, 0xbeef) },
	{ "movq $-2,(%rdi)", M64, C("\x48\xc7\x07\xfe\xff\xff\xff"),
	  STORE_IMM(8, 0xfffffffffffffffeULL) },
	{ "movq $0x7fffffff,0x20(%rdi)", M64,
	  C("\x48\xc7\x47\x20\xff\xff\xff\x7f"), STORE_IMM(8, 0x7fffffff) },
	{ "movl $0x80000000,(%rdi)", M64, C("\xc7\x07\x00\x00\x00\x80"),
	  STORE_IMM(4, 0x80000000) },
	{ "movl $1,0x100(%rip)", M64,
	  C("\xc7\x05\x00\x01\x00\x00\x01\x00\x00\x00"), STORE_IMM(4, 1) },
	{ "movb $0x5a,0x12345678(%rax,%rbx,8)", M64,
	  C("\xc6\x84\xd8\x78\x56\x34\x12\x5a"), STORE_IMM(1, 0x5a) },

	/* MOVZX, MOVSX, MOVSXD */
	{ "movzbl (%rdi),%eax", M64, C("\x0f\xb6\x07"), LOAD_Z(1, RAX, 4) },
	{ "movzwl (%rdi),%eax", M64, C("\x0f\xb7\x07"), LOAD_Z(2, RAX, 4) },
	{ "movzbq (%rdi),%r12", M64, C("\x4c\x0f\xb6\x27"),
	  LOAD_Z(1, R12, 8) },
	{ "movzbw (%rdi),%ax", M64, C("\x66\x0f\xb6\x07"), LOAD(1, RAX, 2) },
	{ "movsbl (%rdi),%eax", M64, C("\x0f\xbe\x07"), LOAD_SZ(1, RAX, 4) },
	{ "movswl (%rdi),%eax", M64, C("\x0f\xbf\x07"), LOAD_SZ(2, RAX, 4) },
	{ "movsbq (%rdi),%rax", M64, C("\x48\x0f\xbe\x07"),
	  LOAD_SZ(1, RAX, 8) },
	{ "movswq (%rdi),%r9", M64, C("\x4c\x0f\xbf\x0f"),
	  LOAD_SZ(2, R9, 8) },
	{ "movsbw (%rdi),%dx", M64, C("\x66\x0f\xbe\x17"), LOAD_S(1, RDX, 2) },
	{ "movslq (%rdi),%rax", M64, C("\x48\x63\x07"), LOAD_SZ(4, RAX, 8) },
	{ "movsxd (%rdi),%eax", M64, C("\x63\x07"), LOAD_Z(4, RAX, 4) },
	{ "movsxd (%rdi),%ax", M64, C("\x66\x63\x07"), LOAD(2, RAX, 2) },

	/* 32-bit mode: loads keep the upper half */
	{ "mov %eax,(%edx)", M32, C("\x89\x02"), STORE(4, RAX) },
	{ "mov 0xfec00010,%eax", M32, C("\xa1\x10\x00\xc0\xfe"),
	  LOAD(4, RAX, 4) },
	{ "mov %eax,0xfec00000", M32, C("\xa3\x00\x00\xc0\xfe"),
	  STORE(4, RAX) },
	{ "mov %al,0xfed00000", M32, C("\xa2\x00\x00\xd0\xfe"),
	  STORE(1, RAX) },
	{ "mov 0x10(%ebp),%cl", M32, C("\x8a\x4d\x10"), LOAD(1, RCX, 1) },
	{ "mov (%edx),%ax", M32, C("\x66\x8b\x02"), LOAD(2, RAX, 2) },
	{ "movw $0x1234,0x8(%esi,%edi,4)", M32,
	  C("\x66\xc7\x44\xbe\x08\x34\x12"), STORE_IMM(2, 0x1234) },
	{ "movl $0xdeadbeef,0xfee000b0", M32,
	  C("\xc7\x05\xb0\x00\xe0\xfe\xef\xbe\xad\xde"),
	  STORE_IMM(4, 0xdeadbeef) },
	{ "mov 0x1000(,%ecx,4),%edx", M32, C("\x8b\x14\x8d\x00\x10\x00\x00"),
	  LOAD(4, RDX, 4) },
	{ "mov (%esp),%ebx", M32, C("\x8b\x1c\x24"), LOAD(4, RBX, 4) },
	{ "mov %ss:(%edx),%eax", M32, C("\x36\x8b\x02"), LOAD(4, RAX, 4) },
	{ "mov %es:(%edx),%eax", M32, C("\x26\x8b\x02"), LOAD(4, RAX, 4) },
	{ "mov %cs:(%edx),%eax", M32, C("\x2e\x8b\x02"), LOAD(4, RAX, 4) },
	{ "mov (%bx,%si),%eax", M32, C("\x67\x8b\x00"), LOAD(4, RAX, 4) },
	{ "addr16 mov 0x1234,%eax", M32, C("\x67\xa1\x34\x12"),
	  LOAD(4, RAX, 4) },
	{ "mov 0x12(%bp),%ax", M32, C("\x67\x66\x8b\x46\x12"),
	  LOAD(2, RAX, 2) },
	{ "mov 0x1234(%bx,%di),%eax", M32, C("\x67\x8b\x81\x34\x12"),
	  LOAD(4, RAX, 4) },
	{ "addr16 mov 0x1234,%esi", M32, C("\x67\x8b\x36\x34\x12"),
	  LOAD(4, RSI, 4) },
	{ "movzbl (%eax),%edx", M32, C("\x0f\xb6\x10"), LOAD(1, RDX, 4) },
	{ "movswl (%eax),%edx", M32, C("\x0f\xbf\x10"), LOAD_S(2, RDX, 4) },
	{ "movzwl (%eax),%edx", M32, C("\x0f\xb7\x10"), LOAD(2, RDX, 4) },

	/* 16-bit mode */
	{ "mov %ax,(%bx)", M16, C("\x89\x07"), STORE(2, RAX) },
	{ "mov %eax,(%bx)", M16, C("\x66\x89\x07"), STORE(4, RAX) },
	{ "mov 0x0(%bp),%ax", M16, C("\x8b\x46\x00"), LOAD(2, RAX, 2) },
	{ "mov 0x1234,%ax", M16, C("\xa1\x34\x12"), LOAD(2, RAX, 2) },
	{ "mov 0x12(%bx,%si),%al", M16, C("\x8a\x40\x12"), LOAD(1, RAX, 1) },
	{ "mov 0x1234(%di),%dx", M16, C("\x8b\x95\x34\x12"),
	  LOAD(2, RDX, 2) },
	{ "movw $0x5678,0x10(%bx)", M16, C("\xc7\x47\x10\x78\x56"),
	  STORE_IMM(2, 0x5678) },
	{ "movl $0x12345678,(%bx)", M16, C("\x66\xc7\x07\x78\x56\x34\x12"),
	  STORE_IMM(4, 0x12345678) },
	{ "mov (%eax),%eax", M16, C("\x67\x66\x8b\x00"), LOAD(4, RAX, 4) },
	{ "mov 0x10(%eax,%ebx,4),%ax", M16, C("\x67\x8b\x44\x98\x10"),
	  LOAD(2, RAX, 2) },
	{ "mov 0xfee00030,%eax", M16, C("\x66\x67\xa1\x30\x00\xe0\xfe"),
	  LOAD(4, RAX, 4) },
	{ "mov %ax,0x1234", M16, C("\xa3\x34\x12"), STORE(2, RAX) },
	{ "movzbw (%bx),%ax", M16, C("\x0f\xb6\x07"), LOAD(1, RAX, 2) },
	{ "movzbl (%bx),%eax", M16, C("\x66\x0f\xb6\x07"), LOAD(1, RAX, 4) },
	{ "movsbw (%si),%cx", M16, C("\x0f\xbe\x0c"), LOAD_S(1, RCX, 2) },

	/* 13 prefixes and a two-byte instruction: 15 bytes, the limit */
	{ "13 prefixes, mov %eax,(%rdx)", M64,
	  C("\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x89\x02"),
	  STORE(4, RAX) },
};

/* Field @f of the result as expected, else fail naming the row. */
#define CHECK(f, want) \
	do { \
		if ((u64)insn->f != (u64)(want)) \
			fail_msg("%s: " #f " %llu, expected %llu", c->text, \
				 (unsigned long long)insn->f, \
				 (unsigned long long)(want)); \
	} while (0)

static void check_decoded(const struct decode_case *c,
			  const struct x86_mmio_insn *insn)
{
	const struct x86_mmio_insn *e = &c->expect;

	CHECK(length, c->len);
	CHECK(width, e->width);
	CHECK(is_write, e->is_write);
	CHECK(has_imm, e->has_imm);
	CHECK(imm, e->imm);
	CHECK(reg, e->reg);
	CHECK(reg_high_byte, e->reg_high_byte);
	CHECK(reg_size, e->reg_size);
	CHECK(sign_extend, e->sign_extend);
	CHECK(zero_upper, e->zero_upper);
	if (insn->reason)
		fail_msg("%s: %s", c->text, insn->reason);
}

static void test_decode(void **state)
{
	struct x86_mmio_insn insn;
	u8 buf[X86_MAX_INSN_LEN + 4];
	unsigned int n, avail;

	for (n = 0; n < ARRAY_SIZE(cases); n++) {
		const struct decode_case *c = &cases[n];

		assert_true(c->len <= X86_MAX_INSN_LEN);
		/* exactly the instruction */
		x86_mmio_decode((const u8 *)c->code, c->len, c->mode, &insn);
		check_decoded(c, &insn);

		/* followed by bytes of the next instructions */
		memset(buf, 0x8b, sizeof(buf));
		memcpy(buf, c->code, c->len);
		x86_mmio_decode(buf, sizeof(buf), c->mode, &insn);
		check_decoded(c, &insn);

		/* cut short */
		for (avail = 0; avail < c->len; avail++)
			if (x86_mmio_decode(buf, avail, c->mode, &insn) !=
			    -ERANGE)
				fail_msg("%s: not truncated at %u bytes",
					 c->text, avail);
	}
}

struct refusal {
	const char *text;
	enum x86_code_mode mode;
	const char *code;
	unsigned int len;
	int err;
	const char *reason;
};

#define NOT_EMULATED \
	"opcode not emulated (MOV, MOVZX, MOVSX, MOVSXD only)"
#define REG_OPERAND	"register operand, no memory access"
#define TRUNCATED	"instruction bytes missing (truncated)"

static const struct refusal refusals[] = {
	{ "lock addl $1,(%rax)", M64, C("\xf0\x83\x00\x01"), -EINVAL,
	  "LOCK prefix" },
	{ "lock mov (invalid)", M64, C("\xf0\x89\x02"), -EINVAL,
	  "LOCK prefix" },
	{ "rep movsb", M64, C("\xf3\xa4"), -EINVAL, "REP prefix" },
	{ "repne mov", M32, C("\xf2\x89\x02"), -EINVAL, "REP prefix" },
	{ "xchg %eax,(%rdx)", M64, C("\x87\x02"), -EINVAL, NOT_EMULATED },
	{ "movnti %eax,(%rdx)", M64, C("\x0f\xc3\x02"), -EINVAL,
	  NOT_EMULATED },
	{ "addl $1,(%rax)", M64, C("\x83\x00\x01"), -EINVAL, NOT_EMULATED },
	{ "arpl %ax,(%edx) in 32-bit mode", M32, C("\x63\x02"), -EINVAL,
	  NOT_EMULATED },
	{ "dec %eax; mov: REX is DEC outside 64-bit mode", M32,
	  C("\x48\x89\x02"), -EINVAL, NOT_EMULATED },
	{ "vmovdqu (%rax),%xmm0 (VEX)", M64, C("\xc5\xfa\x6f\x00"), -EINVAL,
	  NOT_EMULATED },
	{ "mov %eax,%edx", M64, C("\x89\xc2"), -EINVAL, REG_OPERAND },
	{ "movzbl %al,%eax", M64, C("\x0f\xb6\xc0"), -EINVAL, REG_OPERAND },
	{ "movb $1,%al (C6 /0 mod 3)", M64, C("\xc6\xc0\x01"), -EINVAL,
	  REG_OPERAND },
	{ "C6 /1 (C6 with reg 1)", M64, C("\xc6\x08\x01"), -EINVAL,
	  "C6/C7 other than MOV (/0)" },
	{ "xbegin (C7 F8)", M64, C("\xc7\xf8\x00\x00\x00\x00"), -EINVAL,
	  "C6/C7 other than MOV (/0)" },
	/* 15 prefixes: the opcode would be byte 16 */
	{ "15 prefixes", M64,
	  C("\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e"
	    "\x89\x02"), -EINVAL, "instruction longer than 15 bytes" },
	/* 5 prefixes, REX.W, C7 05, disp32, imm32: 16 bytes */
	{ "movq $1,0x0(%rip), 5 prefixes: 16 bytes", M64,
	  C("\x3e\x3e\x3e\x3e\x3e"
	    "\x48\xc7\x05\x00\x00\x00\x00\x01\x00\x00\x00"), -EINVAL,
	  "instruction longer than 15 bytes" },
	{ "nothing", M64, C(""), -ERANGE, TRUNCATED },
	{ "prefixes only", M64, C("\x66\x67\x48"), -ERANGE, TRUNCATED },
	{ "0F only", M64, C("\x0f"), -ERANGE, TRUNCATED },
	{ "mov without ModRM", M64, C("\x8b"), -ERANGE, TRUNCATED },
	{ "mov without SIB", M64, C("\x8b\x04"), -ERANGE, TRUNCATED },
	{ "mov (%rip) with half a disp32", M64, C("\x8b\x05\x00\x10"),
	  -ERANGE, TRUNCATED },
	{ "movl $imm without the immediate", M64, C("\xc7\x00"), -ERANGE,
	  TRUNCATED },
	{ "movabs with half a moffs64", M64, C("\xa1\x00\x00\x00\x00"),
	  -ERANGE, TRUNCATED },
};

static void test_refusals(void **state)
{
	struct x86_mmio_insn insn;
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(refusals); n++) {
		const struct refusal *r = &refusals[n];

		if (x86_mmio_decode((const u8 *)r->code, r->len, r->mode,
				    &insn) != r->err)
			fail_msg("%s: not refused with %d", r->text, r->err);
		if (!insn.reason || strcmp(insn.reason, r->reason))
			fail_msg("%s: reason \"%s\"", r->text, insn.reason);
	}
}

/* More than 15 bytes available: the 16th is never read. */
static void test_overlong_avail(void **state)
{
	static const u8 code[32] = {
		0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e,
		0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x89, 0x02,
	};
	struct x86_mmio_insn insn;

	assert_int_equal(x86_mmio_decode(code, sizeof(code), M64, &insn),
			 -EINVAL);
	assert_string_equal(insn.reason, "instruction longer than 15 bytes");
}

static void test_bad_mode(void **state)
{
	struct x86_mmio_insn insn;

	assert_int_equal(x86_mmio_decode((const u8 *)"\x89\x02", 2,
					 (enum x86_code_mode)3, &insn),
			 -EINVAL);
	assert_string_equal(insn.reason, "unknown code mode");
}

/* Decode @code (valid), then load @value into a register holding @old. */
static u64 do_load(enum x86_code_mode mode, const char *code,
		   unsigned int len, u64 old, u64 value)
{
	struct x86_mmio_insn insn;

	assert_int_equal(x86_mmio_decode((const u8 *)code, len, mode, &insn),
			 0);
	assert_false(insn.is_write);
	return x86_mmio_load(&insn, old, value);
}

#define load(mode, code, old, value) \
	do_load(mode, code, sizeof(code) - 1, old, value)

#define OLD	0x1122334455667788ULL

static void test_load(void **state)
{
	/* mov (%rdx),%eax: 64-bit mode clears the upper half */
	assert_int_equal(load(M64, "\x8b\x02", OLD, 0xfedcba98),
			 0xfedcba98);
	/* ... 32-bit mode keeps it */
	assert_int_equal(load(M32, "\x8b\x02", OLD, 0xfedcba98),
			 0x11223344fedcba98ULL);
	/* mov (%rdx),%rax */
	assert_int_equal(load(M64, "\x48\x8b\x02", OLD, 0x8000000000000001ULL),
			 0x8000000000000001ULL);
	/* mov (%rdx),%ax, %al, %ch */
	assert_int_equal(load(M64, "\x66\x8b\x02", OLD, 0xabcd),
			 0x112233445566abcdULL);
	assert_int_equal(load(M64, "\x8a\x02", OLD, 0xab),
			 0x11223344556677abULL);
	assert_int_equal(load(M64, "\x8a\x2a", OLD, 0xab),
			 0x112233445566ab88ULL);
	/* bits above the access width are not the device's answer */
	assert_int_equal(load(M64, "\x8a\x02", OLD, 0xffffff01),
			 0x1122334455667701ULL);
	assert_int_equal(load(M64, "\x8a\x2a", OLD, 0xffffff01),
			 0x1122334455660188ULL);
	/* movzbl, movzbq, movzbw */
	assert_int_equal(load(M64, "\x0f\xb6\x07", OLD, 0xff), 0xff);
	assert_int_equal(load(M64, "\x48\x0f\xb6\x07", OLD, 0x1ff), 0xff);
	assert_int_equal(load(M64, "\x66\x0f\xb6\x07", OLD, 0xff),
			 0x11223344556600ffULL);
	assert_int_equal(load(M32, "\x0f\xb7\x07", OLD, 0x8001),
			 0x1122334400008001ULL);
	/* movsbl, movsbq, movsbw, movswl in 32-bit mode, movslq */
	assert_int_equal(load(M64, "\x0f\xbe\x07", OLD, 0x80), 0xffffff80);
	assert_int_equal(load(M64, "\x0f\xbe\x07", OLD, 0x7f), 0x7f);
	assert_int_equal(load(M64, "\x48\x0f\xbe\x07", OLD, 0x80),
			 0xffffffffffffff80ULL);
	assert_int_equal(load(M64, "\x66\x0f\xbe\x07", OLD, 0x80),
			 0x112233445566ff80ULL);
	assert_int_equal(load(M32, "\x0f\xbf\x07", OLD, 0x8000),
			 0x11223344ffff8000ULL);
	assert_int_equal(load(M64, "\x48\x63\x07", OLD, 0x80000000),
			 0xffffffff80000000ULL);
	assert_int_equal(load(M64, "\x48\x63\x07", OLD, 0x7fffffff),
			 0x7fffffff);
	/* movabs 0x...,%al; mov 0x...,%eax in 32-bit and 64-bit mode */
	assert_int_equal(load(M64, "\xa0\x00\x00\x00\x00\x00\x00\x00\x00",
			      OLD, 0x42), 0x1122334455667742ULL);
	assert_int_equal(load(M64, "\xa1\x00\x00\x00\x00\x00\x00\x00\x00",
			      OLD, 0x42), 0x42);
	assert_int_equal(load(M32, "\xa1\x10\x00\xc0\xfe", OLD, 0x42),
			 0x1122334400000042ULL);
}

/* Decode @code (valid), then the value it stores from @reg. */
static u64 do_store(enum x86_code_mode mode, const char *code,
		   unsigned int len, u64 reg)
{
	struct x86_mmio_insn insn;

	assert_int_equal(x86_mmio_decode((const u8 *)code, len, mode, &insn),
			 0);
	assert_true(insn.is_write);
	return x86_mmio_store_value(&insn, reg);
}

#define store(mode, code, reg) do_store(mode, code, sizeof(code) - 1, reg)

static void test_store(void **state)
{
	/* mov %eax, %ax, %al, %ah, %rax to (%rdx) */
	assert_int_equal(store(M64, "\x89\x02", OLD), 0x55667788);
	assert_int_equal(store(M64, "\x66\x89\x02", OLD), 0x7788);
	assert_int_equal(store(M64, "\x88\x02", OLD), 0x88);
	assert_int_equal(store(M64, "\x88\x22", OLD), 0x77);
	assert_int_equal(store(M64, "\x48\x89\x02", OLD), OLD);
	assert_int_equal(store(M32, "\xa3\x00\x00\xc0\xfe", OLD),
			 0x55667788);
	/* immediates, the register not looked at */
	assert_int_equal(store(M64, "\x48\xc7\x07\xfe\xff\xff\xff", OLD),
			 0xfffffffffffffffeULL);
	assert_int_equal(store(M64, "\xc7\x07\xfe\xff\xff\xff", OLD),
			 0xfffffffe);
	assert_int_equal(store(M64, "\x66\xc7\x07\xfe\xff", OLD), 0xfffe);
	assert_int_equal(store(M64, "\xc6\x07\x00", OLD), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_overlong_avail),
		cmocka_unit_test(test_bad_mode),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
