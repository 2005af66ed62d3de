"""Benchmark: the dialplan view of a large extensions.conf against pyst.config loading it.

Run: ``python bench/dialplan_bench.py [--lines N] [--repeat R]``.  It

1. writes an extensions.conf of at least N lines (default 50,000) from the bundled
   Asterisk 22 sample (tests/dialplan/data/sample-22) and the bundled edge cases, each
   copy's contexts renamed so they stay separate contexts;
2. times ``pyst.config.read(path)`` (the config loader's view) and
   ``pyst.dialplan.load_dialplan(path)`` (the same load plus pbx_config's dialplan),
   best CPU time of R interleaved runs each, and prints the ratio (bar: at most 2x
   pyst.config's time).
"""

from __future__ import annotations

import argparse
import gc
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from pyst import config  # noqa: E402
from pyst.dialplan import load_dialplan  # noqa: E402

DATA = ROOT / "tests" / "dialplan" / "data"
_HEADER = re.compile(r"^\[([^\]]+)\]", re.M)
_INCLUDE = re.compile(r"^(\s*include\s*=>?\s*)([^\s,|;]+)", re.M | re.I)


def sources() -> list[str]:
    """Dialplan texts to copy: the Asterisk 22 sample and the bundled edge-case file."""
    return [(DATA / "sample-22" / "extensions.conf").read_text(errors="replace"),
            (DATA / "dialplan" / "extensions.conf").read_text(errors="replace")]


def _renamed(text: str, copy: int) -> str:
    """``text`` with its contexts (and includes of them) renamed for this copy."""
    def header(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.lower() in ("general", "globals"):
            return match.group(0)
        return f"[{name}-{copy}]"

    text = _HEADER.sub(header, text)
    return _INCLUDE.sub(lambda m: f"{m.group(1)}{m.group(2)}-{copy}", text)


def build_file(target: Path, lines: int) -> int:
    """Write at least ``lines`` lines; return how many were written."""
    parts: list[str] = []
    count = 0
    copy = 0
    while count < lines:
        for index, text in enumerate(sources()):
            renamed = _renamed(text, copy * 2 + index)
            if not renamed.endswith("\n"):
                renamed += "\n"
            parts.append(renamed)
            count += renamed.count("\n")
        copy += 1
    target.write_text("".join(parts))
    return count


def best_of(runs: list[Callable[[], object]], repeat: int) -> list[float]:
    """The best CPU time of each run over ``repeat`` rounds, the runs interleaved in
    each round (so both see the same machine load; CPU time, not wall time, so other
    processes on a busy machine do not count)."""
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(repeat):
        for index, run in enumerate(runs):
            gc.collect()
            start = time.process_time()
            run()
            times[index].append(time.process_time() - start)
    return [min(each) for each in times]


def main() -> int:
    """Run the benchmark and print the ratio; exit 1 if the bar is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "extensions.conf"
        written = build_file(path, args.lines)
        dialplan = load_dialplan(path)
        contexts = len(dialplan.contexts)
        priorities = sum(len(e.priorities) for c in dialplan.contexts for e in c.extensions)
        config_time, dialplan_time = best_of(
            [lambda: config.read(path), lambda: load_dialplan(path)], args.repeat
        )
    ratio = dialplan_time / config_time
    print(f"{written} lines, {contexts} contexts, {priorities} priorities")
    print(f"pyst.config.read:          {config_time * 1000:8.1f} ms")
    print(f"pyst.dialplan.load_dialplan: {dialplan_time * 1000:8.1f} ms")
    print(f"ratio dialplan / config:   {ratio:8.2f}x (bar: at most 2x)")
    return 0 if ratio <= 2.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
