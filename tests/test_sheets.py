"""`facilitate sheets`: the workbooks to fill in, read back as Excel and the collector see them.

Every kind is re-read with openpyxl (protection, unlocked answer cells, dropdowns,
frozen header, print set-up, the hidden identity sheet) and with python-calamine (the
values, and `answers.Meta` parsed back to what was written). Cohorts: Osaava ja oppiva
Ohjaamo in Finnish (meter, feedback, attendance) and the Swedish mentor programme of
Västernorrland (the final evaluation).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from facilitate import answers, sheets
from facilitate.answers import META_SHEET, Field, Meta
from facilitate.cli import app
from facilitate.cohort import Cohort
from facilitate.errors import ExitStatus, InputError
from facilitate.participants import Participant, write_template
from facilitate.workbook import LISTS_SHEET, put

from .office import convert
from .test_golden import PEOPLE, make_mentoring, make_ohjaamo

INJECTIONS = ('=HYPERLINK("http://x","y")', "+358 40 123", "-1", "@SUM(A1)", "\tTab", "\rCR")
MENTORING_PEOPLE = (
    Participant("Karin Berg-Adept", "karin@kommun.example", "Kommunen", "adept"),
    Participant("Olle Mentor", "olle@region.example", "Regionen", "mentor"),
)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("sheets")
    mentoring = make_mentoring(base / "vasternorrland")
    write_template(
        mentoring.folder / "participants.xlsx",
        mentoring.programme,
        "sv",
        "Myndighetsnätverket",
        MENTORING_PEOPLE,
    )
    return {"koskela": make_ohjaamo(base / "koskela").folder, "mentoring": mentoring.folder}


@pytest.fixture
def koskela(made: dict[str, Path], tmp_path: Path) -> Cohort:
    from facilitate import cohort as cohorts

    shutil.copytree(made["koskela"], tmp_path / "koskela")
    return cohorts.load(tmp_path / "koskela")


@pytest.fixture
def mentoring(made: dict[str, Path], tmp_path: Path) -> Cohort:
    from facilitate import cohort as cohorts

    shutil.copytree(made["mentoring"], tmp_path / "vasternorrland")
    return cohorts.load(tmp_path / "vasternorrland")


def built(plan: sheets.Plan) -> dict[str, bytes]:
    return {path.as_posix(): data for path, data in sheets.build(plan)}


def book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def meta_of(data: bytes) -> Meta:
    """The identity as the collector reads it: python-calamine, the hidden sheet only."""
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return Meta.from_rows(workbook.get_sheet_by_name(META_SHEET).to_python())


def values_of(data: bytes, sheet: str) -> list[list[Any]]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def dropdowns(sheet: Worksheet) -> list[tuple[Any, list[str], set[str]]]:
    """Each list validation: itself, its values (from the lists sheet), the cells it covers."""
    lists = sheet.parent[LISTS_SHEET]
    out = []
    for check in sheet.data_validations.dataValidation:
        assert check.type == "list"
        m = re.fullmatch(r"'?(\w+)'?!\$([A-Z])\$1:\$\2\$(\d+)", check.formula1)
        assert m is not None and m.group(1) == LISTS_SHEET, check.formula1
        values = [lists[f"{m.group(2)}{n}"].value for n in range(1, int(m.group(3)) + 1)]
        cells = {
            f"{get_column_letter(col)}{row}"
            for cells in check.sqref.ranges
            for row, col in cells.cells
        }
        out.append((check, values, cells))
    return out


def unlocked(sheet: Worksheet) -> set[str]:
    return {
        cell.coordinate
        for row in sheet.iter_rows()
        for cell in row
        if not isinstance(cell, MergedCell) and not cell.protection.locked
    }


def assert_protected(workbook: openpyxl.Workbook) -> None:
    """Every sheet protected without a password; the lists and identity sheets hidden;
    the structure locked so that no sheet is renamed or unhidden."""
    assert workbook.sheetnames[1:] == [LISTS_SHEET, META_SHEET]
    assert workbook[LISTS_SHEET].sheet_state == "hidden"
    assert workbook[META_SHEET].sheet_state == "veryHidden"
    for sheet in workbook.worksheets:
        assert sheet.protection.sheet is True
        assert not sheet.protection.password
    assert workbook.security is not None and workbook.security.lockStructure
    assert not workbook.security.workbookPassword


def assert_printable(sheet: Worksheet, area: str, landscape: bool) -> None:
    assert sheet.print_area == [f"'{sheet.title}'!{area}"] or sheet.print_area == (
        f"'{sheet.title}'!{area}"
    )
    assert sheet.page_setup.orientation == ("landscape" if landscape else "portrait")
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage


def read_answers(data: bytes) -> dict[str, dict[str, Any]]:
    """Answers by respondent, found through the identity sheet alone, as `collect` does."""
    meta = meta_of(data)
    out: dict[str, dict[str, Any]] = {}
    by_sheet = {f.sheet: values_of(data, f.sheet) for f in meta.fields}

    def at(sheet: str, row: int, letters: str) -> Any:
        col = 0
        for char in letters:
            col = col * 26 + ord(char) - 64
        rows = by_sheet[sheet]
        return rows[row - 1][col - 1] if row <= len(rows) and col <= len(rows[row - 1]) else ""

    if meta.layout == "person":
        found = {}
        for f in meta.fields:
            m = re.fullmatch(r"([A-Z]+)(\d+)", f.cell)
            assert m is not None
            found[f.id] = at(f.sheet, int(m.group(2)), m.group(1))
        out[meta.respondent] = found
        return out
    names = next(f for f in meta.fields if f.id == sheets.RESPONDENT)
    row = meta.first_row
    while row <= len(by_sheet[names.sheet]):
        name = at(names.sheet, row, names.cell)
        if name:
            out[name] = {f.id: at(f.sheet, row, f.cell) for f in meta.fields if f is not names}
        row += 1
    return out


# --- which questionnaire, which round ------------------------------------------------------


def test_the_meter_is_the_pre_assignment_unless_a_session_is_named(koskela: Cohort) -> None:
    q, session = sheets.target(koskela, "meter", None)
    assert (q.id, session) == ("meter", None)
    assert sheets.plan(koskela, "meter").round == "pre-assignment"
    assert sheets.plan(koskela, "meter", "module-4").round == "module-4"
    assert sheets.plan(koskela, "meter", "4").round == "module-4"
    assert sheets.plan(koskela, "meter", "pre-assignment").round == "pre-assignment"


def test_a_session_that_does_not_use_the_questionnaire_is_refused(koskela: Cohort) -> None:
    with pytest.raises(InputError) as caught:
        sheets.plan(koskela, "meter", "module-3")
    assert caught.value.message == (
        "module-3 does not use meter; meter is used at: pre-assignment, module-4"
    )


def test_feedback_needs_a_session(koskela: Cohort) -> None:
    with pytest.raises(InputError) as caught:
        sheets.plan(koskela, "feedback")
    assert caught.value.message == (
        "which session is the feedback for? feedback is used at: module-1, module-2, "
        "module-3, module-4, module-5; name one, e.g. `facilitate sheets feedback module-1`"
    )


def test_the_evaluation_is_for_the_session_that_gives_it(mentoring: Cohort) -> None:
    plan = sheets.plan(mentoring, "evaluation")
    assert (plan.questionnaire, plan.round, plan.layout) == (
        "evaluation",
        "final-seminar",
        "person",
    )
    # Only the roles that answer it: a mentor and an adept, not the coordinator.
    assert [job.respondent for job in plan.jobs] == ["Karin Berg-Adept", "Olle Mentor"]
    assert [job.path.as_posix() for job in plan.jobs] == [
        "out/sheets/final-seminar/utvardering-karin-berg-adept.xlsx",
        "out/sheets/final-seminar/utvardering-olle-mentor.xlsx",
    ]


def test_a_programme_without_a_meter(mentoring: Cohort) -> None:
    with pytest.raises(InputError) as caught:
        sheets.plan(mentoring, "meter")
    assert caught.value.message == (
        "mentorsprogram-vasternorrland has no questionnaire of kind meter; its "
        "questionnaires: feedback (feedback), evaluation (evaluation)"
    )


def test_attendance_has_no_person_layout(koskela: Cohort) -> None:
    with pytest.raises(InputError, match="leave out --layout person"):
        sheets.plan(koskela, "attendance", layout="person")


def test_a_person_layout_needs_a_participant_list(koskela: Cohort) -> None:
    (koskela.folder / "participants.xlsx").unlink()
    with pytest.raises(InputError, match="--layout collection"):
        sheets.plan(koskela, "meter")
    # A collection is made all the same, with empty rows to type names into.
    plan = sheets.plan(koskela, "meter", layout="collection")
    assert plan.respondents == []
    [(_, data)] = sheets.build(plan)
    meta = meta_of(data)
    rows = values_of(data, "Vastaukset")
    assert all(not any(row) for row in rows[meta.first_row - 1 :])


def test_two_people_of_one_name_get_a_file_each(koskela: Cohort) -> None:
    people = [*PEOPLE, Participant("Päivi Ahonen", "toinen@te.example", "TE", "member")]
    plan = sheets.plan(koskela, "meter", participants=people)
    names = [job.path.name for job in plan.jobs]
    assert "mittari-paivi-ahonen.xlsx" in names and "mittari-paivi-ahonen-2.xlsx" in names
    assert len(set(names)) == len(names)


# --- a person's workbook -------------------------------------------------------------------


def test_a_person_workbook_of_the_meter(koskela: Cohort) -> None:
    plan = sheets.plan(koskela, "meter")
    files = built(plan)
    assert list(files) == [
        "out/sheets/pre-assignment/mittari-paivi-ahonen.xlsx",
        "out/sheets/pre-assignment/mittari-noora-o-connor.xlsx",
        "out/sheets/pre-assignment/mittari-sari-laanela.xlsx",
        "out/sheets/pre-assignment/mittari-aleksi-rasanen.xlsx",
        "out/sheets/pre-assignment/mittari-emil-bjorkqvist.xlsx",
    ]
    data = files["out/sheets/pre-assignment/mittari-noora-o-connor.xlsx"]
    workbook = book(data)
    assert_protected(workbook)
    sheet = workbook["Vastaukset"]
    q = koskela.programme.questionnaire("meter")

    meta = meta_of(data)
    assert (meta.cohort, meta.questionnaire, meta.round, meta.layout, meta.language) == (
        "koskela",
        "meter",
        "pre-assignment",
        "person",
        "fi",
    )
    assert meta.respondent == "Noora O'Connor" and meta.first_row == 0
    statements = [s.id for _, s in q.statements()]
    questions = [o.id for o in q.open_questions]
    assert [f.id for f in meta.fields] == ["respondent", *statements, *questions]
    assert all(f.sheet == "Vastaukset" for f in meta.fields)
    assert [f.kind for f in meta.fields] == (
        ["text"] + ["scale"] * len(statements) + ["text"] * len(questions)
    )

    # The name is filled in, and locked.
    assert sheet["C3"].value == "Noora O'Connor" and sheet["C3"].protection.locked
    answer_cells = {f.cell for f in meta.fields if f.id != "respondent"}
    assert unlocked(sheet) == answer_cells
    # Each statement stands beside its answer cell, numbered, under its dimension.
    for number, (f, (_, statement)) in enumerate(
        zip(meta.fields[1:], q.statements(), strict=False), start=1
    ):
        row = int(f.cell[1:])
        assert f.cell.startswith("C")
        assert sheet[f"B{row}"].value == statement.text.get("fi")
        assert sheet[f"A{row}"].value == f"{number}."
    first_dimension = q.dimensions[0].title.get("fi")
    heading_row = int(meta.fields[1].cell[1:]) - 2  # heading, description, statement
    assert sheet[f"A{heading_row}"].value == first_dimension
    # Open questions: the text above a tall, wrapped box.
    for f, question in zip(meta.fields[-len(questions) :], q.open_questions, strict=True):
        row = int(f.cell[1:])
        assert f.cell.startswith("B")
        assert sheet[f"B{row - 1}"].value == question.text.get("fi")
        assert sheet[f.cell].alignment.wrap_text
        assert sheet[f.cell].number_format == "@"  # typed text is never run as a formula
        assert sheet.row_dimensions[row].height >= 80
        assert f"B{row}:C{row}" in {str(r) for r in sheet.merged_cells.ranges}

    [(check, values, cells)] = dropdowns(sheet)
    assert values == [
        "1 – täysin eri mieltä",
        "2 – jokseenkin eri mieltä",
        "3 – ei samaa eikä eri mieltä",
        "4 – jokseenkin samaa mieltä",
        "5 – täysin samaa mieltä",
    ]
    assert cells == {f.cell for f in meta.fields if f.kind == "scale"}
    assert check.showErrorMessage and check.errorStyle == "stop" and check.allow_blank

    header = int(meta.fields[1].cell[1:]) - 3
    assert [sheet.cell(header, c).value for c in (1, 2, 3)] == ["Nro", "Väittämä", "Vastaus"]
    assert sheet.freeze_panes == f"A{header + 1}"
    last = max(int(f.cell[1:]) for f in meta.fields)
    assert_printable(sheet, f"$A$1:$C${last}", landscape=False)
    assert sheet.print_title_rows == f"${header}:${header}"
    # Instructions at the top: the questionnaire's own, then how to answer.
    assert sheet["A4"].value == q.instructions.get("fi")  # type: ignore[union-attr]
    assert sheet["A5"].value.startswith("Valitse vastauksesi")


def test_a_question_is_not_parted_from_its_box_by_a_page_break(mentoring: Cohort) -> None:
    """The Swedish evaluation runs onto a second page: the break falls between blocks."""
    plan = sheets.plan(mentoring, "evaluation")
    data = built(plan)["out/sheets/final-seminar/utvardering-olle-mentor.xlsx"]
    sheet = book(data)["Svar"]
    meta = meta_of(data)
    breaks = [b.id for b in sheet.row_breaks.brk]
    assert breaks, "the evaluation is longer than a page"
    boxes = {int(f.cell[1:]) for f in meta.fields if f.kind == "text" and f.id != "respondent"}
    for after in breaks:
        assert after + 1 not in boxes, f"a page starts with the box of row {after + 1}"
        assert sheet[f"A{after + 1}"].value, "a page starts with a numbered item or a heading"


# --- a collection --------------------------------------------------------------------------


def test_a_collection_of_feedback(koskela: Cohort) -> None:
    plan = sheets.plan(koskela, "feedback", "module-3")
    assert plan.layout == "collection"
    files = built(plan)
    [(name, data)] = files.items()
    assert name == "out/sheets/module-3/palaute-vastaukset.xlsx"
    workbook = book(data)
    assert_protected(workbook)
    sheet = workbook["Vastaukset"]
    q = koskela.programme.questionnaire("feedback")
    meta = meta_of(data)
    assert (meta.questionnaire, meta.round, meta.layout, meta.respondent) == (
        "feedback",
        "module-3",
        "collection",
        "",
    )
    statements = [s for _, s in q.statements()]
    letters = "BCDEFGHI"
    assert meta.fields == (
        Field("respondent", "Vastaukset", "A", "text"),
        *(Field(s.id, "Vastaukset", letters[i], "scale") for i, s in enumerate(statements)),
        Field("best", "Vastaukset", "H", "text"),
        Field("improve", "Vastaukset", "I", "text"),
    )
    first = meta.first_row
    header = first - 1
    # The header: statement texts, numbered, wrapped; the dimensions in the row above.
    assert sheet.cell(header, 1).value == "Vastaaja"
    assert sheet.cell(header, 2).value == "1. Tapaamisen tavoitteet olivat selkeät."
    assert sheet.cell(header, 8).value == "7. Mikä tapaamisessa oli sinulle tärkeintä?"
    assert all(sheet.cell(header, c).alignment.wrap_text for c in range(1, 10))
    assert sheet.cell(header - 1, 2).value == "Sisältö"
    assert sheet.cell(header - 1, 5).value == "Työskentely"
    assert sheet.cell(header - 1, 8).value == "Avoimet kysymykset"
    assert {str(r) for r in sheet.merged_cells.ranges} >= {
        f"B{header - 1}:D{header - 1}",
        f"E{header - 1}:G{header - 1}",
        f"H{header - 1}:I{header - 1}",
    }
    # The expected respondents, then spare rows.
    names = [p.name for p in PEOPLE]
    last = first + len(names) + sheets.SPARE_ROWS - 1
    assert [sheet.cell(first + i, 1).value for i in range(len(names))] == names
    assert sheet.cell(first + len(names), 1).value is None
    assert unlocked(sheet) == {
        f"{letter}{row}" for letter in "A" + letters for row in range(first, last + 1)
    }
    (scale, values, cells), (who, people, name_cells) = dropdowns(sheet)
    assert values[3] == "4 – jokseenkin samaa mieltä" and len(values) == 5
    assert cells == {f"{c}{r}" for c in "BCDEFG" for r in range(first, last + 1)}
    # A typed score is taken without a message on every cell; collect checks it.
    assert not scale.showErrorMessage
    assert people == names
    assert name_cells == {f"A{r}" for r in range(first, last + 1)}
    assert who.showErrorMessage and who.errorStyle == "warning"
    assert sheet.freeze_panes == f"B{first}"
    assert_printable(sheet, f"$A$1:$I${last}", landscape=True)
    assert sheet.print_title_rows == f"${header - 1}:${header}"
    text = values_of(data, "Vastaukset")
    assert text[0][0] == "Palaute tapaamisesta"
    assert text[1][0] == "Ohjaamo Koskela, kevät 2030 · Moduuli 3: Monialaiset työtavat · 26.3.2030"
    assert text[2][0] == q.instructions.get("fi")  # type: ignore[union-attr]
    assert text[3][0].startswith("Yksi rivi kutakin vastaajaa kohden. Kirjoita vastaus lukuna 1–5")
    assert text[4][0] == (
        "Asteikko: 1 = täysin eri mieltä, 2 = jokseenkin eri mieltä, 3 = ei samaa eikä eri "
        "mieltä, 4 = jokseenkin samaa mieltä, 5 = täysin samaa mieltä"
    )


def test_both_layouts_read_back_the_same_through_the_identity_sheet(koskela: Cohort) -> None:
    """Fill in a person's workbook and a collection as Excel would save them; the answers
    found through the hidden sheet alone are the same."""
    filled = {"goals-clear": "4 – jokseenkin samaa mieltä", "useful": 2, "best": "=Hyvä päivä"}
    person = built(sheets.plan(koskela, "feedback", "module-3", layout="person"))
    data = person["out/sheets/module-3/palaute-sari-laanela.xlsx"]
    meta = meta_of(data)
    workbook = book(data)
    for f in meta.fields:
        if f.id in filled:
            # As Excel saves what is typed into a cell of the Text format.
            put(workbook[f.sheet][f.cell], filled[f.id])
    saved = io.BytesIO()
    workbook.save(saved)
    from_person = read_answers(saved.getvalue())

    [data] = built(sheets.plan(koskela, "feedback", "module-3")).values()
    meta = meta_of(data)
    workbook = book(data)
    row = meta.first_row + 2  # Sari Läänelä's row
    for f in meta.fields:
        if f.id in filled:
            put(workbook[f.sheet][f"{f.cell}{row}"], filled[f.id])
    saved = io.BytesIO()
    workbook.save(saved)
    from_collection = read_answers(saved.getvalue())

    expected = {
        "Sari Läänelä": {
            "respondent": "Sari Läänelä",
            "goals-clear": "4 – jokseenkin samaa mieltä",
            "useful": 2.0,
            "next-steps": "",
            "participation": "",
            "methods": "",
            "atmosphere": "",
            "best": "=Hyvä päivä",
            "improve": "",
        }
    }
    assert from_person == expected
    expected["Sari Läänelä"].pop("respondent")
    assert from_collection["Sari Läänelä"] == expected["Sari Läänelä"]
    assert set(from_collection) == {p.name for p in PEOPLE}


# --- attendance ----------------------------------------------------------------------------


def test_the_attendance_grid(koskela: Cohort) -> None:
    answers.save_attendance(
        koskela,
        {
            "module-1": {"Päivi Ahonen": "present", "Noora O'Connor": "excused"},
            "module-2": {"Päivi Ahonen": "present", "Sari Läänelä": "absent"},
            "sparring-1": {"Sari Läänelä": "present"},
        },
    )
    plan = sheets.plan(koskela, "attendance")
    [(name, data)] = built(plan).items()
    assert name == "out/sheets/attendance/lasnaolo.xlsx"
    workbook = book(data)
    assert_protected(workbook)
    sheet = workbook["Läsnäolo"]
    meta = meta_of(data)
    sessions = [s.id for s in koskela.sessions()]
    assert (meta.questionnaire, meta.round, meta.layout) == ("attendance", "", "collection")
    assert [f.id for f in meta.fields] == ["respondent", *sessions]
    assert [f.kind for f in meta.fields] == ["text"] + ["mark"] * len(sessions)
    assert [f.cell for f in meta.fields] == ["A", *"CDEFGHIJKL"]
    first = meta.first_row
    header = first - 1
    assert sheet.cell(header, 3).value == "Moduuli 1: Monialainen osaaminen Ohjaamossa\n15.1.2030"
    assert sheet.cell(header, 4).value.startswith("Koordinaattorin sparraus 1\n")
    assert [sheet.cell(header, c).value for c in (13, 14, 15)] == ["Läsnä", "Tapaamisia", "Osuus"]

    # The coordinator's sparrings concern the coordinator only: grey and locked for others.
    rows = {sheet.cell(r, 1).value: r for r in range(first, first + len(PEOPLE))}
    sari, paivi = rows["Sari Läänelä"], rows["Päivi Ahonen"]
    assert not sheet[f"D{sari}"].protection.locked
    assert sheet[f"D{paivi}"].protection.locked
    assert sheet[f"D{paivi}"].fill.fgColor.rgb.endswith("BFBFBF")
    [(check, values, cells)] = dropdowns(sheet)
    assert values == ["läsnä", "poissa", "ilmoitettu poissaolo"]
    assert check.showErrorMessage and check.errorStyle == "stop"
    assert cells == unlocked(sheet)
    assert len(cells) == 4 * 6 + 10  # four members at six sessions, the coordinator at ten

    # What is recorded is filled in; the totals are formulas, saved with their values.
    assert sheet[f"C{paivi}"].value == "läsnä"
    assert sheet[f"M{paivi}"].value == f'=COUNTIF(C{paivi}:L{paivi},"läsnä")'
    assert sheet[f"O{paivi}"].value == f'=IF(N{paivi}>0,M{paivi}/N{paivi},"")'
    total_row = first + len(PEOPLE)
    assert sheet[f"C{total_row}"].value == f'=COUNTIF(C{first}:C{total_row - 1},"läsnä")'
    grid = values_of(data, "Läsnäolo")
    by_name = {row[0]: row for row in grid[first - 1 : total_row - 1]}
    assert by_name["Päivi Ahonen"][2:5] == ["läsnä", "", "läsnä"]
    assert by_name["Päivi Ahonen"][12:15] == [2.0, 6.0, pytest.approx(2 / 6)]
    assert by_name["Sari Läänelä"][12:15] == [1.0, 10.0, 0.1]
    assert by_name["Noora O'Connor"][2] == "ilmoitettu poissaolo"
    assert grid[total_row - 1][:5] == ["Läsnä", "", 1.0, 1.0, 1.0]
    assert sheet.freeze_panes == f"C{first}"
    assert_printable(sheet, f"$A$1:$O${total_row}", landscape=True)


def test_attendance_is_one_grid_whichever_session_is_named(koskela: Cohort) -> None:
    whole = sheets.plan(koskela, "attendance")
    assert sheets.plan(koskela, "attendance", "module-3") == whole
    with pytest.raises(InputError, match="no session 'module-9'"):
        sheets.plan(koskela, "attendance", "module-9")


def test_attendance_needs_participants(koskela: Cohort) -> None:
    (koskela.folder / "participants.xlsx").unlink()
    with pytest.raises(InputError, match="no participant list"):
        sheets.plan(koskela, "attendance")


# --- text from participants is never a formula ---------------------------------------------


@pytest.mark.parametrize("kind", ["meter", "feedback", "attendance"])
def test_names_that_look_like_formulas_stay_text(koskela: Cohort, kind: str) -> None:
    people = [Participant(name, None, None, "member") for name in INJECTIONS]
    session = "module-3" if kind == "feedback" else None
    layout = "person" if kind == "meter" else None
    files = built(sheets.plan(koskela, kind, session, layout, participants=people))
    seen: list[str] = []
    for data in files.values():
        workbook = book(data)
        sheet = workbook.worksheets[0]
        meta = meta_of(data)
        if meta.layout == "person":
            cells = [sheet["C3"]]
            # The identity sheet's values are read stripped: a name begins with no tab.
            assert meta.respondent in {name.strip() for name in INJECTIONS}
        else:
            cells = [sheet.cell(meta.first_row + i, 1) for i in range(len(people))]
        for cell in cells:
            assert cell.data_type == "s", cell.value
            assert cell.quotePrefix
            seen.append(cell.value)
        # The hidden list of names for the dropdown, too.
        lists = workbook[LISTS_SHEET]
        for row in lists.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
        # python-calamine gives the literal text, never a formula's result.
        grid = values_of(data, sheet.title)
        literal = [value for row in grid for value in row if value in INJECTIONS]
        assert literal, "the names are read back as written"
    assert sorted(set(seen)) == sorted(INJECTIONS)


def test_an_injected_name_in_a_written_file(koskela: Cohort) -> None:
    people = [Participant('=HYPERLINK("http://x","y")', None, None, "member")]
    [data] = built(sheets.plan(koskela, "meter", participants=people)).values()
    sheet = book(data)["Vastaukset"]
    assert sheet["C3"].data_type == "s"
    assert sheet["C3"].value == '=HYPERLINK("http://x","y")'
    assert values_of(data, "Vastaukset")[2][2] == '=HYPERLINK("http://x","y")'
    assert meta_of(data).respondent == '=HYPERLINK("http://x","y")'
    with zipfile_of(data) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml  # no formula anywhere in a questionnaire


def zipfile_of(data: bytes) -> Any:
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data))


# --- languages -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "sheet", "label", "mark", "file"),
    [
        ("fi", "Vastaukset", "4 – jokseenkin samaa mieltä", "ilmoitettu poissaolo", "mittari"),
        ("sv", "Svar", "4 – delvis av samma åsikt", "anmält förhinder", "matare"),
        ("en", "Answers", "4 – agree", "excused", "meter"),
    ],
)
def test_labels_in_the_sheets_language(
    koskela: Cohort, lang: str, sheet: str, label: str, mark: str, file: str
) -> None:
    plan = sheets.plan(koskela, "meter", lang=lang)
    assert plan.jobs[0].path.name == f"{file}-paivi-ahonen.xlsx"
    data = next(iter(built(plan).values()))
    workbook = book(data)
    assert workbook.sheetnames[0] == sheet
    [(_, values, _)] = dropdowns(workbook[sheet])
    assert values[3] == label
    assert meta_of(data).language == lang
    title = koskela.programme.questionnaire("meter").title.get(lang)
    assert values_of(data, sheet)[0][0] == title
    [grid] = built(sheets.plan(koskela, "attendance", lang=lang)).values()
    attendance = book(grid)
    [(_, marks, _)] = dropdowns(attendance.worksheets[0])
    assert marks[2] == mark == sheets.mark_labels(lang)["excused"]


def test_norwegian_falls_back_to_the_programmes_languages(koskela: Cohort) -> None:
    """The meter is not written in Norwegian: its texts fall back, and the plan says which."""
    plan = sheets.plan(koskela, "meter", lang="nb")
    assert "questionnaires.meter.title" in plan.fallbacks
    data = next(iter(built(plan).values()))
    [(_, values, _)] = dropdowns(book(data)["Svar"])
    assert values[3] == "4 – delvis enig"  # the scale's labels are ours, in Norwegian


# --- the command ---------------------------------------------------------------------------


@pytest.fixture
def in_koskela(koskela: Cohort, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(koskela.folder.parent)
    yield Path("koskela")


def run(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(app, ["sheets", *args, "--cohort", "koskela"])


def test_the_command_writes_and_lists_the_workbooks(runner: CliRunner, in_koskela: Path) -> None:
    result = run(runner, "feedback", "3")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┓",
        "┃ Tiedosto                                    ┃ Työkirja             ┃ Tapaaminen tai henkilö ┃",
        "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━┩",
        "│ out/sheets/module-3/palaute-vastaukset.xlsx │ Palaute tapaamisesta │ kaikki vastaajat       │",
        "└─────────────────────────────────────────────┴──────────────────────┴────────────────────────┘",
        "1 työkirja kansiossa koskela/out/sheets/module-3.",
    ]
    assert result.stderr == ""
    written = in_koskela / "out/sheets/module-3/palaute-vastaukset.xlsx"
    assert meta_of(written.read_bytes()).round == "module-3"
    manifest = json.loads((in_koskela / ".facilitate/manifest.json").read_text("utf-8"))
    assert "out/sheets/module-3/palaute-vastaukset.xlsx" in manifest


def test_the_command_makes_a_workbook_per_person(runner: CliRunner, in_koskela: Path) -> None:
    result = run(runner, "meter", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("5 workbooks written in koskela/out/sheets/pre-assignment.\n")
    assert sorted(p.name for p in (in_koskela / "out/sheets/pre-assignment").iterdir()) == [
        "meter-aleksi-rasanen.xlsx",
        "meter-emil-bjorkqvist.xlsx",
        "meter-noora-o-connor.xlsx",
        "meter-paivi-ahonen.xlsx",
        "meter-sari-laanela.xlsx",
    ]


def test_a_workbook_edited_by_hand_is_not_replaced(runner: CliRunner, in_koskela: Path) -> None:
    assert run(runner, "attendance").exit_code == 0
    path = in_koskela / "out/sheets/attendance/lasnaolo.xlsx"
    path.write_bytes(path.read_bytes() + b"\0")
    result = run(runner, "attendance")
    assert result.exit_code == ExitStatus.REFUSED
    assert result.stderr.startswith("out/sheets/attendance/lasnaolo.xlsx was changed after")
    assert run(runner, "attendance", "--force").exit_code == 0
    assert (path.parent / "lasnaolo.xlsx.bak").is_file()


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["feedback"], ExitStatus.BAD_INPUT, "which session is the feedback for?"),
        (["meter", "module-9"], ExitStatus.BAD_INPUT, "no session 'module-9'"),
        (["evaluation"], ExitStatus.BAD_INPUT, "osaava-ja-oppiva-ohjaamo has no questionnaire"),
        (["bogus"], ExitStatus.USAGE, "'bogus' is not one of meter, feedback"),
        (["meter", "--layout", "grid"], ExitStatus.USAGE, "'grid' is not one of person"),
    ],
)
def test_the_command_refuses(
    runner: CliRunner, in_koskela: Path, args: list[str], status: int, message: str
) -> None:
    result = run(runner, *args)
    assert result.exit_code == status, result.output
    assert message in " ".join(result.stderr.replace("│", " ").split())
    assert not (in_koskela / "out" / "sheets").exists()


# --- LibreOffice ---------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_workbooks_convert_to_pdf(koskela: Cohort, tmp_path: Path) -> None:
    """A person's workbook and a collection open in LibreOffice and print: one call."""
    [(_, person), *_] = sheets.build(sheets.plan(koskela, "meter"))
    [(_, collection)] = sheets.build(sheets.plan(koskela, "feedback", "module-3"))
    sources = [tmp_path / "person.xlsx", tmp_path / "collection.xlsx"]
    sources[0].write_bytes(person)
    sources[1].write_bytes(collection)
    convert(sources, tmp_path / "pdf")
    for source in sources:
        pdf = (tmp_path / "pdf" / source.name).with_suffix(".pdf")
        assert pdf.is_file(), f"LibreOffice made no PDF of {source.name}"
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
        assert 1 <= pages <= 2, f"{source.name}: {pages} pages"
        if shutil.which("pdftotext"):
            text = subprocess.run(
                ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            words = " ".join(text.split())
            assert "Päivi Ahonen" in words
            assert ("Monialaisuusmittari" if source.stem == "person" else "Palaute") in words
