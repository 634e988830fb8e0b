"""A cohort: one run of a programme for one organisation, kept in a folder.

The folder holds `cohort.yaml` (the settings below), the participant list, `out/`
for generated documents, `responses/` for filled sheets and `.facilitate/` for state
the tool keeps. Commands find the cohort like git finds a repository.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationError

from .errors import CohortFileError, NoCohortError, Problem, ProgrammeError, UnknownProgrammeError
from .programme import (
    BlockMinutes,
    ClockTime,
    Delivery,
    Lang,
    Model,
    Programme,
    _fail,
    describe,
)

COHORT_FILE = "cohort.yaml"
STATE_DIR = ".facilitate"
PARTICIPANT_FILES = ("participants.xlsx", "participants.csv")
Country = Literal["FI", "SE", "NO"]
TIMEZONES: dict[str, str] = {"FI": "Europe/Helsinki", "SE": "Europe/Stockholm", "NO": "Europe/Oslo"}
DEFAULT_COUNTRY: dict[str, str] = {"fi": "FI", "sv": "FI", "nb": "NO", "en": "FI"}


def parse_date(value: Any) -> date:
    """A date as 2027-01-19 (ISO) or 19.1.2027 (as Finns, Swedes and Norwegians write)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
        if m := re.match(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$", text):
            try:
                return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                pass
    raise _fail(f"must be a date such as 2027-01-19 or 19.1.2027, got {describe(value)}")


DateValue = Annotated[date, BeforeValidator(parse_date)]


def _parse_count_value(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise _fail(f"must be a whole number of sessions, got {describe(value)}")


def _parse_block_number(value: Any) -> int:
    """An agenda block as numbered on screen (1, 2, ...); YAML keys reach us as text."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise _fail(f"must be the number of an agenda block (1 for the first), got {describe(value)}")


class AgendaChange(Model):
    """How this cohort runs one session: its own start time, and blocks of other lengths.

    Written by `facilitate prepare`; the programme file is never changed."""

    start_time: ClockTime | None = None
    # Minutes per agenda block, keyed by the block's number as shown (from 1).
    minutes: dict[Annotated[int, BeforeValidator(_parse_block_number)], BlockMinutes] = {}

    def is_empty(self) -> bool:
        return self.start_time is None and not self.minutes


class PairNames(Model):
    """An adept and a mentor by name, as in the participant list."""

    adept: str = Field(min_length=1)
    mentor: str = Field(min_length=1)


class MatchingSettings(Model):
    """The coordinator's say in `facilitate match`: weights, pinned and forbidden pairs."""

    weights: dict[
        Literal["themes", "format", "location", "experience_gap"], Annotated[float, Field(ge=0)]
    ] = {}
    pin: list[PairNames] = []
    forbid: list[PairNames] = []


class Settings(Model):
    """The contents of cohort.yaml."""

    id: str
    programme: str
    organisation: str
    name: str | None = None
    language: Lang
    country: Country = "FI"
    facilitators: list[str] = []
    coordinator: str | None = None
    delivery: Delivery
    place: str | None = None
    teams_link: str | None = None
    first_date: DateValue
    start_time: ClockTime | None = None
    session_counts: dict[str, Annotated[int, BeforeValidator(_parse_count_value)]] = {}
    pinned: dict[str, DateValue] = {}
    # Agenda changes per session id (start time, block minutes), made with `prepare`.
    agenda: dict[str, AgendaChange] = {}
    templates: str | None = None
    anonymity_threshold: int = Field(default=3, ge=1)
    # Mentoring programmes only.
    matching: MatchingSettings | None = None

    @property
    def timezone(self) -> str:
        return TIMEZONES[self.country]


@dataclass(frozen=True)
class Cohort:
    """A loaded cohort: where it lives, its settings and its programme."""

    folder: Path
    settings: Settings
    programme: Programme
    programme_path: Path

    @property
    def out(self) -> Path:
        return self.folder / "out"

    @property
    def responses(self) -> Path:
        return self.folder / "responses"

    @property
    def state(self) -> Path:
        return self.folder / STATE_DIR

    @property
    def lang(self) -> str:
        return self.settings.language

    def participants_file(self) -> Path | None:
        for name in PARTICIPANT_FILES:
            if (self.folder / name).is_file():
                return self.folder / name
        return None

    def sessions(self) -> list[Any]:
        return self.programme.sessions_for(self.settings.session_counts)

    def start_time(self) -> time:
        return self.settings.start_time or self.programme.schedule.start_time

    def text(self, value: Any) -> str:
        return self.programme.text(value, self.lang)


def find_folder(explicit: Path | None = None, start: Path | None = None) -> Path:
    """The cohort folder: `explicit`, else `start` (the current folder) or its nearest parent."""
    if explicit is not None:
        if (explicit / COHORT_FILE).is_file():
            return explicit
        if explicit.name == COHORT_FILE and explicit.is_file():
            return explicit.parent
        raise NoCohortError(f"{explicit} is not a cohort folder: it has no {COHORT_FILE}")
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / COHORT_FILE).is_file():
            return folder
    raise NoCohortError(
        f"no cohort here: {here} has no {COHORT_FILE}, nor has any folder above it; "
        "run the command inside a cohort folder, pass --cohort DIR, "
        "or make one with `facilitate init PROGRAMME DIR`"
    )


def load(
    explicit: Path | None = None, programmes_dir: Path | None = None, start: Path | None = None
) -> Cohort:
    """Find and load the cohort and its programme; every problem in cohort.yaml at once."""
    from .loader import _problems
    from .yamlfile import format_path, read_yaml

    folder = find_folder(explicit, start)
    path = folder / COHORT_FILE
    try:
        doc = read_yaml(path)
        doc.mapping("must be a mapping of settings (programme:, organisation: ...)")
    except ProgrammeError as exc:
        raise CohortFileError(exc.problems) from None
    problems: list[Problem] = []
    settings: Settings | None = None
    try:
        settings = Settings.model_validate(doc.data)
    except ValidationError as exc:
        problems += _problems(exc, doc, Settings)
    found: tuple[Path, Programme] | None = None
    name = doc.data.get("programme")
    if isinstance(name, str):
        try:
            found = find_programme(name, folder, programmes_dir)
        except UnknownProgrammeError as exc:
            problems.append(
                Problem(doc.file, doc.line_of(("programme",)), "programme", exc.message)
            )
    if settings is not None and found is not None:
        problems += [
            Problem(doc.file, doc.line_of(where), format_path(where), message)
            for where, message in check_settings(settings, found[1])
        ]
    if problems or settings is None or found is None:
        raise CohortFileError(problems)
    return Cohort(folder, settings, found[1], found[0])


def find_programme(name: str, folder: Path, programmes_dir: Path | None) -> tuple[Path, Programme]:
    """The cohort's programme: a file beside cohort.yaml, or an id in the library."""
    from . import library

    local = folder / name
    if name.endswith((".yaml", ".yml")) and local.is_file():
        return local, library.load(local, programmes_dir)
    return library.find(name, programmes_dir)


def check_settings(settings: Settings, programme: Programme) -> list[tuple[tuple[str, ...], str]]:
    """Settings that only make sense for some programmes: session counts, pins, agendas."""
    from .programme import did_you_mean, find_session

    problems: list[tuple[tuple[str, ...], str]] = []
    specs = {spec.id: spec for spec in programme.sessions}
    repeated = [s.id for s in programme.sessions if s.count is not None]
    for sid, count in settings.session_counts.items():
        spec = specs.get(sid)
        if spec is None or spec.count is None:
            problems.append(
                (
                    ("session_counts", sid),
                    f"'{sid}' is not a repeated session of {programme.id}{did_you_mean(sid, repeated)}; "
                    f"repeated sessions: {', '.join(repeated) or 'none'}",
                )
            )
        elif not spec.count.contains(count):
            problems.append(
                (("session_counts", sid), f"the programme has {spec.count} of these, got {count}")
            )
    sessions = programme.sessions_for(settings.session_counts)
    names = [s.id for s in sessions]
    for sid in settings.pinned:
        if not any(sid in (s.id, s.ref) for s in sessions):
            problems.append(
                (
                    ("pinned", sid),
                    f"no session '{sid}'{did_you_mean(sid, names)}; sessions: {', '.join(names)}",
                )
            )
    if settings.matching is not None and programme.matching is None:
        problems.append(
            (("matching",), f"{programme.id} does not pair mentors and adepts; remove 'matching:'")
        )
    default_start = settings.start_time or programme.schedule.start_time
    seen: dict[str, str] = {}
    for sid, change in settings.agenda.items():
        problems += _check_agenda_change(sid, change, sessions, default_start)
        session = find_session(sessions, sid)
        if session is not None and session.id in seen:
            problems.append(
                (("agenda", sid), f"{session.id} is given twice (also as '{seen[session.id]}')")
            )
        elif session is not None:
            seen[session.id] = sid
    return problems


def _check_agenda_change(
    sid: str, change: AgendaChange, sessions: list[Any], default_start: time
) -> list[tuple[tuple[str, ...], str]]:
    """The session exists, the blocks exist, and the session still ends the same day."""
    from .programme import did_you_mean, find_session

    session = find_session(sessions, sid)
    if session is None:
        names = [s.id for s in sessions]
        return [
            (
                ("agenda", sid),
                f"no session '{sid}'{did_you_mean(sid, names)}; sessions: {', '.join(names)}",
            )
        ]
    blocks = session.spec.agenda
    problems: list[tuple[tuple[str, ...], str]] = []
    for number in change.minutes:
        if number > len(blocks):
            has = f"blocks 1–{len(blocks)}" if len(blocks) > 1 else f"{len(blocks)} block"
            problems.append(
                (
                    ("agenda", sid, "minutes", str(number)),
                    f"{session.id} has no agenda block {number}; it has "
                    + (has if blocks else "no agenda blocks"),
                )
            )
    if problems or not blocks:
        return problems
    start = change.start_time or default_start
    total = sum(change.minutes.get(n, b.minutes) for n, b in enumerate(blocks, start=1))
    if start.hour * 60 + start.minute + total > 24 * 60:
        problems.append(
            (
                ("agenda", sid),
                f"{session.id} would run past midnight: {total} minutes from "
                f"{start.isoformat()[:5]}; start earlier or shorten a block",
            )
        )
    return problems


def default_country(programme: Programme, language: str) -> str:
    """Whose holidays to skip when not told: a programme written in Finnish is run in
    Finland (in Swedish too, for the Navigatorer); one in Swedish only, in Sweden."""
    if "fi" in programme.languages:
        return "FI"
    if "sv" in programme.languages:
        return "SE"
    if "nb" in programme.languages:
        return "NO"
    return DEFAULT_COUNTRY[language]


def settings_yaml(settings: Settings) -> str:
    """cohort.yaml as a facilitator would like to read and edit it, with comments."""

    def scalar(value: Any) -> str:
        if isinstance(value, (date, time)):
            return value.isoformat()[:5] if isinstance(value, time) else value.isoformat()
        if isinstance(value, bool) or value is None:
            return {True: "true", False: "false", None: "null"}[value]
        if isinstance(value, int):
            return str(value)
        # A JSON string is a valid YAML 1.2 double-quoted scalar.
        return json.dumps(str(value), ensure_ascii=False)

    s = settings
    lines = [
        "# A cohort of facilitate: one run of a programme for one organisation.",
        "# Edit freely; `facilitate status` checks this file. Dates as 2027-01-19.",
        f"id: {scalar(s.id)}",
        f"programme: {scalar(s.programme)}",
        f"organisation: {scalar(s.organisation)}",
    ]
    if s.name:
        lines.append(f"name: {scalar(s.name)}")
    lines += [
        f"language: {s.language}            # fi, sv, nb or en",
        f"country: {s.country}              # public holidays of FI, SE or NO are skipped",
        "facilitators:" + ("" if s.facilitators else " []"),
        *[f"  - {scalar(f)}" for f in s.facilitators],
        f"coordinator: {scalar(s.coordinator)}",
        f"delivery: {s.delivery}      # on-site, teams or hybrid",
        f"place: {scalar(s.place)}",
        f"teams_link: {scalar(s.teams_link)}",
        f"first_date: {scalar(s.first_date)}",
        f"start_time: {scalar(s.start_time) if s.start_time else 'null'}     # null: the programme's usual start",
        "# How many times each repeated session runs (within the programme's range).",
        "session_counts:" + ("" if s.session_counts else " {}"),
        *[f"  {k}: {v}" for k, v in s.session_counts.items()],
        "# Fix a session's date; the sessions after it keep their spacing. E.g.  module-3: 2027-04-06",
        "pinned:" + ("" if s.pinned else " {}"),
        *[f"  {k}: {v.isoformat()}" for k, v in s.pinned.items()],
        "# Agenda changes per session, made with `facilitate prepare` (the programme is not",
        "# changed): a start time of its own, and minutes per agenda block numbered as",
        '# `facilitate prepare` shows them. E.g.  module-3: {start_time: "12:30", minutes: {2: 50}}',
        "agenda:" + ("" if s.agenda else " {}"),
        *_agenda_lines(s.agenda, scalar),
        "# A folder of your organisation's own Word templates (logos, fonts), or null.",
        f"templates: {scalar(s.templates)}",
        "# Results are not broken down for groups smaller than this.",
        f"anonymity_threshold: {s.anonymity_threshold}",
    ]
    if s.matching is not None:
        lines += _matching_lines(s.matching, scalar)
    return "\n".join(lines) + "\n"


def _matching_lines(matching: MatchingSettings, scalar: Any) -> list[str]:
    """The coordinator's matching settings, with how to use them."""

    def pairs(key: str, items: list[PairNames]) -> list[str]:
        return [f"  {key}:" + ("" if items else " []")] + [
            f"    - {{adept: {scalar(p.adept)}, mentor: {scalar(p.mentor)}}}" for p in items
        ]

    weights = ", ".join(f"{k}: {v:g}" for k, v in matching.weights.items())
    return [
        "# `facilitate match`: weights override the programme's (themes, format, location,",
        "# experience_gap); pin keeps a pair as it is, forbid keeps two people apart.",
        "matching:",
        f"  weights: {{{weights}}}",
        *pairs("pin", matching.pin),
        *pairs("forbid", matching.forbid),
    ]


def _agenda_lines(agenda: dict[str, AgendaChange], scalar: Any) -> list[str]:
    lines: list[str] = []
    for sid, change in agenda.items():
        lines.append(f"  {sid}:")
        if change.start_time is not None:
            lines.append(f"    start_time: {scalar(change.start_time)}")
        lines.append("    minutes:" + ("" if change.minutes else " {}"))
        lines += [f"      {n}: {m}" for n, m in sorted(change.minutes.items())]
    return lines
