"""Models of how Asterisk reads an action, transcribed from its source to check what pyst sends:
main/manager.c (``get_input``, ``__astman_get_header``, ``man_do_variable_value``,
``handle_updates``), main/app.c (``__ast_app_separate_args``) and main/utils.c (``ast_strsep``).
"""

from __future__ import annotations


def asterisk_headers(data: bytes) -> list[str]:
    """The header lines of the first action in ``data`` as manager.c keeps them: a line ends
    at LF (a CR before it is dropped), the message ends at an empty line; at most
    AST_MAX_MANHEADERS (128) lines are kept."""
    lines: list[str] = []
    for raw in data.decode("utf-8", "surrogateescape").split("\n"):
        line = raw[:-1] if raw.endswith("\r") else raw
        if not line:
            break
        lines.append(line)
    return lines


def astman_get_header(headers: list[str], name: str) -> str:
    """``__astman_get_header``: first header whose name matches case-insensitively, value
    with leading blanks (bytes < 0x21) skipped."""
    for header in headers:
        if header[: len(name)].lower() == name.lower() and header[len(name) : len(name) + 1] == ":":
            return header[len(name) + 1 :].lstrip("".join(chr(c) for c in range(1, 33)))
    return ""


def manager_c_update_edit(data: bytes, index: int = 0) -> dict[str, object]:
    """What ``handle_updates`` makes of edit ``index`` of an UpdateConfig action."""
    headers = asterisk_headers(data)
    n = f"{index:06d}"
    value = astman_get_header(headers, f"Value-{n}")
    obj = bool(value) and value.startswith(">")
    if obj:
        value = value[1:]
    options = astman_get_header(headers, f"Options-{n}")
    inherit = manager_c_inherit(options) if options else []
    return {
        "action": astman_get_header(headers, f"Action-{n}"),
        "cat": astman_get_header(headers, f"Cat-{n}"),
        "var": astman_get_header(headers, f"Var-{n}"),
        "value": value,
        "object": obj,
        "inherit": inherit,
    }


def manager_c_originate_variables(data: bytes) -> dict[str, str]:
    """``astman_get_variables_order`` / ``man_do_variable_value`` over every Variable header."""
    return manager_c_variables(
        [header[9:] for header in asterisk_headers(data) if header[:9].lower() == "variable:"]
    )


def skip_blanks(text: str) -> str:
    """Skip leading bytes 1..32, as ``ast_skip_blanks`` does."""
    index = 0
    while index < len(text) and 0 < ord(text[index]) <= 32:
        index += 1
    return text[index:]


def app_separate_args(buf: str, delim: str = ",") -> list[str]:
    """main/app.c __ast_app_separate_args with remove_chars=1."""
    chars = list(buf)
    args: list[str] = []
    paren = quote = bracket = 0
    i = 0
    current: list[str] = []
    ended_on_delim = False
    if not chars:
        return []
    while i < len(chars):
        c = chars[i]
        ended_on_delim = False
        if c == "(":
            paren += 1
            current.append(c)
        elif c == ")":
            paren = max(0, paren - 1)
            current.append(c)
        elif c == "[":
            bracket += 1
            current.append(c)
        elif c == "]":
            bracket = max(0, bracket - 1)
            current.append(c)
        elif c == '"':
            quote = 0 if quote else 1
        elif c == "\\":
            i += 1
            if i < len(chars):
                current.append(chars[i])
        elif c == delim and not paren and not quote and not bracket:
            args.append("".join(current))
            current = []
            ended_on_delim = True
        else:
            current.append(c)
        i += 1
    if current or ended_on_delim:
        args.append("".join(current))
    return args


def manager_c_variables(header_values: list[str]) -> dict[str, str]:
    """man_do_variable_value for every Variable header (later items override)."""
    result: dict[str, str] = {}
    for raw in header_values:
        for item in app_separate_args(skip_blanks(raw)):
            var, eq, val = item.partition("=")
            if not eq or not var:
                continue
            result[var] = val
    return result


# AST_MAX_MANHEADERS is not the only limit: get_input() reads lines into inbuf[1025] and
# answers "Failed to parse message: line too long" for a line that does not fit.
INBUF_MAX_LINE = 1022  # bytes of content; 1023 + CRLF never fits in 1024 readable bytes


def strip_quoted(text: str) -> str:
    text = text.strip(" \t")
    if len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0]:
        text = text[1:-1]
    return text


def strsep(text: str, sep: str) -> tuple[str, str | None]:
    """main/utils.c ast_strsep with AST_STRSEP_STRIP (no escapes: pyst refuses them)."""
    stack: list[str] = []
    for index, c in enumerate(text):
        if c in "'\"":
            if stack and stack[-1] == c:
                stack.pop()
            else:
                stack.append(c)
        if c == sep and not stack:
            return strip_quoted(text[:index]), text[index + 1 :]
    return strip_quoted(text), None


def manager_c_inherit(options: str) -> list[str]:
    inherit: str | None = None
    rest: str | None = options
    while rest is not None:
        token, rest = strsep(rest, ",")
        if token.startswith("inherit"):
            _, after = strsep(token, "=")
            if after is not None:
                inherit, _ = strsep(after, "=")
    names: list[str] = []
    todo = inherit
    while todo:
        name, todo = strsep(todo, ",")
        names.append(name)
    return names


def manager_c_catfilter(options: str) -> list[tuple[str, str]] | None:
    catfilter: str | None = None
    rest: str | None = options
    while rest is not None:
        token, rest = strsep(rest, ",")
        if token.startswith("catfilter"):
            _, after = strsep(token, "=")
            if after is not None:
                catfilter, _ = strsep(after, "=")
    if catfilter is None:
        return None
    pairs: list[tuple[str, str]] = []
    todo: str | None = catfilter
    while todo:
        item, todo = strsep(todo, ",")
        name, value = strsep(item, "=")
        assert value is not None
        pairs.append((name, strsep(value, "=")[0]))
    return pairs
