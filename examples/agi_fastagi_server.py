#!/usr/bin/env python3
"""An asyncio FastAGI server: ``exten => 200,1,AGI(agi://127.0.0.1:4573/menu)``."""

from __future__ import annotations

import asyncio
import logging

from pyst.agi import AsyncAGI, FastAGIServer, TracebackOptions


async def menu(agi: AsyncAGI) -> None:
    await agi.answer()
    choice = await agi.get_option("press-1-or-2", "12", timeout_ms=5000)
    await agi.set_variable("MENU_CHOICE", choice.digit or "none")


async def fallback(agi: AsyncAGI) -> None:
    await agi.verbose(f"no FastAGI script called {agi.env.script_path!r}")


async def main() -> None:
    server = FastAGIServer(
        {"menu": menu, "*": fallback},
        host="127.0.0.1",
        port=4573,
        max_sessions=200,  # more calls get PYST_AGI_STATUS=REJECTED, AGISTATUS=FAILURE
        session_timeout=3600,
        command_timeout=300,
        debug=TracebackOptions(hangup=False),
    )
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main())
