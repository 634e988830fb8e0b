"""What each Word document says: the data every template is given, in the document's language.

`plan` decides which documents a run writes and builds their contexts (plain dicts, the
variables listed in docs/template-variables.md); `docgen` renders them. A programme text
missing in the document's language falls back to the programme's first language, and
the field is named in the plan's warnings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .cohort import Cohort
from .docgen import KINDS
from .i18n import t
from .programme import Block, Programme, Session, Text

SESSION_KINDS = ("handout", "runsheet", "task-sheet")
# The kinds `plan` makes (`facilitate handouts`); the letters are made by `facilitate match`.
PLANNED_KINDS = tuple(kind for kind in KINDS if kind != "letter")
# The labels every template may use as L.<name>; each is "doc.<name>" in the catalogues.
LABELS = (
    "agenda", "time", "minutes", "goals", "place", "date", "tasks", "due", "resources",
    "method", "materials", "notes", "checklist", "next_session", "handout", "runsheet",
    "task_sheet", "overview", "diary", "pair_guide", "certificate", "suits", "contents",
    "schedule", "roles", "cost", "themes", "duration", "delivery", "pre_assignment",
    "facilitators", "coordinator", "session", "your_answer", "suggested", "meeting_structure",
    "meeting_dates", "joint_sessions", "reading", "certificate_text", "attended", "signature",
    "participant", "organisation", "diary_intro", "page_of", "letter", "why_paired",
    "meeting_plan", "before_first", "email", "focus",
)  # fmt: skip
DIARY_PROMPTS = 3


@dataclass(frozen=True)
class Job:
    """One document to write: its kind, where (relative to out/), and what it says."""

    kind: str
    path: Path
    context: dict[str, Any]
    title: str  # for the table of what was written


@dataclass
class Plan:
    jobs: list[Job] = field(default_factory=list)
    # Programme fields shown in another language than the document's.
    fallbacks: list[str] = field(default_factory=list)
    # Why a document was not made (a certificate without recorded attendance...).
    skipped: list[str] = field(default_factory=list)


class _Texts:
    """Programme texts in one language; remembers which fields had to fall back."""

    def __init__(self, programme: Programme, lang: str, country: str | None = None) -> None:
        self.programme = programme
        self.lang = lang
        self.country = country  # dates and clock times are written as in this country
        self.fallbacks: dict[str, None] = {}

    def __call__(self, value: Text | None, where: str) -> str:
        if value is None:
            return ""
        if not value.has(self.lang):
            self.fallbacks.setdefault(where, None)
        return value.get(self.lang, tuple(self.programme.languages))

    def many(self, values: Iterable[Text], where: str) -> list[str]:
        return [self(value, f"{where}[{i}]") for i, value in enumerate(values)]


def labels(lang: str) -> dict[str, str]:
    return {name: t(lang, f"doc.{name}") for name in LABELS}


def file_name(kind: str, lang: str, suffix: str = "") -> str:
    """'moniste.docx', 'todistus-paivi-ahonen.docx': the language's word, plain letters."""
    stem = t(lang, f"doc.file.{kind}")
    return f"{stem}-{slug(suffix)}.docx" if suffix else f"{stem}.docx"


def file_names(stem: str, names: Sequence[str], suffix: str = ".xlsx") -> list[str]:
    """'palaute-paivi-ahonen.xlsx' per name; two names that read the same in plain letters
    get -2, -3."""
    out: list[str] = []
    for name in names:
        base = f"{stem}-{slug(name)}"
        candidate, n = base, 1
        while f"{candidate}{suffix}" in out:
            n += 1
            candidate = f"{base}-{n}"
        out.append(f"{candidate}{suffix}")
    return out


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "x"


def plan(
    cohort: Cohort,
    today: date,
    lang: str | None = None,
    kinds: Sequence[str] | None = None,
    session: Session | None = None,
    participants: Sequence[Any] | None = None,
) -> Plan:
    """The documents of a run: for one session, or (session None) for the whole cohort."""
    from .schedule import compute

    lang = lang or cohort.lang
    programme = cohort.programme
    wanted = [k for k in PLANNED_KINDS if kinds is None or k in kinds]
    tx = _Texts(programme, lang, cohort.settings.country)
    slots = compute(cohort)
    base = _base(cohort, tx, today)
    result = Plan()
    for i, slot in enumerate(slots):
        if session is not None and slot.session.id != session.id:
            continue
        if slot.reminder:
            continue  # a pair's own meeting: the pair guide covers it
        # Papers for everyone point to the next session everyone attends (module 3 to
        # module 4, past the coordinator's sparring); a sparring's to the next session.
        later = [s for s in slots[i + 1 :] if not s.reminder]
        if _for_everyone(programme, slot.session):
            later = [s for s in later if _for_everyone(programme, s.session)]
        ctx = {**base, "session": _session(cohort, tx, slot, later[0] if later else None)}
        folder = Path(slot.session.id)
        heading = ctx["session"]["heading"]
        # Participants get papers for the sessions they all attend; a coordinator's
        # sparring has only the facilitator's run-sheet.
        everyone = _for_everyone(programme, slot.session)
        if "handout" in wanted and everyone:
            result.jobs.append(Job("handout", folder / file_name("handout", lang), ctx, heading))
        if "runsheet" in wanted:
            result.jobs.append(Job("runsheet", folder / file_name("runsheet", lang), ctx, heading))
        if "task-sheet" in wanted and everyone and slot.session.spec.tasks:
            result.jobs.append(
                Job("task-sheet", folder / file_name("task-sheet", lang), ctx, heading)
            )
    whole = session is None
    if whole and "overview" in wanted:
        ctx = {**base, **_overview(cohort, tx, slots)}
        result.jobs.append(
            Job("overview", Path(file_name("overview", lang)), ctx, base["programme"]["title"])
        )
    if whole and "diary" in wanted and programme.travel_diary:
        ctx = {
            **base,
            "participant": "",
            "schedule": _schedule(cohort, tx, slots),
            "prompts": [t(lang, f"doc.diary_prompt.{n}") for n in range(1, DIARY_PROMPTS + 1)],
        }
        result.jobs.append(
            Job("diary", Path(file_name("diary", lang)), ctx, base["programme"]["title"])
        )
    if (
        whole
        and "pair-guide" in wanted
        and any(s.spec.kind == "pair-meeting" for s in programme.sessions_for())
    ):
        ctx = {**base, **_pair_guide(cohort, tx, slots)}
        result.jobs.append(
            Job("pair-guide", Path(file_name("pair-guide", lang)), ctx, base["programme"]["title"])
        )
    if whole and "certificate" in wanted:
        people = participants if participants is not None else _participants(cohort)
        for person in people:
            job, reason = _certificate(cohort, tx, base, slots, person)
            if job is not None:
                result.jobs.append(job)
            else:
                result.skipped.append(reason)
    result.fallbacks = list(tx.fallbacks)
    return result


def _participants(cohort: Cohort) -> list[Any]:
    from .participants import read_participants

    path = cohort.participants_file()
    return read_participants(path, cohort.programme) if path is not None else []


def _for_everyone(programme: Programme, session: Session) -> bool:
    """Whether every participant role attends (a module), not just some (a sparring)."""
    roles = session.spec.participants
    return roles is None or all(r.id in roles for r in programme.participant_roles())


def _attends(session: Session, role: str) -> bool:
    """Whether a person of `role` attends the session (all do, unless it names roles)."""
    return session.spec.participants is None or role in session.spec.participants


def _attended(cohort: Cohort, person: Any, theirs: list[Any]) -> float | None:
    """Sessions attended: as recorded by `collect attendance` once any attendance of the
    person is, else as the participant list's `attended` column says."""
    from .answers import load_attendance
    from .results import present_count

    recorded = present_count(load_attendance(cohort), person.name, [s.session.id for s in theirs])
    return recorded if recorded is not None else person.fields.get("attended")


def _certificate(
    cohort: Cohort, tx: _Texts, base: dict[str, Any], slots: list[Any], person: Any
) -> tuple[Job | None, str]:
    """A person's certificate, or why there is none."""
    from .formatting import date_range, short_date

    programme = cohort.programme
    lang = tx.lang
    theirs = [s for s in slots if not s.reminder and _attends(s.session, person.role)]
    total = len(theirs)
    attended = _attended(cohort, person, theirs)
    if attended is None:
        return (
            None,
            f"{person.name}: no certificate, the number of sessions attended is not filled in",
        )
    if not total or attended / total * 100 < programme.certificate_attendance:
        return None, (
            f"{person.name}: no certificate, attended {attended:g} of {total} sessions "
            f"(the programme asks for {programme.certificate_attendance} %)"
        )
    town = (
        cohort.settings.place.split(",")[0]
        if cohort.settings.place
        else cohort.settings.organisation
    )
    context = {
        **base,
        "participant": {"name": person.name, "organisation": person.organisation or ""},
        "attended": f"{attended:g}",
        "total": total,
        "period": date_range(theirs[0].date, theirs[-1].date, lang, tx.country),
        "sessions": [
            {"heading": _heading(cohort, tx, s.session), "date": short_date(s.date, lang)}
            for s in theirs
        ],
        "signatories": list(cohort.settings.facilitators),
        "place_date": f"{town}, {short_date(theirs[-1].date, lang)}",  # signed at the last session
    }
    path = Path(t(lang, "doc.file.certificates")) / file_name("certificate", lang, person.name)
    return Job("certificate", path, context, person.name), ""


def _base(cohort: Cohort, tx: _Texts, today: date) -> dict[str, Any]:
    from .formatting import join, long_date

    settings = cohort.settings
    lang = tx.lang
    facilitators = list(settings.facilitators)
    return {
        "L": labels(lang),
        "lang": lang,
        "today": long_date(today, lang),
        "programme": _base_programme(cohort, tx),
        "cohort": {
            "name": settings.name or settings.organisation,
            "organisation": settings.organisation,
            "facilitators": join(facilitators, lang) if facilitators else "",
            "coordinator": settings.coordinator or "",
            "place": settings.place or "",
            "teams_link": settings.teams_link or "",
        },
    }


def _heading(cohort: Cohort, tx: _Texts, session: Session) -> str:
    """'Moduuli 3: Monialaiset työtavat', 'Samling 2: ...' (the programme's label); a
    title that carries its own number stays as it is."""
    spec = session.spec
    title = tx(spec.title, f"sessions.{spec.id}.title").replace("{n}", str(session.number))
    if "{n}" in (spec.title.neutral or "") or any("{n}" in v for v in spec.title.values.values()):
        return title
    if isinstance(spec.label, Text):
        tx(spec.label, f"sessions.{spec.id}.label")  # note a fallback
    prefix = session.prefix(cohort.programme, tx.lang)
    return f"{prefix}: {title}" if prefix else title


def _block(
    cohort: Cohort, tx: _Texts, where: str, block: Block, start: Any, end: Any
) -> dict[str, Any]:
    from .formatting import clock, time_range

    materials = tx.many(block.materials, f"{where}.materials")
    return {
        "time": time_range(start.time(), end.time(), tx.lang, tx.country)
        if start is not None
        else "",
        "start": clock(start.time(), tx.lang, tx.country) if start is not None else "",
        "end": clock(end.time(), tx.lang, tx.country) if end is not None else "",
        "title": tx(block.title, f"{where}.title"),
        "minutes": block.minutes,
        "method": tx(block.method, f"{where}.method"),
        "materials": materials,
        "materials_text": ", ".join(materials),
        "notes": tx(block.notes, f"{where}.notes"),
    }


def _session(cohort: Cohort, tx: _Texts, slot: Any, following: Any) -> dict[str, Any]:
    from .formatting import long_date, time_range

    session = slot.session
    spec = session.spec
    lang = tx.lang
    where = f"sessions.{spec.id}"
    due = long_date(following.date, lang) if following is not None else ""
    return {
        "id": session.id,
        "title": tx(spec.title, f"{where}.title").replace("{n}", str(session.number)),
        "kind": tx(spec.label, f"{where}.label")
        if isinstance(spec.label, Text)
        else t(lang, f"session.{spec.kind}"),
        "number": session.number,
        "heading": _heading(cohort, tx, session),
        "date": long_date(slot.date, lang, weekday=True),
        "time": time_range(slot.start.time(), slot.end.time(), lang, tx.country),
        "place": slot.place,
        "link": slot.link or "",
        "goals": tx.many(spec.goals, f"{where}.goals"),
        "focus": tx.many(spec.focus, f"{where}.focus"),
        "agenda": [
            _block(cohort, tx, f"{where}.agenda[{i}]", block, start, end)
            for i, (start, end, block) in enumerate(slot.blocks)
        ],
        "agenda_suggested": spec.agenda_suggested,
        "tasks": [
            {
                "title": tx(task.title, f"{where}.tasks[{i}].title"),
                "description": tx(task.description, f"{where}.tasks[{i}].description"),
                "due": due,
            }
            for i, task in enumerate(spec.tasks)
        ],
        "resources": [
            {
                "title": tx(r.title, f"{where}.resources[{i}].title"),
                "link": r.link or "",
                "file": r.file or "",
                "description": tx(r.description, f"{where}.resources[{i}].description"),
                "type": t(lang, f"resource.type.{r.type}") if r.type else "",
                "shared": t(lang, f"resource.shared.{r.shared}") if r.shared else "",
                "about": r.about(lang),
            }
            for i, r in enumerate(spec.resources)
        ],
        "checklist": _checklist(cohort, tx, session),
        "next": {
            "title": _heading(cohort, tx, following.session),
            "date": long_date(following.date, lang, weekday=True),
        }
        if following is not None
        else "",
    }


def _checklist(cohort: Cohort, tx: _Texts, session: Session) -> list[str]:
    """The preparation checklist as `facilitate prepare` keeps it: the programme's items
    and the defaults, each with a box, ticked where the facilitator has ticked it."""
    from .prepare import checklist, progress

    tx.many(session.spec.checklist, f"sessions.{session.spec.id}.checklist")  # note fallbacks
    done = set(progress(cohort, session).done)
    items = checklist(cohort, session, tx.lang)
    return [f"{'☑' if item.key in done else '☐'} {item.text}" for item in items]


def _schedule(cohort: Cohort, tx: _Texts, slots: list[Any]) -> list[dict[str, str]]:
    from .formatting import date_range, time_range, weekday_date

    rows = []
    for slot in slots:
        if slot.reminder:
            monday, friday = slot.week
            when, time_text = date_range(monday, friday, tx.lang, tx.country), ""
        else:
            when, time_text = (
                weekday_date(slot.date, tx.lang, tx.country),
                time_range(slot.start.time(), slot.end.time(), tx.lang, tx.country),
            )
        rows.append(
            {
                "heading": _heading(cohort, tx, slot.session),
                "date": when,
                "time": time_text,
                "place": slot.place,
            }
        )
    return rows


def _overview(cohort: Cohort, tx: _Texts, slots: list[Any]) -> dict[str, Any]:
    programme = cohort.programme
    lang = tx.lang
    return {
        "programme": {
            **_base_programme(cohort, tx),
            "suits": tx.many(programme.suits, "suits"),
            "themes": tx.many(programme.themes, "themes"),
            "cost": tx(programme.cost, "cost"),
            "duration": programme.duration.text(lang) if programme.duration else "",
            "delivery": t(lang, f"delivery.{cohort.settings.delivery}"),  # as this cohort runs it
        },
        "roles": [
            {
                "title": tx(role.title, f"roles.{role.id}.title"),
                "description": tx(role.description, f"roles.{role.id}.description"),
            }
            for role in programme.roles
        ],
        "pre_assignment": _pre_assignment(cohort, tx, slots),
        "schedule": _schedule(cohort, tx, slots),
    }


def _pre_assignment(cohort: Cohort, tx: _Texts, slots: list[Any]) -> dict[str, str] | str:
    """The programme's pre-assignment with its due date, or empty when it has none."""
    from datetime import timedelta

    from .formatting import long_date
    from .programme import find_session

    pre = cohort.programme.pre_assignment
    if pre is None or not slots:
        return ""
    target = find_session([s.session for s in slots], pre.before) if pre.before else None
    needed = next(
        (s.date for s in slots if target is not None and s.session == target), slots[0].date
    )
    return {
        "title": tx(pre.title, "pre_assignment.title"),
        "description": tx(pre.description, "pre_assignment.description"),
        "due": long_date(needed - timedelta(days=pre.due_before.days()), tx.lang),
    }


def _base_programme(cohort: Cohort, tx: _Texts) -> dict[str, str]:
    programme = cohort.programme
    return {
        "title": tx(programme.title, "title"),
        "description": tx(programme.description, "description"),
        "kind": t(tx.lang, f"kind.{programme.kind}"),
        "provider": tx(programme.provider, "provider"),
    }


def _pair_guide(cohort: Cohort, tx: _Texts, slots: list[Any]) -> dict[str, Any]:
    from .formatting import date_range, time_range, weekday_date

    programme = cohort.programme
    spec = next(s for s in programme.sessions if s.kind == "pair-meeting")
    where = f"sessions.{spec.id}"
    # The suggested structure, with minutes but no clock times: the pair sets the time.
    agenda = [
        _block(cohort, tx, f"{where}.agenda[{i}]", block, None, None)
        for i, block in enumerate(spec.agenda)
    ]
    meetings = []
    seminars = []
    for slot in slots:
        if slot.session.spec.kind == "pair-meeting":
            monday, friday = slot.week
            meetings.append(
                {
                    "heading": _heading(cohort, tx, slot.session),
                    "date": date_range(monday, friday, tx.lang, tx.country),
                }
            )
        elif slot.session.spec.kind in ("kick-off", "seminar"):
            seminars.append(
                {
                    "heading": _heading(cohort, tx, slot.session),
                    "date": weekday_date(slot.date, tx.lang, tx.country),
                    "time": time_range(slot.start.time(), slot.end.time(), tx.lang, tx.country),
                    "place": slot.place,
                }
            )
    return {
        "meeting": {
            # The guide is for every pair meeting, not the first spec's ("– hösten").
            "title": t(tx.lang, "session.pair-meeting").capitalize(),
            "agenda": agenda,
            "goals": tx.many(spec.goals, f"{where}.goals"),
        },
        "meetings": meetings,
        "seminars": seminars,
        "reading": [
            {
                "title": tx(r.title, f"reading[{i}].title"),
                "link": r.link or "",
                "description": tx(r.description, f"reading[{i}].description"),
            }
            for i, r in enumerate(programme.reading)
        ],
    }


def letters(
    cohort: Cohort,
    today: date,
    pairs: Sequence[Any],
    people: dict[str, Any],
    folder: Path,
    lang: str | None = None,
) -> Plan:
    """An introduction letter per pair of `facilitate match` (a matching.Pair; `people`
    maps each name to its Participant), into `folder` (relative to out/)."""
    from .schedule import compute

    lang = lang or cohort.lang
    tx = _Texts(cohort.programme, lang, cohort.settings.country)
    slots = compute(cohort)
    theirs = [s for s in slots if _for_pairs(s.session)]
    schedule = _schedule(cohort, tx, theirs)
    for slot, row in zip(theirs, schedule, strict=True):
        if slot.reminder:
            row["place"] = ""  # the pair decides where they meet
    shared = {
        **_base(cohort, tx, today),
        "schedule": schedule,
        "pre_assignment": _pre_assignment(cohort, tx, slots),
        **_signatory(cohort, lang),
    }
    result = Plan()
    names = [f"{pair.adept} {pair.mentor}" for pair in pairs]
    files = file_names(t(lang, "doc.file.letter"), names, ".docx")
    for pair, file in zip(pairs, files, strict=True):
        adept, mentor = (_person(cohort, tx, people[name]) for name in (pair.adept, pair.mentor))
        context = {
            **shared,
            "adept": adept,
            "mentor": mentor,
            "people": [adept, mentor],
            "reasons": list(pair.reasons[1:] if pair.pinned else pair.reasons),  # not "pinned"
            "shared_themes": [
                tx(cohort.programme.themes[k], f"themes[{k}]") for k in pair.shared_themes
            ],
            "letter": _letter_texts(cohort, tx, slots, adept["name"], mentor["name"]),
        }
        result.jobs.append(Job("letter", folder / file, context, f"{pair.adept} – {pair.mentor}"))
    result.fallbacks = list(tx.fallbacks)
    return result


def _for_pairs(session: Session) -> bool:
    """Whether mentors or adepts attend the session (a coordinators' meeting they do not)."""
    return _attends(session, "adept") or _attends(session, "mentor")


def _person(cohort: Cohort, tx: _Texts, person: Any) -> dict[str, str]:
    role = next((r for r in cohort.programme.roles if r.id == person.role), None)
    return {
        "name": person.name,
        "role": tx(role.title, f"roles.{role.id}.title") if role else person.role,
        "organisation": person.organisation or "",
        "email": person.email or "",
    }


def _letter_texts(
    cohort: Cohort, tx: _Texts, slots: list[Any], adept: str, mentor: str
) -> dict[str, str]:
    lang = tx.lang
    programme = tx(cohort.programme.title, "title")
    return {
        "greeting": t(lang, "letter.greeting", adept=adept, mentor=mentor),
        "intro": t(lang, "letter.intro", programme=programme),
        "weeks": t(lang, "letter.weeks") if any(s.reminder for s in slots) else "",
        "first_step": t(lang, "letter.first_step"),
        "closing": t(lang, "letter.closing"),
        "regards": t(lang, "letter.regards"),
    }


def _signatory(cohort: Cohort, lang: str) -> dict[str, str]:
    """Who signs the letters: the coordinator, else the facilitators; with their role."""
    from .formatting import join

    settings = cohort.settings
    if settings.coordinator:
        name, label = settings.coordinator, t(lang, "doc.coordinator")
    elif settings.facilitators:
        name = join(settings.facilitators, lang)
        label = t(lang, "doc.facilitators")
    else:
        return {"signatory": "", "signatory_role": ""}
    return {"signatory": name, "signatory_role": f"{label}, {settings.organisation}"}
