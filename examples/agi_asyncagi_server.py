#!/usr/bin/env python3
"""AsyncAGI over AMI: serve channels that run ``AGI(agi:async)``.

Dialplan::

    exten => 300,1,AGI(agi:async)
     same => n,Verbose(1,AGISTATUS=${AGISTATUS} GREETED=${GREETED})

Run with the AMI secret in ``AMI_SECRET`` (manager.conf needs ``write = agi``).
"""

from __future__ import annotations

import asyncio
import logging
import os

from pyst.agi import AGICommandFailure, AsyncAGI
from pyst.manager import AsyncAGIServer, AsyncManagerClient


async def greet(agi: AsyncAGI) -> None:
    await agi.answer()
    try:
        await agi.stream_file("hello-world")
    except AGICommandFailure:
        # A missing sound file: Asterisk has also ended AsyncAGI (AGISTATUS=FAILURE);
        # any further command would raise AsyncAGIEnded.
        return
    await agi.set_variable("GREETED", "yes")
    # Returning hands the channel back to the dialplan (the server sends ASYNCAGI BREAK).


async def main() -> None:
    secret = os.environ["AMI_SECRET"]
    async with (
        AsyncManagerClient("127.0.0.1", username="pyst", secret=secret) as ami,
        AsyncAGIServer(ami, greet),
    ):
        await asyncio.Event().wait()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main())
