"""``Document``'s read API: iterating and indexing its sections.
"""

from __future__ import annotations

import pytest

from pyst import config


def test_document_iterates_sections_as_documented() -> None:
    # Iterating yields Section objects (duplicates and (+) re-openings included), as the
    # docs say; names index the first section with that name.
    doc = config.parse("[a]\n[b]\n[a](+)\n")
    assert [section.name for section in doc] == ["a", "b", "a"]
    assert [doc[section.name] is section for section in doc] == [True, True, False]


def test_document_getitem_wrong_type() -> None:
    doc = config.parse("[c]\n")
    with pytest.raises((TypeError, KeyError)):
        doc[1]  # type: ignore[index]
