"""Lines whose meaning depends on which Asterisk release reads the file (a lint rule)."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from pathlib import Path

from pyst.config._errors import ConfigIOError
from pyst.config._semantics.append import AppendChoice
from pyst.config._semantics.loader import Loader
from pyst.config._semantics.model import Config, Diagnostic, Severity, fold
from pyst.config._semantics.retrieved import RETRIEVED_NAMES
from pyst.config._semantics.target import AsteriskVersion, asterisk_version
from pyst.config._syntax.parsed import SyntaxFile, parse_file

#: Code of a ``+=`` line that extends a different variable in different releases.
APPEND_CODE = "version-dependent-append"
#: Code of a repeated name whose ``ast_variable_retrieve`` value differs between releases.
LOOKUP_CODE = "version-dependent-lookup"


def version_differences(
    source: str | os.PathLike[str] | SyntaxFile,
    targets: Iterable[str | int | AsteriskVersion] | str | int | AsteriskVersion = (
        "22", "master"
    ),
    *,
    confdir: str | os.PathLike[str] | None = None,
    exec_includes: bool = False,
    lookup_names: Collection[str] | None = RETRIEVED_NAMES,
) -> list[Diagnostic]:
    """Warnings for each line whose result differs between the Asterisk ``targets``.

    ``source`` is a path (read as :func:`pyst.config.read` reads it; an unreadable one
    raises :class:`pyst.config.ConfigIOError`) or a parsed file (a :class:`Document`).  Two kinds
    of line are reported, each once, on the line where it is (in an included file when it
    is there), sorted by file (the main file first) and line:

    * ``version-dependent-append``: a ``name += value`` line that rewrites the first
      matching variable in Asterisk up to 22 and a different, last one in 23+ (another
      variable of that name, or a template's copy, has the same value), so the category
      ends up with different variables;
    * ``version-dependent-lookup``: in a non-template category, a name whose first and
      last values differ, so ``ast_variable_retrieve`` (what modules and ``pbx_config``'s
      ``[general]`` use) gives the first value up to 22 and the last from 23 on; reported
      where a 23+ release finds it (a template's line when that one was inherited).  Only
      names in ``lookup_names`` (compared ignoring case) are checked: by default the ones
      Asterisk's own modules look up this way (``pyst.config.RETRIEVED_NAMES``, taken from
      its source), since names read as lists (``allow``, ``exten``, …) repeat by design;
      ``None`` checks every name.

    Nothing is reported when all ``targets`` share the rule concerned.  Unknown targets
    raise :class:`pyst.config.UnknownAsteriskVersion`.
    """
    if isinstance(targets, (str, int, AsteriskVersion)):
        targets = (targets,)
    versions = list(dict.fromkeys(asterisk_version(target) for target in targets))
    document = _parsed(source)
    update_rules = {version.update_last_match for version in versions}
    retrieve_rules = {version.retrieve_last_match for version in versions}
    found: dict[tuple[str, int, str], Diagnostic] = {}
    views = []
    for version in versions:
        loader = Loader(confdir=confdir, exec_includes=exec_includes, asterisk=version)
        config, choices = loader.load_noting_appends(document)
        views.append(config)
        if len(update_rules) > 1:
            for choice in choices:
                key = (choice.file, choice.line, APPEND_CODE)
                found.setdefault(key, _append_warning(choice, versions))
    reported = list(found.values())
    if len(retrieve_rules) > 1:
        wanted = None if lookup_names is None else {fold(name) for name in lookup_names}
        reported.extend(_lookup_warnings(views, wanted))
    return sorted(reported, key=lambda d: (d.file != document.path, d.file, d.line))


def _releases(versions: list[AsteriskVersion], last: bool, rule: str) -> str:
    names = [v.name for v in versions if getattr(v, rule) == last]
    return "Asterisk " + "/".join(names)


def _append_warning(choice: AppendChoice, versions: list[AsteriskVersion]) -> Diagnostic:
    first = "=".join(choice.first)
    last = "=".join(choice.last)
    return Diagnostic(
        Severity.WARNING, APPEND_CODE,
        f"'{choice.name} +=' makes '{choice.result}' of the first matching '{first}' in "
        f"{_releases(versions, False, 'update_last_match')} but of the last matching "
        f"'{last}' in {_releases(versions, True, 'update_last_match')}, line {choice.line} of "
        f"{choice.file} -- write the whole value with '=' so every release reads the same",
        choice.file, choice.line, choice.column,
    )


def _lookup_warnings(views: list[Config], wanted: set[str] | None) -> list[Diagnostic]:
    """Names whose ``ast_variable_retrieve`` value differs between the views (one per
    target; ``+=`` may have made their variables differ, their categories are alike)."""
    warnings = []
    for index, category in enumerate(views[0].categories):
        if category.template:
            continue
        instances = [view.categories[index] for view in views]
        for name in dict.fromkeys(fold(v.name) for c in instances for v in c.variables):
            if wanted is not None and name not in wanted:
                continue
            values = [c.get(name) for c in instances]
            if len(set(values)) == 1:
                continue
            # Where a 23+ release finds its value (its last occurrence), else a <=22 one's.
            finder = next((c for c in instances if c.asterisk.retrieve_last_match), instances[0])
            matches = [v for v in finder.variables if fold(v.name) == name]
            if not matches:  # cannot happen: += changes values and case, never drops names
                continue
            variable = matches[-1] if finder.asterisk.retrieve_last_match else matches[0]
            releases: dict[str | None, list[str]] = {}
            for instance, value in zip(instances, values, strict=True):
                releases.setdefault(value, []).append(instance.asterisk.name)
            readings = " but ".join(
                ("nothing" if value is None else f"'{value}'") + " in Asterisk " + "/".join(names)
                for value, names in releases.items()
            )
            inherited = " (inherited)" if variable.inherited else ""
            advice = (
                "set it in the template or in the category, not in both"
                if any(v.inherited for v in matches)
                else f"keep one '{variable.name}' line per category"
            )
            warnings.append(
                Diagnostic(
                    Severity.WARNING, LOOKUP_CODE,
                    f"'{variable.name}' in [{category.name}] reads {readings} where a module "
                    f"looks it up (first value up to 22, last from 23 on), line {variable.line} "
                    f"of {variable.file}{inherited} -- {advice} so every release reads the same",
                    variable.file, variable.line, 1,
                )
            )
    return warnings


def _parsed(source: str | os.PathLike[str] | SyntaxFile) -> SyntaxFile:
    """``source`` itself, or the file at that path parsed."""
    if not isinstance(source, (str, os.PathLike)):
        return source
    try:
        data = Path(source).read_bytes()
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or error
        raise ConfigIOError(
            f"cannot read {os.fspath(source)}: {reason}; check the path"
        ) from error
    return parse_file(data, path=os.fspath(source))
