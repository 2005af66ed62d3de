"""Transports: every socket error of the stream transport becomes an AGI error."""

from __future__ import annotations

import pytest


def test_stream_transport_maps_every_socket_error_into_agi_errors() -> None:
    # Like SocketTransport: an OSError that is not a ConnectionError (EHOSTUNREACH after
    # a network failure, for example) still means the connection is gone.
    import asyncio
    import errno
    from typing import Any, cast

    from pyst.agi import AGIConnectionClosed
    from pyst.agi._transports import StreamTransport

    class Writer:
        def is_closing(self) -> bool:
            return False

        def write(self, data: bytes) -> None:
            pass

        async def drain(self) -> None:
            raise OSError(errno.EHOSTUNREACH, "No route to host")

    class Reader:
        async def read(self, size: int) -> bytes:
            raise OSError(errno.EHOSTUNREACH, "No route to host")

    transport = StreamTransport(cast(Any, Reader()), cast(Any, Writer()))

    async def main() -> bytes:
        with pytest.raises(AGIConnectionClosed):
            await transport.send(b"NOOP\n")
        return await transport.receive()

    assert asyncio.run(main()) == b""
