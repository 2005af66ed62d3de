"""``pyst-config set`` and ``unset``: change the keys of one section.

``set`` makes Asterisk read VALUE for KEY in SECTION: the line Asterisk ends up with
changes (only its value's bytes), or a line is added in the file's own style.  ``--add``
adds another value of a repeated key (``allow``, ``exten``) unless the section already has
that value.  ``unset`` removes KEY (every value) or only the given VALUE, with the
comment lines directly above each removed line.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from pyst.cli._edit import (
    CommandError,
    Target,
    add_edit_options,
    example_epilog,
    help_formatter,
    run_edit,
)
from pyst.cli._target import (
    Address,
    Reading,
    add_address_options,
    find_section,
    fold,
    parse_address,
)
from pyst.config import ConfigEditError, Section

OPERATORS = ("=", "=>")


def register(commands: Any) -> None:
    """Add ``set`` and ``unset`` to the ``pyst-config`` subcommands."""
    set_ = commands.add_parser(
        "set", help="make Asterisk read VALUE for KEY in SECTION",
        description="Set KEY to VALUE in SECTION, changing only what must change. "
        "With --add, add VALUE as one more value of a repeated key.",
        formatter_class=help_formatter(),
        epilog=example_epilog(
            "pyst-config set sip.conf general bindport 5061",
            "pyst-config set --add pjsip.conf 6001 allow g722     # one more allow line",
            "pyst-config set --add --operator '=>' extensions.conf default exten "
            "'100,1,Dial(PJSIP/100)'",
            "pyst-config set --diff --check pjsip.conf 6001 --match type=auth password s3cret",
            "pyst-config set pjsip.conf 'transport-udp[2]' bind 0.0.0.0:5062",
        ),
    )
    set_.add_argument("file", metavar="FILE")
    set_.add_argument("section", metavar="SECTION", help="NAME, or NAME[N] for the Nth one")
    set_.add_argument("key", metavar="KEY")
    set_.add_argument("value", metavar="VALUE")
    set_.add_argument(
        "--add", action="store_true",
        help="add VALUE as another value of KEY (no change if the section already has it)",
    )
    set_.add_argument(
        "--operator", choices=OPERATORS,
        help="'=>' for object lines (exten =>, member =>) on new lines; default: as the "
        "section's other KEY lines, else '='",
    )
    add_address_options(set_)
    add_edit_options(set_)
    set_.set_defaults(handler=run_set)

    unset = commands.add_parser(
        "unset", help="remove KEY (or one VALUE of it) from SECTION",
        description="Remove every KEY line of SECTION, or only those whose value is VALUE, "
        "with the comment lines directly above them. Nothing to remove is not an error.",
        formatter_class=help_formatter(),
        epilog=example_epilog(
            "pyst-config unset sip.conf general allowguest",
            "pyst-config unset pjsip.conf 6001 allow g729        # only that value",
            "pyst-config unset --check pjsip.conf 6001 --match type=endpoint callerid",
        ),
    )
    unset.add_argument("file", metavar="FILE")
    unset.add_argument("section", metavar="SECTION", help="NAME, or NAME[N] for the Nth one")
    unset.add_argument("key", metavar="KEY")
    unset.add_argument("value", metavar="VALUE", nargs="?")
    add_address_options(unset)
    add_edit_options(unset)
    unset.set_defaults(handler=run_unset)


def existing_section(reading: Reading, address: Address) -> Section:
    """The section ``address`` names; :class:`CommandError` if there is none."""
    section = find_section(reading, address)
    if section is None:
        raise CommandError(
            f"{reading.path}: no section {address.describe()} "
            "(add it with add-section)"
        )
    return section


def set_value(
    section: Section,
    key: str,
    value: str,
    *,
    current: str | None,
    add: bool = False,
    operator: str | None = None,
) -> list[str]:
    """Make ``section`` hold ``value`` for ``key`` (see the module docstring); return
    what changed, one line each (empty when nothing had to).  ``current`` is what
    Asterisk reads for ``key`` in the category now."""
    lines = section.assignments(key)
    if add:
        own = [(v, ls) for n, v, ls in section.own.variables() if fold(n) == fold(key)]
        if any(v == value and (operator is None or ls[0].operator == operator) for v, ls in own):
            return []
        section.add(key, value, operator=operator)
        return [f"added [{section.name}] {key} {operator or '='} {value}"]
    if operator is not None and lines and lines[-1].operator not in (operator, "+="):
        raise ConfigEditError(
            f"[{section.name}] writes {key!r} with {lines[-1].operator!r}, not {operator!r}; "
            f"unset it first to change the operator"
        )
    if current == value:
        return []  # Asterisk reads it already (maybe from a template): nothing to write
    if not lines and operator is not None:
        section.add(key, value, operator=operator)
        return [f"set [{section.name}] {key} {operator} {value}"]
    section.set(key, value)
    if current is None:
        return [f"set [{section.name}] {key} = {value}"]
    return [f"set [{section.name}] {key} = {value} (was {current})"]


def unset_value(section: Section, key: str, value: str | None = None) -> list[str]:
    """Remove ``key`` from ``section`` (only the values equal to ``value`` if given)."""
    removed = section.remove(key, value)
    if not removed:
        return []
    what = key if value is None else f"{key} = {value}"
    return [f"removed [{section.name}] {what} ({removed} line{'s' * (removed != 1)})"]


def run_set(args: argparse.Namespace, out: TextIO) -> int:
    """``pyst-config set``."""

    def edit(target: Target) -> list[str]:
        reading = Reading(target)
        section = existing_section(reading, parse_address(args.section, args))
        current = reading.value(section, args.key)
        return set_value(
            section, args.key, args.value, current=current, add=args.add, operator=args.operator
        )

    return run_edit(args, out, edit)


def run_unset(args: argparse.Namespace, out: TextIO) -> int:
    """``pyst-config unset``."""

    def edit(target: Target) -> list[str]:
        section = existing_section(Reading(target), parse_address(args.section, args))
        return unset_value(section, args.key, args.value)

    return run_edit(args, out, edit)
