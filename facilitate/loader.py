"""The one loader for programme and questionnaire files: every problem, with its line.

Reads with `yamlfile` (positions, no tags), validates with the pydantic models in
`programme`, and turns each pydantic error and each cross-field problem into a
`FILE:LINE: path.to.field: message` Problem. All problems are collected before raising.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem, ProgrammeError
from .i18n import LANGUAGES
from .programme import (
    Dimension,
    Programme,
    Questionnaire,
    Text,
    check_languages,
    check_model,
    check_questionnaire,
    cross_check,
    describe,
    did_you_mean,
    is_id,
    language_hint,
)
from .yamlfile import Document, Path_, format_path, read_yaml


def load_programme(
    path: Path, questionnaire_dirs: Sequence[Path] = (), display: str | None = None
) -> Programme:
    """Load and check a programme file; shared questionnaires come from `questionnaire_dirs`."""
    return programme_from(read_yaml(path, display), path, questionnaire_dirs)


def programme_from(doc: Document, path: Path, questionnaire_dirs: Sequence[Path] = ()) -> Programme:
    """Check the data of a programme file already read."""
    doc.mapping("a programme file must be a mapping (id:, title:, sessions: ...)")
    problems: list[Problem] = []
    data = dict(doc.data)
    dirs = [path.parent / "questionnaires", *questionnaire_dirs]
    if isinstance(data.get("questionnaires"), list):
        data["questionnaires"] = [
            _shared_questionnaire(item, ("questionnaires", i), dirs, doc, problems)
            if isinstance(item, str)
            else item
            for i, item in enumerate(data["questionnaires"])
        ]
    problems += [
        Problem(doc.file, doc.line_of(p), format_path(p), message)
        for p, message in cross_check(data)
    ]
    invalid: ValidationError | None = None
    try:
        # Session kinds may be written in the programme's own languages.
        languages = data.get("languages")
        known = (
            [lang for lang in languages if lang in LANGUAGES] if isinstance(languages, list) else []
        )
        programme = Programme.model_validate(data, context={"languages": known})
    except ValidationError as exc:
        invalid = exc
        problems += _problems(exc, doc, Programme)
    else:
        problems += [
            Problem(doc.file, doc.line_of(p), format_path(p), message)
            for p, message in check_model(programme)
        ]
    if problems:
        raise ProgrammeError(_without_misspelt(problems, invalid, doc, Programme))
    return programme


def load_questionnaire(path: Path, display: str | None = None) -> Questionnaire:
    """Load and check a shared questionnaire file (it must declare its languages)."""
    return questionnaire_from(read_yaml(path, display), path.stem)


def questionnaire_from(doc: Document, file_id: str | None = None) -> Questionnaire:
    """Check the data of a questionnaire file already read.

    Programmes name a shared questionnaire by its file name, so with `file_id` the
    questionnaire's id must be that name."""
    doc.mapping("a questionnaire file must be a mapping (id:, kind:, title: ...)")
    problems: list[Problem] = []
    found = [(p, message) for p, message in check_questionnaire(doc.data, ())]
    languages = doc.data.get("languages")
    if not languages:
        found.append(
            (
                ("languages",),
                "list the languages the questionnaire is written in, e.g. [fi, sv, en]",
            )
        )
    elif isinstance(languages, list) and all(lang in LANGUAGES for lang in languages):
        found += check_languages(doc.data, Questionnaire, languages)
    qid = doc.data.get("id")
    if file_id is not None and isinstance(qid, str) and qid != file_id:
        found.append(
            (
                ("id",),
                f"is '{qid}' but the file is named {file_id}.yaml; programmes find a shared questionnaire by its file name, so make them the same",
            )
        )
    problems += [Problem(doc.file, doc.line_of(p), format_path(p), message) for p, message in found]
    invalid: ValidationError | None = None
    try:
        questionnaire = Questionnaire.model_validate(doc.data)
    except ValidationError as exc:
        invalid = exc
        problems += _problems(exc, doc, Questionnaire)
    if problems:
        raise ProgrammeError(_without_misspelt(problems, invalid, doc, Questionnaire))
    return questionnaire


def _shared_questionnaire(
    name: str, path: Path_, dirs: list[Path], doc: Document, problems: list[Problem]
) -> Any:
    """A questionnaire named by id in a programme, from the first folder that has it."""
    # A name that is no id ('Feedback', '../x') names no file; it is reported unknown.
    for folder in dirs if is_id(name) else []:
        candidate = folder / f"{name}.yaml"
        if candidate.is_file():
            try:
                return load_questionnaire(candidate)
            except ProgrammeError as exc:
                problems.extend(exc.problems)
                return _stand_in(name)
    known = sorted({p.stem for folder in dirs if folder.is_dir() for p in folder.glob("*.yaml")})
    problems.append(
        Problem(
            doc.file,
            doc.line_of(path),
            format_path(path),
            f"no shared questionnaire '{name}'{did_you_mean(name, known)}; known: {', '.join(known) or 'none'}",
        )
    )
    return _stand_in(name)


def _stand_in(name: str) -> Questionnaire:
    """Stands for a shared questionnaire that failed to load (its problems are already
    reported), so that the programme's own problems are still found and references to
    it do not show up as unknown. Built without validation: the name may be no id."""
    dimension = Dimension.model_validate(
        {"id": "x", "title": "x", "statements": [{"id": "x", "text": "x"}]}
    )
    return Questionnaire.model_construct(
        id=name, kind="meter", title=Text(neutral=name), dimensions=[dimension]
    )


def _problems(exc: ValidationError, doc: Document, root: type[BaseModel]) -> list[Problem]:
    out = []
    for error in exc.errors(include_url=False):
        loc = _data_path(doc.data, error["loc"])
        message = _message(error, loc, root)
        line = doc.line_of(loc)
        key = (error.get("ctx") or {}).get("key") if error["type"] == "facilitate" else None
        if key is not None:
            line = doc.lines.get((*loc, key), line)  # the wrong key, not the mapping's start
        out.append(Problem(doc.file, line, format_path(loc), message))
    return out


def _without_misspelt(
    problems: list[Problem], exc: ValidationError | None, doc: Document, root: type[BaseModel]
) -> list[Problem]:
    """Drop the problems of a missing key that an unknown key is a misspelling of.

    `duraton: 3 h` is one mistake; "unknown key 'duraton' (did you mean 'duration'?)"
    says it all, and "duration: is required but missing" beside it would only confuse.
    """
    if exc is None:
        return problems
    misspelt: set[str] = set()
    for error in exc.errors(include_url=False):
        if error["type"] != "extra_forbidden":
            continue
        loc = _data_path(doc.data, error["loc"])
        model = _model_at(root, loc[:-1])
        if not loc or model is None:
            continue
        close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1, cutoff=0.6)
        parent: Any = doc.data
        for part in loc[:-1]:
            parent = parent[part]
        if close and isinstance(parent, dict) and close[0] not in parent:
            misspelt.add(format_path((*loc[:-1], close[0])))
    return [p for p in problems if p.file != doc.file or p.path not in misspelt]


def _data_path(data: Any, loc: tuple[Any, ...]) -> Path_:
    """The part of pydantic's `loc` that names places in the data (drops union tags)."""
    path: list[str | int] = []
    for i, part in enumerate(loc):
        if (isinstance(data, dict) and part in data) or (
            isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        ):
            data = data[part]
            path.append(part)
        elif i == len(loc) - 1 and isinstance(part, str) and isinstance(data, dict):
            path.append(part)  # a missing key
    return tuple(path)


def _message(error: Any, loc: Path_, root: type[BaseModel]) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "facilitate":
        return str(error["msg"])
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else "?"
        model = _model_at(root, loc[:-1])
        known = list(model.model_fields) if model else []
        hint = did_you_mean(key, known)
        return f"unknown key '{key}'{hint}" + ("" if hint else f"; known keys: {', '.join(known)}")
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        choices = [e.strip(" '") for e in expected.replace(" or ", ", ").split(",")]
        hint = ""
        if isinstance(value, str):
            hint = (
                language_hint(value)
                if set(choices) == set(LANGUAGES)
                else did_you_mean(value, choices)
            )
        return f"must be one of {expected}, got {describe(value)}{hint}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a mapping of keys and values, got {describe(value)}"
    if kind in ("list_type", "tuple_type"):
        hint = ""
        if isinstance(value, str) and value.strip() and "\n" not in value and len(value) < 60:
            hint = f"; write [{value.strip()}]"  # `delivery: teams` for `delivery: [teams]`
        return f"must be a list (lines starting with '- '), got {describe(value)}{hint}"
    if kind in ("bool_type", "bool_parsing"):
        return f"must be true or false, got {describe(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number, got {describe(value)}"
    if kind in ("float_type", "float_parsing"):
        return f"must be a number, got {describe(value)}"
    if kind == "string_type":
        return f"must be text, got {describe(value)}"
    if kind == "too_short":
        return "must not be empty"
    if kind == "greater_than_equal":
        return f"must be at least {error['ctx']['ge']}, got {describe(value)}"
    if kind == "less_than_equal":
        return f"must be at most {error['ctx']['le']}, got {describe(value)}"
    if kind in ("greater_than", "less_than"):
        return f"{error['msg'][0].lower()}{error['msg'][1:]}, got {describe(value)}"
    if kind == "union_tag_invalid":
        return f"must be a name or a mapping, got {describe(value)}"
    return f"{error['msg'][0].lower()}{error['msg'][1:]}"


def _model_at(root: type[BaseModel], path: Path_) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path` (for did-you-mean)."""
    current: Any = root
    for part in path:
        current = _unwrap(current, list_item=isinstance(part, int))
        if isinstance(part, int):
            continue
        if typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]  # a key of a mapping: its value's type
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = field.annotation
    current = _unwrap(current, list_item=False)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any, list_item: bool) -> Any:
    """Strip Optional, Annotated and unions down to a model; a list to its item type."""
    for _ in range(10):
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            models = [
                a for a in typing.get_args(annotation) if _unwrap(a, list_item) is not type(None)
            ]
            annotation = next(
                (
                    a
                    for a in models
                    if isinstance(_unwrap(a, list_item), type)
                    and issubclass(_unwrap(a, list_item), BaseModel)
                ),
                models[0] if models else None,
            )
        elif list_item and origin is list:
            annotation = typing.get_args(annotation)[0]
            list_item = False
        else:
            return annotation
    return annotation
