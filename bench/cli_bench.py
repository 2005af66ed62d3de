"""Benchmark: ``pyst-config set`` against ``crudini --set``, each as a fresh process.

Run: ``python bench/cli_bench.py [--lines N] [--repeat R]``.  In one run it

1. writes a pjsip-style config of at least N lines (default 10,000): endpoints inheriting
   from a template, comments, blank lines; and an ini-compatible copy for crudini (the
   same sections and keys, without the ``(template)`` part crudini does not know);
2. installs crudini into ``bench/.peers/crudini`` (``pip install --target``) if needed;
3. times R runs (default 7) of ``pyst-config set FILE SECTION callerid VALUE`` and of
   ``crudini --set FILE SECTION callerid VALUE`` on the copy, each a new Python process
   that changes one value in the middle of the file (a new value each run, so every run
   writes); the two tools' runs interleave (a busy machine slows both alike), after one
   untimed warm-up run each (both then run from cached byte-code, as installed programs
   do); prints the median of each and the ratio (aim: pyst faster than crudini).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CRUDINI = HERE / ".peers" / "crudini"
KEY = "callerid"  # each section has its own line: both tools rewrite it in place


def ensure_crudini() -> Path:
    """The crudini script, installed (with iniparse) into bench/.peers/crudini."""
    script = CRUDINI / "bin" / "crudini"
    if not script.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(CRUDINI),
             "crudini"],
            check=True,
        )
    return script


def write_configs(folder: Path, lines: int) -> tuple[Path, Path, str]:
    """The Asterisk file, its ini-compatible copy, and a section in the middle."""
    head = [
        "; pjsip endpoints, generated for bench/cli_bench.py",
        "[endpoint-tpl](!)",
        "type = endpoint",
        "context = from-phones",
        "disallow = all",
        "",
    ]
    asterisk, ini = list(head), [line.replace("(!)", "") for line in head]
    number = 0
    while len(asterisk) < lines:
        name = str(100000 + number)
        block = [
            f"; phone {number}",
            f"[{name}]" + "{parents}",
            f"auth = {name}",
            f"aors = {name}",
            "allow = ulaw",
            f"callerid = Phone {number} <{name}>",
            "",
        ]
        asterisk += [line.replace("{parents}", "(endpoint-tpl)") for line in block]
        ini += [line.replace("{parents}", "") for line in block]
        number += 1
    middle = str(100000 + number // 2)
    conf, copy = folder / "pjsip.conf", folder / "pjsip.ini"
    conf.write_text("\n".join(asterisk) + "\n")
    copy.write_text("\n".join(ini) + "\n")
    return conf, copy, middle


def time_runs(commands: list[list[str]], env: dict[str, str]) -> list[float]:
    """Wall time of each command, run one after the other."""
    times = []
    for command in commands:
        start = time.perf_counter()
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    crudini = ensure_crudini()
    with tempfile.TemporaryDirectory() as folder:
        conf, copy, section = write_configs(Path(folder), args.lines)
        # Both as installed programs run: byte-code cached (one untimed warm-up run each).
        base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        pyst_env = {**base, "PYTHONPATH": str(ROOT)}
        crudini_env = {**base, "PYTHONPATH": str(CRUDINI)}
        values = [f"Desk {i} <{section}>" for i in range(args.repeat + 1)]
        pyst_commands = [
            [sys.executable, "-m", "pyst.cli", "set", "-q", str(conf), section, KEY, v]
            for v in values
        ]
        crudini_commands = [
            [sys.executable, str(crudini), "--set", str(copy), section, KEY, v] for v in values
        ]
        # Interleaved, so that a busy machine slows both alike.
        pyst_times, crudini_times = [], []
        for ours_command, theirs_command in zip(pyst_commands, crudini_commands, strict=True):
            pyst_times += time_runs([ours_command], pyst_env)
            crudini_times += time_runs([theirs_command], crudini_env)
        pyst_times, crudini_times = pyst_times[1:], crudini_times[1:]
        changed = f"{KEY} = {values[-1]}"
        assert changed in conf.read_text(), "pyst-config did not write the value"
        assert changed in copy.read_text(), "crudini did not write the value"
        lines = len(conf.read_text().splitlines())
    ours, theirs = statistics.median(pyst_times), statistics.median(crudini_times)
    print(f"file: {lines} lines, set [{section}] {KEY}, {args.repeat} fresh processes each")
    print(f"{'pyst-config set':<18} {ours * 1000:8.1f} ms (median)")
    print(f"{'crudini --set':<18} {theirs * 1000:8.1f} ms (median)")
    print(f"ratio pyst/crudini: {ours / theirs:.2f}x ({'faster' if ours < theirs else 'slower'})")


if __name__ == "__main__":
    main()
