"""Property tests: whatever is in a programme file, loading it gives a Programme or a
FacilitateError, never another exception; whatever is in a participant list or a filled
sheet, reading it gives participants or answers on the scale, or an error to act on.

Two kinds of damage: to the data (keys dropped, values of the wrong type, junk keys,
duplicated list items, odd unicode, deep nesting), dumped back as YAML or JSON; and to
the raw bytes (flips, lines deleted or repeated, truncation). The default runs are short;
`pytest -m fuzz` runs the same properties with thousands of examples.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import tempfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitate import answers as answers_store
from facilitate import sheets, views
from facilitate.answers import META_SHEET, Meta
from facilitate.cohort import Cohort
from facilitate.collect import collect
from facilitate.errors import FacilitateError, InputError, ProgrammeError
from facilitate.loader import load_programme, load_questionnaire
from facilitate.participants import Participant, read_participants
from facilitate.programme import Programme, Questionnaire
from facilitate.yamlfile import parse_yaml, read_yaml

from .conftest import DATA, TINY

SHARED = [DATA / "library" / "questionnaires"]
FEEDBACK = DATA / "library" / "questionnaires" / "feedback.yaml"

# The profiles ("default", and "fuzz" under -m fuzz) are registered in conftest.py; the
# quick runs set their own number of examples, the long ones take the profile's.
QUICK = settings(max_examples=60)
LONG = settings()


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


# -- the participant list ------------------------------------------------------------------------

CELLS = (
    st.none()
    | st.text(max_size=30)
    | st.sampled_from(["Team member", "Coach", "member", "  ", "=1+1", "@SUM(A1)", "-", "x@y"])
    | st.integers(min_value=-(10**15), max_value=10**15)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.dates(min_value=date(1900, 1, 1))
    | st.datetimes(min_value=datetime(1900, 1, 1))
    | st.booleans()
    | st.integers(min_value=1000, max_value=40_000).map(lambda n: "x" * n)
)
# Rows a facilitator might type, for the csv list: names, roles, junk.
CSV_TEXT = st.lists(
    st.lists(
        st.text(max_size=15) | st.sampled_from(["Team member", "member", '"', ";", "sep=;"]),
        max_size=6,
    ),
    max_size=6,
)


@pytest.fixture(scope="module")
def tiny(folder: Path) -> Programme:
    path = folder / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return load_programme(path)


def read_list(path: Path, data: bytes, programme: Programme) -> None:
    """A list of participants with names and a participant role, or an InputError."""
    path.write_bytes(data)
    try:
        people = read_participants(path, programme)
    except InputError as exc:
        assert exc.message and "Traceback" not in exc.message
        return
    for person in people:
        assert isinstance(person, Participant)
        assert person.name and person.name == person.name.strip()
        assert person.role == "member"


def xlsx_list(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    workbook = Workbook()
    sheet = workbook.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            # text no xlsx can hold is left out: Excel would not save it either
            with contextlib.suppress(IllegalCharacterError):
                sheet.cell(row=r, column=c).value = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@st.composite
def list_rows(draw: st.DrawFn, header: list[str]) -> list[list[Any]]:
    """A header (usually) and rows that start as a good participant and get junk in a
    few cells, so that both good lists and every kind of bad cell are tried."""
    rows: list[list[Any]] = [list(header)] if draw(st.integers(0, 5)) else []
    for n in range(draw(st.integers(min_value=0, max_value=6))):
        row: list[Any] = [f"Person {n}", f"p{n}@example.org", "Org", "Team member"]
        for _ in range(draw(st.integers(min_value=0, max_value=3))):
            at = draw(st.integers(min_value=0, max_value=len(header) + 1))
            row += [None] * (at + 1 - len(row))
            row[at] = draw(CELLS)
        rows.append(row)
    return rows


def csv_bytes(header: list[str], rows: list[list[str]], delimiter: str, encoding: str) -> bytes:
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    return "\n".join(lines).encode(encoding, errors="replace")


TINY_HEADER = ["Name", "Email", "Organisation", "Role"]


@settings(QUICK, max_examples=40)
@given(rows=list_rows(TINY_HEADER))
def test_any_participant_workbook(folder: Path, tiny: Programme, rows: list[list[Any]]) -> None:
    read_list(folder / "participants.xlsx", xlsx_list(rows), tiny)


@pytest.mark.fuzz
@LONG
@given(rows=list_rows(TINY_HEADER))
def test_any_participant_workbook_long(
    folder: Path, tiny: Programme, rows: list[list[Any]]
) -> None:
    read_list(folder / "participants.xlsx", xlsx_list(rows), tiny)


CSV_LISTS = st.builds(
    csv_bytes,
    st.just(TINY_HEADER) | st.lists(st.text(max_size=10), max_size=5),
    CSV_TEXT,
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
) | st.binary(max_size=300)


@settings(QUICK, max_examples=40)
@given(data=CSV_LISTS)
def test_any_participant_csv(folder: Path, tiny: Programme, data: bytes) -> None:
    read_list(folder / "participants.csv", data, tiny)


@pytest.mark.fuzz
@LONG
@given(data=CSV_LISTS)
def test_any_participant_csv_long(folder: Path, tiny: Programme, data: bytes) -> None:
    read_list(folder / "participants.csv", data, tiny)


# -- the sheet collector ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def meter(folder: Path) -> tuple[Cohort, bytes, int]:
    """A cohort, a meter sheet `facilitate sheets` wrote for one of its people, and the
    highest score on the meter's scale."""
    from .test_golden import make_ohjaamo

    cohort = make_ohjaamo(folder / "koskela")
    [(_, data), *_] = sheets.build(sheets.plan(cohort, "meter", None, "person"))
    questionnaire = next(q for q in cohort.programme.questionnaires if q.kind == "meter")
    return cohort, data, len(sheets.choices(questionnaire, cohort.lang))


ANSWERS = (
    CELLS
    | st.integers(min_value=-1, max_value=8)
    | st.sampled_from(
        ["3", "3 - jokseenkin", "5 = täysin samaa mieltä", "Täysin samaa mieltä", "x", "2,0", "4.5"]
    )
)
DAMAGE = st.lists(
    st.tuples(
        st.sampled_from(["meta", "meta-row", "other"]),
        st.integers(min_value=1, max_value=40),
        st.integers(min_value=1, max_value=6),
        CELLS,
    ),
    max_size=4,
)


def fill_and_collect(
    meter: tuple[Cohort, bytes, int], folder: Path, answers: list[Any], damage: list[Any]
) -> None:
    """Collecting a sheet with any answers and any damage gives a report, and only
    scores on the scale are stored."""
    import openpyxl
    from openpyxl.utils.exceptions import IllegalCharacterError

    cohort, data, high = meter
    book = openpyxl.load_workbook(io.BytesIO(data))
    meta = Meta.from_rows([list(row) for row in book[META_SHEET].iter_rows(values_only=True)])
    scale = [f for f in meta.fields if f.kind == "scale"]
    main = book[scale[0].sheet]
    changes = [(book[f.sheet][f.cell], value) for f, value in zip(scale, answers, strict=False)]
    for where, row, col, value in damage:
        if where == "meta-row":
            book[META_SHEET].delete_rows(row)
            continue
        sheet = book[META_SHEET] if where == "meta" else main
        changes.append((sheet.cell(row=row, column=col), value))
    for cell, value in changes:
        # a merged cell takes no value, and no xlsx holds some control characters
        with contextlib.suppress(IllegalCharacterError, AttributeError):
            cell.value = value
    path = folder / "filled.xlsx"
    book.save(path)
    try:
        report = collect(cohort, "meter", [path])
    except FacilitateError:
        return
    assert len(report.files) == 1
    for questionnaire in cohort.programme.questionnaires:
        for response in answers_store.load(cohort, questionnaire.id, "pre-assignment"):
            assert all(1 <= score <= high for score in response.answers.values())


@settings(QUICK, max_examples=40)
@given(answers=st.lists(ANSWERS, max_size=30), damage=DAMAGE)
def test_any_filled_sheet(
    meter: tuple[Cohort, bytes, int], folder: Path, answers: list[Any], damage: list[Any]
) -> None:
    fill_and_collect(meter, folder, answers, damage)


@pytest.mark.fuzz
@LONG
@given(answers=st.lists(ANSWERS, max_size=30), damage=DAMAGE)
def test_any_filled_sheet_long(
    meter: tuple[Cohort, bytes, int], folder: Path, answers: list[Any], damage: list[Any]
) -> None:
    fill_and_collect(meter, folder, answers, damage)
