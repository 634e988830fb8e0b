"""`facilitate sheets`: the Excel workbooks a cohort fills in.

Questionnaires (the meter, session feedback, the final evaluation) come in two layouts
that import the same way: `person`, one workbook per respondent with the name filled
in, to send out; and `collection`, one workbook with a row per respondent, to type in
paper answers. Attendance is one grid for the whole cohort: participants by sessions.

Every workbook says what it is on a hidden `_facilitate` sheet (`answers.Meta`): the
cohort, questionnaire, round and language, and where each answer stands. `collect`
reads that sheet and nothing else to find the answers, so the visible sheets are free
to be laid out for people. The field `respondent` says where the name stands: column
A of a collection, the name's cell of a person's workbook.

Two kinds serve pair mentoring and are not collected: `applications`, the participant
list's template with instructions on top (filled, it is the participant list), and
`pair-log`, a workbook per pair of `facilitate match` to keep a log of their meetings.
Neither has the identity sheet: there are no answers in them for `collect`.

An answer cell holds what its dropdown offers, "4 – jokseenkin samaa mieltä" (the
score, an en dash, the label), or the bare score typed in; an attendance cell holds
one of `mark_labels(lang)`. Everything else is locked (the sheets are protected
without a password, so a facilitator can still change them).

`plan` decides what to write, with every text resolved in the sheet's language;
`build` lays the workbooks out; `make` writes them into out/sheets/ through the
manifest of generated files.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .answers import ATTENDANCE, MARKS, META_SHEET, PRE_ASSIGNMENT, Field, Mark, Meta
from .cohort import Cohort
from .documents import _heading, _Texts, file_names
from .errors import InputError
from .i18n import t
from .programme import Questionnaire, Session, find_session
from .workbook import (
    LINE,
    LISTS_SHEET,
    MARGINS,
    MESSAGE_MAX,
    PER_UNIT,
    TITLE_MAX,
    font,
    list_source,
    print_setup,
    put,
    row_height,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from .participants import Participant
    from .programme import Programme

APPLICATIONS = "applications"
PAIR_LOG = "pair-log"
KINDS = ("meter", "feedback", "evaluation", "attendance", APPLICATIONS, PAIR_LOG)
Layout = Literal["person", "collection"]
LAYOUTS: tuple[Layout, ...] = ("person", "collection")
# Sent out to each person, or typed in from paper by the facilitator.
DEFAULT_LAYOUT: dict[str, Layout] = {
    "meter": "person",
    "evaluation": "person",
    "feedback": "collection",
}
# Empty rows under the expected respondents of a collection, for paper forms from
# people not on the list (or handed in without a name).
SPARE_ROWS = 10
OUT = Path("out") / "sheets"
# The field that says where the respondent's name stands: a column of a collection,
# the name's cell in a person's workbook.
RESPONDENT = "respondent"

# Colours: a header band, dimension headings, and the cells to fill in.
_HEADER_FILL = "D9E2F3"
_GROUP_FILL = "EDEDED"
_ANSWER_FILL = "FFF2CC"
_NOT_THEIRS_FILL = "BFBFBF"
_BORDER = "A6A6A6"
# The number format "Text": what is typed stays as typed, so an answer that starts
# with = is kept as words and never run as a formula.
TEXT = "@"


# ---------------------------------------------------------------------------
# What a run is about


@dataclass(frozen=True)
class Item:
    """A statement (kind scale) or an open question (kind text), numbered as printed."""

    id: str
    number: int
    text: str
    kind: Literal["scale", "text"]


@dataclass(frozen=True)
class Group:
    """A dimension's statements, or the open questions, under one heading."""

    title: str
    description: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Form:
    """A questionnaire in one language, ready to lay out."""

    title: str
    subtitle: str  # the cohort and the round: "Ohjaamo Koskela · Moduuli 4: ... · 12.3.2030"
    instructions: str
    groups: tuple[Group, ...]
    choices: tuple[str, ...]  # "1 – täysin eri mieltä", ...
    low: int
    high: int


@dataclass(frozen=True)
class Column:
    """A session of the attendance grid."""

    session: str  # its id
    heading: str
    date: str


@dataclass(frozen=True)
class Row:
    """A participant of the attendance grid."""

    name: str
    role: str  # the role's title
    sessions: frozenset[str]  # the sessions that concern them (a sparring is not for all)
    marks: dict[str, Mark]  # what is already recorded, by session id


@dataclass(frozen=True)
class Grid:
    title: str
    subtitle: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Application:
    """The application workbook: the participant list's columns under instructions."""

    programme: Programme
    organisation: str | None
    title: str
    instructions: str


@dataclass(frozen=True)
class Meeting:
    """A pair meeting of the programme, as a row of the meeting log."""

    title: str
    suggested: str  # "week 38: 15–19 Sep 2027"


@dataclass(frozen=True)
class PairLog:
    """One pair's meeting log."""

    title: str
    subtitle: str
    meetings: tuple[Meeting, ...]


@dataclass(frozen=True)
class Job:
    """One workbook to write."""

    path: Path  # relative to the cohort folder
    respondent: str  # person layout: whom it is for; "" otherwise
    title: str  # what the table of written files says it is for


@dataclass
class Plan:
    kind: str
    questionnaire: str  # its id, or "attendance"
    round: str  # a session id, "pre-assignment", or "" for attendance
    layout: Layout
    language: str
    cohort: str  # the cohort's id
    jobs: list[Job]
    respondents: list[str]  # names expected to answer (collection rows, attendance rows)
    form: Form | None = None
    grid: Grid | None = None
    application: Application | None = None
    logs: tuple[PairLog, ...] = ()  # pair-log: one per job
    # Programme texts shown in another language than the sheet's.
    fallbacks: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        """What the workbooks are: the questionnaire's title, or the attendance sheet."""
        if self.form is not None:
            return self.form.title
        if self.application is not None:
            return t(self.language, "applications.heading")
        if self.kind == PAIR_LOG:
            return t(self.language, "applications.log.title")
        return t(self.language, "sheets.attendance_title")


@dataclass
class Result:
    plan: Plan
    written: list[Job]


def mark_labels(lang: str) -> dict[Mark, str]:
    """The words an attendance cell offers: present, absent, excused in `lang`."""
    return {mark: t(lang, f"sheets.mark.{mark}") for mark in MARKS}


def choices(q: Questionnaire, lang: str, fallback: Sequence[str] = ()) -> list[str]:
    """The dropdown of a scale: '4 – jokseenkin samaa mieltä'."""
    low, _ = q.scale_range()
    labels = q.scale_labels(lang, tuple(fallback))
    return [f"{low + i} – {label}" for i, label in enumerate(labels)]


def _of_kind(cohort: Cohort, kind: str) -> Questionnaire:
    programme = cohort.programme
    found = [q for q in programme.questionnaires if q.kind == kind]
    if not found:
        have = ", ".join(f"{q.id} ({q.kind})" for q in programme.questionnaires) or "none"
        raise InputError(
            f"{programme.id} has no questionnaire of kind {kind}; its questionnaires: {have}"
        )
    return found[0]


def _using(cohort: Cohort, q: Questionnaire) -> list[Session]:
    return [s for s in cohort.sessions() if q.id in s.spec.questionnaires]


def _rounds(cohort: Cohort, q: Questionnaire) -> str:
    """Where `q` is used, for messages: 'pre-assignment, module-4'."""
    pre = cohort.programme.pre_assignment
    names = [PRE_ASSIGNMENT] if pre is not None and pre.questionnaire == q.id else []
    names += [s.id for s in _using(cohort, q)]
    return ", ".join(names) or "nowhere (no session lists it)"


def _session(cohort: Cohort, name: str) -> Session:
    sessions = cohort.sessions()
    found = find_session(sessions, name)
    if found is None:
        names = ", ".join(s.id for s in sessions)
        raise InputError(f"no session '{name}' in {cohort.programme.id}; the sessions are: {names}")
    return found


def target(cohort: Cohort, kind: str, session: str | None) -> tuple[Questionnaire, Session | None]:
    """The questionnaire a kind means, and its round: a session, or None for the
    pre-assignment. InputError says which sessions would do."""
    if kind not in KINDS or kind in (ATTENDANCE, APPLICATIONS, PAIR_LOG):
        raise InputError(f"unknown kind '{kind}'; the kinds are {', '.join(KINDS)}")
    q = _of_kind(cohort, kind)
    pre = cohort.programme.pre_assignment
    pre_uses = pre is not None and pre.questionnaire == q.id
    using = _using(cohort, q)
    example = f"facilitate sheets {kind} {using[0].id if using else 'SESSION'}"
    if session is not None and session.strip().lower() == PRE_ASSIGNMENT:
        if pre_uses:
            return q, None
        raise InputError(
            f"the pre-assignment of {cohort.programme.id} does not use {q.id}; "
            f"{q.id} is used at: {_rounds(cohort, q)}"
        )
    if session is None:
        if kind == "meter" and pre_uses:
            return q, None
        if kind == "evaluation" and len(using) == 1:
            return q, using[0]
        raise InputError(
            f"which session is the {kind} for? {q.id} is used at: {_rounds(cohort, q)}; "
            f"name one, e.g. `{example}`"
        )
    found = _session(cohort, session)
    if found not in using:
        raise InputError(f"{found.id} does not use {q.id}; {q.id} is used at: {_rounds(cohort, q)}")
    return q, found


# ---------------------------------------------------------------------------
# Planning


def _attends(session: Session, role: str) -> bool:
    return session.spec.participants is None or role in session.spec.participants


def _people(cohort: Cohort) -> list[Participant]:
    from .participants import read_participants

    path = cohort.participants_file()
    return read_participants(path, cohort.programme) if path is not None else []


def respondents(
    cohort: Cohort, q: Questionnaire, session: Session | None, people: Sequence[Participant]
) -> list[Participant]:
    """Who is expected to answer: the questionnaire's respondent roles (else every
    participant role), among those who attend the session."""
    roles = {r.id for r in cohort.programme.participant_roles()}
    if q.respondents is not None:
        roles &= set(q.respondents)
    return [p for p in people if p.role in roles and (session is None or _attends(session, p.role))]


def plan(
    cohort: Cohort,
    kind: str,
    session: str | None = None,
    layout: str | None = None,
    lang: str | None = None,
    participants: Sequence[Participant] | None = None,
) -> Plan:
    """What a run writes: the workbooks, and every text they show in the sheets' language."""
    lang = lang or cohort.lang
    if layout is not None and layout not in LAYOUTS:
        raise InputError(f"unknown layout '{layout}'; the layouts are {', '.join(LAYOUTS)}")
    if kind in (APPLICATIONS, PAIR_LOG):
        if session is not None or layout is not None:
            raise InputError(
                f"{kind} takes no session and no --layout: "
                + (
                    "one workbook for every applicant"
                    if kind == APPLICATIONS
                    else "a workbook per pair, with all its meetings"
                )
            )
        return (
            _applications_plan(cohort, lang)
            if kind == APPLICATIONS
            else _pair_log_plan(cohort, lang)
        )
    people = list(participants) if participants is not None else _people(cohort)
    if kind == ATTENDANCE:
        if layout == "person":
            raise InputError(
                "attendance is one grid of participants by sessions for the whole cohort; "
                "leave out --layout person"
            )
        if session is not None:
            _session(cohort, session)  # a typo is reported all the same
        # One grid for every session, whichever session it is printed for.
        return _attendance_plan(cohort, lang, people)
    q, found = target(cohort, kind, session)
    chosen: Layout = layout or DEFAULT_LAYOUT[kind]
    round_ = found.id if found is not None else PRE_ASSIGNMENT
    expected = respondents(cohort, q, found, people)
    tx = _Texts(cohort.programme, lang)
    form = _form(cohort, tx, q, found)
    folder = OUT / round_
    stem = t(lang, f"sheets.file.{kind}")
    if chosen == "person":
        if not expected:
            raise InputError(_nobody(cohort, q, found))
        names = [p.name for p in expected]
        jobs = [
            Job(folder / file, name, name)
            for name, file in zip(names, file_names(stem, names), strict=True)
        ]
    else:
        answers = t(lang, "sheets.file.answers")
        jobs = [Job(folder / f"{stem}-{answers}.xlsx", "", t(lang, "sheets.everyone"))]
    return Plan(
        kind=kind,
        questionnaire=q.id,
        round=round_,
        layout=chosen,
        language=lang,
        cohort=cohort.settings.id,
        jobs=jobs,
        respondents=[p.name for p in expected],
        form=form,
        fallbacks=list(tx.fallbacks),
    )


def _nobody(cohort: Cohort, q: Questionnaire, session: Session | None) -> str:
    listed = cohort.participants_file()
    if listed is None:
        return (
            "the cohort has no participant list (participants.xlsx), so there is nobody to "
            "make a workbook for; fill it in, or pass --layout collection for one workbook "
            "to type the answers into"
        )
    roles = {r.id for r in cohort.programme.participant_roles()}
    if q.respondents is not None:
        roles &= set(q.respondents)
    if session is not None and session.spec.participants is not None:
        roles &= set(session.spec.participants)
    return (
        f"{listed.name} lists nobody who answers {q.id}"
        + (f" at {session.id}" if session is not None else "")
        + f" (roles: {', '.join(sorted(roles)) or 'none'}); add them, or pass --layout collection"
    )


def _form(cohort: Cohort, tx: _Texts, q: Questionnaire, session: Session | None) -> Form:
    from .formatting import short_date

    lang = tx.lang
    where = f"questionnaires.{q.id}"
    groups: list[Group] = []
    number = 0
    for i, dimension in enumerate(q.dimensions):
        items = []
        for j, statement in enumerate(dimension.statements):
            number += 1
            text = tx(statement.text, f"{where}.dimensions[{i}].statements[{j}]")
            items.append(Item(statement.id, number, text, "scale"))
        groups.append(
            Group(
                tx(dimension.title, f"{where}.dimensions[{i}].title"),
                tx(dimension.description, f"{where}.dimensions[{i}].description"),
                tuple(items),
            )
        )
    if q.open_questions:
        items = []
        for i, question in enumerate(q.open_questions):
            number += 1
            text = tx(question.text, f"{where}.open_questions[{i}]")
            items.append(Item(question.id, number, text, "text"))
        groups.append(Group(t(lang, "sheets.open_questions"), "", tuple(items)))
    cohort_name = cohort.settings.name or cohort.settings.organisation
    if session is None:
        pre = cohort.programme.pre_assignment
        round_text = t(lang, "label.pre_assignment")
        if pre is not None:
            round_text += f": {tx(pre.title, 'pre_assignment.title')}"
    else:
        round_text = _heading(cohort, tx, session)
        day = _dates(cohort).get(session.id)
        if day is not None:
            round_text += f" · {short_date(day, lang)}"
    low, high = q.scale_range()
    return Form(
        title=tx(q.title, f"{where}.title"),
        subtitle=f"{cohort_name} · {round_text}",
        instructions=tx(q.instructions, f"{where}.instructions"),
        groups=tuple(groups),
        choices=tuple(choices(q, lang, cohort.programme.languages)),
        low=low,
        high=high,
    )


def _dates(cohort: Cohort) -> dict[str, Any]:
    from .schedule import compute

    return {slot.session.id: slot.date for slot in compute(cohort)}


def _attendance_plan(cohort: Cohort, lang: str, people: Sequence[Participant]) -> Plan:
    from .answers import load_attendance
    from .formatting import short_date
    from .schedule import compute

    programme = cohort.programme
    if not people:
        listed = cohort.participants_file()
        raise InputError(
            f"{listed.name} lists no participants; add them first"
            if listed is not None
            else "the cohort has no participant list (participants.xlsx); fill it in first"
        )
    tx = _Texts(programme, lang)
    roles = {r.id for r in programme.participant_roles()}
    # A pair's own meetings are booked by the pair and not marked by the facilitator.
    slots = [
        s
        for s in compute(cohort)
        if not s.reminder and any(_attends(s.session, role) for role in roles)
    ]
    columns = tuple(
        Column(s.session.id, _heading(cohort, tx, s.session), short_date(s.date, lang))
        for s in slots
    )
    recorded = load_attendance(cohort)
    titles = {r.id: programme.text(r.title, lang) for r in programme.roles}
    rows = []
    for person in people:
        theirs = frozenset(s.session.id for s in slots if _attends(s.session, person.role))
        # What was collected before, so that a sheet made again keeps it.
        marks = {
            sid: by_name[person.name]
            for sid, by_name in recorded.items()
            if sid in theirs and person.name in by_name
        }
        rows.append(Row(person.name, titles.get(person.role, person.role), theirs, marks))
    cohort_name = cohort.settings.name or cohort.settings.organisation
    grid = Grid(
        title=f"{t(lang, 'sheets.attendance_title')}: {programme.text(programme.title, lang)}",
        subtitle=cohort_name,
        columns=columns,
        rows=tuple(rows),
    )
    file = f"{t(lang, 'sheets.file.attendance')}.xlsx"
    return Plan(
        kind=ATTENDANCE,
        questionnaire=ATTENDANCE,
        round="",
        layout="collection",
        language=lang,
        cohort=cohort.settings.id,
        jobs=[Job(OUT / ATTENDANCE / file, "", t(lang, "sheets.everyone"))],
        respondents=[p.name for p in people],
        grid=grid,
        fallbacks=list(tx.fallbacks),
    )


def _applications_plan(cohort: Cohort, lang: str) -> Plan:
    from .participants import MAX_CAPACITY

    programme = cohort.programme
    if programme.matching is None:
        raise InputError(
            f"{programme.id} does not pair mentors and adepts, so it takes no applications; "
            "its participant list is participants.xlsx in the cohort folder"
        )
    tx = _Texts(programme, lang)
    cohort_name = cohort.settings.name or cohort.settings.organisation
    title = f"{t(lang, 'applications.heading')}: {tx(programme.title, 'title')} · {cohort_name}"
    application = Application(
        programme=programme,
        organisation=cohort.settings.organisation,
        title=title,
        instructions=t(lang, "applications.how", most=MAX_CAPACITY),
    )
    file = f"{t(lang, 'applications.file.applications')}.xlsx"
    # The theme columns show the themes' titles: a missing translation is a fallback.
    tx.many(programme.themes, "themes")
    return Plan(
        kind=APPLICATIONS,
        questionnaire=APPLICATIONS,
        round="",
        layout="collection",
        language=lang,
        cohort=cohort.settings.id,
        jobs=[Job(OUT / APPLICATIONS / file, "", t(lang, "applications.everyone"))],
        respondents=[],
        application=application,
        fallbacks=list(tx.fallbacks),
    )


def _pair_log_plan(cohort: Cohort, lang: str) -> Plan:
    """A log per pair of the stored matching, a row per pair meeting with its suggested week."""
    from .matching import ADEPT, MENTOR, stored_pairs
    from .schedule import compute, rows

    programme = cohort.programme
    pairs = stored_pairs(cohort, "the meeting logs are", "a meeting log")
    slots = [slot for slot in compute(cohort) if slot.reminder]
    if not slots:
        raise InputError(
            f"{programme.id} has no pair meetings (sessions of kind pair-meeting) to log"
        )
    tx = _Texts(programme, lang)
    meetings = tuple(
        Meeting(_heading(cohort, tx, slot.session), row.date)
        for slot, row in zip(slots, rows(cohort, slots, lang), strict=True)
    )
    roles = {r.id: tx(r.title, f"roles.{r.id}.title") for r in programme.roles}
    cohort_name = cohort.settings.name or cohort.settings.organisation
    where = f"{tx(programme.title, 'title')} · {cohort_name}"
    logs, jobs = [], []
    stem = t(lang, "applications.file.pair_log")
    names = [f"{pair.adept} {pair.mentor}" for pair in pairs]
    for pair, file in zip(pairs, file_names(stem, names), strict=True):
        both = t(lang, "applications.pair", adept=pair.adept, mentor=pair.mentor)
        people = (
            f"{roles.get(ADEPT, ADEPT)}: {pair.adept} · {roles.get(MENTOR, MENTOR)}: {pair.mentor}"
        )
        logs.append(
            PairLog(f"{t(lang, 'applications.log.title')}: {both}", f"{people} · {where}", meetings)
        )
        jobs.append(Job(OUT / PAIR_LOG / file, "", both))
    return Plan(
        kind=PAIR_LOG,
        questionnaire=PAIR_LOG,
        round="",
        layout="person",
        language=lang,
        cohort=cohort.settings.id,
        jobs=jobs,
        respondents=[],
        logs=tuple(logs),
        fallbacks=list(tx.fallbacks),
    )


# ---------------------------------------------------------------------------
# Building


def build(plan: Plan) -> list[tuple[Path, bytes]]:
    """The workbooks of a plan: (path relative to the cohort folder, xlsx bytes)."""
    if plan.application is not None:
        return [(plan.jobs[0].path, _application_book(plan.language, plan.application))]
    if plan.kind == PAIR_LOG:
        return [
            (job.path, _pair_log_book(plan.language, log))
            for job, log in zip(plan.jobs, plan.logs, strict=True)
        ]
    if plan.grid is not None:
        return [(plan.jobs[0].path, _attendance_book(plan, plan.grid))]
    assert plan.form is not None
    if plan.layout == "person":
        return [(job.path, _person_book(plan, plan.form, job.respondent)) for job in plan.jobs]
    return [(plan.jobs[0].path, _collection_book(plan, plan.form))]


def make(
    cohort: Cohort,
    kind: str,
    session: str | None = None,
    layout: str | None = None,
    lang: str | None = None,
    force: bool = False,
) -> Result:
    """Plan, build and write the workbooks; every target is checked before any is written."""
    from .generated import GeneratedFiles

    chosen = plan(cohort, kind, session, layout, lang)
    files = build(chosen)
    GeneratedFiles(cohort.folder).write_many(files, force=force)
    return Result(chosen, list(chosen.jobs))


class _Styles:
    """The few looks a sheet uses, made once per workbook."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, PatternFill, Protection, Side

        line = Side(style="thin", color=_BORDER)
        self.box = Border(left=line, right=line, top=line, bottom=line)
        self.title = font(bold=True, size=14)
        self.bold = font(bold=True)
        self.italic = font(italic=True)
        self.plain = font()
        self.header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
        self.group_fill = PatternFill("solid", fgColor=_GROUP_FILL)
        self.answer_fill = PatternFill("solid", fgColor=_ANSWER_FILL)
        self.grey = PatternFill("solid", fgColor=_NOT_THEIRS_FILL)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.wrap_center = Alignment(wrap_text=True, vertical="center", horizontal="center")
        self.middle = Alignment(vertical="center")
        self.open = Protection(locked=False)


# Characters of Calibri 11 per unit of column width (a unit is the width of a digit):
# running text is narrower than digits, bold text a little wider than plain.
_OPEN_BOX = 90.0  # the height of the box for an open answer: six lines
_A4 = (8.27, 11.69)  # inches


def _width(texts: Sequence[str], low: float, high: float) -> float:
    """A column width between `low` and `high` that holds the longest word of `texts`
    in bold, so that no word of a header is broken."""
    longest = max((len(word) for text in texts for word in text.split()), default=0)
    return max(low, min(high, math.ceil(longest / PER_UNIT["bold"]) + 2))


def _new_book(plan: Plan, title: str) -> tuple[Any, Worksheet, Worksheet, _Styles]:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    workbook.properties.creator = "facilitate"
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    return workbook, sheet, lists, _Styles()


def _finish(workbook: Any, sheet: Worksheet, lists: Worksheet, meta: Meta) -> bytes:
    """The hidden identity sheet, protection everywhere, and the bytes."""
    from openpyxl.workbook.protection import WorkbookProtection

    hidden = workbook.create_sheet(META_SHEET)
    for r, values in enumerate(meta.rows(), start=1):
        for c, value in enumerate(values, start=1):
            put(hidden.cell(row=r, column=c), value)
    hidden.sheet_state = "veryHidden"
    for each in (sheet, lists, hidden):
        each.protection.sheet = True
    # Rows and columns may still be resized, to read a long answer.
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    # The collector finds the answers by sheet name: no renaming, no unhiding.
    workbook.security = WorkbookProtection(lockStructure=True)
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _merge_text(
    sheet: Worksheet,
    row: int,
    last_col: int,
    text: str,
    look: tuple[Any, str],
    align: Any,
    width: float,
) -> float:
    """`text` across columns 1..last_col of `row`, wrapped, the row as tall as it needs;
    returns the height."""
    cell = sheet.cell(row=row, column=1)
    put(cell, text)
    cell.font, style = look
    cell.alignment = align
    if last_col > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    height = row_height(text, width, style)
    sheet.row_dimensions[row].height = height
    return height


def _scale_check(plan: Plan, form: Form, lists: Worksheet, strict: bool) -> Any:
    """The dropdown of an answer cell. In a person's workbook only the scale is taken;
    in a collection a typed score (4) is taken too, with no message on every cell."""
    from openpyxl.worksheet.datavalidation import DataValidation

    lang = plan.language
    return DataValidation(
        type="list",
        formula1=list_source(lists, "A", list(form.choices)),
        allow_blank=True,
        showErrorMessage=strict,
        errorStyle="stop",
        errorTitle=t(lang, "sheets.answer")[:TITLE_MAX],
        error=t(lang, "sheets.choose")[:MESSAGE_MAX],
    )


def _page_breaks(
    sheet: Worksheet, blocks: list[list[float]], first: int, widths: Sequence[float]
) -> None:
    """Break pages between blocks of rows (a dimension's heading with its first
    statement, an open question with its box) rather than inside one. `blocks` holds
    the heights of consecutive rows from row `first`; the rows above it (title and
    header) open the first page, and the header row is repeated on the others."""
    from openpyxl.worksheet.pagebreak import Break

    # The page is filled to its width: the scale follows from the columns' widths
    # (pixels of Calibri 11 per unit, 0.75 points a pixel).
    content = sum(int(w * 7 + 5) * 0.75 for w in widths)
    printable_width = (_A4[0] - MARGINS["left"] - MARGINS["right"]) * 72
    printable_height = (_A4[1] - MARGINS["top"] - MARGINS["bottom"]) * 72
    # Excel scales by whole percents; the rows' heights are set, so they print as given.
    scale = min(100, math.floor(printable_width / content * 100)) / 100
    capacity = printable_height / scale
    header = sheet.row_dimensions[first - 1].height or LINE
    used = sum(sheet.row_dimensions[r].height or LINE for r in range(1, first))
    row = first
    for block in blocks:
        height = sum(block)
        if used + height > capacity and used > header:
            sheet.row_breaks.append(Break(id=row - 1))
            used = header
        used += height
        row += len(block)


def _meta(plan: Plan, fields: list[Field], respondent: str = "", first_row: int = 0) -> Meta:
    return Meta(
        cohort=plan.cohort,
        questionnaire=plan.questionnaire,
        round=plan.round,
        layout=plan.layout,
        language=plan.language,
        fields=tuple(fields),
        respondent=respondent,
        first_row=first_row,
    )


def _person_book(plan: Plan, form: Form, respondent: str) -> bytes:
    """One respondent's workbook: statements down the page by dimension, an answer
    dropdown beside each, open questions as tall boxes below."""
    lang = plan.language
    workbook, sheet, lists, s = _new_book(plan, t(lang, "sheets.sheet.answers"))
    widths = {"A": 6.0, "B": 62.0, "C": 34.0}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    total = sum(widths.values())
    put(sheet["A1"], form.title)
    sheet["A1"].font = s.title
    sheet.row_dimensions[1].height = 22
    put(sheet["A2"], form.subtitle)
    sheet.row_dimensions[2].height = LINE
    put(sheet["A3"], t(lang, "sheets.respondent"))
    sheet["A3"].font = s.bold
    sheet.merge_cells("A3:B3")
    put(sheet["C3"], respondent)
    sheet["C3"].font = s.bold
    sheet["C3"].border = s.box
    sheet.row_dimensions[3].height = 18
    row = 4
    if form.instructions:
        _merge_text(sheet, row, 3, form.instructions, (s.plain, "plain"), s.wrap, total)
        row += 1
    _merge_text(sheet, row, 3, t(lang, "sheets.how.person"), (s.italic, "italic"), s.wrap, total)
    header = row + 1
    for col, key in enumerate(("number", "statement", "answer"), start=1):
        cell = sheet.cell(row=header, column=col)
        put(cell, t(lang, f"sheets.{key}"))
        cell.font = s.bold
        cell.fill = s.header_fill
        cell.border = s.box
    sheet.row_dimensions[header].height = 18
    check = _scale_check(plan, form, lists, strict=True)
    fields = [Field(RESPONDENT, sheet.title, "C3", "text")]
    # Heights of the rows that print together: a heading stays with what follows it.
    blocks: list[list[float]] = []
    keep: list[float] = []

    def add_row(height: float, hold: bool = False) -> None:
        nonlocal row, keep
        sheet.row_dimensions[row].height = height
        keep.append(height)
        if not hold:
            blocks.append(keep)
            keep = []
        row += 1

    row = header + 1
    for group in form.groups:
        head = sheet.cell(row=row, column=1)
        put(head, group.title)
        head.font = s.bold
        head.fill = s.group_fill
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        add_row(18, hold=True)
        if group.description:
            text = group.description
            _merge_text(sheet, row, 3, text, (s.italic, "italic"), s.wrap, total)
            add_row(row_height(text, total, "italic"), hold=True)
        for item in group.items:
            put(sheet.cell(row=row, column=1), f"{item.number}.")
            sheet.cell(row=row, column=1).alignment = s.wrap
            text_cell = sheet.cell(row=row, column=2)
            put(text_cell, item.text)
            text_cell.alignment = s.wrap
            if item.kind == "scale":
                answer = sheet.cell(row=row, column=3)
                answer.alignment = s.middle
                check.add(answer.coordinate)
            else:
                # The question over both columns, a tall box to write in below it.
                sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
                add_row(row_height(item.text, widths["B"] + widths["C"]), hold=True)
                answer = sheet.cell(row=row, column=2)
                answer.alignment = s.wrap
                answer.number_format = TEXT
            answer.protection = s.open
            answer.fill = s.answer_fill
            answer.border = s.box
            if item.kind == "text":
                # Styled first: a merged range takes its borders from the first cell.
                sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
                add_row(_OPEN_BOX)
            else:
                add_row(max(20.0, row_height(item.text, widths["B"])))
            fields.append(Field(item.id, sheet.title, answer.coordinate, item.kind))
    sheet.add_data_validation(check)
    sheet.freeze_panes = f"A{header + 1}"
    print_setup(sheet, f"A1:C{row - 1}", f"{header}:{header}", landscape=False)
    _page_breaks(sheet, blocks, header + 1, list(widths.values()))
    sheet.oddFooter.center.text = "&P / &N"
    return _finish(workbook, sheet, lists, _meta(plan, fields, respondent=respondent))


def _collection_book(plan: Plan, form: Form) -> bytes:
    """One workbook for every respondent: a row each, a column per statement and open
    question under its dimension, the names of those expected filled in."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    lang = plan.language
    workbook, sheet, lists, s = _new_book(plan, t(lang, "sheets.sheet.answers"))
    items = [item for group in form.groups for item in group.items]
    widths = [28.0] + [
        40.0 if item.kind == "text" else _width([f"{item.number}. {item.text}"], 18, 30)
        for item in items
    ]
    last_col = len(widths)
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    # The texts above the grid span as many columns as make a long line: everything
    # above the grid stays on screen (frozen), so it should take few rows.
    span, room = 1, widths[0]
    while span < last_col and room < 150:
        room += widths[span]
        span += 1
    put(sheet["A1"], form.title)
    sheet["A1"].font = s.title
    sheet.row_dimensions[1].height = 22
    put(sheet["A2"], form.subtitle)
    row = 3
    legend = ", ".join(
        f"{form.low + i} = {choice.split(' – ', 1)[1]}" for i, choice in enumerate(form.choices)
    )
    texts = [
        (form.instructions, (s.plain, "plain")),
        (t(lang, "sheets.how.collection", low=form.low, high=form.high), (s.italic, "italic")),
        (t(lang, "sheets.legend", legend=legend), (s.italic, "italic")),
    ]
    for text, look in texts:
        if text:
            _merge_text(sheet, row, span, text, look, s.wrap, room)
            row += 1
    groups_row, header = row, row + 1
    first_row = header + 1
    col = 2
    for group in form.groups:
        head = sheet.cell(row=groups_row, column=col)
        put(head, group.title)
        head.font = s.bold
        head.fill = s.group_fill
        head.alignment = s.wrap_center
        head.border = s.box
        end = col + len(group.items) - 1
        if end > col:
            sheet.merge_cells(
                start_row=groups_row, start_column=col, end_row=groups_row, end_column=end
            )
        col = end + 1
    group_widths, col = [], 2
    for group in form.groups:
        group_widths.append(sum(widths[col - 1 : col - 1 + len(group.items)]))
        col += len(group.items)
    sheet.row_dimensions[groups_row].height = max(
        row_height(g.title, w, "bold") for g, w in zip(form.groups, group_widths, strict=True)
    )
    put(sheet.cell(row=header, column=1), t(lang, "sheets.respondent"))
    tallest = 20.0
    for col, item in enumerate(items, start=2):
        cell = sheet.cell(row=header, column=col)
        put(cell, f"{item.number}. {item.text}")
        tallest = max(tallest, row_height(f"{item.number}. {item.text}", widths[col - 1], "bold"))
    for col in range(1, last_col + 1):
        cell = sheet.cell(row=header, column=col)
        cell.font = s.bold
        cell.fill = s.header_fill
        cell.border = s.box
        cell.alignment = s.wrap
    sheet.row_dimensions[header].height = min(tallest, 409)
    last_row = first_row + len(plan.respondents) + SPARE_ROWS - 1
    scale = _scale_check(plan, form, lists, strict=False)
    fields = [Field(RESPONDENT, sheet.title, "A", "text")]
    for col, item in enumerate(items, start=2):
        letter = get_column_letter(col)
        if item.kind == "scale":
            scale.add(f"{letter}{first_row}:{letter}{last_row}")
        fields.append(Field(item.id, sheet.title, letter, item.kind))
    sheet.add_data_validation(scale)
    if plan.respondents:
        names = DataValidation(
            type="list",
            formula1=list_source(lists, "B", plan.respondents),
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=t(lang, "sheets.respondent")[:TITLE_MAX],
            error=t(lang, "sheets.unknown_name")[:MESSAGE_MAX],
        )
        names.add(f"A{first_row}:A{last_row}")
        sheet.add_data_validation(names)
    for row in range(first_row, last_row + 1):
        index = row - first_row
        if index < len(plan.respondents):
            put(sheet.cell(row=row, column=1), plan.respondents[index])
        for col in range(1, last_col + 1):
            cell = sheet.cell(row=row, column=col)
            cell.protection = s.open
            cell.border = s.box
            if col > 1:
                cell.fill = s.answer_fill
                cell.alignment = s.wrap if items[col - 2].kind == "text" else s.middle
            if col == 1 or items[col - 2].kind == "text":
                cell.number_format = TEXT
    sheet.freeze_panes = f"B{first_row}"
    print_setup(sheet, f"A1:{get_column_letter(last_col)}{last_row}", f"{groups_row}:{header}")
    sheet.print_title_cols = "A:A"
    sheet.oddFooter.center.text = "&P / &N"
    return _finish(workbook, sheet, lists, _meta(plan, fields, first_row=first_row))


def _attendance_book(plan: Plan, grid: Grid) -> bytes:
    """Participants by sessions, a dropdown of marks in each cell that concerns them,
    and totals: formulas that count as marks are chosen, saved with the values they
    have when written (the marks already collected), for readers that do not
    calculate."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    lang = plan.language
    workbook, sheet, lists, s = _new_book(plan, t(lang, "sheets.sheet.attendance"))
    labels = mark_labels(lang)
    first_session = 3
    last_session = first_session + len(grid.columns) - 1
    present_col, count_col, share_col = last_session + 1, last_session + 2, last_session + 3
    widths = {1: 28.0, 2: 20.0}
    for col, column in enumerate(grid.columns, start=first_session):
        # Wide enough for a heading's longest word and for the longest mark.
        widths[col] = max(_width([column.heading], 16, 24), max(map(len, labels.values())) + 3)
    widths.update({present_col: 12.0, count_col: 12.0, share_col: 10.0})
    for col, width in widths.items():
        sheet.column_dimensions[get_column_letter(col)].width = width
    span, room = 1, widths[1]
    while span < share_col and room < 110:
        span += 1
        room += widths[span]
    put(sheet["A1"], grid.title)
    sheet["A1"].font = s.title
    sheet.row_dimensions[1].height = 22
    put(sheet["A2"], grid.subtitle)
    how = t(lang, "sheets.how.attendance", marks=", ".join(labels.values()))
    _merge_text(sheet, 3, span, how, (s.italic, "italic"), s.wrap, room)
    header = 4
    first_row = header + 1
    heads = [t(lang, "sheets.participant"), t(lang, "participant.role")]
    heads += [f"{c.heading}\n{c.date}" for c in grid.columns]
    heads += [t(lang, f"sheets.{key}") for key in ("present_total", "sessions_for", "share")]
    tallest = 20.0
    for col, text in enumerate(heads, start=1):
        cell = sheet.cell(row=header, column=col)
        put(cell, text)
        cell.font = s.bold
        cell.fill = s.header_fill
        cell.border = s.box
        cell.alignment = s.wrap
        tallest = max(tallest, row_height(text, widths[col], "bold"))
    sheet.row_dimensions[header].height = min(tallest, 409)
    check = DataValidation(
        type="list",
        formula1=list_source(lists, "A", list(labels.values())),
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=t(lang, "sheets.sheet.attendance")[:TITLE_MAX],
        error=t(lang, "sheets.choose_mark", marks=", ".join(labels.values()))[:MESSAGE_MAX],
    )
    present = '"' + labels["present"].replace('"', '""') + '"'
    first_letter = get_column_letter(first_session)
    last_letter = get_column_letter(last_session)
    cached: dict[str, float] = {}
    row = first_row
    for person in grid.rows:
        put(sheet.cell(row=row, column=1), person.name)
        put(sheet.cell(row=row, column=2), person.role)
        count = 0
        for col, column in enumerate(grid.columns, start=first_session):
            cell = sheet.cell(row=row, column=col)
            cell.border = s.box
            if column.session not in person.sessions:
                cell.fill = s.grey
                continue
            mark = person.marks.get(column.session)
            if mark is not None:
                put(cell, labels[mark])
                count += mark == "present"
            cell.fill = s.answer_fill
            cell.protection = s.open
            check.add(cell.coordinate)
        total = sheet.cell(row=row, column=present_col)
        total.value = f"=COUNTIF({first_letter}{row}:{last_letter}{row},{present})"
        cached[total.coordinate] = count
        put(sheet.cell(row=row, column=count_col), len(person.sessions))
        share = sheet.cell(row=row, column=share_col)
        present_at = f"{get_column_letter(present_col)}{row}"
        count_at = f"{get_column_letter(count_col)}{row}"
        share.value = f'=IF({count_at}>0,{present_at}/{count_at},"")'
        share.number_format = "0 %"
        if person.sessions:
            cached[share.coordinate] = count / len(person.sessions)
        for col in (1, 2, present_col, count_col, share_col):
            sheet.cell(row=row, column=col).border = s.box
        row += 1
    last_row = row - 1
    put(sheet.cell(row=row, column=1), t(lang, "sheets.present_total"))
    sheet.cell(row=row, column=1).font = s.bold
    for col, column in enumerate(grid.columns, start=first_session):
        letter = get_column_letter(col)
        cell = sheet.cell(row=row, column=col)
        cell.value = f"=COUNTIF({letter}{first_row}:{letter}{last_row},{present})"
        cell.font = s.bold
        cached[cell.coordinate] = sum(
            1 for p in grid.rows if p.marks.get(column.session) == "present"
        )
    sheet.add_data_validation(check)
    fields = [Field(RESPONDENT, sheet.title, "A", "text")] + [
        Field(c.session, sheet.title, get_column_letter(col), "mark")
        for col, c in enumerate(grid.columns, start=first_session)
    ]
    sheet.freeze_panes = f"C{first_row}"
    print_setup(sheet, f"A1:{get_column_letter(share_col)}{row}", f"{header}:{header}")
    sheet.print_title_cols = "A:A"
    sheet.oddFooter.center.text = "&P / &N"
    data = _finish(workbook, sheet, lists, _meta(plan, fields, first_row=first_row))
    return _with_values(data, "xl/worksheets/sheet1.xml", cached)


_FORMULA_CELL = re.compile(r'(<c r="([A-Z]+[0-9]+)"[^>]*>\s*<f>[^<]*</f>)\s*<v\s*(?:/>|></v>)')


def _with_values(data: bytes, part: str, values: dict[str, float]) -> bytes:
    """Save the values of formula cells beside their formulas. openpyxl writes formulas
    without results; Excel and LibreOffice calculate them on opening, but a reader that
    does not calculate (python-calamine, a phone's preview) would see nothing."""

    def fill(match: re.Match[str]) -> str:
        value = values.get(match.group(2))
        if value is None:
            return match.group(0)
        shown = str(int(value)) if float(value).is_integer() else repr(float(value))
        return f"{match.group(1)}<v>{shown}</v>"

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target_zip:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == part:
                content = _FORMULA_CELL.sub(fill, content.decode("utf-8")).encode("utf-8")
            target_zip.writestr(info, content)
    return out.getvalue()


def _application_book(lang: str, application: Application) -> bytes:
    """The participant list's template with the title and instructions above the header."""
    from .participants import template_book

    workbook = template_book(
        application.programme,
        lang,
        application.organisation,
        title=application.title,
        instructions=application.instructions,
        attended=False,
    )
    workbook.properties.creator = "facilitate"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The meeting log's columns and their widths: what the pair writes gets the room.
_LOG_COLUMNS = {"meeting": 22.0, "suggested": 28.0, "held": 16.0, "topic": 42.0, "next_step": 48.0}
# Row heights in points: room to write by hand on a printout, four lines where the
# meetings fit on one page with that, else down to two and a half.
_LOG_ROW = (36.0, 64.0)


def _log_row(meetings: int, used: float) -> float:
    """The height of a meeting's row: as tall as lets every meeting print on one
    landscape page under the `used` points of title and header, within `_LOG_ROW`."""
    content = sum(int(w * 7 + 5) * 0.75 for w in _LOG_COLUMNS.values())
    width = (_A4[1] - MARGINS["left"] - MARGINS["right"]) * 72
    height = (_A4[0] - MARGINS["top"] - MARGINS["bottom"]) * 72
    scale = min(100, math.floor(width / content * 100)) / 100
    room = height / scale - used - LINE  # and a line to spare for the page's rounding
    low, high = _LOG_ROW
    return max(low, min(high, math.floor(room / max(1, meetings))))


def _pair_log_book(lang: str, log: PairLog) -> bytes:
    """A row per pair meeting: its name and suggested week, then the date held, the
    topic and the agreed next step to fill in (unlocked, wrapped)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    s = _Styles()
    workbook = Workbook()
    workbook.properties.creator = "facilitate"
    sheet = workbook.active
    sheet.title = t(lang, "applications.log.sheet")
    for col, width in enumerate(_LOG_COLUMNS.values(), start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    last_col = len(_LOG_COLUMNS)
    total = sum(_LOG_COLUMNS.values())
    put(sheet["A1"], log.title)
    sheet["A1"].font = s.title
    sheet.row_dimensions[1].height = 22
    put(sheet["A2"], log.subtitle)
    sheet.row_dimensions[2].height = LINE
    how = t(lang, "applications.log.how")
    above = 22 + LINE + _merge_text(sheet, 3, last_col, how, (s.italic, "italic"), s.wrap, total)
    header = 4
    for col, key in enumerate(_LOG_COLUMNS, start=1):
        cell = sheet.cell(row=header, column=col)
        put(cell, t(lang, f"applications.log.col.{key}"))
        cell.font = s.bold
        cell.fill = s.header_fill
        cell.border = s.box
        cell.alignment = s.wrap
    sheet.row_dimensions[header].height = 20
    height = _log_row(len(log.meetings), above + 20)
    row = header
    for row, meeting in enumerate(log.meetings, start=header + 1):
        for col, value in enumerate((meeting.title, meeting.suggested), start=1):
            cell = sheet.cell(row=row, column=col)
            put(cell, value)
            cell.alignment = s.wrap
            cell.border = s.box
        for col in range(3, last_col + 1):
            cell = sheet.cell(row=row, column=col)
            cell.protection = s.open
            cell.fill = s.answer_fill
            cell.border = s.box
            cell.alignment = s.wrap
        sheet.row_dimensions[row].height = height
    sheet.freeze_panes = f"A{header + 1}"
    print_setup(sheet, f"A1:{get_column_letter(last_col)}{row}", f"{header}:{header}")
    sheet.oddFooter.center.text = "&P / &N"
    # Protected without a password: the pair writes in the yellow cells, and may still
    # resize rows and columns to read a long entry.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
