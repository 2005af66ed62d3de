"""Helpers shared by the pyst.config test modules: paths, loading shortcuts, file writing,
a deadline for the scaling tests, the hypothesis strategies several modules draw from, and
the reader of recorded AMI GetConfig answers the corpus tests compare with.

Everything more than one test module needs lives here, and only here.
"""

from __future__ import annotations

import contextlib
import re
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from pyst import config
from pyst.config import ConfigEditError

# -- paths ---------------------------------------------------------------------------------

#: The root of this repository (the folder holding pyproject.toml).
REPOSITORY = Path(__file__).resolve().parents[2]
#: The runnable example configurations shipped with the repository.
EXAMPLES = REPOSITORY / "examples"
#: The small copy of the sample corpus kept with the tests (runs everywhere).
BUNDLED_CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
#: The project's read-only reference material, a sibling of the repository (may be absent).
SHARED = REPOSITORY.parent / "shared"
#: Why a test that needs ../shared did not run.
SHARED_MISSING = "reference corpus ../shared not present"
#: Mark for a test that needs ../shared: ``pytest -rs`` shows the test and why it did not run.
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=SHARED_MISSING)


def shared_path(*parts: str) -> Path:
    """``../shared/<parts>``, or skip the calling test (saying why) when it is not there."""
    if not SHARED.is_dir():
        pytest.skip(SHARED_MISSING)
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference corpus ../shared/{'/'.join(parts)} not present")
    return path


# -- loading shortcuts -----------------------------------------------------------------------

#: A small sip.conf in the style people write: comments, tabs, a template and a peer.
SIP = """\
; sip.conf for the office
[general]
context=public   ; where strangers land
bindport = 5060

[friend](!)
\ttype\t=\tfriend
\thost\t=\tdynamic

; the front desk
[6001](friend)
\tsecret\t=\tabc
\tcallerid\t=\tDesk <6001> ; shown on phones
"""

Items = list[tuple[str, str]]


def loaded(source: str | bytes, **kwargs: object) -> config.Config:
    """What Asterisk loads from ``source``, after checking that it round-trips exactly."""
    document = config.parse(source)
    assert document.dumps() == source
    return document.config(**kwargs)  # type: ignore[arg-type]


def view(source: str | bytes) -> list[tuple[str, Items]]:
    """Categories as (name, [(variable, value)…]) of what Asterisk would load."""
    return [(c.name, c.items()) for c in loaded(source).categories]


def categories(cfg: config.Config) -> list[tuple[str, list[tuple[str, str]]]]:
    """``[(category name, [(variable, value)…])…]`` of a loaded view."""
    return [(c.name, [(v.name, v.value) for v in c.variables]) for c in cfg.categories]


def meaning(cfg: config.Config) -> tuple[bool, list[object]]:
    """Everything a loaded view means: loaded, names, templates, parents and variables."""
    return cfg.loaded, [
        (c.name, c.template, tuple(c.inherits), [(v.name, v.value, v.object) for v in c.variables])
        for c in cfg.categories
    ]


def diagnostic_codes(cfg: config.Config) -> list[str]:
    """The codes of a loaded view's diagnostics, in order."""
    return [d.code for d in cfg.diagnostics]


def line_of(source: str | bytes, index: int = -1) -> config.Line:
    """Line ``index`` of the parsed ``source`` (the last one by default)."""
    return list(config.parse(source).lines())[index]


def refused_or_kept(
    doc: config.Document,
    edit: Callable[[config.Document], object],
    check: Callable[[config.Config], object],
) -> None:
    """Apply ``edit``; unless it is refused, run ``check`` on the view that results."""
    try:
        edit(doc)
    except ConfigEditError:
        return
    check(doc.config())


# -- files -----------------------------------------------------------------------------------


def write_files(root: Path, files: dict[str, bytes]) -> Path:
    """Write ``files`` (relative name -> bytes) under ``root``; return ``root/main.conf``."""
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root / "main.conf"


def write_file(folder: Path, name: str, text: str) -> Path:
    """Write ``text`` to ``folder/name`` (making folders); return the path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def include_pair(tmp_path: Path, main: str, included: str) -> config.Document:
    """Load ``m.conf`` = ``main`` next to the ``inc.conf`` = ``included`` it may include."""
    (tmp_path / "inc.conf").write_text(included)
    (tmp_path / "m.conf").write_text(main)
    return config.load(tmp_path / "m.conf")


# -- time ------------------------------------------------------------------------------------


class _TooSlow(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail (as an AssertionError) when the block runs longer than ``seconds``."""

    def alarm(signum: int, frame: object) -> None:
        raise _TooSlow(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    slow = False
    try:
        yield
    except _TooSlow:
        # Re-raised below as a plain assertion: the interrupted frame may have no line
        # number, which pytest cannot render.
        slow = True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if slow:
        raise AssertionError(f"took longer than {seconds} s") from None


# -- hypothesis: settings and generated configurations ---------------------------------------

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LONG = settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Pieces of lines that matter to the lexer and the line anatomy, mixed with plain ones.
PIECE_ATOMS = [
    "[", "]", "(", ")", "!", "+", ",", "=", ">", ";", "-", "--", ";--", "--;", "\\", "\\;",
    "#", " ", "\t", "\r", "\x0b", "\x0c", "\n", "\r\n", "\ufeff", "a", "b", "\u00e9",
    "\udcff", "\x7f", "include",
]

# Characters that matter to the loader, mixed with ordinary ones.
_ALPHABET = st.sampled_from([*"[]()!+,=>;-\\#\"<> \t\r\n\0abcAB12\ufeff\u00e9\udce9:&*.", "\x0b"])
#: Any text up to 300 characters drawn from the characters that matter to the loader.
TEXT = st.text(_ALPHABET, max_size=300)

#: Variable and category names of generated configurations.
NAME = st.text(st.sampled_from(list("abcxyz019_-. ")), min_size=1, max_size=8).map(
    lambda s: s.strip() or "n"
)
#: Values of generated configurations.
VALUE = st.text(st.sampled_from(list("abc019,()$={}>/ ;\\-")), max_size=12)
_SPACE = st.sampled_from(["", " ", "  ", "\t"])
_NEWLINE = st.sampled_from(["\n", "\r\n"])
_COMMENT = st.sampled_from(["", " ; note", ";c", " ;-- inline --; ", " ;---"])


@st.composite
def _header(draw: st.DrawFn) -> str:
    name = draw(NAME)
    options = draw(
        st.lists(st.sampled_from(["!", "+", "t", "base", "", "+type=x", "+TEMPLATES=include"]),
                 max_size=3)
    )
    suffix = f"({','.join(options)})" if draw(st.booleans()) else ""
    return f"{draw(_SPACE)}[{name}]{suffix}{draw(_COMMENT)}"


@st.composite
def _assignment(draw: st.DrawFn) -> str:
    operator = draw(st.sampled_from(["=", "=>", "+=", "==", "=>>"]))
    escape = draw(st.sampled_from(["", "", "\\#", "\\["]))
    return (
        f"{draw(_SPACE)}{escape}{draw(NAME)}{draw(_SPACE)}{operator}{draw(_SPACE)}"
        f"{draw(VALUE)}{draw(_COMMENT)}"
    )


_LINE = st.one_of(
    _header(),
    _assignment(),
    _assignment(),
    st.sampled_from(
        ["", "   ", "; comment", ";--", "--;", ";-- one line --;", "#include x.conf",
         "#tryinclude <y.conf>", "#exec cmd", "#bogus", "no equals", "[broken", "[a](b"]
    ),
)


@st.composite
def config_texts(draw: st.DrawFn) -> str:
    """Configurations built from the grammar's constructs, LF or CRLF, maybe unterminated."""
    lines = draw(st.lists(_LINE, max_size=25))
    newlines = [draw(_NEWLINE) for _ in lines]
    text = "".join(line + nl for line, nl in zip(lines, newlines, strict=True))
    if text and draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text


# -- recorded AMI GetConfig answers (what a real Asterisk loaded) ---------------------------

_GETCONFIG_HEADER = re.compile(r"^(Category|IsTemplate|Templates)-(\d{6}): ?(.*)$")
_GETCONFIG_LINE = re.compile(r"^Line-(\d{6})-(\d{6}): ?(.*)$")

Categories = list[tuple[str, bool, list[str], list[tuple[str, str]]]]


def parse_getconfig(answer: str) -> tuple[bool, Categories]:
    """Return (loaded, [(name, template, templates, [(name, value)…])…]) of an answer.

    Values keep their bytes: the answer is read as latin-1 and so are our values
    compared (see :func:`view_of`).
    """
    lines = answer.split("\r\n") if "\r\n" in answer else answer.split("\n")
    loaded = any(line == "Response: Success" for line in lines)
    categories: Categories = []
    for line in lines:
        match = _GETCONFIG_HEADER.match(line)
        if match:
            kind, _, value = match.groups()
            if kind == "Category":
                categories.append((value, False, [], []))
            elif kind == "IsTemplate":
                name, _, templates, items = categories[-1]
                categories[-1] = (name, value == "1", templates, items)
            else:
                categories[-1][2].extend(value.split(","))
            continue
        match = _GETCONFIG_LINE.match(line)
        if match:
            name, _, value = match.group(3).partition("=")
            categories[-1][3].append((name, value))
    return loaded, categories


def view_of(config: config.Config) -> tuple[bool, Categories]:
    """The same shape, from our semantic view."""
    return config.loaded, [
        (c.name, c.template, list(c.inherits), [(v.name, v.value) for v in c.variables])
        for c in config.categories
    ]
