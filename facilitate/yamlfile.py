"""Reading YAML 1.2 files into plain data with the line of every value, safely.

ruamel.yaml composes the node graph (YAML 1.2: `no` stays a string, `9:30` stays a
string); we construct plain dicts, lists and scalars from it ourselves so that we can
refuse tags and aliases, catch duplicate keys, and remember where each value stood.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, ProgrammeError

Path_ = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
# The largest file we read; a programme is a few dozen kilobytes.
MAX_BYTES = 2_000_000


@dataclass
class Document:
    """The data of one YAML file and the line (1-based) of each path in it."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

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

    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise ProgrammeError([Problem(name, 1, "", "the file is empty")])
    yaml = YAML(typ="rt", pure=True)
    yaml.version = (1, 2)
    try:
        node = yaml.compose(io.StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        what = exc.problem or exc.context or "invalid YAML"
        raise ProgrammeError([Problem(name, line, "", f"YAML syntax error: {what}")]) from None
    except YAMLError as exc:
        raise ProgrammeError([Problem(name, 0, "", f"YAML syntax error: {exc}")]) from None
    except RecursionError:
        raise ProgrammeError([Problem(name, 0, "", "nested too deeply")]) from None
    if node is None:
        raise ProgrammeError([Problem(name, 1, "", "the file is empty")])
    doc = Document(name, None)
    problems: list[Problem] = []
    doc.data = _construct(node, (), doc, problems)
    if problems:
        raise ProgrammeError(problems)
    return doc


def _construct(node: Any, path: Path_, doc: Document, problems: list[Problem]) -> Any:
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    line = node.start_mark.line + 1
    doc.lines.setdefault(path, line)
    if getattr(node, "anchor", None):
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
    value = str(node.value)
    kind = tag.removeprefix(_CORE) if tag.startswith(_CORE) else None
    if kind == "str":
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
