"""Rich renderings of library values for the terminal: the programme table and tree.

Built from plain core values; no I/O here, the CLI prints what these return.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from .i18n import t
from .programme import DAY_MINUTES, Programme, Questionnaire, Rule, SessionSpec, Text

if TYPE_CHECKING:
    from rich.console import Group

    from .status import Status


def session_count(programme: Programme) -> str:
    """How many sessions a run has: '11', '3–5', '3+' (at least)."""
    low = high = 0
    open_ended = False
    for spec in programme.sessions:
        if spec.count is None:
            low += 1
            high += 1
        else:
            low += spec.count.low
            if spec.count.high is None:
                open_ended = True
            else:
                high += spec.count.high
    if open_ended:
        return f"{low}+"
    return str(low) if low == high else f"{low}–{high}"


def duration_text(programme: Programme, lang: str) -> str:
    return programme.duration.text(lang) if programme.duration else "–"


def session_length(spec: SessionSpec, lang: str) -> str:
    """'180 min', '3–4 h', '90–120 min' in the language's units."""
    if spec.duration is None:
        return f"{sum(b.minutes for b in spec.agenda)} {t(lang, 'unit.minutes')}"
    low, high = spec.duration.low, spec.duration.high or spec.duration.low
    if (low, high) == DAY_MINUTES:
        return f"1 {t(lang, 'unit.day')}"  # as the programme wrote it: "1 day"
    if low % 60 == 0 and high % 60 == 0:
        amount = str(low // 60) if low == high else f"{low // 60}–{high // 60}"
        return f"{amount} {t(lang, 'unit.hours')}"
    amount = str(low) if low == high else f"{low}–{high}"
    return f"{amount} {t(lang, 'unit.minutes')}"


def summary(programme: Programme, lang: str) -> dict[str, Any]:
    """One programme as plain values, for the table and for --json."""
    return {
        "id": programme.id,
        "title": programme.text(programme.title, lang),
        "languages": list(programme.languages),
        "kind": programme.kind,
        "sessions": session_count(programme),
        "duration": duration_text(programme, lang),
        "delivery": list(programme.delivery),
    }


def rule_text(programme: Programme, rule: Rule, lang: str) -> str:
    """An eligibility rule in words: 'Adept: at least 6 months as a manager'."""
    role = programme.text(programme.role(rule.role).title, lang)
    if rule.other_organisation:
        return t(lang, "rule.other_organisation", role=role)
    unit = t(lang, f"unit.{rule.unit}") if rule.unit else ""
    text = t(
        lang,
        "rule.at_least",
        role=role,
        value=f"{rule.at_least:g}",
        unit=unit,
        label=programme.text(rule.label, lang),
    )
    return " ".join(text.split())


def programmes_table(rows: list[dict[str, Any]], lang: str) -> Table:
    """Id, title and kind share a cell, so the table reads on an 80-column terminal too."""
    table = Table(show_lines=True, header_style="bold")
    table.add_column(f"{t(lang, 'label.id')} / {t(lang, 'label.title')} / {t(lang, 'label.kind')}")
    table.add_column(t(lang, "label.languages"), no_wrap=True)
    table.add_column(t(lang, "label.sessions"), justify="right", no_wrap=True)
    table.add_column(t(lang, "label.duration"))
    for row in rows:
        kind = t(lang, f"kind.{row['kind']}")
        table.add_row(
            f"[bold]{escape(row['id'])}[/]\n{escape(row['title'])}\n[dim]{kind}[/]",
            " ".join(row["languages"]),
            row["sessions"],
            row["duration"],
        )
    return table


def programme_tree(programme: Programme, lang: str) -> Tree:
    """Sessions with their agenda blocks and minutes, tasks, questionnaires."""

    def tx(value: Any) -> str:
        return escape(programme.text(value, lang))

    tree = Tree(f"[bold]{tx(programme.title)}[/] [dim]({programme.id})[/]")
    facts = [
        t(lang, f"kind.{programme.kind}"),
        ", ".join(t(lang, f"delivery.{d}") for d in programme.delivery),
        f"{t(lang, 'label.duration')}: {duration_text(programme, lang)}",
        f"{t(lang, 'label.languages')}: {' '.join(programme.languages)}",
    ]
    tree.add(" · ".join(facts))
    if programme.provider:
        tree.add(f"[bold]{t(lang, 'label.provider')}[/]: {tx(programme.provider)}")
    if programme.travel_diary:
        tree.add(t(lang, "label.travel_diary"))
    if programme.suits:
        node = tree.add(f"[bold]{t(lang, 'label.suits')}[/]")
        for item in programme.suits:
            node.add(tx(item))
    if programme.themes:
        node = tree.add(f"[bold]{t(lang, 'label.themes')}[/]")
        for item in programme.themes:
            node.add(tx(item))
    node = tree.add(f"[bold]{t(lang, 'label.roles')}[/]")
    for role in programme.roles:
        node.add(f"{tx(role.title)} [dim]({role.id})[/]")
    if programme.cost:
        tree.add(f"[bold]{t(lang, 'label.cost')}[/]: {tx(programme.cost)}")
    if programme.eligibility:
        node = tree.add(f"[bold]{t(lang, 'label.eligibility')}[/]")
        for rule in programme.eligibility:
            node.add(escape(rule_text(programme, rule, lang)))
    schedule = programme.schedule
    text = schedule.interval.every(lang)
    if schedule.season:
        from .formatting import month_name

        text += ", " + t(
            lang,
            "label.season",
            start=month_name(schedule.season.start, lang),
            end=month_name(schedule.season.end, lang),
        )
    tree.add(f"[bold]{t(lang, 'label.schedule')}[/]: {escape(text)}")
    if programme.pre_assignment:
        pre = programme.pre_assignment
        node = tree.add(f"[bold]{t(lang, 'label.pre_assignment')}[/]: {tx(pre.title)}")
        if pre.questionnaire:
            node.add(f"{t(lang, 'label.questionnaires')}: {pre.questionnaire}")
    sessions = tree.add(f"[bold]{t(lang, 'label.sessions')}[/] ({session_count(programme)})")
    for spec in programme.sessions:
        _session_node(sessions, programme, spec, lang)
    if programme.questionnaires:
        node = tree.add(f"[bold]{t(lang, 'label.questionnaires')}[/]")
        for questionnaire in programme.questionnaires:
            _questionnaire_node(node, programme, questionnaire, lang)
    return tree


def _session_node(parent: Tree, programme: Programme, spec: SessionSpec, lang: str) -> None:
    def tx(value: Any) -> str:
        return escape(programme.text(value, lang))

    title = tx(spec.title).replace("{n}", "n")
    repeat = f" · {t(lang, 'label.repeats', count=str(spec.count))}" if spec.count else ""
    kind = t(lang, f"session.{spec.kind}")
    if isinstance(spec.label, Text):
        kind = f"{tx(spec.label)} ({kind})"  # the programme's word, and what it is
    node = parent.add(
        f"[bold cyan]{title}[/] [dim]{spec.id} · {kind} · {session_length(spec, lang)}{repeat}[/]"
    )
    if spec.place is not None:
        node.add(f"{t(lang, 'doc.place')}: {tx(spec.place)}")
    if spec.goals:
        goals = node.add(t(lang, "label.goals"))
        for goal in spec.goals:
            goals.add(tx(goal))
    if spec.agenda:
        label = t(lang, "label.agenda_suggested" if spec.agenda_suggested else "label.agenda")
        agenda = node.add(label)
        for block in spec.agenda:
            method = f" [dim]– {tx(block.method)}[/]" if block.method else ""
            agenda.add(f"{block.minutes:>3} {t(lang, 'unit.minutes')}  {tx(block.title)}{method}")
    if spec.tasks:
        tasks = node.add(t(lang, "label.tasks"))
        for task in spec.tasks:
            tasks.add(tx(task.title))
    if spec.focus:
        focus = node.add(t(lang, "doc.focus"))
        for item in spec.focus:
            focus.add(tx(item))
    if spec.resources:
        resources = node.add(t(lang, "label.resources"))
        for resource in spec.resources:
            about = resource.about(lang)
            line = tx(resource.title) + (f" ({escape(about)})" if about else "")
            where = resource.link or resource.file
            resources.add(f"{line} [dim]{escape(where)}[/]" if where else line)
    if spec.questionnaires:
        node.add(f"{t(lang, 'label.questionnaires')}: {', '.join(spec.questionnaires)}")


def _questionnaire_node(parent: Tree, programme: Programme, q: Questionnaire, lang: str) -> None:
    def tx(value: Any) -> str:
        return escape(programme.text(value, lang))

    low, high = q.scale_range()
    node = parent.add(
        f"[bold cyan]{tx(q.title)}[/] [dim]{q.id} · {t(lang, f'questionnaire.{q.kind}')} · "
        f"{t(lang, 'label.scale', min=low, max=high)}[/]"
    )
    for dimension in q.dimensions:
        dim = node.add(tx(dimension.title))
        for statement in dimension.statements:
            dim.add(tx(statement.text))
    if q.open_questions:
        questions = node.add(t(lang, "label.open_questions"))
        for question in q.open_questions:
            questions.add(tx(question.text))


def status_view(status: Status) -> Group:
    """The status of a cohort at a glance."""
    from datetime import time

    from rich.console import Group
    from rich.panel import Panel

    from .formatting import clock, percent, weekday_date

    lang, country = status.language, status.country
    parts: list[Any] = []
    upcoming = status.next
    lines = [f"[bold]{escape(status.cohort)}[/] · {escape(status.programme_title)}"]
    lines.append(t(lang, "status.held", held=status.held, total=len(status.sessions)))
    if upcoming is not None:
        days = status.days_to_next
        when = t(lang, "status.today") if days == 0 else t(lang, "status.in_days", days=days)
        lines.append(
            t(
                lang,
                "status.next",
                title=escape(upcoming.title),
                date=weekday_date(upcoming.date, lang, country),
                when=when,
            )
        )
    else:
        lines.append(t(lang, "status.all_held"))
    if status.participants is not None:
        lines.append(t(lang, "status.participants", n=status.participants))
    if status.held:
        if status.attendance is None:
            lines.append(t(lang, "status.attendance_none"))
        else:
            lines.append(t(lang, "status.attendance", rate=percent(status.attendance, lang)))
    if status.participant_problem:
        lines.append(f"[red]{escape(status.participant_problem)}[/]")
    parts.append(Panel("\n".join(lines), expand=False))

    table = Table(header_style="bold")
    table.add_column(t(lang, "label.session"))
    table.add_column(t(lang, "label.date"), no_wrap=True)
    table.add_column(t(lang, "label.preparation"), justify="right", no_wrap=True)
    for session in status.sessions:
        mark = "✓ " if session.held else ("→ " if upcoming and session.id == upcoming.id else "  ")
        prep = (
            f"{session.checklist_done}/{session.checklist_total}"
            if session.checklist_total
            else "–"
        )
        table.add_row(
            f"{mark}{escape(session.title)}",
            f"{weekday_date(session.date, lang, country)}"
            f" {clock(time.fromisoformat(session.start), lang, country)}",
            prep,
        )
    parts.append(table)
    if status.tasks_due:
        task_lines = [
            f"• {escape(task.title)} – {t(lang, 'status.due', date=weekday_date(task.due, lang, country))}"
            for task in status.tasks_due
        ]
        parts.append(Panel("\n".join(task_lines), title=t(lang, "label.tasks"), expand=False))
    if status.collections:
        titles = {session.id: session.title for session in status.sessions}
        titles["pre-assignment"] = t(lang, "label.pre_assignment")
        answers = Table(title=t(lang, "label.questionnaires"), header_style="bold")
        answers.add_column(t(lang, "label.title"))
        answers.add_column(t(lang, "label.session"))
        answers.add_column(t(lang, "status.due_column"), no_wrap=True)
        answers.add_column(t(lang, "status.collected"), justify="right")
        for c in status.collections:
            answers.add_row(
                escape(c.title),
                escape(titles.get(c.session, c.session)),
                weekday_date(c.due, lang, country),
                f"{c.collected}/{c.expected}",
            )
        parts.append(answers)
    return Group(*parts)
