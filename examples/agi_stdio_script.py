#!/usr/bin/env python3
"""A stdio AGI script: ``exten => 100,1,AGI(/path/to/agi_stdio_script.py)``.

Asks for a 4-digit PIN, stores it in a channel variable and reports crashes to the
Asterisk console.  stdout is the AGI channel: log to stderr only.
"""

from __future__ import annotations

import sys

from pyst.agi import AGI, AGIHangup, TracebackOptions, install_excepthook


def main() -> None:
    agi = AGI()
    install_excepthook(agi, TracebackOptions(log_file="/tmp/pyst-agi-errors.log"))
    print(f"call from {agi.env.callerid} on {agi.env.channel}", file=sys.stderr)
    try:
        agi.answer()
        pin = agi.get_data("enter-pin", timeout_ms=5000, max_digits=4)
        agi.set_variable("PIN", pin.digits)
        agi.say_digits(pin.digits)
    except AGIHangup:
        agi.verbose("caller hung up before entering a PIN", 2)


if __name__ == "__main__":
    main()
