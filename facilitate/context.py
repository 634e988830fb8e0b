"""The environment a command runs in: its consoles and whether a person is at the keyboard.

Tests replace it (`CliRunner.invoke(app, args, obj=Environment(...))`) to capture output
at a fixed width without colour.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


def _console(stderr: bool) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


@dataclass
class Environment:
    stdout: Console = field(default_factory=lambda: _console(False))
    stderr: Console = field(default_factory=lambda: _console(True))
    interactive: bool | None = None
    # prompt_toolkit input/output for questionary; tests pass a pipe input here.
    prompt_io: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.interactive is None:
            self.interactive = _terminal(sys.stdin) and _terminal(sys.stdout)


def _terminal(stream: Any) -> bool:
    """Whether `stream` is a terminal; a closed stdin (`<&-`) is None, or a closed file."""
    try:
        return stream is not None and bool(stream.isatty())
    except (ValueError, OSError):
        return False
