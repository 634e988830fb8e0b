"""Results of a cohort's questionnaires and attendance: the figures, the workbook, the report.

`summarise` turns the stored answers (`answers.load`) into a `Summary`: per statement and
per dimension n, mean, median and the answers per scale point; the response rate; a
comparison of two rounds (for a meter, the pre-assignment and the session that runs it
again) with the change per dimension; open answers without names; attendance per
participant and per session; with answers from two roles or more (mentors and adepts),
each role's figures per dimension and statement side by side, and the difference of two
roles' means. A group smaller than the cohort's anonymity threshold gets
its count and nothing else: its figures are not even put into the summary, so no writer
can show them by mistake. `write_xlsx` makes an Excel workbook with native charts,
`write_report` a Word report with charts drawn by matplotlib; `make` writes both into
out/results/.

Figures of a dimension pool the answers to all its statements: its mean is the mean of
those answers (with every statement answered, the mean of the respondents' own means),
its n the number of respondents who answered any of them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import statistics
import textwrap
import zipfile
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .answers import ATTENDANCE, PRE_ASSIGNMENT, Response
from .cohort import Cohort
from .errors import FacilitateError, InputError
from .i18n import t
from .programme import Questionnaire, Session, find_session

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import Table
    from openpyxl.worksheet.worksheet import Worksheet

# `--compare none`: show one round, even of a meter.
NO_COMPARE = "none"
RESULTS_DIR = Path("out") / "results"
# The look of the charts: the templates' accent, and a lighter blue for the earlier round
# (told apart by lightness, so also in grey print and by colour-blind readers).
ACCENT = "#1B4F72"
LIGHT = "#7FB2D9"
EXCUSED = "#E69F00"  # Okabe–Ito orange
ABSENT = "#B8C4CE"
TEXT = "#262626"
MUTED = "#5D6D7E"
CHART_FONT = "DejaVu Sans"  # ships with matplotlib: no font warnings, every letter we need
CHART_WIDTH_CM = 16.0
TEXT_WIDTH_CM = 17.0  # A4 between our templates' 2 cm margins
# More scale points than this, and the table shows the distribution in one column.
DISTRIBUTION_COLUMNS = 7
_FALLBACK_TIME = datetime(2026, 1, 1)


# --- the summary ------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    """The figures of one statement, dimension or group. Suppressed (fewer respondents
    than the threshold): only the counts, never a mean, median or distribution."""

    n: int  # respondents who answered
    answers: int  # scores counted: for a statement n, for a dimension all its statements'
    suppressed: bool
    mean: float | None = None
    median: float | None = None
    distribution: tuple[int, ...] | None = None  # answers per scale point, low to high


@dataclass(frozen=True)
class StatementResult:
    id: str
    text: str
    stats: Stats


@dataclass(frozen=True)
class DimensionResult:
    id: str
    title: str
    description: str
    stats: Stats
    statements: tuple[StatementResult, ...]


@dataclass(frozen=True)
class OpenAnswers:
    id: str
    text: str  # the question
    answers: tuple[str, ...]  # without names, sorted; empty when withheld


@dataclass(frozen=True)
class RoleResult:
    """One role's group of respondents: the mentors, the adepts."""

    role: str  # a role id, or "" for answers whose role is not known
    title: str  # in the summary's language
    n: int


@dataclass(frozen=True)
class RoleRow:
    """A dimension or one of its statements, each role's figures side by side."""

    id: str
    text: str
    statement: bool  # False for a dimension; its statements are the rows after it
    stats: tuple[Stats, ...]  # one per role, in the order of `RoundResult.roles`
    # With two roles shown: the first's mean minus the second's, of the means as shown.
    difference: float | None


@dataclass(frozen=True)
class RoundResult:
    """The answers of one round: a session, or the pre-assignment."""

    id: str  # "module-4", "pre-assignment"
    title: str  # "Moduuli 4: Monialaiset työtavat"
    label: str  # short, for legends and columns: "Moduuli 4"
    date: dt.date | None  # the session's date (None for the pre-assignment)
    responses: int
    expected: int | None  # from the participant list; None without one
    collected: dt.date | None  # the last time answers of this round were collected
    suppressed: bool  # fewer responses than the threshold: nothing but the count
    dimensions: tuple[DimensionResult, ...]
    open_answers: tuple[OpenAnswers, ...]
    # Per role, only when every group reaches the threshold (else a group's answers
    # could be worked out from the others and the whole).
    roles: tuple[RoleResult, ...] = ()
    role_rows: tuple[RoleRow, ...] = ()  # every dimension, its statements after it
    roles_withheld: bool = False  # there were groups, and one was too small

    @property
    def rate(self) -> float | None:
        return self.responses / self.expected if self.expected else None


@dataclass(frozen=True)
class Change:
    dimension: str
    title: str
    before: Stats
    after: Stats
    change: float | None  # after minus before, of the means to one decimal; None if suppressed


@dataclass(frozen=True)
class Comparison:
    before: RoundResult  # the earlier round
    after: RoundResult
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class SessionAttendance:
    id: str
    title: str
    date: dt.date | None
    present: int
    excused: int
    absent: int
    not_marked: int  # people who attend the session but have no mark


@dataclass(frozen=True)
class PersonAttendance:
    name: str
    role: str  # the role's title ("" when not on the participant list)
    held: int  # sessions held (attendance recorded) that the person attends
    present: int
    excused: int
    absent: int
    sessions: int  # all sessions of the programme the person attends
    certificate: bool  # present at enough of `sessions` for a certificate

    @property
    def rate(self) -> float | None:
        return self.present / self.held if self.held else None


@dataclass(frozen=True)
class AttendanceResult:
    sessions: tuple[SessionAttendance, ...]  # sessions with attendance recorded, in order
    people: tuple[PersonAttendance, ...]
    total_sessions: int  # sessions of the cohort's schedule
    certificate_percent: int  # the programme's rule


@dataclass(frozen=True)
class QuestionnaireInfo:
    id: str
    kind: str
    title: str
    low: int
    high: int
    labels: tuple[str, ...]  # the scale points' labels, low to high


@dataclass(frozen=True)
class Summary:
    """Everything the workbook and the report show, in one language."""

    lang: str
    title: str  # "Monialaisuusmittari: tulokset", "Läsnäolo"
    programme: str
    cohort: str  # the cohort's name, else its organisation
    organisation: str
    facilitators: tuple[str, ...]
    threshold: int
    stem: str  # the files' name: "meter-module-4", "attendance"
    as_of: datetime  # the last collect the figures include (fixed in the files' metadata)
    questionnaire: QuestionnaireInfo | None = None
    round: RoundResult | None = None
    comparison: Comparison | None = None
    attendance: AttendanceResult | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Made:
    summary: Summary
    written: tuple[Path, ...]  # relative to the cohort folder


# --- summing up ---------------------------------------------------------------------------


def summarise(
    cohort: Cohort,
    kind: str,
    round: str | None = None,
    compare: str | None = None,
    lang: str | None = None,
) -> Summary:
    """The results of `kind` (a questionnaire id or kind, or "attendance").

    `round` is a session (module-4, 4) or "pre-assignment"; by default the last round
    with answers. `compare` is another round; by default, for a meter, the first round
    with answers before `round` (the pre-assignment); NO_COMPARE for none.
    """
    lang = lang or cohort.lang
    if kind.strip().lower() == ATTENDANCE:
        if round is not None or compare not in (None, NO_COMPARE):
            raise InputError(
                "attendance results cover every session; leave out the round and --compare"
            )
        return _attendance_summary(cohort, lang)
    q = find_questionnaire(cohort, kind)
    return _questionnaire_summary(cohort, q, round, compare, lang)


def find_questionnaire(cohort: Cohort, kind: str) -> Questionnaire:
    """A questionnaire of the programme by id (`meter`), else by kind (`evaluation`)."""
    name = kind.strip().lower()
    programme = cohort.programme
    for q in programme.questionnaires:
        if q.id == name:
            return q
    of_kind = [q for q in programme.questionnaires if q.kind == name]
    if len(of_kind) == 1:
        return of_kind[0]
    ids = [q.id for q in programme.questionnaires]
    if of_kind:
        raise InputError(
            f"{programme.id} has {len(of_kind)} questionnaires of kind {name}: "
            f"{', '.join(q.id for q in of_kind)}; name one of them"
        )
    from .programme import did_you_mean

    choices = ", ".join([*ids, ATTENDANCE])
    raise InputError(
        f"no questionnaire '{kind}'{did_you_mean(name, ids)} in {programme.id}; results are for: {choices}"
    )


def rounds(cohort: Cohort, q: Questionnaire) -> list[tuple[str, Session | None]]:
    """Where `q` is answered, in order: the pre-assignment, then the sessions giving it."""
    out: list[tuple[str, Session | None]] = []
    pre = cohort.programme.pre_assignment
    if pre is not None and pre.questionnaire == q.id:
        out.append((PRE_ASSIGNMENT, None))
    out += [(s.id, s) for s in cohort.sessions() if q.id in s.spec.questionnaires]
    return out


def _pick_round(
    q: Questionnaire, name: str, given: list[tuple[str, Session | None]], flag: str
) -> tuple[str, Session | None]:
    where = ", ".join(rid for rid, _ in given)
    key = name.strip().lower()
    if key == PRE_ASSIGNMENT:
        found = next((r for r in given if r[0] == PRE_ASSIGNMENT), None)
    else:
        session = find_session([s for _, s in given if s is not None], key)
        found = (session.id, session) if session is not None else None
    if found is None:
        raise InputError(f"{flag}: {q.id} is not answered at '{name}'; it is answered at: {where}")
    return found


def _questionnaire_summary(
    cohort: Cohort, q: Questionnaire, round_name: str | None, compare: str | None, lang: str
) -> Summary:
    from . import answers

    programme = cohort.programme
    given = rounds(cohort, q)
    if not given:
        raise InputError(
            f"{q.id} is answered at no session of {programme.id} and is no pre-assignment, "
            "so there are no answers to sum up"
        )
    stored = {rid: answers.load(cohort, q.id, rid) for rid, _ in given}
    order = [rid for rid, _ in given]
    with_answers = [r for r in given if stored[r[0]]]
    collect = f"collect the filled sheets first: facilitate collect {q.id} FILE..."
    if round_name is not None:
        chosen = _pick_round(q, round_name, given, "ROUND")
        if not stored[chosen[0]]:
            raise InputError(f"no answers to {q.id} at {chosen[0]} are stored yet; {collect}")
    elif with_answers:
        chosen = with_answers[-1]
    else:
        where = ", ".join(rid for rid, _ in given)
        raise InputError(
            f"no answers to {q.id} are stored yet (it is answered at: {where}); {collect}"
        )
    other: tuple[str, Session | None] | None = None
    if compare is not None and compare.strip().lower() != NO_COMPARE:
        other = _pick_round(q, compare, given, "--compare")
        if other[0] == chosen[0]:
            raise InputError(f"--compare {compare}: that is the round shown; compare with another")
        if not stored[other[0]]:
            raise InputError(
                f"--compare: no answers to {q.id} at {other[0]} are stored yet; {collect}"
            )
    elif compare is None and q.kind == "meter":
        # The meter is run again to see what changed: against its first round answered.
        earlier = [r for r in with_answers if order.index(r[0]) < order.index(chosen[0])]
        other = earlier[0] if earlier else None

    warnings: list[str] = []
    people = _people(cohort, warnings)
    threshold = cohort.settings.anonymity_threshold
    dates = _session_dates(cohort)
    info = QuestionnaireInfo(
        id=q.id,
        kind=q.kind,
        title=programme.text(q.title, lang),
        low=q.scale_range()[0],
        high=q.scale_range()[1],
        labels=tuple(q.scale_labels(lang, tuple(programme.languages))),
    )

    def result(rid: str, session: Session | None) -> RoundResult:
        return _round(cohort, q, rid, session, stored[rid], people, lang, threshold, dates)

    main = result(*chosen)
    comparison = None
    if other is not None:
        second = result(*other)
        before, after = (
            (second, main) if order.index(second.id) < order.index(main.id) else (main, second)
        )
        comparison = _compare(before, after)
    used = [*stored[chosen[0]], *(stored[other[0]] if other else [])]
    return Summary(
        lang=lang,
        title=t(lang, "results.title", questionnaire=info.title),
        programme=programme.text(programme.title, lang),
        cohort=cohort.settings.name or cohort.settings.organisation,
        organisation=cohort.settings.organisation,
        facilitators=tuple(cohort.settings.facilitators),
        threshold=threshold,
        stem=f"{q.id}-{main.id}",
        as_of=_latest(r.collected for r in used),
        questionnaire=info,
        round=main,
        comparison=comparison,
        warnings=tuple(warnings),
    )


def _people(cohort: Cohort, warnings: list[str]) -> list[Any] | None:
    """The participant list, or None (saying why in `warnings`) when there is none to read."""
    from .participants import read_participants

    path = cohort.participants_file()
    if path is None:
        warnings.append("no participant list: the response rate is not known")
        return None
    try:
        return read_participants(path, cohort.programme)
    except FacilitateError as exc:
        warnings.append(
            f"the response rate is not known; the participant list has problems:\n{exc.message}"
        )
        return None


def _session_dates(cohort: Cohort) -> dict[str, date]:
    from .schedule import compute

    try:
        return {slot.session.id: slot.date for slot in compute(cohort)}
    except FacilitateError:  # a schedule that cannot be made is `schedule`'s to report
        return {}


def _latest(stamps: Iterable[str]) -> datetime:
    """The latest of ISO times (as `collect` stores them), naive UTC; a fixed time if none."""
    times = []
    for stamp in stamps:
        try:
            when = datetime.fromisoformat(stamp)
        except ValueError:
            continue
        if when.tzinfo is not None:
            when = when.astimezone(UTC).replace(tzinfo=None)
        times.append(when.replace(microsecond=0))
    return max(times, default=_FALLBACK_TIME)


def person_key(name: str) -> str:
    """A name as compared between the participant list, the answers and attendance."""
    return " ".join(name.split()).casefold()


def _round_titles(cohort: Cohort, session: Session | None, lang: str) -> tuple[str, str]:
    """The full and the short title of a round: 'Moduuli 4: ...' and 'Moduuli 4'."""
    from .documents import _heading, _Texts

    if session is None:
        title = t(lang, "label.pre_assignment")
        return title, title
    heading = _heading(cohort, _Texts(cohort.programme, lang), session)
    return heading, session.prefix(cohort.programme, lang) or heading


def _attends(session: Session | None, role: str) -> bool:
    return session is None or session.spec.participants is None or role in session.spec.participants


def _expected(
    cohort: Cohort, q: Questionnaire, session: Session | None, people: list[Any] | None
) -> int | None:
    """Who should answer: participants of the respondent roles who attend the round."""
    if people is None:
        return None
    roles = {r.id for r in cohort.programme.participant_roles()}
    if q.respondents is not None:
        roles &= set(q.respondents)
    return sum(1 for p in people if p.role in roles and _attends(session, p.role))


def _stats(per_person: Sequence[Sequence[int]], low: int, high: int, threshold: int) -> Stats:
    """Figures of the scores of several people (one list per person)."""
    answered = [scores for scores in per_person if scores]
    scores = [score for person in answered for score in person]
    if len(answered) < threshold or not scores:
        return Stats(len(answered), len(scores), True)
    return Stats(
        n=len(answered),
        answers=len(scores),
        suppressed=False,
        mean=statistics.fmean(scores),
        median=float(statistics.median(scores)),
        distribution=tuple(scores.count(point) for point in range(low, high + 1)),
    )


def _scores(q: Questionnaire, response: Response, statement_ids: Iterable[str]) -> list[int]:
    low, high = q.scale_range()
    return [
        response.answers[sid]
        for sid in statement_ids
        if sid in response.answers and low <= response.answers[sid] <= high
    ]


def dimension_results(
    cohort: Cohort, q: Questionnaire, responses: Sequence[Response], lang: str, threshold: int
) -> tuple[DimensionResult, ...]:
    programme = cohort.programme
    low, high = q.scale_range()
    out = []
    for dimension in q.dimensions:
        ids = [s.id for s in dimension.statements]
        statements = tuple(
            StatementResult(
                s.id,
                programme.text(s.text, lang),
                _stats([_scores(q, r, [s.id]) for r in responses], low, high, threshold),
            )
            for s in dimension.statements
        )
        out.append(
            DimensionResult(
                id=dimension.id,
                title=programme.text(dimension.title, lang),
                description=programme.text(dimension.description, lang),
                stats=_stats([_scores(q, r, ids) for r in responses], low, high, threshold),
                statements=statements,
            )
        )
    return tuple(out)


def _texts(answers: Iterable[str]) -> tuple[str, ...]:
    """Open answers as shown: tidied, the empty ones left out, sorted alphabetically, so
    that neither their order nor a line break tells who wrote which."""
    tidy = (" ".join(text.split()) for text in answers)
    return tuple(sorted((text for text in tidy if text), key=lambda text: (text.casefold(), text)))


def _round(
    cohort: Cohort,
    q: Questionnaire,
    rid: str,
    session: Session | None,
    responses: list[Response],
    people: list[Any] | None,
    lang: str,
    threshold: int,
    dates: Mapping[str, date],
) -> RoundResult:
    programme = cohort.programme
    title, label = _round_titles(cohort, session, lang)
    suppressed = len(responses) < threshold
    open_answers = tuple(
        OpenAnswers(
            question.id,
            programme.text(question.text, lang),
            () if suppressed else _texts(r.open.get(question.id, "") for r in responses),
        )
        for question in q.open_questions
    )
    roles, rows, withheld = _by_role(cohort, q, responses, people, lang, threshold)
    return RoundResult(
        id=rid,
        title=title,
        label=label,
        date=dates.get(rid),
        responses=len(responses),
        expected=_expected(cohort, q, session, people),
        collected=_latest(r.collected for r in responses).date()
        if any(r.collected for r in responses)
        else None,
        suppressed=suppressed,
        dimensions=dimension_results(cohort, q, responses, lang, threshold),
        open_answers=open_answers,
        roles=roles,
        role_rows=rows,
        roles_withheld=withheld,
    )


def _by_role(
    cohort: Cohort,
    q: Questionnaire,
    responses: list[Response],
    people: list[Any] | None,
    lang: str,
    threshold: int,
) -> tuple[tuple[RoleResult, ...], tuple[RoleRow, ...], bool]:
    """The groups per role and their figures side by side, when the answers come from two
    roles or more and every group reaches the threshold; else none, and whether groups
    were withheld. Roles in the programme's order."""
    listed = {person_key(p.name): p.role for p in people or ()}
    groups: dict[str, list[Response]] = {}
    for response in responses:
        role = response.role or listed.get(person_key(response.respondent), "")
        groups.setdefault(role, []).append(response)
    if len(groups) < 2:
        return (), (), False
    if any(len(group) < threshold for group in groups.values()):
        return (), (), True
    order = [r.id for r in cohort.programme.roles]
    ordered = sorted(groups, key=lambda r: order.index(r) if r in order else len(order))
    roles = tuple(
        RoleResult(role, _role_title(cohort, role, lang), len(groups[role])) for role in ordered
    )
    per_role = [dimension_results(cohort, q, groups[role], lang, threshold) for role in ordered]
    rows = []
    for same in zip(*per_role, strict=True):  # one dimension, as each role answered it
        rows.append(_role_row(same[0].id, same[0].title, False, [d.stats for d in same]))
        for statements in zip(*(d.statements for d in same), strict=True):
            first = statements[0]
            rows.append(_role_row(first.id, first.text, True, [s.stats for s in statements]))
    return roles, tuple(rows), False


def _role_title(cohort: Cohort, role: str, lang: str) -> str:
    return cohort.programme.role_title(role, lang) if role else t(lang, "results.role_unknown")


def _role_row(key: str, text: str, statement: bool, stats: Sequence[Stats]) -> RoleRow:
    """One row of the roles' figures. When one role's are withheld, so are the others':
    from theirs and the whole, shown elsewhere, the withheld could be worked out."""
    if any(s.suppressed for s in stats):
        stats = [Stats(s.n, s.answers, True) for s in stats]
    difference = _difference(stats[0].mean, stats[1].mean) if len(stats) == 2 else None
    return RoleRow(key, text, statement, tuple(stats), difference)


def _difference(first: float | None, second: float | None) -> float | None:
    """`first` minus `second` of the means as shown, so that a table adds up (2,7 → 3,2 is
    +0,5, not the +0,6 of the unrounded means); None when either is withheld."""
    if first is None or second is None:
        return None
    return round(shown(first) - shown(second), 1)


def _compare(before: RoundResult, after: RoundResult) -> Comparison:
    earlier = {d.id: d for d in before.dimensions}
    changes = []
    for d in after.dimensions:
        b = earlier[d.id].stats
        changes.append(Change(d.id, d.title, b, d.stats, _difference(d.stats.mean, b.mean)))
    return Comparison(before, after, tuple(changes))


# --- attendance -------------------------------------------------------------------------


def present_count(
    marks: Mapping[str, Mapping[str, str]], name: str, sessions: Iterable[str]
) -> int | None:
    """At how many of `sessions` `name` was marked present; None when no attendance of
    theirs is recorded at all (then the participant list's `attended` column decides)."""
    key = person_key(name)
    wanted = set(sessions)
    recorded = False
    present = 0
    for sid, people in marks.items():
        for who, mark in people.items():
            if person_key(who) == key:
                recorded = True
                if mark == "present" and sid in wanted:
                    present += 1
    return present if recorded else None


def _attendance_summary(cohort: Cohort, lang: str) -> Summary:
    from . import answers
    from .schedule import compute

    programme = cohort.programme
    marks = answers.load_attendance(cohort)
    if not any(marks.values()):
        raise InputError(
            "no attendance is recorded yet; collect the filled attendance sheets first: "
            "facilitate collect attendance FILE..."
        )
    warnings: list[str] = []
    people = _people(cohort, warnings) or []
    slots = [s for s in compute(cohort) if not s.reminder]
    held = [s for s in slots if marks.get(s.session.id)]
    known = {s.session.id for s in slots}
    for sid in sorted(set(marks) - known):
        warnings.append(
            f"attendance is recorded for '{sid}', which is no session of this cohort; it is left out"
        )
    keyed = {sid: {person_key(n): m for n, m in marked.items()} for sid, marked in marks.items()}

    sessions = []
    for slot in held:
        recorded = keyed[slot.session.id]
        counts = {
            mark: sum(1 for m in recorded.values() if m == mark)
            for mark in ("present", "excused", "absent")
        }
        expected = [p for p in people if _attends(slot.session, p.role)]
        sessions.append(
            SessionAttendance(
                id=slot.session.id,
                title=_round_titles(cohort, slot.session, lang)[0],
                date=slot.date,
                present=counts["present"],
                excused=counts["excused"],
                absent=counts["absent"],
                not_marked=sum(1 for p in expected if person_key(p.name) not in recorded),
            )
        )

    rows = []
    listed = set()
    for person in people:
        key = person_key(person.name)
        listed.add(key)
        theirs = [s for s in slots if _attends(s.session, person.role)]
        theirs_held = [s for s in held if _attends(s.session, person.role)]
        got = [keyed[s.session.id].get(key) for s in theirs_held]
        present = sum(1 for m in got if m == "present")
        rows.append(
            PersonAttendance(
                name=person.name,
                role=programme.text(programme.role(person.role).title, lang),
                held=len(theirs_held),
                present=present,
                excused=sum(1 for m in got if m == "excused"),
                absent=sum(1 for m in got if m == "absent"),
                sessions=len(theirs),
                certificate=bool(theirs)
                and present / len(theirs) * 100 >= programme.certificate_attendance,
            )
        )
    strangers: dict[str, str] = {}
    for sid, marked in marks.items():
        if sid in known:
            for name in marked:
                if person_key(name) not in listed:
                    strangers.setdefault(person_key(name), name)
    for key, name in sorted(strangers.items()):
        if people:
            warnings.append(
                f"{name} is marked in the attendance but is not on the participant list"
            )
        got = [keyed[s.session.id].get(key) for s in held if key in keyed[s.session.id]]
        rows.append(
            PersonAttendance(
                name=name,
                role="",
                held=len(got),
                present=sum(1 for m in got if m == "present"),
                excused=sum(1 for m in got if m == "excused"),
                absent=sum(1 for m in got if m == "absent"),
                sessions=0,
                certificate=False,
            )
        )
    path = answers.attendance_path(cohort)
    as_of = datetime.fromtimestamp(int(path.stat().st_mtime), UTC).replace(tzinfo=None)
    return Summary(
        lang=lang,
        title=t(lang, "results.attendance"),
        programme=programme.text(programme.title, lang),
        cohort=cohort.settings.name or cohort.settings.organisation,
        organisation=cohort.settings.organisation,
        facilitators=tuple(cohort.settings.facilitators),
        threshold=cohort.settings.anonymity_threshold,
        stem=ATTENDANCE,
        as_of=as_of,
        attendance=AttendanceResult(
            sessions=tuple(sessions),
            people=tuple(rows),
            total_sessions=len(slots),
            certificate_percent=programme.certificate_attendance,
        ),
        warnings=tuple(warnings),
    )


# --- writing both files -------------------------------------------------------------------


def make(
    cohort: Cohort,
    kind: str,
    round: str | None = None,
    compare: str | None = None,
    lang: str | None = None,
    force: bool = False,
    templates: Path | None = None,
) -> Made:
    """Sum up, and write out/results/<stem>.xlsx and .docx (refusing files edited by hand
    unless `force`)."""
    from .generated import GeneratedFiles
    from .handouts import templates_folder

    summary = summarise(cohort, kind, round, compare, lang)
    folder = templates_folder(cohort, templates)
    own = folder / "report.docx" if folder is not None else None
    template = own if own is not None and own.is_file() else None
    files = [
        (RESULTS_DIR / f"{summary.stem}.xlsx", write_xlsx(summary)),
        (RESULTS_DIR / f"{summary.stem}.docx", write_report(summary, template)),
    ]
    GeneratedFiles(cohort.folder).write_many(files, force=force)
    return Made(summary, tuple(path for path, _ in files))


def _fixed_zip(data: bytes, when: datetime) -> bytes:
    """The same package with every entry dated `when`, and its core properties too: the
    same answers make the same bytes, so a file already up to date is left alone (even
    when Excel or Word has it open)."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = blob.decode("utf-8")
                for name in ("created", "modified"):
                    text = re.sub(
                        rf"(<dcterms:{name}\b[^>]*>)[^<]*(</dcterms:{name}>)",
                        rf"\g<1>{stamp}\g<2>",
                        text,
                    )
                blob = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, blob)
    return out.getvalue()


def shown(value: float) -> float:
    """`value` to one decimal, half up: as Excel's "0.0" shows it, and as the report and
    the terminal show it (Babel alone would round 3.25 to 3.2, Excel to 3.3)."""
    from decimal import ROUND_HALF_UP, Decimal

    return float(Decimal(repr(value)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def number_text(value: float, lang: str, signed: bool = False) -> str:
    """A mean or a change as shown everywhere: '3,3', '+0,5'."""
    from .formatting import decimal

    return decimal(shown(value), lang, 1, signed)


_num = number_text


def _count(value: int, lang: str) -> str:
    from .formatting import number

    return number(value, lang)


def response_text(r: RoundResult, lang: str) -> str:
    """'6/8 (75 %)', '6 av 8 (75 %)'; only the count without a participant list."""
    from .formatting import percent

    if r.rate is None or r.expected is None:
        return _count(r.responses, lang)
    return t(
        lang,
        "results.responses_of",
        responses=_count(r.responses, lang),
        expected=_count(r.expected, lang),
        rate=percent(r.rate, lang),
    )


def _scale_text(info: QuestionnaireInfo) -> str:
    return f"{info.low} = {info.labels[0]} … {info.high} = {info.labels[-1]}"


def _date_text(d: date | None, lang: str) -> str:
    from .formatting import short_date

    return short_date(d, lang) if d is not None else ""


def _details(summary: Summary) -> list[tuple[str, str]]:
    """The 'label: value' lines at the top of both files."""
    lang = summary.lang
    lines = [
        (t(lang, "results.programme"), summary.programme),
        (t(lang, "results.cohort"), summary.cohort),
    ]
    if summary.facilitators:
        lines.append((t(lang, "doc.facilitators"), ", ".join(summary.facilitators)))
    r = summary.round
    if r is not None and summary.questionnaire is not None:
        when = f"{r.title} ({_date_text(r.date, lang)})" if r.date else r.title
        lines.append((t(lang, "results.round"), when))
        if summary.comparison is not None:
            other = (
                summary.comparison.before
                if summary.comparison.after is r
                else summary.comparison.after
            )
            lines.append((t(lang, "results.compared_with"), other.title))
        lines.append((t(lang, "results.responses"), response_text(r, lang)))
        if r.collected:
            lines.append((t(lang, "results.collected"), _date_text(r.collected, lang)))
        lines.append((t(lang, "results.scale"), _scale_text(summary.questionnaire)))
    a = summary.attendance
    if a is not None:
        held = f"{_count(len(a.sessions), lang)} / {_count(a.total_sessions, lang)}"
        lines.append((t(lang, "results.held"), held))
    return lines


# --- the workbook -------------------------------------------------------------------------


def _sheet_name(text: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\, unique."""
    name = re.sub(r"[\[\]:*?/\\]", " ", text).strip().strip("'") or "Sheet"
    if len(name) > 31:
        name = name[:30].rstrip() + "…"
    base, n = name, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name.casefold())
    return name


def write_xlsx(summary: Summary) -> bytes:
    """The workbook: an about sheet, the tables (one sheet each, header frozen) and
    native Excel charts: statement means per dimension, the two rounds side by side."""
    from openpyxl import Workbook

    wb = Workbook()
    about = wb.active
    assert about is not None
    taken: set[str] = set()
    about.title = _sheet_name(t(summary.lang, "results.about"), taken)
    _about_sheet(about, summary)
    if summary.round is not None and summary.questionnaire is not None:
        _questionnaire_sheets(wb, summary, summary.round, summary.questionnaire, taken)
    if summary.attendance is not None:
        _attendance_sheets(wb, summary, summary.attendance, taken)
    wb.properties.title = summary.title
    wb.properties.creator = "facilitate"
    buffer = io.BytesIO()
    wb.save(buffer)
    return _fixed_zip(buffer.getvalue(), summary.as_of)


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Font, PatternFill

    return {
        "header_font": Font(name="Calibri", size=11, bold=True, color="FFFFFF"),
        "header_fill": PatternFill("solid", fgColor=ACCENT.lstrip("#")),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "header_align": Alignment(wrap_text=True, vertical="center"),
        "bold": Font(name="Calibri", size=11, bold=True),
        "title": Font(name="Calibri", size=14, bold=True, color=ACCENT.lstrip("#")),
        "muted": Font(name="Calibri", size=11, italic=True, color=MUTED.lstrip("#")),
        "left": Alignment(horizontal="left", vertical="top", wrap_text=True),
    }


def _header(
    ws: Worksheet, titles: Sequence[str], widths: Sequence[float], height: float | None = None
) -> None:
    """The first row, frozen; `height` in points, for titles on two lines."""
    from openpyxl.utils import get_column_letter

    from .workbook import put

    styles = _styles()
    for col, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = ws.cell(row=1, column=col)
        put(cell, title)
        cell.font = styles["header_font"]
        cell.fill = styles["header_fill"]
        cell.alignment = styles["header_align"]
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    if height is not None:
        ws.row_dimensions[1].height = height


def _finish(ws: Worksheet, last_row: int, columns: int, chart: Any = None) -> None:
    """Top-aligned rows (a wrapped statement beside its numbers), and a print area one
    page wide that takes in the chart, which is made no wider than the printed columns."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    from .workbook import print_setup

    for row in ws.iter_rows(min_row=2, max_row=last_row, max_col=columns):
        for cell in row:
            if cell.value is not None and not cell.alignment.wrap_text:
                cell.alignment = Alignment(vertical="top", horizontal=cell.alignment.horizontal)
    rows = 0
    if chart is not None:
        # A column of width w (characters) is about 0.19 w cm wide.
        printed = sum(
            (ws.column_dimensions[get_column_letter(c)].width or 8.43) * 0.19
            for c in range(1, columns + 1)
        )
        chart.width = min(chart.width, printed - 0.5)
        rows = _chart_rows(chart)
    print_setup(ws, f"A1:{get_column_letter(columns)}{last_row + rows}", "1:1")


def _about_sheet(ws: Worksheet, summary: Summary) -> None:
    from .workbook import put

    styles = _styles()
    put(ws["A1"], summary.title)
    ws["A1"].font = styles["title"]
    row = 3
    lang = summary.lang
    lines: list[tuple[str, Any]] = list(_details(summary))
    r = summary.round
    if r is not None:
        lines = [line for line in lines if line[0] != t(lang, "results.responses")]
        lines.append((t(lang, "results.responses"), r.responses))
        lines.append((t(lang, "results.expected"), r.expected if r.expected is not None else "–"))
        lines.append((t(lang, "results.response_rate"), r.rate if r.rate is not None else "–"))
        lines.append((t(lang, "results.threshold"), summary.threshold))
    for label, value in lines:
        put(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font = styles["bold"]
        cell = ws.cell(row=row, column=2)
        put(cell, value)
        cell.alignment = styles["left"]
        if label == t(lang, "results.response_rate") and isinstance(value, float):
            cell.number_format = "0%"
        row += 1
    row += 1
    notes = []
    if r is not None:
        notes.append(t(lang, "results.threshold_note", threshold=summary.threshold))
        if r.suppressed:
            notes.append(
                t(lang, "results.too_few_round", responses=r.responses, threshold=summary.threshold)
            )
    if summary.attendance is not None:
        from .formatting import percent

        notes.append(
            t(
                lang,
                "results.certificate_rule",
                percent=percent(summary.attendance.certificate_percent / 100, lang),
            )
        )
    for note in notes:
        put(ws.cell(row=row, column=1), note)
        ws.cell(row=row, column=1).font = styles["muted"]
        row += 1
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 70
    _finish(ws, row, 2)


def _stats_cells(
    ws: Worksheet, row: int, col: int, stats: Stats, points: int, too_few: str
) -> None:
    """n, mean, median, the answers per scale point and a note, from column `col` on."""
    from .workbook import put

    put(ws.cell(row=row, column=col), stats.n)
    if stats.suppressed:
        put(ws.cell(row=row, column=col + 3 + points), too_few)
        return
    for offset, value, fmt in ((1, stats.mean, "0.0"), (2, stats.median, "0.0")):
        cell = ws.cell(row=row, column=col + offset)
        put(cell, value)
        cell.number_format = fmt
    for i, count in enumerate(stats.distribution or ()):
        put(ws.cell(row=row, column=col + 3 + i), count)


def _stats_header(
    summary: Summary, info: QuestionnaireInfo, first: str, first_width: float
) -> tuple[list[str], list[float]]:
    lang = summary.lang
    points = [
        f"{p}\n{label}"
        for p, label in zip(range(info.low, info.high + 1), info.labels, strict=True)
    ]
    titles = [
        first,
        t(lang, "results.n"),
        t(lang, "results.mean"),
        t(lang, "results.median"),
        *points,
        t(lang, "results.note"),
    ]
    widths = [first_width, 7, 11, 11, *[13] * len(points), 28]
    return titles, widths


def _questionnaire_sheets(
    wb: Any, summary: Summary, r: RoundResult, info: QuestionnaireInfo, taken: set[str]
) -> None:
    lang = summary.lang
    _stats_sheet(
        wb.create_sheet(_sheet_name(t(lang, "results.dimensions"), taken)),
        summary,
        info,
        (t(lang, "results.dimension"), 40),
        [(d.title, d.stats) for d in r.dimensions],
        None,
        (t(lang, "results.dimensions"), r.label),
    )
    for i, d in enumerate(r.dimensions, start=1):
        _stats_sheet(
            wb.create_sheet(_sheet_name(f"{i} {d.title}", taken)),
            summary,
            info,
            (t(lang, "results.statement"), 60),
            [(s.text, s.stats) for s in d.statements],
            (t(lang, "results.all_statements"), d.stats),
            (d.title, r.label),
        )
    if summary.comparison is not None:
        ws = wb.create_sheet(_sheet_name(t(lang, "results.comparison"), taken))
        _comparison_sheet(ws, summary, summary.comparison, info)
    if r.roles or _roles_withheld_shown(r, info):
        _roles_sheet(
            wb.create_sheet(_sheet_name(t(lang, "results.by_role"), taken)), summary, r, info
        )
    if r.open_answers:
        ws = wb.create_sheet(_sheet_name(t(lang, "results.open_answers"), taken))
        _open_answers_sheet(ws, summary, r)


def _roles_withheld_shown(r: RoundResult, info: QuestionnaireInfo) -> bool:
    """Whether to say that the roles are not shown apart: for an evaluation, which asks
    the roles so that their answers can be compared; elsewhere (a coordinator answering
    feedback with the team) the note would be noise."""
    return r.roles_withheld and info.kind == "evaluation"


def _stats_sheet(
    ws: Worksheet,
    summary: Summary,
    info: QuestionnaireInfo,
    first: tuple[str, float],
    items: Sequence[tuple[str, Stats]],
    total: tuple[str, Stats] | None,
    chart: tuple[str, str],
) -> None:
    """A table of figures (n, mean, median, answers per scale point), one row per item and
    `total` in bold below, and a chart of the items' means (`chart`: title, series name)."""
    too_few = t(summary.lang, "results.too_few")
    points = info.high - info.low + 1
    titles, widths = _stats_header(summary, info, *first)
    _header(ws, titles, widths, height=45)
    for row, (text, stats) in enumerate(items, start=2):
        _text_cell(ws, row, text)
        _stats_cells(ws, row, 2, stats, points, too_few)
    last = end = len(items) + 1
    if total is not None:
        end += 1
        _text_cell(ws, end, total[0])
        _stats_cells(ws, end, 2, total[1], points, too_few)
        _bold_row(ws, end, len(titles))
    if not items:
        _finish(ws, end, len(titles))
        return
    bars = _bar_chart(info, chart[0], len(items))
    _series(bars, ws, [(3, chart[1])], last)
    _colour(bars, [ACCENT])
    _add_chart(ws, bars, end, len(titles))


def _comparison_sheet(
    ws: Worksheet, summary: Summary, c: Comparison, info: QuestionnaireInfo
) -> None:
    """The two rounds' means and n per dimension, the change, and both rounds charted."""
    from .workbook import put

    lang = summary.lang
    titles = [
        t(lang, "results.dimension"),
        f"{c.before.label}\n{t(lang, 'results.mean')}",
        f"{c.before.label}\n{t(lang, 'results.n')}",
        f"{c.after.label}\n{t(lang, 'results.mean')}",
        f"{c.after.label}\n{t(lang, 'results.n')}",
        t(lang, "results.change"),
        t(lang, "results.note"),
    ]
    _header(ws, titles, [40, 17, 17, 17, 17, 12, 28], height=45)
    for row, change in enumerate(c.changes, start=2):
        _text_cell(ws, row, change.title)
        _mean_cells(ws, row, 2, change.before)
        _mean_cells(ws, row, 4, change.after)
        _difference_cell(ws.cell(row=row, column=6), change.change)
        if change.change is None:
            put(ws.cell(row=row, column=7), t(lang, "results.too_few"))
    last = len(c.changes) + 1
    chart = _bar_chart(
        info,
        t(lang, "results.change_from", before=c.before.label, after=c.after.label),
        len(c.changes),
        series=2,
    )
    _series(chart, ws, [(2, c.before.label), (4, c.after.label)], last)
    _colour(chart, [LIGHT, ACCENT])
    _add_chart(ws, chart, last, len(titles))


def _roles_sheet(ws: Worksheet, summary: Summary, r: RoundResult, info: QuestionnaireInfo) -> None:
    """Each role's mean and n side by side (with two roles, their difference): first the
    dimensions, charted, then every statement under its dimension."""
    from .workbook import put

    lang = summary.lang
    too_few = t(lang, "results.too_few")
    if not r.roles:
        _header(ws, [t(lang, "results.by_role")], [100])
        put(ws["A2"], t(lang, "results.roles_withheld", threshold=summary.threshold))
        _finish(ws, 2, 1)
        return
    titles = [t(lang, "results.dimension_and_statements")]
    for role in r.roles:
        titles += [
            f"{role.title}\n{t(lang, 'results.mean')}",
            f"{role.title}\n{t(lang, 'results.n')}",
        ]
    two = len(r.roles) == 2
    if two:
        titles.append(f"{t(lang, 'results.difference')}\n{_difference_title(r)}")
    titles.append(t(lang, "results.note"))
    _header(ws, titles, [62, *[14, 9] * len(r.roles), *([16] if two else []), 28], height=45)
    dimensions = [row for row in r.role_rows if not row.statement]

    def figures(row: int, values: RoleRow) -> None:
        for j, stats in enumerate(values.stats):
            _mean_cells(ws, row, 2 + 2 * j, stats)
        if two:
            _difference_cell(ws.cell(row=row, column=len(titles) - 1), values.difference)
        if any(s.suppressed for s in values.stats):
            put(ws.cell(row=row, column=len(titles)), too_few)

    for row, values in enumerate(dimensions, start=2):
        _text_cell(ws, row, values.text)
        figures(row, values)
    last = len(dimensions) + 1
    row = last + 1
    for values in r.role_rows:
        row += 1
        _text_cell(ws, row, values.text, indent=1 if values.statement else 0)
        if values.statement:
            figures(row, values)
        else:  # the heading of its statements, its own figures stand above
            _bold_row(ws, row, 1)
    chart = _bar_chart(info, t(lang, "results.by_role"), len(dimensions), series=len(r.roles))
    _series(chart, ws, [(2 + 2 * j, role.title) for j, role in enumerate(r.roles)], last)
    _colour(chart, _series_colours(len(r.roles)))
    _add_chart(ws, chart, row, len(titles))


def _difference_title(r: RoundResult) -> str:
    """'Mentor − Adept': which way round the difference of two roles is taken."""
    return f"{r.roles[0].title} − {r.roles[1].title}"


def _open_answers_sheet(ws: Worksheet, summary: Summary, r: RoundResult) -> None:
    from .workbook import put

    lang = summary.lang
    _header(ws, [t(lang, "results.question"), t(lang, "results.answer")], [40, 90])
    row, wrap = 2, _styles()["wrap"]
    for question in r.open_answers:
        answers: Sequence[str] = question.answers
        if r.suppressed:
            answers = [t(lang, "results.open_withheld", threshold=summary.threshold)]
        elif not answers:
            answers = [t(lang, "results.no_answers")]
        for answer in answers:
            _text_cell(ws, row, question.text)
            put(ws.cell(row=row, column=2), answer)
            ws.cell(row=row, column=2).alignment = wrap
            row += 1
    _finish(ws, row - 1, 2)


def _text_cell(ws: Worksheet, row: int, text: str, indent: int = 0) -> None:
    """A row's first cell: a dimension, statement or question, wrapped to its column."""
    from openpyxl.styles import Alignment

    from .workbook import put

    cell = ws.cell(row=row, column=1)
    put(cell, text)
    cell.alignment = Alignment(wrap_text=True, vertical="top", indent=indent)


def _bold_row(ws: Worksheet, row: int, columns: int) -> None:
    bold = _styles()["bold"]
    for col in range(1, columns + 1):
        ws.cell(row=row, column=col).font = bold


def _mean_cells(ws: Worksheet, row: int, col: int, stats: Stats) -> None:
    """The mean (empty when withheld, for a chart to leave out) and n beside it."""
    from .workbook import put

    cell = ws.cell(row=row, column=col)
    put(cell, stats.mean)
    cell.number_format = "0.0"
    put(ws.cell(row=row, column=col + 1), stats.n)


def _difference_cell(cell: Any, value: float | None) -> None:
    from .workbook import put

    put(cell, value)
    cell.number_format = "+0.0;-0.0;0.0"


def _add_chart(ws: Worksheet, chart: Any, end: int, columns: int) -> None:
    """`chart` a row below the table that ends at row `end`, and inside the print area."""
    ws.add_chart(chart, f"A{end + 2}")
    _finish(ws, end + 1, columns, chart)


def _series_colours(count: int) -> list[str]:
    """Two series told apart by lightness (also in grey print and by colour-blind
    readers), the first lighter; more, by hue as well."""
    if count == 2:
        return [LIGHT, ACCENT]
    palette = [ACCENT, LIGHT, EXCUSED, ABSENT, MUTED]
    return [palette[i % len(palette)] for i in range(count)]


def _bar_chart(info: QuestionnaireInfo, title: str, categories: int, series: int = 1) -> Any:
    """A horizontal bar chart of means on the scale, first category on top."""
    from openpyxl.chart import BarChart
    from openpyxl.chart.label import DataLabelList

    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.title = title
    chart.y_axis.scaling.min = info.low
    chart.y_axis.scaling.max = info.high
    chart.y_axis.majorUnit = 1
    chart.y_axis.number_format = "0"
    chart.y_axis.crosses = "max"  # with the categories top-down, keep the scale below
    chart.x_axis.scaling.orientation = "maxMin"
    # openpyxl marks axes deleted unless told; Excel then draws none.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    # Only the value: LibreOffice shows the series and category too unless told not to.
    chart.dataLabels = DataLabelList(
        showVal=True, showSerName=False, showCatName=False, showLegendKey=False, showPercent=False
    )
    chart.dataLabels.numFmt = "0.0"
    if series == 1:
        chart.legend = None
    else:
        chart.legend.position = "b"
    chart.width = 24
    chart.height = max(6.0, 2.5 + categories * series * 0.9)
    return chart


def _series(chart: Any, ws: Worksheet, columns: Sequence[tuple[int, str]], last: int) -> None:
    """One series per (column, name) of rows 2 to `last`, the categories in column A."""
    from openpyxl.chart import Reference, Series

    for col, name in columns:
        chart.series.append(Series(Reference(ws, min_col=col, min_row=2, max_row=last), title=name))
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))


def _colour(chart: Any, colours: Sequence[str]) -> None:
    for series, colour in zip(chart.series, colours, strict=False):
        series.graphicalProperties.solidFill = colour.lstrip("#")
        series.graphicalProperties.line.solidFill = colour.lstrip("#")


def _chart_rows(chart: Any) -> int:
    """Rows a chart covers (at the default 15 point row height), for the print area."""
    return int(chart.height / 0.53) + 2


def _attendance_sheets(wb: Any, summary: Summary, a: AttendanceResult, taken: set[str]) -> None:
    from openpyxl.chart import BarChart

    from .formatting import percent
    from .workbook import put

    lang = summary.lang
    ws = wb.create_sheet(_sheet_name(t(lang, "results.participants"), taken))
    titles = [
        t(lang, "results.participant"),
        t(lang, "results.role"),
        t(lang, "results.present"),
        t(lang, "results.excused"),
        t(lang, "results.absent"),
        t(lang, "results.held"),
        t(lang, "results.rate"),
        f"{t(lang, 'results.certificate')} (≥ {percent(a.certificate_percent / 100, lang)})",
    ]
    _header(ws, titles, [30, 26, 11, 13, 11, 13, 13, 16], height=32)
    for row, p in enumerate(a.people, start=2):
        for col, value in enumerate(
            (p.name, p.role, p.present, p.excused, p.absent, p.held, p.rate,
             t(lang, "results.yes") if p.certificate else t(lang, "results.not_yet")),
            start=1,
        ):  # fmt: skip
            put(ws.cell(row=row, column=col), value)
        ws.cell(row=row, column=7).number_format = "0%"
    _finish(ws, len(a.people) + 1, len(titles))

    ws = wb.create_sheet(_sheet_name(t(lang, "results.sessions"), taken))
    titles = [
        t(lang, "results.session"),
        t(lang, "results.date"),
        t(lang, "results.present"),
        t(lang, "results.excused"),
        t(lang, "results.absent"),
        t(lang, "results.not_marked"),
    ]
    _header(ws, titles, [44, 13, 11, 13, 11, 13], height=32)
    for row, s in enumerate(a.sessions, start=2):
        _text_cell(ws, row, s.title)
        cell = ws.cell(row=row, column=2)
        put(cell, s.date)  # type: ignore[arg-type]
        cell.number_format = "d mmm yyyy" if lang == "en" else "d.m.yyyy"
        for col, value in enumerate((s.present, s.excused, s.absent, s.not_marked), start=3):
            put(ws.cell(row=row, column=col), value)
    last = len(a.sessions) + 1
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = t(lang, "results.attendance")
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.crosses = "max"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.majorUnit = 1
    chart.legend.position = "b"
    _series(chart, ws, [(col, titles[col - 1]) for col in (3, 4, 5)], last)
    _colour(chart, [ACCENT, EXCUSED, ABSENT])
    chart.width = 24
    chart.height = max(6.0, 2.5 + len(a.sessions) * 0.9)
    _add_chart(ws, chart, last, len(titles))


# --- the charts of the report ----------------------------------------------------------------


def _png(figure: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    # No software version in the file: the same answers give the same bytes.
    figure.savefig(buffer, format="png", dpi=200, metadata={"Software": None})
    return buffer.getvalue()


def _wrap(text: str, width: int = 42) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _rc() -> Any:
    return {
        "font.family": CHART_FONT,
        "font.size": 9,
        "axes.edgecolor": MUTED,
        "axes.labelcolor": TEXT,
        "xtick.color": TEXT,
        "ytick.color": TEXT,
        "text.color": TEXT,
        "svg.hashsalt": "facilitate",
    }


def means_chart(
    labels: Sequence[str],
    series: Sequence[Sequence[float | None]],
    names: Sequence[str],
    low: int,
    high: int,
    lang: str,
    too_few: str,
    axis: str,
) -> bytes:
    """Horizontal bars of means on the scale `low`–`high` (the axis always shows the
    whole scale), each labelled with its value; a missing value says `too_few`. With two
    series, the first is the earlier round, lighter, and a legend names them."""
    import matplotlib
    from matplotlib.figure import Figure

    wrapped = [_wrap(label) for label in labels]
    lines = sum(label.count("\n") + 1 for label in wrapped)
    per = len(series)
    height = 0.55 + 0.22 * lines + 0.28 * len(labels) * per + (0.35 if per > 1 else 0)
    colours = _series_colours(per)
    with matplotlib.rc_context(_rc()):
        figure = Figure(figsize=(CHART_WIDTH_CM / 2.54, max(1.6, height)), layout="constrained")
        ax = figure.add_subplot()
        bar = 0.8 / per
        for s, values in enumerate(series):
            for i, value in enumerate(values):
                y = i - 0.4 + bar * (s + 0.5)
                if value is None:
                    ax.text(
                        low + 0.05,
                        y,
                        too_few,
                        va="center",
                        ha="left",
                        fontsize=8,
                        style="italic",
                        color=MUTED,
                    )
                    continue
                ax.barh(y, value - low, left=low, height=bar * 0.9, color=colours[s],
                        label=names[s] if i == next(j for j, v in enumerate(values) if v is not None) else None)  # fmt: skip
                text = _num(value, lang)
                inside = value > high - (high - low) * 0.12
                ax.text(
                    value - 0.04 if inside else value + 0.04,
                    y,
                    text,
                    va="center",
                    ha="right" if inside else "left",
                    fontsize=8.5,
                    fontweight="bold",
                    color="white" if inside and colours[s] == ACCENT else TEXT,
                )
        ax.set_xlim(low, high)
        ax.set_xticks(range(low, high + 1))
        ax.set_yticks(range(len(labels)), wrapped)
        ax.set_ylim(len(labels) - 0.5, -0.5)  # the first on top
        ax.set_xlabel(axis)
        ax.grid(axis="x", color="#D5DCE2", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if per > 1:
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18 - 0.02 * lines / max(1, len(labels))),
                      ncols=per, frameon=False)  # fmt: skip
        return _png(figure)


def attendance_chart(sessions: Sequence[SessionAttendance], names: Sequence[str]) -> bytes:
    """Stacked bars per session: present, excused, absent."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    wrapped = [_wrap(s.title, 40) for s in sessions]
    lines = sum(label.count("\n") + 1 for label in wrapped)
    with matplotlib.rc_context(_rc()):
        figure = Figure(
            figsize=(CHART_WIDTH_CM / 2.54, max(1.8, 0.9 + 0.22 * lines + 0.3 * len(sessions))),
            layout="constrained",
        )
        ax = figure.add_subplot()
        left = [0] * len(sessions)
        for name, colour, values in zip(
            names,
            (ACCENT, EXCUSED, ABSENT),
            (
                [s.present for s in sessions],
                [s.excused for s in sessions],
                [s.absent for s in sessions],
            ),
            strict=True,
        ):
            ax.barh(range(len(sessions)), values, left=left, color=colour, label=name, height=0.7)
            for i, value in enumerate(values):
                if value:
                    ax.text(left[i] + value / 2, i, str(value), va="center", ha="center", fontsize=8,
                            color="white" if colour == ACCENT else TEXT)  # fmt: skip
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_yticks(range(len(sessions)), wrapped)
        ax.set_ylim(len(sessions) - 0.5, -0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=3, frameon=False)
        return _png(figure)


# --- the report ------------------------------------------------------------------------------


def report_template() -> Path:
    from .library import shipped_templates

    return shipped_templates() / "report.docx"


def write_report(summary: Summary, template: Path | None = None) -> bytes:
    """The Word report, in our template's styles (or the organisation's own report.docx):
    title, who and when, per dimension a heading, a chart and a table, the comparison,
    open answers as a list."""
    from docx import Document

    doc = Document(str(template or report_template()))
    _clear_body(doc)
    _fill_tags(doc, summary)
    doc.core_properties.title = summary.title
    lang = summary.lang
    _para(doc, summary.title, "Title")
    _para(doc, f"{summary.programme} · {summary.cohort}", "Subtitle")
    for label, value in _details(summary):
        paragraph = _para(doc, "", "Details")
        run = paragraph.add_run(label)
        _char_style(doc, run, "Label", bold=True)
        paragraph.add_run(f"\t{value}")
    if summary.round is not None and summary.questionnaire is not None:
        _para(doc, t(lang, "results.threshold_note", threshold=summary.threshold), "Normal")
        _questionnaire_report(doc, summary, summary.round, summary.questionnaire)
    if summary.attendance is not None:
        _attendance_report(doc, summary, summary.attendance)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _fixed_zip(buffer.getvalue(), summary.as_of)


def _clear_body(doc: DocumentObject) -> None:
    """Only the template's styles, page, header and footer are used."""
    from docx.oxml.ns import qn

    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


_TAG = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")


def _fill_tags(doc: DocumentObject, summary: Summary) -> None:
    """The footer's tags, as the other templates have them ({{ programme.title }}...)."""
    values = {
        "cohort.organisation": summary.organisation,
        "cohort.name": summary.cohort,
        "programme.title": summary.programme,
        "L.page_of": t(summary.lang, "doc.page_of"),
        "title": summary.title,
    }
    parts = []
    for section in doc.sections:
        for part in (
            section.header, section.footer, section.first_page_header,
            section.first_page_footer, section.even_page_header, section.even_page_footer,
        ):  # fmt: skip
            if not part.is_linked_to_previous:
                parts.append(part)
    for part in parts:
        for paragraph in part.paragraphs:
            for run in paragraph.runs:
                if "{{" in run.text:
                    run.text = _TAG.sub(lambda m: values.get(m.group(1), ""), run.text)


def _para(doc: DocumentObject, text: str, style: str) -> Any:
    """A paragraph in `style`, or in Normal where an organisation's template lacks it."""
    from .workbook import clean

    names = {s.name for s in doc.styles}
    return doc.add_paragraph(
        _xml_text(clean(text)) if text else "", style=style if style in names else None
    )


def _xml_text(text: str) -> str:
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text)


def _char_style(doc: DocumentObject, run: Any, style: str, bold: bool = False) -> None:
    if style in {s.name for s in doc.styles}:
        run.style = doc.styles[style]
    elif bold:
        run.bold = True


def _picture(doc: DocumentObject, png: bytes, description: str) -> None:
    """A chart, with its values as alt text (for screen readers and tagged PDFs). It stands
    in a borderless one-cell table whose row cannot split: LibreOffice lets a paragraph
    holding only a picture start on the page before, leaving the heading above alone
    at the foot of that page; a row it moves whole."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Cm

    table = doc.add_table(rows=1, cols=1)
    table.autofit = False
    width = str(round(Cm(TEXT_WIDTH_CM).twips))
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), width)
    tbl_pr.insert_element_before(
        parse_xml(
            f'<w:tblCellMar {nsdecls("w")}><w:left w:w="0" w:type="dxa"/>'
            '<w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
        ),
        "w:tblLook",
        "w:tblCaption",
        "w:tblDescription",
    )
    table._tbl.tblGrid.findall(qn("w:gridCol"))[0].set(qn("w:w"), width)
    row = table.rows[0]
    row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
    cell = row.cells[0]
    cell.width = Cm(TEXT_WIDTH_CM)
    run = cell.paragraphs[0].add_run()
    shape = run.add_picture(io.BytesIO(png), width=Cm(CHART_WIDTH_CM))
    shape._inline.docPr.set("descr", _xml_text(description))


def _table(
    doc: DocumentObject,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_cm: Sequence[float],
    numeric_from: int = 1,
    bold_rows: Collection[int] = (),
    indented_rows: Collection[int] = (),
) -> Table:
    """A "Facilitate Table": header repeated on each page, fixed widths, numbers right;
    `bold_rows` (a total, a dimension) and `indented_rows` (its statements) count from
    the first row under the header."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Cm

    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    if "Facilitate Table" in {s.name for s in doc.styles}:
        table.style = doc.styles["Facilitate Table"]
    table.autofit = False
    widths = [Cm(w) for w in widths_cm]
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(round(w.twips) for w in widths)))
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        for attr, value in (("w:val", "0420"), ("w:firstRow", "1"), ("w:lastRow", "0"),
                            ("w:firstColumn", "0"), ("w:lastColumn", "0"), ("w:noHBand", "0"),
                            ("w:noVBand", "1")):  # fmt: skip
            look.set(qn(attr), value)
    for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        grid_col.set(qn("w:w"), str(round(width.twips)))
    for r, (row, values) in enumerate(zip(table.rows, [header, *rows], strict=True)):
        row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
        if r == 0:
            row._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
        cells = row.cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
        if len(values) < len(cells):  # the last value spans the rest of the row
            cells[len(values) - 1].merge(cells[-1])
        for c, value in enumerate(values):
            paragraph = cells[c].paragraphs[0]
            run = paragraph.add_run(_xml_text(value))
            if r - 1 in bold_rows:
                run.bold = True
            if c == 0 and r - 1 in indented_rows:
                paragraph.paragraph_format.left_indent = Cm(0.4)
            spans = c == len(values) - 1 and len(values) < len(cells)
            if spans:
                run.italic = True
            elif c >= numeric_from:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _para(doc, "", "Normal").paragraph_format.space_after = 0
    return table


def _stats_row(stats: Stats, lang: str, too_few: str, compact: bool) -> list[str]:
    """n, mean, median and the distribution; suppressed, n and one note across the rest."""
    if stats.suppressed:
        return [_count(stats.n, lang), too_few]
    assert stats.mean is not None and stats.median is not None and stats.distribution is not None
    counts = [_count(c, lang) for c in stats.distribution]
    return [
        _count(stats.n, lang),
        _num(stats.mean, lang),
        _num(stats.median, lang),
        *([" · ".join(counts)] if compact else counts),
    ]


def _questionnaire_report(
    doc: DocumentObject, summary: Summary, r: RoundResult, info: QuestionnaireInfo
) -> None:
    lang = summary.lang
    too_few = t(lang, "results.too_few")
    if r.suppressed:
        _para(
            doc,
            t(
                lang,
                "results.too_few_round",
                responses=_count(r.responses, lang),
                threshold=summary.threshold,
            ),
            "Normal",
        )
        return
    points = info.high - info.low + 1
    compact = points > DISTRIBUTION_COLUMNS
    point_heads = (
        [t(lang, "results.distribution")]
        if compact
        else [str(p) for p in range(info.low, info.high + 1)]
    )
    # Room for the longest of the headers: "Gjennomsnitt", "Mediaani".
    numbers = [1.1, 2.5, 2.0, *([4.0] if compact else [1.0] * points)]
    widths = [TEXT_WIDTH_CM - sum(numbers), *numbers]

    def table(
        first: str, items: Sequence[tuple[str, Stats]], total: tuple[str, Stats] | None
    ) -> None:
        rows = [[text, *_stats_row(stats, lang, too_few, compact)] for text, stats in items]
        if total is not None:
            rows.append([total[0], *_stats_row(total[1], lang, too_few, compact)])
        header = [
            first,
            t(lang, "results.n"),
            t(lang, "results.mean"),
            t(lang, "results.median"),
            *point_heads,
        ]
        _table(doc, header, rows, widths, bold_rows=[len(items)] if total is not None else ())

    # The overview: every dimension in one chart and one table.
    _para(doc, t(lang, "results.summary"), "Heading 1")
    if not compact:
        _para(doc, f"{t(lang, 'results.distribution')}: {_scale_text(info)}.", "Normal")
    if r.dimensions:
        _means_picture(doc, summary, info, [d.title for d in r.dimensions], [r.label],
                       [[d.stats.mean for d in r.dimensions]])  # fmt: skip
        table(t(lang, "results.dimension"), [(d.title, d.stats) for d in r.dimensions], None)

    if summary.comparison is not None:
        _comparison_report(doc, summary, summary.comparison, info)

    for d in r.dimensions:
        _para(doc, d.title, "Heading 1")
        if d.description:
            _para(doc, d.description, "Normal").paragraph_format.keep_with_next = True
        if d.stats.suppressed:
            _para(
                doc,
                f"n = {_count(d.stats.n, lang)}: {too_few} (n < {summary.threshold}).",
                "Normal",
            )
            continue
        _means_picture(doc, summary, info, [s.text for s in d.statements], [r.label],
                       [[s.stats.mean for s in d.statements]], title=d.title)  # fmt: skip
        table(
            t(lang, "results.statement"),
            [(s.text, s.stats) for s in d.statements],
            (t(lang, "results.all_statements"), d.stats),
        )
        if any(s.stats.suppressed for s in d.statements):
            _para(doc, f"{t(lang, 'results.mean')}: {too_few} (n < {summary.threshold}).", "Normal")

    if r.roles or _roles_withheld_shown(r, info):
        _roles_report(doc, summary, r, info)

    if r.open_answers:
        _para(doc, t(lang, "results.open_answers"), "Heading 1")
        for question in r.open_answers:
            _para(doc, question.text, "Heading 2")
            if not question.answers:
                _para(doc, t(lang, "results.no_answers"), "Normal")
            for answer in question.answers:
                _para(doc, answer, "List Bullet")


def _means_picture(
    doc: DocumentObject,
    summary: Summary,
    info: QuestionnaireInfo,
    labels: Sequence[str],
    names: Sequence[str],
    series: Sequence[Sequence[float | None]],
    title: str = "",
) -> None:
    """A chart of means on the questionnaire's scale, one bar per series and label, its
    values as alt text (with several series, label by label)."""
    lang = summary.lang
    too_few = t(lang, "results.too_few")
    axis = t(lang, "results.mean_axis", low=info.low, high=info.high)
    chart = means_chart(labels, series, names, info.low, info.high, lang, too_few, axis)
    if len(series) == 1:
        described = _describe(labels, series[0], lang, too_few)
    else:
        described = "; ".join(
            f"{label}: {_describe(names, [s[i] for s in series], lang, too_few)}"
            for i, label in enumerate(labels)
        )
    _picture(doc, chart, f"{title}. {described}" if title else described)


def _mean_text(stats: Stats, n: int, lang: str, too_few: str) -> str:
    """A mean in a column headed with its group's n; one some skipped says its own n."""
    shown = _num(stats.mean, lang) if stats.mean is not None else too_few
    return shown if stats.n == n else f"{shown} (n = {_count(stats.n, lang)})"


def _change_text(value: float | None, lang: str) -> str:
    return _num(value, lang, signed=True) if value is not None else "–"


def _comparison_report(
    doc: DocumentObject, summary: Summary, c: Comparison, info: QuestionnaireInfo
) -> None:
    """The two rounds' means per dimension, charted and in a table with the change."""
    lang = summary.lang
    too_few = t(lang, "results.too_few")
    _para(
        doc, t(lang, "results.change_from", before=c.before.label, after=c.after.label), "Heading 1"
    )
    _means_picture(doc, summary, info, [ch.title for ch in c.changes],
                   [c.before.label, c.after.label],
                   [[ch.before.mean for ch in c.changes], [ch.after.mean for ch in c.changes]])  # fmt: skip
    rows = [
        [
            ch.title,
            _mean_text(ch.before, c.before.responses, lang, too_few),
            _mean_text(ch.after, c.after.responses, lang, too_few),
            _change_text(ch.change, lang),
        ]
        for ch in c.changes
    ]
    header = [
        t(lang, "results.dimension"),
        f"{c.before.label} (n = {_count(c.before.responses, lang)})",
        f"{c.after.label} (n = {_count(c.after.responses, lang)})",
        t(lang, "results.change"),
    ]
    _table(doc, header, rows, [7.0, 3.7, 3.7, 2.6])


def _roles_report(
    doc: DocumentObject, summary: Summary, r: RoundResult, info: QuestionnaireInfo
) -> None:
    """The roles side by side: a chart of the dimensions, one bar per role, then a table
    of every dimension (bold) and its statements with each role's mean and, with two
    roles, their difference. Or why they are not shown apart."""
    lang = summary.lang
    _para(doc, t(lang, "results.by_role"), "Heading 1")
    if not r.roles:
        _para(doc, t(lang, "results.roles_withheld", threshold=summary.threshold), "Normal")
        return
    too_few = t(lang, "results.too_few")
    two = len(r.roles) == 2
    dimensions = [row for row in r.role_rows if not row.statement]
    _means_picture(doc, summary, info, [row.text for row in dimensions],
                   [role.title for role in r.roles],
                   [[row.stats[j].mean for row in dimensions] for j in range(len(r.roles))])  # fmt: skip
    header = [t(lang, "results.dimension_and_statements")]
    header += [f"{role.title} (n = {_count(role.n, lang)})" for role in r.roles]
    if two:
        header.append(f"{t(lang, 'results.difference')} ({_difference_title(r)})")
    rows = []
    for row in r.role_rows:
        means = [
            _mean_text(stats, role.n, lang, too_few)
            for stats, role in zip(row.stats, r.roles, strict=True)
        ]
        rows.append([row.text, *means, *([_change_text(row.difference, lang)] if two else [])])
    difference = 3.4 if two else 0.0
    first = 7.6
    rest = (TEXT_WIDTH_CM - first - difference) / len(r.roles)
    _table(
        doc,
        header,
        rows,
        [first, *[rest] * len(r.roles), *([difference] if two else [])],
        bold_rows=[i for i, row in enumerate(r.role_rows) if not row.statement],
        indented_rows=[i for i, row in enumerate(r.role_rows) if row.statement],
    )


def _describe(
    labels: Sequence[str], values: Sequence[float | None], lang: str, too_few: str
) -> str:
    """A chart's values as text: its alt text."""
    return "; ".join(
        f"{label}: {_num(value, lang) if value is not None else too_few}"
        for label, value in zip(labels, values, strict=True)
    )


def _attendance_report(doc: DocumentObject, summary: Summary, a: AttendanceResult) -> None:
    from .formatting import percent

    lang = summary.lang
    _para(
        doc,
        t(lang, "results.certificate_rule", percent=percent(a.certificate_percent / 100, lang)),
        "Normal",
    )
    _para(doc, t(lang, "results.participants"), "Heading 1")
    rows = [
        [
            p.name,
            p.role,
            f"{_count(p.present, lang)} / {_count(p.held, lang)}",
            _count(p.excused, lang),
            _count(p.absent, lang),
            percent(p.rate, lang) if p.rate is not None else "–",
            t(lang, "results.yes") if p.certificate else t(lang, "results.not_yet"),
        ]
        for p in a.people
    ]
    _table(
        doc,
        [t(lang, "results.participant"), t(lang, "results.role"),
         f"{t(lang, 'results.present')} / {t(lang, 'results.held').lower()}",
         t(lang, "results.excused"), t(lang, "results.absent"), t(lang, "results.rate"),
         t(lang, "results.certificate")],
        rows,
        [3.6, 3.6, 2.2, 1.8, 1.5, 2.5, 1.8],
        numeric_from=2,
    )  # fmt: skip
    _para(doc, t(lang, "results.sessions"), "Heading 1")
    names = [t(lang, "results.present"), t(lang, "results.excused"), t(lang, "results.absent")]
    if a.sessions:
        _picture(
            doc,
            attendance_chart(a.sessions, names),
            "; ".join(
                f"{s.title}: {names[0]} {s.present}, {names[1]} {s.excused}, {names[2]} {s.absent}"
                for s in a.sessions
            ),
        )
    rows = [
        [s.title, _date_text(s.date, lang), _count(s.present, lang), _count(s.excused, lang),
         _count(s.absent, lang), _count(s.not_marked, lang)]
        for s in a.sessions
    ]  # fmt: skip
    _table(
        doc,
        [
            t(lang, "results.session"),
            t(lang, "results.date"),
            *names,
            t(lang, "results.not_marked"),
        ],
        rows,
        [6.0, 2.6, 2.0, 2.2, 2.0, 2.2],
        numeric_from=2,
    )
