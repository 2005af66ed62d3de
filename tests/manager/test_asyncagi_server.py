"""AsyncAGIServer over the fake AMI server: a malformed AsyncAGIStart event does not stop it
serving later channels.
"""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from pyst.manager import (
    AsyncAGIServer,
    AsyncManagerClient,
)
from pyst.manager.testing import FakeAMIServer


def test_asyncagi_server_survives_a_malformed_start_event() -> None:
    async def main() -> int:
        started: list[object] = []
        with FakeAMIServer(username="u", secret="p") as server:
            async with AsyncManagerClient(*server.address, username="u", secret="p") as ami:

                async def handler(agi: object) -> None:
                    started.append(agi)

                async with AsyncAGIServer(ami, handler):
                    server.push_event({"Event": "AsyncAGIStart", "Channel": "PJSIP/1-1"})
                    await asyncio.sleep(0.2)
                    env = quote("agi_request: async\nagi_channel: PJSIP/2-2\n\n")
                    server.push_event(
                        {"Event": "AsyncAGIStart", "Channel": "PJSIP/2-2", "Env": env}
                    )
                    for _ in range(50):
                        if started:
                            break
                        await asyncio.sleep(0.01)
        return len(started)

    assert asyncio.run(main()) == 1
