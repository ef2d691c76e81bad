# SPDX-License-Identifier: GPL-2.0
#
# The x86-64 inmates (make -C inmates ARCH=x86): the library in lib/x86/
# (with the architecture-independent parts of lib/), the demos in
# demos/x86/, the test inmates in tests/x86/ (theirs, or arm64's where
# those are architecture-independent).  Every program is linked twice:
#   demos/x86/NAME.bin        flat binary for cells, linked at 0xf0000
#                             ("jailhouse cell load CELL NAME.bin -a 0xf0000")
#   demos/x86/NAME-qemu.elf   linked at 0x40000, a 32-bit ELF multiboot
#                             kernel for QEMU q35 without a hypervisor
#                             (qemu-system-x86_64 -kernel, -append ARGS)
# and the same for tests/x86/NAME.

CC := $(CROSS_COMPILE)gcc
AR := $(CROSS_COMPILE)ar
OBJCOPY := $(CROSS_COMPILE)objcopy

CELL_BASE := 0xf0000
QEMU_BASE := 0x40000

X86_INC := -I lib/x86 -I lib/x86/include -I lib/include -I ../include
CFLAGS := -O2 -g -std=gnu11 -Wall -Wextra -Wno-unused-parameter \
	-ffreestanding -nostdinc -fno-builtin -fno-common -fno-pic \
	-fno-stack-protector -fno-asynchronous-unwind-tables -m64 \
	-mno-red-zone -mgeneral-regs-only -mcmodel=small -march=x86-64 \
	$(X86_INC) -MMD -MP
ASFLAGS := -D__ASSEMBLY__ -m64 $(X86_INC) -MMD -MP
LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none \
	-Wl,-T,lib/x86/inmate.lds -Wl,-z,max-page-size=4096 \
	-Wl,--no-warn-rwx-segments

# lib/x86/NAME.o from lib/x86/NAME.c or, shared with arm64, lib/NAME.c
LIB_OBJS := $(addprefix lib/x86/, apic.o header.o ioapic.o ivshmem-irq.o \
	mmu.o pci-host.o setup.o smp.o timer.o uart.o cmdline.o console.o \
	delay.o ivshmem.o jitter.o pci.o printk.o round-trip.o run.o stats.o \
	string.o)

# demos/x86/NAME, or, the same program on both, demos/NAME
DEMOS := uart-demo apic-demo smp-demo ipi-pingpong ivshmem-demo \
	ivshmem-pingpong
TESTS := mem-access hypercalls silent pio-access msr-access ipi-foreign \
	irq-foreign wild-jump cpu-state pci-scan debug-hv cache-invd sipi-failed
PROGRAMS := $(addprefix demos/x86/, $(DEMOS)) $(addprefix tests/x86/, $(TESTS))

all: $(addsuffix .bin, $(PROGRAMS)) $(addsuffix -qemu.elf, $(PROGRAMS))

lib/x86/lib.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

lib/x86/%.o: lib/x86/%.c
	$(CC) $(CFLAGS) -c -o $@ $<

lib/x86/%.o: lib/%.c
	$(CC) $(CFLAGS) -c -o $@ $<

lib/x86/%.o: lib/x86/%.S
	$(CC) $(ASFLAGS) -c -o $@ $<

lib/x86/inmate.lds: lib/x86/inmate.lds.S lib/x86/include/inmate.h
	$(CC) -E -P -x c -D__ASSEMBLY__ $(X86_INC) -o $@ $<

demos/x86/%.o: demos/x86/%.c
	$(CC) $(CFLAGS) -c -o $@ $<

demos/x86/%.o: demos/%.c
	$(CC) $(CFLAGS) -c -o $@ $<

# an x86 test of the name first, else arm64's
tests/x86/%.o: tests/x86/%.c
	$(CC) $(CFLAGS) -c -o $@ $<

tests/x86/%.o: tests/%.c
	$(CC) $(CFLAGS) -c -o $@ $<

# the library's archive holds the start-up: name its entry to pull it in
%.elf: %.o lib/x86/lib.a lib/x86/inmate.lds
	$(CC) $(LDFLAGS) -Wl,--defsym,INMATE_BASE=$(CELL_BASE) \
		-Wl,-u,multiboot_entry -o $@ $< lib/x86/lib.a

%-qemu.elf64: %.o lib/x86/lib.a lib/x86/inmate.lds
	$(CC) $(LDFLAGS) -Wl,--defsym,INMATE_BASE=$(QEMU_BASE) \
		-Wl,-u,multiboot_entry -o $@ $< lib/x86/lib.a

# QEMU's multiboot loader takes 32-bit ELF files only
%-qemu.elf: %-qemu.elf64
	$(OBJCOPY) -O elf32-i386 $< $@

%.bin: %.elf
	$(OBJCOPY) -O binary $< $@

# Boot every demo on QEMU without a hypervisor and check the output
check: all
	./check-bare-metal-x86.sh

clean:
	rm -f lib/x86/*.o lib/x86/*.d lib/x86/lib.a lib/x86/inmate.lds \
		$(foreach d, \
		demos/x86 tests/x86, $(d)/*.o $(d)/*.d $(d)/*.elf \
		$(d)/*.elf64 $(d)/*.bin)

.PHONY: all check clean
.SECONDARY:

-include $(wildcard lib/x86/*.d demos/x86/*.d tests/x86/*.d)
