"""`facilitate validate`: check programme and questionnaire files, collecting every problem."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, ProgrammeError


@dataclass
class Report:
    valid: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def is_questionnaire(data: object, path: Path) -> bool:
    """A questionnaire file has statements or questions and no sessions."""
    if path.parent.name == "questionnaires":
        return True
    return (
        isinstance(data, dict)
        and "sessions" not in data
        and ("dimensions" in data or "open_questions" in data)
    )


def validate_files(paths: Sequence[Path], programmes_dir: Path | None = None) -> Report:
    from .library import questionnaire_dirs
    from .loader import programme_from, questionnaire_from
    from .yamlfile import read_yaml

    report = Report()
    for path in paths:
        try:
            doc = read_yaml(path)
            if is_questionnaire(doc.data, path):
                # In a questionnaires/ folder a programme finds it by its file name.
                questionnaire_from(doc, path.stem if path.parent.name == "questionnaires" else None)
            else:
                programme_from(doc, path, questionnaire_dirs(programmes_dir))
        except ProgrammeError as exc:
            report.problems.extend(exc.problems)
        else:
            report.valid.append(path)
    return report
