"""One golden output per rule: tests/lint/data/rules/<CODE>/ holds the input files, the
command-line ``args`` and ``expected.txt`` (the text output and the exit status).

Set PYST_REGENERATE_GOLDEN=1 to rewrite the expected files after a deliberate change, and
review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pyst.lint import all_rules
from tests.lint.helpers import DATA, run_lint

RULES = DATA / "rules"
CASES = sorted(p.name for p in RULES.iterdir() if p.is_dir())
#: Rules that cannot be produced by a lint run, with the reason.
UNREACHABLE = {"L099": "only for loader codes this version does not know"}


@pytest.mark.parametrize("code", CASES)
def test_rule_output_is_the_golden_one(code: str) -> None:
    case = RULES / code
    args = (case / "args").read_text().split()
    status, out, err = run_lint(args, case)
    got = f"{out}exit: {status}\n"
    expected = case / "expected.txt"
    if os.environ.get("PYST_REGENERATE_GOLDEN"):
        expected.write_text(got)
    assert got == expected.read_text()
    assert err == ""
    assert f": {code} " in out, "the case must produce its own rule"


def test_every_rule_has_a_golden_case() -> None:
    # The dialplan family's rules are checked one to one against what a real Asterisk
    # logged for each recorded dialplan (tests/dialplan); three have cases here too.
    codes = {rule.code for rule in all_rules()}
    dialplan = {code for code in codes if code.startswith("DP")}
    assert codes - dialplan - set(CASES) - set(UNREACHABLE) == set()
    assert set(CASES) <= codes and dialplan & set(CASES)


def test_secrets_never_appear_in_output() -> None:
    for case in ("S201", "S202", "S203", "S204"):
        folder: Path = RULES / case
        _, out, _ = run_lint(["--isolated", *[p.name for p in sorted(folder.glob("*.conf"))]],
                                  folder)
        for conf in folder.glob("*.conf"):
            for line in conf.read_text().splitlines():
                name, _, value = line.partition("=")
                value = value.split(";")[0]
                # A secret equal to the section name is public anyway (and is reported).
                if name.strip() in ("secret", "password") and value.strip() and (
                        f"[{value.strip()}]" not in conf.read_text()):
                    assert value.strip() not in out


def test_a_long_secret_line_is_not_quoted(tmp_path: Path) -> None:
    (tmp_path / "sip.conf").write_text("[a]\nsecret=" + "k" * 8200 + "\n")
    _, out, _ = run_lint(["--isolated", "sip.conf"], tmp_path)
    assert "L025" in out and "kkkk" not in out
