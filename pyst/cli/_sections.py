"""``pyst-config add-section`` and ``remove-section``: whole sections.

Both are idempotent, as provisioning needs: adding a section that is already there as
asked, or removing one that is not there, changes nothing and exits 0.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from pyst.cli._edit import (
    CommandError,
    add_edit_options,
    example_epilog,
    help_formatter,
    run_edit,
)
from pyst.cli._target import Reading, add_address_options, find_section, fold, parse_address
from pyst.config import ConfigEditError, Document, Section


def register(commands: Any) -> None:
    """Add ``add-section`` and ``remove-section`` to the ``pyst-config`` subcommands."""
    add = commands.add_parser(
        "add-section", help="add a [NAME] section (a template, with parents)",
        description="Add [NAME] -- [NAME](!) with --template, [NAME](T1,T2) with --inherit -- "
        "at the end of FILE or after/before another section. Nothing happens if a [NAME] "
        "with the same template flag and parents is there already.",
        formatter_class=help_formatter(),
        epilog=example_epilog(
            "pyst-config add-section pjsip.conf 6002 --inherit endpoint-tpl,codecs-tpl",
            "pyst-config add-section --template pjsip.conf endpoint-tpl",
            "pyst-config add-section sip.conf 6003 --after 6002 --diff",
            "pyst-config add-section sip.conf office --before 6001",
        ),
    )
    add.add_argument("file", metavar="FILE")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--template", action="store_true", help="make it a template: [NAME](!)")
    add.add_argument(
        "--inherit", metavar="T1,T2", default="",
        help="comma-separated categories it inherits from, in order",
    )
    place = add.add_mutually_exclusive_group()
    place.add_argument("--after", metavar="SECTION", help="put it right after SECTION")
    place.add_argument("--before", metavar="SECTION", help="put it right before SECTION")
    add.add_argument(
        "--duplicate", action="store_true",
        help="add it even when a [NAME] exists (Asterisk then has two categories)",
    )
    add_edit_options(add)
    add.set_defaults(handler=run_add)

    remove = commands.add_parser(
        "remove-section", help="remove a section and the comments that belong to it",
        description="Remove SECTION: its header, its lines and the comment lines directly "
        "above it. Refused (exit 3) when other sections inherit from it or add to it. "
        "A section that is not there is not an error.",
        formatter_class=help_formatter(),
        epilog=example_epilog(
            "pyst-config remove-section sip.conf 6001",
            "pyst-config remove-section --check pjsip.conf 6001 --match type=aor",
            "pyst-config remove-section extensions.conf 'default[2]' --diff",
        ),
    )
    remove.add_argument("file", metavar="FILE")
    remove.add_argument("section", metavar="SECTION", help="NAME, or NAME[N] for the Nth one")
    add_address_options(remove)
    add_edit_options(remove)
    remove.set_defaults(handler=run_remove)


def split_names(text: str) -> list[str]:
    """``"a, b"`` as ``["a", "b"]`` (blank items dropped)."""
    return [part.strip() for part in text.split(",") if part.strip()]


def _named(document: Document, reference: str, option: str) -> Section:
    found = find_section(Reading(document), parse_address(reference, _NO_OPTIONS))
    if found is None:
        raise CommandError(f"{document.path}: {option} {reference}: no such section")
    return found


_NO_OPTIONS = argparse.Namespace(index=None, match=[])


def add_section(
    document: Document,
    name: str,
    *,
    template: bool = False,
    parents: list[str] | None = None,
    after: str | None = None,
    before: str | None = None,
    duplicate: bool = False,
) -> list[str]:
    """Add ``[name]`` unless it is there already as asked; return what changed."""
    parents = parents or []
    existing = [s for s in document.sections_named(name) if not s.is_addition]
    if existing and not duplicate:
        same = [
            s for s in existing
            if s.template == template and [fold(p.strip()) for p in s.parents]
            == [fold(p) for p in parents]
        ]
        if same:
            return []
        header = existing[0].header.raw.strip()
        raise ConfigEditError(
            f"[{name}] exists already, as {header!r}; use apply to change its header, "
            "or --duplicate to add a second one"
        )
    anchor: Section | None = None
    if after is not None:
        anchor = _named(document, after, "--after")
    elif before is not None:
        following = _named(document, before, "--before")
        index = next(i for i, s in enumerate(document.sections) if s is following)
        if index == 0:
            raise ConfigEditError(
                f"--before {before}: it is the first section; this pyst cannot insert "
                "above the first section yet (add it with --after or at the end)"
            )
        anchor = document.sections[index - 1]
    section = document.add_section(name, template=template, parents=parents, after=anchor)
    return [f"added {section.header.raw.strip()}"]


def run_add(args: argparse.Namespace, out: TextIO) -> int:
    """``pyst-config add-section``."""

    def edit(document: Document) -> list[str]:
        return add_section(
            document, args.name, template=args.template, parents=split_names(args.inherit),
            after=args.after, before=args.before, duplicate=args.duplicate,
        )

    return run_edit(args, out, edit)


def run_remove(args: argparse.Namespace, out: TextIO) -> int:
    """``pyst-config remove-section``."""

    def edit(document: Document) -> list[str]:
        section = find_section(Reading(document), parse_address(args.section, args))
        if section is None:
            return []
        header = section.header.raw.strip()
        document.remove_section(section)
        return [f"removed {header}"]

    return run_edit(args, out, edit)
