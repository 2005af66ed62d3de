"""AGI and FastAGI for Asterisk: a sans-IO reply parser, typed commands, servers, a fake.

Quick start (a stdio script run by ``AGI(myscript.py)``)::

    import sys

    from pyst.agi import AGI, AGIHangup

    agi = AGI()
    try:
        agi.answer()
        played = agi.stream_file("hello-world", escape_digits="123")
        print(played.digit, file=sys.stderr)  # the digit pressed, or None
    except AGIHangup:
        pass

See ``docs/agi.md`` for FastAGI servers, the fake Asterisk, debugging and errors.
"""

from ._agi import AGI, AsyncAGI
from ._asyncagi import AsyncAGIBridge, decode_environment, decode_result
from ._commands import COMMANDS, Command
from ._debug import (
    TRANSCRIPT_ENV,
    TracebackOptions,
    Transcript,
    format_report,
    install_excepthook,
    report_exception,
    report_exception_async,
)
from ._env import AGIEnvironment, parse_environment
from ._errors import (
    AGIArgumentError,
    AGICommandError,
    AGICommandFailure,
    AGIConnectionClosed,
    AGIDeadChannel,
    AGIError,
    AGIHangup,
    AGIInvalidCommand,
    AGIProtocolError,
    AGITimeout,
    AGIUnexpectedReply,
    AGIUsageError,
    AsyncAGIEnded,
)
from ._fastagi import (
    AsyncHandler,
    FastAGIServer,
    ServerStats,
    SyncHandler,
    ThreadedFastAGIServer,
)
from ._quoting import build_line, quote_argument, split_arguments
from ._reply import Reply, ReplyParser, parse_line
from ._results import (
    ChannelStatus,
    DigitsResult,
    PlaybackResult,
    RecordResult,
    SpeechMatch,
    SpeechResult,
)
from ._session import NEED_DATA, AGIProtocol
from ._transports import (
    AsyncTransport,
    SocketTransport,
    StdioTransport,
    StreamTransport,
    SyncTransport,
)

__all__ = [
    "AGI",
    "COMMANDS",
    "NEED_DATA",
    "TRANSCRIPT_ENV",
    "AGIArgumentError",
    "AGICommandError",
    "AGICommandFailure",
    "AGIConnectionClosed",
    "AGIDeadChannel",
    "AGIEnvironment",
    "AGIError",
    "AGIHangup",
    "AGIInvalidCommand",
    "AGIProtocol",
    "AGIProtocolError",
    "AGITimeout",
    "AGIUnexpectedReply",
    "AGIUsageError",
    "AsyncAGI",
    "AsyncAGIBridge",
    "AsyncAGIEnded",
    "AsyncHandler",
    "AsyncTransport",
    "ChannelStatus",
    "Command",
    "DigitsResult",
    "FastAGIServer",
    "PlaybackResult",
    "RecordResult",
    "Reply",
    "ReplyParser",
    "ServerStats",
    "SocketTransport",
    "SpeechMatch",
    "SpeechResult",
    "StdioTransport",
    "StreamTransport",
    "SyncHandler",
    "SyncTransport",
    "ThreadedFastAGIServer",
    "TracebackOptions",
    "Transcript",
    "build_line",
    "decode_environment",
    "decode_result",
    "format_report",
    "install_excepthook",
    "parse_environment",
    "parse_line",
    "quote_argument",
    "report_exception",
    "report_exception_async",
    "split_arguments",
]
