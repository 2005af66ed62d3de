"""Cases of recorded Asterisk 22.10.1 dialplan loads: inputs, `dialplan show` and log."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from pyst.dialplan import Dialplan, load_dialplan, show_bytes

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SHARED = HERE.parents[1] / ".." / "shared"
CORPUS = SHARED / "asterisk" / "dialplan-corpus"
SAMPLES = SHARED / "corpus" / "asterisk-samples"
VERSIONS = ("1.4.44", "1.8.32.3", "11.25.3", "13.38.3", "16.30.1", "18.26.4", "20.20.1",
            "22.10.1")

_THREAD = re.compile(r"^(\w+)\[\d+\] ")


@dataclass(frozen=True)
class Case:
    """One recorded load: the input and its helper files, the expected show and log."""

    name: str
    conf: Path
    show: Path
    log: Path
    include: Path | None = None
    users: Path | None = None


def edge_cases(folder: Path) -> list[Case]:
    """The cases of an ``edge/``-style folder (``NAME.conf`` + ``NAME.show.txt``...)."""
    cases = []
    for conf in sorted(folder.glob("*.conf")):
        name = conf.name[: -len(".conf")]
        include = folder / f"{name}.part.inc"
        users = folder / f"{name}.users-conf"
        cases.append(Case(
            name, conf, folder / f"{name}.show.txt", folder / f"{name}.log",
            include if include.exists() else None, users if users.exists() else None,
        ))
    return cases


def bundled_cases() -> list[Case]:
    """The cases copied into tests/dialplan/data (they run without ../shared)."""
    cases = edge_cases(DATA / "edge")
    for name in ("dialplan", "sample-22"):
        folder = DATA / name
        cases.append(Case(name, folder / "extensions.conf", folder / "extensions.conf.show.txt",
                          folder / "extensions.conf.log"))
    return cases


def corpus_cases() -> list[Case]:
    """Every recorded case of the shared corpus (empty when it is not present)."""
    if not CORPUS.is_dir():
        return []
    cases = edge_cases(CORPUS / "edge")
    for version in VERSIONS:
        sample = SAMPLES / version / "extensions.conf.sample"
        if sample.exists():
            folder = CORPUS / version
            cases.append(Case(f"sample-{version}", sample, folder / "extensions.conf.show.txt",
                              folder / "extensions.conf.log"))
    folder = CORPUS / "dialplan"
    cases.append(Case("dialplan", SHARED / "asterisk" / "dialplan" / "extensions.conf",
                      folder / "extensions.conf.show.txt", folder / "extensions.conf.log"))
    return cases


def install(case: Case, confdir: Path) -> Path:
    """Install the case as Asterisk's config dir held it; the path of extensions.conf."""
    target = confdir / "extensions.conf"
    shutil.copyfile(case.conf, target)
    if case.include is not None:
        shutil.copyfile(case.include, confdir / case.include.name)
    if case.users is not None:
        shutil.copyfile(case.users, confdir / "users.conf")
    return target


def load(case: Case, confdir: Path) -> Dialplan:
    """Load the installed case."""
    return load_dialplan(install(case, confdir), confdir=confdir)


def expected_log(case: Case) -> list[str]:
    """The recorded log lines without thread ids, paths as /etc/asterisk/."""
    text = case.log.read_bytes().decode("utf-8", "surrogateescape")
    return [_THREAD.sub(r"\1 ", line) for line in text.splitlines() if line.strip()]


def actual_log(dialplan: Dialplan, confdir: Path) -> list[str]:
    """Our log lines, with the config dir written as Asterisk's."""
    prefix = str(confdir) + "/"
    return [line.replace(prefix, "/etc/asterisk/") for line in dialplan.log]


def compare(case: Case, confdir: Path) -> tuple[bool, bool, Dialplan]:
    """(show equal, log equal apart from config.c lines, the dialplan)."""
    dialplan = load(case, confdir)
    show_ok = show_bytes(dialplan) == case.show.read_bytes()
    expected = [line for line in expected_log(case) if " config.c: " not in line]
    log_ok = actual_log(dialplan, confdir) == expected
    return show_ok, log_ok, dialplan
