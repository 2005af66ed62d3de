"""Decoder benchmark: pyst.manager vs panoramisk 1.4 vs asterisk-ami on one event stream.

Builds 20,000 realistic AMI events (14-16 headers each, CRLF, some UTF-8), cuts the stream
into 64 KiB chunks and lets each library's own receive path parse it: pyst's ``Decoder``,
panoramisk's ``AMIProtocol.data_received`` and asterisk-ami's ``AMIClient.listen`` (fed by a
fake socket). Every parser must yield all 20,000 events with the same ``Uniqueid`` values.

Two consumers are measured. The first reads each event's name and one header: what an
application that dispatches by event name pays. pyst splits headers into pairs only on
first use (a lookup scans the raw bytes), while the peers always build a full dict, so this
table shows the benefit of that design; its bar is 2x the fastest peer. The second consumer
reads every header of every event into a dict (``event.as_dict()``; the peers'
``dict(message.items())`` and ``dict(event.keys.items())``), what an event logger or a CDR
collector does, which forces pyst to split everything too (it splits all events of one read
at once); its bar is 1.3x the fastest peer.

Times are CPU time of this process (``time.process_time``), best of the rounds, so other
load on the machine does not skew the ratios; every parser runs in this one thread.
Peers are installed on first use into bench/.peers/ (see bench/_peers.py).

Run: ``python bench/ami_bench.py [--events N] [--rounds R]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _peers import import_peer

from pyst.manager import Decoder, Event

CHUNK = 64 * 1024
GREETING = b"Asterisk Call Manager/11.0.0\r\n"
_COMMON = (
    "Channel",
    "ChannelState",
    "ChannelStateDesc",
    "CallerIDNum",
    "CallerIDName",
    "ConnectedLineNum",
    "ConnectedLineName",
    "Language",
    "AccountCode",
    "Context",
    "Exten",
    "Priority",
    "Uniqueid",
    "Linkedid",
)


def build_stream(count: int, seed: int = 4) -> tuple[bytes, list[str]]:
    """Return the byte stream (greeting first) and the Uniqueid of every event in order."""
    rng = random.Random(seed)
    names = ["Jörg Müller", "Zoë", "Alice", "<unknown>", "Ærøskøbing Desk"]
    parts = [GREETING]
    uniqueids: list[str] = []
    for number in range(count):
        uniqueid = f"1795737{number // 1000:03d}.{number}"
        uniqueids.append(uniqueid)
        values = {
            "Channel": f"PJSIP/{rng.randint(100, 999)}-{number:08x}",
            "ChannelState": "6",
            "ChannelStateDesc": "Up",
            "CallerIDNum": str(rng.randint(2000, 2999)),
            "CallerIDName": rng.choice(names),
            "ConnectedLineNum": "<unknown>",
            "ConnectedLineName": "<unknown>",
            "Language": "en",
            "AccountCode": "",
            "Context": "from-internal",
            "Exten": str(rng.randint(100, 999)),
            "Priority": str(rng.randint(1, 9)),
            "Uniqueid": uniqueid,
            "Linkedid": uniqueid,
        }
        kind = number % 3
        if kind == 0:
            lines = ["Event: Newchannel", "Privilege: call,all"]
            lines += [f"{name}: {values[name]}" for name in _COMMON]  # 16 headers
        elif kind == 1:
            lines = ["Event: VarSet", "Privilege: dialplan,all"]
            lines += [f"{name}: {values[name]}" for name in _COMMON[:10]]
            lines += ["Uniqueid: " + uniqueid, "Variable: BRIDGEPEER", "Value: PJSIP/200"]
            # 15 headers
        else:
            lines = ["Event: Hangup", "Privilege: call,all"]
            lines += [f"{name}: {values[name]}" for name in _COMMON[:8]]
            lines += ["Uniqueid: " + uniqueid, "Linkedid: " + uniqueid]
            lines += ["Cause: 16", "Cause-txt: Normal Clearing"]  # 14 headers
        parts.append(("\r\n".join(lines) + "\r\n\r\n").encode())
    return b"".join(parts), uniqueids


def chunks_of(stream: bytes) -> list[bytes]:
    """Cut the stream into 64 KiB chunks (UTF-8 characters and headers get split)."""
    return [stream[i : i + CHUNK] for i in range(0, len(stream), CHUNK)]


def run_pyst(chunks: list[bytes]) -> list[str]:
    """Parse with pyst.manager's sans-IO Decoder; read the name and one header."""
    seen: list[str] = []
    decoder = Decoder()
    for chunk in chunks:
        for message in decoder.feed(chunk):
            if isinstance(message, Event) and message.name:
                seen.append(message["Uniqueid"])
    return seen


def run_pyst_all_headers(chunks: list[bytes]) -> list[str]:
    """Parse with pyst.manager's Decoder and read every header of every event into a dict."""
    seen: list[str] = []
    decoder = Decoder()
    for chunk in chunks:
        for message in decoder.feed(chunk):
            if isinstance(message, Event) and message.name:
                headers = message.as_dict()
                seen.append(headers["Uniqueid"])
    return seen


def make_panoramisk() -> Callable[..., list[str]]:
    """Return a runner for panoramisk 1.4's AMIProtocol.data_received."""
    module = import_peer("panoramisk", "panoramisk==1.4", "panoramisk.ami_protocol")

    class Collector(module.AMIProtocol):  # type: ignore[misc,name-defined]
        def handle_message(self, message: Any) -> None:
            if message.get("Event"):
                if self.all_headers:
                    message = dict(message.items())
                self.seen.append(message["Uniqueid"])

    def run(chunks: list[bytes], all_headers: bool = False) -> list[str]:
        protocol = Collector()
        protocol.connection_made(None)
        protocol.encoding = "utf8"  # what panoramisk's Manager sets
        protocol.seen = []
        protocol.all_headers = all_headers
        for chunk in chunks:
            protocol.data_received(chunk)
        return protocol.seen  # type: ignore[no-any-return]

    return run


def make_asterisk_ami() -> Callable[..., list[str]]:
    """Return a runner for asterisk-ami's AMIClient.listen over a fake socket."""
    module = import_peer("asterisk-ami", "asterisk-ami==0.1.7", "asterisk.ami.client")

    class FakeSocket:
        def __init__(self, chunks: list[bytes]) -> None:
            self.pending = deque(chunks)

        def recv(self, size: int) -> bytes:
            return self.pending.popleft() if self.pending else b""

        def close(self) -> None:
            pass

    class Collector(module.AMIClient):  # type: ignore[misc,name-defined]
        def fire_recv_event(self, event: Any) -> None:
            if event.name:
                keys = dict(event.keys.items()) if self.all_headers else event
                self.seen.append(keys["Uniqueid"])

    def run(chunks: list[bytes], all_headers: bool = False) -> list[str]:
        client = Collector(buffer_size=CHUNK)
        client.seen = []
        client.all_headers = all_headers
        client._socket = FakeSocket(chunks)
        client.finished = threading.Event()
        client.listen()
        return client.seen  # type: ignore[no-any-return]

    return run


def measure(
    runners: dict[str, Callable[[list[bytes]], list[str]]],
    chunks: list[bytes],
    rounds: int,
    expected: list[str],
) -> dict[str, float]:
    """Best events/s (CPU time) of each runner over ``rounds`` interleaved rounds, after
    checking each parse is complete and correct."""
    best = dict.fromkeys(runners, float("inf"))
    for _ in range(rounds):
        for name, run in runners.items():
            started = time.process_time()
            seen = run(chunks)
            best[name] = min(best[name], time.process_time() - started)
            if seen != expected:
                raise SystemExit(
                    f"{name}: parsed {len(seen)} events, not the expected "
                    f"{len(expected)} (or different values)"
                )
    return {name: len(expected) / seconds for name, seconds in best.items()}


def report(title: str, results: dict[str, float], bar: float) -> None:
    """Print events/s per parser, our ratio to each peer and whether ``bar`` is met."""
    print(title)
    for name, rate in results.items():
        print(f"  {name:20} {rate:12,.0f} events/s")
    ours = results["pyst.manager"]
    peers = {name: rate for name, rate in results.items() if name != "pyst.manager"}
    for name, rate in peers.items():
        print(f"  pyst.manager / {name}: {ours / rate:.2f}x")
    fastest = max(peers.values())
    verdict = "meets" if ours >= bar * fastest else "MISSES"
    print(f"  vs fastest peer: {ours / fastest:.2f}x ({verdict} the {bar:g}x bar)")


def main() -> None:
    """Run every parser on the same stream and print events/s and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    stream, expected = build_stream(args.events)
    chunks = chunks_of(stream)
    panoramisk, asterisk_ami = make_panoramisk(), make_asterisk_ami()
    print(
        f"{args.events} events, {len(stream)} bytes, {len(chunks)} chunks of 64 KiB, "
        f"best of {args.rounds} rounds"
    )
    report(
        "consumer reads each event's name and one header (the bar):",
        measure(
            {
                "pyst.manager": run_pyst,
                "panoramisk 1.4": panoramisk,
                "asterisk-ami 0.1.7": asterisk_ami,
            },
            chunks,
            args.rounds,
            expected,
        ),
        2.0,
    )
    report(
        "consumer reads every header of every event:",
        measure(
            {
                "pyst.manager": run_pyst_all_headers,
                "panoramisk 1.4": lambda c: panoramisk(c, True),
                "asterisk-ami 0.1.7": lambda c: asterisk_ami(c, True),
            },
            chunks,
            args.rounds,
            expected,
        ),
        1.3,
    )


if __name__ == "__main__":
    main()
