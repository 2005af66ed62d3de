"""Which rule codes a run reports: ``select`` / ``extend-select`` / ``ignore`` by code or prefix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def _match_length(code: str, patterns: Iterable[str]) -> int:
    best = -1
    for pattern in patterns:
        wanted = pattern.strip().upper()
        if wanted == "ALL":
            best = max(best, 0)
        elif wanted and code.startswith(wanted):
            best = max(best, len(wanted))
    return best


def is_selected(
    code: str, select: Sequence[str], ignore: Sequence[str], extend_select: Sequence[str] = ()
) -> bool:
    """True when ``code`` is reported.

    The most specific pattern wins, as in ruff: ``--select L --ignore L02`` drops
    ``L020`` but keeps ``L001``; ``--ignore L --extend-select L020`` keeps ``L020``.
    """
    chosen = _match_length(code, [*select, *extend_select])
    dropped = _match_length(code, ignore)
    return chosen >= 0 and chosen > dropped


def unknown_patterns(patterns: Iterable[str], codes: Iterable[str]) -> list[str]:
    """The patterns that match no known code (a typo the user should hear about)."""
    known = list(codes)
    missing = []
    for pattern in patterns:
        wanted = pattern.strip().upper()
        if wanted != "ALL" and not any(code.startswith(wanted) for code in known):
            missing.append(pattern)
    return missing
