"""Provision PJSIP endpoints into a pjsip.conf split across ``#include`` files.

Each endpoint gets three sections in ``users.conf``::

    [6001](endpoint-template)   ; type=endpoint and the rest come from the template
    auth = 6001-auth
    aors = 6001
    callerid = "User 6001" <6001>

    [6001](aor-template)
    mailboxes = 6001@default

    [6001-auth](auth-template)
    username = 6001
    password = <random>

The main ``pjsip.conf`` (a copy of Asterisk's ``pjsip.conf.sample`` with a transport and
two ``#include`` lines) and ``templates.conf`` are left untouched.  All edits happen in
one transaction: if any is refused, none is kept.  The diff of the pending changes is
printed (passwords masked); files are written only with ``--save``.

Run::

    python examples/provision_pjsip.py --count 1000            # into a fresh temp folder
    python examples/provision_pjsip.py --confdir /tmp/ast --count 20 --save

A ``--confdir`` without a ``pjsip.conf`` is first set up from the bundled sample.
"""

from __future__ import annotations

import argparse
import re
import secrets
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a clone without installing

from pyst import config  # noqa: E402

SAMPLE = HERE / "pjsip" / "pjsip.conf.sample"

MAIN_TAIL = """
; ---- live configuration --------------------------------------------------------
[transport-udp]
type=transport
protocol=udp
bind=0.0.0.0

#include templates.conf
#include users.conf
"""

TEMPLATES = """; Templates the provisioned users inherit from.

[endpoint-template](!)
type=endpoint
context=from-internal
disallow=all
allow=ulaw
allow=alaw
direct_media=no

[aor-template](!)
type=aor
max_contacts=1
remove_existing=yes

[auth-template](!)
type=auth
auth_type=userpass
"""

USERS = """; Users, written by examples/provision_pjsip.py.

[6000](endpoint-template)
auth=6000-auth
aors=6000

[6000](aor-template)

[6000-auth](auth-template)
username=6000
password=change-me
"""

_PASSWORD_LINE = re.compile(r"^([+ ]\s*password\s*=\s*)\S.*$", re.MULTILINE)


def set_up(confdir: Path) -> None:
    """Write pjsip.conf (the sample plus a transport and two includes), templates.conf
    and users.conf into ``confdir``."""
    confdir.mkdir(parents=True, exist_ok=True)
    (confdir / "pjsip.conf").write_bytes(SAMPLE.read_bytes() + MAIN_TAIL.encode())
    (confdir / "templates.conf").write_text(TEMPLATES)
    (confdir / "users.conf").write_text(USERS)


def provision(tree: config.Tree, users: Path, first: int, count: int) -> None:
    """Add ``count`` endpoints numbered from ``first`` to ``users``, in one transaction."""
    with tree.transaction():
        for number in range(first, first + count):
            user = str(number)
            endpoint = tree.add_section(user, parents=["endpoint-template"], file=users)
            endpoint["auth"] = f"{user}-auth"
            endpoint["aors"] = user
            endpoint["callerid"] = f'"User {user}" <{user}>'
            aor = tree.add_section(user, parents=["aor-template"], file=users)
            aor["mailboxes"] = f"{user}@default"
            auth = tree.add_section(f"{user}-auth", parents=["auth-template"], file=users)
            auth["username"] = user
            auth["password"] = secrets.token_urlsafe(12)


def existing(tree: config.Tree, first: int, count: int) -> list[str]:
    """The section names the new endpoints would use that the tree has already."""
    names = (name for n in range(first, first + count) for name in (str(n), f"{n}-auth"))
    return [name for name in names if name in tree]


def masked(diff: str) -> str:
    """``diff`` with every password value replaced by asterisks."""
    return _PASSWORD_LINE.sub(r"\1********", diff)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="endpoints to add (1000)")
    parser.add_argument("--first", type=int, default=6001, help="first extension (6001)")
    parser.add_argument(
        "--confdir", type=Path, default=None,
        help="folder with pjsip.conf, templates.conf, users.conf (set up from the bundled "
        "sample if it has no pjsip.conf; default: a new temporary folder)",
    )
    parser.add_argument("--main", default="pjsip.conf", help="main file in --confdir")
    parser.add_argument("--users", default="users.conf", help="file new users go to")
    parser.add_argument("--diff-lines", type=int, default=40,
                        help="diff lines to print (-1: all)")
    parser.add_argument("--save", action="store_true", help="write the changed files")
    options = parser.parse_args(argv)
    if options.count < 0:
        parser.error("--count must be 0 or more")

    confdir = options.confdir or Path(tempfile.mkdtemp(prefix="pyst-pjsip-"))
    if not (confdir / options.main).exists():
        set_up(confdir)
        print(f"set up {confdir} from {SAMPLE.name}")
    started = time.perf_counter()
    tree = config.load_tree(confdir / options.main)
    loaded = time.perf_counter()
    taken = existing(tree, options.first, options.count)
    if taken:
        print(f"nothing provisioned: [{taken[0]}] exists already (of {len(taken)} names); "
              "pick another --first", file=sys.stderr)
        return 1
    try:
        provision(tree, confdir / options.users, options.first, options.count)
    except config.ConfigEditError as error:
        print(f"nothing provisioned: {error}", file=sys.stderr)
        return 1
    edited = time.perf_counter()

    diff = masked(tree.diff())
    lines = diff.splitlines()
    added = sum(1 for line in lines if line.startswith("+") and not line.startswith("+++"))
    shown = lines if options.diff_lines < 0 else lines[: options.diff_lines]
    print("\n".join(shown))
    if len(shown) < len(lines):
        print(f"... ({len(lines) - len(shown)} more diff lines)")
    changed = [Path(d.path).name for d in tree.changed if d.path is not None]
    print(
        f"{options.count} endpoints, {added} lines added to {', '.join(changed) or 'nothing'}; "
        f"load {loaded - started:.2f} s, edits {edited - loaded:.2f} s"
    )
    if options.save:
        written = tree.save()
        print("saved " + ", ".join(written))
    else:
        print("not saved (pass --save)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
