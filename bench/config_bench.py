"""Benchmark: pyst.config against pyst 0.9's ``asterisk.config.Config`` on one large file.

Run: ``python bench/config_bench.py [--lines N] [--repeat R]``.  In one run it

1. builds a config of at least N lines (default 100,000) from sample-corpus sections written
   in the plain syntax pyst 0.9 accepts (``[name]`` headers, ``name = value`` lines, ``;``
   comments and blank lines), checking that pyst 0.9 reads it;
2. times loading it into our syntax tree plus the semantic view (``load(path).config()``)
   and into pyst 0.9's ``Config(path)``, best of R runs each, and prints the ratio (bar: at
   most 3x pyst 0.9's time);
3. prints our peak traced memory per input line (bar: at most 1 KB);
4. times ``import pyst.config`` plus parser construction in a fresh process (bar: 0.3 s).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from _peers import import_peer  # noqa: E402

from pyst import config  # noqa: E402
from pyst.config import Assignment, Blank, Comment  # noqa: E402

CORPORA = [
    ROOT.parent / "shared" / "corpus" / "asterisk-samples",
    ROOT / "tests" / "config" / "data" / "corpus",
]


def plain_sections(corpus: Path) -> list[str]:
    """Every section of every sample, kept only in the syntax pyst 0.9 understands."""
    chunks: list[str] = []
    for sample in sorted(corpus.rglob("*.sample")):
        document = config.parse(sample.read_bytes().decode("utf-8", "replace"))
        for section in document.sections:
            header = section.header
            if header.options_text is not None or header.trailer or ";" in header.text:
                continue
            if not header.effective.endswith("]"):
                continue
            lines = [header.text.strip() + "\n"]
            for line in section.lines:
                plain_comment = isinstance(line, Comment) and (
                    line.text.lstrip().startswith(";") and "--" not in line.text
                )
                if isinstance(line, Blank):
                    lines.append("\n")
                elif plain_comment or (
                    isinstance(line, Assignment)
                    and line.effective == line.text.strip()
                    and "\\" not in line.text
                    and not line.effective.startswith(("[", "#"))
                ):
                    lines.append(line.text.rstrip() + "\n")
            chunks.append("".join(lines))
    return chunks


def build_file(target_lines: int, folder: Path) -> tuple[Path, int]:
    """Write a file of at least ``target_lines`` lines; return it and its line count."""
    corpus = next(c for c in CORPORA if c.is_dir())
    chunks = plain_sections(corpus)
    out: list[str] = []
    count = 0
    round_number = 0
    while count < target_lines:
        for chunk in chunks:
            # Rename sections per round so names are as varied as in a real large file.
            first, _, rest = chunk.partition("\n")
            out.append(f"{first[:-1]}-{round_number}]\n{rest}")
            count += chunk.count("\n")
        round_number += 1
    path = folder / "large.conf"
    path.write_text("".join(out))
    return path, count


def best_time(function: object, repeat: int) -> float:
    """Best wall time of ``repeat`` calls (GC collected before each)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        function()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def fresh_import_time() -> float:
    """Median time to import pyst.config and build its parser in a fresh interpreter."""
    code = (
        "import time; t = time.perf_counter(); import pyst.config as c; "
        "c.parse('[a]\\nb = c\\n').config(); print(time.perf_counter() - t)"
    )
    runs = []
    for _ in range(5):
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
        )
        runs.append(float(result.stdout))
    return statistics.median(runs)


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    peer = import_peer("pyst-0.9", "pyst==0.9", "asterisk.config")
    with tempfile.TemporaryDirectory() as folder:
        path, lines = build_file(args.lines, Path(folder))
        size = path.stat().st_size
        peer.Config(str(path))  # must not raise: the file is in pyst 0.9's syntax
        ours_view = config.load(path).config()
        assert ours_view.loaded, "the benchmark file must load"
        print(f"input: {lines} lines, {size / 1e6:.1f} MB, {len(ours_view.categories)} categories")

        ours = best_time(lambda: config.load(path).config(), args.repeat)
        theirs = best_time(lambda: peer.Config(str(path)), args.repeat)
        print(f"pyst.config load + semantic view: {ours:.3f} s ({lines / ours:,.0f} lines/s)")
        print(f"pyst 0.9 asterisk.config.Config:  {theirs:.3f} s ({lines / theirs:,.0f} lines/s)")
        print(f"time ratio (ours / pyst 0.9): {ours / theirs:.2f}x   (bar: <= 3x)")

        gc.collect()
        tracemalloc.start()
        kept = config.load(path)
        kept_view = kept.config()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del kept, kept_view
        print(f"peak traced memory: {peak / lines:.0f} bytes per input line   (bar: <= 1024)")

    startup = fresh_import_time()
    print(f"import + parser construction (fresh process): {startup:.3f} s   (bar: <= 0.3 s)")


if __name__ == "__main__":
    main()
