#!/usr/bin/python
"""Ansible module ``pyst.asterisk.asterisk_conf``: edit Asterisk .conf files with pyst."""
# Ansible's layout puts DOCUMENTATION/EXAMPLES/RETURN above the imports.
# ruff: noqa: E402

from __future__ import annotations

DOCUMENTATION = r"""
---
module: asterisk_conf
short_description: Manage keys and sections of Asterisk .conf files, as Asterisk reads them
description:
  - Sets, adds and removes keys and sections of an Asterisk configuration file
    (C(sip.conf), C(pjsip.conf), C(extensions.conf), ...) with the smallest edit that gets
    there. Every other byte of the file stays as it was; templates C([name](!)),
    inheritance C([name](a,b)), C((+)) additions, repeated keys (C(allow), C(exten))
    and C(=>) object lines are understood, unlike M(community.general.ini_file).
  - Runs the declarative engine of the L(pyst,https://pypi.org/project/pyst-pbx/) library,
    which must be installed on the managed host (C(pip install pyst-pbx)).
  - A second run with the same arguments reports C(changed=false) and leaves the file
    byte-identical. Supports check mode and diff mode.
options:
  path:
    description: The .conf file to edit.
    type: path
    required: true
    aliases: [dest]
  section:
    description:
      - The section (category) name. C(NAME[2]) names the second section of that name;
        see also O(index) and O(match).
      - Required unless O(apply) is given.
    type: str
  option:
    description: The key. Without it the task is about the whole section.
    type: str
    aliases: [key]
  value:
    description: The single value O(option) must have (the section's own lines).
    type: str
  values:
    description:
      - Every value of a repeated key, in order (C(allow), C(exten), C(member), ...).
      - With O(state=absent), the values to remove.
    type: list
    elements: str
  exclusive:
    description:
      - With O(state=present) and O(values), remove values of O(option) that are not listed
        (true) or only add the missing ones (false).
    type: bool
    default: true
  state:
    description:
      - V(present) makes the key (or section) be there as given; V(absent) removes it
        (only the given O(value)/O(values) of a key, if given).
    type: str
    choices: [present, absent]
    default: present
  template:
    description:
      - Whether the section is a template C([name](!)). Left as it is if not given.
      - Set on a new section; an existing section must already be so (changing a header is
        not supported yet and fails the task).
    type: bool
  inherit:
    description:
      - The section's parents C([name](a,b)), exactly, in order.
      - Left as they are if not given. Set on a new section; an existing section must
        already have them (changing a header is not supported yet and fails the task).
    type: list
    elements: str
  operator:
    description: C(=>) for object lines (C(exten =>)); default keeps what the file uses.
    type: str
    choices: ['=', '=>']
  after:
    description: Where a new section goes, right after this section (default, the end).
    type: str
  before:
    description: Where a new section goes, right before this section.
    type: str
  match:
    description: Among sections of the same name, the one where Asterisk reads these key/values.
    type: dict
  index:
    description: Among sections of the same name, the Nth one (from 1).
    type: int
  apply:
    description:
      - A whole change set, as a dict with a C(sections) entry, or the path of a TOML/JSON
        change file on the managed host. The format is that of C(pyst-config apply).
      - Mutually exclusive with O(section).
    type: raw
  tree:
    description:
      - Edit O(path) and every file it C(#include)s as one; a section is found in whichever
        file holds it, an edit goes to the file that holds the line, and every changed
        file is saved (and backed up with O(backup)).
    type: bool
    default: false
  confdir:
    description: With O(tree), Asterisk's config directory, for relative C(#include) paths.
    type: path
  asterisk:
    description:
      - The Asterisk version that reads the file (C(18), C(20), C(22), C(23), C(master));
        its lookup rules decide what a value override means. Default is pyst's default.
    type: str
  create:
    description: Create the file if it does not exist (otherwise fail).
    type: bool
    default: true
  backup:
    description: Keep a timestamped copy of the file before changing it.
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.files
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
requirements:
  - pyst-pbx (the pyst library) on the managed host
author:
  - pyst contributors
"""

EXAMPLES = r"""
- name: Listen on 5061
  pyst.asterisk.asterisk_conf:
    path: /etc/asterisk/sip.conf
    section: general
    option: bindport
    value: "5061"

- name: A phone that inherits from a template, with its codecs in order
  pyst.asterisk.asterisk_conf:
    path: /etc/asterisk/pjsip.conf
    section: "6001"
    inherit: [endpoint-tpl]
    option: allow
    values: [ulaw, g722]

- name: A dialplan line
  pyst.asterisk.asterisk_conf:
    path: /etc/asterisk/extensions.conf
    section: default
    option: exten
    values: ["100,1,Dial(PJSIP/6001)"]
    operator: "=>"
    exclusive: false

- name: No more phone 6009
  pyst.asterisk.asterisk_conf:
    path: /etc/asterisk/pjsip.conf
    section: "6009"
    state: absent
    backup: true

- name: A whole change set at once
  pyst.asterisk.asterisk_conf:
    path: /etc/asterisk/pjsip.conf
    apply:
      sections:
        "6002": {parents: [endpoint-tpl], keys: {auth: "6002"}}
        old-phone: {state: absent}
"""

RETURN = r"""
changes:
  description: What changed, one line each (empty when nothing had to).
  returned: always
  type: list
  elements: str
msg:
  description: The changes joined, or C(no changes).
  returned: always
  type: str
backup_file:
  description: The backup copy, when O(backup) made one (of O(path), or of the first
    changed file with O(tree)).
  returned: changed and backup
  type: str
files:
  description: The files that changed (or would, in check mode).
  returned: always
  type: list
  elements: str
"""

import json
import os
import traceback
from typing import Any

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    from pyst import config
except ImportError:
    config = None
    PYST_IMPORT_ERROR = traceback.format_exc()
else:
    PYST_IMPORT_ERROR = None


def _engine() -> Any:
    """pyst's declarative apply (``pyst.config.apply``; in early pyst a private module)."""
    apply = getattr(config, "apply", None)
    if apply is None:
        try:
            from pyst.config._apply import apply
        except ImportError:
            return None
    return apply


def _load_change_file(path: str) -> Any:
    with open(path, "rb") as stream:
        data = stream.read()
    if path.lower().endswith(".json") or data.lstrip()[:1] == b"{":
        return json.loads(data)
    try:
        import tomllib
    except ModuleNotFoundError:
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            raise ValueError(
                f"{path}: TOML needs Python 3.11+ or the tomli package on the managed host; "
                "use a JSON change file"
            ) from None
    return tomllib.loads(data.decode("utf-8"))


def change_set(document: Any, params: dict[str, Any]) -> dict[str, Any]:
    """The module's options as a pyst change set."""
    if params["apply"] is not None:
        changes = params["apply"]
        if isinstance(changes, str):
            changes = _load_change_file(changes)
        return dict(changes)
    name = params["section"]
    if params["index"]:
        name = f"{name}[{params['index']}]"
    spec: dict[str, Any] = {}
    if params["match"]:
        spec["match"] = {str(k): str(v) for k, v in params["match"].items()}
    option, state = params["option"], params["state"]
    values = params["values"]
    if params["value"] is not None:
        values = [params["value"]]
    if option is None:
        if state == "absent":
            spec["state"] = "absent"
    else:
        key: dict[str, Any] | None
        if state == "absent" and values is None:
            key = None
        elif state == "absent":
            key = {"remove": list(values)}
        elif values is None:
            raise ValueError("state=present with an option needs value or values")
        elif params["exclusive"]:
            key = {"values": list(values)}
        else:
            key = {"add": list(values)}
        if key is not None and params["operator"]:
            key["operator"] = params["operator"]
        spec["keys"] = {option: key}
    if state == "present":
        if params["template"] is not None:
            spec["template"] = params["template"]
        if params["inherit"] is not None:
            spec["parents"] = list(params["inherit"])
        for place in ("after", "before"):
            if params[place] is not None:
                spec[place] = params[place]
    if option is not None and state == "absent" and document.section(params["section"]) is None:
        return {"sections": {}}  # nothing to remove from a section that is not there
    return {"sections": [{"name": name, **spec}]}


def main() -> None:
    """Run the module."""
    module = AnsibleModule(
        argument_spec={
            "path": {"type": "path", "required": True, "aliases": ["dest"]},
            "section": {"type": "str"},
            "option": {"type": "str", "aliases": ["key"]},
            "value": {"type": "str"},
            "values": {"type": "list", "elements": "str"},
            "exclusive": {"type": "bool", "default": True},
            "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
            "template": {"type": "bool"},
            "inherit": {"type": "list", "elements": "str"},
            "operator": {"type": "str", "choices": ["=", "=>"]},
            "after": {"type": "str"},
            "before": {"type": "str"},
            "match": {"type": "dict"},
            "index": {"type": "int"},
            "apply": {"type": "raw"},
            "tree": {"type": "bool", "default": False},
            "confdir": {"type": "path"},
            "asterisk": {"type": "str"},
            "create": {"type": "bool", "default": True},
            "backup": {"type": "bool", "default": False},
        },
        mutually_exclusive=[
            ["value", "values"], ["apply", "section"], ["after", "before"], ["index", "match"],
        ],
        required_one_of=[["section", "apply"]],
        add_file_common_args=True,
        supports_check_mode=True,
    )
    if config is None:
        module.fail_json(msg=missing_required_lib("pyst-pbx"), exception=PYST_IMPORT_ERROR)
    engine = _engine()
    if engine is None:
        module.fail_json(
            msg="the pyst-pbx on the managed host is too old for this module (it has no "
            "pyst.config.apply); upgrade it: pip install -U pyst-pbx"
        )
    params = module.params
    path = params["path"]
    exists = os.path.exists(path)
    if not exists and not params["create"]:
        module.fail_json(msg=f"{path} does not exist (set create: true to create it)")
    version = {"asterisk": params["asterisk"]} if params["asterisk"] else {}
    try:
        if params["tree"]:
            if not exists:
                module.fail_json(msg=f"{path} does not exist; a tree starts from a file")
            target = config.load_tree(path, confdir=params["confdir"], **version)
            documents = list(target.documents)
        else:
            target = (
                config.load(path, **version) if exists
                else config.parse(b"", path=path, **version)
            )
            documents = [target]
        befores = [document.dumps() for document in documents]
        changes = [str(c) for c in engine(target, change_set(target, params))]
    except (config.ConfigError, ValueError, OSError) as error:
        module.fail_json(msg=str(error), path=path)
    changed_documents = [
        (document, before) for document, before in zip(documents, befores, strict=True)
        if document.dumps() != before
    ]
    changed = bool(changed_documents)
    result: dict[str, Any] = {
        "changed": changed,
        "changes": changes if changed else [],
        "msg": "; ".join(changes) if changed else "no changes",
        "path": path,
        "files": [document.path for document, _ in changed_documents],
    }
    if module._diff:
        result["diff"] = [
            {
                "before_header": document.path if exists else "/dev/null",
                "after_header": document.path,
                "before": before.decode("utf-8", "replace"),
                "after": document.dumps().decode("utf-8", "replace"),
            }
            for document, before in changed_documents
        ]
    if changed and not module.check_mode:
        if params["backup"] and exists:
            backups = [module.backup_local(document.path) for document, _ in changed_documents]
            result["backup_file"] = backups[0]
        try:
            target.save()
        except config.ConfigError as error:
            module.fail_json(msg=str(error), path=path)
    file_args = module.load_file_common_arguments(params)
    if not module.check_mode and os.path.exists(path):
        result["changed"] = module.set_fs_attributes_if_different(file_args, result["changed"])
    module.exit_json(**result)


if __name__ == "__main__":
    main()
