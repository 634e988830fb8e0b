"""`facilitate handouts`: render a cohort's Word documents and write them safely into out/."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .cohort import Cohort
from .errors import InputError
from .programme import find_session


@dataclass(frozen=True)
class Written:
    path: Path  # relative to the cohort folder
    kind: str
    title: str


@dataclass
class Result:
    written: list[Written] = field(default_factory=list)
    fallbacks: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    language: str = ""


def templates_folder(cohort: Cohort, override: Path | None) -> Path | None:
    """--templates, else cohort.yaml's `templates:` (relative to the cohort), else ours."""
    if override is not None:
        return override
    if cohort.settings.templates:
        folder = Path(cohort.settings.templates).expanduser()
        return folder if folder.is_absolute() else cohort.folder / folder
    return None


def make(
    cohort: Cohort,
    today: date,
    session: str | None = None,
    lang: str | None = None,
    kinds: Sequence[str] | None = None,
    templates: Path | None = None,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Render the documents of one session (by name) or of the whole cohort (None or 'all').

    Everything is rendered before anything is written, and the writer checks every
    target first: a refused file stops the run before a single file changes."""
    from . import documents
    from .docgen import Templates
    from .documents import PLANNED_KINDS as KINDS
    from .generated import GeneratedFiles

    chosen = None
    if session is not None and session != "all":
        sessions = cohort.sessions()
        chosen = find_session(sessions, session)
        if chosen is None:
            names = ", ".join(s.id for s in sessions)
            raise InputError(
                f"no session '{session}' in {cohort.programme.id}; the sessions are: {names}"
            )
    for kind in kinds or ():
        if kind not in KINDS:
            raise InputError(f"unknown document kind '{kind}'; the kinds are {', '.join(KINDS)}")
    plan = documents.plan(cohort, today, lang=lang, kinds=kinds, session=chosen)
    renderer = Templates(templates_folder(cohort, templates))
    files: list[tuple[Path, bytes]] = []
    for done, job in enumerate(plan.jobs, start=1):
        # Relative to the cohort folder, as the writer and its manifest name files.
        files.append((Path("out") / job.path, renderer.render(job.kind, job.context)))
        if progress is not None:
            progress(done, len(plan.jobs))
    writer = GeneratedFiles(cohort.folder)
    writer.write_many(files, force=force)
    return Result(
        written=[Written(Path("out") / job.path, job.kind, job.title) for job in plan.jobs],
        fallbacks=plan.fallbacks,
        skipped=plan.skipped,
        language=lang or cohort.lang,
    )
