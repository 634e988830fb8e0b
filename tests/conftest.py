"""Shared test set-up: a fixed terminal, the test data, a CLI runner, and skipping fuzz runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent

# Fixed width and no colour, so that what the CLI prints is the same on every machine.
TERMINAL = {"COLUMNS": "100", "LINES": "50", "TERMINAL_WIDTH": "100", "NO_COLOR": "1"}
# Settings of the user's own that would change what the commands do.
UNSET = ("FACILITATE_PROGRAMMES", "FACILITATE_LANG", "LC_ALL", "LC_MESSAGES", "FORCE_COLOR")

# A small valid programme to start a test file from: one language, one repeated session.
TINY = """\
id: tiny
languages: [en]
title: Tiny programme
description: A programme for one test.
kind: team-coaching
delivery: [on-site]
roles:
  - id: coach
    title: Coach
    facilitator: true
  - id: member
    title: Team member
sessions:
  - id: module
    kind: module
    title: Module {n}
    count: 3
    duration: 3 h
schedule:
  interval: 1 month
"""


def _fuzz_selected(config: pytest.Config) -> bool:
    expression = config.getoption("markexpr", "") or ""
    return "fuzz" in expression.replace("(", " ").replace(")", " ").split()


def pytest_configure(config: pytest.Config) -> None:
    """Hypothesis profiles: "default" for the normal run (each property sets its own
    few dozen examples), "fuzz" (a few thousand) when `-m fuzz` selects the long runs."""
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "default",
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    settings.register_profile("fuzz", settings.get_profile("default"), max_examples=2000)
    settings.load_profile("fuzz" if _fuzz_selected(config) else "default")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip `fuzz` tests unless the -m expression names them (`-m fuzz`, `-m "fuzz or slow"`)."""
    if _fuzz_selected(config):
        return
    skip = pytest.mark.skip(reason="long property test; run with -m fuzz")
    for item in items:
        if "fuzz" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def fixed_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in TERMINAL.items():
        monkeypatch.setenv(name, value)
    for name in UNSET:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env=TERMINAL)


@pytest.fixture
def fixed_library(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Stand a fixed snapshot (tests/data/library) in for the shipped library.

    The shipped library grows; messages that list what it holds ("known: feedback")
    must not change with it.
    """
    from facilitate import library

    snapshot = DATA / "library"
    monkeypatch.setattr(library, "shipped_programmes", lambda: snapshot)
    yield snapshot


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write `text` (str or bytes) to `tmp_path/name` and return the path."""

    def write(text: str | bytes, name: str = "programme.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write
