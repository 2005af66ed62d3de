"""pyst.agi benchmarks, one run, figures printed:

1. reply-parsing throughput against panoramisk 1.4 and pyst 0.9 (installed from PyPI into
   bench/.peers/, imported from there), on the reply lines of the real Asterisk captures;
2. 1,000 concurrent FastAGI sessions of 20 commands each against the asyncio server on
   loopback: sessions/s, p50/p99 command latency, errors.

Run: ``python bench/agi_bench.py`` (``--sessions``/``--commands`` to change the load).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import multiprocessing
import queue
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _peers import import_peer

from pyst.agi import AGIError, AsyncAGI, FastAGIServer, ReplyParser, parse_line

ROOT = Path(__file__).resolve().parents[1]
CAPTURES = ROOT / "tests" / "agi" / "data"


def reply_corpus() -> list[str]:
    """Every single-line ``200`` reply Asterisk sent in the 12 captured AGI runs."""
    lines: list[str] = []
    for path in sorted(CAPTURES.glob("*.from_ast")):
        body = path.read_bytes().decode().split("\n\n", 1)[1]
        lines.extend(line for line in body.split("\n") if line.startswith("200 "))
    return lines


def best_rates(contenders: dict[str, Callable[[], int]], repeat: int = 7) -> dict[str, float]:
    """Replies per second of each contender's fastest run.

    Runs are interleaved (A, B, C, A, B, C, ...) so that load from other processes on the
    machine hits every contender alike.
    """
    rates: dict[str, float] = dict.fromkeys(contenders, 0.0)
    for _ in range(repeat):
        for name, run in contenders.items():
            start = time.perf_counter()
            count = run()
            rates[name] = max(rates[name], count / (time.perf_counter() - start))
    return rates


def bench_parsers(rounds: int) -> None:
    lines = reply_corpus()
    text = "".join(line + "\n" for line in lines) * rounds
    data = text.encode()
    total = len(lines) * rounds
    print(f"reply corpus: {len(lines)} distinct-position replies x {rounds} = {total} replies")

    def ours_stream() -> int:
        parser = ReplyParser()
        parser.feed(data)
        count = 0
        next_reply = parser.next_reply
        while next_reply() is not None:
            count += 1
        return count

    def ours_lines() -> int:
        for line in text.split("\n")[:-1]:
            parse_line(line)
        return total

    panoramisk = import_peer("panoramisk", "panoramisk==1.4", "panoramisk.utils")

    def panoramisk_lines() -> int:
        parse = panoramisk.parse_agi_result
        for line in text.split("\n")[:-1]:
            parse(line)
        return total

    pyst09 = import_peer("pyst09", "pyst==0.9", "asterisk.agi")

    def pyst09_stream() -> int:
        agi = object.__new__(pyst09.AGI)  # skip __init__: it reads the real stdin
        agi.stdin = io.StringIO(text)
        agi.stderr = io.StringIO()
        for _ in range(total):
            with contextlib.suppress(pyst09.AGIException):
                agi.get_result()
            agi.stderr.seek(0)
            agi.stderr.truncate()
        return total

    rates = best_rates(
        {
            "pyst.agi ReplyParser (bytes stream)": ours_stream,
            "pyst.agi parse_line (pre-split lines)": ours_lines,
            "panoramisk 1.4 parse_agi_result (lines)": panoramisk_lines,
            "pyst 0.9 AGI.get_result (stream)": pyst09_stream,
        }
    )
    for name, rate in rates.items():
        print(f"  {name:42s} {rate / 1e3:10.1f} k replies/s")
    ours = rates["pyst.agi ReplyParser (bytes stream)"]
    pan = rates["panoramisk 1.4 parse_agi_result (lines)"]
    old = rates["pyst 0.9 AGI.get_result (stream)"]
    fastest = max(pan, old)
    print(f"  ratio vs panoramisk 1.4: {ours / pan:.2f}x   vs pyst 0.9: {ours / old:.2f}x")
    verdict = "PASS" if ours >= 1.5 * fastest else "FAIL"
    print(f"  bar: >= 1.5x the fastest peer -> {ours / fastest:.2f}x {verdict}")


# --------------------------------------------------------------------------- FastAGI load

_CANNED = {
    b"ANSWER": b"200 result=0\n",
    b"GET VARIABLE": b"200 result=1 (some value)\n",
    b"SET VARIABLE": b"200 result=1\n",
    b"STREAM FILE": b"200 result=0 endpos=8227\n",
    b"WAIT FOR DIGIT": b"200 result=53\n",
    b"DATABASE GET": b"200 result=1 (value with spaces)\n",
    b"VERBOSE": b"200 result=1\n",
    b"GOSUB": b"100 result=0 Trying...\n200 result=0 Gosub complete\n",
}


async def fake_asterisk(port: int, index: int, errors: list[str]) -> None:
    """One Asterisk-side FastAGI connection answering canned replies."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"agi_network: yes\nagi_network_script: load?n={index}\n"
            f"agi_channel: PJSIP/load-{index}\nagi_uniqueid: {index}\n\n".encode()
        )
        while line := await reader.readline():
            key = b" ".join(line.split()[:2])
            reply = _CANNED.get(key) or _CANNED.get(line.split()[0], b"200 result=0\n")
            writer.write(reply)
        writer.close()
    except OSError as error:
        errors.append(f"client {index}: {error!r}")


def _client_process(port: int, sessions: int, results: multiprocessing.Queue[list[str]]) -> None:
    """Child process playing Asterisk: opens every session at once."""

    async def run() -> list[str]:
        errors: list[str] = []
        await asyncio.gather(*(fake_asterisk(port, i, errors) for i in range(sessions)))
        return errors

    results.put(asyncio.run(run()))


async def load_test(sessions: int, commands: int) -> None:
    latencies: list[float] = []
    errors: list[str] = []
    perf = time.perf_counter
    window = [float("inf"), 0.0]  # first session start, last session end

    async def handler(agi: AsyncAGI) -> None:
        window[0] = min(window[0], perf())
        await agi.answer()
        steps = [
            lambda: agi.get_variable("CALLERID(num)"),
            lambda: agi.set_variable("STEP", "1"),
            lambda: agi.stream_file("hello-world", "#"),
            lambda: agi.wait_for_digit(1000),
            lambda: agi.database_get("cache", "key"),
            lambda: agi.verbose("load"),
            lambda: agi.gosub("sub", "s", 1),
        ]
        for number in range(commands - 1):
            start = perf()
            try:
                await steps[number % len(steps)]()
            except AGIError as error:
                errors.append(repr(error))
            latencies.append(perf() - start)
        window[1] = max(window[1], perf())

    server = FastAGIServer(handler, port=0, max_sessions=sessions, backlog=sessions)
    await server.start()
    # Asterisk is another process in real life: the simulated callers run in a child
    # process, so client and server each get a core.
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[list[str]] = context.Queue()
    child = context.Process(target=_client_process, args=(server.port, sessions, results))
    child.start()
    loop = asyncio.get_running_loop()
    try:
        errors.extend(await loop.run_in_executor(None, results.get, True, 600))
    except queue.Empty:
        errors.append(f"client process gave no result (exit code {child.exitcode})")
    await loop.run_in_executor(None, child.join, 10)
    while server.stats.active:
        await asyncio.sleep(0.001)
    await server.close()
    elapsed = window[1] - window[0]
    stats = server.stats
    errors.extend(
        f"{name}={getattr(stats, name)}"
        for name in ("failed", "timed_out", "rejected", "unrouted", "hung_up")
        if getattr(stats, name)
    )
    if stats.completed != sessions:
        errors.append(f"completed {stats.completed} of {sessions} sessions")
    if len(latencies) != sessions * (commands - 1):
        errors.append(f"{len(latencies)} timed commands, expected {sessions * (commands - 1)}")
    quantiles = statistics.quantiles(latencies, n=100)
    print(f"FastAGI load: {sessions} concurrent sessions x {commands} commands on loopback")
    print(
        f"  {sessions / elapsed:,.0f} sessions/s, {sessions * commands / elapsed:,.0f} commands/s"
    )
    print(f"  command latency p50 {quantiles[49] * 1e3:.2f} ms, p99 {quantiles[98] * 1e3:.2f} ms")
    verdict = "PASS" if not errors else "FAIL"
    print(f"  errors: {len(errors)} {errors[:5] if errors else ''} {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="corpus repetitions")
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--commands", type=int, default=20)
    args = parser.parse_args()
    bench_parsers(args.rounds)
    asyncio.run(load_test(args.sessions, args.commands))
    print("baseline without contention:")
    asyncio.run(load_test(1, 500))


if __name__ == "__main__":
    main()
