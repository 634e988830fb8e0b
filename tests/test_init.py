"""`facilitate init`: a cohort folder from flags, from answers typed at the prompts, and
the values it refuses (a missing flag, a date no session can be held on, an existing cohort)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, time, timedelta
from pathlib import Path

import openpyxl
import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from typer.testing import CliRunner, Result

from facilitate import cohort as cohorts
from facilitate import participants
from facilitate.cli import app
from facilitate.context import Environment
from facilitate.errors import ExitStatus
from facilitate.participants import read_participants
from facilitate.schedule import is_working_day, next_working_day

# A programme with a repeated session: `meeting`, "3+" of them, after a needs assessment.
PROGRAMME = "toimiva-monialainen-ohjaamo"
ENTER = "\r"
DOWN = "\x1b[B"
CTRL_C = "\x03"
CLEAR = "\x15"  # Ctrl-U: empty a prompt that came with its default already typed in
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def working_tuesday(days_ahead: int = 60, countries: Sequence[str] = ("FI",)) -> date:
    """The first Tuesday at least `days_ahead` days from today that is a working day in
    every one of `countries`, so that the tests do not rot as the calendar moves on."""
    day = date.today() + timedelta(days=days_ahead)
    day += timedelta(days=(1 - day.weekday()) % 7)
    while not all(is_working_day(day, country) for country in countries):
        day += timedelta(days=7)
    return day


def numeric(day: date) -> str:
    """A date as the messages write it: 19.1.2027."""
    return f"{day.day}.{day.month}.{day.year}"


def flat(text: str) -> str:
    """`text` with the console's line wrapping undone (see test_error_lines_are_not_wrapped)."""
    return " ".join(text.split())


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under `folder`, with the bytes of each file."""
    return {
        str(path.relative_to(folder)): path.read_bytes() if path.is_file() else None
        for path in sorted(folder.rglob("*"))
    }


def init_args(folder: str | Path, *extra: str, first: date | None = None) -> list[str]:
    """`init` with every value it needs given as a flag."""
    return [
        "init",
        PROGRAMME,
        str(folder),
        "--no-input",
        "--organisation",
        "Ohjaamo Varkaus",
        "--first-date",
        (first or working_tuesday()).isoformat(),
        *extra,
    ]


def run_init(runner: CliRunner, folder: str | Path, *extra: str, first: date | None = None) -> Path:
    """A cohort made by `init` from flags; fails the test if init fails."""
    result = runner.invoke(app, init_args(folder, *extra, first=first))
    assert result.exit_code == 0, result.output
    return Path(folder)


def type_in(runner: CliRunner, args: list[str], keys: str) -> Result:
    """Run the CLI as if at a terminal, with `keys` typed at its prompts.

    The keys go into a prompt_toolkit pipe (CliRunner's `input=` does not reach
    questionary). A Ctrl-C follows them: if a prompt is still waiting when they run
    out, the command stops with exit 130 instead of the test hanging.
    """
    with create_pipe_input() as pipe:
        pipe.send_text(keys + CTRL_C)
        env = Environment(interactive=True, prompt_io={"input": pipe, "output": DummyOutput()})
        return runner.invoke(app, args, obj=env)


def header_row(path: Path) -> list[str]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        row = next(workbook.worksheets[0].iter_rows(min_row=1, max_row=1, values_only=True))
    finally:
        workbook.close()
    return [str(value) for value in row if value is not None]


# ---------------------------------------------------------------------------
# From flags


@pytest.mark.parametrize(
    ("flags", "interactive"),
    [(["--no-input"], True), ([], False)],
    ids=["--no-input", "no-terminal"],
)
def test_init_from_flags_makes_the_cohort_folder(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    flags: list[str],
    interactive: bool,
) -> None:
    monkeypatch.chdir(tmp_path)
    first = working_tuesday()
    args = [
        "init", PROGRAMME, "ohjaamo", *flags,
        "--organisation", "Ohjaamo Varkaus",
        "--first-date", numeric(first),
        "--sessions", "meeting=4",
    ]  # fmt: skip

    # An interactive Environment with --no-input must not prompt: the pipe stays empty.
    result = (
        type_in(runner, args, "")
        if interactive
        else runner.invoke(app, args, obj=Environment(interactive=False))
    )

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Created the cohort Ohjaamo Varkaus in ohjaamo\n"
        "Next: fill in ohjaamo/participants.xlsx, then run `facilitate schedule`.\n"
    )
    assert result.stderr == ""
    folder = tmp_path / "ohjaamo"
    cohort = cohorts.load(folder)
    settings = cohort.settings
    assert re.fullmatch(r"ohjaamo-varkaus-[0-9a-f]{6}", settings.id), settings.id
    assert settings.model_dump(exclude={"id"}) == {
        "programme": PROGRAMME,
        "organisation": "Ohjaamo Varkaus",
        "name": None,
        "language": "fi",  # the programme's first language
        "country": "FI",
        "facilitators": [],
        "coordinator": None,
        "delivery": "on-site",  # the programme's first way of holding sessions
        "place": None,
        "teams_link": None,
        "first_date": first,
        "start_time": None,
        "session_counts": {"meeting": 4},
        "pinned": {},
        "agenda": {},
        "templates": None,
        "anonymity_threshold": 3,
        "matching": None,
    }
    assert [s.id for s in cohort.sessions()] == [
        "needs-assessment", "meeting-1", "meeting-2", "meeting-3", "meeting-4",
    ]  # fmt: skip
    assert header_row(folder / "participants.xlsx") == [
        "Nimi",
        "Sähköposti",
        "Organisaatio",
        "Rooli",
        "Osallistuttuja tapaamisia",
    ]
    assert read_participants(folder / "participants.xlsx", cohort.programme) == []
    assert (folder / "out").is_dir()
    assert (folder / "responses").is_dir()
    assert list((folder / "out").iterdir()) == []


def test_init_takes_every_setting_from_flags(runner: CliRunner, tmp_path: Path) -> None:
    first = working_tuesday(countries=("FI", "SE"))
    folder = run_init(
        runner,
        tmp_path / "ohjaamo",
        "--name", "Ohjaamo Varkaus, spring",
        "--lang", "EN",
        "--country", "se",
        "--facilitator", "Anna Virtanen",
        "--facilitator", "Kalle Nieminen",
        "--coordinator", "Sari Läänelä",
        "--delivery", "hybrid",
        "--place", "Kauppakatu 1, Varkaus",
        "--teams-link", "https://teams.example/meet/1",
        "--start-time", "13.30",
        "--sessions", "meeting=5",
        "--templates", "templates",
        "--anonymity-threshold", "5",
        first=first,
    )  # fmt: skip

    cohort = cohorts.load(folder)
    assert cohort.settings.model_dump(exclude={"id"}) == {
        "programme": PROGRAMME,
        "organisation": "Ohjaamo Varkaus",
        "name": "Ohjaamo Varkaus, spring",
        "language": "en",
        "country": "SE",
        "facilitators": ["Anna Virtanen", "Kalle Nieminen"],
        "coordinator": "Sari Läänelä",
        "delivery": "hybrid",
        "place": "Kauppakatu 1, Varkaus",
        "teams_link": "https://teams.example/meet/1",
        "first_date": first,
        "start_time": time(13, 30),
        "session_counts": {"meeting": 5},
        "pinned": {},
        "agenda": {},
        "templates": "templates",
        "anonymity_threshold": 5,
        "matching": None,
    }
    assert header_row(folder / "participants.xlsx") == [
        "Name",
        "Email",
        "Organisation",
        "Role",
        "Sessions attended",
    ]
    assert read_participants(folder / "participants.xlsx", cohort.programme) == []


def test_init_without_a_count_runs_the_fewest_sessions(runner: CliRunner, tmp_path: Path) -> None:
    folder = run_init(runner, tmp_path / "ohjaamo")
    cohort = cohorts.load(folder)
    assert cohort.settings.session_counts == {}
    assert [s.id for s in cohort.sessions()] == [
        "needs-assessment", "meeting-1", "meeting-2", "meeting-3",
    ]  # fmt: skip


MISSING = (
    "Not asking without a terminal; pass the missing values as flags: "
    '--organisation "Ohjaamo Varkaus" (which organisation is the cohort for) '
    "--first-date 2027-01-19 (date of the first session)"
)


@pytest.mark.parametrize(
    ("flags", "interactive"),
    [(["--no-input"], False), (["--no-input"], True), ([], False)],
    ids=["--no-input", "--no-input-at-a-terminal", "no-terminal"],
)
def test_init_without_a_terminal_names_the_missing_flags(
    runner: CliRunner, tmp_path: Path, flags: list[str], interactive: bool
) -> None:
    args = ["init", PROGRAMME, str(tmp_path / "ohjaamo"), *flags]
    result = (
        type_in(runner, args, "")
        if interactive
        else runner.invoke(app, args, obj=Environment(interactive=False))
    )
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert flat(result.stderr) == MISSING
    assert result.stdout == ""
    assert not (tmp_path / "ohjaamo").exists()


def test_init_names_only_the_flags_still_missing(runner: CliRunner, tmp_path: Path) -> None:
    args = ["init", PROGRAMME, str(tmp_path / "c"), "--no-input", "--organisation", "X"]
    result = runner.invoke(app, args)
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert "--organisation" not in result.stderr
    assert flat(result.stderr) == (
        "Not asking without a terminal; pass the missing values as flags: "
        "--first-date 2027-01-19 (date of the first session)"
    )


@pytest.mark.parametrize("value", ["31.2.2027", "tomorrow", "2027-02-30", "19/1/2027", "1.19.2027"])
def test_init_refuses_a_first_date_it_cannot_read(
    runner: CliRunner, tmp_path: Path, value: str
) -> None:
    args = init_args(tmp_path / "c")
    args[args.index("--first-date") + 1] = value
    result = runner.invoke(app, args)
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.stderr == (
        f"--first-date: must be a date such as 2027-01-19 or 19.1.2027, got '{value}'\n"
    )
    assert not (tmp_path / "c").exists()


def _independence_day() -> date:
    """The next 6 December, a Finnish public holiday, that falls on a weekday."""
    year = date.today().year
    while (day := date(year, 12, 6)) <= date.today() or day.weekday() >= 5:
        year += 1
    return day


def _first_date_cases() -> list[tuple[date, str]]:
    today = date.today()
    past = today - timedelta(days=7)
    saturday = working_tuesday() + timedelta(days=4)
    monday = next_working_day(saturday, "FI")
    holiday = _independence_day()
    after = next_working_day(holiday, "FI")
    return [
        (
            past,
            f"--first-date: first date {numeric(past)} is in the past (today is {numeric(today)})",
        ),
        (
            saturday,
            f"--first-date: first date {numeric(saturday)} is a Saturday; the next working day is "
            f"{WEEKDAYS[monday.weekday()]} {numeric(monday)}",
        ),
        (
            holiday,
            f"--first-date: first date {numeric(holiday)} is Independence Day, a holiday in Finland; "
            f"the next working day is {WEEKDAYS[after.weekday()]} {numeric(after)}",
        ),
    ]


@pytest.mark.parametrize(
    ("first", "message"), _first_date_cases(), ids=["past", "weekend", "holiday"]
)
def test_init_refuses_a_first_date_no_session_can_be_held_on(
    runner: CliRunner, tmp_path: Path, first: date, message: str
) -> None:
    result = runner.invoke(app, init_args(tmp_path / "c", first=first))
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert flat(result.stderr) == message
    assert result.stdout == ""
    assert not (tmp_path / "c").exists()


def test_init_refuses_a_first_date_outside_the_season(runner: CliRunner, tmp_path: Path) -> None:
    """mentorskap-for-medarbetare runs September–June: not in July."""
    year = date.today().year + 1
    july = date(year, 7, 6)
    while not is_working_day(july, "SE"):
        july += timedelta(days=1)
    september = date(year, 9, 1)
    if not is_working_day(september, "SE"):
        september = next_working_day(september, "SE")
    args = [
        "init", "mentorskap-for-medarbetare", str(tmp_path / "c"), "--no-input",
        "--organisation", "Rörlighet i staten", "--country", "SE",
        "--first-date", july.isoformat(),
    ]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert flat(result.stderr) == (
        f"--first-date: first date {numeric(july)} is outside the programme's season (September–June); "
        f"its first working day is {WEEKDAYS[september.weekday()]} {numeric(september)}"
    )
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        (
            "meeting=0",
            ExitStatus.BAD_INPUT,
            "--sessions: must be at least 3",
        ),
        ("meeting=x", ExitStatus.USAGE, "'meeting=x' should be ID=N, e.g. meeting=4"),
        ("meeting", ExitStatus.USAGE, "'meeting' should be ID=N, e.g. meeting=4"),
        ("meeting=-3", ExitStatus.USAGE, "'meeting=-3' should be ID=N, e.g. meeting=4"),
    ],
)
def test_init_refuses_a_sessions_value_it_cannot_read(
    runner: CliRunner, tmp_path: Path, value: str, code: int, message: str
) -> None:
    result = runner.invoke(app, init_args(tmp_path / "c", "--sessions", value))
    assert result.exit_code == code
    assert message in flat(result.stderr)
    assert not (tmp_path / "c" / "cohort.yaml").exists()


@pytest.mark.parametrize(
    ("programme", "value"),
    [
        (PROGRAMME, "meeting=2"),  # 3+
        ("koordinointi-ja-johtaminen", "meeting=9"),  # 4-6
        (PROGRAMME, "meetings=4"),  # no such session
        ("vertaismentorointi", "meeting=3"),  # its repeated session is `mentoring`
    ],
)
def test_init_refuses_a_session_count_the_programme_does_not_have(
    runner: CliRunner, tmp_path: Path, programme: str, value: str
) -> None:
    args = init_args(tmp_path / "c", "--sessions", value)
    args[1] = programme
    result = runner.invoke(app, args)
    assert result.exit_code == ExitStatus.BAD_INPUT, result.output
    assert "--sessions" in result.stderr
    assert not (tmp_path / "c" / "cohort.yaml").exists()


@pytest.mark.parametrize(
    ("flags", "flag"),
    [(["--organisation", " "], "--organisation"), (["--start-time", "25:00"], "--start-time")],
    ids=["empty-organisation", "bad-start-time"],
)
def test_init_checks_a_flag_as_its_prompt_does(
    runner: CliRunner, tmp_path: Path, flags: list[str], flag: str
) -> None:
    result = runner.invoke(app, init_args(tmp_path / "c", *flags))
    assert result.exit_code == ExitStatus.BAD_INPUT, result.output
    assert flag in result.stderr
    assert not (tmp_path / "c" / "cohort.yaml").exists()


def test_init_refuses_an_existing_cohort_and_leaves_it_alone(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = run_init(runner, "ohjaamo", "--sessions", "meeting=4")
    (folder / "out" / "agenda.docx").write_bytes(b"made earlier")
    before = snapshot(folder)

    result = runner.invoke(
        app, init_args("ohjaamo", "--organisation", "Someone else", "--lang", "en")
    )

    assert result.exit_code == ExitStatus.REFUSED
    assert result.stderr == "ohjaamo already holds a cohort (cohort.yaml); choose another folder\n"
    assert result.stdout == ""
    assert snapshot(folder) == before


def test_init_refuses_a_file_in_place_of_the_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, init_args("notes"))
    assert result.exit_code == ExitStatus.USAGE
    assert "Invalid value for 'folder': dir 'notes' is a file." in result.stderr
    assert (tmp_path / "notes").read_text(encoding="utf-8") == "mine"


def test_init_keeps_a_participant_list_already_in_the_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "ohjaamo"
    folder.mkdir()
    listed = (
        "Nimi;Sähköposti;Organisaatio;Rooli\n"
        "Sari Läänelä;sari@example.fi;Kaupunki;Koordinaattori\n"
        "Päivi Ahonen;paivi@example.fi;TE-palvelut;Ohjaamon työntekijä\n"
    ).encode()
    (folder / "participants.csv").write_bytes(listed)

    result = runner.invoke(app, init_args("ohjaamo"))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == (
        "Next: fill in ohjaamo/participants.csv, then run `facilitate schedule`."
    )
    assert (folder / "participants.csv").read_bytes() == listed
    assert not (folder / "participants.xlsx").exists()
    cohort = cohorts.load(folder)
    people = read_participants(folder / "participants.csv", cohort.programme)
    assert [(p.name, p.role) for p in people] == [
        ("Sari Läänelä", "coordinator"),
        ("Päivi Ahonen", "member"),
    ]


def test_init_interrupted_while_writing_leaves_no_cohort_and_can_be_run_again(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(participants, "write_template", interrupted)
        result = runner.invoke(app, init_args(tmp_path / "c"))
    assert result.exit_code == ExitStatus.INTERRUPTED
    assert result.stderr == "Interrupted; nothing was left half-written.\n"
    assert not (tmp_path / "c" / "cohort.yaml").exists()

    run_init(runner, tmp_path / "c")
    assert cohorts.load(tmp_path / "c").settings.organisation == "Ohjaamo Varkaus"


# ---------------------------------------------------------------------------
# At a terminal


def test_init_asks_for_everything(runner: CliRunner, tmp_path: Path) -> None:
    first = working_tuesday()
    keys = "".join(
        [
            "Ohjaamo Testi" + ENTER,  # organisation
            DOWN + ENTER,  # language: fi, [sv], en
            DOWN + DOWN + ENTER,  # delivery: on-site, teams, [hybrid]
            numeric(first) + ENTER,  # first date
            CLEAR + "13.30" + ENTER,  # start time (09:00 typed in already)
            "Anna Virtanen, Kalle Nieminen" + ENTER,  # facilitators
            "Sari Läänelä" + ENTER,  # coordinator
            "Kauppakatu 1" + ENTER,  # place
            "https://teams.example/meet/1" + ENTER,  # Teams link
            CLEAR + "4" + ENTER,  # how many meetings (3 typed in already)
        ]
    )

    result = type_in(runner, ["init", PROGRAMME, str(tmp_path / "c")], keys)

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Created the cohort Ohjaamo Testi in ")
    settings = cohorts.load(tmp_path / "c").settings
    assert re.fullmatch(r"ohjaamo-testi-[0-9a-f]{6}", settings.id), settings.id
    assert settings.model_dump(exclude={"id"}) == {
        "programme": PROGRAMME,
        "organisation": "Ohjaamo Testi",
        "name": None,
        "language": "sv",
        "country": "FI",
        "facilitators": ["Anna Virtanen", "Kalle Nieminen"],
        "coordinator": "Sari Läänelä",
        "delivery": "hybrid",
        "place": "Kauppakatu 1",
        "teams_link": "https://teams.example/meet/1",
        "first_date": first,
        "start_time": time(13, 30),
        "session_counts": {"meeting": 4},
        "pinned": {},
        "agenda": {},
        "templates": None,
        "anonymity_threshold": 3,
        "matching": None,
    }
    assert header_row(tmp_path / "c" / "participants.xlsx") == [
        "Namn", "E-post", "Organisation", "Roll", "Deltagit i träffar",
    ]  # fmt: skip


def test_init_takes_the_defaults_on_enter(runner: CliRunner, tmp_path: Path) -> None:
    first = working_tuesday()
    keys = "Ohjaamo Testi" + ENTER + ENTER + ENTER + first.isoformat() + ENTER + ENTER * 6
    result = type_in(runner, ["init", PROGRAMME, str(tmp_path / "c")], keys)
    assert result.exit_code == 0, result.output
    settings = cohorts.load(tmp_path / "c").settings
    assert (settings.language, settings.delivery) == ("fi", "on-site")
    assert settings.start_time == time(9, 0)
    assert settings.session_counts == {"meeting": 3}
    assert (settings.facilitators, settings.coordinator, settings.place, settings.teams_link) == (
        [], None, None, None,
    )  # fmt: skip


def test_init_asks_only_for_what_the_flags_did_not_give(runner: CliRunner, tmp_path: Path) -> None:
    first = working_tuesday()
    args = [
        "init", PROGRAMME, str(tmp_path / "c"),
        "--organisation", "Ohjaamo Varkaus", "--first-date", first.isoformat(),
        "--lang", "en", "--delivery", "teams", "--facilitator", "Anna Virtanen",
    ]  # fmt: skip
    # Left to ask: start time, coordinator, Teams link, how many meetings (no place:
    # the sessions are on Teams).
    keys = "".join(
        [
            ENTER,
            "Sari Läänelä" + ENTER,
            "https://teams.example/meet/1" + ENTER,
            CLEAR + "5" + ENTER,
        ]
    )
    result = type_in(runner, args, keys)
    assert result.exit_code == 0, result.output
    settings = cohorts.load(tmp_path / "c").settings
    assert settings.organisation == "Ohjaamo Varkaus"
    assert (settings.language, settings.delivery, settings.first_date) == ("en", "teams", first)
    assert settings.session_counts == {"meeting": 5}
    assert settings.facilitators == ["Anna Virtanen"]
    assert settings.coordinator == "Sari Läänelä"
    assert settings.place is None
    assert settings.teams_link == "https://teams.example/meet/1"


def test_init_asks_again_after_an_answer_it_cannot_use(runner: CliRunner, tmp_path: Path) -> None:
    first = working_tuesday()
    keys = "".join(
        [
            ENTER,  # organisation left empty: required, asked again
            "Ohjaamo Testi" + ENTER,
            ENTER + ENTER,
            "31.2.2027" + ENTER,  # no such day
            CLEAR + numeric(first) + ENTER,
            CLEAR + "25:00" + ENTER,  # no such time
            CLEAR + "8.15" + ENTER,
            ENTER * 4,
            CLEAR + "2" + ENTER,  # fewer meetings than the programme's 3+
            CLEAR + "3" + ENTER,
        ]
    )
    result = type_in(runner, ["init", PROGRAMME, str(tmp_path / "c")], keys)
    assert result.exit_code == 0, result.output
    settings = cohorts.load(tmp_path / "c").settings
    assert settings.organisation == "Ohjaamo Testi"
    assert settings.first_date == first
    assert settings.start_time == time(8, 15)
    assert settings.session_counts == {"meeting": 3}


def test_ctrl_c_at_a_prompt_stops_and_makes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    keys = "Ohjaamo Testi" + ENTER + ENTER + ENTER + "2027" + CTRL_C
    result = type_in(runner, ["init", PROGRAMME, str(tmp_path / "c")], keys)
    assert result.exit_code == ExitStatus.INTERRUPTED
    assert result.stderr == "Interrupted; nothing was left half-written.\n"
    assert result.stdout == ""
    assert not (tmp_path / "c").exists()


def test_ctrl_c_leaves_an_existing_folder_as_it_was(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(folder)
    result = type_in(runner, ["init", PROGRAMME, str(folder)], "Ohjaamo" + ENTER + CTRL_C)
    assert result.exit_code == ExitStatus.INTERRUPTED
    assert snapshot(folder) == before


def test_init_at_a_terminal_takes_the_count_from_sessions_flag(
    runner: CliRunner, tmp_path: Path
) -> None:
    args = [
        "init", PROGRAMME, str(tmp_path / "c"),
        "--organisation", "Ohjaamo Varkaus", "--first-date", working_tuesday().isoformat(),
        "--lang", "en", "--delivery", "teams", "--start-time", "09:00",
        "--coordinator", "Sari", "--place", "Talo", "--teams-link", "https://teams.example/1",
        "--facilitator", "Anna Virtanen", "--sessions", "meeting=5",
    ]  # fmt: skip
    # Nothing is left to ask; should a question come anyway, Enter takes its default.
    result = type_in(runner, args, ENTER * 3)
    assert result.exit_code == 0, result.output
    assert cohorts.load(tmp_path / "c").settings.session_counts == {"meeting": 5}


def test_init_asks_again_for_a_first_date_in_the_past(runner: CliRunner, tmp_path: Path) -> None:
    past = date.today() - timedelta(days=7)
    keys = "".join(
        [
            "Ohjaamo Testi" + ENTER + ENTER + ENTER,
            past.isoformat() + ENTER,
            CLEAR + working_tuesday().isoformat() + ENTER,
            ENTER * 6,
        ]
    )
    result = type_in(runner, ["init", PROGRAMME, str(tmp_path / "c")], keys)
    assert result.exit_code == 0, result.output


def test_init_refuses_an_existing_cohort_before_asking(runner: CliRunner, tmp_path: Path) -> None:
    folder = run_init(runner, tmp_path / "c")
    result = type_in(runner, ["init", PROGRAMME, str(folder)], "")
    assert result.exit_code == ExitStatus.REFUSED, result.output


@pytest.mark.parametrize("organisation", ["Ohjaamo [/] Varkaus", "Ohjaamo [spring] Varkaus"])
def test_init_prints_names_as_they_are(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, organisation: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, init_args("c[2027]", "--organisation", organisation))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"Created the cohort {organisation} in c[2027]"
