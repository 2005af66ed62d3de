"""Generated configs: the linter never raises, its findings are sorted and located inside
the file, and every format renders them."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pyst.lint import FORMATTERS, Linter, LintInput, all_rules
from pyst.lint._schema import load_schema

NAMES = ["type", "aors", "auth", "transport", "endpoint", "secret", "password", "permit",
         "deny", "insecure", "write", "context", "max_contacts", "dtmf_mode", "bind",
         "protocol", "rtp_symmetric", "event", "stir_shaken", "contxt"]
VALUES = ["endpoint", "aor", "auth", "transport", "identify", "", "6001", "1234", "yes", "ye",
          "0.0.0.0/0", "invite", "udp", "0.0.0.0", "two", "rfc4733", "x,y", "all"]
LINES = st.one_of(
    st.builds(lambda n: f"[{n}]", st.sampled_from(["6001", "general", "tpl", "t"])),
    st.builds(lambda n, o: f"[{n}]({o})", st.sampled_from(["6002", "t"]),
              st.sampled_from(["!", "t", "+", "!,t", "tpl"])),
    st.builds(lambda k, v: f"{k}={v}", st.sampled_from(NAMES), st.sampled_from(VALUES)),
    st.sampled_from(["; pyst: noqa", "x ; pyst: noqa L020", "words", ";--", "--;", "[open",
                     '#include "nope.conf"', "", "\\q=1"]),
)
KINDS = ["pjsip.conf", "sip.conf", "manager.conf", "pjsip_wizard.conf", "confbridge.conf",
         "features.conf", "t.conf"]
RULES = {rule.code: rule for rule in all_rules()}


@settings(max_examples=150, deadline=None)
@given(st.lists(LINES, max_size=30), st.sampled_from(KINDS), st.sampled_from(["22", "master"]))
def test_lint_never_raises_and_findings_are_sane(lines: list[str], kind: str, target: str) -> None:
    from pyst.lint import LintSettings

    source = "\n".join(lines).encode()
    result = Linter(LintSettings(asterisk=target)).run([LintInput(f"gen/{kind}", source)])
    assert result.findings == sorted(result.findings)
    line_count = source.count(b"\n") + 1
    for finding in result.findings:
        assert finding.code in RULES
        assert 1 <= finding.line <= line_count
    for name, formatter in FORMATTERS.items():
        text = formatter(result.findings, RULES, 1)
        if name in ("json", "sarif"):
            json.loads(text)


def test_schemas_load() -> None:
    assert load_schema("22").counts["options"] > 0
