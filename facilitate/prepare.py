"""The preparation of one session (`facilitate prepare`): what its screens show, its
checklist, the progress kept in `.facilitate/prepare.json`, and the cohort's agenda changes.

Plain values in, plain values out: the CLI and `guide` render and ask. Progress and
cohort.yaml are written whole and atomically, and only when a step is confirmed, so an
interrupted step leaves nothing of itself behind.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cohort import COHORT_FILE, AgendaChange, Cohort
from .errors import FacilitateError, InputError
from .i18n import t

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .programme import Questionnaire, Session
    from .schedule import Slot

# The steps of the walk-through, in order; progress remembers the last one confirmed.
STEPS = ("overview", "follow-up", "agenda", "materials", "checklist", "documents")
PREPARE_STATE = "prepare.json"  # in the cohort's .facilitate/ (status reads it too)
# The checklist items every session may get besides the programme's own (p1, p2, ...).
DEFAULT_ITEMS = ("invitation", "teams-link", "print", "room", "sparring")


# ---------------------------------------------------------------------------
# Finding the session


def find(cohort: Cohort, name: str) -> Session:
    """A session by `module-3`, `3` or its id; InputError names the sessions there are."""
    from .programme import find_session

    sessions = cohort.sessions()
    found = find_session(sessions, name)
    if found is None:
        raise InputError(
            t(
                cohort.lang,
                "prepare.unknown_session",
                name=name,
                programme=cohort.programme.id,
                names=", ".join(_label(s) for s in sessions),
            )
        )
    return found


def _label(session: Session) -> str:
    """How the session is typed: `module-3` for a module, else its id (`sparring-2`)."""
    from .schedule import _label as label

    return label(session)


# ---------------------------------------------------------------------------
# The checklist


@dataclass(frozen=True)
class Item:
    """One thing to do before a session; `key` is stable (p1, p2... then the defaults)."""

    key: str
    text: str


def checklist(cohort: Cohort, session: Session, lang: str | None = None) -> list[Item]:
    """The programme's checklist for the session, then the defaults that apply to it."""
    from .documents import _for_everyone
    from .schedule import delivery_of

    lang = lang or cohort.lang
    items = [
        Item(f"p{i}", cohort.programme.text(text, lang))
        for i, text in enumerate(session.spec.checklist, start=1)
    ]
    if session.spec.kind == "pair-meeting":
        return items  # the pair books its own meeting
    delivery = delivery_of(cohort, session)
    items.append(Item("invitation", t(lang, "prepare.item.invitation")))
    if delivery in ("teams", "hybrid"):
        items.append(Item("teams-link", t(lang, "prepare.item.teams-link")))
    if _for_everyone(cohort.programme, session):
        # Participants get a handout; on Teams it is sent rather than printed.
        key = "prepare.item.send" if delivery == "teams" else "prepare.item.print"
        items.append(Item("print", t(lang, key)))
    if delivery in ("on-site", "hybrid"):
        items.append(Item("room", t(lang, "prepare.item.room")))
    before = _before(cohort, session)
    if before is not None and before.spec.kind == "sparring":
        items.append(Item("sparring", t(lang, "prepare.item.sparring")))
    return items


def _before(cohort: Cohort, session: Session) -> Session | None:
    sessions = cohort.sessions()
    index = next(i for i, s in enumerate(sessions) if s.id == session.id)
    return sessions[index - 1] if index > 0 else None


def resolve(cohort: Cohort, session: Session, wanted: Iterable[str]) -> list[str]:
    """The keys of the items named by key (`p2`, `invitation`), number as shown (`3`) or
    the start of their text (any case). InputError lists the items for one that is
    unknown or fits several."""
    items = checklist(cohort, session)
    keys: list[str] = []
    for name in wanted:
        item = _pick(items, name, cohort.lang)
        if isinstance(item, str):
            listing = "\n".join(f"  {i}. {it.key}: {it.text}" for i, it in enumerate(items, 1))
            raise InputError(
                f"{item}\n{t(cohort.lang, 'prepare.items', session=_label(session))}\n{listing}"
            )
        if item.key not in keys:
            keys.append(item.key)
    return keys


def _pick(items: list[Item], name: str, lang: str) -> Item | str:
    """The item `name` stands for, or (a str) the message why there is none."""
    text = name.strip()
    for item in items:
        if text.lower() == item.key:
            return item
    if text.isdigit():
        number = int(text)
        if 1 <= number <= len(items):
            return items[number - 1]
        return t(lang, "prepare.check.no_number", number=number, last=len(items))
    folded = text.casefold()
    matches = [item for item in items if item.text.casefold().startswith(folded)] if text else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        keys = ", ".join(item.key for item in matches)
        return t(lang, "prepare.check.ambiguous", name=name, keys=keys)
    return t(lang, "prepare.check.unknown", name=name)


# ---------------------------------------------------------------------------
# Progress: .facilitate/prepare.json  {session id: {"done": [keys], "step": step}}


@dataclass(frozen=True)
class Progress:
    done: list[str]
    step: str | None  # the last step confirmed in the walk-through

    @property
    def next_step(self) -> str:
        """Where a resumed walk-through goes on: the step after the last one confirmed."""
        if self.step not in STEPS:
            return STEPS[0]
        index = STEPS.index(self.step)
        return STEPS[index + 1] if index + 1 < len(STEPS) else STEPS[0]


def state_path(cohort: Cohort) -> Path:
    return cohort.state / PREPARE_STATE


def read_state(cohort: Cohort) -> dict[str, Any]:
    """Every session's progress as stored; a damaged file is an error that says what to do."""
    path = state_path(cohort)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        data = None
    if not isinstance(data, dict):
        raise FacilitateError(
            f"{path} is damaged; delete it to start the preparation checklists afresh"
        )
    return data


def progress(cohort: Cohort, session: Session) -> Progress:
    entry = read_state(cohort).get(session.id)
    if not isinstance(entry, dict):
        return Progress([], None)
    done = [key for key in entry.get("done", []) if isinstance(key, str)]
    step = entry.get("step")
    return Progress(done, step if step in STEPS else None)


def _save(
    cohort: Cohort, session: Session, done: list[str] | None = None, step: str | None = None
) -> Progress:
    """Write the session's done items and/or step in one atomic write of the whole file."""
    from .output import write_atomic

    data = read_state(cohort)
    entry = data.get(session.id)
    entry = dict(entry) if isinstance(entry, dict) else {}
    if done is not None:
        order = [item.key for item in checklist(cohort, session)]
        # Keys of items no longer on the list (a changed programme) are kept, last.
        entry["done"] = [k for k in order if k in done] + [k for k in done if k not in order]
    entry.setdefault("done", [])
    if step is not None:
        entry["step"] = step
    data[session.id] = entry
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_atomic(state_path(cohort), text)
    return Progress(list(entry["done"]), entry.get("step"))


def _known(cohort: Cohort, session: Session, keys: Iterable[str]) -> list[str]:
    known = [item.key for item in checklist(cohort, session)]
    keys = list(keys)
    unknown = [key for key in keys if key not in known]
    if unknown:
        raise InputError(
            t(cohort.lang, "prepare.check.unknown", name=", ".join(unknown))
            + f" ({', '.join(known)})"
        )
    return keys


def tick(cohort: Cohort, session: Session, keys: Iterable[str]) -> Progress:
    """Mark items done (by key) and save."""
    keys = _known(cohort, session, keys)
    done = progress(cohort, session).done
    return _save(cohort, session, done=done + [k for k in keys if k not in done])


def untick(cohort: Cohort, session: Session, keys: Iterable[str]) -> Progress:
    """Mark items not done (by key) and save."""
    keys = _known(cohort, session, keys)
    return _save(cohort, session, done=[k for k in progress(cohort, session).done if k not in keys])


def save_checklist(
    cohort: Cohort, session: Session, done: Iterable[str], step: str | None = "checklist"
) -> Progress:
    """The checklist as ticked in the walk-through (exactly `done`), with its step, at once.

    Ticks of items no longer on the list (a changed programme) are kept, not dropped."""
    keys = _known(cohort, session, done)
    current = {item.key for item in checklist(cohort, session)}
    stale = [k for k in progress(cohort, session).done if k not in current]
    return _save(cohort, session, done=keys + stale, step=step)


def complete(cohort: Cohort, session: Session, step: str) -> Progress:
    """Record that the walk-through's `step` was confirmed."""
    if step not in STEPS:
        raise ValueError(step)
    return _save(cohort, session, step=step)


# ---------------------------------------------------------------------------
# Agenda changes: cohort.yaml `agenda:`


def agenda_change(cohort: Cohort, session: Session) -> AgendaChange:
    """The cohort's change to the session's agenda (empty if none)."""
    from .schedule import agenda_changes

    return agenda_changes(cohort, cohort.sessions()).get(session.id) or AgendaChange()


def with_agenda(
    cohort: Cohort, session: Session, start_time: time | None, minutes: dict[int, int]
) -> Cohort:
    """The cohort as it would be with this start time and these block minutes for the
    session (nothing is written). Values equal to the programme's are dropped, so the
    change shows only what differs. InputError if the change cannot be used."""
    from .cohort import check_settings

    blocks = session.spec.agenda
    kept = {
        n: m
        for n, m in sorted(minutes.items())
        if not (1 <= n <= len(blocks) and blocks[n - 1].minutes == m)
    }
    start = None if start_time == cohort.start_time() else start_time
    change = AgendaChange(start_time=start, minutes=kept)
    agenda = {
        key: value
        for key, value in cohort.settings.agenda.items()
        if key != session.id and _names(cohort, key) != session.id
    }
    if not change.is_empty():
        agenda[session.id] = change
    settings = cohort.settings.model_copy(update={"agenda": agenda})
    problems = [
        message
        for where, message in check_settings(settings, cohort.programme)
        if where[:2] == ("agenda", session.id)
    ]
    if problems:
        raise InputError("; ".join(problems))
    return dataclasses.replace(cohort, settings=settings)


def _names(cohort: Cohort, key: str) -> str | None:
    from .programme import find_session

    found = find_session(cohort.sessions(), key)
    return found.id if found is not None else None


def save_settings(cohort: Cohort) -> Path:
    """Write the cohort's settings to cohort.yaml (atomically)."""
    from .cohort import settings_yaml
    from .output import write_atomic

    return write_atomic(cohort.folder / COHORT_FILE, settings_yaml(cohort.settings))


# ---------------------------------------------------------------------------
# What the screens show


@dataclass(frozen=True)
class Expected:
    """Who of a role is expected at the session."""

    role: str
    title: str
    names: list[str]
    facilitator: bool
    count: int | None  # None when the participant list cannot be read


@dataclass(frozen=True)
class Given:
    """A between-session task."""

    title: str
    description: str


@dataclass(frozen=True)
class Answers:
    """Answers collected so far for a questionnaire at a session (or the pre-assignment)."""

    questionnaire: str
    title: str
    session: str  # a session id, or "pre-assignment"
    collected: int
    expected: int | None
    headline: str | None  # the results in a sentence, once there are answers to sum up


@dataclass(frozen=True)
class FollowUp:
    """What the last session the same people attended left to pick up."""

    session: str | None  # its id; None for the first session
    heading: str | None
    date: date | None
    tasks: list[Given]
    answers: list[Answers]
    pre_assignment: str | None  # the pre-assignment's title, for the session it is for


@dataclass(frozen=True)
class AgendaRow:
    number: int  # from 1, as cohort.yaml and the prompts name blocks
    start: time
    end: time
    minutes: int
    planned: int  # the programme's minutes
    title: str
    method: str
    materials: list[str]
    notes: str

    @property
    def changed(self) -> bool:
        return self.minutes != self.planned


@dataclass(frozen=True)
class Share:
    """A resource to share with the participants."""

    title: str
    link: str
    file: str
    description: str
    about: str = ""  # its type and when it is shared: 'Film, shared before the session'
    shared: str | None = None  # "before", "after" or None


@dataclass(frozen=True)
class CheckItem:
    key: str
    text: str
    done: bool


@dataclass
class Preparation:
    """Everything the preparation of one session shows, in the cohort's language."""

    language: str
    country: str
    session: str
    ref: str
    heading: str
    kind: str
    date: date
    start: time
    end: time
    planned_start: time  # the cohort's usual start
    days_to: int  # days from today
    reminder: bool  # a pair meeting: a week, no clock time
    delivery: str
    place: str
    link: str | None
    goals: list[str]
    expected: list[Expected]
    participant_problem: str | None
    follow_up: FollowUp
    agenda: list[AgendaRow]
    agenda_suggested: bool
    materials: list[str]
    resources: list[Share]
    checklist: list[CheckItem]
    step: str | None
    tasks: list[Given] = field(default_factory=list)  # given at this session
    focus: list[str] = field(default_factory=list)  # focus areas, questions to reflect on

    @property
    def open(self) -> list[CheckItem]:
        return [item for item in self.checklist if not item.done]

    @property
    def minutes(self) -> int:
        return sum(row.minutes for row in self.agenda)

    @property
    def agenda_changed(self) -> bool:
        return self.start != self.planned_start or any(row.changed for row in self.agenda)

    def as_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.update(open=[item.key for item in self.open], agenda_changed=self.agenda_changed)
        return dict(json.loads(json.dumps(data, default=_iso)))


def _iso(value: Any) -> str:
    if isinstance(value, time):
        return value.isoformat()[:5]
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def preparation(cohort: Cohort, session: Session, today: date) -> Preparation:
    """Gather what the screens of one session's preparation show."""
    from .documents import _heading, _Texts
    from .schedule import compute

    lang = cohort.lang
    tx = _Texts(cohort.programme, lang, cohort.settings.country)
    slots = compute(cohort)
    slot = next(s for s in slots if s.session.id == session.id)
    spec = session.spec
    people, problem = _people(cohort)
    done = set(progress(cohort, session).done)
    materials: dict[str, None] = {}
    for _, _, block in slot.blocks:
        for text in block.materials:
            materials.setdefault(cohort.text(text), None)
    return Preparation(
        language=lang,
        country=cohort.settings.country,
        session=session.id,
        ref=_label(session),
        heading=_heading(cohort, tx, session),
        kind=spec.kind,
        date=slot.date,
        start=slot.start.time(),
        end=slot.end.time(),
        planned_start=cohort.start_time(),
        days_to=(slot.date - today).days,
        reminder=slot.reminder,
        delivery=slot.delivery,
        place=slot.place,
        link=slot.link,
        goals=[cohort.text(goal) for goal in spec.goals],
        expected=_expected(cohort, session, people),
        participant_problem=problem,
        follow_up=_follow_up(cohort, session, slots, people),
        agenda=_agenda(cohort, slot),
        agenda_suggested=spec.agenda_suggested,
        materials=list(materials),
        resources=[
            Share(
                cohort.text(r.title),
                r.link or "",
                r.file or "",
                cohort.text(r.description),
                r.about(lang),
                r.shared,
            )
            for r in spec.resources
        ],
        checklist=[
            CheckItem(item.key, item.text, item.key in done) for item in checklist(cohort, session)
        ],
        step=progress(cohort, session).step,
        tasks=[
            Given(cohort.text(task.title), cohort.text(task.description)) for task in spec.tasks
        ],
        focus=[cohort.text(item) for item in spec.focus],
    )


def _people(cohort: Cohort) -> tuple[list[Any] | None, str | None]:
    """The participant list, or None and what is wrong with it (never an error: the
    preparation goes on without names)."""
    from .participants import read_participants

    path = cohort.participants_file()
    if path is None:
        return None, t(cohort.lang, "prepare.no_participants")
    try:
        return read_participants(path, cohort.programme), None
    except FacilitateError as exc:
        return None, exc.message


def _attends(session: Session, role: str) -> bool:
    return session.spec.participants is None or role in session.spec.participants


def _expected(cohort: Cohort, session: Session, people: list[Any] | None) -> list[Expected]:
    out = []
    for role in cohort.programme.roles:
        if not _attends(session, role.id):
            continue
        title = cohort.text(role.title)
        if role.facilitator:
            names = list(cohort.settings.facilitators)
            out.append(Expected(role.id, title, names, True, len(names)))
        elif people is None:
            out.append(Expected(role.id, title, [], False, None))
        else:
            names = [p.name for p in people if p.role == role.id]
            out.append(Expected(role.id, title, names, False, len(names)))
    return out


def _respondents(
    cohort: Cohort, q: Questionnaire, session: Session | None, people: list[Any] | None
) -> int | None:
    if people is None:
        return None
    roles = {r.id for r in cohort.programme.participant_roles()}
    if q.respondents is not None:
        roles &= set(q.respondents)
    return sum(
        1 for p in people if p.role in roles and (session is None or _attends(session, p.role))
    )


def _follow_up(
    cohort: Cohort, session: Session, slots: list[Slot], people: list[Any] | None
) -> FollowUp:
    """The last earlier session that everyone of this one attended (module 2 for module 3,
    not the coordinator's sparring between them): its tasks and the answers to its
    questionnaires; for the session the pre-assignment is for, the pre-assignment's."""
    from .documents import _heading, _Texts
    from .programme import find_session

    programme = cohort.programme
    tx = _Texts(programme, cohort.lang, cohort.settings.country)
    index = next(i for i, s in enumerate(slots) if s.session.id == session.id)
    roles = set(session.spec.participants or (r.id for r in programme.roles))
    earlier = [
        s
        for s in slots[:index]
        if s.session.spec.participants is None or roles <= set(s.session.spec.participants)
    ]
    previous = earlier[-1] if earlier else (slots[index - 1] if index else None)
    answers = []
    pre_title = None
    pre = programme.pre_assignment
    if pre is not None:
        target = find_session([s.session for s in slots], pre.before) if pre.before else None
        if (target or slots[0].session).id == session.id:
            pre_title = cohort.text(pre.title)
            if pre.questionnaire:
                q = programme.questionnaire(pre.questionnaire)
                answers.append(_answers(cohort, q, "pre-assignment", None, people))
    if previous is None:
        return FollowUp(None, None, None, [], answers, pre_title)
    before = previous.session
    for qid in before.spec.questionnaires:
        q = programme.questionnaire(qid)
        answers.append(_answers(cohort, q, before.id, before, people))
    return FollowUp(
        session=before.id,
        heading=_heading(cohort, tx, before),
        date=previous.date,
        tasks=[
            Given(cohort.text(task.title), cohort.text(task.description))
            for task in before.spec.tasks
        ],
        answers=answers,
        pre_assignment=pre_title,
    )


def _answers(
    cohort: Cohort, q: Questionnaire, key: str, session: Session | None, people: list[Any] | None
) -> Answers:
    from .status import collected

    count = collected(cohort, q.id, key)
    return Answers(
        questionnaire=q.id,
        title=cohort.text(q.title),
        session=key,
        collected=count,
        expected=_respondents(cohort, q, session, people),
        headline=headline(cohort, q, key) if count else None,
    )


def headline(cohort: Cohort, q: Questionnaire, key: str) -> str | None:
    """The results of a meter in a sentence: its strongest and weakest dimension by the
    team's mean. The figures are those `facilitate results` shows, from the same
    computation: no mean below the anonymity threshold, rounded the same way."""
    from . import answers
    from .results import dimension_results, number_text

    if q.kind != "meter" or not q.dimensions:
        return None
    lang = cohort.lang
    threshold = cohort.settings.anonymity_threshold
    try:
        responses = answers.load(cohort, q.id, key)
    except FacilitateError:
        return None
    results = dimension_results(cohort, q, responses, lang, threshold)
    means = {d.title: d.stats.mean for d in results if d.stats.mean is not None}
    if len(means) < 2:
        return None
    best = max(means, key=lambda d: means[d] or 0.0)
    worst = min(means, key=lambda d: means[d] or 0.0)
    low, high = q.scale_range()
    return t(
        lang,
        "prepare.headline",
        best=best,
        best_mean=number_text(means[best] or 0.0, lang),
        worst=worst,
        worst_mean=number_text(means[worst] or 0.0, lang),
        low=low,
        high=high,
    )


def _agenda(cohort: Cohort, slot: Slot) -> list[AgendaRow]:
    planned = slot.session.spec.agenda
    rows = []
    for number, (start, end, block) in enumerate(slot.blocks, start=1):
        rows.append(
            AgendaRow(
                number=number,
                start=start.time(),
                end=end.time(),
                minutes=block.minutes,
                planned=planned[number - 1].minutes,
                title=cohort.text(block.title),
                method=cohort.text(block.method),
                materials=[cohort.text(m) for m in block.materials],
                notes=cohort.text(block.notes),
            )
        )
    return rows
