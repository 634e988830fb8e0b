"""When every session of a cohort happens: dates, clock times, place, and the calendar file.

The rules, for each session after the first:
- its nominal date is the previous session's nominal date plus the session's `gap`
  (else the programme's `schedule.interval`), months counted as calendar months; the
  first session's nominal date is the cohort's first date;
- a gap of a week or more keeps the weekday of the first session (or of the latest
  pinned session): the date moves to the nearest such weekday, at most three days;
- a date outside the programme's season (the summer break) moves to the first such
  weekday of the season's first month, and the sessions after it count from there;
- a weekend or a day off moves the session forward a week (a day, for gaps shorter
  than a week); the sessions after it stay where they were (unless it now lands on or
  after the next one, which then counts from it).
Days off are the public holidays of the cohort's country from the `holidays` package,
plus the days most workplaces close: Sweden's de-facto holidays (Midsummer Eve,
Christmas Eve, New Year's Eve, the package's `de_facto` category) and Christmas Eve and
New Year's Eve in Norway (not in the package). Finland's Midsummer Eve and Christmas
Eve are already public holidays in the package.

A pinned session takes its date as given (it must be a working day after the session
before it); the sessions after it keep their spacing from it, on its weekday.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .errors import InputError
from .formatting import numeric_date, weekday_date
from .i18n import t

if TYPE_CHECKING:
    from .cohort import AgendaChange, Cohort
    from .matching import Pair
    from .programme import Block, Season, Session, Span

COUNTRY_NAMES = {"FI": "Finland", "SE": "Sweden", "NO": "Norway"}
# The `holidays` categories that are days off, by country.
_CATEGORIES: dict[str, tuple[str, ...]] = {
    "FI": ("public",),
    "SE": ("public", "de_facto"),
    "NO": ("public",),
}
# Days most workplaces close that the package does not list.
_EXTRA_DAYS_OFF: dict[str, dict[tuple[int, int], dict[str, str]]] = {
    "NO": {
        (12, 24): {"en": "Christmas Eve", "nb": "Julaften"},
        (12, 31): {"en": "New Year's Eve", "nb": "Nyttårsaften"},
    },
}
# The language of holiday names, from the languages the package has for each country.
_HOLIDAY_LANGUAGES: dict[str, dict[str, str]] = {
    "FI": {"fi": "fi", "sv": "sv_FI"},
    "SE": {"sv": "sv"},
    "NO": {"nb": "no"},
}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass
class Slot:
    """One session placed in the calendar."""

    session: Session
    date: dt.date
    start: datetime  # aware, in the cohort's time zone
    end: datetime
    blocks: list[tuple[datetime, datetime, Block]]
    place: str  # where to go: the cohort's place, "Teams", or both; "" if not set
    link: str | None  # the Teams link, for Teams and hybrid sessions (None if not set)
    online: bool  # on Teams only
    delivery: str  # on-site, teams or hybrid
    pinned: bool
    reminder: bool  # a pair meeting the pair books itself: a week, not a clock time
    skipped: list[dt.date] = field(default_factory=list)  # dates passed over to get here

    @property
    def week(self) -> tuple[dt.date, dt.date]:
        """Monday and Friday of the slot's week: where a reminder goes."""
        monday = self.date - timedelta(days=self.date.weekday())
        return monday, monday + timedelta(days=4)


# ---------------------------------------------------------------------------
# Days off


@functools.lru_cache(maxsize=16)
def _holidays(country: str, language: str) -> Any:
    import holidays

    return holidays.country_holidays(country, categories=_CATEGORIES[country], language=language)


def day_off(d: date, country: str, lang: str = "en") -> str | None:
    """The name of the holiday on `d` in `country`, in `lang` where the package has it."""
    extra = _EXTRA_DAYS_OFF.get(country, {}).get((d.month, d.day))
    if extra is not None:
        return extra.get(lang, extra["en"])
    name: str | None = _holidays(country, _HOLIDAY_LANGUAGES[country].get(lang, "en_US")).get(d)
    return name


def is_working_day(d: date, country: str) -> bool:
    return d.weekday() < 5 and day_off(d, country) is None


def next_working_day(d: date, country: str) -> date:
    """The first working day after `d`."""
    d += timedelta(days=1)
    while not is_working_day(d, country):
        d += timedelta(days=1)
    return d


def non_working_reason(d: date, country: str) -> str | None:
    """Why `d` is no day for a session ("a Saturday", "Epiphany, a holiday in Finland")."""
    if d.weekday() >= 5:
        return f"a {_WEEKDAYS[d.weekday()]}"
    name = day_off(d, country)
    if name is not None:
        return f"{name}, a holiday in {COUNTRY_NAMES[country]}"
    return None


def _working_day_problem(what: str, d: date, country: str) -> str | None:
    why = non_working_reason(d, country)
    if why is None:
        return None
    nxt = next_working_day(d, country)
    return (
        f"{what} {numeric_date(d)} is {why}; "
        f"the next working day is {_WEEKDAYS[nxt.weekday()]} {numeric_date(nxt)}"
    )


def in_season(d: date, season: Season | None) -> bool:
    if season is None:
        return True
    if season.start <= season.end:
        return season.start <= d.month <= season.end
    return d.month >= season.start or d.month <= season.end


def _season_text(season: Season) -> str:
    return f"{_MONTHS[season.start - 1]}–{_MONTHS[season.end - 1]}"


def _season_start_after(d: date, season: Season) -> date:
    """The first day of the next season after `d`, a date outside the season."""
    year = d.year if d.month < season.start else d.year + 1
    return date(year, season.start, 1)


def _season_problem(what: str, d: date, season: Season | None, country: str) -> str | None:
    if in_season(d, season):
        return None
    assert season is not None
    start = _season_start_after(d, season)
    if not is_working_day(start, country):
        start = next_working_day(start, country)
    return (
        f"{what} {numeric_date(d)} is outside the programme's season "
        f"({_season_text(season)}); its first working day is "
        f"{_WEEKDAYS[start.weekday()]} {numeric_date(start)}"
    )


def check_first_date(d: date, today: date, country: str, *, season: Season | None = None) -> None:
    """A first date a cohort can start on: not past, a working day, in the season."""
    if d < today:
        raise InputError(
            f"first date {numeric_date(d)} is in the past (today is {numeric_date(today)})"
        )
    problem = _working_day_problem("first date", d, country) or _season_problem(
        "first date", d, season, country
    )
    if problem:
        raise InputError(problem)


# ---------------------------------------------------------------------------
# Dates


def add_months(d: date, months: int) -> date:
    """`d` plus calendar months, the day clamped to the month's end (31.1. + 1 month = 28.2.)."""
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def add_span(d: date, span: Span) -> date:
    """`d` plus the shorter end of `span`; months are calendar months."""
    if span.unit == "months":
        return add_months(d, span.low)
    return d + timedelta(days=span.low * (7 if span.unit == "weeks" else 1))


def nearest_weekday(d: date, weekday: int) -> date:
    """The date with `weekday` nearest to `d` (at most three days away)."""
    delta = (weekday - d.weekday()) % 7
    return d + timedelta(days=delta - 7 if delta > 3 else delta)


def _weekly(span: Span) -> bool:
    return span.unit != "days" or span.low >= 7


@dataclass
class Rhythm:
    """Where the sessions would fall with no holidays: the gaps added up from an anchor.

    Counting from the anchor, not from the previous session's rounded date, keeps monthly
    sessions in the same part of the month (19.1., 16.2., 16.3., 20.4.) instead of
    drifting a few days each time; months from the anchor keep a 31st from turning
    into a 28th for good.
    """

    anchor: date
    weekday: int
    months: int = 0
    days: int = 0

    def advance(self, gap: Span) -> date:
        if gap.unit == "months":
            self.months += gap.low
        else:
            self.days += gap.low * (7 if gap.unit == "weeks" else 1)
        return add_months(self.anchor, self.months) + timedelta(days=self.days)

    def restart(self, anchor: date, weekday: int | None = None) -> None:
        self.anchor, self.months, self.days = anchor, 0, 0
        if weekday is not None:
            self.weekday = weekday


def next_date(
    previous: date, rhythm: Rhythm, gap: Span, country: str, season: Season | None
) -> tuple[date, list[date]]:
    """The date of the session `gap` after the previous one, and the dates passed over.

    A weekend or holiday moves only this session; a summer break restarts the rhythm
    at the new date, so the sessions after it keep their spacing.
    """
    weekly = _weekly(gap)
    if not weekly:
        # "Two days after" means after the day the previous session really was.
        rhythm.restart(previous)
    nominal = rhythm.advance(gap)
    d = nearest_weekday(nominal, rhythm.weekday) if weekly else nominal
    if d <= previous:
        # The previous session was moved past holidays onto this one's date: carry on from it.
        rhythm.restart(previous)
        nominal = rhythm.advance(gap)
        d = nearest_weekday(nominal, rhythm.weekday) if weekly else nominal
    step = timedelta(days=7 if weekly else 1)
    skipped: list[date] = []
    while True:
        if not in_season(d, season):
            assert season is not None
            skipped.append(d)
            d = _season_start_after(d, season)
            if weekly:
                d += timedelta(days=(rhythm.weekday - d.weekday()) % 7)
            rhythm.restart(d)
        elif not is_working_day(d, country):
            skipped.append(d)
            d += step
        else:
            return d, skipped


def _label(session: Session) -> str:
    """How to name a session to the facilitator (a valid key for `pinned`)."""
    return session.ref if session.spec.kind == "module" else session.id


def _pins(cohort: Cohort, sessions: list[Session]) -> dict[int, tuple[str, date]]:
    pins: dict[int, tuple[str, date]] = {}
    for key, pinned in cohort.settings.pinned.items():
        for i, session in enumerate(sessions):
            if key in (session.id, session.ref):
                pins[i] = (key, pinned)
                break
        # A key naming no session is reported when cohort.yaml is loaded.
    return pins


def dates(cohort: Cohort) -> list[tuple[Session, date, bool, list[date]]]:
    """Each session with its date, whether it is pinned, and the dates passed over."""
    settings = cohort.settings
    rule = cohort.programme.schedule
    country = settings.country
    sessions = cohort.sessions()
    pins = _pins(cohort, sessions)
    out: list[tuple[Session, date, bool, list[date]]] = []
    rhythm = Rhythm(settings.first_date, settings.first_date.weekday())
    for i, session in enumerate(sessions):
        pin = pins.get(i)
        skipped: list[date] = []
        if pin is not None:
            key, d = pin
            if out and d <= out[-1][1]:
                before, when = out[-1][0], out[-1][1]
                raise InputError(
                    f"cohort.yaml: pinned {key} on {numeric_date(d)} comes "
                    f"{'on the same day as' if d == when else 'before'} "
                    f"{_label(before)} on {numeric_date(when)}; "
                    f"pin it later or pin {_label(before)} too"
                )
            if problem := _working_day_problem(f"cohort.yaml: pinned {key} on", d, country):
                raise InputError(problem)
            rhythm.restart(d, d.weekday())
        elif not out:
            d = settings.first_date
            problem = _working_day_problem(
                "cohort.yaml: first_date", d, country
            ) or _season_problem("cohort.yaml: first_date", d, rule.season, country)
            if problem:
                raise InputError(problem)
        else:
            gap = session.spec.gap or rule.interval
            d, skipped = next_date(out[-1][1], rhythm, gap, country, rule.season)
        out.append((session, d, pin is not None, skipped))
    return out


# ---------------------------------------------------------------------------
# Slots


def delivery_of(cohort: Cohort, session: Session) -> str:
    """How a session runs: Teams if the cohort or the session says Teams only; on site if the
    session says on site only; hybrid if the cohort or the session says so; else on site."""
    spec_delivery = session.spec.delivery or []
    if cohort.settings.delivery == "teams" or spec_delivery == ["teams"]:
        return "teams"
    if spec_delivery == ["on-site"]:
        return "on-site"
    if cohort.settings.delivery == "hybrid" or spec_delivery == ["hybrid"]:
        return "hybrid"
    return "on-site"


def _where(cohort: Cohort, delivery: str, session: Session) -> tuple[str, str | None]:
    """The place text and the Teams link of a session delivered so; a session the
    programme holds somewhere of its own (a kick-off at a conference venue) is there."""
    own = session.spec.place
    place = cohort.text(own) if own is not None else cohort.settings.place or ""
    link = cohort.settings.teams_link
    if delivery == "teams":
        return "Teams", link
    if delivery == "hybrid":
        return (f"{place} + Teams" if place else "Teams"), link
    return place, None


def agenda_changes(cohort: Cohort, sessions: list[Session]) -> dict[str, AgendaChange]:
    """The cohort's agenda changes (cohort.yaml `agenda:`) by session id."""
    from .programme import find_session

    changes: dict[str, AgendaChange] = {}
    for key, change in cohort.settings.agenda.items():
        session = find_session(sessions, key)
        if session is not None:  # a key naming no session is reported when loading
            changes[session.id] = change
    return changes


def compute(cohort: Cohort) -> list[Slot]:
    """Every session of the cohort with its date, clock times and place.

    A session's agenda change in cohort.yaml gives it its own start time and block
    lengths; the blocks of a slot carry the minutes the cohort runs them for."""
    zone = ZoneInfo(cohort.settings.timezone)
    start_time = cohort.start_time()
    sessions = cohort.sessions()
    changes = agenda_changes(cohort, sessions)
    slots: list[Slot] = []
    for session, d, pinned, skipped in dates(cohort):
        change = changes.get(session.id)
        start = datetime.combine(d, (change and change.start_time) or start_time, tzinfo=zone)
        blocks: list[tuple[datetime, datetime, Block]] = []
        at = start
        for number, block in enumerate(session.spec.agenda, start=1):
            minutes = change.minutes.get(number, block.minutes) if change else block.minutes
            if minutes != block.minutes:
                block = block.model_copy(update={"minutes": minutes})
            end = at + timedelta(minutes=minutes)
            blocks.append((at, end, block))
            at = end
        delivery = delivery_of(cohort, session)
        place, link = _where(cohort, delivery, session)
        slots.append(
            Slot(
                session=session,
                date=d,
                start=start,
                end=at if blocks else start + timedelta(minutes=session.minutes()),
                blocks=blocks,
                place=place,
                link=link,
                online=delivery == "teams",
                delivery=delivery,
                pinned=pinned,
                reminder=session.spec.kind == "pair-meeting",
                skipped=skipped,
            )
        )
    return slots


# ---------------------------------------------------------------------------
# Presenting


@dataclass(frozen=True)
class Row:
    """One line of the schedule table, every cell text in the chosen language."""

    id: str
    session: str
    date: str
    time: str
    place: str
    pinned: bool
    note: str


def _skip_reason(d: date, cohort: Cohort, lang: str) -> str:
    if not in_season(d, cohort.programme.schedule.season):
        return t(lang, "schedule.summer_break" if d.month in (6, 7, 8) else "schedule.break")
    if d.weekday() >= 5:
        return t(lang, "schedule.weekend")
    return day_off(d, cohort.settings.country, lang) or ""


def rows(cohort: Cohort, slots: list[Slot], lang: str) -> list[Row]:
    """The schedule table's rows: session, weekday and date, time, place."""
    from .formatting import date_range, time_range

    out = []
    for slot in slots:
        if slot.reminder:
            monday, friday = slot.week
            when = t(lang, "schedule.week", n=monday.isocalendar().week)
            day = f"{when}: {date_range(monday, friday, lang, cohort.settings.country)}"
            clock = t(lang, "schedule.pair_books")
            place = ""
        else:
            day = weekday_date(slot.date, lang, cohort.settings.country)
            clock = time_range(slot.start.time(), slot.end.time(), lang, cohort.settings.country)
            place = slot.place or t(lang, "schedule.no_place")
            if slot.link is None and slot.delivery != "on-site":
                place += f" ({t(lang, 'schedule.no_link')})"
        reasons = list(dict.fromkeys(_skip_reason(d, cohort, lang) for d in slot.skipped))
        note = t(lang, "schedule.moved", reasons=", ".join(reasons)) if reasons else ""
        out.append(
            Row(
                id=_label(slot.session),
                session=slot.session.title(cohort.programme, lang),
                date=day,
                time=clock,
                place=place,
                pinned=slot.pinned,
                note=note,
            )
        )
    return out


def _description(cohort: Cohort, slot: Slot, lang: str, pair: Pair | None = None) -> str:
    from .formatting import time_range

    programme = cohort.programme
    spec = slot.session.spec
    parts: list[str] = []
    if slot.reminder and pair is not None:
        parts.append(t(lang, "applications.ics.suggestion", pair=_pair_names(pair, lang)))
    elif slot.reminder:
        parts.append(t(lang, "schedule.reminder_text"))
    if spec.goals:
        parts.append(
            "\n".join(
                [f"{t(lang, 'label.goals')}:"]
                + [f"- {programme.text(g, lang)}" for g in spec.goals]
            )
        )
    if spec.agenda:
        lines = [f"{t(lang, 'label.agenda')}:"]
        for start, end, block in slot.blocks:
            title = programme.text(block.title, lang)
            if slot.reminder:
                lines.append(f"{block.minutes} {t(lang, 'unit.minutes')}  {title}")
            else:
                lines.append(
                    f"{time_range(start.time(), end.time(), lang, cohort.settings.country)}  {title}"
                )
        parts.append("\n".join(lines))
    if slot.link and not slot.reminder:
        parts.append(t(lang, "schedule.join", link=slot.link))
    return "\n\n".join(parts)


def _uid(cohort: Cohort, slot: Slot, pair: Pair | None = None) -> str:
    """The event's UID: a common session has the same one in every calendar (imported
    twice, it is one event); a pair's meeting has the pair in it."""
    cohort_id = re.sub(r"[^A-Za-z0-9._-]+", "-", cohort.settings.id).strip("-") or "cohort"
    if pair is not None and slot.reminder:
        from .documents import slug

        return f"{cohort_id}.{slot.session.id}.{slug(pair.adept)}.{slug(pair.mentor)}@facilitate"
    return f"{cohort_id}.{slot.session.id}@facilitate"


def _pair_names(pair: Pair, lang: str) -> str:
    return t(lang, "applications.pair", adept=pair.adept, mentor=pair.mentor)


def to_ics(
    cohort: Cohort,
    slots: list[Slot],
    lang: str | None = None,
    stamp: datetime | None = None,
    pair: Pair | None = None,
) -> bytes:
    """The schedule as an RFC 5545 calendar: one event per session, with its time zone.

    For a `pair`, its pair meetings are named for the two and say that the week is a
    suggestion to agree on; the common sessions stay as they are for everyone."""
    import icalendar

    from . import __version__

    lang = lang or cohort.lang
    programme = cohort.programme
    title = programme.text(programme.title, lang)
    stamp = stamp or datetime.now(UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//facilitate//facilitate {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = cohort.settings.name or cohort.settings.organisation
    if pair is not None:
        name = _pair_names(pair, lang)
    cal.add("x-wr-calname", f"{title} – {name}")
    cal.add("x-wr-timezone", cohort.settings.timezone)
    for slot in slots:
        event = icalendar.Event()
        event.add("uid", _uid(cohort, slot, pair))
        event.add("dtstamp", stamp)
        session_title = slot.session.title(programme, lang)
        if slot.reminder:
            monday, friday = slot.week
            if pair is not None:
                event.add("summary", f"{title}: {session_title} – {_pair_names(pair, lang)}")
            else:
                reminder = t(lang, "schedule.reminder", title=session_title)
                event.add("summary", f"{title}: {reminder}")
            event.add("dtstart", monday)
            event.add("dtend", friday + timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        else:
            event.add("summary", f"{title}: {session_title}")
            event.add("dtstart", slot.start)
            event.add("dtend", slot.end)
            location = slot.link if slot.online and slot.link else slot.place
            if location:
                event.add("location", location)
            if slot.link:
                event.add("url", slot.link)
        description = _description(cohort, slot, lang, pair)
        if description:
            event.add("description", description)
        cal.add_component(event)
    if slots:
        # Transitions a year either side of the cohort's dates are plenty, and keep the file small.
        cal.add_missing_timezones(
            slots[0].date - timedelta(days=366), slots[-1].date + timedelta(days=366)
        )
    return bytes(cal.to_ical())


# Where `schedule --pairs` writes, in the cohort folder.
PAIR_CALENDARS = Path("out") / "calendars"


def pair_calendars(
    cohort: Cohort, folder: Path, lang: str | None = None, stamp: datetime | None = None
) -> list[tuple[Path, bytes]]:
    """A calendar per pair of the last `facilitate match` into `folder`: the common
    sessions, and the pair's meetings as suggested weeks. InputError before a match."""
    from .documents import file_names
    from .matching import stored_pairs

    lang = lang or cohort.lang
    pairs = stored_pairs(cohort, "the pair calendars are", "a calendar")
    slots = compute(cohort)
    stamp = stamp or datetime.now(UTC)
    stem = t(lang, "applications.file.calendar")
    names = [f"{pair.adept} {pair.mentor}" for pair in pairs]
    files = file_names(stem, names, ".ics")
    return [
        (folder / file, to_ics(cohort, slots, lang, stamp, pair))
        for pair, file in zip(pairs, files, strict=True)
    ]
