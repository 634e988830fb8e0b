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

from .cohort import COHORT_FILE, STATE_DIR, Cohort, Settings
from .errors import RefusedError
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
