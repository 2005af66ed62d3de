#!/usr/bin/env python3
"""A threaded FastAGI server with plain functions as handlers."""

from __future__ import annotations

import logging

from pyst.agi import AGI, ThreadedFastAGIServer


def echo_caller(agi: AGI) -> None:
    agi.answer()
    agi.say_digits(agi.env.callerid if agi.env.callerid.isdigit() else "0")


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    server = ThreadedFastAGIServer(echo_caller, host="127.0.0.1", port=4573, max_sessions=50)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.shutdown(grace=10)
