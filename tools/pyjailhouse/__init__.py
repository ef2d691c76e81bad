# SPDX-License-Identifier: GPL-2.0
"""Configuration tooling for the hypervisor: the binary .cell format
(revision 14), its checks, a TOML source form and root-cell config
generation from a device tree."""
