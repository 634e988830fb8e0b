"""The answers a cohort has collected, and how a workbook says what it is.

Two contracts live here, shared by `sheets` (writing workbooks), `collect` (reading
them back) and `results` (summing them up):

* The store: `.facilitate/answers/<questionnaire>/<round>.json` holds a JSON list of
  responses, one per respondent; `<round>` is a session id (`module-4`) or
  `pre-assignment`. Attendance is `.facilitate/attendance.json`:
  `{session id: {participant name: "present" | "absent" | "excused"}}`.
* The identity of a workbook: a hidden sheet named `_facilitate` with `key | value`
  rows (format, cohort, questionnaire, round, layout, language, respondent) and then,
  under a `field | sheet | cell | kind` header row, one row per answer field telling
  where its answer is: a cell such as `C7` (one respondent per workbook, layout
  `person`) or a column letter such as `D` (one respondent per row, layout
  `collection`, answers from the row below the header row named by `first_row`).
  A field with the id `respondent` (kind `text`) says where the respondent's name is:
  a cell in a person workbook, the names' column in a collection.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from .cohort import Cohort
from .errors import FacilitateError

META_SHEET = "_facilitate"
FORMAT = "facilitate-sheet/1"
PRE_ASSIGNMENT = "pre-assignment"
ATTENDANCE = "attendance"
Mark = Literal["present", "absent", "excused"]
MARKS: tuple[Mark, ...] = ("present", "absent", "excused")


@dataclass
class Response:
    """One respondent's answers to one questionnaire in one round."""

    respondent: str  # the participant's name as in the participant list
    role: str | None
    answers: dict[str, int] = field(default_factory=dict)  # statement id -> score
    open: dict[str, str] = field(default_factory=dict)  # open question id -> text
    source: str = ""  # "file.xlsx, sheet Vastaukset, row 5": where it was read
    collected: str = ""  # ISO date and time of the collect that stored it

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Response:
        return cls(
            respondent=str(data["respondent"]),
            role=data.get("role"),
            answers={str(k): int(v) for k, v in dict(data.get("answers", {})).items()},
            open={str(k): str(v) for k, v in dict(data.get("open", {})).items()},
            source=str(data.get("source", "")),
            collected=str(data.get("collected", "")),
        )


@dataclass(frozen=True)
class Field:
    """Where one answer stands in a workbook."""

    id: str  # statement id, open question id, or (attendance) a session id
    sheet: str
    cell: str  # "C7" in a person workbook, a column letter ("D") in a collection
    kind: Literal["scale", "text", "mark"]


@dataclass(frozen=True)
class Meta:
    """What a workbook is: the contents of its hidden `_facilitate` sheet."""

    cohort: str  # the cohort id from cohort.yaml
    questionnaire: str  # a questionnaire id, or "attendance"
    round: str  # a session id or "pre-assignment" ("" for attendance)
    layout: Literal["person", "collection"]
    language: str
    fields: tuple[Field, ...]
    respondent: str = ""  # the participant a person workbook was made for
    first_row: int = 0  # collection: the first row of answers (1-based)
    format: str = FORMAT

    def rows(self) -> list[list[str]]:
        """The cells of the hidden sheet, row by row."""
        head = [
            ["format", self.format],
            ["cohort", self.cohort],
            ["questionnaire", self.questionnaire],
            ["round", self.round],
            ["layout", self.layout],
            ["language", self.language],
            ["respondent", self.respondent],
            ["first_row", str(self.first_row)],
            ["field", "sheet", "cell", "kind"],
        ]
        return head + [[f.id, f.sheet, f.cell, f.kind] for f in self.fields]

    @classmethod
    def from_rows(cls, rows: list[list[Any]]) -> Meta:
        """Read the hidden sheet back; ValueError says what is wrong with it."""
        values: dict[str, str] = {}
        fields: tuple[Field, ...] = ()
        for n, row in enumerate(rows):
            key, value = (_text(c) for c in [*row[:2], None, None][:2])
            if key == "field":
                # The field rows are the same in every workbook of one `sheets` run:
                # a collect of a thousand workbooks reads them once.
                fields = _fields(tuple(tuple(r) for r in rows[n + 1 :]))
                break
            if key:
                values[key] = value
        if values.get("format") != FORMAT:
            raise ValueError(f"not a facilitate sheet of format {FORMAT}")
        layout = values.get("layout")
        if layout not in ("person", "collection"):
            raise ValueError(f"unknown layout {layout!r}")
        return cls(
            cohort=values.get("cohort", ""),
            questionnaire=values.get("questionnaire", ""),
            round=values.get("round", ""),
            layout=layout,  # type: ignore[arg-type]
            language=values.get("language", ""),
            fields=fields,
            respondent=values.get("respondent", ""),
            first_row=int(values.get("first_row") or 0),
        )


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def _cells(row: Sequence[Any]) -> list[str]:
    return [_text(c) for c in row] + ["", "", "", ""]


@lru_cache(maxsize=32)
def _fields(rows: tuple[tuple[Any, ...], ...]) -> tuple[Field, ...]:
    fields = []
    for row in rows:
        cells = _cells(row)
        if not any(cells):
            continue
        kind = cells[3]
        if kind not in ("scale", "text", "mark"):
            raise ValueError(f"unknown field kind {kind!r}")
        fields.append(Field(cells[0], cells[1], cells[2], kind))  # type: ignore[arg-type]
    return tuple(fields)


def store_path(cohort: Cohort, questionnaire: str, round_: str) -> Path:
    return cohort.state / "answers" / questionnaire / f"{round_}.json"


def load(cohort: Cohort, questionnaire: str, round_: str) -> list[Response]:
    """The stored responses (none before the first collect)."""
    path = store_path(cohort, questionnaire, round_)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [Response.from_json(item) for item in data]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, TypeError, KeyError):
        raise FacilitateError(
            f"{path} is damaged; delete it and collect the filled sheets of that round again"
        ) from None


def save(cohort: Cohort, questionnaire: str, round_: str, responses: list[Response]) -> Path:
    """Replace the stored responses of a round, atomically."""
    from .output import write_atomic

    # One response a line: easy to read and to compare, and written by json's C encoder
    # (indent= takes the pure-Python one, the slowest part of collecting a thousand).
    # vars(), not asdict(): the same fields, without a deep copy of every response.
    lines = [
        json.dumps(vars(r), ensure_ascii=False)
        for r in sorted(responses, key=lambda r: r.respondent.casefold())
    ]
    return write_atomic(
        store_path(cohort, questionnaire, round_), "[\n" + ",\n".join(lines) + "\n]\n"
    )


def attendance_path(cohort: Cohort) -> Path:
    return cohort.state / "attendance.json"


def load_attendance(cohort: Cohort) -> dict[str, dict[str, Mark]]:
    path = attendance_path(cohort)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        raise FacilitateError(
            f"{path} is damaged; delete it and collect the attendance sheet again"
        ) from None
    return {
        str(session): {str(name): mark for name, mark in marks.items() if mark in MARKS}
        for session, marks in data.items()
        if isinstance(marks, dict)
    }


def save_attendance(cohort: Cohort, marks: dict[str, dict[str, Mark]]) -> Path:
    from .output import write_atomic

    return write_atomic(
        attendance_path(cohort), json.dumps(marks, ensure_ascii=False, indent=1, sort_keys=True)
    )
