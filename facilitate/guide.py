"""`facilitate prepare` at the screen: one rich screen per step and the question after it,
or (without a terminal) every screen one after another as a report.

The values come from `prepare.preparation`; what is saved goes through `prepare`, and
only once a step is confirmed. Every text is in the cohort's language.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from . import prepare as core
from .formatting import clock, long_date, time_range, weekday_date
from .i18n import t

if TYPE_CHECKING:
    from rich.console import RenderableType

    from .cohort import Cohort
    from .context import Environment
    from .handouts import Result
    from .prepare import Preparation
    from .programme import Session

PAUSE = "pause"


def _title(prep: Preparation, step: str) -> str:
    number = core.STEPS.index(step) + 1
    return (
        f"[bold]{number}/{len(core.STEPS)} · {t(prep.language, f'prepare.step.{step}')}[/]"
        f" – {escape(prep.heading)}"
    )


def _when(prep: Preparation) -> str:
    lang = prep.language
    if prep.days_to == 0:
        when = t(lang, "status.today")
    elif prep.days_to > 0:
        when = t(lang, "status.in_days", days=prep.days_to)
    else:
        when = t(lang, "prepare.days_ago", days=-prep.days_to)
    if prep.reminder:
        return f"{long_date(prep.date, lang)} ({when}) – {t(lang, 'schedule.pair_books')}"
    times = time_range(prep.start, prep.end, lang, prep.country)
    return f"{long_date(prep.date, lang, weekday=True)}, {times} ({when})"


# ---------------------------------------------------------------------------
# Screens


def _bullets(rows: list[Text]) -> Table:
    """A bulleted list whose long lines wrap under their text, not under the bullet."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for row in rows:
        grid.add_row("•", row)
    return grid


def _heading(text: str) -> Text:
    return Text(text, style="bold")


def _gap() -> Text:
    return Text("")


def _entry(title: str, detail: str = "", bold: bool = False) -> Text:
    """A list entry: its title, and a dim detail on the next line."""
    entry = Text(title, style="bold" if bold else "")
    if detail:
        entry.append(f"\n{detail}", style="dim")
    return entry


def overview(prep: Preparation) -> Panel:
    """Goals, date, place or Teams link, and who is expected."""
    lang = prep.language
    parts: list[RenderableType] = [_heading(prep.heading), Text(_when(prep))]
    if prep.delivery != "teams":
        place = prep.place.replace(" + Teams", "") if prep.delivery == "hybrid" else prep.place
        parts.append(Text(f"{t(lang, 'doc.place')}: {place or t(lang, 'schedule.no_place')}"))
    if prep.delivery in ("teams", "hybrid"):
        link = Text("Teams: ")
        link.append(prep.link or t(lang, "schedule.no_link"), style="" if prep.link else "red")
        parts.append(link)
    if prep.goals:
        parts += [_gap(), _heading(t(lang, "label.goals")), _bullets([Text(g) for g in prep.goals])]
    if prep.focus:
        parts += [_gap(), _heading(t(lang, "doc.focus")), _bullets([Text(f) for f in prep.focus])]
    people = Table.grid(padding=(0, 1))
    people.add_column(no_wrap=True)
    people.add_column(ratio=1)
    for expected in prep.expected:
        count = "?" if expected.count is None else str(expected.count)
        names = ", ".join(expected.names) if expected.names else "–"
        people.add_row(Text(f"{expected.title} ({count}):"), Text(names))
    parts += [_gap(), _heading(t(lang, "prepare.expected")), people]
    if prep.participant_problem:
        problem = t(lang, "prepare.participant_problem", problem=prep.participant_problem)
        parts.append(Text(problem, style="red"))
    return Panel(Group(*parts), title=_title(prep, "overview"), title_align="left")


def follow_up(prep: Preparation) -> Panel:
    """The task given last time and what has come back."""
    lang = prep.language
    before = prep.follow_up
    parts: list[RenderableType] = []
    if before.session is not None and before.heading and before.date:
        day = weekday_date(before.date, lang, prep.country)
        parts.append(Text(t(lang, "prepare.last_time", heading=before.heading, date=day)))
    else:
        parts.append(Text(t(lang, "prepare.first_time")))
    if before.tasks:
        tasks = [_entry(task.title, task.description, bold=True) for task in before.tasks]
        parts += [_gap(), _heading(t(lang, "prepare.task_given")), _bullets(tasks)]
    elif before.session is not None:
        parts += [_gap(), Text(t(lang, "prepare.no_task"))]
    if before.pre_assignment:
        line = Text(f"{t(lang, 'label.pre_assignment')}: ", style="bold")
        line.append(before.pre_assignment, style="")
        parts += [_gap(), line]
    if before.answers:
        rows = []
        for answers in before.answers:
            expected = "?" if answers.expected is None else str(answers.expected)
            counted = t(lang, "prepare.answers_in", collected=answers.collected, expected=expected)
            detail = answers.headline or ""
            if answers.expected is None or answers.collected < answers.expected:
                hint = t(lang, "prepare.collect_hint", kind=answers.questionnaire)
                detail = f"{detail}\n{hint}" if detail else hint
            rows.append(_entry(f"{answers.title}: {counted}", detail))
        parts += [_gap(), _heading(t(lang, "prepare.answers")), _bullets(rows)]
    return Panel(Group(*parts), title=_title(prep, "follow-up"), title_align="left")


def agenda(prep: Preparation) -> Table:
    """The agenda with clock times, minutes, methods (a changed block marked *)."""
    lang = prep.language
    label = "label.agenda_suggested" if prep.agenda_suggested else "label.agenda"
    total = t(
        lang,
        "prepare.total",
        minutes=prep.minutes,
        time=time_range(prep.start, prep.end, lang, prep.country),
    )
    caption = [total]
    if prep.start != prep.planned_start:
        usual = clock(prep.planned_start, lang, prep.country)
        caption.append(
            t(
                lang,
                "prepare.start_changed",
                start=clock(prep.start, lang, prep.country),
                usual=usual,
            )
        )
    if any(row.changed for row in prep.agenda):
        caption.append(t(lang, "prepare.minutes_changed"))
    table = Table(
        title=f"{_title(prep, 'agenda')}\n{t(lang, label)}",
        caption="\n".join(caption),
        header_style="bold",
        title_justify="left",
        caption_justify="left",
        expand=True,
    )
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(t(lang, "doc.time"), no_wrap=True)
    table.add_column(t(lang, "doc.minutes"), justify="right", no_wrap=True)
    table.add_column(t(lang, "prepare.block"), ratio=1)
    for row in prep.agenda:
        what = Text(row.title)
        if row.method:
            what.append(f"\n{row.method}", style="dim")
        if row.materials:
            what.append(f"\n{t(lang, 'doc.materials')}: {', '.join(row.materials)}", style="italic")
        minutes = f"{row.minutes}*" if row.changed else str(row.minutes)
        table.add_row(
            str(row.number), time_range(row.start, row.end, lang, prep.country), minutes, what
        )
    return table


def materials(prep: Preparation) -> Panel:
    """What to bring, and the resources to share."""
    lang = prep.language
    nothing = Text(t(lang, "prepare.nothing"))
    bring = _bullets([Text(m) for m in prep.materials]) if prep.materials else nothing
    parts: list[RenderableType] = [_heading(t(lang, "prepare.bring")), bring]
    shared = [
        _entry(
            r.title
            + (f" ({r.about})" if r.about else "")
            + (f" – {r.link or r.file}" if (r.link or r.file) else ""),
            r.description,
        )
        for r in prep.resources
    ]
    parts += [_gap(), _heading(t(lang, "prepare.share")), _bullets(shared) if shared else nothing]
    if prep.tasks:
        tasks = _bullets([Text(task.title) for task in prep.tasks])
        parts += [_gap(), _heading(t(lang, "prepare.task_to_give")), tasks]
    return Panel(Group(*parts), title=_title(prep, "materials"), title_align="left")


def checklist(prep: Preparation) -> Table:
    """The checklist with what is done; the numbers and keys are what --check takes."""
    lang = prep.language
    done = sum(item.done for item in prep.checklist)
    table = Table(
        title=_title(prep, "checklist"),
        caption=t(lang, "prepare.done_count", done=done, total=len(prep.checklist)),
        header_style="bold",
        title_justify="left",
        caption_justify="left",
        expand=True,
    )
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("✓", no_wrap=True)
    table.add_column(t(lang, "prepare.item"), ratio=1)
    table.add_column(t(lang, "prepare.key"), style="dim", no_wrap=True)
    for number, item in enumerate(prep.checklist, start=1):
        table.add_row(str(number), "✓" if item.done else "·", Text(item.text), item.key)
    return table


def still_open(prep: Preparation) -> Panel:
    """What is still open, shown first when a preparation is resumed."""
    lang = prep.language
    items = prep.open
    body: RenderableType = (
        _bullets([Text(item.text) for item in items])
        if items
        else Text(t(lang, "prepare.all_done"))
    )
    title = t(lang, "prepare.open_title", open=len(items), total=len(prep.checklist))
    return Panel(body, title=f"[bold]{title}[/] – {escape(prep.heading)}", title_align="left")


def documents(result: Result, lang: str, folder: str) -> Table:
    """What was written, as the last screen."""
    table = Table(
        title=f"[bold]{len(core.STEPS)}/{len(core.STEPS)} · {t(lang, 'prepare.step.documents')}[/]",
        caption=t(lang, "prepare.written", count=len(result.written), folder=folder),
        header_style="bold",
        title_justify="left",
        caption_justify="left",
    )
    table.add_column(t(lang, "prepare.file"), overflow="fold")
    table.add_column(t(lang, "prepare.document"))
    for item in result.written:
        table.add_row(Text(item.path.as_posix()), t(lang, f"doc.{item.kind.replace('-', '_')}"))
    return table


SCREENS: dict[str, Callable[[Preparation], RenderableType]] = {
    "overview": overview,
    "follow-up": follow_up,
    "agenda": agenda,
    "materials": materials,
    "checklist": checklist,
}


def screen(prep: Preparation, step: str) -> RenderableType:
    return SCREENS[step](prep)


# ---------------------------------------------------------------------------
# Without a terminal


def report(
    env: Environment,
    cohort: Cohort,
    session: Session,
    today: date,
    *,
    as_json: bool = False,
    make_documents: bool = True,
    force: bool = False,
) -> None:
    """Every screen one after another (or JSON), then the documents; never asks."""
    import json

    prep = core.preparation(cohort, session, today)
    if as_json:
        result = _make(cohort, session, today, force) if make_documents else None
        data = {
            "preparation": prep.as_json(),
            "documents": [
                {"path": item.path.as_posix(), "kind": item.kind, "title": item.title}
                for item in (result.written if result else [])
            ],
        }
        env.stdout.print_json(json.dumps(data, ensure_ascii=False))
    else:
        env.stdout.print(Group(*(screen(prep, step) for step in SCREENS)))
        result = None
        if make_documents:
            result = _make(cohort, session, today, force)
            env.stdout.print(documents(result, prep.language, _folder(session)))
    if result is not None:
        _warn(env, cohort, result)


def _make(cohort: Cohort, session: Session, today: date, force: bool) -> Result:
    from .handouts import make

    return make(cohort, today, session.id, cohort.lang, force=force)


def _folder(session: Session) -> str:
    return f"out/{session.id}"


def _warn(env: Environment, cohort: Cohort, result: Result) -> None:
    if result.fallbacks:
        first = cohort.programme.languages[0]
        env.stderr.print(
            t(
                cohort.lang,
                "prepare.fallbacks",
                count=len(result.fallbacks),
                language=t(cohort.lang, f"language.{first}"),
                fields=", ".join(result.fallbacks[:5]),
            ),
            markup=False,
            soft_wrap=True,
        )
    for reason in result.skipped:
        env.stderr.print(reason, markup=False, soft_wrap=True)


# ---------------------------------------------------------------------------
# At a terminal


def walk(
    env: Environment,
    cohort: Cohort,
    session: Session,
    today: date,
    *,
    make_documents: bool = True,
    force: bool = False,
) -> None:
    """The walk-through: a screen, a question, and (once confirmed) the step saved."""
    lang = cohort.lang
    out = env.stdout
    prep = core.preparation(cohort, session, today)
    first = 0
    if prep.step is not None:
        out.print(still_open(prep))
        following = core.Progress([], prep.step).next_step
        step_name = t(lang, f"prepare.step.{prep.step}")
        question = t(lang, "prepare.resume.ask", step=step_name)
        if following == core.STEPS[0]:
            # Been through once: most often, back to tick what has been done since.
            question = t(lang, "prepare.resume.done")
            choices = [
                ("checklist", t(lang, "prepare.resume.checklist")),
                ("documents", t(lang, "prepare.resume.documents")),
                ("start", t(lang, "prepare.resume.again")),
            ]
        else:
            choices = [
                (
                    following,
                    t(lang, "prepare.resume.go_on", step=t(lang, f"prepare.step.{following}")),
                ),
                ("start", t(lang, "prepare.resume.again")),
            ]
        answer = _select(env, lang, question, choices)
        first = 0 if answer == "start" else core.STEPS.index(answer)
    for step in core.STEPS[first:]:
        prep = core.preparation(cohort, session, today)
        if step == "documents":
            if make_documents:
                result = _make(cohort, session, today, force)
                out.print(documents(result, lang, _folder(session)))
                _warn(env, cohort, result)
            core.complete(cohort, session, step)
            break
        out.print(screen(prep, step))
        if step == "agenda":
            changed = _agenda_loop(env, cohort, session, today, prep)
            if changed is None:
                return _paused(env, session, lang)
            if changed is not cohort:
                core.save_settings(changed)
                cohort = changed
                out.print(t(lang, "prepare.agenda_saved"))
            core.complete(cohort, session, step)
        elif step == "checklist":
            ticked = _checklist(env, prep)
            core.save_checklist(cohort, session, ticked)
            out.print(t(lang, "prepare.done_count", done=len(ticked), total=len(prep.checklist)))
        else:
            if _select(env, lang, t(lang, "prepare.ask.go_on"), _go_on(lang)) == PAUSE:
                return _paused(env, session, lang)
            core.complete(cohort, session, step)
    prep = core.preparation(cohort, session, today)
    out.print(still_open(prep))
    out.print(t(lang, "prepare.finished", ref=prep.ref))


def _go_on(lang: str) -> list[tuple[str, str]]:
    return [("next", t(lang, "prepare.next")), (PAUSE, t(lang, "prepare.pause"))]


def _paused(env: Environment, session: Session, lang: str) -> None:
    from .schedule import _label

    env.stdout.print(t(lang, "prepare.paused", ref=_label(session)))


def _select(env: Environment, lang: str, message: str, choices: list[tuple[str, str]]) -> str:
    from .prompts import select

    return select(message, choices, instruction=t(lang, "prepare.select.keys"), **env.prompt_io)


def _agenda_loop(
    env: Environment, cohort: Cohort, session: Session, today: date, prep: Preparation
) -> Cohort | None:
    """Shift the start or change a block until the agenda looks right; returns the cohort
    with the change (not yet saved), the same cohort if nothing changed, or None to pause."""
    from .prompts import text

    lang = cohort.lang
    current = core.agenda_change(cohort, session)
    start = current.start_time or cohort.start_time()
    minutes = dict(current.minutes)
    working = cohort
    while True:
        choices = [
            ("ok", t(lang, "prepare.agenda.ok")),
            ("start", t(lang, "prepare.agenda.start")),
        ]
        if prep.agenda:
            choices.append(("block", t(lang, "prepare.agenda.block")))
        if prep.agenda_changed:
            choices.append(("reset", t(lang, "prepare.agenda.reset")))
        choices.append((PAUSE, t(lang, "prepare.pause")))
        answer = _select(env, lang, t(lang, "prepare.agenda.ask"), choices)
        if answer == PAUSE:
            return None
        if answer == "ok":
            return working
        if answer == "reset":
            start, minutes = cohort.start_time(), {}
        elif answer == "start":
            typed = text(
                t(lang, "prepare.agenda.start_ask"),
                default=clock(start, lang),
                validate=functools.partial(_check_start, cohort, session, dict(minutes)),
                **env.prompt_io,
            )
            start = _parse_clock(typed)
        elif answer == "block":
            numbers = [
                (
                    str(row.number),
                    f"{row.number}. {time_range(row.start, row.end, lang)}  {row.title} "
                    f"({row.minutes} {t(lang, 'unit.minutes')})",
                )
                for row in prep.agenda
            ]
            number = int(_select(env, lang, t(lang, "prepare.agenda.which"), numbers))
            typed = text(
                t(lang, "prepare.agenda.minutes_ask"),
                default=str(prep.agenda[number - 1].minutes),
                validate=functools.partial(
                    _check_minutes, cohort, session, start, dict(minutes), number
                ),
                **env.prompt_io,
            )
            minutes[number] = int(typed.strip())
        working = core.with_agenda(cohort, session, start, minutes)
        if _same(working, cohort):
            working = cohort
        prep = core.preparation(working, session, today)
        env.stdout.print(agenda(prep))


def _same(a: Cohort, b: Cohort) -> bool:
    return a.settings.agenda == b.settings.agenda


def _parse_clock(value: str) -> Any:
    from .programme import _parse_time

    return _parse_time(value)


def _check_start(
    cohort: Cohort, session: Session, minutes: dict[int, int], value: str
) -> str | None:
    from pydantic_core import PydanticCustomError

    from .errors import InputError

    try:
        start = _parse_clock(value)
        core.with_agenda(cohort, session, start, minutes)
    except PydanticCustomError:
        return t(cohort.lang, "prepare.agenda.bad_time")
    except InputError:
        # The blocks are the session's own: only the end of the day can be in the way.
        return t(cohort.lang, "prepare.agenda.too_late")
    return None


def _check_minutes(
    cohort: Cohort,
    session: Session,
    start: Any,
    minutes: dict[int, int],
    number: int,
    value: str,
) -> str | None:
    from .errors import InputError

    text = value.strip()
    if not text.isdigit() or int(text) < 1:
        return t(cohort.lang, "prepare.agenda.bad_minutes")
    try:
        core.with_agenda(cohort, session, start, {**minutes, number: int(text)})
    except InputError:
        return t(cohort.lang, "prepare.agenda.too_late")
    return None


def _checklist(env: Environment, prep: Preparation) -> list[str]:
    from .prompts import checkbox

    lang = prep.language
    return checkbox(
        t(lang, "prepare.checklist.ask"),
        [(item.key, item.text, item.done) for item in prep.checklist],
        instruction=t(lang, "prepare.checklist.keys"),
        **env.prompt_io,
    )
