"""`facilitate match` end to end, and the mentoring demo.

A small English cohort of mentorsprogram-vasternorrland: three eligible adepts and two
eligible mentors from three organisations, one adept and one mentor not eligible. The
best pairs are Anna–Olle and Cilla–Rut (every criterion full for both; Cilla cannot
have Olle, who is from her own organisation), which leaves Dan over.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from typer.testing import CliRunner

from facilitate import cohort as cohorts
from facilitate.cli import app
from facilitate.demo import APPLICANTS, build_mentoring
from facilitate.errors import ExitStatus
from facilitate.participants import Participant, read_participants, write_template

from .office import convert
from .test_init import snapshot

PROGRAMME = "mentorsprogram-vasternorrland"
LETTERS = Path("out/matching")


def adept(name: str, org: str, months: float, themes: tuple[int, ...], fmt: str, town: str):  # type: ignore[no-untyped-def]
    return Participant(
        name=name,
        email=f"{name.split()[0].lower()}@{org[-1].lower()}.example",
        organisation=org,
        role="adept",
        fields={"months_as_manager": months},
        themes=themes,
        format=fmt,
        location=town,
    )


def mentor(name: str, org: str, years: float, themes: tuple[int, ...], fmt: str, town: str):  # type: ignore[no-untyped-def]
    return Participant(
        name=name,
        email=f"{name.split()[0].lower()}@{org[-1].lower()}.example",
        organisation=org,
        role="mentor",
        fields={"years_as_manager": years},
        themes=themes,
        format=fmt,
        location=town,
    )


PEOPLE = [
    adept("Anna Berg", "Org A", 12, (0, 1), "on-site", "Sundsvall"),
    adept("Bo Ek", "Org B", 4, (0,), "online", "Sundsvall"),
    adept("Cilla Dahl", "Org B", 8, (3,), "online", "Härnösand"),
    adept("Dan Falk", "Org A", 10, (2,), "either", "Kramfors"),
    mentor("Olle Holm", "Org B", 10, (0, 1), "on-site", "Sundsvall"),
    mentor("Pia Lund", "Org A", 2, (1,), "either", "Sundsvall"),
    mentor("Rut Sund", "Org C", 6, (3,), "either", "Härnösand"),
]


@pytest.fixture
def cohort(runner: CliRunner, tmp_path: Path) -> Path:
    folder = tmp_path / "mentors"
    result = runner.invoke(
        app,
        [
            "init",
            PROGRAMME,
            str(folder),
            "--no-input",
            "--organisation",
            "Myndighetsnätverket Västernorrland",
            "--lang",
            "en",
            "--first-date",
            "2030-09-03",
            "--coordinator",
            "Karin Sjölund",
        ],
    )
    assert result.exit_code == 0, result.output
    loaded = cohorts.load(folder)
    write_template(folder / "participants.xlsx", loaded.programme, "en", None, PEOPLE)
    return folder


WIDE = {"COLUMNS": "200", "TERMINAL_WIDTH": "200"}  # a table row on one line


def match(runner: CliRunner, folder: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["match", "--cohort", str(folder), *args], env=WIDE)


def pin(folder: Path, adept: str, mentor: str) -> None:
    path = folder / "cohort.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  pin: []\n" in text
    path.write_text(
        text.replace("  pin: []\n", f"  pin:\n    - {{adept: {adept}, mentor: {mentor}}}\n"),
        encoding="utf-8",
    )


def flat(text: str) -> str:
    """The words of the output, without the lines of rich's tables."""
    return " ".join(re.sub(r"[\u2500-\u257f]", " ", text).split())


def test_check_says_who_is_not_eligible_and_writes_nothing(runner: CliRunner, cohort: Path) -> None:
    before = snapshot(cohort)
    result = match(runner, cohort, "--check")
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert (
        "Bo Ek Mentee Org B 4 months as a manager with staff, the programme asks for at least 6"
        in out
    )
    assert (
        "Pia Lund Mentor Org A 2 years as a manager with staff, the programme asks for at least 3"
        in out
    )
    assert "Mentee: 3 of 4 eligible" in out
    assert "Mentor: 2 of 3 eligible" in out
    assert snapshot(cohort) == before


def test_check_as_json(runner: CliRunner, cohort: Path) -> None:
    result = match(runner, cohort, "--check", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(i["name"], i["role"]) for i in data["ineligible"]] == [
        ("Bo Ek", "adept"),
        ("Pia Lund", "mentor"),
    ]
    assert data["eligible"] == {"adept": 3, "mentor": 2}
    assert data["applied"] == {"adept": 4, "mentor": 3}


def test_match_prints_pairs_and_writes_workbook_and_letters(
    runner: CliRunner, cohort: Path
) -> None:
    result = match(runner, cohort)
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert "Anna Berg Org A Olle Holm Org B 7.00" in out
    assert "Cilla Dahl Org B Rut Sund Org C 7.00" in out
    assert "2 pairs. Wrote matching.xlsx and 2 introduction letters in out/matching/." in out
    assert "facilitate schedule --pairs" in out and "facilitate sheets pair-log" in out

    book = openpyxl.load_workbook(cohort / LETTERS / "matching.xlsx")
    assert book.sheetnames == ["Pairs", "Unmatched", "Not eligible"]
    pairs = [list(row) for row in book["Pairs"].iter_rows(values_only=True)]
    assert pairs[0] == [
        "Mentee",
        "Organisation (Mentee)",
        "Mentor",
        "Organisation (Mentor)",
        "Score",
        "Themes",
        "Format",
        "Location",
        "Experience gap",
        "Shared themes",
        "Reasons",
        "Pinned",
    ]
    assert pairs[1][:10] == [
        "Anna Berg",
        "Org A",
        "Olle Holm",
        "Org B",
        7,
        1,
        1,
        1,
        1,
        "Being new in the manager role, Leading people and teams",
    ]
    assert pairs[2][:4] == ["Cilla Dahl", "Org B", "Rut Sund", "Org C"]
    assert pairs[2][9] == "Communication and difficult conversations"
    assert pairs[1][11] is None  # not pinned
    assert len(pairs) == 3
    assert book["Pairs"].freeze_panes == "A2"
    assert book["Pairs"].auto_filter.ref == "A1:L3"
    unmatched = list(book["Unmatched"].iter_rows(values_only=True))
    assert unmatched[1][:2] == ("Dan Falk", "Mentee")
    assert "more adepts than mentor places" in unmatched[1][2]
    assert len(unmatched) == 2
    ineligible = list(book["Not eligible"].iter_rows(values_only=True))
    assert ineligible[1:] == [
        (
            "Bo Ek",
            "Mentee",
            "Org B",
            "4 months as a manager with staff, the programme asks for at least 6",
        ),
        (
            "Pia Lund",
            "Mentor",
            "Org A",
            "2 years as a manager with staff, the programme asks for at least 3",
        ),
    ]
    letters = sorted(p.name for p in (cohort / LETTERS).glob("*.docx"))
    assert letters == [
        "introduction-letter-anna-berg-olle-holm.docx",
        "introduction-letter-cilla-dahl-rut-sund.docx",
    ]


def test_letter_introduces_both_with_shared_themes(runner: CliRunner, cohort: Path) -> None:
    assert match(runner, cohort).exit_code == 0
    doc = Document(str(cohort / LETTERS / "introduction-letter-anna-berg-olle-holm.docx"))
    texts = [p.text for p in doc.paragraphs]
    assert "Dear Anna Berg and Olle Holm," in texts
    reasons = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert reasons[0] == (
        "2 shared themes: Being new in the manager role and Leading people and teams"
    )
    people, plan = doc.tables
    assert [[c.text for c in row.cells] for row in people.rows][1:] == [
        ["Anna Berg (Mentee)", "Org A", "anna@a.example"],
        ["Olle Holm (Mentor)", "Org B", "olle@b.example"],
    ]
    sessions = [row.cells[0].text for row in plan.rows][1:]
    assert sessions[0] == "Kick-off – joint start"
    assert sessions[-1] == "Final seminar"
    assert len(sessions) == 1 + 4 + 1 + 4 + 1  # kick-off, meetings, seminars
    assert texts[-2:] == ["Karin Sjölund", "Coordinator, Myndighetsnätverket Västernorrland"]


def test_running_again_gives_the_same_result(runner: CliRunner, cohort: Path) -> None:
    assert match(runner, cohort).exit_code == 0
    first = (cohort / ".facilitate" / "matching.json").read_bytes()
    assert match(runner, cohort).exit_code == 0
    assert (cohort / ".facilitate" / "matching.json").read_bytes() == first


def test_a_pin_is_honoured_and_the_old_letters_go(runner: CliRunner, cohort: Path) -> None:
    assert match(runner, cohort).exit_code == 0
    pin(cohort, "Dan Falk", "Rut Sund")
    result = match(runner, cohort, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(p["adept"], p["mentor"], p["pinned"]) for p in data["pairs"]] == [
        ("Anna Berg", "Olle Holm", False),
        ("Dan Falk", "Rut Sund", True),
    ]
    assert [u["name"] for u in data["unmatched"]] == ["Cilla Dahl"]
    assert sorted(p.name for p in (cohort / LETTERS).glob("*.docx")) == [
        "introduction-letter-anna-berg-olle-holm.docx",
        "introduction-letter-dan-falk-rut-sund.docx",
    ]
    # The letter leaves out the coordinator's pin: it is no reason the pair reads.
    doc = Document(str(cohort / LETTERS / "introduction-letter-dan-falk-rut-sund.docx"))
    reasons = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert reasons[0] == "no shared theme"
    assert "pinned by the coordinator" not in reasons


def test_an_edited_letter_is_kept_without_force(runner: CliRunner, cohort: Path) -> None:
    assert match(runner, cohort).exit_code == 0
    letter = cohort / LETTERS / "introduction-letter-anna-berg-olle-holm.docx"
    letter.write_bytes(letter.read_bytes() + b"edited")
    pin(cohort, "Anna Berg", "Olle Holm")  # the same pairs, and a new matching.json
    stored = (cohort / ".facilitate" / "matching.json").read_bytes()
    refused = match(runner, cohort)
    assert refused.exit_code == ExitStatus.REFUSED
    assert flat(refused.stderr).startswith(
        "out/matching/introduction-letter-anna-berg-olle-holm.docx was changed after "
        "facilitate wrote it; pass --force"
    )
    assert letter.read_bytes().endswith(b"edited")
    assert (cohort / ".facilitate" / "matching.json").read_bytes() == stored
    forced = match(runner, cohort, "--force")
    assert forced.exit_code == 0, forced.output
    assert letter.with_name(letter.name + ".bak").read_bytes().endswith(b"edited")


def test_match_needs_a_mentoring_programme(runner: CliRunner, tmp_path: Path) -> None:
    from .test_init import run_init

    folder = run_init(runner, tmp_path / "ohjaamo")
    result = match(runner, folder)
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert flat(result.stderr) == (
        "toimiva-monialainen-ohjaamo does not pair mentors and adepts; `facilitate match` is "
        "for mentoring programmes (their programme file has a 'matching:' section)"
    )


# --- the mentoring demo -------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "mentors"
    build_mentoring(folder, date(2027, 5, 10), PROGRAMME)
    return folder


def test_demo_has_thirty_applicants_from_six_organisations(demo: Path) -> None:
    cohort = cohorts.load(demo)
    people = read_participants(demo / "participants.xlsx", cohort.programme)
    assert len(people) == len(APPLICANTS) == 30
    assert len({p.organisation for p in people}) == 6
    assert cohort.settings.first_date == date(2027, 9, 7)
    assert cohort.settings.name == "Myndighetsnätverket Västernorrland, läsåret 2027/28"
    assert cohort.settings.matching is not None
    assert [(p.adept, p.mentor) for p in cohort.settings.matching.pin] == [
        ("Erik Sjöberg", "Tomas Edlund")
    ]


def test_demo_matches_across_organisations(demo: Path) -> None:
    data = json.loads((demo / ".facilitate" / "matching.json").read_text(encoding="utf-8"))
    people = {
        p.name: p
        for p in read_participants(demo / "participants.xlsx", cohorts.load(demo).programme)
    }
    assert [i["name"] for i in data["ineligible"]] == ["Lina Bergström", "Stefan Brandt"]
    assert len(data["pairs"]) == 14
    for pair in data["pairs"]:
        assert people[pair["adept"]].organisation != people[pair["mentor"]].organisation
    assert ("Erik Sjöberg", "Tomas Edlund", True) in [
        (p["adept"], p["mentor"], p["pinned"]) for p in data["pairs"]
    ]
    assert sum(p["mentor"] == "Anders Wikström" for p in data["pairs"]) == 2  # capacity 2
    (left,) = data["unmatched"]
    assert left["role"] == "adept"
    assert "fler adepter än mentorsplatser" in left["reason"]
    assert len(list((demo / "out" / "matchning").glob("introduktionsbrev-*.docx"))) == 14
    assert len(list((demo / "out" / "calendars").glob("*.ics"))) == 14


def test_demo_command(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "mentors"
    result = runner.invoke(app, ["demo", "--programme", "mentorskap-for-medarbetare", str(folder)])
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert "participants.xlsx the applications: 30 people from 6 organisations" in out
    assert "out/matchning/matching.xlsx" in out
    again = runner.invoke(app, ["demo", "--programme", "mentorskap-for-medarbetare", str(folder)])
    assert again.exit_code == ExitStatus.REFUSED


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler-utils are needed to render documents",
)
def test_letter_and_workbook_open_in_libreoffice(demo: Path, tmp_path: Path) -> None:
    letter = demo / "out" / "matchning" / "introduktionsbrev-erik-sjoberg-tomas-edlund.docx"
    workbook = demo / "out" / "matchning" / "matching.xlsx"
    convert([letter, workbook], tmp_path)
    texts = {}
    for name in (letter.stem, workbook.stem):
        done = subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / f"{name}.pdf"), "-"],
            check=True,
            capture_output=True,
            text=True,
        )
        texts[name] = flat(done.stdout)
    assert "Hej Erik Sjöberg och Tomas Edlund!" in texts[letter.stem]
    assert "Med vänliga hälsningar Karin Sjölund" in texts[letter.stem]
    assert "Sara Nordin" in texts["matching"] and "Lina Bergström" in texts["matching"]
