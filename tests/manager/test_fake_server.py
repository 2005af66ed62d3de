"""The fake AMI server (pyst.manager.testing.FakeAMIServer) reads a Login as manager.c does.
"""

from __future__ import annotations

import pytest

from pyst.manager import (
    Action,
    ManagerClient,
)
from pyst.manager.testing import FakeAMIServer


@pytest.mark.parametrize(
    ("mask", "on"), [("no", False), ("0", False), ("call", True), ("yes", True), ("x", False)]
)
def test_fake_server_reads_login_events_like_manager_c(mask: str, on: bool) -> None:
    with (
        FakeAMIServer(username="u", secret="p") as server,
        ManagerClient(*server.address, events=None, timeout=5) as ami,
    ):
        ami.send(Action("Login", Username="u", Secret="p", Events=mask))
        [session] = server.wait_for_sessions(1)
        assert session.events_on is on
