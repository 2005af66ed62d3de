"""Originate a call and follow it with the asyncio AMI client.

Usage: ``python examples/ami_asyncio.py HOST USER SECRET CHANNEL EXTEN`` against a real
Asterisk, or ``python examples/ami_asyncio.py --demo`` against pyst's fake AMI server.
"""

from __future__ import annotations

import asyncio
import sys

from pyst.manager import AsyncManagerClient, Message, Originate
from pyst.manager.testing import FakeAMIServer, FakeSession, Reply


async def call(host: str, port: int, user: str, secret: str, channel: str, exten: str) -> None:
    """Originate ``channel`` to ``exten`` and print its outcome."""
    async with AsyncManagerClient(host, port, username=user, secret=secret) as ami:
        outcome = ami.events("OriginateResponse")
        queued = await ami.send(Originate(channel, context="default", exten=exten, priority=1))
        print("queued:", queued.message)
        async for event in outcome:
            if event.action_id == queued.action_id:
                print("originate:", event["Response"], "reason", event.get("Reason"))
                break


def demo() -> None:
    """Run :func:`call` against the fake server, which answers like Asterisk does."""

    def originate(action: Message, session: FakeSession) -> Reply:
        session.server.push_event(
            [("Event", "OriginateResponse"), ("ActionID", action.get("ActionID") or ""),
             ("Response", "Success"), ("Channel", action.get("Channel") or ""),
             ("Reason", "4")]
        )  # fmt: skip
        return Reply({"Message": "Originate successfully queued"}, delay=0.05)

    with FakeAMIServer(username="admin", secret="demo") as server:
        server.on("Originate", originate)
        asyncio.run(call(*server.address, "admin", "demo", "PJSIP/100", "200"))


if __name__ == "__main__":
    if sys.argv[1:] == ["--demo"]:
        demo()
    elif len(sys.argv) == 6:
        asyncio.run(call(sys.argv[1], 5038, *sys.argv[2:]))
    else:
        raise SystemExit(__doc__)
