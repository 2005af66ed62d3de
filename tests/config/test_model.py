"""The semantic view (``Config`` and ``Category``): looking up what
Asterisk loaded.

Covers ``in``, ``category``, ``categories_named``, ``Category.get``/``first``/``get_all`` and
that name lookups fold ASCII case only.
"""

from __future__ import annotations

import pytest

from pyst import config
from tests.config.helpers import EXAMPLES, loaded


def test_name_in_config_finds_category() -> None:
    view = config.parse("[general]\nx=1\n").config()
    assert view.category("general") is not None
    assert "general" in view


def test_category_get_last_first_and_config_lookup() -> None:
    cfg = config.parse("[t](!)\nx=1\n[a](t)\nX=2\n[a]\nx=3\n").config(asterisk="master")
    assert "A" in cfg and "b" not in cfg and 1 not in cfg  # type: ignore[operator]
    assert cfg["a"].get("x") == "2"
    assert cfg["a"].first("x") == "1"
    assert cfg["a"].get("nope", "d") == "d" and cfg["a"].first("nope") is None
    with pytest.raises(KeyError):
        cfg["b"]


def test_category_get_returns_the_value_asterisk_uses() -> None:
    view = config.read(str(EXAMPLES / "sip.conf"), asterisk="master")
    peer = view.categories_named("6002")[0]
    assert peer.get_all("nat") == ["force_rport,comedia", "no"]
    assert peer.get("nat") == "no"


def test_config_category_lookup_folds_ascii_only() -> None:
    cfg = loaded("[\u212a]\nx=1\n")
    assert cfg.category("k") is None
