"""`facilitate demo`: a complete made-up cohort, so a new user sees every document.

Ohjaamo Järvenranta is invented; so are its twelve staff. The cohort runs
"Osaava ja oppiva Ohjaamo" in Finnish, starting on the first Tuesday three weeks
from today that is a working day.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

from .cohort import COHORT_FILE, STATE_DIR, Cohort, Settings
from .documents import slug
from .errors import InputError, RefusedError
from .i18n import t

DEMO_PROGRAMME = "osaava-ja-oppiva-ohjaamo"
DEMO_ID_PREFIX = "demo-"
# What the demo makes in its folder, and all that --force removes.
DEMO_FILES = (COHORT_FILE, "participants.xlsx", "participants.csv", "out", "responses", STATE_DIR)

# name, email, parent organisation, role
STAFF: tuple[tuple[str, str, str, str], ...] = (
    (
        "Sari Läänelä",
        "sari.laanela@jarvenranta.example",
        "Järvenrannan kaupunki, nuorisopalvelut",
        "coordinator",
    ),
    (
        "Mikko Hämäläinen",
        "mikko.hamalainen@jarvenranta.example",
        "Järvenrannan kaupunki, nuorisopalvelut",
        "member",
    ),
    ("Päivi Ahonen", "paivi.ahonen@te.example", "TE-palvelut", "member"),
    ("Jussi Kärkkäinen", "jussi.karkkainen@te.example", "TE-palvelut", "member"),
    ("Åsa Lindqvist", "asa.lindqvist@kela.example", "Kela", "member"),
    (
        "Noora O'Connor",
        "noora.oconnor@jarvenranta.example",
        "Järvenrannan kaupunki, sosiaalipalvelut",
        "member",
    ),
    (
        "Tuomas Yli-Öljä",
        "tuomas.yli-olja@jarvenranta.example",
        "Järvenrannan kaupunki, sosiaalipalvelut",
        "member",
    ),
    (
        "Leena Mäkelä",
        "leena.makela@hyvinvointialue.example",
        "Hyvinvointialue, psykiatrinen sairaanhoito",
        "member",
    ),
    ("Aleksi Räsänen", "aleksi.rasanen@jarvenranta.example", "Etsivä nuorisotyö", "member"),
    ("Henna Väänänen", "henna.vaananen@oppilaitos.example", "Järvenrannan ammattiopisto", "member"),
    ("Riikka Söderholm", "riikka.soderholm@jarvenranta.example", "Työllisyyspalvelut", "member"),
    ("Emil Björkqvist", "emil.bjorkqvist@jarvenranta.example", "Työllisyyspalvelut", "member"),
)


# Sessions each attended, as a coordinator fills them in after the programme: the
# coordinator also has the four sparrings; Aleksi missed half and gets no certificate.
ATTENDED = (10, 6, 6, 5, 6, 5, 6, 6, 3, 6, 5, 6)


@dataclass(frozen=True)
class Made:
    path: Path
    what: str


def first_working_tuesday(after: date, country: str) -> date:
    from .schedule import non_working_reason

    day = after + timedelta(days=(1 - after.weekday()) % 7)
    while non_working_reason(day, country) is not None:
        day += timedelta(days=7)
    return day


def build(
    folder: Path, today: date, force: bool = False, programmes_dir: Path | None = None
) -> list[Made]:
    """Make the demo cohort in `folder`; return what was made, in order."""
    from . import library
    from .cohort import load
    from .init import create
    from .output import write_atomic
    from .participants import Participant, write_template
    from .schedule import compute, to_ics

    _clear(folder, force)
    programme_path, programme = library.find(DEMO_PROGRAMME, programmes_dir)
    first = first_working_tuesday(today + timedelta(days=21), "FI")
    season = "kevät" if first.month <= 6 else "syksy"
    settings = Settings(
        id=f"{DEMO_ID_PREFIX}ohjaamo-jarvenranta",
        programme=DEMO_PROGRAMME,
        organisation="Ohjaamo Järvenranta",
        name=f"Ohjaamo Järvenranta, {season} {first.year}",
        language="fi",
        country="FI",
        facilitators=["Anna Virtanen", "Kalle Nieminen"],
        coordinator="Sari Läänelä",
        delivery="on-site",
        place="Ohjaamo Järvenranta, Rantakatu 4, 2. kerros",
        teams_link="https://teams.microsoft.com/l/meetup-join/demo-ohjaamo-jarvenranta",
        first_date=first,
        start_time=time(9, 0),
    )
    create(folder, settings, programme, programme_path)
    made = [
        Made(folder / COHORT_FILE, "cohort settings"),
        Made(folder / "out", "generated documents"),
        Made(folder / "responses", "filled sheets go here"),
    ]
    people = [
        Participant(
            name=name,
            email=email,
            organisation=org,
            role=role,
            fields={"attended": attended},
            row=i + 2,
        )
        for i, ((name, email, org, role), attended) in enumerate(zip(STAFF, ATTENDED, strict=True))
    ]
    write_template(folder / "participants.xlsx", programme, "fi", settings.organisation, people)
    made.append(Made(folder / "participants.xlsx", f"participant list, {len(people)} people"))
    cohort = load(folder, programmes_dir)
    slots = compute(cohort)
    ics = folder / "out" / "aikataulu.ics"
    write_atomic(ics, to_ics(cohort, slots))
    made.append(Made(ics, f"calendar of {len(slots)} sessions"))
    made += _documents(cohort, today)
    made += _meter_round_trip(cohort, today)
    return made


def _meter_round_trip(cohort: Cohort, today: date) -> list[Made]:
    """The meter as the pre-assignment and again at module 4, filled in by the made-up
    staff (seeded, a little higher the second time), collected and summed up."""
    import io
    import random

    import openpyxl

    from .answers import META_SHEET, Meta
    from .collect import collect
    from .results import make as results
    from .sheets import choices
    from .sheets import make as sheets

    rng = random.Random(2027)
    questionnaire = next(q for q in cohort.programme.questionnaires if q.kind == "meter")
    labels = choices(questionnaire, cohort.lang)
    made: list[Made] = []
    for round_, lift in ((None, 0.0), ("module-4", 0.7)):
        written = sheets(cohort, "meter", round_).written
        folder = cohort.responses / (round_ or "pre-assignment")
        folder.mkdir(parents=True, exist_ok=True)
        for job in written:
            book = openpyxl.load_workbook(io.BytesIO((cohort.folder / job.path).read_bytes()))
            meta = Meta.from_rows(
                [list(row) for row in book[META_SHEET].iter_rows(values_only=True)]
            )
            for item in meta.fields:
                if item.kind == "scale":
                    score = min(len(labels), max(1, round(rng.gauss(3.1 + lift, 0.9))))
                    book[item.sheet][item.cell] = labels[score - 1]
            book.save(folder / job.path.name)
        made.append(
            Made(
                cohort.folder / job.path.parent,
                f"{len(written)} × meter sheet ({round_ or 'pre-assignment'})",
            )
        )
    collect(cohort, "meter", [cohort.responses], today)
    made.append(Made(cohort.responses, "the filled meter sheets, collected"))
    done = results(cohort, "meter", "module-4", "pre-assignment")
    made += [Made(cohort.folder / path, "meter results, before and after") for path in done.written]
    return made


def _documents(cohort: Cohort, today: date) -> list[Made]:
    """Every Word document of the cohort, summed up per kind for the table."""
    from .handouts import make

    result = make(cohort, today)
    per_kind: dict[str, list[Path]] = {}
    for item in result.written:
        per_kind.setdefault(item.kind, []).append(item.path)
    made = []
    for kind, paths in per_kind.items():
        name = t("en", f"doc.{kind.replace('-', '_')}").lower()
        if len(paths) == 1:
            made.append(Made(cohort.folder / paths[0], name))
        else:
            folders = {p.parent for p in paths}
            # One folder of them (certificates), or one in each session's folder.
            where = next(iter(folders)) if len(folders) == 1 else Path("out") / "*" / paths[0].name
            made.append(Made(cohort.folder / where, f"{len(paths)} × {name}"))
    return made


def _clear(folder: Path, force: bool) -> None:
    """An existing demo is rebuilt with --force; a real cohort is never touched, and
    nothing but what the demo makes is removed."""
    settings = folder / COHORT_FILE
    if not settings.exists():
        return
    is_demo = f'id: "{DEMO_ID_PREFIX}' in settings.read_text(encoding="utf-8", errors="replace")
    if not is_demo:
        raise RefusedError(
            f"{folder} holds a cohort that is not the demo; choose another folder for the demo"
        )
    if not force:
        raise RefusedError(
            f"{folder} already holds the demo cohort; pass --force to build it afresh"
        )
    for name in DEMO_FILES:
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


# ---------------------------------------------------------------------------
# The mentoring demo: `facilitate demo --programme mentorsprogram-vasternorrland`


@dataclass(frozen=True)
class Applicant:
    """A made-up applicant. `seniority` scales the programme's eligibility minimums: 1.5
    is half as much again as the least the rules ask; below 1 is not eligible."""

    name: str
    organisation: int  # index into the network's organisations
    role: str
    seniority: float
    themes: tuple[int, ...]
    format: str
    location: str
    capacity: int | None = None


# Sixteen adepts and fourteen mentors. Lina has 4 months as a manager and Stefan 2 years:
# not eligible. Region Västernorrland holds five of the thirteen eligible mentors, which
# leaves its adepts fewer candidates; thirteen mentors with fourteen places (Anders takes
# two) for fifteen eligible adepts leave one adept without a mentor.
APPLICANTS: tuple[Applicant, ...] = (
    Applicant("Elin Forsberg", 0, "adept", 1.33, (0, 3), "on-site", "Härnösand"),
    Applicant("Jonas Lindgren", 1, "adept", 2.33, (1, 2), "either", "Sundsvall"),
    Applicant("Sara Nordin", 1, "adept", 1.17, (0, 4), "online", "Örnsköldsvik"),
    Applicant("Oskar Sundberg", 2, "adept", 1.83, (2,), "on-site", "Sundsvall"),
    Applicant("Maria Holmberg", 2, "adept", 3.33, (3, 4), "either", "Sundsvall"),
    Applicant("Ahmed Karimi", 3, "adept", 1.5, (1, 3), "on-site", "Härnösand"),
    Applicant("Lina Bergström", 3, "adept", 0.67, (0, 1), "on-site", "Härnösand"),
    Applicant("Johanna Östlund", 4, "adept", 2.67, (2, 3), "online", "Sundsvall"),
    Applicant("Erik Sjöberg", 4, "adept", 1.0, (0,), "either", "Kramfors"),
    Applicant("Frida Westin", 5, "adept", 1.67, (1, 4), "on-site", "Sundsvall"),
    Applicant("Mikael Nyström", 5, "adept", 2.17, (2, 3), "either", "Örnsköldsvik"),
    Applicant("Amanda Engström", 0, "adept", 3.67, (4,), "online", "Kramfors"),
    Applicant("Patrik Hedlund", 1, "adept", 1.5, (1, 3), "on-site", "Sollefteå"),
    Applicant("Emma Lundqvist", 2, "adept", 1.17, (0, 1, 3), "either", "Timrå"),
    Applicant("Daniel Näslund", 4, "adept", 3.0, (2, 4), "on-site", "Härnösand"),
    Applicant("Karin Åberg", 0, "adept", 2.0, (1, 2), "online", "Sundsvall"),
    Applicant("Anders Wikström", 1, "mentor", 5.0, (1, 2, 3), "either", "Sundsvall", 2),
    Applicant("Eva Sandberg", 1, "mentor", 3.0, (0, 4), "on-site", "Härnösand"),
    Applicant("Per Nilsson", 1, "mentor", 4.0, (2, 3), "online", "Örnsköldsvik"),
    Applicant("Helena Marklund", 1, "mentor", 2.33, (0, 1), "either", "Sundsvall"),
    Applicant("Magnus Olsson", 1, "mentor", 6.67, (2, 4), "on-site", "Sollefteå"),
    Applicant("Cecilia Berg", 0, "mentor", 3.33, (3, 4), "either", "Härnösand"),
    Applicant("Tomas Edlund", 0, "mentor", 2.0, (1, 2), "on-site", "Kramfors"),
    Applicant("Ingrid Holm", 2, "mentor", 4.67, (0, 3), "on-site", "Sundsvall"),
    Applicant("Stefan Brandt", 2, "mentor", 0.67, (1, 2), "either", "Sundsvall"),
    Applicant("Annika Strand", 3, "mentor", 2.67, (0, 1, 4), "either", "Härnösand"),
    Applicant("Lars Norberg", 4, "mentor", 3.67, (2, 3), "online", "Sundsvall"),
    Applicant("Marie Persson", 4, "mentor", 1.67, (1, 4), "on-site", "Örnsköldsvik"),
    Applicant("Göran Ek", 5, "mentor", 5.33, (2, 3, 4), "either", "Sundsvall"),
    Applicant("Sofia Dahl", 2, "mentor", 3.0, (0, 1, 3), "online", "Timrå"),
)
# The coordinator's example pin: both in Kramfors, and Tomas offers what Erik asks for.
DEMO_PIN = ("Erik Sjöberg", "Tomas Edlund")


@dataclass(frozen=True)
class Network:
    """Who runs a mentoring demo: the cohort's words, and the six organisations."""

    organisation: str
    name: str  # {years}: "2027/28"
    place: str
    coordinator: str
    organisations: tuple[tuple[str, str], ...]  # name, e-mail domain


VASTERNORRLAND = Network(
    organisation="Myndighetsnätverket Västernorrland",
    name="Myndighetsnätverket Västernorrland, läsåret {years}",
    place="Länsstyrelsen Västernorrland, Härnösand",
    coordinator="Karin Sjölund",
    organisations=(
        ("Länsstyrelsen Västernorrland", "lansstyrelsen.example"),
        ("Region Västernorrland", "region.example"),
        ("Sundsvalls kommun", "sundsvall.example"),
        ("Härnösands kommun", "harnosand.example"),
        ("Försäkringskassan", "forsakringskassan.example"),
        ("Mittuniversitetet", "miun.example"),
    ),
)
NETWORKS = {
    "mentorsprogram-vasternorrland": VASTERNORRLAND,
    "mentorskap-for-medarbetare": Network(
        organisation="Rörlighet i staten",
        name="Rörlighet i staten, mentorskap {years}",
        place="Skatteverket, Sundsvall",
        coordinator="Karin Sjölund",
        organisations=(
            ("Skatteverket", "skatteverket.example"),
            ("Trafikverket", "trafikverket.example"),
            ("Lantmäteriet", "lantmateriet.example"),
            ("Migrationsverket", "migrationsverket.example"),
            ("Försäkringskassan", "forsakringskassan.example"),
            ("Statistiska centralbyrån", "scb.example"),
        ),
    ),
}


def build_mentoring(
    folder: Path,
    today: date,
    programme_id: str,
    force: bool = False,
    programmes_dir: Path | None = None,
) -> list[Made]:
    """A Swedish mentoring cohort of thirty applicants from six organisations, matched:
    matching.xlsx, a letter and a calendar per pair, the pair logs and the documents."""
    from . import library
    from .cohort import MatchingSettings, PairNames, load
    from .init import create
    from .participants import write_template

    _clear(folder, force)
    programme_path, programme = library.find(programme_id, programmes_dir)
    if programme.matching is None:
        raise InputError(
            f"{programme.id} does not pair mentors and adepts; `facilitate demo --programme` "
            "is for mentoring programmes (without --programme the demo is an Ohjaamo cohort)"
        )
    network = NETWORKS.get(programme.id, VASTERNORRLAND)
    first = _season_start(today, programme)
    settings = Settings(
        id=f"{DEMO_ID_PREFIX}{programme.id}",
        programme=programme.id,
        organisation=network.organisation,
        name=network.name.format(years=f"{first.year}/{(first.year + 1) % 100:02d}"),
        language="sv",
        country="SE",
        facilitators=[network.coordinator],
        coordinator=network.coordinator,
        delivery="on-site",
        place=network.place,
        teams_link=f"https://teams.microsoft.com/l/meetup-join/{DEMO_ID_PREFIX}{programme.id}",
        first_date=first,
        start_time=time(9, 0),
        matching=MatchingSettings(pin=[PairNames(adept=DEMO_PIN[0], mentor=DEMO_PIN[1])]),
    )
    create(folder, settings, programme, programme_path)
    people = applicants(programme, network)
    write_template(folder / "participants.xlsx", programme, "sv", settings.organisation, people)
    organisations = len({p.organisation for p in people})
    made = [
        Made(folder / COHORT_FILE, "cohort settings, with an example pin under matching:"),
        Made(
            folder / "participants.xlsx",
            f"the applications: {len(people)} people from {organisations} organisations",
        ),
    ]
    cohort = load(folder, programmes_dir)
    return made + _matching(cohort, today) + _documents(cohort, today)


def _season_start(today: date, programme: Any) -> date:
    """The first working Tuesday of the next season's first month (September) at least
    three weeks away: a mentoring year starts with its season."""
    day = today + timedelta(days=21)
    season = programme.schedule.season
    if season is None or day.month == season.start:
        return first_working_tuesday(day, "SE")
    year = day.year if day.month < season.start else day.year + 1
    return first_working_tuesday(date(year, season.start, 1), "SE")


def applicants(programme: Any, network: Network) -> list[Any]:
    """APPLICANTS as participants of `programme`: each eligibility field their seniority
    times the rule's minimum (months whole, years to the half)."""
    from .participants import Participant

    people = []
    for row, a in enumerate(APPLICANTS, start=2):
        fields = {}
        for rule in programme.eligibility:
            if rule.role == a.role and rule.field and rule.at_least is not None:
                value = rule.at_least * a.seniority
                fields[rule.field] = (
                    float(round(value)) if rule.unit == "months" else round(value * 2) / 2
                )
        organisation, domain = network.organisations[a.organisation]
        email = f"{slug(a.name).replace('-', '.')}@{domain}"
        people.append(
            Participant(
                name=a.name,
                email=email,
                organisation=organisation,
                role=a.role,
                fields=fields,
                row=row,
                themes=a.themes,
                format=a.format,
                location=a.location,
                capacity=a.capacity,
            )
        )
    return people


def _matching(cohort: Cohort, today: date) -> list[Made]:
    """`facilitate match`, `schedule --pairs` and `sheets pair-log` as a coordinator runs them."""
    from .generated import GeneratedFiles
    from .pairs import make
    from .schedule import PAIR_CALENDARS, pair_calendars
    from .sheets import make as sheets

    done = make(cohort, today)
    result = done.result
    made = [
        Made(
            cohort.folder / done.folder / "matching.xlsx",
            f"{len(result.pairs)} pairs, {len(result.unmatched)} left over, "
            f"{len(result.ineligible)} not eligible",
        ),
        Made(cohort.folder / done.folder, f"{len(result.pairs)} × introduction letter"),
    ]
    calendars = pair_calendars(cohort, PAIR_CALENDARS)
    GeneratedFiles(cohort.folder).write_many(calendars)
    made.append(Made(cohort.folder / PAIR_CALENDARS, f"{len(calendars)} × pair calendar"))
    logs = sheets(cohort, "pair-log").written
    if logs:
        made.append(Made(cohort.folder / logs[0].path.parent, f"{len(logs)} × pair meeting log"))
    return made
