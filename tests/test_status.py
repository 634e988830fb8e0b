"""Where a cohort stands (`status` and `facilitate status`): sessions held and next, tasks
due, answers to collect; and the messages for a missing or malformed cohort.yaml."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from facilitate import cohort as cohorts
from facilitate.cli import app
from facilitate.errors import ExitStatus
from facilitate.participants import Participant, write_template
from facilitate.schedule import compute
from facilitate.status import Collection, TaskDue, status

from .test_init import PROGRAMME, flat, run_init

PEOPLE = (
    ("Sari Läänelä", "sari@example.fi", "Kaupunki", "coordinator"),
    ("Päivi Ahonen", "paivi@example.fi", "TE-palvelut", "member"),
    ("Åsa Lindqvist", "asa@example.fi", "Kela", "member"),
)


@pytest.fixture
def folder(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cohort made by `init` (five sessions), with three people on its list; the
    current folder is the one that holds it, as `c`."""
    monkeypatch.chdir(tmp_path)
    made = run_init(runner, "c", "--sessions", "meeting=4")
    cohort = cohorts.load(made)
    people = [
        Participant(name, email, org, role, {}, row)
        for row, (name, email, org, role) in enumerate(PEOPLE, start=2)
    ]
    write_template(made / "participants.xlsx", cohort.programme, "fi", "Ohjaamo Varkaus", people)
    return made


def test_status_json_of_a_new_cohort(runner: CliRunner, folder: Path) -> None:
    cohort = cohorts.load(folder)
    dates = [slot.date for slot in compute(cohort)]

    result = runner.invoke(app, ["status", "--cohort", "c", "--json"])

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    data = json.loads(result.stdout)
    today = date.today()
    assert data["today"] == today.isoformat()
    assert (data["held"], data["total"], data["next"]) == (0, 5, "needs-assessment")
    assert data["days_to_next"] == (cohort.settings.first_date - today).days
    assert (data["participants"], data["participant_problem"]) == (3, None)
    assert [(s["id"], s["date"], s["held"]) for s in data["sessions"]] == [
        (sid, day.isoformat(), False)
        for sid, day in zip(
            ["needs-assessment", "meeting-1", "meeting-2", "meeting-3", "meeting-4"],
            dates,
            strict=True,
        )
    ]
    assert data["tasks_due"] == []
    # The meter is needed a week before the first meeting (the second session).
    assert data["collections"] == [
        {
            "questionnaire": "meter",
            "title": "Monialaisuusmittari",
            "session": "pre-assignment",
            "expected": 3,
            "collected": 0,
            "due": (dates[1] - timedelta(weeks=1)).isoformat(),
        }
    ]
    assert (data["organisation"], data["programme"], data["language"]) == (
        "Ohjaamo Varkaus", PROGRAMME, "fi",
    )  # fmt: skip


def test_status_without_a_participant_list(runner: CliRunner, folder: Path) -> None:
    (folder / "participants.xlsx").unlink()
    result = runner.invoke(app, ["status", "--cohort", "c", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["participants"] is None
    assert data["participant_problem"] == (
        "no participant list (participants.xlsx or participants.csv)"
    )
    assert data["collections"][0]["expected"] == 0


def test_status_after_the_third_session(folder: Path) -> None:
    cohort = cohorts.load(folder)
    slots = compute(cohort)
    third, fourth = slots[2], slots[3]

    result = status(cohort, third.date + timedelta(days=1))

    assert result.held == 3
    assert result.next is not None and result.next.id == "meeting-3"
    assert result.days_to_next == (fourth.date - third.date).days - 1
    assert [s.held for s in result.sessions] == [True, True, True, False, False]
    tasks = third.session.spec.tasks
    assert tasks, "the meetings of the programme give tasks"
    assert result.tasks_due == [
        TaskDue(cohort.text(task.title), "meeting-2", fourth.date) for task in tasks
    ]
    feedback = cohort.text(cohort.programme.questionnaire("feedback").title)
    assert result.collections[1:] == [
        Collection("feedback", feedback, "meeting-1", 3, 0, slots[1].date),
        Collection("feedback", feedback, "meeting-2", 3, 0, slots[2].date),
    ]
    assert result.collections[0].session == "pre-assignment"
    data = result.as_json()
    assert (data["held"], data["total"], data["next"]) == (3, 5, "meeting-3")
    assert [task["due"] for task in data["tasks_due"]] == [fourth.date.isoformat()] * len(tasks)


def test_tasks_stay_due_until_the_next_session(folder: Path) -> None:
    cohort = cohorts.load(folder)
    slots = compute(cohort)
    on_the_day = status(cohort, slots[3].date)
    assert on_the_day.held == 3
    assert {task.given_at for task in on_the_day.tasks_due} == {"meeting-2"}
    after = status(cohort, slots[3].date + timedelta(days=1))
    assert after.held == 4
    assert {task.given_at for task in after.tasks_due} == {"meeting-3"}
    done = status(cohort, slots[-1].date + timedelta(days=1))
    assert (done.held, done.next, done.days_to_next, done.tasks_due) == (5, None, None, [])


def test_status_before_the_first_session(folder: Path) -> None:
    cohort = cohorts.load(folder)
    result = status(cohort, date.today())
    assert (result.held, result.tasks_due) == (0, [])
    assert [c.session for c in result.collections] == ["pre-assignment"]


def test_status_prints_the_table(runner: CliRunner, folder: Path) -> None:
    result = runner.invoke(app, ["status", "--cohort", "c"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "Ohjaamo Varkaus · Toimiva monialainen Ohjaamo" in result.stdout
    assert "Pidetyt tapaamiset: 0/5" in result.stdout
    assert "Osallistujia: 3" in result.stdout
    assert "Monialaisuusmittari" in result.stdout


def test_status_finds_the_cohort_from_a_folder_inside_it(
    runner: CliRunner, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder / "out")
    result = runner.invoke(app, ["status", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["organisation"] == "Ohjaamo Varkaus"


def test_status_without_a_cohort(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["status"])
    assert result.exit_code == ExitStatus.NO_COHORT
    assert result.stdout == ""
    assert flat(result.stderr) == (
        f"no cohort here: {tmp_path.resolve()} has no cohort.yaml, nor has any folder above it; "
        "run the command inside a cohort folder, pass --cohort DIR, "
        "or make one with `facilitate init PROGRAMME DIR`"
    )


def test_status_with_a_cohort_folder_that_is_not_one(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    for where in ("empty", "nowhere"):
        result = runner.invoke(app, ["status", "--cohort", where, "--json"])
        assert result.exit_code == ExitStatus.NO_COHORT
        assert result.stderr == f"{where} is not a cohort folder: it has no cohort.yaml\n"
        assert result.stdout == ""


# ---------------------------------------------------------------------------
# A cohort.yaml edited by hand


def _edit(folder: Path, old: str, new: str) -> int:
    """Replace the line starting with `old` by `new`; return its line number."""
    path = folder / "cohort.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, start=1) if line.startswith(old))
    lines[number - 1] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number


MALFORMED = {
    "bad-date": [
        (
            "first_date:",
            "first_date: 31.2.2027",
            "first_date: must be a date such as 2027-01-19 or 19.1.2027, got '31.2.2027'",
        )
    ],
    "unknown-key": [
        ("place:", "plaice: Kauppakatu 1", "plaice: unknown key 'plaice' (did you mean 'place'?)")
    ],
    "unknown-programme": [
        (
            "programme:",
            "programme: toimiva-ohjaamo",
            "programme: no programme 'toimiva-ohjaamo' in the library (did you mean "
            "'toimiva-monialainen-ohjaamo'?); `facilitate programmes` lists them, "
            "or give the path to a .yaml file",
        )
    ],
    "count-out-of-range": [
        (
            "  meeting:",
            "  meeting: 2",
            "session_counts.meeting: the programme has 3+ of these, got 2",
        )
    ],
    "unknown-session": [
        (
            "  meeting:",
            "  meetings: 4",
            "session_counts.meetings: 'meetings' is not a repeated session of "
            "toimiva-monialainen-ohjaamo (did you mean 'meeting'?); repeated sessions: meeting",
        )
    ],
    "two-problems": [
        ("place:", "plaice: Kauppakatu 1", "plaice: unknown key 'plaice' (did you mean 'place'?)"),
        (
            "first_date:",
            "first_date: tomorrow",
            "first_date: must be a date such as 2027-01-19 or 19.1.2027, got 'tomorrow'",
        ),
    ],
}


@pytest.mark.parametrize("case", MALFORMED)
@pytest.mark.parametrize("as_json", [False, True], ids=["table", "json"])
def test_status_of_a_malformed_cohort_file(
    runner: CliRunner, folder: Path, case: str, as_json: bool
) -> None:
    expected = []
    for old, new, message in MALFORMED[case]:
        line = _edit(folder, old, new)
        expected.append((line, message))

    result = runner.invoke(app, ["status", "--cohort", "c", *(["--json"] if as_json else [])])

    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.stdout == ""
    assert flat(result.stderr) == " ".join(
        f"c/cohort.yaml:{line}: {message}" for line, message in sorted(expected)
    )


def test_status_of_a_cohort_file_that_is_not_yaml(runner: CliRunner, folder: Path) -> None:
    (folder / "cohort.yaml").write_text("programme: [\n", encoding="utf-8")
    result = runner.invoke(app, ["status", "--cohort", "c"])
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert flat(result.stderr).startswith("c/cohort.yaml:2: YAML syntax error:")


def test_error_lines_are_not_wrapped(runner: CliRunner, folder: Path) -> None:
    _edit(folder, "place:", "plaice: Kauppakatu 1")
    _edit(folder, "first_date:", "first_date: the first Tuesday of the spring term in 2027")
    result = runner.invoke(app, ["status", "--cohort", "c"])
    assert result.exit_code == ExitStatus.BAD_INPUT
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    assert all(line.startswith("c/cohort.yaml:") for line in lines), result.stderr


def test_every_problem_in_the_cohort_file_at_once(runner: CliRunner, folder: Path) -> None:
    first = _edit(folder, "first_date:", "first_date: 31.2.2027")
    programme = _edit(folder, "programme:", "programme: toimiva-ohjaamo")
    result = runner.invoke(app, ["status", "--cohort", "c"])
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert f"c/cohort.yaml:{first}: first_date:" in result.stderr
    assert f"c/cohort.yaml:{programme}: programme:" in result.stderr


def test_status_says_attendance_is_not_recorded_yet(folder: Path) -> None:
    """Once a session is held, status tells that no attendance is recorded, rather than
    staying silent about it."""
    from rich.console import Console

    from facilitate.views import status_view

    cohort = cohorts.load(folder)
    slots = compute(cohort)
    result = status(cohort, slots[0].date + timedelta(days=1))
    assert result.attendance is None
    assert result.as_json()["attendance"] is None
    console = Console(width=100, record=True, color_system=None)
    console.print(status_view(result))
    assert "Läsnäolo: ei vielä kirjattu" in console.export_text()
