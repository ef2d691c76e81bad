# SPDX-License-Identifier: GPL-2.0
#
# Bash completion for the jailhouse command: commands, options, cell names
# (from sysfs) and file arguments.  Installed as
# share/bash-completion/completions/jailhouse, or sourced by hand.
#
# Sourced into interactive shells, so no "set -eu" here: it would change
# the user's shell.  JAILHOUSE_SYSFS names another sysfs directory than
# /sys/devices/jailhouse (the tests use one of their own).

# _jailhouse_files CUR EXT...: directories, and files ending in one of
# .EXT (any file without EXT), that start with CUR
_jailhouse_files()
{
	local cur=$1 ext
	shift

	compopt -o filenames 2> /dev/null
	if [ $# -eq 0 ]; then
		mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < \
			<(compgen -f -- "$cur")
		return
	fi
	mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -d -- "$cur")
	for ext in "$@"; do
		mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < \
			<(compgen -f -X "!*.$ext" -- "$cur")
	done
}

# _jailhouse_words CUR WORD...: the words that start with CUR
_jailhouse_words()
{
	local cur=$1
	shift

	mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < \
		<(compgen -W "$*" -- "$cur")
}

# The names of the cells there are, the root cell's too.
_jailhouse_cell_names()
{
	local dir=${JAILHOUSE_SYSFS:-/sys/devices/jailhouse}/cells name

	for name in "$dir"/*/name; do
		[ -r "$name" ] && cat "$name"
	done
}

_jailhouse_cells()
{
	local cur=$1 name

	while IFS= read -r name; do
		[[ $name == "$cur"* ]] && COMPREPLY+=("$name")
	done < <(_jailhouse_cell_names)
}

# The arguments of "jailhouse cell SUB": @words behind SUB, @cur the word
# completed, @prev the one before it.
_jailhouse_cell()
{
	local sub=$1 cur=$2 prev=$3 nargs=$4

	case $sub in
	create)
		[ "$nargs" -eq 0 ] && _jailhouse_files "$cur" cell
		;;
	start | shutdown | destroy)
		[ "$nargs" -eq 0 ] && _jailhouse_cells "$cur"
		;;
	stats)
		if [ "$nargs" -eq 0 ]; then
			_jailhouse_cells "$cur"
		elif [[ $cur == -* ]]; then
			_jailhouse_words "$cur" -f --follow
		fi
		;;
	load)
		if [ "$nargs" -eq 0 ]; then
			_jailhouse_cells "$cur"
			return
		fi
		case $prev in
		-s | --string | -a | --address)
			return	# a string or an address of the user's
			;;
		esac
		if [[ $cur == -* ]]; then
			_jailhouse_words "$cur" -s --string -a --address
		else
			_jailhouse_files "$cur" bin
		fi
		;;
	linux)
		case $prev in
		-d | --dtb | -w | --write-dtb)
			_jailhouse_files "$cur" dtb
			return
			;;
		-i | --initrd)
			_jailhouse_files "$cur"
			return
			;;
		-c | --cmdline)
			return
			;;
		esac
		if [[ $cur == -* ]]; then
			_jailhouse_words "$cur" -d --dtb -i --initrd -c \
				--cmdline -w --write-dtb
		elif [ "$nargs" -eq 0 ]; then
			_jailhouse_files "$cur" cell
		else
			_jailhouse_files "$cur"
		fi
		;;
	esac
}

_jailhouse_config()
{
	local sub=$1 cur=$2 prev=$3

	case $sub:$prev in
	create:--root)
		compopt -o filenames 2> /dev/null
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return
		;;
	create:--tarball)
		_jailhouse_files "$cur" tar.gz tgz tar
		return
		;;
	create:--dtb | create:--iomem | create:--cpuinfo)
		_jailhouse_files "$cur"
		return
		;;
	create:--mem-hv | create:--mem-inmates | create:--name)
		return
		;;
	compile:-o | compile:--output)
		_jailhouse_files "$cur" cell
		return
		;;
	decompile:-o | decompile:--output)
		_jailhouse_files "$cur" toml
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		case $sub in
		create)
			_jailhouse_words "$cur" --help --root --tarball --dtb \
				--iomem --cpuinfo --mem-hv --mem-inmates --name
			;;
		compile | decompile)
			_jailhouse_words "$cur" --help -o --output
			;;
		*)
			_jailhouse_words "$cur" --help
			;;
		esac
		return
	fi
	case $sub in
	collect)
		_jailhouse_files "$cur" tar.gz
		;;
	create)
		_jailhouse_files "$cur" cell toml
		;;
	check | show)
		_jailhouse_files "$cur" cell toml
		;;
	compile)
		_jailhouse_files "$cur" toml
		;;
	decompile)
		_jailhouse_files "$cur" cell
		;;
	esac
}

# How many arguments of "jailhouse cell SUB" before the one completed are
# not options or their values: the cell, the images, the config, the
# kernel.
_jailhouse_positional()
{
	local n=0 word=3

	while [ "$word" -lt "$COMP_CWORD" ]; do
		case ${COMP_WORDS[word]} in
		-s | --string | -a | --address | -d | --dtb | -i | --initrd | \
		-c | --cmdline | -w | --write-dtb)
			word=$((word + 1))
			;;
		-*)
			;;
		*)
			n=$((n + 1))
			;;
		esac
		word=$((word + 1))
	done
	echo "$n"
}

_jailhouse()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local cmd=${COMP_WORDS[1]:-} sub=${COMP_WORDS[2]:-}

	COMPREPLY=()
	if [ "$COMP_CWORD" -eq 1 ]; then
		_jailhouse_words "$cur" enable disable console cell config \
			hardware --help --version
		return
	fi
	case $cmd in
	enable)
		if [ "$COMP_CWORD" -eq 2 ]; then
			_jailhouse_files "$cur" cell
			[[ $cur == -* ]] && _jailhouse_words "$cur" --help
		fi
		;;
	disable)
		[ "$COMP_CWORD" -eq 2 ] && _jailhouse_words "$cur" --help
		;;
	console)
		[ "$COMP_CWORD" -eq 2 ] &&
			_jailhouse_words "$cur" -f --follow --help
		;;
	hardware)
		[ "$COMP_CWORD" -eq 2 ] && _jailhouse_words "$cur" check
		;;
	cell)
		if [ "$COMP_CWORD" -eq 2 ]; then
			_jailhouse_words "$cur" create list load start \
				shutdown destroy stats linux
		elif [ "$COMP_CWORD" -eq 3 ] && [[ $cur == -* ]]; then
			_jailhouse_words "$cur" --help
			[[ $sub =~ ^(load|start|shutdown|destroy|stats)$ ]] &&
				_jailhouse_words "$cur" --name
			[ "$sub" = stats ] &&
				_jailhouse_words "$cur" -f --follow
			[ "$sub" = linux ] && _jailhouse_cell linux "$cur" \
				"$prev" 0
		else
			_jailhouse_cell "$sub" "$cur" "$prev" \
				"$(_jailhouse_positional)"
		fi
		;;
	config)
		if [ "$COMP_CWORD" -eq 2 ]; then
			_jailhouse_words "$cur" collect create check show \
				compile decompile
		else
			_jailhouse_config "$sub" "$cur" "$prev"
		fi
		;;
	esac
}

complete -F _jailhouse jailhouse
