"""``pyst-config add-section``, ``remove-section`` and ``rename-section``: whole sections.

Both are idempotent, as provisioning needs: adding a section that is already there as
asked, or removing one that is not there, changes nothing and exits 0.
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
    Reading,
    add_address_options,
    find_section,
    fold,
    parse_address,
)
from pyst.config import ConfigEditError, Section, Tree


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
            "pyst-config add-section pjsip.conf 6003 --inherit phone --file pjsip_users.conf",
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
        "--file", dest="file_in_tree", metavar="F",
        help="put it in F, a file FILE #includes (implies --tree; default: FILE, or the "
        "file of --after/--before)",
    )
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

    rename = commands.add_parser(
        "rename-section", help="rename a section (and, with --references, what names it)",
        description="Rename SECTION to NEW. Refused (exit 3) when that would change what "
        "Asterisk reads anywhere else -- sections that inherit from it or add to it -- "
        "unless --references renames those references in FILE too.",
        formatter_class=help_formatter(),
        epilog=example_epilog(
            "pyst-config rename-section pjsip.conf 6001 6101",
            "pyst-config rename-section --references pjsip.conf phone-tpl desk-phone-tpl",
            "pyst-config rename-section extensions.conf 'default[2]' default-extra --diff",
        ),
    )
    rename.add_argument("file", metavar="FILE")
    rename.add_argument("section", metavar="SECTION", help="NAME, or NAME[N] for the Nth one")
    rename.add_argument("new_name", metavar="NEW")
    rename.add_argument(
        "--references", action="store_true",
        help="also rename [x](SECTION) parents and [SECTION](+) additions in FILE",
    )
    add_address_options(rename)
    add_edit_options(rename)
    rename.set_defaults(handler=run_rename)


def split_names(text: str) -> list[str]:
    """``"a, b"`` as ``["a", "b"]`` (blank items dropped)."""
    return [part.strip() for part in text.split(",") if part.strip()]


def _named(target: Target, reference: str, option: str) -> Section:
    reading = Reading(target)
    found = find_section(reading, parse_address(reference, _NO_OPTIONS))
    if found is None:
        raise CommandError(f"{reading.path}: {option} {reference}: no such section")
    return found


_NO_OPTIONS = argparse.Namespace(index=None, match=[])


def add_section(
    target: Target,
    name: str,
    *,
    template: bool = False,
    parents: list[str] | None = None,
    after: str | None = None,
    before: str | None = None,
    file: str | None = None,
    duplicate: bool = False,
) -> list[str]:
    """Add ``[name]`` unless it is there already as asked; return what changed.  With a
    tree, it goes to the file of ``after``/``before``, else ``file``, else the main file."""
    parents = parents or []
    existing = [s for s in target.sections_named(name) if not s.is_addition]
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
    anchors = {
        "after": None if after is None else _named(target, after, "--after"),
        "before": None if before is None else _named(target, before, "--before"),
    }
    if isinstance(target, Tree):
        if file is not None:
            try:
                target.document(file)
            except KeyError:
                raise CommandError(
                    f"--file {file}: not a file of the tree of {target.main.path} (the "
                    "files it #includes are)"
                ) from None
        section = target.add_section(
            name, template=template, parents=parents, file=file, **anchors
        )
    else:
        section = target.add_section(name, template=template, parents=parents, **anchors)
    return [f"added {section.header.raw.strip()}"]


def rename_section(
    target: Target, section: Section, new_name: str, *, references: bool = False
) -> list[str]:
    """Rename ``section`` (its ``(+)`` additions with it and, with ``references``, the
    parents that name it in this file); refused when anything else would change."""
    old = section.name
    if new_name == old:
        return []
    referrers = [
        other for other in target.sections
        if not other.is_addition and any(fold(p.strip()) == fold(old) for p in other.parents)
    ]
    if referrers and not references:
        reading = Reading(target)
        where = ", ".join(f"[{s.name}] {reading.where(s)}" for s in referrers)
        raise ConfigEditError(
            f"renaming [{old}] refused: sections inherit from it ({where}); add --references "
            "to rename it in their headers too"
        )
    target.rename_section(section, new_name, references=references)
    done = [f"renamed [{old}] to [{new_name}]"]
    if referrers:
        done.append(f"{len(referrers)} reference{'s' * (len(referrers) > 1)} renamed")
    return done


def run_rename(args: argparse.Namespace, out: TextIO) -> int:
    """``pyst-config rename-section``."""

    def edit(target: Target) -> list[str]:
        reading = Reading(target)
        section = find_section(reading, parse_address(args.section, args))
        if section is None:
            raise CommandError(f"{reading.path}: no section {args.section}")
        return rename_section(target, section, args.new_name, references=args.references)

    return run_edit(args, out, edit)


def run_add(args: argparse.Namespace, out: TextIO) -> int:
    """``pyst-config add-section``."""

    def edit(target: Target) -> list[str]:
        return add_section(
            target, args.name, template=args.template, parents=split_names(args.inherit),
            after=args.after, before=args.before, file=args.file_in_tree,
            duplicate=args.duplicate,
        )

    if args.file_in_tree is not None:
        args.tree = True  # --file names a file of the tree

    return run_edit(args, out, edit)


def run_remove(args: argparse.Namespace, out: TextIO) -> int:
    """``pyst-config remove-section``."""

    def edit(target: Target) -> list[str]:
        section = find_section(Reading(target), parse_address(args.section, args))
        if section is None:
            return []
        header = section.header.raw.strip()
        target.remove_section(section)
        return [f"removed {header}"]

    return run_edit(args, out, edit)
