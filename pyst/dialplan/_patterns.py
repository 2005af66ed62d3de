"""Extension names and patterns as ``main/pbx.c`` stores, sorts and matches them.

Everything works on ``str`` whose code points stand for bytes (text from
:mod:`pyst.config` keeps bytes that are not UTF-8 as ``\\udcXX`` escapes, so comparing
code points of ASCII text gives C's ``unsigned char`` order for what matters here).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

__all__ = [
    "ext_cmp",
    "ext_fluff_count",
    "ext_strncpy",
    "extension_match",
    "match_core",
    "shrink_phone_number",
]

_END = 0x30000
_DOT = 0x18000
_BANG = 0x28000
_BAD_SET = 0x40000


def _bytes(text: str) -> bytes:
    """The bytes C sees (escaped bytes map back)."""
    return text.encode("utf-8", "surrogateescape")


def _signed(value: int) -> int:
    """A byte as x86's signed ``char``."""
    return value - 256 if value > 127 else value


def ext_strncpy(text: str, limit: int | None = None, *, nofluff: bool = False) -> str:
    """``ext_strncpy``: drop blanks outside ``[...]`` (and dashes with ``nofluff``)."""
    if " " not in text and not (nofluff and "-" in text):
        return text if limit is None else text[:limit]
    out: list[str] = []
    insquares = False
    is_pattern = text[:1] == "_"
    for char in text:
        if limit is not None and len(out) >= limit:
            break
        if char == "[":
            if is_pattern:
                insquares = True
        elif char == "]":
            insquares = False
        elif (char == " " and not insquares) or (char == "-" and not insquares and nofluff):
            continue
        out.append(char)
    return "".join(out)


def ext_fluff_count(exten: str) -> int:
    """``ext_fluff_count``: the dashes that do not count for matching."""
    if "-" not in exten:
        return 0
    if exten[:1] != "_":
        return exten.count("-")
    fluff = 0
    index = 0
    while index < len(exten):
        char = exten[index]
        if char == "-":
            fluff += 1
        elif char == "[":
            close = exten.find("]", index)
            if close < 0:
                return fluff
            index = close
        index += 1
    return fluff


def shrink_phone_number(number: str) -> str:
    """``ast_shrink_phone_number``: a caller-ID match without ``( ) - .`` fluff."""
    out: list[str] = []
    bracketed = 0
    for index, char in enumerate(number):
        if char == "[":
            bracketed += 1
            out.append(char)
        elif char == "]":
            bracketed -= 1
            out.append(char)
        elif char == "-":
            if bracketed:
                out.append(char)
        elif char == ".":
            if index == len(number) - 1:
                out.append(char)
        elif char not in "( )":
            out.append(char)
    return "".join(out)


def _cmp_exten(left: str, right: str) -> int:
    """``ext_cmp_exten``: plain names compared byte-wise (signed ``char``), dashes ignored."""
    if left.isascii() and right.isascii():
        a = left.replace("-", "")
        b = right.replace("-", "")
        return (a > b) - (a < b)
    left_bytes = [_signed(c) for c in _bytes(left) if c != 0x2D] + [0]
    right_bytes = [_signed(c) for c in _bytes(right) if c != 0x2D] + [0]
    for x, y in zip(left_bytes, right_bytes, strict=False):
        if x != y:
            return x - y
    return 0


def _pattern_pos(
    text: bytes, pos: int, warn: Callable[[], None] | None = None
) -> tuple[int, bytes, int]:
    """``ext_cmp_pattern_pos``: the score and the character set of the next element.

    Returns ``(score, bitwise, new_pos)``; ``new_pos`` is -1 at the end of the pattern.
    """
    while True:
        char = 0x2D
        while char == 0x2D:
            char = text[pos] if pos < len(text) else 0
            pos += 1
        bits = bytearray(32)
        if char == 0:
            return _END, bytes(bits), -1
        if char in b"nN":
            bits[6], bits[7] = 0x3F, 0xC0
            return 0x0800 | 0x32, bytes(bits), pos
        if char in b"xX":
            bits[6], bits[7] = 0xFF, 0xC0
            return 0x0A00 | 0x30, bytes(bits), pos
        if char in b"zZ":
            bits[6], bits[7] = 0x7F, 0xC0
            return 0x0900 | 0x31, bytes(bits), pos
        if char == 0x2E:
            return _DOT, bytes(bits), pos
        if char == 0x21:
            return _BANG, bytes(bits), pos
        if char != 0x5B:
            bits[char // 8] = 1 << (7 - char % 8)
            return 0x0100 | char, bytes(bits), pos
        end = text.find(b"]", pos)
        if end < 0:
            if warn is not None:
                warn()
            return _BAD_SET, bytes(bits), pos
        count = 0
        cmin = 0xFF
        while pos < end:
            first = text[pos]
            if pos + 2 < end and text[pos + 1] == 0x2D:
                last = text[pos + 2]
                pos += 2
            else:
                last = first
            cmin = min(cmin, first)
            for value in range(first, last + 1):
                mask = 1 << (7 - value % 8)
                if not bits[value // 8] & mask:
                    bits[value // 8] |= mask
                    count += 0x100
            pos += 1
        pos += 1
        if count:
            return count | cmin, bytes(bits), pos


def _cmp_pattern(left: bytes, right: bytes, warn: Callable[[], None] | None = None) -> int:
    """``ext_cmp_pattern`` on two patterns without their leading ``_``."""
    left_pos = right_pos = 0
    while True:
        left_score, left_bits, left_pos = _pattern_pos(left, left_pos, warn)
        right_score, right_bits, right_pos = _pattern_pos(right, right_pos, warn)
        cmp = left_score - right_score
        if not cmp:
            cmp = (right_bits > left_bits) - (right_bits < left_bits)
        if cmp:
            return cmp
        if left_pos < 0 or right_pos < 0:
            return 0


@lru_cache(maxsize=65536)
def _pattern_key(pattern: bytes) -> tuple[tuple[int, bytes], ...]:
    """The elements of a pattern (without ``_``) as sortable keys: the score, then the
    character set inverted (``ext_cmp_pattern`` compares sets with the sides swapped)."""
    key: list[tuple[int, bytes]] = []
    pos = 0
    while True:
        score, bits, pos = _pattern_pos(pattern, pos)
        key.append((score, bytes(255 - b for b in bits)))
        if pos < 0:
            return tuple(key)


def has_open_set(name: str) -> bool:
    """Whether a ``[`` has no ``]`` after it (comparing such a pattern logs warnings)."""
    return "[" in name and name.rfind("[") > name.rfind("]")


def ext_cmp(left: str, right: str, warn: Callable[[], None] | None = None) -> int:
    """``ext_cmp``: the sort order of ``dialplan show`` (plain names first)."""
    if left[:1] != "_":
        if right[:1] == "_":
            return -1
        return _cmp_exten(left, right)
    if right[:1] != "_":
        return 1
    if has_open_set(left) or has_open_set(right):
        return _cmp_pattern(_bytes(left)[1:], _bytes(right)[1:], warn)
    a = _pattern_key(_bytes(left)[1:])
    b = _pattern_key(_bytes(right)[1:])
    return (a > b) - (a < b)


def match_core(
    pattern: str, data: str, *, partial: bool = False, warn: Callable[[], None] | None = None
) -> int:
    """``_extension_match_core`` in ``E_MATCH`` mode (``partial``: ``E_CANMATCH``).

    Returns 0 for no match, 1 for a match and 2 for an early match (``!``).
    """
    if pattern[:1] != "_":
        plain_pattern = _bytes(pattern).replace(b"-", b"")
        plain_data = _bytes(data).replace(b"-", b"")
        if len(plain_pattern) < len(plain_data):
            return 0
        if not partial:
            return int(plain_pattern == plain_data)
        return int(plain_pattern.startswith(plain_data))
    raw_pattern = _bytes(pattern)
    raw_data = _bytes(data)
    if not partial and raw_data[:1] == b"_" and _cmp_pattern(raw_pattern[1:], raw_data[1:],
                                                            warn) == 0:
        return 1
    return _match_bytes(raw_pattern, raw_data, partial, warn)


def _match_bytes(
    pattern: bytes, data: bytes, partial: bool, warn: Callable[[], None] | None
) -> int:
    p = 1
    d = 0
    while True:
        while d < len(data) and data[d] == 0x2D:
            d += 1
        while p < len(pattern) and pattern[p] == 0x2D:
            p += 1
        if d >= len(data) or p >= len(pattern) or pattern[p] == 0x2F:
            break
        char = pattern[p]
        value = data[d]
        if char == 0x5B:
            p += 1
            end = pattern.find(b"]", p)
            if end < 0:
                if warn is not None:
                    warn()
                return 0
            if p == end:
                p += 1
                continue
            found = False
            while p < end:
                if p + 2 < end and pattern[p + 1] == 0x2D:
                    if _signed(pattern[p]) <= _signed(value) <= _signed(pattern[p + 2]):
                        found = True
                        break
                    p += 3
                    continue
                if value == pattern[p]:
                    found = True
                    break
                p += 1
            if not found:
                return 0
            p = end
        elif char in b"nN":
            if not 0x32 <= value <= 0x39:
                return 0
        elif char in b"xX":
            if not 0x30 <= value <= 0x39:
                return 0
        elif char in b"zZ":
            if not 0x31 <= value <= 0x39:
                return 0
        elif char == 0x2E:
            return 1
        elif char == 0x21:
            return 2
        elif value != char:
            return 0
        d += 1
        p += 1
    if d < len(data):
        return 0
    if p >= len(pattern) or pattern[p] == 0x2F:
        return 1
    if pattern[p] == 0x21:
        return 2
    return 1 if partial else 0


def extension_match(pattern: str, extension: str) -> bool:
    """``ast_extension_match``: does the dialled ``extension`` match ``pattern``?

    A pattern starts with ``_``: ``X`` is 0-9, ``Z`` 1-9, ``N`` 2-9, ``[...]`` a class,
    ``.`` one or more characters and ``!`` zero or more; dashes are ignored.  Other
    names match only themselves (dashes ignored).
    """
    return match_core(pattern, extension) != 0
