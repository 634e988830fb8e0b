"""The errors facilitate raises, and the exit codes the command line turns them into."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path
from typing import NamedTuple


class ExitStatus(IntEnum):
    """Exit codes of the `facilitate` command; documented in the README."""

    OK = 0
    ERROR = 1
    USAGE = 2  # click's own code for a bad flag or argument
    BAD_PROGRAMME = 3
    BAD_INPUT = 4
    NO_COHORT = 5
    REFUSED = 6
    FILE_BUSY = 7
    INTERRUPTED = 130


class FacilitateError(Exception):
    """An error a facilitator can act on; the CLI prints its message without a traceback."""

    exit_status = ExitStatus.ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class Problem(NamedTuple):
    """One problem in a file, located by line and by the path to the offending field.
    (A NamedTuple, not a dataclass: it is defined at every start, `--help` included.)"""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class FileProblems(FacilitateError):
    """A file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class ProgrammeError(FileProblems):
    """A programme or questionnaire file that cannot be used."""

    exit_status = ExitStatus.BAD_PROGRAMME


class CohortFileError(FileProblems):
    """A cohort.yaml that cannot be used."""

    exit_status = ExitStatus.BAD_INPUT


class UnknownProgrammeError(FacilitateError):
    """A programme named by id that is neither shipped nor in the given folder."""

    exit_status = ExitStatus.BAD_PROGRAMME


class InputError(FacilitateError):
    """A participant list, filled sheet or other input file with bad content."""

    exit_status = ExitStatus.BAD_INPUT


class NoCohortError(FacilitateError):
    """No cohort.yaml in the folder given, the current folder or any parent."""

    exit_status = ExitStatus.NO_COHORT


class RefusedError(FacilitateError):
    """Writing would overwrite something the facilitator made or edited."""

    exit_status = ExitStatus.REFUSED


class FileBusyError(FacilitateError):
    """A file another program (usually Word or Excel) holds open."""

    exit_status = ExitStatus.FILE_BUSY

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} is open in another program (Word or Excel?) or cannot be accessed; "
            "close it and run the command again."
        )
