"""Watch calls with the blocking AMI client, driven by your own loop.

Usage: ``python examples/ami_events.py HOST USER SECRET`` against a real Asterisk, or
``python examples/ami_events.py --demo`` against pyst's fake AMI server.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from pyst.manager import Command, Event, ManagerClient, Reconnect
from pyst.manager.testing import FakeAMIServer, Reply


def watch(host: str, port: int, user: str, secret: str, seconds: float) -> None:
    """Print channel events for ``seconds`` seconds."""
    with ManagerClient(
        host, port, username=user, secret=secret, auth="md5", reconnect=Reconnect()
    ) as ami:
        print("connected:", ami.greeting)
        print("\n".join(ami.send(Command("core show uptime"))))

        @ami.on("Newchannel", "Hangup")
        def channel(event: Event) -> None:
            print(f"{event.name:10} {event['Channel']} {event.get('Cause-txt') or ''}")

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ami.process_events(timeout=0.5)  # handlers run here, in this thread
        print("events dropped by a full buffer:", ami.dropped_events)


def demo() -> None:
    """Run :func:`watch` against the fake server, which pushes a few events."""
    with FakeAMIServer(username="admin", secret="demo") as server:
        server.respond(
            "Command", Reply([("Message", "Command output follows"), ("Output", "up 1 minute")])
        )
        host, port = server.address

        def push_later() -> None:
            server.wait_for_sessions(1)
            time.sleep(0.2)
            server.push_event({"Event": "Newchannel", "Channel": "PJSIP/100-00000001"})
            server.push_event(
                {"Event": "Hangup", "Channel": "PJSIP/100-00000001", "Cause-txt": "Normal"}
            )

        threading.Thread(target=push_later, daemon=True).start()
        watch(host, port, "admin", "demo", seconds=1.0)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    if sys.argv[1:] == ["--demo"]:
        demo()
    elif len(sys.argv) == 4:
        watch(sys.argv[1], 5038, sys.argv[2], sys.argv[3], seconds=3600)
    else:
        raise SystemExit(__doc__)
