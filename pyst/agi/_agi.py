"""Sync and async AGI front ends sharing one command set."""

from __future__ import annotations

import inspect
import signal
import threading
import typing
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from . import _commands as C
from ._commands import Command
from ._debug import resolve_observer
from ._env import AGIEnvironment
from ._errors import AGIError
from ._session import NEED_DATA, AGIProtocol, ExchangeObserver
from ._transports import AsyncTransport, StdioTransport, SyncTransport

__all__ = ["AGI", "AsyncAGI"]

P = ParamSpec("P")
T = TypeVar("T")

#: Method name -> command builder: the complete res_agi command set (47 commands, named
#: after their builders, ``exec_`` as ``exec``) plus :func:`execute`.  Each becomes a real
#: method of :class:`AGI` and of :class:`AsyncAGI`.
_COMMAND_METHODS: dict[str, Callable[..., Command[Any]]] = {
    build.__name__.rstrip("_"): build for build in (*C.COMMANDS.values(), C.execute)
}


def _command_method(
    owner: type, name: str, build: Callable[..., Command[Any]], *, awaitable: bool
) -> Callable[..., Any]:
    """A real method of ``owner`` that runs what ``build`` returns.

    It has the builder's parameters (after ``self``) and docstring, and its return
    annotation is what the call gives: ``T`` for a builder returning ``Command[T]``, or
    ``Awaitable[T]`` when ``awaitable``.  So ``inspect.signature``, ``typing.get_type_hints``
    and pydoc describe it exactly; mypy reads the typed declarations in ``_CommandSet``.
    """
    hints = typing.get_type_hints(build)
    (result,) = typing.get_args(hints["return"])
    # ``result`` is a runtime value, not a type mypy could check statically.
    returns: object = Awaitable[result] if awaitable else result  # type: ignore[valid-type]
    self_parameter = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    parameters = [
        parameter.replace(annotation=hints.get(parameter.name, parameter.annotation))
        for parameter in inspect.signature(build).parameters.values()
    ]

    def method(self: Any, /, *args: Any, **kwargs: Any) -> Any:
        return self._run(build(*args, **kwargs))

    method.__name__ = name
    method.__qualname__ = f"{owner.__qualname__}.{name}"
    method.__module__ = owner.__module__
    method.__doc__ = build.__doc__
    method.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [self_parameter, *parameters], return_annotation=returns
    )
    method.__annotations__ = {
        **{parameter.name: parameter.annotation for parameter in parameters},
        "return": returns,
    }
    return method


def _install_commands(owner: type, *, awaitable: bool) -> None:
    for name, build in _COMMAND_METHODS.items():
        setattr(owner, name, _command_method(owner, name, build, awaitable=awaitable))


if TYPE_CHECKING:

    class _CommandMethod(Generic[P, T]):
        """For type checkers only: the method a builder becomes on :class:`AGI`
        (returns ``T``) and on :class:`AsyncAGI` (returns an awaitable ``T``)."""

        def __init__(self, build: Callable[P, Command[T]]) -> None: ...
        @overload
        def __get__(
            self, obj: None, owner: type[AsyncAGI]
        ) -> Callable[Concatenate[AsyncAGI, P], Awaitable[T]]: ...
        @overload
        def __get__(self, obj: None, owner: type[AGI]) -> Callable[Concatenate[AGI, P], T]: ...
        @overload
        def __get__(self, obj: AsyncAGI, owner: type) -> Callable[P, Awaitable[T]]: ...
        @overload
        def __get__(self, obj: AGI, owner: type) -> Callable[P, T]: ...
        def __get__(self, obj: object, owner: type) -> Any: ...


class _CommandSet:
    """What :class:`AGI` and :class:`AsyncAGI` share: the command methods (installed on
    each class by :func:`_install_commands`; declared here for type checkers), ``env``,
    ``hung_up`` and ``protocol``."""

    if TYPE_CHECKING:
        answer = _CommandMethod(C.answer)
        asyncagi_break = _CommandMethod(C.asyncagi_break)
        channel_status = _CommandMethod(C.channel_status)
        control_stream_file = _CommandMethod(C.control_stream_file)
        database_del = _CommandMethod(C.database_del)
        database_deltree = _CommandMethod(C.database_deltree)
        database_get = _CommandMethod(C.database_get)
        database_put = _CommandMethod(C.database_put)
        exec = _CommandMethod(C.exec_)
        get_data = _CommandMethod(C.get_data)
        get_full_variable = _CommandMethod(C.get_full_variable)
        get_option = _CommandMethod(C.get_option)
        get_variable = _CommandMethod(C.get_variable)
        gosub = _CommandMethod(C.gosub)
        hangup = _CommandMethod(C.hangup)
        noop = _CommandMethod(C.noop)
        receive_char = _CommandMethod(C.receive_char)
        receive_text = _CommandMethod(C.receive_text)
        record_file = _CommandMethod(C.record_file)
        say_alpha = _CommandMethod(C.say_alpha)
        say_date = _CommandMethod(C.say_date)
        say_datetime = _CommandMethod(C.say_datetime)
        say_digits = _CommandMethod(C.say_digits)
        say_number = _CommandMethod(C.say_number)
        say_phonetic = _CommandMethod(C.say_phonetic)
        say_time = _CommandMethod(C.say_time)
        send_image = _CommandMethod(C.send_image)
        send_text = _CommandMethod(C.send_text)
        set_autohangup = _CommandMethod(C.set_autohangup)
        set_callerid = _CommandMethod(C.set_callerid)
        set_context = _CommandMethod(C.set_context)
        set_extension = _CommandMethod(C.set_extension)
        set_music = _CommandMethod(C.set_music)
        set_priority = _CommandMethod(C.set_priority)
        set_variable = _CommandMethod(C.set_variable)
        speech_activate_grammar = _CommandMethod(C.speech_activate_grammar)
        speech_create = _CommandMethod(C.speech_create)
        speech_deactivate_grammar = _CommandMethod(C.speech_deactivate_grammar)
        speech_destroy = _CommandMethod(C.speech_destroy)
        speech_load_grammar = _CommandMethod(C.speech_load_grammar)
        speech_recognize = _CommandMethod(C.speech_recognize)
        speech_set = _CommandMethod(C.speech_set)
        speech_unload_grammar = _CommandMethod(C.speech_unload_grammar)
        stream_file = _CommandMethod(C.stream_file)
        tdd_mode = _CommandMethod(C.tdd_mode)
        verbose = _CommandMethod(C.verbose)
        wait_for_digit = _CommandMethod(C.wait_for_digit)
        execute = _CommandMethod(C.execute)

    _protocol: AGIProtocol

    @property
    def env(self) -> AGIEnvironment:
        """The session's ``agi_*`` environment."""
        environment = self._protocol.environment
        if environment is None:
            raise AGIError("the AGI environment has not been received yet")
        return environment

    @property
    def hung_up(self) -> bool:
        """True once the channel is known to have hung up, including right after
        :meth:`hangup` of the own channel (commands marked "Dead: Yes" still work; the
        others raise :class:`AGIHangup`)."""
        return self._protocol.hung_up

    @property
    def protocol(self) -> AGIProtocol:
        """The sans-IO core of this session."""
        return self._protocol


class AGI(_CommandSet):
    """A blocking AGI session.

    ``AGI()`` with no transport talks to Asterisk over stdin/stdout, for scripts started
    by ``AGI(script.py)``: it reads the environment block and, when created in the main
    thread, installs a SIGHUP handler that records the hang-up instead of killing the
    script (call :meth:`install_sighup_handler` from the main thread otherwise).
    ``transcript`` is an observer called after every command, ``True`` to log every
    exchange, or ``None`` to follow the ``PYST_AGI_TRANSCRIPT`` environment variable.
    ``timeout`` bounds the wait for each reply (stdio only; sockets carry their own).
    """

    def __init__(
        self,
        transport: SyncTransport | None = None,
        *,
        environment: AGIEnvironment | None = None,
        transcript: ExchangeObserver | bool | None = None,
        handle_sighup: bool = True,
        timeout: float | None = None,
    ) -> None:
        stdio = transport is None
        if transport is None:
            transport = StdioTransport(timeout=timeout)
        self._transport: SyncTransport = transport
        self._protocol = AGIProtocol(environment, resolve_observer(transcript))
        if stdio and handle_sighup and threading.current_thread() is threading.main_thread():
            self.install_sighup_handler()
        self._read_environment()

    def install_sighup_handler(self) -> None:
        """Make SIGHUP mark the session hung up rather than terminate the process.

        Must be called from the main thread (a Python rule for signal handlers).
        """
        if hasattr(signal, "SIGHUP"):
            signal.signal(signal.SIGHUP, self._on_sighup)

    def _on_sighup(self, signum: int, frame: object) -> None:
        self._protocol.sighup = True

    def _read_environment(self) -> None:
        protocol = self._protocol
        while protocol.next_environment() is None:
            self._receive()

    def _receive(self) -> None:
        data = self._transport.receive()
        if data:
            self._protocol.receive_data(data)
        else:
            self._protocol.receive_eof()

    def _run(self, command: Command[T]) -> T:
        protocol = self._protocol
        data = protocol.send(command)
        try:
            self._transport.send(data)
            while True:
                result = protocol.next_result()
                if result is not NEED_DATA:
                    return result  # type: ignore[return-value]
                self._receive()
        except BaseException as error:  # transport error, timeout, KeyboardInterrupt, ...
            protocol.abort_command(error)  # only if the command is still outstanding
            raise

    def close(self) -> None:
        """Close the transport."""
        self._transport.close()

    def __enter__(self) -> AGI:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncAGI(_CommandSet):
    """An asyncio AGI session (FastAGI handlers get one); every command is awaited."""

    def __init__(
        self,
        transport: AsyncTransport,
        *,
        environment: AGIEnvironment | None = None,
        transcript: ExchangeObserver | bool | None = None,
    ) -> None:
        self._transport = transport
        self._protocol = AGIProtocol(environment, resolve_observer(transcript))

    async def read_environment(self) -> AGIEnvironment:
        """Receive the environment block (servers call this before the handler)."""
        protocol = self._protocol
        while (environment := protocol.next_environment()) is None:
            await self._receive()
        return environment

    async def _receive(self) -> None:
        data = await self._transport.receive()
        if data:
            self._protocol.receive_data(data)
        else:
            self._protocol.receive_eof()

    async def _run(self, command: Command[T]) -> T:
        protocol = self._protocol
        data = protocol.send(command)
        try:
            await self._transport.send(data)
            while True:
                result = protocol.next_result()
                if result is not NEED_DATA:
                    return result  # type: ignore[return-value]
                await self._receive()
        except BaseException as error:  # transport error, timeout, cancellation, ...
            protocol.abort_command(error)  # only if the command is still outstanding
            raise

    async def close(self) -> None:
        """Close the transport."""
        await self._transport.close()

    async def __aenter__(self) -> AsyncAGI:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


_install_commands(AGI, awaitable=False)
_install_commands(AsyncAGI, awaitable=True)
