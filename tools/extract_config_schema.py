#!/usr/bin/env python3
"""Extract the documented config options of Asterisk into pyst/lint/_data/schema-<target>.json.

Usage (the Asterisk git repository from ``fetch github:asterisk/asterisk`` or a clone):

    python tools/extract_config_schema.py --repo /path/to/asterisk.git --ref 22.10.1 --target 22
    python tools/extract_config_schema.py --repo /path/to/asterisk.git --ref master --target master

Facts only: for every ``<configInfo>`` (module) / ``<configFile>`` / ``<configObject>`` /
``<configOption>`` of the XML documentation, the option's name, its ``default`` attribute,
the values of a top-level ``<enumlist>``, whether its synopsis marks it deprecated, and the
value type its C registration gives (``OPT_BOOL_T``/``OPT_YESNO_T`` -> boolean,
``OPT_UINT_T``, ``OPT_INT_T``, ``OPT_DOUBLE_T``); for ``aco`` object types, the category
match (``.category`` / ``.category_match``) and the ``type=`` value that selects them
(``.matchfield = "type"`` / ``.matchvalue``).  No description text is copied.

The script checks that every configOption of every configObject made it into the data and
records the source ref, commit and counts; tests/lint/test_schema.py checks the shipped data
against those counts.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "pyst" / "lint" / "_data"
_CONFIG_INFO = re.compile(r"<configInfo\b.*?</configInfo>", re.S)
_SIMPLE_ENUM = re.compile(r"^[A-Za-z0-9_.+-]+$")
_DEPRECATED = re.compile(r"deprecat|no longer (?:supported|used)|^\s*removed\b|obsolete", re.I)
_SORCERY = re.compile(
    r"ast_sorcery_object_field_register(?:_nodoc)?\s*\(\s*[^,;]+?\s*,\s*(\"[^\"]+\"|\w+)\s*,"
    r"\s*\"([^\"]+)\"\s*,\s*[^,;]+?\s*,\s*OPT_(\w+?)_T\s*,\s*(\w+)"
)
_ACO = re.compile(
    r"aco_option_register\s*\(\s*[&\w>.-]+\s*,\s*\"([^\"]+)\"\s*,\s*ACO_EXACT\s*,\s*(\w+)\s*,"
    r"\s*[^,;]+?\s*,\s*OPT_(\w+?)_T\s*,\s*(\w+)"
)
_ACO_TYPE = re.compile(r"struct aco_type\s+(\w+)\s*=\s*\{(.*?)\};", re.S)
_ACO_TYPES = re.compile(r"struct aco_type\s*\*\s*(\w+)\s*\[\]\s*=\s*ACO_TYPES\(([^)]*)\)")
_SORCERY_CUSTOM = re.compile(
    r"ast_sorcery_object_field_register_custom(?:_nodoc)?\s*\(\s*[^,;]+?\s*,\s*(\"[^\"]+\"|\w+)"
    r"\s*,\s*\"([^\"]+)\"\s*,\s*[^,;]+?\s*,\s*(\w+)\s*,"
)
_ACO_CUSTOM = re.compile(
    r"aco_option_register_custom(?:_nodoc)?\s*\(\s*[^,;]+?\s*,\s*\"([^\"]+)\"\s*,\s*ACO_EXACT"
    r"\s*,\s*(\w+)\s*,\s*[^,;]+?\s*,\s*(\w+)\s*,"
)
_FUNCTION = re.compile(
    r"^(?:static\s+)?(?:inline\s+)?(?:const\s+)?(?:(?:struct|enum)\s+)?\w+\s+\**(\w+)\s*"
    r"\([^;{]*?\)\s*\n\{", re.M,
)
_COMPARED = re.compile(r"\bstr(?:n)?(?:case)?cmp\s*\(\s*[^,;()]+(?:\([^()]*\))?\s*,\s*\"([^\"]*)\"")
_CALL = re.compile(r"\b(\w+)\s*\(")
#: Helpers whose string comparisons are not about one option's value.
_GENERIC_CALLS = frozenset({"ast_strlen_zero", "ast_strdupa", "ast_log", "ast_true", "ast_false"})
_MODULE_PREFIX = {"apps": "app", "channels": "chan", "res": "res", "main": "main"}
_DEFINE = re.compile(r"^#define\s+(\w+)\s+\"([^\"]+)\"", re.M)
_ACO_DEPRECATED = re.compile(
    r"aco_option_register_deprecated\s*\(\s*[^,;]+?\s*,\s*\"([^\"]+)\"\s*,\s*(\w+)\s*,\s*\"([^\"]+)\""
)
_NO_LONGER = re.compile(r"Option '(\w+)' is no longer supported\.\s+Use '(\w+)' instead")
_FIELD = re.compile(r"\.(\w+)\s*=\s*([^,\n]+)")
_KINDS = {"BOOL": "boolean", "YESNO": "boolean", "BOOLFLAG": "boolean", "UINT": "uint",
          "INT": "int", "DOUBLE": "double"}


def git(repo: str, *args: str) -> str:
    """Run git in ``repo`` and return its output as text."""
    return subprocess.run(
        ["git", "-C", repo, *args], check=True, capture_output=True, text=True,
        errors="surrogateescape",
    ).stdout


def _text(element: ET.Element | None) -> str:
    return "" if element is None else " ".join("".join(element.itertext()).split())


def _enum_values(option: ET.Element) -> list[str] | None:
    description = option.find("description")
    if description is None:
        return None
    lists = description.findall("enumlist")
    if len(lists) != 1:
        return None
    names = [e.get("name", "") for e in lists[0].findall("enum")]
    if not names or lists[0].find(".//enumlist") is not None:
        return None
    if not all(_SIMPLE_ENUM.match(n) for n in names):
        return None
    return names


def _bodies(source: str) -> dict[str, str]:
    """Function name -> body (braces matched) of the C functions defined in ``source``."""
    bodies: dict[str, str] = {}
    for match in _FUNCTION.finditer(source):
        depth, index = 0, match.end() - 1
        for index in range(match.end() - 1, len(source)):
            if source[index] == "{":
                depth += 1
            elif source[index] == "}":
                depth -= 1
                if depth == 0:
                    break
        bodies.setdefault(match.group(1), source[match.end() - 1:index + 1])
    return bodies


def _accepted(handler: str, local: dict[str, str], every: dict[str, str]) -> tuple[set[str], bool]:
    """The string literals a custom option handler (and the functions it calls, one level
    deep) compares its value with, and whether it also reads yes/no (ast_true/ast_false)."""
    body = local.get(handler) or every.get(handler, "")
    texts = [body]
    for called in set(_CALL.findall(body)) - {handler}:
        if called.startswith("ast_") and called in every and called not in _GENERIC_CALLS:
            texts.append(every[called])
        elif called in local and called != handler:
            texts.append(local[called])
    literals = {lit for text in texts for lit in _COMPARED.findall(text) if lit}
    booleans = any("ast_true(" in t or "ast_false(" in t for t in texts)
    return literals, booleans


def _kind(opt_type: str, flags: str) -> str:
    """The value kind of an OPT_*_T registration; text options whose flags argument is
    set refuse an empty value (config_options.c), marked with a ``!``."""
    kind = _KINDS.get(opt_type, opt_type.lower())
    if kind in ("stringfield", "char_array") and flags not in ("0", ""):
        kind += "!"
    return kind


def _registrations(
    repo: str, ref: str, paths: list[str]
) -> tuple[dict[Any, set[str]], dict[str, Any]]:
    """Value kinds by (object type, option) from C registrations, and aco type facts."""
    kinds: dict[Any, set[str]] = {}
    aco: dict[str, Any] = {}
    # Object type names are sometimes macros (SIP_SORCERY_AUTH_TYPE -> "auth").
    macros = dict(_DEFINE.findall(git(repo, "show", f"{ref}:include/asterisk/res_pjsip.h")))
    sources = {path: git(repo, "show", f"{ref}:{path}") for path in paths}
    every: dict[str, str] = {}
    for source in sources.values():
        for name, body in _bodies(source).items():
            every.setdefault(name, body)
    for path in paths:
        source = sources[path]
        local = _bodies(source)
        names = {**macros, **dict(_DEFINE.findall(source))}
        # Registrations belong to the module of their C file: res/res_hep.c -> res_hep,
        # res/res_pjsip/config_global.c -> res_pjsip.
        owners = {Path(path).stem, Path(path).parent.name}
        parts = Path(path).parts
        if len(parts) == 3 and parts[0] in _MODULE_PREFIX:
            # apps/confbridge/*.c build app_confbridge, res/res_pjsip/*.c build res_pjsip.
            owners.add(f"{_MODULE_PREFIX[parts[0]]}_{parts[1]}")
        for raw_type, option, kind, flags in _SORCERY.findall(source):
            object_type = raw_type.strip('"') if raw_type.startswith('"') else names.get(raw_type)
            if object_type is None:
                continue
            value_kind = _kind(kind, flags)
            for owner in owners:
                kinds.setdefault(("sorcery", owner, object_type, option), set()).add(value_kind)
            kinds.setdefault(("sorcery-any", object_type, option), set()).add(value_kind)
        arrays = {name: [m.strip().lstrip("&") for m in members.split(",") if m.strip()]
                  for name, members in _ACO_TYPES.findall(source)}
        structs = {}
        for var, body in _ACO_TYPE.findall(source):
            fields = {k: v.strip() for k, v in _FIELD.findall(body)}
            name = fields.get("name", "").strip('"')
            if name:
                structs[var] = name
                category = fields.get("category", "")
                match = fields.get("category_match", "").replace("ACO_", "").lower()
                facts = {}
                if category.startswith('"') and match:
                    facts = {"category": category.strip('"'), "match": match}
                if fields.get("matchfield", "").strip('"') == "type":
                    # The type is chosen by a type= value other than its name (confbridge).
                    facts["type_value"] = fields.get("matchvalue", "").strip('"')
                if facts:
                    for owner in owners:
                        aco[f"{owner}/{name}"] = facts
        for raw_type, option, handler in _SORCERY_CUSTOM.findall(source):
            object_type = raw_type.strip('"') if raw_type.startswith('"') else names.get(raw_type)
            literals, booleans = _accepted(handler, local, every)
            if object_type and (literals or booleans):
                for owner in owners:
                    kinds.setdefault(("accepts", owner, object_type, option), set()).update(
                        {*literals, *(["<boolean>"] if booleans else [])})
        for option, types, handler in _ACO_CUSTOM.findall(source):
            literals, booleans = _accepted(handler, local, every)
            for var in arrays.get(types, []):
                if var in structs and (literals or booleans):
                    for owner in owners:
                        kinds.setdefault(("accepts", owner, structs[var], option), set()).update(
                            {*literals, *(["<boolean>"] if booleans else [])})
        for option, replacement in _NO_LONGER.findall(source):
            for owner in owners:
                kinds.setdefault(("replaced", owner, option), set()).add(replacement)
        for alias, types, option in _ACO_DEPRECATED.findall(source):
            for var in arrays.get(types, []):
                if var in structs:
                    for owner in owners:
                        kinds.setdefault(("alias", owner, structs[var]), set()).add(
                            f"{alias}={option}")
        for option, types, kind, flags in _ACO.findall(source):
            for var in arrays.get(types, []):
                if var in structs:
                    for owner in owners:
                        kinds.setdefault(("aco", owner, structs[var], option), set()).add(
                            _kind(kind, flags))
    return kinds, aco


def extract(repo: str, ref: str, target: str) -> dict[str, Any]:
    """The schema of ``ref`` as a JSON-ready dict; raises if an option went missing."""
    commit = git(repo, "rev-parse", f"{ref}^{{commit}}").strip()
    listing = git(repo, "grep", "-l", "<configInfo", ref, "--", "*.c", "*.xml")
    doc_paths = sorted({line.split(":", 1)[1] for line in listing.splitlines() if line})
    dirs = {str(Path(p).parent) for p in doc_paths}
    c_files = [
        line for line in git(repo, "ls-tree", "-r", "--name-only", ref).splitlines()
        if line.endswith(".c") and str(Path(line).parent) in dirs and "/tests/" not in line
        and not line.startswith("tests/")
    ]
    kinds, aco = _registrations(repo, ref, c_files)
    files: dict[str, Any] = {}
    expected: set[tuple[str, str, str]] = set()
    option_elements = 0
    modules: set[str] = set()
    for path in doc_paths:
        text = git(repo, "show", f"{ref}:{path}")
        for block in _CONFIG_INFO.findall(text):
            # xi:include elements point into other docs; their prefix is not bound here.
            info = ET.fromstring(re.sub(r"<(/?)([A-Za-z]+):", r"<\1\2_", block))
            module = info.get("name", "")
            modules.add(module)
            for config_file in info.findall("configFile"):
                file_entry = files.setdefault(config_file.get("name", ""), {"objects": {}})
                for obj in config_file.findall("configObject"):
                    obj_name = obj.get("name", "")
                    entry = file_entry["objects"].setdefault(
                        obj_name, {"modules": [], "options": {}})
                    if module not in entry["modules"]:
                        entry["modules"].append(module)
                    facts_of_type = dict(aco.get(f"{module}/{obj_name}", {}))
                    if "type_value" in facts_of_type:
                        entry["type_value"] = facts_of_type.pop("type_value")
                    if facts_of_type and "category" not in entry:
                        entry["category"] = facts_of_type
                    for pair in sorted(kinds.get(("alias", module, obj_name), ())):
                        alias, replacement = pair.split("=", 1)
                        entry.setdefault("deprecated_aliases", {})[alias] = replacement
                    for option in obj.findall("configOption"):
                        option_elements += 1
                        name = option.get("name", "")
                        expected.add((config_file.get("name", ""), obj_name, name))
                        facts: dict[str, Any] = {}
                        if option.get("default") is not None:
                            facts["default"] = option.get("default")
                        values = _enum_values(option)
                        if values:
                            facts["enum"] = values
                            accepts = kinds.get(("accepts", module, obj_name, name))
                            if accepts:
                                # What the C handler compares the value with: it
                                # confirms (and completes) the documented list.
                                facts["accepts"] = sorted(accepts)
                        if _DEPRECATED.search(_text(option.find("synopsis"))):
                            facts["deprecated"] = True
                        kind = (kinds.get(("sorcery", module, obj_name, name))
                                or kinds.get(("sorcery-any", obj_name, name))
                                or kinds.get(("aco", module, obj_name, name)))
                        if kind and len(kind) == 1:
                            facts["kind"] = next(iter(kind)).rstrip("!")
                            if next(iter(kind)).endswith("!"):
                                facts["required"] = True
                        replaced = kinds.get(("replaced", module, name))
                        if replaced and len(replaced) == 1:
                            facts["deprecated"] = True
                            facts["replacement"] = next(iter(replaced))
                        entry["options"][name] = facts
    found = {
        (file, obj, option)
        for file, fentry in files.items()
        for obj, oentry in fentry["objects"].items()
        for option in oentry["options"]
    }
    missing = expected - found
    if missing:
        raise SystemExit(f"options missing from the data: {sorted(missing)[:10]}")
    counts = {
        "modules": len(modules),
        "files": len(files),
        "objects": sum(len(f["objects"]) for f in files.values()),
        "options": len(found),
        "option_elements": option_elements,
        "enums": sum(1 for f in files.values() for o in f["objects"].values()
                     for v in o["options"].values() if "enum" in v),
        "enums_confirmed": sum(1 for f in files.values() for o in f["objects"].values()
                               for v in o["options"].values() if "accepts" in v),
        "kinds": dict(sorted(Counter(
            v["kind"] for f in files.values() for o in f["objects"].values()
            for v in o["options"].values() if "kind" in v).items())),
        "deprecated": sum(1 for f in files.values() for o in f["objects"].values()
                          for v in o["options"].values() if v.get("deprecated")),
    }
    for fentry in files.values():
        for oentry in fentry["objects"].values():
            oentry["options"] = dict(sorted(oentry["options"].items()))
        fentry["objects"] = dict(sorted(fentry["objects"].items()))
    return {
        "format": 1,
        "target": target,
        "source": {"repository": "github:asterisk/asterisk", "ref": ref, "commit": commit},
        "counts": counts,
        "files": dict(sorted(files.items())),
    }


def main(argv: list[str] | None = None) -> int:
    """Extract one target and write its JSON file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", required=True, help="Asterisk git directory")
    parser.add_argument("--ref", required=True, help="tag or branch, e.g. 22.10.1 or master")
    parser.add_argument("--target", required=True, help="schema name, e.g. 22 or master")
    parser.add_argument("--out", type=Path, default=DATA)
    args = parser.parse_args(argv)
    schema = extract(args.repo, args.ref, args.target)
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / f"schema-{args.target}.json"
    out.write_text(json.dumps(schema, indent=1, sort_keys=False) + "\n", "utf-8")
    sys.stdout.write(f"{out}: {json.dumps(schema['counts'])}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
