"""Replay every recorded exchange through the fake server and both clients: each action sent
with its recorded ActionID must come back as exactly the recorded answer (list items
included), and the other events must reach the client in order."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from pyst.manager import (
    Action,
    AsyncManagerClient,
    ConnectionLost,
    Event,
    ManagerClient,
    ManagerError,
    Message,
    Response,
)
from pyst.manager._protocol import Decoder
from pyst.manager.testing import FakeAMIServer

from .conftest import CAPTURES, client_bytes, server_bytes, steps

# the client always sends an Action and an ActionID; these exchanges deliberately lack one
UNSENDABLE = {"05c_ping_no_actionid", "09b_missing_action_header"}
REPLAYABLE = [name for name in CAPTURES if name not in UNSENDABLE and client_bytes(name)]


def recorded_actions(name: str) -> list[Action]:
    actions = []
    for message in Decoder(greeting=False).feed(client_bytes(name)):
        assert isinstance(message, Message)
        pairs = message.headers.items()
        names = [k.lower() for k, _ in pairs]
        rest = [(k, v) for k, v in pairs if k.lower() not in ("action", "actionid")]
        action_name = pairs[names.index("action")][1]
        action_id = pairs[names.index("actionid")][1]
        actions.append(Action(action_name, rest, action_id=action_id, timeout=5))
    return actions


def expected(name: str) -> tuple[dict[str, Response], list[str]]:
    """Per ActionID the recorded answer with its list items; and the other events' names."""
    answers: dict[str, Response] = {}
    collecting: dict[str, Response] = {}
    others: list[str] = []
    for message in Decoder().feed(server_bytes(name)):
        if isinstance(message, Response) and message.action_id is not None:
            answers[message.action_id] = message
            if message.is_list_start and message.ok:
                collecting[message.action_id] = message
        elif isinstance(message, Event):
            owner = collecting.get(message.action_id or "")
            if owner is None:
                others.append(message.name)
            elif (message.get("EventList") or "").lower() == "complete":
                owner.complete = message
                del collecting[message.action_id or ""]
            else:
                owner.events.append(message)
    return answers, others


def outcome(action: Action, send: Any) -> Response | str:
    try:
        return send(action)
    except ConnectionLost:
        return "lost"
    except ManagerError as exc:
        response = getattr(exc, "response", None)
        return response if response is not None else type(exc).__name__


def check(name: str, results: dict[str, Response | str], events: list[str]) -> None:
    answers, others = expected(name)
    for action_id, result in results.items():
        if action_id not in answers:
            assert result == "lost"  # the recording ended before this answer
            continue
        answer = answers[action_id]
        assert isinstance(result, Response), (action_id, result)
        assert result == answer
        assert result.events == answer.events and result.complete == answer.complete
    assert events == others


@pytest.mark.parametrize("name", REPLAYABLE)
def test_replay_with_the_sync_client(name: str) -> None:
    with FakeAMIServer(require_login=False) as server:
        server.replay(steps(name))
        client = ManagerClient(*server.address, events=None, timeout=5)
        seen: list[str] = []
        client.subscribe(lambda e: seen.append(e.name))
        client.connect()
        results = {a.action_id or "": outcome(a, client.send) for a in recorded_actions(name)}
        _, others = expected(name)
        for _ in range(100):
            if len(seen) >= len(others) or not client.connected:
                break
            client.process_events(0.02)
        client._drain()
        client.close()
    check(name, results, seen)


@pytest.mark.parametrize(
    "name",
    ["10c_status_one_channel_with_variables", "12_originate_async_local_with_events",
     "12a_dbput_dbget_dbdel", "12d_originate_sync", "16_updateconfig", "19_logoff"],
)  # fmt: skip
def test_replay_with_the_asyncio_client(name: str) -> None:
    async def scenario() -> tuple[dict[str, Response | str], list[str]]:
        with FakeAMIServer(require_login=False) as server:
            server.replay(steps(name))
            client = AsyncManagerClient(*server.address, events=None, timeout=5)
            seen: list[str] = []
            client.subscribe(lambda e: seen.append(e.name))
            await client.connect()
            results: dict[str, Response | str] = {}
            for action in recorded_actions(name):
                try:
                    results[action.action_id or ""] = await client.send(action)
                except ConnectionLost:
                    results[action.action_id or ""] = "lost"
                except ManagerError as exc:
                    results[action.action_id or ""] = getattr(exc, "response", "error")
            _, others = expected(name)
            for _ in range(100):
                if len(seen) >= len(others):
                    break
                await asyncio.sleep(0.02)
            await client.close()
            return results, seen

    results, seen = asyncio.run(scenario())
    check(name, results, seen)
