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
        file_okay=False,
        show_default=False,
    ),
]


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
            env_of(ctx).stderr.print(exc.message, markup=False, highlight=False)
            raise typer.Exit(exc.exit_status) from None
        except KeyboardInterrupt:
            env_of(ctx).stderr.print("Interrupted; nothing was left half-written.")
            raise typer.Exit(ExitStatus.INTERRUPTED) from None

    return wrapper  # type: ignore[return-value]


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
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
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
        env.stderr.print(entry.error.message, markup=False, highlight=False)
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


def main() -> None:
    app()
