"""``pyst-config get FILE SECTION [KEY]``: what Asterisk reads, from the shell.

The value is the one Asterisk ends up with -- templates, ``(+)`` additions, ``+=`` and
``#include`` files applied, and for names modules look up with ``ast_variable_retrieve``
the value that lookup returns in the chosen Asterisk (``--asterisk``: the first value up
to 22, the last from 23) -- not the text of one line.  Exit 0 when found,
1 when the section or key is not there (so ``if pyst-config get ...`` works in scripts),
2 on usage or I/O errors.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from pyst.cli._edit import (
    USAGE_ERROR,
    CommandError,
    add_asterisk_option,
    error,
    example_epilog,
    help_formatter,
)
from pyst.cli._output import write_bytes
from pyst.cli._target import add_address_options, find_category, fold, parse_address
from pyst.config import Category, ConfigIOError, Loader

NOT_FOUND = 1


def register(commands: Any) -> None:
    """Add ``get`` to the ``pyst-config`` subcommands."""
    get = commands.add_parser(
        "get", help="print what Asterisk reads for a section or key",
        description="Print the value Asterisk reads for KEY in SECTION (after templates, "
        "(+) additions, += and #include, by the lookup rule of the --asterisk version), "
        "or every variable of SECTION without KEY. "
        "Exit 1 if the section or key is not there.",
        formatter_class=help_formatter(),
        epilog=example_epilog(
            "pyst-config get sip.conf general bindport",
            "pyst-config get --all pjsip.conf 6001 allow      # every value, one per line",
            "pyst-config get --json pjsip.conf 6001            # the whole category as JSON",
            "pyst-config get pjsip.conf 6001 --match type=aor max_contacts",
            "pyst-config get extensions.conf 'default[2]' exten",
        ),
    )
    get.add_argument("file", metavar="FILE")
    get.add_argument("section", metavar="SECTION", help="NAME, or NAME[N] for the Nth one")
    get.add_argument("key", metavar="KEY", nargs="?")
    get.add_argument("--all", action="store_true", help="every value of KEY, in order")
    get.add_argument("--json", action="store_true", help="print JSON")
    add_asterisk_option(get)
    get.add_argument(
        "--confdir", metavar="DIR",
        help="Asterisk's config directory, for relative #include paths "
        "(default: the file's folder)",
    )
    add_address_options(get)
    get.set_defaults(handler=run)


def category_json(category: Category) -> dict[str, Any]:
    """A category as ``get --json`` prints it."""
    return {
        "name": category.name,
        "template": category.template,
        "inherits": list(category.inherits),
        "variables": [
            {
                "name": v.name, "value": v.value, "object": v.object,
                "inherited": v.inherited, "file": v.file, "line": v.line,
            }
            for v in category.variables
        ],
    }


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Print the value(s); 1 when the section or key is not there."""
    try:
        Path(args.file).read_bytes()  # report a missing file as an I/O error, not "absent"
        view = Loader(confdir=args.confdir, asterisk=args.asterisk).load_path(args.file)
        address = parse_address(args.section, args)
        category = find_category(view, address)
    except (CommandError, ConfigIOError) as failure:
        error(str(failure))
        return USAGE_ERROR
    except OSError as failure:
        error(f"cannot read {args.file}: {failure.strerror}; check the path")
        return USAGE_ERROR
    if category is None:
        error(f"{args.file}: no section {address.describe()}")
        return NOT_FOUND
    if args.key is None:
        if args.json:
            out.write(json.dumps(category_json(category)) + "\n")
        else:
            text = "".join(
                f"{v.name} {'=>' if v.object else '='} {v.value}\n" for v in category.variables
            )
            write_bytes(out, text)
        return 0
    key = fold(args.key)
    found = [v for v in category.variables if fold(v.name) == key]
    chosen = category.variable(args.key)
    if chosen is None:
        error(f"{args.file}: [{category.name}] has no {args.key!r}")
        return NOT_FOUND
    if args.json:
        out.write(json.dumps({
            "section": category.name,
            "key": chosen.name,
            "value": chosen.value,
            "values": [v.value for v in found],
        }) + "\n")
        return 0
    shown = found if args.all else [chosen]
    write_bytes(out, "".join(v.value + "\n" for v in shown))
    return 0
