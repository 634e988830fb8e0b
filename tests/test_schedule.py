"""The schedule: dates past weekends, holidays and the summer break, pins, clock times,
the calendar file (read back with two parsers), and `facilitate schedule`."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import icalendar
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from facilitate import cohort as cohorts
from facilitate.cli import app
from facilitate.cohort import Cohort, Settings, settings_yaml
from facilitate.errors import ExitStatus, InputError
from facilitate.formatting import (
    clock,
    date_range,
    decimal,
    join,
    long_date,
    number,
    percent,
    time_range,
    weekday_date,
)
from facilitate.programme import Programme, Season
from facilitate.schedule import Slot, check_first_date, compute, rows, to_ics

COACHING = """\
id: myprog
languages: [fi, sv, en]
title: {{fi: Tiimivalmennus, sv: Teamcoachning, en: Team coaching}}
description: A programme for the schedule tests.
kind: team-coaching
delivery: [on-site, teams]
roles:
  - id: coach
    title: Coach
    facilitator: true
sessions:
  - id: module
    kind: module
    title: {{fi: "Moduuli {{n}}", sv: "Modul {{n}}", en: "Module {{n}}"}}
    count: 3-6
    goals:
      - {{fi: Tutustutaan toisiimme, sv: Vi lär känna varandra, en: Get to know each other}}
      - {{fi: Sovitaan pelisäännöt, sv: Vi kommer överens om spelregler, en: Agree the ground rules}}
    agenda:
      - title: {{fi: Avaus, sv: Inledning, en: Opening}}
        minutes: 30
      - title: {{fi: Työskentely, sv: Arbete, en: Work}}
        minutes: 120
      - title: {{fi: Yhteenveto, sv: Sammanfattning, en: Summary}}
        minutes: 30
{extra}schedule:
  interval: {interval}
  start_time: "09:00"
{season}"""

FOLLOW_UP = """\
  - id: follow-up
    kind: follow-up
    title: {fi: Seurantakäynti, sv: Uppföljning, en: Follow-up visit}
    duration: 2 h
    gap: 3 months
"""

SPARRING = """\
  - id: sparring
    kind: sparring
    title: {fi: Sparraus, sv: Sparring, en: Sparring}
    duration: 60 min
    delivery: [teams]
    gap: 2 days
  - id: last-module
    kind: module
    title: {fi: Viimeinen moduuli, sv: Sista modulen, en: Last module}
    duration: 3 h
"""

MENTORING = """\
id: mentoring
languages: [sv, en]
title: {sv: Mentorskap, en: Mentoring}
description: Pair mentoring for the schedule tests.
kind: pair-mentoring
delivery: [on-site, teams]
roles:
  - id: coordinator
    title: Coordinator
    facilitator: true
  - id: mentor
    title: Mentor
  - id: adept
    title: Adept
sessions:
  - id: kick-off
    kind: kick-off
    title: {sv: Kick-off, en: Kick-off}
    delivery: [on-site]
    goals:
      - {sv: Paren träffas, en: The pairs meet}
    agenda:
      - title: {sv: Välkommen, en: Welcome}
        minutes: 30
      - title: {sv: Paren börjar, en: The pairs begin}
        minutes: 90
  - id: meeting
    kind: pair-meeting
    title: {sv: "Mentorsträff {n}", en: "Pair meeting {n}"}
    count: 2-4
    duration: 1.5-2 h
    agenda_suggested: true
    agenda:
      - title: {sv: Läget just nu, en: Where things stand}
        minutes: 20
      - title: {sv: Dagens fråga, en: Today's question}
        minutes: 70
  - id: mid-term-seminar
    kind: seminar
    title: {sv: Halvtidsseminarium, en: Mid-term seminar}
    duration: 2 h
  - id: spring-meeting
    kind: pair-meeting
    title: {sv: "Vårträff {n}", en: "Spring meeting {n}"}
    count: 2
    duration: 90 min
  - id: final-seminar
    kind: seminar
    title: {sv: Slutseminarium, en: Final seminar}
    duration: 3 h
schedule:
  interval: 1 month
  start_time: "13:00"
  season: {start: september, end: may}
"""


def coaching(interval: str = "1 month", season: str | None = None, extra: str = "") -> str:
    shown = ""
    if season:
        start, end = season.split("-")
        shown = f"  season: {{start: {start}, end: {end}}}\n"
    return COACHING.format(interval=interval, extra=extra, season=shown)


def make_cohort(folder: Path, programme: str, **values: Any) -> Path:
    """A cohort folder with `myprog.yaml` and a cohort.yaml written as `init` writes it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "myprog.yaml").write_text(programme, encoding="utf-8")
    fields: dict[str, Any] = {
        "id": "varkaus-2027",
        "programme": "myprog.yaml",
        "organisation": "Ohjaamo Varkaus",
        "language": "fi",
        "delivery": "on-site",
        "place": "Kaupungintalo, sali 2",
        "first_date": date(2027, 1, 19),
        **values,
    }
    text = settings_yaml(Settings(**fields))
    (folder / "cohort.yaml").write_text(text, encoding="utf-8")
    return folder


def schedule_of(tmp_path: Path, programme: str | None = None, **values: Any) -> list[Slot]:
    folder = make_cohort(tmp_path / "cohort", programme or coaching(), **values)
    return compute(cohorts.load(folder))


def days(slots: list[Slot]) -> list[date]:
    return [slot.date for slot in slots]


def error_of(tmp_path: Path, programme: str | None = None, **values: Any) -> str:
    with pytest.raises(InputError) as caught:
        schedule_of(tmp_path, programme, **values)
    return caught.value.message


# ---------------------------------------------------------------------------
# Formatting


@pytest.mark.parametrize(
    ("lang", "country", "weekday", "time_text", "long", "days_text", "amount"),
    [
        (
            "fi",
            "FI",
            "ti 19.1.2027",
            "9.00–12.30",
            "19. tammikuuta 2027",
            "15.–19.2.2027",
            "1 234,5",
        ),
        ("sv", "FI", "tis 19.1.2027", "9.00–12.30", "19 januari 2027", "15.–19.2.2027", "1 234,5"),
        (
            "sv",
            "SE",
            "tis 19 jan. 2027",
            "09:00–12:30",
            "19 januari 2027",
            "15–19 feb. 2027",
            "1 234,5",
        ),
        (
            "nb",
            "NO",
            "tir. 19.1.2027",
            "09:00–12:30",
            "19. januar 2027",
            "15.–19.2.2027",
            "1 234,5",
        ),
        (
            "en",
            "FI",
            "Tue 19 Jan 2027",
            "09:00–12:30",
            "19 January 2027",
            "15–19 Feb 2027",
            "1,234.5",
        ),
    ],
)
def test_formatting_per_language_and_country(
    lang: str, country: str, weekday: str, time_text: str, long: str, days_text: str, amount: str
) -> None:
    assert weekday_date(date(2027, 1, 19), lang, country) == weekday
    assert time_range(time(9, 0), time(12, 30), lang, country) == time_text
    assert long_date(date(2027, 1, 19), lang) == long
    assert date_range(date(2027, 2, 15), date(2027, 2, 19), lang, country) == days_text
    assert number(1234.5, lang).replace("\xa0", " ") == amount


def test_date_ranges_across_months_and_years() -> None:
    assert date_range(date(2027, 3, 29), date(2027, 4, 2), "fi") == "29.3.–2.4.2027"
    assert date_range(date(2027, 12, 27), date(2028, 1, 1), "sv") == "27.12.2027–1.1.2028"
    assert date_range(date(2027, 3, 29), date(2027, 4, 2), "en") == "29 Mar – 2 Apr 2027"
    assert date_range(date(2027, 12, 27), date(2028, 1, 1), "en") == "27 Dec 2027 – 1 Jan 2028"
    assert date_range(date(2027, 3, 29), date(2027, 4, 2), "sv", "SE") == "29 mars – 2 apr. 2027"
    assert clock(time(13, 5), "fi") == "13.05"
    assert long_date(date(2027, 1, 19), "fi", weekday=True) == "tiistai 19. tammikuuta 2027"
    assert long_date(date(2027, 1, 19), "en", weekday=True) == "Tuesday, 19 January 2027"


def test_numbers_round_halves_up_and_never_show_minus_zero() -> None:
    assert decimal(3.25, "fi") == "3,3"
    assert decimal(3.35, "en") == "3.4"
    assert decimal(-0.04, "sv", signed=True) == "+0,0"
    assert decimal(-0.3, "nb", signed=True) == "-0,3"
    assert percent(0.125, "fi") == "13\xa0%"
    assert percent(0.8, "en") == "80%"
    assert join(["Eva", "Olle", "Per"], "sv") == "Eva, Olle och Per"
    assert join(["Eva"], "fi") == "Eva"


def test_the_house_style_does_not_come_from_babel() -> None:
    """A new Babel (CLDR) release must not change a document: formatting never imports it."""
    import ast

    import facilitate.formatting as formatting

    tree = ast.parse(Path(formatting.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.startswith("babel") for name in imported)


# ---------------------------------------------------------------------------
# Dates


def test_monthly_sessions_keep_the_weekday_and_the_part_of_the_month(tmp_path: Path) -> None:
    slots = schedule_of(tmp_path, session_counts={"module": 5})
    assert days(slots) == [
        date(2027, 1, 19),
        date(2027, 2, 16),  # 19.2. is a Friday: the nearest Tuesday
        date(2027, 3, 16),
        date(2027, 4, 20),  # counted from 19.1., not from 16.3.: no drift
        date(2027, 5, 18),
    ]
    assert {d.weekday() for d in days(slots)} == {1}
    assert [slot.session.id for slot in slots] == [f"module-{n}" for n in range(1, 6)]
    assert not any(slot.pinned or slot.skipped for slot in slots)


def test_weekly_spacing_is_exact_without_holidays(tmp_path: Path) -> None:
    slots = schedule_of(
        tmp_path, coaching("5 weeks"), first_date=date(2027, 2, 3), session_counts={"module": 5}
    )
    assert [b - a for a, b in itertools.pairwise(days(slots))] == [timedelta(weeks=5)] * 4


def test_a_session_gap_overrides_the_interval(tmp_path: Path) -> None:
    slots = schedule_of(tmp_path, coaching(extra=FOLLOW_UP))
    assert days(slots) == [
        date(2027, 1, 19),
        date(2027, 2, 16),
        date(2027, 3, 16),
        date(2027, 6, 22),
    ]
    assert slots[-1].session.id == "follow-up"


def test_independence_day_moves_the_session_a_week(tmp_path: Path) -> None:
    folder = make_cohort(tmp_path / "c", coaching(), first_date=date(2027, 11, 8))
    cohort = cohorts.load(folder)
    slots = compute(cohort)
    assert days(slots) == [date(2027, 11, 8), date(2027, 12, 13), date(2028, 1, 10)]
    assert slots[1].skipped == [date(2027, 12, 6)]
    assert rows(cohort, slots, "fi")[1].note == "siirretty: Itsenäisyyspäivä"
    assert rows(cohort, slots, "en")[1].note == "moved: Independence Day"
    assert rows(cohort, slots, "fi")[2].note == ""


def test_easter_monday_is_skipped(tmp_path: Path) -> None:
    slots = schedule_of(tmp_path, first_date=date(2027, 3, 1))
    assert days(slots) == [date(2027, 3, 1), date(2027, 4, 5), date(2027, 5, 3)]
    assert slots[1].skipped == [date(2027, 3, 29)]


def test_swedish_midsummer_eve_is_a_day_off(tmp_path: Path) -> None:
    slots = schedule_of(tmp_path, country="SE", language="sv", first_date=date(2027, 5, 28))
    assert days(slots)[:2] == [date(2027, 5, 28), date(2027, 7, 2)]
    assert slots[1].skipped == [date(2027, 6, 25)]
    assert slots[0].start.tzinfo == ZoneInfo("Europe/Stockholm")


def test_norwegian_christmas_and_new_years_eve_are_days_off(tmp_path: Path) -> None:
    folder = make_cohort(
        tmp_path / "c", coaching(), country="NO", language="nb", first_date=date(2027, 11, 26)
    )
    cohort = cohorts.load(folder)
    slots = compute(cohort)
    assert days(slots)[1] == date(2028, 1, 7)
    assert slots[1].skipped == [date(2027, 12, 24), date(2027, 12, 31)]
    assert rows(cohort, slots, "nb")[1].note == "flyttet: Julaften, Nyttårsaften"


def test_summer_break_moves_to_the_first_weekday_of_the_season(tmp_path: Path) -> None:
    folder = make_cohort(
        tmp_path / "c", coaching(season="september-may"), first_date=date(2027, 5, 4)
    )
    cohort = cohorts.load(folder)
    slots = compute(cohort)
    # 1.6. would be next; the season starts in September: its first Tuesday is 7.9.,
    # and the session after counts from there.
    assert days(slots) == [date(2027, 5, 4), date(2027, 9, 7), date(2027, 10, 5)]
    assert rows(cohort, slots, "fi")[1].note == "siirretty: kesätauko"


def test_short_gaps_move_a_day_at_a_time(tmp_path: Path) -> None:
    slots = schedule_of(
        tmp_path,
        coaching(extra=SPARRING),
        first_date=date(2027, 12, 2),
        session_counts={"module": 3},
    )
    names = [slot.session.id for slot in slots]
    assert names == ["module-1", "module-2", "module-3", "sparring", "last-module"]
    assert days(slots)[2] == date(2028, 2, 3)
    assert days(slots)[3] == date(2028, 2, 7)  # 3.2. + 2 days = Saturday 5.2.: to Monday
    assert slots[3].skipped == [date(2028, 2, 5), date(2028, 2, 6)]
    assert days(slots)[4] == date(2028, 3, 2)  # back on Thursdays, a month on


# ---------------------------------------------------------------------------
# Pins


def test_a_pin_moves_the_sessions_after_it(tmp_path: Path) -> None:
    slots = schedule_of(
        tmp_path, session_counts={"module": 5}, pinned={"module-3": date(2027, 4, 13)}
    )
    assert days(slots) == [
        date(2027, 1, 19),
        date(2027, 2, 16),
        date(2027, 4, 13),
        date(2027, 5, 11),
        date(2027, 6, 15),
    ]
    assert [slot.pinned for slot in slots] == [False, False, True, False, False]


def test_a_pin_on_another_weekday_takes_the_later_sessions_along(tmp_path: Path) -> None:
    slots = schedule_of(
        tmp_path, session_counts={"module": 4}, pinned={"module-2": date(2027, 2, 25)}
    )
    assert days(slots) == [
        date(2027, 1, 19),
        date(2027, 2, 25),
        date(2027, 3, 25),
        date(2027, 4, 22),
    ]


def test_pinning_the_first_session_replaces_the_first_date(tmp_path: Path) -> None:
    slots = schedule_of(tmp_path, pinned={"module-1": date(2027, 1, 26)})
    assert days(slots)[0] == date(2027, 1, 26)
    assert slots[0].pinned


def test_a_pin_by_session_id_or_kind_and_number(tmp_path: Path) -> None:
    by_id = schedule_of(
        tmp_path / "a", MENTORING, language="sv", country="SE",
        first_date=date(2027, 9, 14), pinned={"meeting-2": date(2027, 11, 30)},
    )  # fmt: skip
    by_ref = schedule_of(
        tmp_path / "b", MENTORING, language="sv", country="SE",
        first_date=date(2027, 9, 14), pinned={"pair-meeting-2": date(2027, 11, 30)},
    )  # fmt: skip
    assert days(by_id) == days(by_ref)
    assert days(by_id)[2] == date(2027, 11, 30)


def test_a_pin_before_the_session_before_it(tmp_path: Path) -> None:
    message = error_of(tmp_path, pinned={"module-3": date(2027, 2, 2)})
    assert message == (
        "cohort.yaml: pinned module-3 on 2.2.2027 comes before module-2 on 16.2.2027; "
        "pin it later or pin module-2 too"
    )


def test_a_pin_on_the_day_of_the_session_before_it(tmp_path: Path) -> None:
    message = error_of(tmp_path, pinned={"module-2": date(2027, 1, 19)})
    assert message == (
        "cohort.yaml: pinned module-2 on 19.1.2027 comes on the same day as module-1 on "
        "19.1.2027; pin it later or pin module-1 too"
    )


def test_two_pins_out_of_order(tmp_path: Path) -> None:
    message = error_of(
        tmp_path,
        session_counts={"module": 4},
        pinned={"module-2": date(2027, 3, 2), "module-3": date(2027, 2, 23)},
    )
    assert message.startswith(
        "cohort.yaml: pinned module-3 on 23.2.2027 comes before module-2 on 2.3.2027"
    )


def test_a_pin_on_a_holiday(tmp_path: Path) -> None:
    message = error_of(
        tmp_path, first_date=date(2027, 11, 8), pinned={"module-2": date(2027, 12, 6)}
    )
    assert message == (
        "cohort.yaml: pinned module-2 on 6.12.2027 is Independence Day, a holiday in Finland; "
        "the next working day is Tuesday 7.12.2027"
    )


# ---------------------------------------------------------------------------
# Bad first dates


def test_a_first_date_on_a_holiday(tmp_path: Path) -> None:
    assert error_of(tmp_path, first_date=date(2027, 12, 6)) == (
        "cohort.yaml: first_date 6.12.2027 is Independence Day, a holiday in Finland; "
        "the next working day is Tuesday 7.12.2027"
    )


def test_a_first_date_on_a_weekend(tmp_path: Path) -> None:
    assert error_of(tmp_path, first_date=date(2027, 1, 16)) == (
        "cohort.yaml: first_date 16.1.2027 is a Saturday; the next working day is Monday 18.1.2027"
    )


def test_a_first_date_in_the_summer_break(tmp_path: Path) -> None:
    assert error_of(tmp_path, coaching(season="september-may"), first_date=date(2027, 7, 6)) == (
        "cohort.yaml: first_date 6.7.2027 is outside the programme's season "
        "(September–May); its first working day is Wednesday 1.9.2027"
    )


def test_check_first_date() -> None:
    today = date(2026, 1, 10)
    with pytest.raises(
        InputError, match=r"^first date 1\.9\.2025 is in the past \(today is 10\.1\.2026\)$"
    ):
        check_first_date(date(2025, 9, 1), today, "FI")
    with pytest.raises(InputError) as caught:
        check_first_date(date(2027, 1, 1), today, "FI")
    assert caught.value.message == (
        "first date 1.1.2027 is New Year's Day, a holiday in Finland; "
        "the next working day is Monday 4.1.2027"
    )
    with pytest.raises(InputError, match="is outside the programme's season"):
        check_first_date(date(2027, 7, 6), today, "SE", season=Season(start=9, end=5))
    check_first_date(today + timedelta(days=2), today, "FI")  # a Tuesday
    check_first_date(date(2026, 1, 12), date(2026, 1, 12), "NO")  # today is fine


# ---------------------------------------------------------------------------
# Clock times and places


def test_agenda_blocks_get_clock_times(tmp_path: Path) -> None:
    slot = schedule_of(tmp_path)[0]
    zone = ZoneInfo("Europe/Helsinki")
    assert slot.start == datetime(2027, 1, 19, 9, 0, tzinfo=zone)
    assert slot.end == datetime(2027, 1, 19, 12, 0, tzinfo=zone)
    assert [(a.time(), b.time(), block.minutes) for a, b, block in slot.blocks] == [
        (time(9, 0), time(9, 30), 30),
        (time(9, 30), time(11, 30), 120),
        (time(11, 30), time(12, 0), 30),
    ]
    assert slot.start.utcoffset() == timedelta(hours=2)


def test_the_cohort_start_time_wins(tmp_path: Path) -> None:
    slot = schedule_of(tmp_path, start_time=time(13, 15))[0]
    assert (slot.start.time(), slot.end.time()) == (time(13, 15), time(16, 15))


def test_places(tmp_path: Path) -> None:
    link = "https://teams.microsoft.com/l/meetup-join/abc"
    on_site = schedule_of(tmp_path / "a", coaching(extra=SPARRING), teams_link=link)
    assert [(s.place, s.link, s.online) for s in on_site][:1] == [
        ("Kaupungintalo, sali 2", None, False)
    ]
    sparring = next(s for s in on_site if s.session.id == "sparring")
    assert (sparring.place, sparring.link, sparring.online) == ("Teams", link, True)
    teams = schedule_of(tmp_path / "b", delivery="teams", teams_link=link)
    assert {(s.place, s.link, s.online) for s in teams} == {("Teams", link, True)}
    hybrid = schedule_of(tmp_path / "c", delivery="hybrid", teams_link=link)
    assert {(s.place, s.link, s.online, s.delivery) for s in hybrid} == {
        ("Kaupungintalo, sali 2 + Teams", link, False, "hybrid")
    }


def test_missing_place_and_link_are_shown(tmp_path: Path) -> None:
    folder = make_cohort(tmp_path / "c", coaching(), place=None, delivery="hybrid")
    cohort = cohorts.load(folder)
    assert rows(cohort, compute(cohort), "fi")[0].place == "Teams (Teams-linkki puuttuu)"
    folder = make_cohort(tmp_path / "d", coaching(), place=None)
    cohort = cohorts.load(folder)
    assert rows(cohort, compute(cohort), "en")[0].place == "place not set"


def test_pair_meetings_are_reminders_for_a_week(tmp_path: Path) -> None:
    folder = make_cohort(
        tmp_path / "c", MENTORING, language="sv", country="SE", first_date=date(2027, 9, 14)
    )
    cohort = cohorts.load(folder)
    slots = compute(cohort)
    kinds = [(s.session.id, s.reminder) for s in slots]
    assert kinds == [
        ("kick-off", False),
        ("meeting-1", True),
        ("meeting-2", True),
        ("mid-term-seminar", False),
        ("spring-meeting-1", True),
        ("spring-meeting-2", True),
        ("final-seminar", False),
    ]
    row = rows(cohort, slots, "sv")[1]
    assert slots[1].date == date(2027, 10, 12)
    assert (row.date, row.time, row.place) == (
        "vecka 41: 11–15 okt. 2027",
        "paret bokar",
        "",
    )


# ---------------------------------------------------------------------------
# The property: any valid first date and programme gives a complete, ordered schedule


CATEGORIES = {"FI": ("public",), "SE": ("public", "de_facto"), "NO": ("public",)}


def is_day_off(d: date, country: str) -> bool:
    if d.weekday() >= 5:
        return True
    if country == "NO" and (d.month, d.day) in ((12, 24), (12, 31)):
        return True
    return d in holidays.country_holidays(country, years=d.year, categories=CATEGORIES[country])


def in_season(d: date, season: tuple[int, int] | None) -> bool:
    if season is None:
        return True
    start, end = season
    return start <= d.month <= end if start <= end else d.month >= start or d.month <= end


SEASONS = [None, (9, 5), (1, 6), (8, 12), (3, 3)]
INTERVALS = ["1 month", "2 months", "5 weeks", "2 weeks", "1 week", "10 days", "3 days", "1 day"]


@st.composite
def cohorts_in_memory(draw: st.DrawFn) -> tuple[Cohort, tuple[int, int] | None, int]:
    country = draw(st.sampled_from(["FI", "SE", "NO"]))
    season = draw(st.sampled_from(SEASONS))
    first = draw(st.dates(date(2026, 1, 1), date(2034, 12, 31)))
    assume(not is_day_off(first, country) and in_season(first, season))
    modules = draw(st.integers(1, 12))
    sessions: list[dict[str, Any]] = [
        {"id": "module", "kind": "module", "title": "Module {n}", "count": "1-12",
         "duration": "3 h", "gap": draw(st.sampled_from([None, *INTERVALS]))},
    ]  # fmt: skip
    if draw(st.booleans()):
        sessions.append(
            {"id": "follow-up", "kind": "follow-up", "title": "Follow-up", "duration": "2 h",
             "gap": draw(st.sampled_from(["3 months", "6 weeks", "2 days"]))}
        )  # fmt: skip
    for spec in sessions:
        if spec["gap"] is None:
            del spec["gap"]
    data: dict[str, Any] = {
        "id": "prop", "languages": ["en"], "title": "Property", "description": "Property.",
        "kind": "team-coaching", "delivery": ["on-site"],
        "roles": [{"id": "coach", "title": "Coach", "facilitator": True}],
        "sessions": sessions,
        "schedule": {"interval": draw(st.sampled_from(INTERVALS)), "start_time": "08:30"},
    }  # fmt: skip
    if season:
        data["schedule"]["season"] = {"start": season[0], "end": season[1]}
    programme = Programme.model_validate(data)
    settings_ = Settings(
        id="prop", programme="prop", organisation="Org", language="en", country=country,
        delivery="on-site", place="Room 1", first_date=first,
        session_counts={"module": modules},
    )  # fmt: skip
    return Cohort(Path("."), settings_, programme, Path("prop.yaml")), season, len(sessions) - 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(cohorts_in_memory())
def test_any_valid_first_date_gives_a_complete_ordered_schedule(
    case: tuple[Cohort, tuple[int, int] | None, int],
) -> None:
    cohort, season, extra = case
    slots = compute(cohort)
    assert len(slots) == cohort.settings.session_counts["module"] + extra
    assert slots[0].date == cohort.settings.first_date
    assert_well_ordered(cohort, slots, season)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(cohorts_in_memory(), st.data())
def test_a_pin_later_than_planned_keeps_everything_in_order(
    case: tuple[Cohort, tuple[int, int] | None, int], data: st.DataObject
) -> None:
    cohort, season, _ = case
    planned = compute(cohort)
    k = data.draw(st.integers(0, len(planned) - 1))
    pin = planned[k].date + timedelta(days=data.draw(st.integers(1, 60)))
    while is_day_off(pin, cohort.settings.country):
        pin += timedelta(days=1)
    session = planned[k].session
    pinned = Cohort(
        cohort.folder,
        cohort.settings.model_copy(update={"pinned": {session.id: pin}}),
        cohort.programme,
        cohort.programme_path,
    )
    slots = compute(pinned)
    assert len(slots) == len(planned)
    assert days(slots)[:k] == days(planned)[:k]
    assert slots[k].date == pin and slots[k].pinned
    assert_well_ordered(pinned, slots, season)


def assert_well_ordered(cohort: Cohort, slots: list[Slot], season: tuple[int, int] | None) -> None:
    """Strictly in order, no weekend or holiday, in season unless pinned, in the cohort's zone."""
    for before, after in itertools.pairwise(slots):
        assert before.date < after.date
        assert before.start < after.start
    for slot in slots:
        assert not is_day_off(slot.date, cohort.settings.country), slot
        assert slot.pinned or in_season(slot.date, season), slot
        assert slot.end - slot.start == timedelta(minutes=slot.session.minutes())
        assert str(slot.start.tzinfo) == cohort.settings.timezone


# ---------------------------------------------------------------------------
# The calendar file


LINK = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc"
STAMP = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def mentoring_cohort(tmp_path: Path) -> Cohort:
    folder = make_cohort(
        tmp_path / "c", MENTORING, id="Västernorrland 2027", language="sv", country="SE",
        delivery="hybrid", place="Länsstyrelsen, Härnösand", teams_link=LINK,
        first_date=date(2027, 9, 14), session_counts={"meeting": 3},
    )  # fmt: skip
    return cohorts.load(folder)


def read_vobject(data: bytes) -> Any:
    import vobject  # type: ignore[import-untyped]

    return vobject.readOne(data.decode("utf-8"))


def test_calendar_parses_with_icalendar_and_matches_the_slots(tmp_path: Path) -> None:
    cohort = mentoring_cohort(tmp_path)
    slots = compute(cohort)
    calendar = icalendar.Calendar.from_ical(to_ics(cohort, slots, stamp=STAMP))
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//facilitate//")
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    events = calendar.walk("VEVENT")
    assert len(events) == len(slots) == 8
    for event, slot in zip(events, slots, strict=True):
        assert str(event["UID"]) == f"V-sternorrland-2027.{slot.session.id}@facilitate"
        assert event.decoded("DTSTAMP") == STAMP
        title = slot.session.title(cohort.programme, "sv")
        if slot.reminder:
            monday, friday = slot.week
            assert event.decoded("DTSTART") == monday
            assert event.decoded("DTEND") == friday + timedelta(days=1)
            assert str(event["SUMMARY"]) == (
                f"Mentorskap: {title} – kom överens om en tid med din mentor eller adept"
            )
            assert str(event["TRANSP"]) == "TRANSPARENT"
            assert "LOCATION" not in event
        else:
            assert event.decoded("DTSTART") == slot.start
            assert event.decoded("DTEND") == slot.end
            assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
            assert str(event["SUMMARY"]) == f"Mentorskap: {title}"
            assert str(event["URL"] if slot.link else "") == (slot.link or "")
    kick_off = events[0]
    assert str(kick_off["LOCATION"]) == "Länsstyrelsen, Härnösand"  # on site only
    assert "URL" not in kick_off
    assert str(kick_off["DESCRIPTION"]) == (
        "Mål:\n- Paren träffas\n\nProgram:\n13:00–13:30  Välkommen\n13:30–15:00  Paren börjar"
    )
    reminder = events[1]
    assert str(reminder["DESCRIPTION"]) == (
        "Paren bokar sina möten själva: kom överens om en tid under den här veckan.\n\n"
        "Program:\n20 min  Läget just nu\n70 min  Dagens fråga"
    )
    seminar = events[4]
    assert str(seminar["LOCATION"]) == "Länsstyrelsen, Härnösand + Teams"
    assert str(seminar["URL"]) == LINK
    assert LINK in str(seminar["DESCRIPTION"])


def test_calendar_description_has_goals_and_agenda_in_the_cohort_language(
    tmp_path: Path,
) -> None:
    folder = make_cohort(tmp_path / "c", coaching(), delivery="teams", teams_link=LINK)
    cohort = cohorts.load(folder)
    calendar = icalendar.Calendar.from_ical(to_ics(cohort, compute(cohort), stamp=STAMP))
    event = calendar.walk("VEVENT")[0]
    assert str(event["DESCRIPTION"]) == (
        "Tavoitteet:\n- Tutustutaan toisiimme\n- Sovitaan pelisäännöt\n\n"
        "Ohjelma:\n9.00–9.30  Avaus\n9.30–11.30  Työskentely\n11.30–12.00  Yhteenveto\n\n"
        f"Liity Teamsissa: {LINK}"
    )
    assert str(event["LOCATION"]) == LINK
    assert str(event["SUMMARY"]) == "Tiimivalmennus: Moduuli 1"


def test_calendar_parses_with_vobject_too(tmp_path: Path) -> None:
    cohort = mentoring_cohort(tmp_path)
    slots = compute(cohort)
    parsed = read_vobject(to_ics(cohort, slots, stamp=STAMP))
    events = parsed.vevent_list
    assert len(events) == len(slots)
    for event, slot in zip(events, slots, strict=True):
        start, end = event.dtstart.value, event.dtend.value
        if slot.reminder:
            assert (start, end) == (slot.week[0], slot.week[1] + timedelta(days=1))
        else:
            # vobject builds its own tzinfo from our VTIMEZONE: the instants must agree.
            assert start.astimezone(UTC) == slot.start.astimezone(UTC)
            assert end.astimezone(UTC) == slot.end.astimezone(UTC)
            assert start.utcoffset() == slot.start.utcoffset()
            assert (start.hour, start.minute) == (13, 0)
        assert event.uid.value.endswith(f".{slot.session.id}@facilitate")
        assert event.summary.value.startswith("Mentorskap: ")


def test_calendar_events_match_the_schedule_table(tmp_path: Path) -> None:
    cohort = mentoring_cohort(tmp_path)
    slots = compute(cohort)
    table = rows(cohort, slots, "sv")
    events = icalendar.Calendar.from_ical(to_ics(cohort, slots, stamp=STAMP)).walk("VEVENT")
    for event, row in zip(events, table, strict=True):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert row.session in str(event["SUMMARY"])
        if isinstance(start, datetime):
            assert row.date == weekday_date(start.date(), "sv", "SE")
            assert row.time == time_range(start.time(), end.time(), "sv", "SE")
            assert row.place == str(event["LOCATION"])
        else:
            assert row.date.endswith(date_range(start, end - timedelta(days=1), "sv", "SE"))


# ---------------------------------------------------------------------------
# The command


def test_schedule_command_prints_the_table(tmp_path: Path, runner: Any) -> None:
    folder = make_cohort(
        tmp_path / "c", coaching(), session_counts={"module": 4},
        pinned={"module-4": date(2027, 4, 27)},
    )  # fmt: skip
    result = runner.invoke(app, ["schedule", "--cohort", str(folder)])
    assert result.exit_code == 0, result.output
    assert [line.rstrip() for line in result.stdout.splitlines()] == [
        "                       Tiimivalmennus – Ohjaamo Varkaus",
        "┏━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━┓",
        "┃ Tunnus   ┃ Tilaisuus ┃ Päivä          ┃ Aika       ┃ Paikka                ┃",
        "┡━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━┩",
        "│ module-1 │ Moduuli 1 │ ti 19.1.2027   │ 9.00–12.00 │ Kaupungintalo, sali 2 │",
        "│ module-2 │ Moduuli 2 │ ti 16.2.2027   │ 9.00–12.00 │ Kaupungintalo, sali 2 │",
        "│ module-3 │ Moduuli 3 │ ti 16.3.2027   │ 9.00–12.00 │ Kaupungintalo, sali 2 │",
        "│ module-4 │ Moduuli 4 │ ti 27.4.2027 * │ 9.00–12.00 │ Kaupungintalo, sali 2 │",
        "└──────────┴───────────┴────────────────┴────────────┴───────────────────────┘",
        "                 Kellonajat aikavyöhykkeellä Europe/Helsinki.",
        "* päivä kiinnitetty cohort.yaml-tiedostossa",
    ]
    assert result.stderr == ""


def test_schedule_command_in_english_writes_a_calendar(
    tmp_path: Path, runner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_cohort(tmp_path / "c", coaching())
    monkeypatch.chdir(folder)
    result = runner.invoke(app, ["schedule", "--lang", "en", "--ics", "out/calendar.ics"])
    assert result.exit_code == 0, result.output
    assert "│ module-2 │ Module 2 │ Tue 16 Feb 2027 │ 09:00–12:00 │" in result.stdout
    assert result.stderr == "Calendar written to out/calendar.ics\n"
    written = icalendar.Calendar.from_ical((folder / "out" / "calendar.ics").read_bytes())
    starts = [event.decoded("DTSTART") for event in written.walk("VEVENT")]
    zone = ZoneInfo("Europe/Helsinki")
    assert starts == [
        datetime(2027, 1, 19, 9, tzinfo=zone),
        datetime(2027, 2, 16, 9, tzinfo=zone),
        datetime(2027, 3, 16, 9, tzinfo=zone),
    ]


def test_schedule_command_reports_a_pin_out_of_order(tmp_path: Path, runner: Any) -> None:
    folder = make_cohort(tmp_path / "c", coaching(), pinned={"module-3": date(2027, 2, 2)})
    result = runner.invoke(app, ["schedule", "--cohort", str(folder)])
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert " ".join(result.stderr.split()) == (
        "cohort.yaml: pinned module-3 on 2.2.2027 comes before module-2 on 16.2.2027; "
        "pin it later or pin module-2 too"
    )
    assert result.stdout == ""


def test_schedule_command_needs_a_cohort(tmp_path: Path, runner: Any) -> None:
    result = runner.invoke(app, ["schedule", "--cohort", str(tmp_path)])
    assert result.exit_code == ExitStatus.NO_COHORT
