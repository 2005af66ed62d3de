"""Benchmark: ``pyst-config lint`` against ``pyst-config show --json`` over the sample corpus.

Run: ``python bench/lint_bench.py [--repeat R]``.  In one process it runs both commands
over every sample config (the 444 of ../shared/corpus/asterisk-samples, or the bundled
subset of tests/config/data/corpus when ../shared is absent), best of R runs each, and
prints files/s, lines/s and the ratio lint / show (bar: at most 1.5).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from pyst import config  # noqa: E402
from pyst.cli import main  # noqa: E402

CORPORA = [
    ROOT.parent / "shared" / "corpus" / "asterisk-samples",
    ROOT / "tests" / "config" / "data" / "corpus",
]


def samples() -> tuple[Path, list[str]]:
    """The corpus folder used and its sample files."""
    for root in CORPORA:
        if root.is_dir():
            files = sorted(
                str(p) for p in root.rglob("*")
                if p.is_file() and not p.name.endswith((".getconfig.txt", ".log", ".md"))
            )
            return root, files
    raise SystemExit("no sample corpus found")


def best_of(repeat: int, argv: list[str]) -> float:
    """The fastest of ``repeat`` in-process runs of ``pyst-config ARGV``."""
    times = []
    for _ in range(repeat):
        sink = io.StringIO()
        start = time.perf_counter()
        with redirect_stdout(sink):
            main(argv)
        times.append(time.perf_counter() - start)
    return min(times)


def run() -> None:
    """Time both commands and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    root, files = samples()
    lines = sum(Path(f).read_bytes().count(b"\n") for f in files)
    best_of(1, ["lint", "--isolated", *files])  # warm-up: imports, schema, grammar
    show = best_of(args.repeat, ["show", "--json", *files])
    lint = best_of(args.repeat, ["lint", "--isolated", *files])
    print(f"corpus: {root} ({len(files)} files, {lines} lines), best of {args.repeat}")
    for name, seconds in (("show --json", show), ("lint", lint)):
        print(f"{name:12} {seconds:7.3f} s  {len(files) / seconds:8.0f} files/s  "
              f"{lines / seconds:10.0f} lines/s")
    ratio = lint / show
    print(f"ratio lint / show --json: {ratio:.2f} (bar: at most 1.5) "
          f"{'OK' if ratio <= 1.5 else 'OVER'}")
    # For scale: the loader alone, without any output (show spends much of its time
    # writing JSON).
    read = min(_time(lambda: [config.read(f) for f in files]) for _ in range(args.repeat))
    print(f"for scale: pyst.config.read alone {read:.3f} s; lint / read: {lint / read:.2f}")


def _time(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


if __name__ == "__main__":
    run()
