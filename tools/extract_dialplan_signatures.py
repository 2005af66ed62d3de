#!/usr/bin/env python3
"""Extract dialplan application and function signatures from Asterisk's XML documentation.

Reads the ``/*** DOCUMENTATION ... ***/`` blocks of every ``.c`` file and every ``.xml``
documentation file of one revision of an Asterisk git repository and writes, per
application and function, its name and parameters (name, required, multiple, argument
separator, sub-arguments) — facts only, no description text — with the revision and
the counts, as JSON::

    python tools/extract_dialplan_signatures.py --repo /path/to/asterisk.git \\
        --ref 22.10.1 --out pyst/dialplan/_data/asterisk-22.json

Files are read with ``git show REF:PATH`` so no checkout is needed.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

_BLOCK = re.compile(r"/\*\*\* DOCUMENTATION(.*?)\*\*\*/", re.S)
_XI = "{http://www.w3.org/2001/XInclude}include"


def _git(repo: str, *args: str) -> str:
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True,
                          text=True, errors="replace").stdout


def _grep_files(repo: str, ref: str, needle: str) -> list[str]:
    result = subprocess.run(["git", "-C", repo, "grep", "-l", "-F", needle, ref],
                            capture_output=True, text=True, errors="replace")
    prefix = ref + ":"
    return sorted(line[len(prefix):] for line in result.stdout.splitlines()
                  if line.startswith(prefix))


def _flag(element: ElementTree.Element, name: str) -> bool:
    return (element.get(name) or "").strip().lower() in ("true", "yes", "1")


def _argument(element: ElementTree.Element) -> dict[str, Any]:
    return {"name": element.get("name", ""), "required": _flag(element, "required"),
            "multiple": _flag(element, "multiple")}


def _parameter(element: ElementTree.Element) -> dict[str, Any]:
    parameter: dict[str, Any] = _argument(element)
    if element.get("argsep") is not None:
        parameter["argsep"] = element.get("argsep")
    arguments = [_argument(child) for child in element if child.tag == "argument"]
    if arguments:
        parameter["arguments"] = arguments
    return parameter


def _signature(element: ElementTree.Element) -> dict[str, Any]:
    syntax = element.find("syntax")
    signature: dict[str, Any] = {"argsep": ",", "parameters": [], "complete": True}
    if syntax is None:
        return signature
    if syntax.get("argsep") is not None:
        signature["argsep"] = syntax.get("argsep")
    for child in syntax:
        if child.tag == "parameter":
            signature["parameters"].append(_parameter(child))
        elif child.tag == _XI:
            signature["complete"] = False
    return signature


def _documents(text: str, is_xml: bool) -> list[ElementTree.Element]:
    bodies = [text] if is_xml else _BLOCK.findall(text)
    roots = []
    for body in bodies:
        body = re.sub(r"<\?xml[^>]*\?>", "", body)
        body = re.sub(r"<!DOCTYPE[^>]*>", "", body)
        wrapped = ('<pyst-docs xmlns:xi="http://www.w3.org/2001/XInclude">' + body
                   + "</pyst-docs>")
        try:
            roots.append(ElementTree.fromstring(wrapped))
        except ElementTree.ParseError as error:
            print(f"warning: cannot parse a documentation block: {error}", file=sys.stderr)
    return roots


def extract(repo: str, ref: str) -> dict[str, Any]:
    """The signature data of revision ``ref`` of the repository at ``repo``."""
    commit = _git(repo, "rev-parse", ref + "^{commit}").strip()
    app_files = _grep_files(repo, ref, "<application name=")
    func_files = _grep_files(repo, ref, "<function name=")
    tables: dict[str, dict[str, Any]] = {"application": {}, "function": {}}
    for path in sorted(set(app_files) | set(func_files)):
        if not (path.endswith(".c") or path.endswith(".xml")):
            continue
        text = _git(repo, "show", f"{ref}:{path}")
        for root in _documents(text, path.endswith(".xml")):
            for kind in ("application", "function"):
                for element in root.iter(kind):
                    name = element.get("name")
                    if not name or name in tables[kind]:
                        continue
                    signature = _signature(element)
                    signature["module"] = path
                    tables[kind][name] = signature
    return {
        "asterisk": ref,
        "commit": commit,
        "counts": {
            "application_files": len(app_files),
            "function_files": len(func_files),
            "applications": len(tables["application"]),
            "functions": len(tables["function"]),
        },
        "applications": dict(sorted(tables["application"].items())),
        "functions": dict(sorted(tables["function"].items())),
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: write the JSON for one revision."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", required=True, help="an Asterisk git directory")
    parser.add_argument("--ref", required=True, help="a tag or branch, e.g. 22.10.1 or master")
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args(argv)
    data = extract(args.repo, args.ref)
    args.out.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n")
    print(f"{args.ref} ({data['commit'][:12]}): {data['counts']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
