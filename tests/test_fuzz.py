"""Property tests: whatever is in a programme file, loading it gives a Programme or a
FacilitateError, never another exception.

Two kinds of damage: to the data (keys dropped, values of the wrong type, junk keys,
duplicated list items, odd unicode, deep nesting), dumped back as YAML or JSON; and to
the raw bytes (flips, lines deleted or repeated, truncation). The default runs are short;
`pytest -m fuzz` runs the same properties with thousands of examples.
"""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitate import views
from facilitate.errors import FacilitateError, ProgrammeError
from facilitate.loader import load_programme, load_questionnaire
from facilitate.programme import Programme, Questionnaire
from facilitate.yamlfile import parse_yaml, read_yaml

from .conftest import DATA, TINY

SHARED = [DATA / "library" / "questionnaires"]
FEEDBACK = DATA / "library" / "questionnaires" / "feedback.yaml"

QUICK = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LONG = settings(QUICK, max_examples=2000)


DATA_BASES = [parse_yaml(TINY, "tiny.yaml").data, read_yaml(DATA / "programme.yaml").data]
RAW_BASES = [
    TINY.encode(),
    (DATA / "programme.yaml").read_bytes(),
]
RAW_QUESTIONNAIRE = FEEDBACK.read_bytes()


# -- what a load may do ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def load_as_programme(path: Path) -> None:
    try:
        programme = load_programme(path, SHARED)
    except ProgrammeError as exc:
        assert exc.problems, "a ProgrammeError must carry its problems"
        assert all(p.line >= 0 for p in exc.problems)
        return
    except FacilitateError:
        return
    assert isinstance(programme, Programme)
    # what the commands do first with a programme must work on any valid one
    sessions = programme.sessions_for()
    assert len(sessions) >= len(programme.sessions)
    for lang in programme.languages:
        views.summary(programme, lang)


def load_as_questionnaire(path: Path) -> None:
    try:
        questionnaire = load_questionnaire(path)
    except FacilitateError:
        return
    assert isinstance(questionnaire, Questionnaire)


# -- damage to the data ---------------------------------------------------------------------------

JUNK_TEXT = st.text(max_size=20)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**12), max_value=10**12)
    | st.floats(allow_nan=True, allow_infinity=True)
    | JUNK_TEXT
    | st.sampled_from(
        ["", "3 h", "3-5", "1 month", "fi", "no", "{n}", "9:30", "module-3", "agree-5"]
    )
)
JUNK = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(JUNK_TEXT, inner, max_size=3),
    max_leaves=8,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*path, i))


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return data


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _nest(value: Any, depth: int, as_list: bool) -> Any:
    for _ in range(depth):
        value = [value] if as_list else {"x": value}
    return value


@st.composite
def damaged_data(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(draw(st.sampled_from(DATA_BASES)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        path = draw(st.sampled_from(list(_paths(data))))
        target = _at(data, path)
        action = draw(st.sampled_from(["drop", "swap", "junk-key", "duplicate", "unicode", "nest"]))
        if action == "drop" and path:
            parent = _at(data, path[:-1])
            del parent[path[-1]]
        elif action == "swap":
            data = _replace(data, path, draw(JUNK))
        elif action == "junk-key" and isinstance(target, dict):
            target[draw(JUNK_TEXT)] = draw(JUNK)
        elif action == "duplicate" and isinstance(target, list) and target:
            i = draw(st.integers(min_value=0, max_value=len(target) - 1))
            target.insert(i, copy.deepcopy(target[i]))
        elif action == "unicode":
            data = _replace(data, path, draw(st.text(min_size=1, max_size=40)))
        elif action == "nest":
            depth = draw(st.integers(min_value=1, max_value=120))
            data = _replace(data, path, _nest(target, depth, draw(st.booleans())))
    return data


def dump(data: Any, as_json: bool) -> str:
    if as_json:
        # JSON is YAML 1.2 too: another layout, and every text in double quotes
        return json.dumps(data, ensure_ascii=False, indent=1)
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    out = StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def check_damaged_data(folder: Path, data: Any, as_json: bool) -> None:
    path = folder / "programme.yaml"
    path.write_text(dump(data, as_json), encoding="utf-8")
    load_as_programme(path)


@QUICK
@given(data=damaged_data(), as_json=st.booleans())
def test_damaged_data(folder: Path, data: Any, as_json: bool) -> None:
    check_damaged_data(folder, data, as_json)


@pytest.mark.fuzz
@LONG
@given(data=damaged_data(), as_json=st.booleans())
def test_damaged_data_long(folder: Path, data: Any, as_json: bool) -> None:
    check_damaged_data(folder, data, as_json)


# -- damage to the bytes ------------------------------------------------------------------------


def _lines(raw: bytes) -> list[bytes]:
    return raw.split(b"\n")


@st.composite
def damaged_bytes(draw: st.DrawFn, bases: list[bytes]) -> bytes:
    raw = draw(st.sampled_from(bases))
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        action = draw(
            st.sampled_from(
                ["flip", "insert", "delete-line", "repeat-line", "swap-lines", "truncate"]
            )
        )
        if not raw:
            break
        at = draw(st.integers(min_value=0, max_value=len(raw) - 1))
        if action == "flip":
            raw = raw[:at] + bytes([draw(st.integers(0, 255))]) + raw[at + 1 :]
        elif action == "insert":
            junk = draw(
                st.binary(max_size=8)
                | st.sampled_from(
                    [
                        b":",
                        b": ",
                        b"- ",
                        b"\t",
                        b"&a ",
                        b"*a",
                        b"!!",
                        b"[",
                        b"{",
                        b"'",
                        b'"',
                        b"#",
                        b"---\n",
                        b"\\",
                    ]
                )
            )
            raw = raw[:at] + junk + raw[at:]
        elif action == "truncate":
            raw = raw[:at]
        else:
            lines = _lines(raw)
            i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            j = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            if action == "delete-line":
                del lines[i]
            elif action == "repeat-line":
                lines.insert(i, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            raw = b"\n".join(lines)
    return raw


def check_damaged_bytes(folder: Path, raw: bytes, load: Callable[[Path], None]) -> None:
    path = folder / "damaged.yaml"
    path.write_bytes(raw)
    load(path)


@QUICK
@given(raw=damaged_bytes(RAW_BASES))
def test_damaged_bytes(folder: Path, raw: bytes) -> None:
    check_damaged_bytes(folder, raw, load_as_programme)


@pytest.mark.fuzz
@LONG
@given(raw=damaged_bytes(RAW_BASES))
def test_damaged_bytes_long(folder: Path, raw: bytes) -> None:
    check_damaged_bytes(folder, raw, load_as_programme)


@settings(QUICK, max_examples=40)
@given(raw=damaged_bytes([RAW_QUESTIONNAIRE]))
def test_damaged_questionnaire(folder: Path, raw: bytes) -> None:
    check_damaged_bytes(folder, raw, load_as_questionnaire)


@pytest.mark.fuzz
@LONG
@given(raw=damaged_bytes([RAW_QUESTIONNAIRE]))
def test_damaged_questionnaire_long(folder: Path, raw: bytes) -> None:
    check_damaged_bytes(folder, raw, load_as_questionnaire)


@settings(QUICK, max_examples=40)
@given(text=st.text(max_size=200))
def test_any_text(folder: Path, text: str) -> None:
    path = folder / "any.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    load_as_programme(path)


# -- the bases themselves ---------------------------------------------------------------------------


def test_bases_load() -> None:
    """The undamaged bases are valid, so damage is what the properties test."""
    with tempfile.TemporaryDirectory() as name:
        for i, data in enumerate(DATA_BASES):
            for as_json in (False, True):
                path = Path(name) / f"base{i}.yaml"
                path.write_text(dump(data, as_json), encoding="utf-8")
                assert isinstance(load_programme(path, SHARED), Programme)
    assert isinstance(load_questionnaire(FEEDBACK), Questionnaire)
