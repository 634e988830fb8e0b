"""The corpus of broken programme files: `facilitate validate` says exactly what is wrong.

Each `tests/data/bad/NAME.yaml` is paired with `NAME.expected`, the exact lines
`facilitate validate bad/NAME.yaml` prints (run from tests/data). To add a case, write
the .yaml, run the command, read the message as a facilitator would, then save it.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from facilitate.cli import app
from facilitate.errors import ExitStatus, ProgrammeError
from facilitate.loader import load_programme

from .conftest import DATA

BAD = DATA / "bad"
NAMES = sorted(path.stem for path in BAD.glob("*.yaml"))


def test_corpus_is_complete() -> None:
    assert len(NAMES) >= 45
    expected = sorted(path.stem for path in BAD.glob("*.expected"))
    assert expected == NAMES, "every bad/NAME.yaml needs a bad/NAME.expected and back"


@pytest.mark.parametrize("name", NAMES)
def test_bad_file(
    name: str, runner: CliRunner, fixed_library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(DATA)
    expected = (BAD / f"{name}.expected").read_text(encoding="utf-8")

    result = runner.invoke(app, ["validate", f"bad/{name}.yaml"])

    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == ExitStatus.BAD_PROGRAMME
    assert result.stdout == expected
    count = len(expected.splitlines())
    assert result.stderr == f"{count} problem{'s' if count != 1 else ''} in 1 of 1 file.\n"


def test_every_problem_names_file_and_line(fixed_library: Path) -> None:
    """Every expected line is `bad/NAME.yaml:LINE: ...` with a real line of that file."""
    for name in NAMES:
        lines = (BAD / f"{name}.yaml").read_bytes().count(b"\n") + 1
        for problem in (BAD / f"{name}.expected").read_text(encoding="utf-8").splitlines():
            where, _, rest = problem.partition(": ")
            file, _, line = where.rpartition(":")
            assert file == f"bad/{name}.yaml", problem
            assert 1 <= int(line) <= lines, problem
            assert rest and "Traceback" not in rest, problem


def test_several_files_at_once(
    runner: CliRunner, fixed_library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One run reports every problem of every file, and names the good ones ok."""
    monkeypatch.chdir(DATA)
    names = ["empty", "several-problems", "not-utf8"]
    expected = "".join((BAD / f"{name}.expected").read_text(encoding="utf-8") for name in names)

    result = runner.invoke(
        app, ["validate", "programme.yaml", *(f"bad/{name}.yaml" for name in names)]
    )

    assert result.exit_code == ExitStatus.BAD_PROGRAMME
    assert result.stdout == expected
    assert result.stderr == "programme.yaml: ok\n7 problems in 3 of 4 files.\n"


def test_good_file_validates(
    runner: CliRunner, fixed_library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(DATA)
    result = runner.invoke(
        app, ["validate", "programme.yaml", "library/questionnaires/feedback.yaml"]
    )
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "programme.yaml: ok\nlibrary/questionnaires/feedback.yaml: ok\n"


def test_missing_file(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", "nowhere.yaml"])
    assert result.exit_code == ExitStatus.BAD_PROGRAMME
    assert result.stdout == "nowhere.yaml: no such file\n"


def test_billion_laughs_is_refused_quickly(fixed_library: Path) -> None:
    """Nine levels of nine aliases would expand to 387 million strings; refuse at once."""
    started = time.perf_counter()
    with pytest.raises(ProgrammeError) as caught:
        load_programme(BAD / "billion-laughs.yaml")
    assert time.perf_counter() - started < 1
    assert all("anchors and aliases" in p.message for p in caught.value.problems)


def test_bigger_bomb_is_refused_quickly(tmp_path: Path) -> None:
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 30):
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(levels) + "\n", encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ProgrammeError):
        load_programme(path)
    assert time.perf_counter() - started < 1
