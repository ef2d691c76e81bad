# SPDX-License-Identifier: GPL-2.0
#
# Builds everything for arm64 by default:
#   hypervisor/jailhouse.bin   the hypervisor image (firmware for the driver)
#   driver/jailhouse.ko        the Linux driver, against $(KDIR)
#   tools/jailhouse            the command-line tool, static
#   configs/arm64/*.cell       the configurations
#   inmates/{demos,tests}/*.bin  the bare-metal programs for cells
#
#   make [ARCH=arm64] [CROSS_COMPILE=aarch64-linux-gnu-] [KDIR=...]
#   make initramfs             build/initramfs.cpio.gz for the QEMU guest
#                              (with the test programs of tests/e2e/guest)
#
# Another kernel of the test matrix (scripts/setup.sh: ROLE is rt, newest
# or newest-rt; its image is $(JH_CACHE)/kernels/ROLE/boot/vmlinuz-*):
#   make driver KERNEL=ROLE    build/kernels/ROLE/driver/jailhouse.ko
#   make initramfs KERNEL=ROLE build/kernels/ROLE/initramfs.cpio.gz, the
#                              root's initramfs for that kernel
#   make kernels               both for every kernel of the matrix (the
#                              role links in $(JH_CACHE)/kernels)
#   make demo                  scripts/demo.sh: the QEMU demonstration
#   make test                  tests/run: every test
#   make analyze               static analysis: gcc -fanalyzer, sparse,
#                              cppcheck (scripts/analyze.sh)
#   make coverage              line coverage of hypervisor/*.c by the unit
#                              tests (fails below 80%)
#   make clean
#
# x86-64 (AMD SVM), built natively on an x86_64 host against Debian's amd64
# headers ($(JH_CACHE)/amd64/kdir, scripts/setup.sh); what the arm64 build
# makes in the same places goes to build/x86/ instead, so that one tree
# holds both builds:
#   make ARCH=x86              build/x86/hypervisor/jailhouse.bin,
#                              build/x86/driver/jailhouse.ko,
#                              build/x86/tools/jailhouse, configs/x86/*.cell,
#                              inmates/{demos,tests}/x86/*.bin
#   make ARCH=x86 initramfs    build/x86/initramfs.cpio.gz for
#                              "scripts/qemu-run.sh --machine x86" (with
#                              the x86 test programs of tests/e2e/guest,
#                              in build/x86/tests/e2e/guest)
#   make ARCH=x86 clean        removes those, the arm64 build stays (and
#                              "make clean" leaves the x86 one)
#
# Installing (scripts/install.sh, Documentation/install.md), into DESTDIR
# if given, under prefix (default /usr/local):
#   make install               all of the following but dkms_install
#   make modules_install       the modules in /lib/modules/RELEASE/extra/
#                              (RELEASE: KDIR's, or with KERNEL=ROLE that
#                              kernel's), depmod; signed with SIGN_KEY and
#                              SIGN_CERT when given
#   make firmware_install      jailhouse.bin in /lib/firmware/
#   make tools_install         prefix/sbin/jailhouse and ivshmem-demo,
#                              prefix/libexec/jailhouse/ (config tools),
#                              prefix/share/jailhouse/ (configs, inmates),
#                              man pages, bash completion
#   make dkms_install          the driver's sources and dkms.conf in
#                              /usr/src/jailhouse-VERSION
#   make uninstall             removes what those installed, by their
#                              manifest (prefix/share/jailhouse/
#                              install-manifest)

ARCH ?= arm64
JH_CACHE ?= /var/cache/jailhouse-qemu
ifeq ($(ARCH),x86)
CROSS_COMPILE ?=
KDIR ?= $(JH_CACHE)/amd64/kdir
X86_OUT := build/x86
ifdef KERNEL
$(error KERNEL=$(KERNEL): the kernel matrix is arm64 only)
endif
else
CROSS_COMPILE ?= aarch64-linux-gnu-
KDIR ?= $(JH_CACHE)/kdir
endif
# The roles of the matrix kernels: the links scripts/setup.sh made
KERNELS := $(sort $(notdir $(shell find $(JH_CACHE)/kernels -maxdepth 1 \
	-type l 2>/dev/null)))
ifdef KERNEL
KERNEL_ABI := $(notdir $(realpath $(JH_CACHE)/kernels/$(KERNEL)))
KDIR := $(JH_CACHE)/kernels/$(KERNEL)/usr/src/linux-headers-$(KERNEL_ABI)
endif

prefix ?= /usr/local

# Passed on explicitly rather than exported, so that host builds started
# from here (unit tests) keep the host compiler.
SUBMAKE := ARCH=$(ARCH) CROSS_COMPILE=$(CROSS_COMPILE)

all: hypervisor driver tools configs inmates

configs:
	$(MAKE) -C configs $(SUBMAKE)

ifeq ($(ARCH),x86)

hypervisor:
	$(MAKE) -C hypervisor $(SUBMAKE) OUT=$(CURDIR)/$(X86_OUT)/hypervisor

# A copy of the sources is built, so that the tree's arm64 objects stay.
driver:
	@test -f $(KDIR)/Makefile || { echo "no kernel headers in" \
		"$(KDIR): run scripts/setup.sh or set KDIR" >&2; exit 1; }
	ARCH=x86 CROSS_COMPILE=$(CROSS_COMPILE) scripts/build-driver.sh \
		$(KDIR) $(X86_OUT)

tools:
	$(MAKE) -C tools $(SUBMAKE) OUT=$(CURDIR)/$(X86_OUT)/tools

# in directories of their own beside arm64's (inmates/x86.mk)
inmates:
	$(MAKE) -C inmates $(SUBMAKE)

# Linux programs the end-to-end tests run in the guest, those for x86
e2e-guest:
	$(MAKE) -C tests/e2e/guest $(SUBMAKE) \
		OUT=$(CURDIR)/$(X86_OUT)/tests/e2e/guest

initramfs: all e2e-guest
	JH_CACHE=$(JH_CACHE) scripts/mkinitramfs.sh -a x86

kernels install modules_install firmware_install tools_install \
dkms_install uninstall:
	@echo "make $@ is arm64 only so far; the x86 build is in" \
		"$(X86_OUT)" >&2; exit 1

clean:
	$(MAKE) -C configs $(SUBMAKE) clean
	$(MAKE) -C inmates $(SUBMAKE) clean
	rm -rf $(X86_OUT)

else

hypervisor:
	$(MAKE) -C hypervisor $(SUBMAKE)

driver:
	@test -f $(KDIR)/Makefile || { echo "no kernel headers in" \
		"$(KDIR): run scripts/setup.sh or set KDIR" >&2; exit 1; }
ifdef KERNEL
	CROSS_COMPILE=$(CROSS_COMPILE) scripts/build-driver.sh $(KDIR) \
		build/kernels/$(KERNEL)
else
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(SUBMAKE) modules
endif

tools:
	$(MAKE) -C tools $(SUBMAKE)

inmates:
	$(MAKE) -C inmates $(SUBMAKE)

# Linux programs the end-to-end tests run in the guest
e2e-guest:
	$(MAKE) -C tests/e2e/guest $(SUBMAKE)

initramfs: all e2e-guest
	JH_CACHE=$(JH_CACHE) scripts/mkinitramfs.sh $(if $(KERNEL),-k $(KERNEL))

kernels: all e2e-guest
	$(foreach k,$(KERNELS),$(MAKE) initramfs KERNEL=$(k) &&) true

INSTALL_RUN := DESTDIR="$(DESTDIR)" PREFIX="$(prefix)" KDIR="$(KDIR)" \
	ARCH="$(ARCH)" CROSS_COMPILE="$(CROSS_COMPILE)" \
	SIGN_KEY="$(SIGN_KEY)" SIGN_CERT="$(SIGN_CERT)" \
	$(if $(KERNEL),MODULES="$(CURDIR)/build/kernels/$(KERNEL)") \
	scripts/install.sh

# One run for all parts: they share the manifest.
install: all
	$(INSTALL_RUN) modules firmware tools

modules_install: driver
	$(INSTALL_RUN) modules

firmware_install: hypervisor
	$(INSTALL_RUN) firmware

tools_install: tools configs inmates
	$(INSTALL_RUN) tools

dkms_install:
	$(INSTALL_RUN) dkms

uninstall:
	$(INSTALL_RUN) uninstall

clean:
	$(MAKE) -C hypervisor clean
	$(MAKE) -C tools clean
	$(MAKE) -C configs $(SUBMAKE) clean
	$(MAKE) -C inmates $(SUBMAKE) clean
	$(MAKE) -C tests/e2e/guest clean
	$(if $(wildcard $(KDIR)/Makefile), \
		$(MAKE) -C $(KDIR) M=$(CURDIR) $(SUBMAKE) clean)
	$(if $(wildcard tests/unit/Makefile),$(MAKE) -C tests/unit clean)
	rm -rf $(filter-out build/x86,$(wildcard build/*))

endif

demo:
	JH_CACHE=$(JH_CACHE) scripts/demo.sh

test:
	JH_CACHE=$(JH_CACHE) tests/run

analyze:
	JH_CACHE=$(JH_CACHE) KDIR=$(KDIR) CROSS_COMPILE=$(CROSS_COMPILE) \
		scripts/analyze.sh

coverage:
	$(MAKE) -C tests/unit coverage

.PHONY: all hypervisor driver tools configs inmates e2e-guest initramfs \
	kernels install modules_install firmware_install tools_install \
	dkms_install uninstall demo test analyze coverage clean
