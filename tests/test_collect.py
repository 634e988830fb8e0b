"""`facilitate collect`: filled workbooks read back into the cohort's answers.

The corpus is a set of filled workbooks with the mistakes people make, each built here
(with openpyxl, and some saved again by LibreOffice) with the values it must give and
the exact messages it must bring. Then: collecting twice, corrections, attendance, the
command line, and a property test that writing, filling and collecting gives back the
answers.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from typer.testing import CliRunner, Result

from facilitate import answers
from facilitate import cohort as cohorts
from facilitate.answers import META_SHEET, Field, Meta
from facilitate.cli import app
from facilitate.collect import Report, collect
from facilitate.errors import ExitStatus, InputError
from facilitate.i18n import t
from facilitate.workbook import put

COHORT_ID = "varkaus-2027"
WHEN = datetime(2027, 2, 1, 12, 0)
PROGRAMME = """\
id: collect-test
languages: [fi, sv, en]
title: {fi: Testiohjelma, sv: Testprogram, en: Test programme}
description: {fi: Kuvaus., sv: Beskrivning., en: Description.}
kind: team-coaching
delivery: [on-site]
roles:
  - id: coach
    title: {fi: Valmentaja, sv: Coach, en: Coach}
    facilitator: true
  - id: member
    title: {fi: Jäsen, sv: Medlem, en: Member}
  - id: coordinator
    title: {fi: Koordinaattori, sv: Koordinator, en: Coordinator}
pre_assignment:
  title: {fi: Mittari, sv: Mätare, en: Meter}
  questionnaire: meter
sessions:
  - id: module
    kind: module
    title: {fi: "Moduuli {n}", sv: "Modul {n}", en: "Module {n}"}
    count: 3
    duration: 3 h
    questionnaires: [feedback]
  - id: closing
    kind: seminar
    title: {fi: Päätös, sv: Avslutning, en: Closing}
    duration: 2 h
    questionnaires: [evaluation]
questionnaires:
  - id: feedback
    kind: feedback
    title: {fi: Palaute, sv: Respons, en: Feedback}
    dimensions:
      - id: content
        title: {fi: Sisältö, sv: Innehåll, en: Content}
        statements:
          - id: clear
            text: {fi: Tavoitteet olivat selkeät., sv: Målen var tydliga., en: The goals were clear.}
          - id: useful
            text: {fi: Sisältö oli hyödyllinen., sv: Innehållet var nyttigt., en: It was useful.}
          - id: atmosphere
            text: {fi: Ilmapiiri oli avoin., sv: Stämningen var öppen., en: It was open.}
    open_questions:
      - id: best
        required: true
        text: {fi: Mikä oli parasta?, sv: Vad var bäst?, en: What was best?}
      - id: improve
        text: {fi: Mitä parantaisit?, sv: Vad skulle du förbättra?, en: What would you improve?}
  - id: meter
    kind: meter
    title: {fi: Mittari, sv: Mätare, en: Meter}
    scale: quality-5
    dimensions:
      - id: together
        title: {fi: Yhdessä, sv: Tillsammans, en: Together}
        statements:
          - id: trust
            text: {fi: Luottamus., sv: Förtroende., en: Trust.}
          - id: roles
            text: {fi: Roolit., sv: Roller., en: Roles.}
  - id: evaluation
    kind: evaluation
    title: {fi: Arviointi, sv: Utvärdering, en: Evaluation}
    respondents: [coordinator]
    scale:
      min: 0
      max: 3
      labels:
        - {fi: ei lainkaan, sv: inte alls, en: not at all}
        - {fi: vähän, sv: lite, en: a little}
        - {fi: melko paljon, sv: ganska mycket, en: quite a lot}
        - {fi: paljon, sv: mycket, en: a lot}
    dimensions:
      - id: outcome
        title: {fi: Tulos, sv: Resultat, en: Outcome}
        statements:
          - id: learned
            text: {fi: Opin paljon., sv: Jag lärde mig mycket., en: I learned a lot.}
schedule:
  interval: 1 month
"""
COHORT_YAML = f"""\
id: {COHORT_ID}
programme: collect-test.yaml
organisation: Ohjaamo Varkaus
language: fi
delivery: on-site
first_date: 2027-01-19
"""
PEOPLE = (
    ("Anna Virtanen", "member"),
    ("Åsa Lindqvist", "member"),
    ("Päivi Ahonen", "member"),
    ("Sari Läänelä", "coordinator"),
)
# The answer fields of each questionnaire, in the order the builders lay them out.
QUESTIONS: dict[str, list[tuple[str, str]]] = {
    "feedback": [
        ("clear", "scale"),
        ("useful", "scale"),
        ("atmosphere", "scale"),
        ("best", "text"),
        ("improve", "text"),
    ],
    "meter": [("trust", "scale"), ("roles", "scale")],
    "evaluation": [("learned", "scale")],
}
SESSIONS = ("module-1", "module-2", "module-3", "closing")
ROUNDS = {"feedback": "module-1", "meter": "pre-assignment", "evaluation": "closing"}
SHEETS = {"feedback": "Palaute", "meter": "Mittari", "evaluation": "Arviointi"}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cohort folder with the test programme and four people on its list."""
    folder = tmp_path_factory.mktemp("template") / "c"
    (folder / "responses").mkdir(parents=True)
    (folder / "collect-test.yaml").write_text(PROGRAMME, encoding="utf-8")
    (folder / "cohort.yaml").write_text(COHORT_YAML, encoding="utf-8")
    lines = ["name,email,organisation,role"] + [
        f"{name},{name.split()[0].lower()}@example.fi,Kaupunki,{role}" for name, role in PEOPLE
    ]
    (folder / "participants.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cohorts.load(folder)  # fails here, not in every test, if the set-up is wrong
    return folder


@pytest.fixture
def folder(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "c"
    shutil.copytree(template, target)
    return target


# ---------------------------------------------------------------------------
# Building filled workbooks as the contract (answers.Meta) says `sheets` writes them


def hide_meta(workbook: Workbook, meta: Meta) -> None:
    hidden = workbook.create_sheet(META_SHEET)
    hidden.sheet_state = "hidden"
    for row in meta.rows():
        hidden.append(row)


def person_book(
    values: dict[str, Any],
    *,
    respondent: str = "Anna Virtanen",
    questionnaire: str = "feedback",
    round_: str | None = None,
    cohort: str = COHORT_ID,
    language: str = "fi",
    write: Callable[[Any, Any], None] | None = None,
) -> Workbook:
    """One respondent's workbook: statement texts in column B, answers in C5, C6..."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEETS[questionnaire]
    sheet["A1"] = f"{questionnaire} – {respondent}"
    sheet["A3"], sheet["C3"] = "Vastaaja", respondent
    fields = []
    for i, (fid, kind) in enumerate(QUESTIONS[questionnaire]):
        row = 5 + i
        sheet[f"A{row}"], sheet[f"B{row}"] = f"{i + 1}.", f"Väittämä {fid}"
        fields.append(Field(fid, sheet.title, f"C{row}", kind))  # type: ignore[arg-type]
        if fid in values:
            (write or _assign)(sheet[f"C{row}"], values[fid])
    meta = Meta(
        cohort,
        questionnaire,
        round_ or ROUNDS[questionnaire],
        "person",
        language,
        tuple(fields),
        respondent=respondent,
    )
    hide_meta(workbook, meta)
    return workbook


def _assign(cell: Any, value: Any) -> None:
    cell.value = value


def collection_book(
    rows: list[list[Any]],
    *,
    questionnaire: str = "feedback",
    round_: str | None = None,
    first_row: int = 4,
    language: str = "fi",
    write: Callable[[Any, Any], None] | None = None,
) -> Workbook:
    """One row per respondent from `first_row`: the name in A, answers from B on."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Vastaukset"
    sheet["A1"] = questionnaire
    fields = [Field("respondent", sheet.title, "A", "text")]
    sheet.cell(row=first_row - 1, column=1, value="Vastaaja")
    for col, (fid, kind) in enumerate(QUESTIONS[questionnaire], start=2):
        sheet.cell(row=first_row - 1, column=col, value=fid)
        fields.append(Field(fid, sheet.title, get_column_letter(col), kind))  # type: ignore[arg-type]
    for i, row in enumerate(rows):
        for col, value in enumerate(row, start=1):
            if value is not None:
                (write or _assign)(sheet.cell(row=first_row + i, column=col), value)
    meta = Meta(
        COHORT_ID,
        questionnaire,
        round_ or ROUNDS[questionnaire],
        "collection",
        language,
        tuple(fields),
        first_row=first_row,
    )
    hide_meta(workbook, meta)
    return workbook


def attendance_book(rows: list[list[Any]], sessions: tuple[str, ...] = SESSIONS) -> Workbook:
    """Names in A from row 3, a column of marks per session from B."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Läsnäolo"
    fields = [Field("respondent", sheet.title, "A", "text")]
    sheet["A2"] = "Nimi"
    for col, sid in enumerate(sessions, start=2):
        sheet.cell(row=2, column=col, value=sid)
        fields.append(Field(sid, sheet.title, get_column_letter(col), "mark"))
    for i, row in enumerate(rows):
        for col, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=3 + i, column=col, value=value)
    meta = Meta(COHORT_ID, "attendance", "", "collection", "fi", tuple(fields), first_row=3)
    hide_meta(workbook, meta)
    return workbook


def save(workbook: Workbook, responses: Path, name: str) -> Path:
    path = responses / name
    workbook.save(path)
    return path


def full(**values: Any) -> dict[str, Any]:
    """A feedback filled in with 4s and a best answer, changed by `values`."""
    return {"clear": 4, "useful": 4, "atmosphere": 4, "best": "Keskustelut", **values}


FOURS = {"clear": 4, "useful": 4, "atmosphere": 4}


# ---------------------------------------------------------------------------
# The corpus


Stored = dict[tuple[str, str], dict[str, tuple[dict[str, int], dict[str, str]]]]


@dataclass
class Case:
    name: str
    build: Callable[[Path], None]  # writes the files into responses/
    stored: Stored = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    attendance: dict[str, dict[str, str]] = field(default_factory=dict)
    kind: str = "feedback"
    files: list[str] | None = None  # names under responses/ to collect; None: the folder
    libreoffice: bool = False  # the workbooks saved again by LibreOffice first


def anna(answers_: dict[str, int], texts: dict[str, str]) -> Stored:
    return {("feedback", "module-1"): {"Anna Virtanen": (answers_, texts)}}


def _typed_numbers(r: Path) -> None:
    values = {"clear": 4, "useful": "5", "atmosphere": 3.0, "best": "Keskustelut"}
    save(person_book({**values, "improve": "Enemmän taukoja"}), r, "anna.xlsx")


def _floats(r: Path) -> None:
    save(person_book(full(clear=4.0, useful="4,0", atmosphere="5.0")), r, "anna.xlsx")


def _labels_fi(r: Path) -> None:
    values = full(
        clear="4 – jokseenkin samaa mieltä",
        useful="täysin samaa mieltä",
        atmosphere="2 - jokseenkin eri mieltä",
    )
    save(person_book(values), r, "anna.xlsx")


def _labels_sv(r: Path) -> None:
    values = full(
        clear="helt av samma åsikt",
        useful="Delvis av annan åsikt",
        atmosphere="3 – varken av samma eller annan åsikt",
    )
    save(person_book(values), r, "anna.xlsx")


def _labels_en(r: Path) -> None:
    # "4 – samaa mieltä": the number, with a label of no point of the scale.
    values = full(clear="Agree", useful="strongly disagree", atmosphere="4 – samaa mieltä")
    save(person_book(values), r, "anna.xlsx")


def _spaces(r: Path) -> None:
    values = full(clear=" 4 ", useful="5\u00a0", atmosphere="  agree ", best="  Hyvä päivä \n")
    save(person_book(values, respondent=" Anna  Virtanen "), r, "anna.xlsx")


def _blank_rows(r: Path) -> None:
    rows = [
        ["Anna Virtanen", 4, 5, 3, "Hyvä", None],
        [],
        [None, None, None, None, None, " "],
        ["Åsa Lindqvist", 2, "3", "helt av samma åsikt", "Bra", "Mer tid"],
        [],
        ["Päivi Ahonen", 5, 5, 5, "Kaikki", None],
    ]
    save(collection_book(rows), r, "palaute.xlsx")


def _reordered(r: Path) -> None:
    rows = [
        ["päivi ahonen", 1, 2, 3, "Alku", None],
        ["ÅSA LINDQVIST", 3, 3, 3, "Bra", None],
        ["Anna Virtanen", 5, 4, 3, "Loppu", None],
    ]
    save(collection_book(rows), r, "palaute.xlsx")


def _extra_sheet(r: Path) -> None:
    workbook = person_book(full())
    notes = workbook.create_sheet("Muistiinpanot", 0)
    notes["A1"], notes["C5"], notes["C6"] = "Omat muistiinpanot", 1, "ei tämä"
    workbook.active = 0
    save(workbook, r, "anna.xlsx")


def _merged(r: Path) -> None:
    workbook = person_book(full(clear=None, best=None, useful=5))
    sheet = workbook["Palaute"]
    # Typed over the statement, then merged with the answer cell: B5:C5 shows the 4.
    sheet["B5"] = 4
    sheet.merge_cells("B5:C5")
    sheet.merge_cells("C6:E6")  # merged to the right: the answer stays in C6
    sheet["C8"] = "Yhteinen keskustelu"
    sheet.merge_cells("C8:F10")  # a bigger box for the open answer
    save(workbook, r, "anna.xlsx")


def _off_scale(r: Path) -> None:
    save(person_book(full(clear=7, useful="maybe", atmosphere=4.5)), r, "anna.xlsx")


def _odd_values(r: Path) -> None:
    values = full(clear=True, useful=date(2027, 5, 4), atmosphere="4 – täysin eri mieltä")
    save(person_book(values), r, "anna.xlsx")


def _required_blank(r: Path) -> None:
    save(person_book(full(best="   ", improve="Ei mitään")), r, "anna.xlsx")


def _twice(r: Path) -> None:
    save(person_book(full(clear=5)), r, "anna-a.xlsx")
    save(person_book(full(clear=1)), r, "anna-b.xlsx")


def _twice_in_rows(r: Path) -> None:
    rows = [
        ["Anna Virtanen", 4, 4, 4, "Keskustelut", None],
        ["Åsa Lindqvist", 3, 3, 3, "Bra", None],
        ["anna virtanen", 1, 1, 1, "Toinen", None],
    ]
    save(collection_book(rows), r, "palaute.xlsx")


def _unknown(r: Path) -> None:
    rows = [
        ["Anna Virtane", 4, 4, 4, "Keskustelut", None],
        ["Ville Valtonen", 3, 3, 3, "Hyvä", None],
        ["Päivi Ahonen", 2, 2, 2, "Tauot", None],
    ]
    save(collection_book(rows), r, "palaute.xlsx")


def _other_cohort(r: Path) -> None:
    save(person_book(full(), cohort="kuopio-2026"), r, "anna.xlsx")
    save(person_book(full(), respondent="Åsa Lindqvist"), r, "asa.xlsx")


def _other_questionnaire(r: Path) -> None:
    save(person_book({"trust": 4, "roles": 5}, questionnaire="meter"), r, "mittari.xlsx")


def _others_in_folder(r: Path) -> None:
    save(person_book(full()), r, "anna.xlsx")
    save(person_book({"trust": 4, "roles": 5}, questionnaire="meter"), r, "mittari.xlsx")
    save(attendance_book([["Anna Virtanen", "läsnä"]]), r, "läsnäolo.xlsx")


def _good_and(r: Path, name: str, data: bytes) -> None:
    save(person_book(full()), r, "anna.xlsx")
    (r / name).write_bytes(data)


def _corrupt(r: Path) -> None:
    buffer = io.BytesIO()
    person_book(full(), respondent="Åsa Lindqvist").save(buffer)
    _good_and(r, "rikki.xlsx", buffer.getvalue()[:1500])


def _password(r: Path) -> None:
    # An encrypted workbook is an OLE compound file, like Excel 97-2003's.
    _good_and(r, "salattu.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))


def _xls(r: Path) -> None:
    _good_and(r, "vanha.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))


def _renamed_csv(r: Path) -> None:
    _good_and(r, "asa.xlsx", "Vastaaja;clear;useful\nÅsa Lindqvist;4;5\n".encode())


def _csv(r: Path) -> None:
    _good_and(r, "asa.csv", "Vastaaja;clear;useful\nÅsa Lindqvist;4;5\n".encode())


def _empty_file(r: Path) -> None:
    _good_and(r, "tyhjä.xlsx", b"")


def _not_ours(r: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Nimi", "Vastaus"])
    sheet.append(["Åsa Lindqvist", 4])
    save(workbook, r, "lista.xlsx")


def _renamed_sheet(r: Path) -> None:
    workbook = person_book(full())
    workbook["Palaute"].title = "Palaute Anna"
    save(workbook, r, "anna.xlsx")


def _empty_person(r: Path) -> None:
    save(person_book({}), r, "anna.xlsx")


def _no_name(r: Path) -> None:
    rows = [["Anna Virtanen", 4, 4, 4, "Hyvä", None], [None, 3, 3, None, "Nimetön", None]]
    save(collection_book(rows), r, "palaute.xlsx")


def _damaged_meta(r: Path) -> None:
    workbook = person_book(full())
    workbook[META_SHEET]["B1"] = "facilitate-sheet/9"
    save(workbook, r, "anna.xlsx")


def _unknown_round(r: Path) -> None:
    save(person_book(full(), round_="module-9"), r, "anna.xlsx")


def _formula(r: Path) -> None:
    # openpyxl saves a formula without a value; only a program that calculates adds one.
    save(person_book(full(clear="=2+2", improve='=HYPERLINK("x")')), r, "anna.xlsx")


def _meter(r: Path) -> None:
    save(
        person_book({"trust": "erinomainen", "roles": "Very good"}, questionnaire="meter"),
        r,
        "a.xlsx",
    )
    save(
        person_book(
            {"trust": "3 – bra", "roles": 2}, questionnaire="meter", respondent="Åsa Lindqvist"
        ),
        r,
        "b.xlsx",
    )


def _evaluation(r: Path) -> None:
    rows = [["Sari Läänelä", "paljon"], ["Anna Virtanen", 2], ["Päivi Ahonen", None]]
    save(collection_book(rows, questionnaire="evaluation"), r, "arviointi.xlsx")


def _evaluation_scale(r: Path) -> None:
    rows = [["Sari Läänelä", 4]]
    save(collection_book(rows, questionnaire="evaluation"), r, "arviointi.xlsx")


def _attendance(r: Path) -> None:
    rows = [
        ["Anna Virtanen", "läsnä", "poissa", "X", None],
        ["Åsa Lindqvist", "närvarande", "anmält förhinder", "Present ", ""],
        ["Päivi Ahonen", "Excused", "maybe", "til stede", None],
        ["Sari Läänelä", None, None, None, None],
        ["Ville Valtonen", "läsnä", None, None, None],
    ]
    save(attendance_book(rows), r, "läsnäolo.xlsx")


def _attendance_unknown_session(r: Path) -> None:
    rows = [["Anna Virtanen", "läsnä", "läsnä"]]
    save(attendance_book(rows, sessions=("module-1", "module-7")), r, "läsnäolo.xlsx")


def _other_files(r: Path) -> None:
    save(person_book(full()), r, "anna.xlsx")
    (r / "muistiinpanot.txt").write_text("muista", encoding="utf-8")
    (r / "~$anna.xlsx").write_bytes(b"\x00lock")
    (r / ".DS_Store").write_bytes(b"\x00")
    (r / "vanhat").mkdir()
    save(person_book(full(clear=2), respondent="Åsa Lindqvist"), r / "vanhat", "asa.xlsx")


def _named_other_kind(r: Path) -> None:
    save(person_book(full()), r, "anna.xlsx")
    (r / "ohje.pdf").write_bytes(b"%PDF-1.4")


def _numbers_in_identity(r: Path) -> None:
    # The hidden sheet as another program may save it: first_row a number, not text.
    workbook = collection_book([["Anna Virtanen", 4, 4, 4, "Keskustelut", None]])
    hidden = workbook[META_SHEET]
    row = next(cells for cells in hidden.iter_rows() if cells[0].value == "first_row")
    row[1].value = 4.0
    save(workbook, r, "palaute.xlsx")


def _macro_workbook(r: Path) -> None:
    save(person_book(full()), r, "ANNA.XLSM")


ASA = "Åsa Lindqvist"
PAIVI = "Päivi Ahonen"
F = "responses/anna.xlsx, sheet Palaute"
C = "responses/palaute.xlsx, sheet Vastaukset"
SAVE = "save it as .xlsx (Excel Workbook)"

BLANK_ROWS: Stored = {
    ("feedback", "module-1"): {
        "Anna Virtanen": ({"clear": 4, "useful": 5, "atmosphere": 3}, {"best": "Hyvä"}),
        ASA: ({"clear": 2, "useful": 3, "atmosphere": 5}, {"best": "Bra", "improve": "Mer tid"}),
        PAIVI: ({"clear": 5, "useful": 5, "atmosphere": 5}, {"best": "Kaikki"}),
    }
}

CASES = [
    Case(
        "typed-numbers",
        _typed_numbers,
        anna(
            {"clear": 4, "useful": 5, "atmosphere": 3},
            {"best": "Keskustelut", "improve": "Enemmän taukoja"},
        ),
    ),
    Case(
        "floats", _floats, anna({"clear": 4, "useful": 4, "atmosphere": 5}, {"best": "Keskustelut"})
    ),
    Case(
        "labels-fi",
        _labels_fi,
        anna({"clear": 4, "useful": 5, "atmosphere": 2}, {"best": "Keskustelut"}),
    ),
    Case(
        "labels-sv",
        _labels_sv,
        anna({"clear": 5, "useful": 2, "atmosphere": 3}, {"best": "Keskustelut"}),
    ),
    Case(
        "labels-en",
        _labels_en,
        anna({"clear": 4, "useful": 1, "atmosphere": 4}, {"best": "Keskustelut"}),
    ),
    Case(
        "spaces", _spaces, anna({"clear": 4, "useful": 5, "atmosphere": 4}, {"best": "Hyvä päivä"})
    ),
    Case("blank-rows", _blank_rows, BLANK_ROWS),
    Case(
        "reordered-rows",
        _reordered,
        {
            ("feedback", "module-1"): {
                "Anna Virtanen": ({"clear": 5, "useful": 4, "atmosphere": 3}, {"best": "Loppu"}),
                ASA: ({"clear": 3, "useful": 3, "atmosphere": 3}, {"best": "Bra"}),
                PAIVI: ({"clear": 1, "useful": 2, "atmosphere": 3}, {"best": "Alku"}),
            }
        },
    ),
    Case("extra-sheet", _extra_sheet, anna(FOURS, {"best": "Keskustelut"})),
    Case(
        "merged-cells",
        _merged,
        anna({"clear": 4, "useful": 5, "atmosphere": 4}, {"best": "Yhteinen keskustelu"}),
    ),
    Case(
        "off-scale",
        _off_scale,
        anna({}, {"best": "Keskustelut"}),
        problems=[
            f"{F}, cell C5: '7' is not on the scale 1–5; left out",
            f"{F}, cell C6: 'maybe' is not on the scale 1–5; left out",
            f"{F}, cell C7: '4.5' is not on the scale 1–5; left out",
        ],
    ),
    Case(
        "odd-values",
        _odd_values,
        anna({}, {"best": "Keskustelut"}),
        problems=[
            f"{F}, cell C5: TRUE is not on the scale 1–5; left out",
            f"{F}, cell C6: the date 2027-05-04 is not on the scale 1–5; left out",
            f"{F}, cell C7: '4 – täysin eri mieltä' is not on the scale 1–5: "
            "'täysin eri mieltä' is 1; left out",
        ],
    ),
    Case(
        "required-blank",
        _required_blank,
        anna(FOURS, {"improve": "Ei mitään"}),
        problems=[
            f"{F}, cell C8: the answer to 'best' is required but blank; the other answers are stored"
        ],
    ),
    Case(
        "answered-twice",
        _twice,
        anna({"clear": 5, "useful": 4, "atmosphere": 4}, {"best": "Keskustelut"}),
        problems=[
            "responses/anna-b.xlsx: Anna Virtanen has answered twice (also in "
            "responses/anna-a.xlsx); these answers are left out"
        ],
    ),
    Case(
        "twice-in-rows",
        _twice_in_rows,
        {
            ("feedback", "module-1"): {
                "Anna Virtanen": (FOURS, {"best": "Keskustelut"}),
                ASA: ({"clear": 3, "useful": 3, "atmosphere": 3}, {"best": "Bra"}),
            }
        },
        problems=[
            f"{C}, cell A6: Anna Virtanen has answered twice (also in {C}, row 4); "
            "these answers are left out"
        ],
    ),
    Case(
        "unknown-participant",
        _unknown,
        {
            ("feedback", "module-1"): {
                PAIVI: ({"clear": 2, "useful": 2, "atmosphere": 2}, {"best": "Tauot"})
            }
        },
        problems=[
            f"{C}, cell A4: 'Anna Virtane' is not on the participant list (did you mean "
            "'Anna Virtanen'?); their answers are left out",
            f"{C}, cell A5: 'Ville Valtonen' is not on the participant list; their answers are left out",
        ],
    ),
    Case(
        "other-cohort",
        _other_cohort,
        {("feedback", "module-1"): {ASA: (FOURS, {"best": "Keskustelut"})}},
        refused=[
            "responses/anna.xlsx was made for another cohort ('kuopio-2026', and this is "
            "'varkaus-2027'); not collected"
        ],
    ),
    Case(
        "other-questionnaire",
        _other_questionnaire,
        files=["mittari.xlsx"],
        refused=[
            "responses/mittari.xlsx is a meter sheet, not feedback; collect it with "
            "`facilitate collect meter`"
        ],
    ),
    Case(
        "others-in-folder",
        _others_in_folder,
        anna(FOURS, {"best": "Keskustelut"}),
        notes=[
            "responses/läsnäolo.xlsx: an attendance sheet; skipped (collect it with "
            "`facilitate collect attendance`)",
            "responses/mittari.xlsx: a meter sheet; skipped (collect it with `facilitate collect meter`)",
        ],
    ),
    Case(
        "corrupt-zip",
        _corrupt,
        anna(FOURS, {"best": "Keskustelut"}),
        refused=[
            "responses/rikki.xlsx cannot be read as an Excel workbook (Cannot detect file "
            f"format); {SAVE}"
        ],
    ),
    Case(
        "password-protected",
        _password,
        anna(FOURS, {"best": "Keskustelut"}),
        refused=[
            "responses/salattu.xlsx is not an .xlsx workbook: it is an old Excel 97-2003 file "
            f"or a password-protected workbook; remove the password and {SAVE}"
        ],
    ),
    Case(
        "xls",
        _xls,
        anna(FOURS, {"best": "Keskustelut"}),
        refused=[f"responses/vanha.xls is an old Excel 97-2003 file; {SAVE}"],
    ),
    Case(
        "csv-renamed-xlsx",
        _renamed_csv,
        anna(FOURS, {"best": "Keskustelut"}),
        refused=[
            "responses/asa.xlsx is not an Excel workbook (it is text: a renamed .csv or "
            f".txt?); {SAVE}"
        ],
    ),
    Case(
        "csv",
        _csv,
        anna(FOURS, {"best": "Keskustelut"}),
        refused=[
            "responses/asa.csv is CSV text, which cannot hold the workbook's hidden "
            "identity; collect the filled .xlsx workbook itself"
        ],
    ),
    Case(
        "empty-file",
        _empty_file,
        anna(FOURS, {"best": "Keskustelut"}),
        refused=[f"responses/tyhjä.xlsx is empty (0 bytes); {SAVE}"],
    ),
    Case(
        "not-a-facilitate-sheet",
        _not_ours,
        refused=[
            "responses/lista.xlsx is not a sheet made by facilitate (it has no hidden "
            "_facilitate sheet); answers are collected from the workbooks `facilitate "
            "sheets` makes"
        ],
    ),
    Case(
        "renamed-sheet",
        _renamed_sheet,
        refused=[
            "responses/anna.xlsx has no sheet 'Palaute' (renamed or deleted? it has "
            "'Palaute Anna'); give the sheet its name back and collect again"
        ],
    ),
    Case(
        "nothing-filled-in",
        _empty_person,
        problems=["responses/anna.xlsx: no answers filled in; nothing stored for Anna Virtanen"],
    ),
    Case(
        "answers-without-a-name",
        _no_name,
        anna(FOURS, {"best": "Hyvä"}),
        problems=[f"{C}, row 5: answers without a name in column A; left out"],
    ),
    Case(
        "damaged-identity",
        _damaged_meta,
        refused=[
            "responses/anna.xlsx: its hidden _facilitate sheet is damaged (not a facilitate "
            "sheet of format facilitate-sheet/1); make the sheet again with `facilitate sheets`"
        ],
    ),
    Case(
        "unknown-session",
        _unknown_round,
        refused=[
            "responses/anna.xlsx is for the session 'module-9', which this cohort does not "
            "have; not collected"
        ],
    ),
    Case(
        "formula-not-evaluated",
        _formula,
        anna({"useful": 4, "atmosphere": 4}, {"best": "Keskustelut"}),
    ),
    Case(
        "meter-labels",
        _meter,
        {
            ("meter", "pre-assignment"): {
                "Anna Virtanen": ({"trust": 5, "roles": 4}, {}),
                ASA: ({"trust": 3, "roles": 2}, {}),
            }
        },
        kind="meter",
    ),
    Case(
        "evaluation-respondents",
        _evaluation,
        {("evaluation", "closing"): {"Sari Läänelä": ({"learned": 3}, {})}},
        kind="evaluation",
        problems=[
            f"{C.replace('palaute', 'arviointi')}, cell A5: Anna Virtanen is jäsen, and "
            "evaluation is for koordinaattori; their answers are left out"
        ],
    ),
    Case(
        "scale-from-zero",
        _evaluation_scale,
        kind="evaluation",
        problems=[
            "responses/arviointi.xlsx, sheet Vastaukset, cell B4: '4' is not on the scale "
            "0–3; left out",
        ],
    ),
    Case(
        "attendance",
        _attendance,
        kind="attendance",
        attendance={
            "module-1": {"Anna Virtanen": "present", ASA: "present", PAIVI: "excused"},
            "module-2": {"Anna Virtanen": "absent", ASA: "excused"},
            "module-3": {"Anna Virtanen": "present", ASA: "present", PAIVI: "present"},
        },
        problems=[
            "responses/läsnäolo.xlsx, sheet Läsnäolo, cell C5: 'maybe' is not an attendance "
            "mark (write 'läsnä', 'poissa' or 'ilmoitettu poissaolo'); left out",
            "responses/läsnäolo.xlsx, sheet Läsnäolo, cell A7: 'Ville Valtonen' is not on "
            "the participant list; their answers are left out",
        ],
    ),
    Case(
        "attendance-unknown-session",
        _attendance_unknown_session,
        kind="attendance",
        attendance={"module-1": {"Anna Virtanen": "present"}},
        problems=[
            "responses/läsnäolo.xlsx, sheet Läsnäolo, column C: the session 'module-7' is "
            "not one of this cohort's; its marks are left out"
        ],
    ),
    Case(
        "other-files-in-folder",
        _other_files,
        {
            ("feedback", "module-1"): {
                "Anna Virtanen": (FOURS, {"best": "Keskustelut"}),
                ASA: ({"clear": 2, "useful": 4, "atmosphere": 4}, {"best": "Keskustelut"}),
            }
        },
        notes=[
            "responses/muistiinpanot.txt: not a workbook; skipped",
            "responses/~$anna.xlsx: anna.xlsx seems to be open in Excel; changes not saved "
            "yet are not collected",
        ],
    ),
    Case(
        "named-files",
        _named_other_kind,
        anna(FOURS, {"best": "Keskustelut"}),
        files=["anna.xlsx", "ohje.pdf", "puuttuu.xlsx"],
        refused=[
            "responses/ohje.pdf is a .pdf file, not an Excel workbook (.xlsx)",
            "responses/puuttuu.xlsx: no such file or folder",
        ],
    ),
    Case("numbers-in-the-identity", _numbers_in_identity, anna(FOURS, {"best": "Keskustelut"})),
    Case("xlsm-in-capitals", _macro_workbook, anna(FOURS, {"best": "Keskustelut"})),
    # Saved again by LibreOffice: its own zip, styles and shared strings, values cached.
    Case(
        "libreoffice-typed-numbers",
        _typed_numbers,
        anna(
            {"clear": 4, "useful": 5, "atmosphere": 3},
            {"best": "Keskustelut", "improve": "Enemmän taukoja"},
        ),
        libreoffice=True,
    ),
    Case(
        "libreoffice-merged-cells",
        _merged,
        anna({"clear": 4, "useful": 5, "atmosphere": 4}, {"best": "Yhteinen keskustelu"}),
        libreoffice=True,
    ),
    Case(
        "libreoffice-blank-rows",
        _blank_rows,
        BLANK_ROWS,
        libreoffice=True,
    ),
    Case(
        "libreoffice-formula-cached",
        _formula,
        # LibreOffice calculates on load and saves the values; those are read, as saved.
        anna(FOURS, {"best": "Keskustelut", "improve": "x"}),
        libreoffice=True,
    ),
    Case(
        "libreoffice-attendance",
        _attendance_unknown_session,
        kind="attendance",
        attendance={"module-1": {"Anna Virtanen": "present"}},
        problems=[
            "responses/läsnäolo.xlsx, sheet Läsnäolo, column C: the session 'module-7' is "
            "not one of this cohort's; its marks are left out"
        ],
        libreoffice=True,
    ),
]


def test_the_corpus_is_big_enough() -> None:
    workbooks = [c for c in CASES if c.name not in ("csv", "xls", "empty-file", "named-files")]
    assert len(workbooks) >= 25
    assert len({c.name for c in CASES}) == len(CASES)


class LibreOffice:
    """Saves the workbooks of every LibreOffice case again with `soffice`, all at once."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.saved: dict[str, dict[str, bytes]] | None = None

    def files(self, case: Case) -> dict[str, bytes]:
        if self.saved is None:
            self.saved = self._convert()
        return self.saved[case.name]

    def _convert(self) -> dict[str, dict[str, bytes]]:
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            pytest.skip("LibreOffice (soffice) is not installed")
        source, out = self.folder / "in", self.folder / "out"
        source.mkdir()
        names: dict[str, tuple[str, str]] = {}
        for i, case in enumerate(c for c in CASES if c.libreoffice):
            built = self.folder / case.name
            built.mkdir()
            case.build(built)
            for path in built.iterdir():
                flat = f"{i}-{len(names)}.xlsx"
                shutil.copy(path, source / flat)
                names[flat] = (case.name, path.name)
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={(self.folder / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(out),
                *sorted(str(p) for p in source.iterdir()),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        saved: dict[str, dict[str, bytes]] = {}
        for flat, (case_name, name) in names.items():
            saved.setdefault(case_name, {})[name] = (out / flat).read_bytes()
        return saved


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory: pytest.TempPathFactory) -> LibreOffice:
    return LibreOffice(tmp_path_factory.mktemp("libreoffice"))


def stored(folder: Path) -> Stored:
    """Every response in the store, as (answers, open answers) by respondent."""
    out: Stored = {}
    for path in sorted((folder / ".facilitate" / "answers").glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out[(path.parent.name, path.stem)] = {
            item["respondent"]: (item["answers"], item["open"]) for item in data
        }
    return out


def attendance(folder: Path) -> dict[str, dict[str, str]]:
    path = folder / ".facilitate" / "attendance.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def run(folder: Path, kind: str, names: list[str] | None = None, when: datetime = WHEN) -> Report:
    paths = [folder / "responses" / name for name in names] if names is not None else []
    return collect(cohorts.load(folder), kind, paths, when)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_corpus(case: Case, folder: Path, libreoffice: LibreOffice) -> None:
    responses = folder / "responses"
    if case.libreoffice:
        for name, data in libreoffice.files(case).items():
            (responses / name).write_bytes(data)
    else:
        case.build(responses)

    report = run(folder, case.kind, case.files)

    assert report.problems == case.problems
    assert report.refused == case.refused
    assert report.notes == case.notes
    assert stored(folder) == case.stored
    assert attendance(folder) == case.attendance
    assert report.ok == (not case.problems and not case.refused)
    count = sum(len(by_name) for by_name in case.stored.values())
    count += sum(len(marks) for marks in case.attendance.values())
    assert (report.new, report.replaced, report.unchanged) == (count, 0, 0)


# ---------------------------------------------------------------------------
# Collecting again


def test_collecting_the_same_files_again_changes_nothing(folder: Path) -> None:
    _blank_rows(folder / "responses")
    save(person_book(full(clear="7")), folder / "responses", "anna.xlsx")
    first = run(folder, "feedback", ["palaute.xlsx"])
    store = answers.store_path(cohorts.load(folder), "feedback", "module-1")
    before = store.read_bytes()

    again = run(folder, "feedback", ["palaute.xlsx"], when=datetime(2027, 2, 8))

    assert (first.new, first.replaced, first.unchanged) == (3, 0, 0)
    assert (again.new, again.replaced, again.unchanged) == (0, 0, 3)
    assert again.written == [] and again.notes == [] and again.problems == []
    assert store.read_bytes() == before


def test_a_correction_replaces_the_earlier_answers_with_a_note(folder: Path) -> None:
    responses = folder / "responses"
    _blank_rows(responses)
    run(folder, "feedback")
    save(person_book(full(clear=1, improve="Lisää aikaa")), responses, "anna-korjattu.xlsx")

    report = run(folder, "feedback", ["anna-korjattu.xlsx"])

    assert (report.new, report.replaced, report.unchanged) == (0, 1, 0)
    assert report.notes == [
        "replaced the answers of Anna Virtanen collected from responses/palaute.xlsx, sheet "
        "Vastaukset, row 4 with those in responses/anna-korjattu.xlsx"
    ]
    by_name = stored(folder)[("feedback", "module-1")]
    assert by_name["Anna Virtanen"] == (
        {"clear": 1, "useful": 4, "atmosphere": 4},
        {"best": "Keskustelut", "improve": "Lisää aikaa"},
    )
    # The others' answers stay as they were.
    assert by_name[ASA] == BLANK_ROWS[("feedback", "module-1")][ASA]
    assert by_name[PAIVI] == BLANK_ROWS[("feedback", "module-1")][PAIVI]
    data = json.loads(answers.store_path(cohorts.load(folder), "feedback", "module-1").read_text())
    anna_ = next(item for item in data if item["respondent"] == "Anna Virtanen")
    assert (anna_["source"], anna_["collected"]) == (
        "responses/anna-korjattu.xlsx",
        "2027-02-01T12:00:00",
    )


def test_a_value_refused_in_a_correction_keeps_the_earlier_answer(folder: Path) -> None:
    responses = folder / "responses"
    save(person_book(full(clear=5, useful=2)), responses, "anna.xlsx")
    run(folder, "feedback")
    save(person_book(full(clear=7, useful=3, best="")), responses, "anna.xlsx")

    report = run(folder, "feedback")

    assert report.problems == [
        f"{F}, cell C5: '7' is not on the scale 1–5; kept the earlier answer 5",
        f"{F}, cell C8: the answer to 'best' is required but blank; kept the earlier answer",
    ]
    assert report.notes == [
        "replaced the answers of Anna Virtanen collected from responses/anna.xlsx with those "
        "in responses/anna.xlsx"
    ]
    assert stored(folder) == anna(
        {"clear": 5, "useful": 3, "atmosphere": 4}, {"best": "Keskustelut"}
    )


def test_attendance_is_merged_and_corrected(folder: Path) -> None:
    responses = folder / "responses"
    save(attendance_book([["Anna Virtanen", "poissa"], [ASA, "läsnä"]]), responses, "a.xlsx")
    run(folder, "attendance")
    rows = [["Anna Virtanen", "läsnä", "läsnä"], [ASA, "läsnä", None]]
    save(attendance_book(rows), responses, "b.xlsx")

    report = run(folder, "attendance", ["b.xlsx"])

    assert (report.new, report.replaced, report.unchanged) == (1, 1, 1)
    assert report.notes == [
        "replaced the attendance of Anna Virtanen at module-1 (absent) with present from "
        "responses/b.xlsx, sheet Läsnäolo, cell B3"
    ]
    assert attendance(folder) == {
        "module-1": {"Anna Virtanen": "present", ASA: "present"},
        "module-2": {"Anna Virtanen": "present"},
    }


def test_two_attendance_sheets_marking_one_person_twice(folder: Path) -> None:
    responses = folder / "responses"
    save(attendance_book([["Anna Virtanen", "poissa"]]), responses, "a.xlsx")
    save(attendance_book([["Anna Virtanen", "läsnä"]]), responses, "b.xlsx")

    report = run(folder, "attendance")

    assert report.problems == [
        "responses/b.xlsx, sheet Läsnäolo, cell B3: Anna Virtanen is marked twice for "
        "module-1 (also in responses/a.xlsx, sheet Läsnäolo, cell B3); this mark is left out"
    ]
    assert attendance(folder) == {"module-1": {"Anna Virtanen": "absent"}}


# ---------------------------------------------------------------------------
# What collect refuses outright


def test_an_unknown_kind(folder: Path) -> None:
    with pytest.raises(InputError) as caught:
        run(folder, "feedbak")
    assert caught.value.message == (
        "nothing to collect as 'feedbak' (did you mean 'feedback'?); the sheets of "
        "collect-test are: attendance, feedback, meter, evaluation"
    )


def test_a_questionnaire_kind_or_id(folder: Path) -> None:
    save(
        person_book({"trust": 4, "roles": 5}, questionnaire="meter"), folder / "responses", "m.xlsx"
    )
    assert run(folder, "meter").new == 1  # the id, and the kind, are both "meter"


def test_without_a_participant_list(folder: Path) -> None:
    (folder / "participants.csv").unlink()
    with pytest.raises(InputError) as caught:
        run(folder, "feedback")
    assert caught.value.message == (
        f"{folder} has no participant list (participants.xlsx or participants.csv); "
        "collect checks every respondent against it"
    )


def test_without_a_responses_folder(folder: Path) -> None:
    shutil.rmtree(folder / "responses")
    with pytest.raises(InputError) as caught:
        run(folder, "feedback")
    assert caught.value.message == (
        "responses/ does not exist; put the filled sheets there, or name the files to collect"
    )


def test_a_file_named_twice_is_read_once(folder: Path) -> None:
    responses = folder / "responses"
    save(person_book(full()), responses, "anna.xlsx")
    report = collect(cohorts.load(folder), "feedback", [responses / "anna.xlsx", responses], WHEN)
    assert (report.new, report.problems, [f.name for f in report.files]) == (
        1,
        [],
        ["responses/anna.xlsx"],
    )


def test_a_workbook_outside_the_cohort_is_named_as_given(folder: Path, tmp_path: Path) -> None:
    outside = tmp_path / "mail"
    outside.mkdir()
    save(person_book(full(clear=9)), outside, "anna.xlsx")
    report = collect(cohorts.load(folder), "feedback", [outside / "anna.xlsx"], WHEN)
    assert report.problems == [
        f"{outside / 'anna.xlsx'}, sheet Palaute, cell C5: '9' is not on the scale 1–5; left out"
    ]


# ---------------------------------------------------------------------------
# The command line


def invoke(runner: CliRunner, folder: Path, *args: str) -> Result:
    return runner.invoke(app, ["collect", *args, "--cohort", str(folder)])


def test_cli_collects_the_responses_folder(runner: CliRunner, folder: Path) -> None:
    _blank_rows(folder / "responses")

    result = invoke(runner, folder, "feedback")

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "┏━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━┳━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━━━━┓",
        "┃ File                   ┃ Sheet              ┃ New ┃ Replaced ┃ Unchanged ┃ Not accepted ┃",
        "┡━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━╇━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━━━┩",
        "│ responses/palaute.xlsx │ feedback, module-1 │   3 │        0 │         0 │            0 │",
        "└────────────────────────┴────────────────────┴─────┴──────────┴───────────┴──────────────┘",
        "3 new, 0 replaced, 0 unchanged respondents.",
    ]


def test_cli_reports_what_it_refused_and_stores_the_rest(runner: CliRunner, folder: Path) -> None:
    responses = folder / "responses"
    save(person_book(full(clear=7)), responses, "anna.xlsx")
    (responses / "vanha.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    save(person_book({"trust": 4}, questionnaire="meter"), responses, "mittari.xlsx")

    result = invoke(runner, folder, "feedback", str(responses))

    assert result.exit_code == ExitStatus.BAD_INPUT
    lines = result.stdout.splitlines()
    assert lines[3:6] == [
        "│ responses/anna.xlsx │ feedback, module-1 │   1 │        0 │         0 │            1 │",
        "│ responses/vanha.xls │ refused            │     │          │           │   whole file │",
        "└─────────────────────┴────────────────────┴─────┴──────────┴───────────┴──────────────┘",
    ]
    assert lines[6:] == [
        "responses/mittari.xlsx: a meter sheet; skipped (collect it with `facilitate collect meter`)",
        f"responses/vanha.xls is an old Excel 97-2003 file; {SAVE}",
        f"{F}, cell C5: '7' is not on the scale 1–5; left out",
        "1 new, 0 replaced, 0 unchanged respondents.",
    ]
    assert result.stderr == (
        "Not accepted: 1 problem and 1 file (listed above); everything else is stored. "
        "Correct them and collect again.\n"
    )
    assert stored(folder) == anna({"useful": 4, "atmosphere": 4}, {"best": "Keskustelut"})


def test_cli_attendance_counts_marks(runner: CliRunner, folder: Path) -> None:
    save(attendance_book([["Anna Virtanen", "läsnä", "poissa"]]), folder / "responses", "a.xlsx")
    result = invoke(runner, folder, "attendance")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "2 new, 0 replaced, 0 unchanged marks."


def test_cli_unknown_kind(runner: CliRunner, folder: Path) -> None:
    result = invoke(runner, folder, "palaute")
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.stdout == ""
    assert result.stderr == (
        "nothing to collect as 'palaute'; the sheets of collect-test are: attendance, "
        "feedback, meter, evaluation\n"
    )


# ---------------------------------------------------------------------------
# Writing, filling and collecting gives back the answers


NAMES = [name for name, role in PEOPLE if role == "member"]
# Open answers. Not '_x0041_': openpyxl writes it as it stands, and every reader takes it
# for the escaped 'A' (Excel itself escapes the underscore of a typed '_x0041_').
texts = (
    st.text(
        alphabet=st.characters(
            codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")
        ),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(lambda text: bool(text) and "_x" not in text)
)


@st.composite
def typed_score(draw: st.DrawFn, score: int) -> Any:
    """A score as a person may enter it: 4, 4.0, '4', '4,0', '4 – label', the label."""
    lang = draw(st.sampled_from(["fi", "sv", "en"]))
    label = t(lang, f"scale.agree-5.{score}")
    form = draw(
        st.sampled_from(
            [
                score,
                float(score),
                str(score),
                f"{score},0",
                f"{score} – {label}",
                label,
                label.upper(),
            ]
        )
    )
    pad = draw(st.sampled_from(["", " ", "  ", "\u00a0"]))
    return f"{pad}{form}{pad}" if isinstance(form, str) else form


@st.composite
def answer_sets(
    draw: st.DrawFn,
) -> dict[str, tuple[dict[str, int], dict[str, str], dict[str, Any]]]:
    """For some respondents: the scores, the open answers, and the cells as typed."""
    out = {}
    for name in draw(st.lists(st.sampled_from(NAMES), unique=True, min_size=1)):
        scores = draw(
            st.dictionaries(st.sampled_from(["clear", "useful", "atmosphere"]), st.integers(1, 5))
        )
        opens = {"best": draw(texts)}
        if draw(st.booleans()):
            opens["improve"] = draw(texts)
        typed: dict[str, Any] = {fid: draw(typed_score(n)) for fid, n in scores.items()}
        typed.update(opens)
        out[name] = (scores, opens, typed)
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer_sets(), st.sampled_from(["person", "collection"]))
def test_writing_filling_and_collecting_gives_back_the_answers(
    template: Path,
    sets: dict[str, tuple[dict[str, int], dict[str, str], dict[str, Any]]],
    layout: str,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "c"
        shutil.copytree(template, folder)
        responses = folder / "responses"
        if layout == "person":
            for i, (name, (_, _, typed)) in enumerate(sets.items()):
                save(person_book(typed, respondent=name, write=put), responses, f"{i}.xlsx")
        else:
            rows = [
                [name, *(typed.get(fid) for fid, _ in QUESTIONS["feedback"])]
                for name, (_, _, typed) in sets.items()
            ]
            save(collection_book(rows, write=put), responses, "all.xlsx")

        report = run(folder, "feedback")

        assert report.problems == [] and report.refused == []
        assert stored(folder) == {
            ("feedback", "module-1"): {
                name: (scores, opens) for name, (scores, opens, _) in sets.items()
            }
        }
        again = run(folder, "feedback")
        assert (again.new, again.replaced, again.unchanged) == (0, 0, len(sets))


# ---------------------------------------------------------------------------
# Through the workbooks `facilitate sheets` writes


def fill(data: bytes, typed: Callable[[Field], Any], names: list[str]) -> bytes:
    """A workbook of `sheets`, filled in where its hidden sheet says the answers go."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    meta = Meta.from_rows([list(row) for row in workbook[META_SHEET].iter_rows(values_only=True)])
    for f in meta.fields:
        if meta.layout == "person":
            workbook[f.sheet][f.cell] = typed(f)
        else:
            for i, name in enumerate(names):
                cell = workbook[f.sheet][f"{f.cell}{meta.first_row + i}"]
                cell.value = name if f.id == "respondent" else typed(f)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize("layout", ["person", "collection"])
def test_round_trip_through_the_sheets_facilitate_writes(folder: Path, layout: str) -> None:
    sheets = pytest.importorskip("facilitate.sheets")
    cohort = cohorts.load(folder)
    plan = sheets.plan(cohort, "feedback", "module-1", layout)
    choices = sheets.choices(cohort.programme.questionnaire("feedback"), "fi")
    score = {"clear": 5, "useful": 2, "atmosphere": 3}

    def typed(f: Field) -> Any:
        return choices[score[f.id] - 1] if f.kind == "scale" else f"Vastaus {f.id}"

    for i, (path, data) in enumerate(sheets.build(plan)):
        (folder / "responses" / f"{i}-{path.name}").write_bytes(fill(data, typed, NAMES))

    report = run(folder, "feedback")

    assert report.problems == [] and report.refused == []
    texts_ = {"best": "Vastaus best", "improve": "Vastaus improve"}
    # In a collection, the names expected stand in column A beforehand; the one left
    # without answers is no response.
    names = plan.respondents if layout == "person" else NAMES
    assert stored(folder) == {("feedback", "module-1"): {name: (score, texts_) for name in names}}


def test_attendance_through_the_sheets_facilitate_writes(folder: Path) -> None:
    sheets = pytest.importorskip("facilitate.sheets")
    cohort = cohorts.load(folder)
    (path, data), *_ = sheets.build(sheets.plan(cohort, "attendance"))
    labels = sheets.mark_labels("fi")
    marks = iter(["present", "absent", "excused"] * 10)

    chosen: dict[str, dict[str, str]] = {}
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    meta = Meta.from_rows([list(row) for row in workbook[META_SHEET].iter_rows(values_only=True)])
    names = next(f for f in meta.fields if f.id == "respondent")
    sheet = workbook[names.sheet]
    row = meta.first_row
    people = [name for name, _ in PEOPLE]
    while (person := sheet[f"{names.cell}{row}"].value) in people:  # then the totals row
        for f in meta.fields:
            if f.kind == "mark":
                mark = next(marks)
                sheet[f"{f.cell}{row}"] = labels[mark]  # type: ignore[index]
                chosen.setdefault(f.id, {})[person] = mark
        row += 1
    workbook.save(folder / "responses" / path.name)

    report = run(folder, "attendance")

    assert report.problems == [] and report.refused == []
    assert attendance(folder) == chosen
