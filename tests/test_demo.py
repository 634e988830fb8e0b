"""`facilitate demo`: the example cohort, built once, rebuilt only with --force, and never
over a cohort of the facilitator's own."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
from typer.testing import CliRunner

from facilitate import cohort as cohorts
from facilitate.cli import app
from facilitate.demo import DEMO_PROGRAMME, STAFF, build
from facilitate.errors import ExitStatus, RefusedError
from facilitate.participants import read_participants
from facilitate.schedule import compute, is_working_day

from .test_init import run_init, snapshot

TABLE = [
    "                        The demo cohort in demo",
    "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓",
    "┃ File                            ┃ What it is                         ┃",
    "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩",
    "│ cohort.yaml                     │ cohort settings                    │",
    "│ out/                            │ generated documents                │",
    "│ responses/                      │ filled sheets go here              │",
    "│ participants.xlsx               │ participant list, 12 people        │",
    "│ out/aikataulu.ics               │ calendar of 10 sessions            │",
    "│ out/*/moniste.docx              │ 6 × participant handout            │",
    "│ out/*/kasikirjoitus.docx        │ 10 × facilitator run-sheet         │",
    "│ out/*/valitehtava.docx          │ 4 × between-session task           │",
    "│ out/ohjelman-esittely.docx      │ programme overview                 │",
    "│ out/todistukset/                │ 11 × certificate of participation  │",
    "│ out/sheets/pre-assignment/      │ 12 × meter sheet (pre-assignment)  │",
    "│ out/sheets/module-4/            │ 12 × meter sheet (module-4)        │",
    "│ responses/                      │ the filled meter sheets, collected │",
    "│ out/results/meter-module-4.xlsx │ meter results, before and after    │",
    "│ out/results/meter-module-4.docx │ meter results, before and after    │",
    "└─────────────────────────────────┴────────────────────────────────────┘",
    "Try: cd demo && facilitate status",
]


@pytest.fixture
def demo(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo built by `facilitate demo demo` in an empty folder, the current one."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["demo", "demo"])
    assert result.exit_code == 0, result.output
    return tmp_path / "demo"


def events(path: Path) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return list(calendar.walk("VEVENT"))


def test_demo_builds_a_complete_cohort(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    result = runner.invoke(app, ["demo", "demo"])

    assert result.exit_code == 0, result.output
    assert [line.rstrip() for line in result.stdout.splitlines()] == TABLE
    assert result.stderr == ""
    folder = tmp_path / "demo"
    cohort = cohorts.load(folder)
    assert cohort.settings.programme == DEMO_PROGRAMME
    assert cohort.settings.organisation == "Ohjaamo Järvenranta"
    assert cohort.lang == "fi"
    first = cohort.settings.first_date
    assert first.weekday() == 1 and is_working_day(first, "FI")
    assert date.today() + timedelta(days=21) <= first < date.today() + timedelta(days=21 + 7 * 4)
    people = read_participants(folder / "participants.xlsx", cohort.programme)
    assert [(p.name, p.email, p.organisation, p.role) for p in people] == list(STAFF)
    assert (folder / "responses").is_dir()
    slots = compute(cohort)
    calendar = events(folder / "out" / "aikataulu.ics")
    assert len(calendar) == len(slots) == 10
    assert [event.decoded("DTSTART").date() for event in calendar] == [s.date for s in slots]
    assert len({str(event["UID"]) for event in calendar}) == 10


def test_demo_is_not_built_twice(runner: CliRunner, demo: Path) -> None:
    before = snapshot(demo)
    result = runner.invoke(app, ["demo", "demo"])
    assert result.exit_code == ExitStatus.REFUSED
    assert result.stderr == "demo already holds the demo cohort; pass --force to build it afresh\n"
    assert result.stdout == ""
    assert snapshot(demo) == before


def test_demo_force_builds_it_afresh(runner: CliRunner, demo: Path) -> None:
    (demo / "out" / "aikataulu.ics").unlink()
    (demo / "participants.xlsx").write_bytes(b"spoilt")

    result = runner.invoke(app, ["demo", "demo", "--force"])

    assert result.exit_code == 0, result.output
    assert [line.rstrip() for line in result.stdout.splitlines()] == TABLE
    cohort = cohorts.load(demo)
    assert len(read_participants(demo / "participants.xlsx", cohort.programme)) == 12
    assert len(events(demo / "out" / "aikataulu.ics")) == 10


@pytest.mark.parametrize("flags", [[], ["--force"]], ids=["plain", "--force"])
def test_demo_never_touches_a_real_cohort(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flags: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = run_init(runner, "ohjaamo")
    (folder / "out" / "agenda.docx").write_bytes(b"made by the facilitator")
    before = snapshot(folder)

    result = runner.invoke(app, ["demo", "ohjaamo", *flags])

    assert result.exit_code == ExitStatus.REFUSED
    assert result.stderr == (
        "ohjaamo holds a cohort that is not the demo; choose another folder for the demo\n"
    )
    assert snapshot(folder) == before


def test_demo_force_keeps_files_it_did_not_make(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine", encoding="utf-8")
    # The demo may refuse a folder that is not empty; it must not delete what was there.
    runner.invoke(app, ["demo", "mine"])
    runner.invoke(app, ["demo", "mine", "--force"])
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_demo_names_the_folder_as_it_is(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["demo", "demo[x]"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "Try: cd demo[x] && facilitate status"


def test_status_of_the_demo(runner: CliRunner, demo: Path) -> None:
    result = runner.invoke(app, ["status", "--cohort", "demo"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "Ohjaamo Järvenranta" in result.stdout

    result = runner.invoke(app, ["status", "--cohort", "demo", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["held"], data["total"], data["next"]) == (0, 10, "module-1")
    assert (data["participants"], data["participant_problem"]) == (12, None)
    pre = data["collections"][0]
    assert (pre["session"], pre["questionnaire"], pre["expected"]) == (
        "pre-assignment",
        "meter",
        12,
    )


def test_status_inside_the_demo_folder(
    runner: CliRunner, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(demo)
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 0, result.output


def test_demo_starts_on_a_working_tuesday(tmp_path: Path) -> None:
    """Three weeks from 3 December 2030 is Christmas Eve, a Tuesday and a holiday in
    Finland: the demo starts a week later."""
    made = build(tmp_path / "demo", date(2030, 12, 3))
    cohort = cohorts.load(tmp_path / "demo")
    assert cohort.settings.first_date == date(2030, 12, 31)
    assert cohort.settings.name == "Ohjaamo Järvenranta, syksy 2030"
    assert [(m.path.relative_to(tmp_path / "demo").as_posix(), m.what) for m in made] == [
        ("cohort.yaml", "cohort settings"),
        ("out", "generated documents"),
        ("responses", "filled sheets go here"),
        ("participants.xlsx", "participant list, 12 people"),
        ("out/aikataulu.ics", "calendar of 10 sessions"),
        ("out/*/moniste.docx", "6 × participant handout"),
        ("out/*/kasikirjoitus.docx", "10 × facilitator run-sheet"),
        ("out/*/valitehtava.docx", "4 × between-session task"),
        ("out/ohjelman-esittely.docx", "programme overview"),
        ("out/todistukset", "11 × certificate of participation"),
        ("out/sheets/pre-assignment", "12 × meter sheet (pre-assignment)"),
        ("out/sheets/module-4", "12 × meter sheet (module-4)"),
        ("responses", "the filled meter sheets, collected"),
        ("out/results/meter-module-4.xlsx", "meter results, before and after"),
        ("out/results/meter-module-4.docx", "meter results, before and after"),
    ]
    with pytest.raises(RefusedError):
        build(tmp_path / "demo", date(2030, 12, 3))
