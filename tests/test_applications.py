"""Mentoring applications (the participant list's application columns and the workbook of
`sheets applications`), the pair meeting logs of `sheets pair-log`, and the pair
calendars of `schedule --pairs`."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import openpyxl
import pytest
from typer.testing import CliRunner

from facilitate import cohort as cohorts
from facilitate import matching
from facilitate.cli import app
from facilitate.cohort import Cohort, Settings, settings_yaml
from facilitate.errors import InputError
from facilitate.loader import load_programme
from facilitate.matching import Pair, Result
from facilitate.participants import Participant, columns, headers, read_participants
from facilitate.schedule import compute, is_working_day, pair_calendars, to_ics
from facilitate.sheets import make

from .conftest import REPO
from .office import convert

VNL = REPO / "programmes" / "mentorsprogram-vasternorrland.yaml"
STAMP = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)
THEMES_SV = [
    "Att vara ny i chefsrollen",
    "Att leda medarbetare och grupper",
    "Att leda förändring och utveckla verksamheten",
    "Kommunikation och svåra samtal",
    "Egen hållbarhet och balans i chefsrollen",
]
PAIRS = [
    Pair(adept="Anna Åberg", mentor="Bertil Berg", score=5.0),
    Pair(adept="=Cecilia Ek", mentor="Bertil Berg", score=3.0),
]


def make_cohort(folder: Path, **values: Any) -> Cohort:
    """A cohort of the Västernorrland mentor programme, starting on Tuesday 14.9.2027."""
    folder.mkdir(parents=True)
    fields: dict[str, Any] = {
        "id": "vnl-2027",
        "programme": "mentorsprogram-vasternorrland",
        "organisation": "Myndighetsnätverket Västernorrland",
        "name": "Mentorsprogrammet 2027",
        "language": "sv",
        "country": "SE",
        "delivery": "on-site",
        "place": "Länsstyrelsen, Härnösand",
        "first_date": date(2027, 9, 14),
        **values,
    }
    (folder / "cohort.yaml").write_text(settings_yaml(Settings(**fields)), encoding="utf-8")
    return cohorts.load(folder)


@pytest.fixture
def cohort(tmp_path: Path) -> Cohort:
    return make_cohort(tmp_path / "vnl")


@pytest.fixture
def paired(cohort: Cohort) -> Cohort:
    matching.save(cohort, Result(pairs=list(PAIRS), unmatched=[], ineligible=[]))
    return cohort


def csv_list(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "applications.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def problems(path: Path, cohort: Cohort) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_participants(path, cohort.programme)
    return caught.value.message.split("\n")


# --- the application columns of the participant list


def test_a_matching_programme_has_the_application_columns(cohort: Cohort) -> None:
    programme = cohort.programme
    assert columns(programme) == [
        "name", "email", "organisation", "role", "months_as_manager", "years_as_manager",
        "theme:0", "theme:1", "theme:2", "theme:3", "theme:4",
        "format", "location", "capacity", "attended",
    ]  # fmt: skip
    assert headers(programme, "sv")[6:] == [
        *THEMES_SV,
        "Önskad mötesform",
        "Ort",
        "Antal adepter (endast mentorer)",
        "Deltagit i träffar",
    ]
    assert headers(programme, "en")[6:9] == [
        "Being new in the manager role",
        "Leading people and teams",
        "Leading change and developing the organisation",
    ]


def test_a_programme_without_matching_has_none(tmp_path: Path) -> None:
    text = VNL.read_text(encoding="utf-8")
    start = text.index("\nmatching:")
    end = text.index("\npre_assignment:")
    path = tmp_path / "no-matching.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    shutil.copytree(VNL.parent / "questionnaires", tmp_path / "questionnaires")
    programme = load_programme(path)
    assert programme.themes and programme.matching is None
    assert columns(programme) == [
        "name", "email", "organisation", "role", "months_as_manager", "years_as_manager",
        "attended",
    ]  # fmt: skip


def test_every_way_of_ticking_and_naming_a_format_is_read(cohort: Cohort, tmp_path: Path) -> None:
    # English headers for a Swedish list: themes by their English title.
    path = csv_list(
        tmp_path,
        [
            "Name;Role;Being new in the manager role;Leading people and teams;"
            "Communication and difficult conversations;Preferred format;Location;capacity",
            "Anna Åberg;adept;X;;ja;Etänä;  Sundsvall ;",
            "Bertil Berg;Mentor;✓;kyllä;nej;på plats;Härnösand;3",
            "Cecilia Ek;mentor;1;yes;0;Begge deler;;",
            "David Dahl;Adept;;nei;;;;",
            "Eva Ek;adept;true;;;online;;",
        ],
    )
    people = read_participants(path, cohort.programme)
    got = [(p.name, p.role, p.themes, p.format, p.location, p.capacity) for p in people]
    assert got == [
        ("Anna Åberg", "adept", (0, 3), "online", "Sundsvall", None),
        ("Bertil Berg", "mentor", (0, 1), "on-site", "Härnösand", 3),
        ("Cecilia Ek", "mentor", (0, 1), "either", None, None),
        ("David Dahl", "adept", (), None, None, None),
        ("Eva Ek", "adept", (0,), "online", None, None),
    ]


def test_application_problems_name_the_row_and_column(cohort: Cohort, tmp_path: Path) -> None:
    path = csv_list(
        tmp_path,
        [
            "Namn;Roll;Att vara ny i chefsrollen;Önskad mötesform;Antal adepter (endast mentorer)",
            "Anna Åberg;Adept;kanske;på plats;",
            "Bertil Berg;Mentor;x;ibland;2,5",
            "Cecilia Ek;Mentor;;;7",
            "David Dahl;Adept;;;1",
            "Eva Ek;Mentor;;;2",
        ],
    )
    assert problems(path, cohort) == [
        "applications.csv: row 2: column 'Att vara ny i chefsrollen': tick the theme with x "
        "or leave the cell blank, got 'kanske'",
        "applications.csv: row 3: column 'Önskad mötesform': unknown format 'ibland'; "
        "write On site, Online, Either (or the word in Finnish, Swedish or Norwegian)",
        "applications.csv: row 3: column 'Antal adepter (endast mentorer)': a mentor takes "
        "1 to 5 adepts, got 2.5",
        "applications.csv: row 4: column 'Antal adepter (endast mentorer)': a mentor takes "
        "1 to 5 adepts, got 7",
        "applications.csv: row 5: column 'Antal adepter (endast mentorer)': the capacity is "
        "for mentors; leave it blank",
    ]


# --- sheets applications


def test_the_application_workbook_reads_back(cohort: Cohort) -> None:
    made = make(cohort, "applications")
    assert [job.path for job in made.written] == [Path("out/sheets/applications/ansokningar.xlsx")]
    path = cohort.folder / made.written[0].path
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet["A1"].value == (
        "Ansökningar: Mentorsprogram för chefer i Myndighetsnätverket Västernorrland · "
        "Mentorsprogrammet 2027"
    )
    assert sheet["A2"].value.startswith("En rad per sökande: namn, e-post, organisation, roll")
    assert "som participants.xlsx, eller ge den till `facilitate match --applications FIL`" in (
        sheet["A2"].value
    )
    # The same columns as the participant list, without the sessions attended.
    assert [cell.value for cell in sheet[3]] == headers(cohort.programme, "sv")[:-1]
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"
    checks = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert checks["D4:D1000"].type == "list"  # role
    assert [checks[f"{c}4:{c}1000"].formula1 for c in "GHIJK"] == ["'lists'!$C$1:$C$1"] * 5
    assert checks["L4:L1000"].formula1 == "'lists'!$D$1:$D$3"
    assert [book["lists"][f"D{r}"].value for r in (1, 2, 3)] == [
        "På plats",
        "Digitalt",
        "Båda går bra",
    ]
    capacity = checks["N4:N1000"]
    assert (capacity.type, capacity.formula1, capacity.formula2) == ("whole", "1", "5")
    assert {"E4:E1000", "F4:F1000"} <= set(checks)  # the eligibility numbers

    rows = [
        ["Anna Åberg", "anna@kommun.se", "Sundsvalls kommun", "Adept", 8, None,
         "x", None, "x", None, None, "Digitalt", "Sundsvall", None],
        ["Bertil Berg", "bertil@lst.se", "Länsstyrelsen", "Mentor", None, 6.5,
         "x", "x", None, None, "x", "Båda går bra", "Härnösand", 2],
    ]  # fmt: skip
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=value)
    book.save(path)
    assert read_participants(path, cohort.programme) == [
        Participant(
            "Anna Åberg", "anna@kommun.se", "Sundsvalls kommun", "adept",
            {"months_as_manager": 8.0}, 4, themes=(0, 2), format="online", location="Sundsvall",
        ),
        Participant(
            "Bertil Berg", "bertil@lst.se", "Länsstyrelsen", "mentor",
            {"years_as_manager": 6.5}, 5, themes=(0, 1, 4), format="either",
            location="Härnösand", capacity=2,
        ),
    ]  # fmt: skip


def test_applications_need_a_programme_with_matching(tmp_path: Path) -> None:
    cohort = make_cohort(
        tmp_path / "c",
        programme="vertaismentorointi",
        language="fi",
        country="FI",
        first_date=date(2027, 1, 19),
    )
    with pytest.raises(InputError) as caught:
        make(cohort, "applications")
    assert caught.value.message == (
        "vertaismentorointi does not pair mentors and adepts, so it takes no applications; "
        "its participant list is participants.xlsx in the cohort folder"
    )


def test_init_of_a_mentoring_programme_writes_the_application_columns(
    runner: CliRunner, tmp_path: Path
) -> None:
    first = date.today() + timedelta(days=60)
    first += timedelta(days=(1 - first.weekday()) % 7)
    while first.month in (6, 7, 8) or not is_working_day(first, "SE"):
        first += timedelta(days=7)
    result = runner.invoke(
        app,
        [
            "init", "mentorsprogram-vasternorrland", str(tmp_path / "m"), "--no-input",
            "--organisation", "Nätverket", "--first-date", first.isoformat(), "--lang", "sv",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(tmp_path / "m" / "participants.xlsx").worksheets[0]
    assert [cell.value for cell in sheet[1]][6:] == [
        *THEMES_SV,
        "Önskad mötesform",
        "Ort",
        "Antal adepter (endast mentorer)",
        "Deltagit i träffar",
    ]


# --- sheets pair-log


def test_a_pair_log_needs_the_pairs(cohort: Cohort, runner: CliRunner) -> None:
    result = runner.invoke(app, ["sheets", "pair-log", "--cohort", str(cohort.folder)])
    assert result.exit_code == 4
    assert result.stderr == (
        "there are no pairs yet: run `facilitate match` first; the meeting logs are made "
        "for the pairs it finds\n"
    )


def test_a_pair_log_per_pair_with_every_pair_meeting(paired: Cohort) -> None:
    made = make(paired, "pair-log")
    folder = Path("out/sheets/pair-log")
    assert [(job.path, job.title) for job in made.written] == [
        (folder / "motesanteckningar-anna-aberg-bertil-berg.xlsx", "Anna Åberg och Bertil Berg"),
        (folder / "motesanteckningar-cecilia-ek-bertil-berg.xlsx", "=Cecilia Ek och Bertil Berg"),
    ]
    book = openpyxl.load_workbook(paired.folder / made.written[1].path)
    assert book.sheetnames == ["Möten"]  # no identity sheet: nothing in it to collect
    sheet = book.active
    assert sheet["A1"].value == "Parets mötesanteckningar: =Cecilia Ek och Bertil Berg"
    assert sheet["A1"].data_type == "s"  # a name that starts with = stays text
    assert sheet["A2"].value == (
        "Adept: =Cecilia Ek · Mentor: Bertil Berg · Mentorsprogram för chefer i "
        "Myndighetsnätverket Västernorrland · Mentorsprogrammet 2027"
    )
    assert [cell.value for cell in sheet[4]] == [
        "Möte",
        "Föreslagen tid",
        "Datum för mötet",
        "Ämne",
        "Överenskommet nästa steg",
    ]
    rows = [[cell.value for cell in row[:2]] for row in sheet.iter_rows(min_row=5)]
    # Monthly from Tuesday 14.9.2027, on Tuesdays; the mid-term seminar (two weeks
    # after meeting 4) is not a pair meeting, and the spring meetings count from it.
    assert rows == [
        ["Parmöte 1", "vecka 41: 11–15 okt. 2027"],
        ["Parmöte 2", "vecka 46: 15–19 nov. 2027"],
        ["Parmöte 3", "vecka 50: 13–17 dec. 2027"],
        ["Parmöte 4", "vecka 2: 10–14 jan. 2028"],
        ["Parmöte 5", "vecka 8: 21–25 feb. 2028"],
        ["Parmöte 6", "vecka 12: 20–24 mars 2028"],
        ["Parmöte 7", "vecka 16: 17–21 apr. 2028"],
        ["Parmöte 8", "vecka 20: 15–19 maj 2028"],
    ]
    assert sheet.protection.sheet
    for row in range(5, 13):
        assert [sheet.cell(row=row, column=c).protection.locked for c in range(1, 6)] == [
            True, True, False, False, False,
        ]  # fmt: skip
        assert sheet.cell(row=row, column=4).alignment.wrap_text
    assert sheet.freeze_panes == "A5"
    assert sheet.print_area == "'Möten'!$A$1:$E$12"
    assert sheet.print_title_rows == "$4:$4"


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
    reason="LibreOffice (soffice) and poppler-utils are needed to render the workbook",
)
def test_a_pair_log_prints_on_one_page(paired: Cohort, tmp_path: Path) -> None:
    path = paired.folder / make(paired, "pair-log").written[0].path
    convert([path], tmp_path)
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / f"{path.stem}.pdf")], check=True, capture_output=True, text=True
    ).stdout
    assert "\nPages:           1\n" in info


def test_pair_log_takes_no_session(paired: Cohort) -> None:
    with pytest.raises(InputError) as caught:
        make(paired, "pair-log", session="kick-off")
    assert caught.value.message == (
        "pair-log takes no session and no --layout: a workbook per pair, with all its meetings"
    )


# --- pair calendars


def test_a_pair_calendar_has_the_common_sessions_and_the_pairs_meetings(paired: Cohort) -> None:
    slots = compute(paired)
    common = icalendar.Calendar.from_ical(to_ics(paired, slots, "en", STAMP))
    ics = to_ics(paired, slots, "en", STAMP, pair=PAIRS[0])
    calendar = icalendar.Calendar.from_ical(ics)
    assert str(calendar["X-WR-CALNAME"]) == (
        "Mentor programme for managers in Myndighetsnätverket Västernorrland – "
        "Anna Åberg and Bertil Berg"
    )
    events = calendar.walk("VEVENT")
    assert len(events) == len(slots) == 11
    shared = {str(e["UID"]): e for e in common.walk("VEVENT")}
    for event, slot in zip(events, slots, strict=True):
        uid = str(event["UID"])
        if not slot.reminder:
            # As `--ics` writes it: imported twice, it is one event.
            assert event.to_ical() == shared[uid].to_ical()
            continue
        assert uid == f"vnl-2027.{slot.session.id}.anna-aberg.bertil-berg@facilitate"
        monday, friday = slot.week
        assert event.decoded("DTSTART") == monday
        assert event.decoded("DTEND") == friday + timedelta(days=1)
        assert str(event["TRANSP"]) == "TRANSPARENT"
    first = events[1]
    assert str(first["SUMMARY"]) == (
        "Mentor programme for managers in Myndighetsnätverket Västernorrland: "
        "Pair meeting 1 – Anna Åberg and Bertil Berg"
    )
    assert first.decoded("DTSTART") == date(2027, 10, 11)
    assert str(first["DESCRIPTION"]).startswith(
        "A suggested week for your meeting, Anna Åberg and Bertil Berg: agree the day, "
        "time and place (or Teams) between you.\n\nGoals:\n"
    )


def test_pair_calendars_need_the_pairs(cohort: Cohort) -> None:
    with pytest.raises(InputError) as caught:
        pair_calendars(cohort, cohort.folder)
    assert caught.value.message.startswith("there are no pairs yet: run `facilitate match`")


def test_schedule_pairs_writes_a_calendar_per_pair(paired: Cohort, runner: CliRunner) -> None:
    result = runner.invoke(app, ["schedule", "--pairs", "--cohort", str(paired.folder)])
    assert result.exit_code == 0, result.output
    folder = paired.folder / "out" / "calendars"
    assert result.stderr == f"2 parkalendrar i {folder}.\n"
    assert sorted(p.name for p in folder.iterdir()) == [
        "par-anna-aberg-bertil-berg.ics",
        "par-cecilia-ek-bertil-berg.ics",
    ]
    second = icalendar.Calendar.from_ical((folder / "par-cecilia-ek-bertil-berg.ics").read_bytes())
    summaries = [str(e["SUMMARY"]) for e in second.walk("VEVENT")]
    assert summaries[1] == (
        "Mentorsprogram för chefer i Myndighetsnätverket Västernorrland: "
        "Parmöte 1 – =Cecilia Ek och Bertil Berg"
    )
    # Made again unchanged: nothing is refused; edited by hand: refused without --force.
    (folder / "par-anna-aberg-bertil-berg.ics").write_text("edited", encoding="utf-8")
    again = runner.invoke(app, ["schedule", "--pairs", "--cohort", str(paired.folder)])
    assert again.exit_code == 6
    forced = runner.invoke(app, ["schedule", "--pairs", "--force", "--cohort", str(paired.folder)])
    assert forced.exit_code == 0, forced.output
    assert (folder / "par-anna-aberg-bertil-berg.ics.bak").read_text() == "edited"


def test_schedule_pairs_dir_and_no_pairs(cohort: Cohort, runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["schedule", "--pairs", "--cohort", str(cohort.folder)])
    assert result.exit_code == 4
    assert result.stdout == ""  # nothing shown before the message
    assert result.stderr.startswith("there are no pairs yet")
    matching.save(cohort, Result(pairs=PAIRS[:1], unmatched=[], ineligible=[]))
    target = tmp_path / "to-send"
    result = runner.invoke(
        app,
        ["schedule", "--pairs-dir", str(target), "--lang", "en", "--cohort", str(cohort.folder)],
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == f"1 pair calendar written in {target}.\n"
    assert [p.name for p in target.iterdir()] == ["pair-anna-aberg-bertil-berg.ics"]
