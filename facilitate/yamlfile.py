"""Reading YAML 1.2 files into plain data with the line of every value, safely.

ruamel.yaml composes the node graph (YAML 1.2: `no` stays a string, `9:30` stays a
string); we construct plain dicts, lists and scalars from it ourselves so that we can
refuse tags and aliases, catch duplicate keys, and remember where each value stood.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, ProgrammeError

Path_ = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
# The largest file we read; a programme is a few dozen kilobytes.
MAX_BYTES = 2_000_000
# The deepest nesting of [ ] and { } we parse; a programme needs two or three levels.
MAX_FLOW_DEPTH = 50


@dataclass
class Document:
    """The data of one YAML file and the line (1-based) of each path in it."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def mapping(self, what: str) -> dict[str, Any]:
        """The data, which must be a mapping; `what` says what mapping, for the message."""
        if not isinstance(self.data, dict):
            from .programme import describe

            raise ProgrammeError([Problem(self.file, 1, "", f"{what}, got {describe(self.data)}")])
        return self.data

    def line_of(self, path: Path_) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def format_path(path: Path_) -> str:
    """`("sessions", 2, "agenda", 1, "minutes")` -> `sessions[2].agenda[1].minutes`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def read_yaml(path: Path, display: str | None = None) -> Document:
    """Read `path`; raise ProgrammeError with a located message for anything unusable."""
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ProgrammeError([Problem(name, 0, "", "no such file")]) from None
    except IsADirectoryError:
        raise ProgrammeError([Problem(name, 0, "", "is a folder, not a YAML file")]) from None
    except PermissionError:
        raise ProgrammeError([Problem(name, 0, "", "cannot be read (permission denied)")]) from None
    except OSError as exc:
        raise ProgrammeError([Problem(name, 0, "", f"cannot be read ({exc.strerror})")]) from None
    if len(raw) > MAX_BYTES:
        raise ProgrammeError(
            [
                Problem(
                    name,
                    0,
                    "",
                    f"is {len(raw):,} bytes; a programme file may be at most {MAX_BYTES:,}",
                )
            ]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ProgrammeError(
            [Problem(name, line, "", "is not UTF-8 text; save it as UTF-8 in your editor")]
        ) from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> Document:
    """Parse YAML text (see read_yaml)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise ProgrammeError([Problem(name, 1, "", "the file is empty")])
    deep = _too_deep(text)
    if deep:
        raise ProgrammeError(
            [
                Problem(
                    name,
                    deep,
                    "",
                    f"[ ] and {{ }} nested more than {MAX_FLOW_DEPTH} levels deep; "
                    "a programme needs only a few",
                )
            ]
        )
    # A %YAML 1.1 line would bring back 1.1's rules (`no` as false, 9:30 as 570).
    version = re.search(r"^%YAML[ \t]+(\S+)", text, re.MULTILINE)
    if version and version.group(1) != "1.2":
        line = text[: version.start()].count("\n") + 1
        raise ProgrammeError(
            [
                Problem(
                    name,
                    line,
                    "",
                    f"the file declares YAML {version.group(1)}; programme files are YAML 1.2: delete the '%YAML' line",
                )
            ]
        )
    yaml = YAML(typ="rt", pure=True)
    yaml.version = (1, 2)
    doc = Document(name, None)
    problems: list[Problem] = []
    try:
        with warnings.catch_warnings():
            # A reused anchor is only a warning to ruamel; we refuse every anchor anyway.
            warnings.simplefilter("ignore")
            node = yaml.compose(io.StringIO(text))
        if node is None:
            raise ProgrammeError([Problem(name, 1, "", "the file is empty")])
        doc.data = _construct(node, (), doc, problems)
    except MarkedYAMLError as exc:
        line, what = _syntax_problem(exc)
        raise ProgrammeError([Problem(name, line, "", f"YAML syntax error: {what}")]) from None
    except ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        char = (
            exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        )
        raise ProgrammeError(
            [
                Problem(
                    name,
                    line,
                    "",
                    f"YAML syntax error: the control character U+{char:04X} "
                    "is not allowed in a YAML file; delete it",
                )
            ]
        ) from None
    except YAMLError as exc:
        what = " ".join(str(exc).split())
        raise ProgrammeError([Problem(name, 0, "", f"YAML syntax error: {what}")]) from None
    except RecursionError:
        raise ProgrammeError([Problem(name, 0, "", "nested too deeply")]) from None
    if problems:
        raise ProgrammeError(problems)
    return doc


def _too_deep(text: str) -> int:
    """The line where [ ] and { } nest deeper than MAX_FLOW_DEPTH, else 0.

    ruamel's scanner slows with the square of flow nesting (2 kB of '[' takes seconds), so
    we count first. Quoted text and comments are skipped; brackets in plain text count,
    which matters only past MAX_FLOW_DEPTH of them.
    """
    if text.count("[") + text.count("{") <= MAX_FLOW_DEPTH:
        return 0
    depth = 0
    line = 1
    quote = ""
    comment = escaped = False
    previous = "\n"
    for char in text:
        if char == "\n":
            line += 1
            comment = False
        elif comment:
            pass
        elif quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = ""
        elif char == "#" and previous in " \t\n":
            comment = True
        elif char in "'\"" and previous in " \t\n[{,:-?":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                return line
        elif char in "]}":
            depth = max(depth - 1, 0)
        previous = char
    return 0


def _syntax_problem(exc: Any) -> tuple[int, str]:
    """The line and a plain-language account of a ruamel.yaml syntax error.

    ruamel's own words ("expected <block end>, but found '?'") name parser states; a
    facilitator needs to know what to change. The common mistakes get their own message;
    anything else keeps ruamel's words.
    """
    context = exc.context or ""
    problem = exc.problem or ""
    at = exc.problem_mark.line + 1 if exc.problem_mark is not None else 0
    start = exc.context_mark.line + 1 if exc.context_mark is not None else at
    found = re.search(r"(?:found|got) '(.*)'$", problem)
    token = found.group(1) if found else ""
    if "quoted scalar" in context and "end of stream" in problem:
        return (
            start,
            "the quoted text that starts on this line is never closed; add the closing quote",
        )
    if "double-quoted" in context and "escape" in problem:
        return at, (
            "a backslash in double-quoted text starts an escape; write the text in single "
            "quotes ('C:\\folder'), or write each backslash twice"
        )
    if context.startswith("while parsing a flow sequence") or context.startswith(
        "while parsing a flow mapping"
    ):
        close = "]" if "sequence" in context else "}"
        what = "the end of the file" if token == "<stream end>" else f"'{token}' on line {at}"
        return start, (
            f"the {'[list]' if close == ']' else '{mapping}'} that starts on this line is not "
            f"closed with '{close}' (found {what}); text with ',' '[' or ':' in it needs quotes"
        )
    if problem == "mapping values are not allowed here":
        return at, (
            "unexpected ':'; text that contains ': ' must be in quotes "
            '(title: "Module 1: basics"), otherwise check the indentation'
        )
    if problem == "found character '\\t' that cannot start any token":
        return at, "a tab character; indent with spaces only"
    if problem.endswith("that cannot start any token") and token:
        return at, f"a value cannot start with '{token}'; put the text in quotes"
    if problem == "could not find expected ':'":
        return (
            start,
            "a line that is not 'key: value' inside a mapping; add the key and ':', or check the indentation",
        )
    if problem.startswith("expected <block end>"):
        if token == "-":
            return at, (
                "a list item ('- ') where the keys of a mapping continue; "
                "check the indentation or add the key the list belongs to"
            )
        if token == "<scalar>":
            return at, (
                "more text after a quoted value; quote the whole value, and if it contains "
                'a quote use the other kind ("it\'s")'
            )
        return at, (
            "the indentation does not line up with the lines above; the keys of a mapping, "
            "and the '- ' items of a list, must each start in the same column"
        )
    if problem == "but found another document":
        return (
            at,
            "a second YAML document ('---') in the file; a file holds one programme or questionnaire",
        )
    if problem.startswith("found undefined alias"):
        return at, "anchors and aliases (&name, *name) are not supported; write the value out"
    what = f"{context} {problem}" if problem.startswith("but") else problem or context
    return at, what or "invalid YAML"


def _construct(node: Any, path: Path_, doc: Document, problems: list[Problem]) -> Any:
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    line = node.start_mark.line + 1
    doc.lines.setdefault(path, line)
    if getattr(node, "anchor", None):
        # An alias is the anchored node itself, so its mark is the anchor's line; under a
        # key, the key's line (already recorded) is where the alias stands.
        line = doc.lines[path]
        # An anchor is where a billion-laughs bomb starts; a programme never needs one.
        problems.append(
            Problem(
                doc.file,
                line,
                format_path(path),
                "anchors and aliases (&name, *name) are not supported; write the value out",
            )
        )
        return None
    tag = str(node.tag)
    if isinstance(node, MappingNode):
        if tag != _CORE + "map":
            problems.append(_tag_problem(doc, line, path, tag))
            return None
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or str(key_node.tag) == _CORE + "merge":
                problems.append(
                    Problem(
                        doc.file,
                        key_line,
                        format_path(path),
                        "keys must be plain words (no merge keys, lists or mappings as keys)",
                    )
                )
                continue
            key = str(key_node.value)
            if key in out:
                first = doc.lines.get((*path, key), 0)
                problems.append(
                    Problem(
                        doc.file,
                        key_line,
                        format_path((*path, key)),
                        f"duplicate key '{key}' (first given on line {first})",
                    )
                )
                continue
            doc.lines[(*path, key)] = key_line
            out[key] = _construct(value_node, (*path, key), doc, problems)
            doc.lines[(*path, key)] = key_line  # the key's line beats the value's
        return out
    if isinstance(node, SequenceNode):
        if tag != _CORE + "seq":
            problems.append(_tag_problem(doc, line, path, tag))
            return None
        return [_construct(item, (*path, i), doc, problems) for i, item in enumerate(node.value)]
    return _scalar(node, tag, line, path, doc, problems)


def _scalar(
    node: Any, tag: str, line: int, path: Path_, doc: Document, problems: list[Problem]
) -> Any:
    # ruamel's scanner marks the fold points of `>` text with BEL; its own constructor
    # removes them, and so must we (BEL is not allowed in a Word document).
    value = str(node.value).replace("\a", "")
    kind = tag.removeprefix(_CORE) if tag.startswith(_CORE) else None
    # YAML 1.2 has no timestamps: an unquoted 2027-01-19 stays text, and the field
    # that wants a date parses it.
    if kind in ("str", "timestamp"):
        return value
    if kind == "null":
        return None
    if kind == "bool":
        return value.lower() == "true"
    if kind == "int":
        try:
            return int(value.replace("_", ""), 0)
        except ValueError:
            return value
    if kind == "float":
        text = value.replace("_", "").lower()
        if text in (".inf", "+.inf"):
            return math.inf
        if text == "-.inf":
            return -math.inf
        if text == ".nan":
            return math.nan
        try:
            return float(text)
        except ValueError:
            return value
    problems.append(_tag_problem(doc, line, path, tag))
    return None


def _tag_problem(doc: Document, line: int, path: Path_, tag: str) -> Problem:
    shown = "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
    return Problem(
        doc.file, line, format_path(path), f"YAML tags such as '{shown}' are not allowed"
    )
