"""Reading filled workbooks back into a cohort's answers: what `facilitate collect` does.

Every workbook is read with python-calamine, which reads the values saved with the file
and never evaluates a formula. What a workbook is (cohort, questionnaire, round, where
each answer stands) comes from its hidden `_facilitate` sheet (`answers.Meta`). Values
are taken as people type them: 4, 4.0, "4", "4,0", "4 – agree", the label alone in any
of the programme's languages, with stray spaces. Anything else is reported by file,
sheet and cell with what was done with it. Nothing accepted is lost: a respondent
already stored is left as is when the answers are the same, and replaced, with a note,
when they differ; a value refused in a correction keeps the answer stored before it.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import answers
from .answers import ATTENDANCE, META_SHEET, PRE_ASSIGNMENT, Field, Mark, Meta, Response
from .errors import InputError
from .i18n import LANGUAGES, has, t
from .programme import OpenQuestion, Questionnaire, did_you_mean

if TYPE_CHECKING:
    from .cohort import Cohort
    from .participants import Participant

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
SAVE_AS = "save it as .xlsx (Excel Workbook)"
# The words accepted for attendance marks, besides the `sheets.mark.*` labels of the
# catalogues: what people write in each of our languages.
MARK_WORDS: dict[str, dict[Mark, tuple[str, ...]]] = {
    "fi": {
        "present": ("läsnä", "paikalla"),
        "absent": ("poissa",),
        "excused": ("poissa, ilmoitettu", "ilmoitettu poissaolo", "ilmoitettu", "esteellinen"),
    },
    "sv": {
        "present": ("närvarande", "närvaro"),
        "absent": ("frånvarande",),
        "excused": ("anmält förhinder", "förhinder", "anmäld frånvaro"),
    },
    "nb": {
        "present": ("til stede", "tilstede"),
        "absent": ("fraværende", "fravær"),
        "excused": ("meldt forfall", "forfall", "meldt fravær"),
    },
    "en": {
        "present": ("present",),
        "absent": ("absent",),
        "excused": ("excused", "excused absence", "apologies"),
    },
}
# A tick in a cell means the person was there.
PRESENT_SIGNS = ("x", "✓", "✔", "☑")


@dataclass
class FileResult:
    """What became of one file."""

    name: str  # as shown in messages: relative to the cohort folder where it is inside it
    what: str = ""  # "feedback, module-1", "attendance"
    new: int = 0
    replaced: int = 0
    unchanged: int = 0
    problems: int = 0  # values, respondents and fields not accepted
    refused: str | None = None  # why nothing in it was collected


@dataclass
class Report:
    """The outcome of one collect: counts by file, and every line worth reading."""

    kind: str
    files: list[FileResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "file, sheet S, cell D7: ...; left out"
    refused: list[str] = field(default_factory=list)  # one line per file not collected
    notes: list[str] = field(default_factory=list)  # replacements, files skipped
    written: list[Path] = field(default_factory=list)  # store files changed

    @property
    def new(self) -> int:
        return sum(f.new for f in self.files)

    @property
    def replaced(self) -> int:
        return sum(f.replaced for f in self.files)

    @property
    def unchanged(self) -> int:
        return sum(f.unchanged for f in self.files)

    @property
    def ok(self) -> bool:
        """Whether every file and value was accepted."""
        return not self.problems and not self.refused


# ---------------------------------------------------------------------------
# Text as people type it


def norm(text: str) -> str:
    """For comparing names and labels: one form of ä, no case, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    """A cell as text: whole numbers without '.0', dates as ISO, text trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()


def shown(value: Any) -> str:
    """A refused value in a message: '7', 'maybe', TRUE, the date 2027-05-04."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (datetime, date, time)):
        return f"the date {as_text(value)}" if isinstance(value, date) else as_text(value)
    return repr(as_text(value))


class Scale:
    """A questionnaire's scale, and what people type for a point of it."""

    def __init__(self, questionnaire: Questionnaire, languages: Iterable[str]) -> None:
        self.low, self.high = questionnaire.scale_range()
        self.labels: dict[str, int] = {}
        for lang in languages:
            for n, label in enumerate(questionnaire.scale_labels(lang), start=self.low):
                if label.strip():
                    self.labels.setdefault(_label_key(label), n)
        self.texts: dict[str, tuple[int | None, str | None]] = {}

    def __str__(self) -> str:
        return f"{self.low}–{self.high}"

    def parse(self, value: Any) -> tuple[int | None, str | None]:
        """The point `value` stands for, or why it is not one; (None, None) for a blank."""
        if type(value) is float or type(value) is int:
            if float(value).is_integer() and self.low <= value <= self.high:
                return int(value), None
            return None, f"{shown(value)} is not on the scale {self}"
        if type(value) is str:
            # A dropdown gives the same few texts in every workbook: parse each once.
            found = self.texts.get(value)
            if found is None:
                found = self.texts[value] = self._parse_text(value)
            return found
        if value is None:
            return None, None
        return None, f"{shown(value)} is not on the scale {self}"

    def _parse_text(self, value: str) -> tuple[int | None, str | None]:
        text = unicodedata.normalize("NFC", value).strip().replace("\u2212", "-")
        if not text:
            return None, None
        refused = f"{shown(value)} is not on the scale {self}"
        if (n := self.labels.get(_label_key(text))) is not None:
            return n, None
        m = _NUMBER_LABEL.match(text)
        if m is None:
            return None, refused
        label = _label_key(m.group(2) or "")
        if label and not any(c.isalpha() for c in label):
            return None, refused
        number = float(m.group(1).replace(",", "."))
        other = self.labels.get(label)
        if other is not None and other != number:
            return None, f"{refused}: {label!r} is {other}"
        if not number.is_integer() or not self.low <= number <= self.high:
            return None, refused
        return int(number), None


_NUMBER_LABEL = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)(?:\s*[-–—:.)=]?\s*(.*))?$", re.DOTALL)


def _label_key(text: str) -> str:
    return norm(text).rstrip(".!")


class Marks:
    """The attendance marks people write, in every language we know."""

    def __init__(self, lang: str) -> None:
        self.words: dict[str, Mark] = {norm(sign): "present" for sign in PRESENT_SIGNS}
        # The sheet's own language first: its words are the ones messages suggest.
        order = [lang, *(code for code in LANGUAGES if code != lang)]
        self.suggested: list[str] = []
        for code in order:
            for mark in answers.MARKS:
                key = f"sheets.mark.{mark}"
                words = ((t(code, key),) if has(code, key) else ()) + MARK_WORDS.get(code, {}).get(
                    mark, ()
                )
                for word in words:
                    self.words.setdefault(norm(word), mark)
                if code == lang and words:
                    self.suggested.append(words[0])
        for mark in answers.MARKS:
            self.words.setdefault(mark, mark)

    def parse(self, value: Any) -> tuple[Mark | None, str | None]:
        if is_blank(value):
            return None, None
        mark = self.words.get(norm(as_text(value))) if isinstance(value, str) else None
        if mark is None:
            choices = ", ".join(repr(w) for w in self.suggested[:-1])
            return None, (
                f"{shown(value)} is not an attendance mark (write {choices} "
                f"or {self.suggested[-1]!r})"
            )
        return mark, None


# ---------------------------------------------------------------------------
# What a kind collects, and which files


@dataclass(frozen=True)
class Target:
    """What `collect KIND` takes: attendance, or these questionnaires."""

    kind: str
    questionnaires: dict[str, Questionnaire]

    @property
    def attendance(self) -> bool:
        return self.kind == ATTENDANCE

    def takes(self, questionnaire: str) -> bool:
        if self.attendance:
            return questionnaire == ATTENDANCE
        return questionnaire in self.questionnaires


def target(cohort: Cohort, kind: str) -> Target:
    """`kind` as `collect` takes it: attendance, a questionnaire id, or a questionnaire
    kind (meter, feedback, evaluation); InputError names the kinds there are."""
    programme = cohort.programme
    if kind == ATTENDANCE:
        return Target(kind, {})
    by_id = {q.id: q for q in programme.questionnaires}
    if kind in by_id:
        return Target(kind, {kind: by_id[kind]})
    of_kind = {q.id: q for q in programme.questionnaires if q.kind == kind}
    if of_kind:
        return Target(kind, of_kind)
    known = list(dict.fromkeys([ATTENDANCE, *by_id, *(q.kind for q in programme.questionnaires)]))
    raise InputError(
        f"nothing to collect as '{kind}'{did_you_mean(kind, known)}; "
        f"the sheets of {programme.id} are: {', '.join(known)}"
    )


def display(path: Path, cohort: Cohort) -> str:
    """How a file is named in messages and in the store: from the cohort folder if it is
    inside it, else as given."""
    try:
        return path.resolve().relative_to(cohort.folder.resolve()).as_posix()
    except ValueError:
        return str(path)


def _wrong_kind(name: str, suffix: str) -> str:
    if suffix == ".xls":
        return f"{name} is an old Excel 97-2003 file; {SAVE_AS}"
    if suffix == ".ods":
        return f"{name} is an OpenDocument spreadsheet; {SAVE_AS}"
    if suffix == ".xlsb":
        return f"{name} is an Excel binary workbook; {SAVE_AS}"
    if suffix == ".csv":
        return (
            f"{name} is CSV text, which cannot hold the workbook's hidden identity; "
            "collect the filled .xlsx workbook itself"
        )
    kind = f"a {suffix} file" if suffix else "a file without an extension"
    return f"{name} is {kind}, not an Excel workbook (.xlsx)"


_SPREADSHEETS = (".xls", ".xlsb", ".ods", ".csv", ".numbers")


@dataclass
class _Found:
    path: Path
    name: str
    named: bool  # given by name, rather than found in a folder
    refused: str | None = None  # why it is not read at all


def expand(paths: Sequence[Path], cohort: Cohort, report: Report) -> list[_Found]:
    """The workbooks among `paths` and in the folders among them (and their subfolders),
    in order. Spreadsheets of other kinds come with the reason they are refused; other
    files in a folder are noted in `report` and skipped. A file named twice, or named
    and found in a folder also named, is read once."""
    found: dict[Path, _Found] = {}
    for path in paths:
        name = display(path, cohort)
        if path.is_dir():
            real = path.resolve()
            inside = name if Path(name).is_absolute() else None
            workbooks = 0
            for relative in _files_in(path):
                shown_name = (
                    str(Path(inside) / relative) if inside else f"{name.rstrip('/')}/{relative}"
                )
                base = relative.rsplit("/", 1)[-1]
                suffix = os.path.splitext(base)[1].lower()
                if base.startswith("~$"):
                    report.notes.append(
                        f"{shown_name}: {base[2:]} seems to be open in Excel; "
                        "changes not saved yet are not collected"
                    )
                elif suffix in WORKBOOK_SUFFIXES:
                    workbooks += 1
                    found.setdefault(real / relative, _Found(path / relative, shown_name, False))
                elif suffix in _SPREADSHEETS:
                    reason = _wrong_kind(shown_name, suffix)
                    found.setdefault(
                        real / relative, _Found(path / relative, shown_name, False, reason)
                    )
                else:
                    report.notes.append(f"{shown_name}: not a workbook; skipped")
            if not workbooks:
                report.notes.append(f"{name}: no .xlsx workbooks in this folder")
        elif path.is_file():
            suffix = path.suffix.lower()
            refused = None if suffix in WORKBOOK_SUFFIXES else _wrong_kind(name, suffix)
            found.setdefault(path.resolve(), _Found(path, name, True, refused))
        else:
            found.setdefault(path, _Found(path, name, True, f"{name}: no such file or folder"))
    return list(found.values())


def _files_in(folder: Path) -> list[str]:
    """The files in `folder` and its subfolders, as relative paths with '/', sorted; hidden
    files and folders (ours, the system's, an editor's) left out."""
    out = []
    for top, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        prefix = Path(top).relative_to(folder).as_posix()
        for file in files:
            if not file.startswith("."):
                out.append(file if prefix == "." else f"{prefix}/{file}")
    return sorted(out, key=str.casefold)


# ---------------------------------------------------------------------------
# Reading a workbook


class _Refused(Exception):
    """A file that is not collected; `other` names the questionnaire (or attendance) of
    a good sheet of another kind."""

    def __init__(self, message: str, other: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.other = other


Merged = list[tuple[tuple[int, int], tuple[int, int]]]


class _Grid:
    """The values of one sheet. Cells merged by hand read as the merged cell shows its
    value: for the answer cell it covers (the top-left one if that is an answer cell,
    else the first), and blank for any other answer cell it hides."""

    def __init__(
        self, rows: list[list[Any]], merged: Merged, is_field: Callable[[int, int], bool]
    ) -> None:
        self.rows = rows
        self.merged = merged
        self.is_field = is_field  # 0-based row and column of an answer cell
        self.owners: dict[int, tuple[int, int] | None] = {}
        # The merged ranges over each row, to look up only those (a range as tall as a
        # whole column is looked at for every row).
        self.by_row: dict[int, list[int]] = {}
        self.tall: list[int] = []
        for i, ((r0, _), (r1, _)) in enumerate(merged):
            if r1 - r0 > _TALL:
                self.tall.append(i)
            else:
                for r in range(r0, r1 + 1):
                    self.by_row.setdefault(r, []).append(i)

    @property
    def height(self) -> int:
        return len(self.rows)

    def value(self, row: int, col: int) -> Any:
        """The value at 1-based `row`, `col`; '' beyond the filled area."""
        r, c = row - 1, col - 1
        for i in (*self.by_row.get(r, ()), *self.tall) if self.merged else ():
            (r0, c0), (r1, c1) = self.merged[i]
            if r0 <= r <= r1 and c0 <= c <= c1:
                if i not in self.owners:
                    self.owners[i] = next(
                        (
                            (rr, cc)
                            for rr in range(r0, r1 + 1)
                            for cc in range(c0, c1 + 1)
                            if self.is_field(rr, cc)
                        ),
                        None,
                    )
                if self.owners[i] != (r, c) and (r, c) != (r0, c0):
                    return ""
                r, c = r0, c0
                break
        if r < len(self.rows):
            cells = self.rows[r]
            if c < len(cells):
                return cells[c]
        return ""


_TALL = 200
_CELL = re.compile(r"^([A-Za-z]{1,3})([1-9][0-9]{0,6})?$")


def column_number(letters: str) -> int:
    n = 0
    for char in letters.upper():
        n = n * 26 + ord(char) - 64
    return n


class _Value(NamedTuple):
    """One answer cell as read (a tuple: there are many)."""

    field: Field
    raw: Any
    file: str
    row: int  # in a collection; 0 in a person's workbook, where the field names the cell

    @property
    def where(self) -> str:
        """'file, sheet S, cell D7', for messages."""
        cell = self.field.cell.strip().upper()
        return f"{self.file}, sheet {self.field.sheet}, cell {cell}{self.row or ''}"


@dataclass
class _Record:
    """One respondent's row (or workbook), not yet interpreted."""

    respondent: str
    where: str  # where the name stands, for messages about the respondent
    source: str  # stored with the response: "file" or "file, sheet S, row 5"
    values: list[_Value]


@dataclass
class _Filled:
    meta: Meta
    records: list[_Record]
    problems: list[str]


def read_filled(path: Path, name: str) -> _Filled:
    """The identity and the raw answers of one workbook; _Refused for a file that is not
    a readable facilitate sheet."""
    from python_calamine import CalamineError

    from .workbook import open_workbook_file

    try:
        workbook = open_workbook_file(path, name, SAVE_AS)
    except InputError as exc:
        raise _Refused(exc.message) from None
    except PermissionError:
        raise _Refused(
            f"{name} is open in another program (Excel?) or cannot be read; "
            "close it and collect again"
        ) from None
    except OSError as exc:
        raise _Refused(f"{name} cannot be read: {exc.strerror}") from None
    try:
        if META_SHEET not in workbook.sheet_names:
            raise _Refused(
                f"{name} is not a sheet made by facilitate (it has no hidden {META_SHEET} "
                "sheet); answers are collected from the workbooks `facilitate sheets` makes"
            )
        rows = workbook.get_sheet_by_name(META_SHEET).to_python()
        try:
            try:
                meta = Meta.from_rows(rows)
            except ValueError:
                # A number where text was written (first_row 5.0, not '5'): as text, again.
                meta = Meta.from_rows([[as_text(c) for c in row] for row in rows])
        except ValueError as exc:
            raise _Refused(
                f"{name}: its hidden {META_SHEET} sheet is damaged ({exc}); "
                "make the sheet again with `facilitate sheets`"
            ) from None
        # Where each field's answer stands: (row, column), row 0 for a column of a collection.
        places = [_place(meta, f, name, whole_cell=meta.layout == "person") for f in meta.fields]
        grids: dict[str, _Grid] = {}
        for f in meta.fields:
            if f.sheet in grids:
                continue
            if f.sheet not in workbook.sheet_names:
                others = [s for s in workbook.sheet_names if s != META_SHEET]
                raise _Refused(
                    f"{name} has no sheet {f.sheet!r} (renamed or deleted? it has "
                    f"{', '.join(repr(s) for s in others) or 'no other sheet'}); "
                    "give the sheet its name back and collect again"
                )
            sheet = workbook.get_sheet_by_name(f.sheet)
            grids[f.sheet] = _Grid(
                sheet.to_python(skip_empty_area=False),
                sheet.merged_cell_ranges or [],
                _answer_cells(meta, f.sheet, places),
            )
    except CalamineError as exc:
        raise _Refused(f"{name} cannot be read as an Excel workbook ({exc}); {SAVE_AS}") from None
    if meta.layout == "person":
        return _Filled(meta, _person(meta, grids, places, name), [])
    return _collection(meta, grids, places, name)


def _answer_cells(
    meta: Meta, sheet: str, places: list[tuple[int, int]]
) -> Callable[[int, int], bool]:
    """Whether a 0-based cell of `sheet` holds an answer (or, in a collection, a name)."""
    if meta.layout == "person":
        cells = {
            (r - 1, c - 1)
            for f, (r, c) in zip(meta.fields, places, strict=True)
            if f.sheet == sheet
        }
        return lambda r, c: (r, c) in cells
    columns = {c - 1 for f, (_, c) in zip(meta.fields, places, strict=True) if f.sheet == sheet}
    first = meta.first_row - 1
    return lambda r, c: c in columns and r >= first


@functools.lru_cache(maxsize=4096)
def _cell(text: str, whole_cell: bool) -> tuple[int, int] | None:
    """The 1-based row (0 for a column) and column of 'C7' or 'D'; None if it is not one."""
    m = _CELL.match(text.strip())
    if m is None or whole_cell != bool(m.group(2)):
        return None
    return int(m.group(2) or 0), column_number(m.group(1))


def _place(meta: Meta, f: Field, name: str, whole_cell: bool) -> tuple[int, int]:
    place = _cell(f.cell, whole_cell)
    if place is None:
        raise _Refused(
            f"{name}: its hidden {META_SHEET} sheet is damaged (the {f.id!r} answer is at "
            f"{f.cell!r}, which is not a {'cell' if whole_cell else 'column'} of a "
            f"{meta.layout} sheet); make the sheet again with `facilitate sheets`"
        )
    return place


def _person(
    meta: Meta, grids: dict[str, _Grid], places: list[tuple[int, int]], name: str
) -> list[_Record]:
    values = []
    respondent, where = meta.respondent.strip(), name
    for f, (row, col) in zip(meta.fields, places, strict=True):
        raw = grids[f.sheet].value(row, col)
        if f.id == "respondent":
            if not respondent:
                respondent, where = as_text(raw), _Value(f, raw, name, 0).where
        else:
            values.append(_Value(f, raw, name, 0))
    if not respondent:
        raise _Refused(
            f"{name} does not say whose answers it holds (no respondent in its hidden "
            f"{META_SHEET} sheet, nor a name filled in); make the sheet again with "
            "`facilitate sheets`"
        )
    return [_Record(respondent, where, name, values)]


@functools.cache
def _totals() -> set[str]:
    """The names of the totals row under an attendance grid, in every language."""
    key = "sheets.present_total"
    return {norm(t(lang, key)) for lang in LANGUAGES if has(lang, key)}


def _collection(
    meta: Meta, grids: dict[str, _Grid], places: list[tuple[int, int]], name: str
) -> _Filled:
    names = next((f for f in meta.fields if f.id == "respondent"), None)
    if names is None or meta.first_row < 1:
        raise _Refused(
            f"{name}: its hidden {META_SHEET} sheet is damaged (no column of names, or no "
            "first row of answers); make the sheet again with `facilitate sheets`"
        )
    name_col = places[meta.fields.index(names)][1]
    answers_at = [
        (f, col) for f, (_, col) in zip(meta.fields, places, strict=True) if f is not names
    ]
    totals = _totals()
    last = max(grids[f.sheet].height for f in meta.fields)
    records: list[_Record] = []
    problems: list[str] = []
    for row in range(meta.first_row, last + 1):
        respondent = as_text(grids[names.sheet].value(row, name_col))
        values = [_Value(f, grids[f.sheet].value(row, col), name, row) for f, col in answers_at]
        if norm(respondent) in totals:
            continue  # the row of totals `sheets` writes under the names
        if not respondent:
            if any(not is_blank(v.raw) for v in values):
                problems.append(
                    f"{name}, sheet {names.sheet}, row {row}: answers without a name in "
                    f"column {names.cell.strip().upper()}; left out"
                )
            continue
        where = f"{name}, sheet {names.sheet}, cell {names.cell.strip().upper()}{row}"
        records.append(
            _Record(respondent, where, f"{name}, sheet {names.sheet}, row {row}", values)
        )
    return _Filled(meta, records, problems)


# ---------------------------------------------------------------------------
# Collecting


@dataclass
class _Store:
    """One round's stored responses, keyed by the normalised name."""

    responses: dict[str, Response]
    changed: bool = False


class _Collector:
    """One collect: the participants, the stores it touches, and who has answered."""

    def __init__(self, cohort: Cohort, goal: Target, today: date, report: Report) -> None:
        self.cohort = cohort
        self.goal = goal
        self.report = report
        self.collected = (
            today.isoformat(timespec="seconds")
            if isinstance(today, datetime)
            else today.isoformat()
        )
        self.people = _people(cohort)
        self.rounds = {PRE_ASSIGNMENT, *(s.id for s in cohort.sessions())}
        self.stores: dict[tuple[str, str], _Store] = {}
        self.seen: dict[tuple[str, str, str], str] = {}  # questionnaire, round, name -> source
        self.attendance: dict[str, dict[str, Mark]] | None = None
        self.attendance_changed = False
        self.marked: dict[str, dict[str, str]] = {}  # session -> normalised name -> name stored
        self.scales: dict[tuple[str, str], Scale] = {}
        self.questions: dict[str, tuple[set[str], dict[str, OpenQuestion]]] = {}

    # -- one file

    def file(self, found: _Found) -> None:
        result = FileResult(found.name)
        if found.refused is not None:
            return self.refuse(result, found.refused)
        try:
            filled = read_filled(found.path, found.name)
            self.check(filled.meta, found.name)
        except _Refused as exc:
            if exc.other is not None and not found.named:
                self.report.notes.append(
                    f"{found.name}: {_sheet_kind(exc.other)} sheet; skipped "
                    f"(collect it with `facilitate collect {exc.other}`)"
                )
                return None
            return self.refuse(result, exc.message)
        meta = filled.meta
        result.what = (
            ATTENDANCE
            if meta.questionnaire == ATTENDANCE
            else f"{meta.questionnaire}, {meta.round}"
        )
        self.report.files.append(result)
        for problem in filled.problems:
            self.problem(result, problem)
        if meta.questionnaire == ATTENDANCE:
            self.attendance_file(meta, filled.records, result)
        else:
            self.questionnaire_file(meta, filled.records, result, found.name)
        return None

    def refuse(self, result: FileResult, reason: str) -> None:
        result.refused = reason
        self.report.files.append(result)
        self.report.refused.append(reason)

    def problem(self, result: FileResult, message: str) -> None:
        result.problems += 1
        self.report.problems.append(message)

    def check(self, meta: Meta, name: str) -> None:
        """The workbook belongs to this cohort, and to what is being collected."""
        settings = self.cohort.settings
        if meta.cohort != settings.id:
            raise _Refused(
                f"{name} was made for another cohort ({meta.cohort!r}, and this is "
                f"{settings.id!r}); not collected"
            )
        if not self.goal.takes(meta.questionnaire):
            programme = self.cohort.programme
            if meta.questionnaire != ATTENDANCE and meta.questionnaire not in (
                q.id for q in programme.questionnaires
            ):
                raise _Refused(
                    f"{name} is a sheet of the questionnaire {meta.questionnaire!r}, which "
                    f"{programme.id} does not have; not collected"
                )
            raise _Refused(
                f"{name} is {_sheet_kind(meta.questionnaire)} sheet, not {self.goal.kind}; "
                f"collect it with `facilitate collect {meta.questionnaire}`",
                other=meta.questionnaire,
            )
        if meta.questionnaire != ATTENDANCE and meta.round not in self.rounds:
            raise _Refused(
                f"{name} is for the session {meta.round!r}, which this cohort does not have; "
                "not collected"
            )

    def person(self, record: _Record, result: FileResult) -> Participant | None:
        participant = self.people.get(norm(record.respondent))
        if participant is None:
            hint = did_you_mean(record.respondent, [p.name for p in self.people.values()])
            self.problem(
                result,
                f"{record.where}: {record.respondent!r} is not on the participant list{hint}; "
                "their answers are left out",
            )
        return participant

    def role(self, role: str) -> str:
        """A role as messages name it: its title in the cohort's language, lower case."""
        try:
            return self.cohort.text(self.cohort.programme.role(role).title).lower()
        except KeyError:
            return role

    # -- questionnaires

    def scale(self, questionnaire: Questionnaire, lang: str) -> Scale:
        key = (questionnaire.id, lang)
        if key not in self.scales:
            languages = dict.fromkeys([lang, *self.cohort.programme.languages, "en"])
            self.scales[key] = Scale(
                questionnaire, [code for code in languages if code in LANGUAGES]
            )
        return self.scales[key]

    def items(self, questionnaire: Questionnaire) -> tuple[set[str], dict[str, OpenQuestion]]:
        """The statement ids and the open questions of a questionnaire."""
        if questionnaire.id not in self.questions:
            self.questions[questionnaire.id] = (
                {s.id for _, s in questionnaire.statements()},
                {q.id: q for q in questionnaire.open_questions},
            )
        return self.questions[questionnaire.id]

    def store(self, questionnaire: str, round_: str) -> _Store:
        key = (questionnaire, round_)
        if key not in self.stores:
            stored = answers.load(self.cohort, questionnaire, round_)
            self.stores[key] = _Store({norm(r.respondent): r for r in stored})
        return self.stores[key]

    def questionnaire_file(
        self, meta: Meta, records: list[_Record], result: FileResult, name: str
    ) -> None:
        questionnaire = self.goal.questionnaires[meta.questionnaire]
        statements, questions = self.items(questionnaire)
        unknown = {
            f.id
            for f in meta.fields
            if f.id not in statements and f.id not in questions and f.id != "respondent"
        }
        for f in meta.fields:
            if f.id in unknown:
                self.problem(
                    result,
                    f"{name}, sheet {f.sheet}, {'column' if meta.layout == 'collection' else 'cell'} "
                    f"{f.cell.strip().upper()}: {f.id!r} is not a statement or question of "
                    f"{questionnaire.id} as the programme now stands; its answers are left out",
                )
        store = self.store(meta.questionnaire, meta.round)
        for record in records:
            values = [v for v in record.values if v.field.id not in unknown]
            if meta.layout == "collection" and all(is_blank(v.raw) for v in values):
                continue  # a name filled in beforehand, and nobody answered
            participant = self.person(record, result)
            if participant is None:
                continue
            key = norm(participant.name)
            if questionnaire.respondents and participant.role not in questionnaire.respondents:
                self.problem(
                    result,
                    f"{record.where}: {participant.name} is {self.role(participant.role)}, and "
                    f"{questionnaire.id} is for "
                    f"{' and '.join(self.role(r) for r in questionnaire.respondents)}; "
                    "their answers are left out",
                )
                continue
            if all(is_blank(v.raw) for v in values):
                self.problem(
                    result,
                    f"{record.source}: no answers filled in; nothing stored for {participant.name}",
                )
                continue
            seen = (meta.questionnaire, meta.round, key)
            if seen in self.seen:
                self.problem(
                    result,
                    f"{record.where}: {participant.name} has answered twice (also in "
                    f"{self.seen[seen]}); these answers are left out",
                )
                continue
            self.seen[seen] = record.source
            old = store.responses.get(key)
            scores, texts = self.accepted(values, questionnaire, meta.language, old, result)
            if not scores and not texts:
                continue  # every value refused, and reported
            response = Response(
                participant.name, participant.role, scores, texts, record.source, self.collected
            )
            if old is None:
                result.new += 1
            elif old.answers == scores and old.open == texts:
                result.unchanged += 1
                continue
            else:
                result.replaced += 1
                self.report.notes.append(
                    f"replaced the answers of {participant.name} collected from {old.source} "
                    f"with those in {record.source}"
                )
            store.responses[key] = response
            store.changed = True

    def accepted(
        self,
        values: list[_Value],
        questionnaire: Questionnaire,
        lang: str,
        old: Response | None,
        result: FileResult,
    ) -> tuple[dict[str, int], dict[str, str]]:
        """The scores and open answers accepted from one respondent's cells. Every other
        value is reported; where one was stored before, that earlier answer is kept."""
        statements, questions = self.items(questionnaire)
        scale = self.scale(questionnaire, lang)
        scores: dict[str, int] = {}
        texts: dict[str, str] = {}
        for value in values:
            fid = value.field.id
            if fid in statements:
                score, refused = scale.parse(value.raw)
                if score is not None:
                    scores[fid] = score
                elif refused is not None:
                    kept = old.answers.get(fid) if old is not None else None
                    if kept is not None:
                        scores[fid] = kept
                    self.problem(result, f"{value.where}: {refused}; {_fate(kept)}")
                continue
            text = as_text(value.raw)
            if text:
                texts[fid] = text
            elif questions[fid].required:
                kept_text = old.open.get(fid) if old is not None else None
                if kept_text is not None:
                    texts[fid] = kept_text
                fate = "kept the earlier answer" if kept_text else "the other answers are stored"
                self.problem(
                    result, f"{value.where}: the answer to {fid!r} is required but blank; {fate}"
                )
        return scores, texts

    # -- attendance

    def attendance_file(self, meta: Meta, records: list[_Record], result: FileResult) -> None:
        if self.attendance is None:
            self.attendance = answers.load_attendance(self.cohort)
        marks = Marks(meta.language)
        sessions = {s.id for s in self.cohort.sessions()}
        unknown = {f.id for f in meta.fields if f.id != "respondent" and f.id not in sessions}
        for f in meta.fields:
            if f.id in unknown:
                self.problem(
                    result,
                    f"{result.name}, sheet {f.sheet}, column {f.cell.strip().upper()}: the session "
                    f"{f.id!r} is not one of this cohort's; its marks are left out",
                )
        for record in records:
            values = [v for v in record.values if v.field.id not in unknown]
            if all(is_blank(v.raw) for v in values):
                continue
            participant = self.person(record, result)
            if participant is None:
                continue
            key = norm(participant.name)
            for value in values:
                mark, refused = marks.parse(value.raw)
                session = value.field.id
                if refused is not None:
                    self.problem(result, f"{value.where}: {refused}; left out")
                if mark is None:
                    continue
                seen = (ATTENDANCE, session, key)
                if seen in self.seen:
                    self.problem(
                        result,
                        f"{value.where}: {participant.name} is marked twice for {session} "
                        f"(also in {self.seen[seen]}); this mark is left out",
                    )
                    continue
                self.seen[seen] = value.where
                stored = self.attendance.setdefault(session, {})
                names = self.marked.get(session)
                if names is None:
                    names = self.marked[session] = {norm(n): n for n in stored}
                old_name = names.get(key)
                old = stored.get(old_name) if old_name is not None else None
                if old == mark:
                    result.unchanged += 1
                    continue
                if old is None:
                    result.new += 1
                else:
                    result.replaced += 1
                    self.report.notes.append(
                        f"replaced the attendance of {participant.name} at {session} ({old}) "
                        f"with {mark} from {value.where}"
                    )
                if old_name is not None:
                    del stored[old_name]
                stored[participant.name] = mark
                names[key] = participant.name
                self.attendance_changed = True

    # -- the store

    def save(self) -> None:
        for (questionnaire, round_), store in self.stores.items():
            if store.changed:
                self.report.written.append(
                    answers.save(self.cohort, questionnaire, round_, list(store.responses.values()))
                )
        if self.attendance is not None and self.attendance_changed:
            self.report.written.append(answers.save_attendance(self.cohort, self.attendance))


def _fate(kept: int | None) -> str:
    return "left out" if kept is None else f"kept the earlier answer {kept}"


def _sheet_kind(questionnaire: str) -> str:
    return "an attendance" if questionnaire == ATTENDANCE else f"a {questionnaire}"


def _people(cohort: Cohort) -> dict[str, Participant]:
    from .participants import read_participants

    path = cohort.participants_file()
    if path is None:
        raise InputError(
            f"{cohort.folder} has no participant list (participants.xlsx or participants.csv); "
            "collect checks every respondent against it"
        )
    people: dict[str, Participant] = {}
    for person in read_participants(path, cohort.programme, display(path, cohort)):
        people.setdefault(norm(person.name), person)
    return people


def collect(
    cohort: Cohort, kind: str, paths: Sequence[Path] = (), today: date | None = None
) -> Report:
    """Read the filled workbooks of `kind` in `paths` (files or folders; default the
    cohort's responses folder) into the cohort's store, and say what became of each."""
    goal = target(cohort, kind)
    when = today or datetime.now().replace(microsecond=0)
    report = Report(kind)
    if not paths:
        if not cohort.responses.is_dir():
            raise InputError(
                f"{display(cohort.responses, cohort)}/ does not exist; put the filled sheets "
                "there, or name the files to collect"
            )
        paths = [cohort.responses]
    collector = _Collector(cohort, goal, when, report)
    for found in expand(paths, cohort, report):
        collector.file(found)
    collector.save()
    return report
