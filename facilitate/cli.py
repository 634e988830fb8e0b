"""The `facilitate` command line: parse options, call the core once, render with rich.

Only typer is imported at module level so that `facilitate --help` starts as fast as
a bare typer app; each command imports what it needs. FacilitateError is caught here
and nowhere else (see `guarded`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from . import __version__
from .errors import ExitStatus, FacilitateError

app = typer.Typer(
    name="facilitate",
    help="Prepare, run and evaluate coaching, supervision and mentoring programmes.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])

LangOption = Annotated[
    str | None,
    typer.Option("--lang", "-l", help="Language to show: fi, sv, nb or en.", show_default=False),
]
ProgrammesOption = Annotated[
    Path | None,
    typer.Option(
        "--programmes",
        help="A folder of your own programme files, searched before the shipped library.",
        envvar="FACILITATE_PROGRAMMES",
        exists=True,
        file_okay=False,
        show_default=False,
    ),
]

CohortOption = Annotated[
    Path | None,
    typer.Option(
        "--cohort",
        "-C",
        help="The cohort folder (default: this folder or the nearest one above with cohort.yaml).",
        file_okay=False,
        show_default=False,
    ),
]

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON, for scripts.")]


def env_of(ctx: typer.Context) -> Any:
    """The command's Environment (consoles); tests pass their own as `obj`."""
    from .context import Environment

    if not isinstance(ctx.obj, Environment):
        ctx.obj = Environment()
    return ctx.obj


def guarded(command: F) -> F:
    """Turn a FacilitateError into one message on stderr and its named exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = kwargs.get("ctx") or next(a for a in args if isinstance(a, typer.Context))
        try:
            return command(*args, **kwargs)
        except FacilitateError as exc:
            # soft_wrap: a FILE:LINE message stays on one line, whatever the terminal width.
            env_of(ctx).stderr.print(exc.message, markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_status) from None
        except (KeyboardInterrupt, EOFError):
            env_of(ctx).stderr.print("Interrupted; nothing was left half-written.")
            raise typer.Exit(ExitStatus.INTERRUPTED) from None
        except OSError as exc:
            # The machine said no where our checks did not foresee it: say which file.
            message, status = _os_error(exc)
            env_of(ctx).stderr.print(message, markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(status) from None

    return wrapper  # type: ignore[return-value]


def _os_error(exc: OSError) -> tuple[str, ExitStatus]:
    """One sentence and an exit code for an operating system error on a file."""
    import errno

    where = exc.filename or "a file"
    if isinstance(exc, PermissionError):
        return (
            f"{where} cannot be written or read (open in another program, or not yours to "
            "change); close it or check its permissions, and run the command again.",
            ExitStatus.FILE_BUSY,
        )
    if isinstance(exc, NotADirectoryError | FileExistsError):
        return (
            f"{where}: a file stands where facilitate needs a folder (or the other way "
            "round); move it aside and run the command again.",
            ExitStatus.BAD_INPUT,
        )
    if exc.errno == errno.ENOSPC:
        return f"{where}: the disk is full; nothing was left half-written.", ExitStatus.ERROR
    return f"{where}: {exc.strerror or exc}", ExitStatus.ERROR


def pick_lang(lang: str | None, fallback: str | None = None) -> str:
    """The --lang given, else the cohort's or programme's, else the user's locale, else English."""
    from .i18n import LANGUAGES

    if lang is not None:
        lang = lang.lower()
        if lang not in LANGUAGES:
            raise typer.BadParameter(
                f"'{lang}' is not one of {', '.join(LANGUAGES)}", param_hint="--lang"
            )
        return lang
    if fallback:
        return fallback
    for var in ("FACILITATE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")[:2].lower()
        if value == "no":
            value = "nb"
        if value in LANGUAGES:
            return value
    return "en"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"facilitate {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Prepare, run and evaluate coaching, supervision and mentoring programmes.

    Start with `facilitate demo` to see a complete example cohort.
    """


@app.command()
@guarded
def programmes(
    ctx: typer.Context,
    lang: LangOption = None,
    as_json: JsonOption = False,
    programmes_dir: ProgrammesOption = None,
) -> None:
    """List the programme library: id, title, languages, kind, sessions, duration."""
    import json

    from . import library, views

    env = env_of(ctx)
    language = pick_lang(lang)
    entries = library.entries(programmes_dir)
    rows = [views.summary(e.programme, language) for e in entries if e.programme is not None]
    if as_json:
        env.stdout.print_json(json.dumps(rows, ensure_ascii=False))
    else:
        env.stdout.print(views.programmes_table(rows, language))
    broken = [e for e in entries if e.error is not None]
    for entry in broken:
        assert entry.error is not None
        env.stderr.print(entry.error.message, markup=False, highlight=False, soft_wrap=True)
    if broken:
        raise typer.Exit(ExitStatus.BAD_PROGRAMME)


@app.command()
@guarded
def show(
    ctx: typer.Context,
    programme: Annotated[
        str, typer.Argument(help="A programme id from the library, or a path to a .yaml file.")
    ],
    lang: LangOption = None,
    programmes_dir: ProgrammesOption = None,
) -> None:
    """Show a programme: its sessions with agenda and minutes, tasks and questionnaires."""
    from . import library, views

    env = env_of(ctx)
    _, found = library.find(programme, programmes_dir)
    language = pick_lang(lang, None if lang else found.languages[0])
    env.stdout.print(views.programme_tree(found, language))


@app.command()
@guarded
def validate(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(help="Programme or questionnaire files to check.", show_default=False),
    ],
    programmes_dir: ProgrammesOption = None,
) -> None:
    """Check programme and questionnaire files; print FILE:LINE: path: message for every problem."""
    from .validation import validate_files

    env = env_of(ctx)
    report = validate_files(files, programmes_dir)
    for problem in report.problems:
        env.stdout.print(str(problem), markup=False, highlight=False, soft_wrap=True)
    for path in report.valid:
        env.stderr.print(f"{path}: ok", markup=False, highlight=False)
    if report.problems:
        bad = len(files) - len(report.valid)
        env.stderr.print(
            f"{len(report.problems)} problem{'s' if len(report.problems) != 1 else ''} "
            f"in {bad} of {len(files)} file{'s' if len(files) != 1 else ''}.",
            markup=False,
        )
        raise typer.Exit(ExitStatus.BAD_PROGRAMME)


@app.command()
@guarded
def init(
    ctx: typer.Context,
    programme: Annotated[
        str, typer.Argument(help="A programme id from the library, or a path to a .yaml file.")
    ],
    folder: Annotated[Path, typer.Argument(help="The new cohort folder.", file_okay=False)],
    organisation: Annotated[
        str | None, typer.Option(help="The organisation the cohort is for.", show_default=False)
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            help="A name for this run, e.g. 'Ohjaamo Varkaus, spring 2027'.", show_default=False
        ),
    ] = None,
    lang: LangOption = None,
    country: Annotated[
        str | None,
        typer.Option(help="FI, SE or NO: whose public holidays to skip.", show_default=False),
    ] = None,
    facilitator: Annotated[
        list[str] | None,
        typer.Option(help="A facilitator's name (repeat for a pair).", show_default=False),
    ] = None,
    coordinator: Annotated[
        str | None, typer.Option(help="The coordinator's name.", show_default=False)
    ] = None,
    delivery: Annotated[
        str | None, typer.Option(help="on-site, teams or hybrid.", show_default=False)
    ] = None,
    place: Annotated[
        str | None, typer.Option(help="Where on-site sessions are held.", show_default=False)
    ] = None,
    teams_link: Annotated[
        str | None, typer.Option(help="The Teams meeting link.", show_default=False)
    ] = None,
    first_date: Annotated[
        str | None,
        typer.Option(
            help="Date of the first session: 2027-01-19 or 19.1.2027.", show_default=False
        ),
    ] = None,
    start_time: Annotated[
        str | None, typer.Option(help="Start time of the sessions, e.g. 09:00.", show_default=False)
    ] = None,
    sessions: Annotated[
        list[str] | None,
        typer.Option(help="How many of a repeated session: ID=N (repeatable).", show_default=False),
    ] = None,
    templates: Annotated[
        str | None,
        typer.Option(help="A folder of your organisation's Word templates.", show_default=False),
    ] = None,
    anonymity_threshold: Annotated[
        int | None,
        typer.Option(
            help="Smallest group whose results are broken down (default 3).", show_default=False
        ),
    ] = None,
    no_input: Annotated[
        bool,
        typer.Option(
            "--no-input", help="Never prompt; missing values are an error naming the flag."
        ),
    ] = False,
    programmes_dir: ProgrammesOption = None,
) -> None:
    """Create a cohort folder: cohort.yaml, an empty participants.xlsx, out/ and responses/.

    On a terminal it asks for what the flags did not give; with --no-input, or without
    a terminal, it never asks.
    """
    from datetime import date

    from rich.markup import escape

    from . import library
    from .cohort import default_country
    from .init import check_target, create, questions, settings_from
    from .prompts import ask, check_given, missing_flags

    env = env_of(ctx)
    check_target(folder)
    path, found = library.find(programme, programmes_dir)
    language = pick_lang(lang) if lang else None
    given: dict[str, Any] = {
        "organisation": organisation,
        "name": name,
        "language": language,
        "country": country.upper() if country else None,
        "facilitators": facilitator or None,
        "coordinator": coordinator,
        "delivery": delivery,
        "place": place,
        "teams_link": teams_link,
        "first_date": first_date,
        "start_time": start_time,
        "templates": templates,
        "anonymity_threshold": anonymity_threshold,
    }
    given.update({f"count:{key}": str(n) for key, n in _session_counts(sessions or []).items()})
    home = given["country"] or default_country(found, language or found.languages[0])
    asked = questions(found, home, today=date.today())
    given = check_given(asked, given)
    if no_input or not env.interactive:
        missing_flags(asked, given)
    else:
        given = ask(asked, given, **env.prompt_io)
    settings = settings_from(programme, found, given)
    cohort = create(folder, settings, found, path)
    env.stdout.print(
        f"Created the cohort [bold]{escape(settings.organisation)}[/] in {escape(str(folder))}"
    )
    listed = cohort.participants_file() or folder / "participants.xlsx"
    env.stdout.print(f"Next: fill in {escape(str(listed))}, then run `facilitate schedule`.")


def _session_counts(values: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        key, sep, number = value.partition("=")
        if not sep or not number.strip().isdigit():
            raise typer.BadParameter(
                f"'{value}' should be ID=N, e.g. meeting=4", param_hint="--sessions"
            )
        counts[key.strip()] = int(number)
    return counts


@app.command()
@guarded
def status(
    ctx: typer.Context,
    cohort_dir: CohortOption = None,
    as_json: JsonOption = False,
    programmes_dir: ProgrammesOption = None,
) -> None:
    """Where the cohort stands: next session, sessions held, preparation, tasks, answers."""
    import json
    from datetime import date

    from . import cohort as cohorts
    from .status import status as cohort_status
    from .views import status_view

    env = env_of(ctx)
    cohort = cohorts.load(cohort_dir, programmes_dir)
    result = cohort_status(cohort, date.today())
    if as_json:
        env.stdout.print_json(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        env.stdout.print(status_view(result))


@app.command()
@guarded
def demo(
    ctx: typer.Context,
    folder: Annotated[
        Path, typer.Argument(help="Where to build the demo cohort.", file_okay=False)
    ] = Path("facilitate-demo"),
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild an existing demo cohort in that folder.")
    ] = False,
    programme: Annotated[
        str | None,
        typer.Option(
            "--programme",
            help="A mentoring programme (mentorsprogram-vasternorrland, "
            "mentorskap-for-medarbetare): a Swedish cohort of 30 applicants from six "
            "organisations, matched, with letters, pair calendars and pair logs.",
            show_default=False,
        ),
    ] = None,
    programmes_dir: ProgrammesOption = None,
) -> None:
    """Build a complete example cohort (a made-up Ohjaamo, in Finnish) with every document.

    With --programme, a mentoring cohort instead: applications, eligibility, matching and a letter per pair.
    """
    from datetime import date

    from rich.markup import escape
    from rich.table import Table

    from .demo import build, build_mentoring

    env = env_of(ctx)
    if programme is None:
        made = build(folder, date.today(), force=force, programmes_dir=programmes_dir)
    else:
        made = build_mentoring(folder, date.today(), programme, force, programmes_dir)
    table = Table(
        title=escape(f"The demo cohort in {folder}"), show_header=True, header_style="bold"
    )
    table.add_column("File")
    table.add_column("What it is")
    for item in made:
        shown = item.path.relative_to(folder) if item.path.is_relative_to(folder) else item.path
        table.add_row(escape(f"{shown}{'/' if item.path.is_dir() else ''}"), escape(item.what))
    env.stdout.print(table)
    next_step = "match --check" if programme else "status"
    env.stdout.print(f"Try: cd {folder} && facilitate {next_step}", markup=False)


@app.command()
@guarded
def schedule(
    ctx: typer.Context,
    cohort_dir: CohortOption = None,
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics",
            help="Also write the sessions as a calendar file (.ics) to import into Outlook or Google.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    pairs: Annotated[
        bool,
        typer.Option(
            "--pairs",
            help="Mentoring: also a calendar (.ics) per pair of `facilitate match` in "
            "out/calendars/: the common sessions and the pair's meetings as suggested weeks.",
        ),
    ] = False,
    pairs_dir: Annotated[
        Path | None,
        typer.Option(
            "--pairs-dir",
            help="Write the pair calendars into this folder instead (implies --pairs).",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace pair calendars edited by hand (keeping a .bak)."),
    ] = False,
    lang: LangOption = None,
    programmes_dir: ProgrammesOption = None,
) -> None:
    """Dates and clock times of every session, skipping weekends, holidays and the summer break.

    Pin a session's date in cohort.yaml (pinned: module-3: 2027-04-06); the sessions after it keep their spacing. With --ics, also a calendar file with every session; with --pairs, one per mentoring pair.
    """
    from rich.table import Table
    from rich.text import Text

    from . import cohort as cohorts
    from .i18n import t
    from .output import write_atomic
    from .schedule import PAIR_CALENDARS, compute, pair_calendars, rows, to_ics

    env = env_of(ctx)
    cohort = cohorts.load(cohort_dir, programmes_dir)
    language = pick_lang(lang, cohort.lang)
    slots = compute(cohort)
    calendars: list[tuple[Path, bytes]] = []
    if pairs or pairs_dir is not None:
        # Made before anything is shown: without pairs, the message is all there is.
        folder = pairs_dir.absolute() if pairs_dir is not None else cohort.folder / PAIR_CALENDARS
        calendars = pair_calendars(cohort, folder, language)
    title = cohort.programme.text(cohort.programme.title, language)
    table = Table(
        title=Text(f"{title} – {cohort.settings.name or cohort.settings.organisation}"),
        caption=t(language, "schedule.times_in", zone=cohort.settings.timezone),
        header_style="bold",
    )
    table_rows = rows(cohort, slots, language)
    # Ids and times stay on one line; the rest wraps, breaking a long word if it must.
    table.add_column(t(language, "label.id"), no_wrap=True)
    for key in ("session", "date"):
        table.add_column(t(language, f"schedule.col.{key}"), overflow="fold")
    table.add_column(t(language, "schedule.col.time"), no_wrap=True)
    table.add_column(t(language, "schedule.col.place"), overflow="fold")
    for row in table_rows:
        # Text, not markup: a place or title may contain [brackets].
        day = Text(f"{row.date} *" if row.pinned else row.date)
        if row.note:
            day.append(f"\n{row.note}", style="dim")
        table.add_row(Text(row.id), Text(row.session), day, Text(row.time), Text(row.place))
    env.stdout.print(table)
    if any(slot.pinned for slot in slots):
        env.stdout.print(f"* {t(language, 'schedule.pinned')}", markup=False, highlight=False)
    if ics is not None:
        written = write_atomic(ics, to_ics(cohort, slots, language))
        env.stderr.print(
            t(language, "schedule.written", path=written), markup=False, highlight=False
        )
    if calendars:
        from .generated import GeneratedFiles

        GeneratedFiles(cohort.folder).write_many(calendars, force=force)
        key = (
            "applications.pairs_written_one"
            if len(calendars) == 1
            else "applications.pairs_written"
        )
        env.stderr.print(
            t(language, key, count=len(calendars), folder=calendars[0][0].parent),
            markup=False,
            highlight=False,
        )


@app.command()
@guarded
def handouts(
    ctx: typer.Context,
    session: Annotated[
        str,
        typer.Argument(
            help="A session (module-3, 3, kick-off) or 'all' for every document of the cohort."
        ),
    ] = "all",
    lang: LangOption = None,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--only",
            help="Only these kinds (repeatable): handout, runsheet, task-sheet, overview, diary, pair-guide, certificate.",
            show_default=False,
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            help="A folder of your own Word templates (instead of cohort.yaml's).",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace documents edited by hand (keeping a .bak).")
    ] = False,
    cohort_dir: CohortOption = None,
    programmes_dir: ProgrammesOption = None,
) -> None:
    """Write Word handouts, run-sheets, task sheets, the overview, diaries and certificates into out/."""
    from datetime import date

    from rich.markup import escape
    from rich.progress import Progress
    from rich.table import Table

    from . import cohort as cohorts
    from .handouts import make
    from .i18n import t

    env = env_of(ctx)
    cohort = cohorts.load(cohort_dir, programmes_dir)
    language = pick_lang(lang, cohort.lang) if lang else cohort.lang
    # No bar where stderr is no terminal: rich would still print an empty line there.
    with Progress(console=env.stderr, transient=True, disable=not env.stderr.is_terminal) as bar:
        task = bar.add_task("Writing documents", total=None, visible=False)

        def advance(done: int, total: int) -> None:
            # A bar only for more than a handful of files.
            bar.update(task, completed=done, total=total, visible=total > 5)

        result = make(cohort, date.today(), session, language, only, templates, force, advance)
    table = Table(header_style="bold")
    table.add_column(t(language, "doc.col.file"), overflow="fold", ratio=3)
    table.add_column(t(language, "doc.col.document"), ratio=2)
    table.add_column(t(language, "doc.col.for"), ratio=2)
    for item in result.written:
        table.add_row(
            escape(item.path.as_posix()),
            t(language, f"doc.{item.kind.replace('-', '_')}"),
            escape(item.title),
        )
    env.stdout.print(table)
    env.stdout.print(f"{len(result.written)} documents written in {escape(str(cohort.out))}.")
    if result.fallbacks:
        shown = ", ".join(result.fallbacks[:5])
        more = f" and {len(result.fallbacks) - 5} more" if len(result.fallbacks) > 5 else ""
        first = cohort.programme.languages[0]
        env.stderr.print(
            f"Warning: {len(result.fallbacks)} texts of {cohort.programme.id} are not written in {language}; "
            f"they are shown in {first}: {shown}{more}.",
            markup=False,
            soft_wrap=True,
        )
    for reason in result.skipped:
        env.stderr.print(reason, markup=False, soft_wrap=True)


@app.command()
@guarded
def prepare(
    ctx: typer.Context,
    session: Annotated[
        str, typer.Argument(help="The session to prepare: module-3, 3, or an id (kick-off).")
    ],
    check: Annotated[
        list[str] | None,
        typer.Option(
            "--check",
            help="Tick a checklist item (repeatable): its key (p2, invitation), its number "
            "as shown, or the start of its text. Then prints the report; never asks.",
            show_default=False,
        ),
    ] = None,
    no_input: Annotated[
        bool,
        typer.Option("--no-input", help="Never ask: print the whole preparation as a report."),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the preparation as JSON (never asks).")
    ] = False,
    no_documents: Annotated[
        bool,
        typer.Option("--no-documents", help="Do not write the session's documents at the end."),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace documents edited by hand (keeping a .bak).")
    ] = False,
    cohort_dir: CohortOption = None,
    programmes_dir: ProgrammesOption = None,
) -> None:
    """Prepare a session step by step: goals, follow-up, agenda, materials, checklist, documents.

    On a terminal it walks you through one screen at a time, saves what you confirm, and
    resumes where you stopped; agenda changes go into cohort.yaml. With --no-input, --json,
    --check, or without a terminal, it prints the whole preparation and writes the
    session's documents (handout, run-sheet, task sheet) into out/SESSION/.
    """
    from datetime import date

    from . import cohort as cohorts
    from . import guide
    from . import prepare as preparing

    env = env_of(ctx)
    cohort = cohorts.load(cohort_dir, programmes_dir)
    found = preparing.find(cohort, session)
    if check:
        preparing.tick(cohort, found, preparing.resolve(cohort, found, check))
    today = date.today()
    if no_input or as_json or check or not env.interactive:
        guide.report(
            env, cohort, found, today, as_json=as_json, make_documents=not no_documents, force=force
        )
    else:
        guide.walk(env, cohort, found, today, make_documents=not no_documents, force=force)


@app.command()
@guarded
def collect(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(
            help="What to collect: attendance, meter, feedback, evaluation, or a questionnaire id."
        ),
    ],
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Filled workbooks (.xlsx), or folders of them (default: the cohort's responses/ folder).",
            show_default=False,
        ),
    ] = None,
    cohort_dir: CohortOption = None,
    programmes_dir: ProgrammesOption = None,
) -> None:
    """Read filled sheets into the cohort's answers; report every value and file not accepted.

    Values are taken as people type them (4, "4", "4 – agree", a label in another of the programme's languages). Collecting a file again changes nothing; a corrected file replaces the earlier answers, with a note. When a value or file is refused the exit code is 4, and what was accepted is stored all the same.
    """
    from rich.markup import escape
    from rich.table import Table

    from . import cohort as cohorts
    from .collect import collect as collect_files

    env = env_of(ctx)
    cohort = cohorts.load(cohort_dir, programmes_dir)
    report = collect_files(cohort, kind, files or [])
    unit = "marks" if kind == "attendance" else "respondents"
    if report.files:
        table = Table(header_style="bold")
        table.add_column("File", overflow="fold", ratio=3)
        table.add_column("Sheet", overflow="fold", ratio=2)
        for heading in ("New", "Replaced", "Unchanged", "Not accepted"):
            table.add_column(heading, justify="right")
        for item in report.files:
            if item.refused is not None:
                table.add_row(escape(item.name), "refused", "", "", "", "whole file")
            else:
                table.add_row(
                    escape(item.name),
                    escape(item.what),
                    *(str(n) for n in (item.new, item.replaced, item.unchanged, item.problems)),
                )
        env.stdout.print(table)
    for line in (*report.notes, *report.refused, *report.problems):
        env.stdout.print(line, markup=False, highlight=False, soft_wrap=True)
    env.stdout.print(
        f"{report.new} new, {report.replaced} replaced, {report.unchanged} unchanged {unit}.",
        markup=False,
        highlight=False,
    )
    if not report.ok:
        counts = [
            f"{n} {what}{'s' if n != 1 else ''}"
            for n, what in ((len(report.problems), "problem"), (len(report.refused), "file"))
            if n
        ]
        env.stderr.print(
            f"Not accepted: {' and '.join(counts)} (listed above); everything else is stored. "
            "Correct them and collect again.",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(ExitStatus.BAD_INPUT)


@app.command()
@guarded
def results(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(
            help="What to sum up: meter, feedback, evaluation (a questionnaire id or kind), or attendance.",
        ),
    ],
    round_: Annotated[
        str | None,
        typer.Argument(
            metavar="round",
            help="The round: a session (module-4, 4, final-seminar) or pre-assignment "
            "(default: the last one with answers).",
            show_default=False,
        ),
    ] = None,
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare",
            help="Another round to compare with, dimension by dimension (a meter compares "
            "with the pre-assignment unless told otherwise; 'none' for no comparison).",
            show_default=False,
        ),
    ] = None,
    lang: LangOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace results edited by hand (keeping a .bak).")
    ] = False,
    cohort_dir: CohortOption = None,
    programmes_dir: ProgrammesOption = None,
) -> None:
    """Sum up the collected answers: out/results/ gets an Excel workbook with charts and a Word report.

    Per statement and dimension: n, mean, median and the answers per scale point; the response rate; open answers without names. A group smaller than the cohort's anonymity_threshold (default 3) shows its count only. For attendance: each participant's rate and whether it reaches the certificate rule.
    """
    from rich.markup import escape
    from rich.table import Table

    from . import cohort as cohorts
    from . import results as core
    from .formatting import percent
    from .i18n import t

    env = env_of(ctx)
    cohort = cohorts.load(cohort_dir, programmes_dir)
    language = pick_lang(lang, cohort.lang)
    made = core.make(cohort, kind, round_, compare, language, force)
    summary = made.summary
    table = Table(title=escape(summary.title), header_style="bold", title_justify="left")
    r, a = summary.round, summary.attendance
    if r is not None:
        c = summary.comparison
        env.stdout.print(r.title, markup=False, highlight=False)
        env.stdout.print(
            f"{t(language, 'results.responses')}: {core.response_text(r, language)}",
            markup=False,
            highlight=False,
        )
        table.add_column(t(language, "results.dimension"), overflow="fold")
        table.add_column(t(language, "results.n"), justify="right")
        table.add_column(t(language, "results.mean"), justify="right")
        if c is not None:
            table.add_column(escape(c.before.label), justify="right")
            table.add_column(t(language, "results.change"), justify="right")
        changes = {change.dimension: change for change in c.changes} if c else {}
        too_few = t(language, "results.too_few")
        for d in r.dimensions:
            mean = core.number_text(d.stats.mean, language) if d.stats.mean is not None else too_few
            row = [escape(d.title), str(d.stats.n), mean]
            if c is not None:
                change = changes[d.id]
                before = c.before if c.before is not r else c.after
                stats = change.before if before is c.before else change.after
                row.append(
                    core.number_text(stats.mean, language) if stats.mean is not None else too_few
                )
                row.append(
                    core.number_text(change.change, language, signed=True)
                    if change.change is not None
                    else "–"
                )
            table.add_row(*row)
    elif a is not None:
        env.stdout.print(
            t(
                language,
                "results.held_of",
                held=len(a.sessions),
                total=a.total_sessions,
            ),
            markup=False,
            highlight=False,
        )
        table.add_column(t(language, "results.participant"), overflow="fold")
        table.add_column(t(language, "results.present"), justify="right")
        table.add_column(t(language, "results.rate"), justify="right")
        table.add_column(t(language, "results.certificate"))
        for p in a.people:
            table.add_row(
                escape(p.name),
                f"{p.present}/{p.held}",
                percent(p.rate, language) if p.rate is not None else "–",
                t(language, "results.yes") if p.certificate else t(language, "results.not_yet"),
            )
    env.stdout.print(table)
    env.stdout.print(t(language, "results.written"), markup=False, highlight=False)
    for path in made.written:
        env.stdout.print(f"  {path.as_posix()}", markup=False, highlight=False)
    for warning in summary.warnings:
        env.stderr.print(f"Warning: {warning}", markup=False, highlight=False, soft_wrap=True)


@app.command()
@guarded
def sheets(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(
            help="What to fill in: meter, feedback, evaluation or attendance; for mentoring, "
            "applications (the application list) or pair-log (a meeting log per pair)."
        ),
    ],
    session: Annotated[
        str | None,
        typer.Argument(
            help="The session the answers are for (module-4, 4, final-seminar) or "
            "pre-assignment; the meter defaults to the pre-assignment, the evaluation to "
            "the session that gives it. Attendance covers every session.",
            show_default=False,
        ),
    ] = None,
    layout: Annotated[
        str | None,
        typer.Option(
            "--layout",
            help="person: a workbook per respondent, name filled in, to send out (meter, "
            "evaluation); collection: one workbook with a row per respondent, to type in "
            "paper answers (feedback).",
            show_default=False,
        ),
    ] = None,
    lang: LangOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace workbooks edited by hand (keeping a .bak).")
    ] = False,
    cohort_dir: CohortOption = None,
    programmes_dir: ProgrammesOption = None,
) -> None:
    """Write Excel workbooks to fill in into out/sheets/: questionnaires, attendance, applications, pair meeting logs.

    Answer cells have dropdowns (the scale in the cohort's language) and everything else is protected, without a password. Filled workbooks go back in with `facilitate collect`.
    """
    from rich.markup import escape
    from rich.table import Table

    from . import cohort as cohorts
    from .i18n import t
    from .sheets import KINDS, LAYOUTS, make

    if kind not in KINDS:
        raise typer.BadParameter(f"'{kind}' is not one of {', '.join(KINDS)}", param_hint="KIND")
    if layout is not None and layout not in LAYOUTS:
        raise typer.BadParameter(
            f"'{layout}' is not one of {', '.join(LAYOUTS)}", param_hint="--layout"
        )
    env = env_of(ctx)
    cohort = cohorts.load(cohort_dir, programmes_dir)
    language = pick_lang(lang, cohort.lang)
    result = make(cohort, kind, session, layout, language, force)
    table = Table(header_style="bold")
    table.add_column(t(language, "doc.col.file"), overflow="fold", ratio=3)
    table.add_column(t(language, "sheets.col.sheet"), ratio=2)
    table.add_column(t(language, "doc.col.for"), ratio=2)
    what = result.plan.title
    for job in result.written:
        table.add_row(escape(job.path.as_posix()), escape(what), escape(job.title))
    env.stdout.print(table)
    folder = (cohort.folder / result.written[0].path).parent if result.written else cohort.out
    env.stdout.print(
        t(
            language,
            "sheets.written_one" if len(result.written) == 1 else "sheets.written",
            count=len(result.written),
            folder=folder,
        ),
        markup=False,
        highlight=False,
    )
    if result.plan.fallbacks:
        shown = ", ".join(result.plan.fallbacks[:5])
        more = (
            f" and {len(result.plan.fallbacks) - 5} more" if len(result.plan.fallbacks) > 5 else ""
        )
        env.stderr.print(
            f"Warning: {len(result.plan.fallbacks)} texts are not written in {language}; "
            f"they are shown in another of the programme's languages: {shown}{more}.",
            markup=False,
            soft_wrap=True,
        )


@app.command()
@guarded
def match(
    ctx: typer.Context,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Only check eligibility: who is not eligible and why. Writes nothing."
        ),
    ] = False,
    applications: Annotated[
        Path | None,
        typer.Option(
            "--applications",
            help="Read the applications from this workbook (.xlsx or .csv) instead of the "
            "cohort's participant list.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Replace matching.xlsx or letters edited by hand (keeping a .bak)."
        ),
    ] = False,
    as_json: JsonOption = False,
    cohort_dir: CohortOption = None,
    programmes_dir: ProgrammesOption = None,
) -> None:
    """Mentoring: check who is eligible, pair adepts with mentors, write matching.xlsx and a letter per pair.

    Each pair comes with its score and the reasons in words; whoever is left without a pair or not eligible is listed with the reason. Pin or forbid pairs in cohort.yaml under `matching:` and run it again: the same applications, pins and forbids always give the same pairs.
    """
    import json
    from datetime import date

    from . import cohort as cohorts
    from . import pairs

    env = env_of(ctx)
    cohort = cohorts.load(cohort_dir, programmes_dir)
    if check:
        found = pairs.check(cohort, applications)
        if as_json:
            data = {
                "ineligible": [i.__dict__ for i in found.ineligible],
                "eligible": {role: n for role, (n, _) in found.counts.items()},
                "applied": {role: n for role, (_, n) in found.counts.items()},
            }
            env.stdout.print_json(json.dumps(data, ensure_ascii=False))
            return
        _print_eligibility(env, cohort, found)
        return
    made = pairs.make(cohort, date.today(), applications, force)
    if as_json:
        data = {**made.result.to_json(), "written": [p.as_posix() for p in made.written]}
        env.stdout.print_json(json.dumps(data, ensure_ascii=False))
        return
    _print_pairs(env, cohort, made)


def _print_eligibility(env: Any, cohort: Any, found: Any) -> None:
    """`match --check`: the table of who is not eligible, then the count per role."""
    from .i18n import t

    lang = cohort.lang
    if found.ineligible:
        env.stdout.print(_ineligible_table(cohort, found.ineligible))
    else:
        env.stdout.print(t(lang, "pairs.all_eligible"), markup=False, highlight=False)
    for role, (eligible, applied) in found.counts.items():
        env.stdout.print(
            t(
                lang,
                "pairs.eligible",
                role=cohort.programme.role_title(role, lang),
                eligible=eligible,
                total=applied,
            ),
            markup=False,
            highlight=False,
        )


def _ineligible_table(cohort: Any, ineligible: Any) -> Any:
    from rich.markup import escape
    from rich.table import Table

    from .i18n import t

    lang = cohort.lang
    table = Table(
        title=t(lang, "pairs.sheet.ineligible"), title_justify="left", header_style="bold"
    )
    for key in ("participant.name", "participant.role", "participant.organisation"):
        table.add_column(t(lang, key))
    table.add_column(t(lang, "pairs.col.reasons"), ratio=3)
    for i in ineligible:
        table.add_row(
            escape(i.name),
            escape(cohort.programme.role_title(i.role, lang)),
            escape(i.organisation or ""),
            escape("\n".join(i.reasons)),
        )
    return table


def _print_pairs(env: Any, cohort: Any, made: Any) -> None:
    """`match`: the pairs with score and reasons, the unmatched, the not eligible, what
    was written where, and how to adjust and go on."""
    from rich.markup import escape
    from rich.table import Table

    from .formatting import decimal
    from .i18n import t

    lang, result = cohort.lang, made.result
    adept, mentor = (
        cohort.programme.role_title("adept", lang),
        cohort.programme.role_title("mentor", lang),
    )
    pinned = t(lang, "pairs.col.pinned").lower()
    table = Table(title=t(lang, "pairs.sheet.pairs"), title_justify="left", header_style="bold")
    table.add_column(adept, overflow="fold")
    table.add_column(t(lang, "pairs.col.organisation", role=adept), overflow="fold")
    table.add_column(mentor, overflow="fold")
    table.add_column(t(lang, "pairs.col.organisation", role=mentor), overflow="fold")
    table.add_column(t(lang, "pairs.col.score"), justify="right")
    table.add_column(t(lang, "pairs.col.reasons"), ratio=3)
    for pair in result.pairs:
        organisations = [made.people[n].organisation or "" for n in (pair.adept, pair.mentor)]
        table.add_row(
            escape(pair.adept) + (f" ({pinned})" if pair.pinned else ""),
            escape(organisations[0]),
            escape(pair.mentor),
            escape(organisations[1]),
            decimal(pair.score, lang, digits=2),
            escape("\n".join(pair.reasons)),
        )
    env.stdout.print(table)
    if result.unmatched:
        left = Table(
            title=t(lang, "pairs.sheet.unmatched"), title_justify="left", header_style="bold"
        )
        for key in ("participant.name", "participant.role", "pairs.col.reason"):
            left.add_column(t(lang, key))
        for u in result.unmatched:
            left.add_row(
                escape(u.name), escape(cohort.programme.role_title(u.role, lang)), escape(u.reason)
            )
        env.stdout.print(left)
    if result.ineligible:
        env.stdout.print(_ineligible_table(cohort, result.ineligible))
    key = "pairs.written_one" if len(result.pairs) == 1 else "pairs.written"
    env.stdout.print(
        t(lang, key, pairs=len(result.pairs), folder=made.folder.as_posix()),
        markup=False,
        highlight=False,
    )
    env.stdout.print(t(lang, "pairs.next"), markup=False, highlight=False)


def main() -> None:
    app()
