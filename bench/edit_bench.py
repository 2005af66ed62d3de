"""Benchmark: the cost of one edit as the file grows, and a provisioning job against
configupdater.

Run: ``python bench/edit_bench.py [--ops K] [--repeat R] [--sizes 1000,10000,100000]``.
In one run it

1. generates pjsip-like files (an endpoint, an aor and an auth section per user, from
   templates) of about 1k, 10k and 100k lines, each in four variants: one file, or a main
   file whose templates come from an ``#include``d file (edited as a tree from
   ``config.load_tree``), each with or without a ``(+)`` addition in the middle;
2. times ``set`` (rewrite a value), ``add`` (a new key), ``remove`` (a key) and
   ``add_section`` (a user at the end, inheriting from a template), each on K different
   sections spread over the file, every edit checked on its own (no transaction), and
   prints the time per edit and the 100k/1k ratio per operation and variant
   (bar: at most 2x);
3. runs the whole job "load a 100,000-line pjsip.conf with one ``#include``, make 1,000
   mixed edits, save" with pyst and with configupdater (``strict=False``, installed into
   bench/.peers/configupdater) on an ini-compatible copy of the same files (headers
   without ``(...)`` options; configupdater reads ``#include`` as a comment), and prints
   both times and the ratio (bar: pyst at most 0.25x configupdater's time; aim 0.1x).

Times are **process CPU time** (``time.process_time``, so other work on a busy machine
does not count), best of R runs (the per-edit figures: best of R batches of K edits).
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from _peers import import_peer  # noqa: E402

from pyst import config  # noqa: E402

TEMPLATES = (
    "[endpoint-t](!)\ntype=endpoint\ncontext=from-internal\ndisallow=all\nallow=ulaw\n\n"
    "[aor-t](!)\ntype=aor\nmax_contacts=1\n\n"
    "[auth-t](!)\ntype=auth\nauth_type=userpass\n\n"
)
USER_LINES = 14
OPERATIONS = ("set", "add", "remove", "add_section")


def user_block(user: int, *, ini: bool = False) -> str:
    """The 14 lines of one user: endpoint, aor and auth (``ini``: no header options)."""
    endpoint, aor, auth = ("", "", "") if ini else ("(endpoint-t)", "(aor-t)", "(auth-t)")
    return (
        f"; user {user}\n[{user}]{endpoint}\nauth={user}-auth\naors={user}-aor\n"
        f'callerid="User {user}" <{user}>\nmailboxes={user}@default\n\n'
        f"[{user}-aor]{aor}\nmax_contacts=1\n\n"
        f"[{user}-auth]{auth}\nusername={user}\npassword=p{user}x\n\n"
    )


@dataclass
class Files:
    """A generated configuration: the main file's path and its users."""

    main: Path
    users: list[int]


def generate(
    folder: Path, lines: int, *, include: bool, addition: bool, ini: bool = False
) -> Files:
    """Write a pjsip-like configuration of about ``lines`` lines into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    templates = TEMPLATES
    if ini:
        templates = templates.replace("(!)", "")
    head = "[global]\ntype=global\n"
    if include:
        (folder / "templates.conf").write_text(templates)
        head += "#include templates.conf\n\n"
    else:
        head += "\n" + templates
    users = list(range(100000, 100000 + max(4, (lines - head.count("\n")) // USER_LINES)))
    blocks = [user_block(user, ini=ini) for user in users]
    if addition:
        middle = users[len(users) // 2]
        extra = f"[{middle}](+)\nset_var=ADDED=1\n\n"
        blocks.insert(len(blocks) // 2 + 1, extra.replace("(+)", "") if ini else extra)
    main = folder / "pjsip.conf"
    main.write_text(head + "".join(blocks))
    return Files(main, users)


def open_pyst(files: Files, include: bool) -> Any:
    """A document (one file) or a tree (with the ``#include``)."""
    return config.load_tree(files.main) if include else config.load(files.main)


def edit_pyst(target: Any, operation: str, user: int, serial: int) -> None:
    """One edit of ``operation`` on ``user``'s sections (or a new user ``serial``)."""
    if operation == "set":
        target[str(user)]["callerid"] = f'"Desk {user}" <{user}>'
    elif operation == "add":
        target[f"{user}-aor"].add("contact", f"sip:{user}@10.0.0.1")
    elif operation == "remove":
        target[f"{user}-auth"].remove("password")
    else:
        target.add_section(f"new{serial}", parents=["endpoint-t"])


def edit_updater(updater: Any, operation: str, user: int, serial: int) -> None:
    """The same edit with configupdater."""
    if operation == "set":
        updater[str(user)]["callerid"] = f'"Desk {user}" <{user}>'
    elif operation == "add":
        updater[f"{user}-aor"].set("contact", f"sip:{user}@10.0.0.1")
    elif operation == "remove":
        del updater[f"{user}-auth"]["password"]
    else:
        updater.add_section(f"new{serial}")
        updater[f"new{serial}"]["type"] = "endpoint"


def cpu_time(action: Callable[..., object], *arguments: object) -> float:
    """Process CPU seconds ``action`` takes (after a collection, so earlier garbage is
    not charged to it)."""
    gc.collect()
    start = time.process_time()
    action(*arguments)
    return time.process_time() - start


# -- per-edit cost --------------------------------------------------------------------------
def per_edit(folder: Path, lines: int, include: bool, addition: bool,
             ops: int, repeat: int) -> dict[str, float]:
    """Seconds per edit for each operation: best of ``repeat`` batches of ``ops`` edits,
    each batch on sections not edited before."""
    files = generate(folder, lines, include=include, addition=addition)
    target = open_pyst(files, include)
    ops = min(ops, len(files.users) // repeat)  # every edit on a section not edited yet
    pool = random.Random(lines).sample(files.users, ops * repeat)
    results: dict[str, float] = {"edits": ops}
    serial = 0
    for operation in OPERATIONS:
        best = float("inf")
        for batch in range(repeat):
            chosen = pool[batch * ops : (batch + 1) * ops]

            def run(chosen: list[int] = chosen, operation: str = operation) -> None:
                nonlocal serial
                for user in chosen:
                    serial += 1
                    edit_pyst(target, operation, user, serial)

            best = min(best, cpu_time(run) / ops)
        results[operation] = best
    return results


# -- the provisioning job -------------------------------------------------------------------
def job_edits(users: list[int], count: int) -> list[tuple[str, int, int]]:
    """``count`` mixed edits: 40% set, 20% add, 20% remove, 20% add_section, on distinct
    users spread over the file."""
    picker = random.Random(7)
    chosen = picker.sample(users, count)
    kinds = ["set", "set", "add", "remove", "add_section"]
    return [(kinds[i % len(kinds)], user, i) for i, user in enumerate(chosen)]


def job_pyst(files: Files, edits: list[tuple[str, int, int]]) -> None:
    """Load the tree, make the edits, save."""
    tree = config.load_tree(files.main)
    for operation, user, serial in edits:
        edit_pyst(tree, operation, user, serial)
        if operation == "add_section":
            tree[f"new{serial}"]["auth"] = f"new{serial}-auth"
    tree.save()


def job_updater(module: Any, files: Files, edits: list[tuple[str, int, int]]) -> None:
    """The same job with configupdater on the ini-compatible copy."""
    updater = module.ConfigUpdater(strict=False)
    updater.read(str(files.main))
    for operation, user, serial in edits:
        edit_updater(updater, operation, user, serial)
        if operation == "add_section":
            updater[f"new{serial}"]["auth"] = f"new{serial}-auth"
    updater.update_file()


def whole_job(folder: Path, lines: int, count: int, repeat: int) -> tuple[float, float]:
    """Best CPU seconds of the job for pyst and for configupdater."""
    module = import_peer("configupdater", "configupdater", "configupdater")
    best_pyst = best_updater = float("inf")
    for run in range(repeat):
        ours = generate(folder / f"pyst{run}", lines, include=True, addition=False)
        theirs = generate(folder / f"ini{run}", lines, include=True, addition=False, ini=True)
        edits = job_edits(ours.users, count)
        best_pyst = min(best_pyst, cpu_time(job_pyst, ours, edits))
        best_updater = min(best_updater, cpu_time(job_updater, module, theirs, edits))
        check_same_edits(ours, theirs, edits)
    return best_pyst, best_updater


def check_same_edits(ours: Files, theirs: Files, edits: list[tuple[str, int, int]]) -> None:
    """Both tools made the edits (spot check of each kind on the saved files)."""
    view = config.read(ours.main)
    updater = import_peer("configupdater", "configupdater", "configupdater").ConfigUpdater(
        strict=False
    )
    updater.read(str(theirs.main))
    for operation, user, serial in edits[:5]:
        if operation == "set":
            assert view[str(user)].get("callerid") == f'"Desk {user}" <{user}>'
            assert updater[str(user)]["callerid"].value == f'"Desk {user}" <{user}>'
        elif operation == "add":
            assert view[f"{user}-aor"].get("contact") == f"sip:{user}@10.0.0.1"
            assert updater[f"{user}-aor"]["contact"].value == f"sip:{user}@10.0.0.1"
        elif operation == "remove":
            assert view[f"{user}-auth"].get("password") is None
            assert "password" not in updater[f"{user}-auth"]
        else:
            assert view[f"new{serial}"].get("type") == "endpoint"
            assert updater[f"new{serial}"]["type"].value == "endpoint"


def main() -> int:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=100, help="edits per batch (100)")
    parser.add_argument("--repeat", type=int, default=3, help="batches / job runs (3)")
    parser.add_argument("--sizes", default="1000,10000,100000", help="file sizes in lines")
    parser.add_argument("--job-lines", type=int, default=100_000)
    parser.add_argument("--job-edits", type=int, default=1000)
    parser.add_argument("--job-repeat", type=int, default=2, help="job runs, best of (2)")
    parser.add_argument("--skip-job", action="store_true")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]

    print("Process CPU time per edit (us), best of "
          f"{options.repeat} batches of {options.ops} edits, each edit checked on its own")
    header = f"{'operation':<12} {'variant':<18}" + "".join(
        f"{size // 1000:>8}k" for size in sizes) + f"{'ratio':>8}"
    print(header)
    print("-" * len(header))
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="pyst-edit-bench-") as temp:
        folder = Path(temp)
        table: dict[tuple[bool, bool], dict[int, dict[str, float]]] = {}
        for include in (False, True):
            for addition in (False, True):
                table[include, addition] = {
                    size: per_edit(folder / f"{size}-{include}-{addition}", size, include,
                                   addition, options.ops, options.repeat)
                    for size in sizes
                }
        for operation in OPERATIONS:
            for (include, addition), by_size in table.items():
                variant = ("tree+#include" if include else "one file") + (
                    " +(+)" if addition else "")
                figures = [by_size[size][operation] for size in sizes]
                ratio = figures[-1] / figures[0]
                worst = max(worst, ratio)
                print(f"{operation:<12} {variant:<18}" + "".join(
                    f"{figure * 1e6:>9.0f}" for figure in figures) + f"{ratio:>7.2f}x")
        edits = {size: int(by_size[size]["edits"]) for size in sizes}
        print(f"worst {sizes[-1] // 1000}k/{sizes[0] // 1000}k ratio: {worst:.2f}x (bar: <= 2x); "
              "edits per batch: " + ", ".join(f"{s // 1000}k: {n}" for s, n in edits.items()))

        if not options.skip_job:
            ours, theirs = whole_job(
                folder / "job", options.job_lines, options.job_edits, options.job_repeat)
            print()
            print(f"Job: load a {options.job_lines:,}-line pjsip.conf with one #include, "
                  f"{options.job_edits:,} mixed edits, save (process CPU s, best of "
                  f"{options.job_repeat})")
            print(f"  pyst          {ours:8.2f} s")
            print(f"  configupdater {theirs:8.2f} s  (strict=False, ini-compatible copy)")
            print(f"  ratio         {ours / theirs:8.3f}x  (bar: <= 0.25x, aim 0.1x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
