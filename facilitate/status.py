"""Where a cohort stands: sessions held and next, preparation, tasks due, answers collected."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from .cohort import Cohort
from .errors import FacilitateError


@dataclass(frozen=True)
class SessionState:
    id: str
    ref: str
    title: str
    date: date
    start: str
    held: bool
    checklist_done: int
    checklist_total: int


@dataclass(frozen=True)
class TaskDue:
    title: str
    given_at: str
    due: date


@dataclass(frozen=True)
class Collection:
    questionnaire: str
    title: str
    session: str  # a session id, or "pre-assignment"
    expected: int
    collected: int
    due: date


@dataclass
class Status:
    cohort: str
    organisation: str
    programme: str
    programme_title: str
    language: str
    country: str
    today: date
    participants: int | None
    participant_problem: str | None
    # Share of expected attendances recorded as present; None until attendance is
    # collected (`facilitate collect attendance`, with the questionnaire sheets).
    attendance: float | None = None
    sessions: list[SessionState] = field(default_factory=list)
    tasks_due: list[TaskDue] = field(default_factory=list)
    collections: list[Collection] = field(default_factory=list)

    @property
    def held(self) -> int:
        return sum(s.held for s in self.sessions)

    @property
    def next(self) -> SessionState | None:
        return next((s for s in self.sessions if not s.held), None)

    @property
    def days_to_next(self) -> int | None:
        upcoming = self.next
        return (upcoming.date - self.today).days if upcoming else None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            held=self.held,
            total=len(self.sessions),
            days_to_next=self.days_to_next,
            next=self.next.id if self.next else None,
        )
        return json.loads(json.dumps(data, default=str))


def prepared_items(cohort: Cohort) -> dict[str, list[str]]:
    """The checklist items ticked per session (written by `facilitate prepare`)."""
    from .prepare import read_state

    return {
        k: [key for key in v.get("done", []) if isinstance(key, str)]
        for k, v in read_state(cohort).items()
        if isinstance(v, dict)
    }


def collected(cohort: Cohort, questionnaire: str, session: str) -> int:
    """How many answers are stored for a questionnaire at a session (0 before any collect)."""
    path = cohort.state / "answers" / questionnaire / f"{session}.json"
    try:
        return len(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return 0
    except (OSError, ValueError):
        raise FacilitateError(f"{path} is damaged; collect the filled sheets again") from None


def status(cohort: Cohort, today: date) -> Status:
    from .errors import InputError
    from .participants import read_participants
    from .schedule import compute

    programme = cohort.programme
    slots = compute(cohort)
    participants: int | None = None
    problem: str | None = None
    path = cohort.participants_file()
    if path is None:
        problem = "no participant list (participants.xlsx or participants.csv)"
    else:
        try:
            participants = len(read_participants(path, programme))
        except InputError as exc:
            problem = exc.message
    from .prepare import checklist

    prepared = prepared_items(cohort)
    result = Status(
        cohort=cohort.settings.name or cohort.settings.organisation,
        organisation=cohort.settings.organisation,
        programme=programme.id,
        programme_title=cohort.text(programme.title),
        language=cohort.lang,
        country=cohort.settings.country,
        today=today,
        participants=participants,
        participant_problem=problem,
    )
    expected = participants or 0
    for i, slot in enumerate(slots):
        session = slot.session
        # The same list `facilitate prepare` ticks: the programme's items and the defaults.
        items = [item.key for item in checklist(cohort, session)]
        ticked = set(prepared.get(session.id, []))
        result.sessions.append(
            SessionState(
                id=session.id,
                ref=session.ref,
                title=session.title(programme, cohort.lang),
                date=slot.date,
                start=slot.start.strftime("%H:%M"),
                held=slot.date < today,
                checklist_done=sum(key in ticked for key in items),
                checklist_total=len(items),
            )
        )
        following = slots[i + 1].date if i + 1 < len(slots) else None
        if following is not None and slot.date < today <= following:
            for task in session.spec.tasks:
                result.tasks_due.append(TaskDue(cohort.text(task.title), session.id, following))
        if slot.date < today:
            for qid in session.spec.questionnaires:
                q = programme.questionnaire(qid)
                result.collections.append(
                    Collection(
                        qid,
                        cohort.text(q.title),
                        session.id,
                        expected,
                        collected(cohort, qid, session.id),
                        slot.date,
                    )
                )
    pre = programme.pre_assignment
    if pre is not None and pre.questionnaire and slots:
        from .programme import find_session

        target = find_session([slot.session for slot in slots], pre.before) if pre.before else None
        needed_by = next(
            (slot.date for slot in slots if target is not None and slot.session == target),
            slots[0].date,
        )
        q = programme.questionnaire(pre.questionnaire)
        result.collections.insert(
            0,
            Collection(
                pre.questionnaire,
                cohort.text(q.title),
                "pre-assignment",
                expected,
                collected(cohort, pre.questionnaire, "pre-assignment"),
                needed_by - timedelta(days=pre.due_before.days()),
            ),
        )
    return result
