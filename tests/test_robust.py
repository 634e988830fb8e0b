"""No traceback reaches a user: every command, run as a user runs it (a process of its own,
stdin closed), against what goes wrong on real machines: no cohort, a damaged cohort.yaml,
files it refers to missing or garbage, an `out` it cannot write into, Ctrl-C in the middle
of a bulk generation. Each case ends with one short message and a named exit code, within
10 seconds."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from facilitate.cli import app
from facilitate.errors import ExitStatus

TIMEOUT = 10
CODES = {int(code) for code in ExitStatus}

# The arguments each command is run with; a command missing here fails the first test,
# so a new command is covered as soon as it is registered.
COHORT_COMMANDS: dict[str, list[list[str]]] = {
    "status": [[]],
    "schedule": [[], ["--ics", "out/calendar.ics"], ["--pairs"]],
    "handouts": [["all"]],
    "prepare": [["module-1", "--no-input"]],
    "sheets": [["meter"], ["attendance"], ["applications"], ["pair-log"]],
    "collect": [["meter"]],
    "results": [["meter"]],
    "match": [["--check"], []],
}
OTHER_COMMANDS: dict[str, list[list[str]]] = {
    "programmes": [["--programmes", "no-such-folder"]],
    "show": [["no-such-programme"]],
    "validate": [["missing.yaml"], ["cohort.yaml"]],
    "init": [["toimiva-monialainen-ohjaamo", "new", "--no-input"]],
    "demo": [["."]],  # the folder holds a cohort already
}
# Commands that read the participant list, and those that write into out/.
READS_LIST = {"sheets", "collect", "match"}  # sheets: not the application template, pair logs
# Cases run in a mentoring cohort (the mentoring demo, matched) instead of the Ohjaamo one.
MENTORING = {"match", "applications", "pair-log", "--pairs"}


def mentoring_case(name: str, args: list[str]) -> bool:
    return bool(MENTORING & {name, *args})


WRITES_OUT = {"handouts", "sheets", "results"}


def run(args: list[str], cwd: Path, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "PYTHONWARNINGS": "ignore"}
    env.pop("FACILITATE_PROGRAMMES", None)
    return subprocess.run(
        [sys.executable, "-m", "facilitate", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def assert_plain_failure(result: subprocess.CompletedProcess[str], *allowed: int) -> None:
    """A named non-zero exit code and a short message: no traceback, no exception repr."""
    text = result.stdout + result.stderr
    assert "Traceback" not in text, text
    assert (
        not any(
            f"{name}:" in text
            for name in ("Error", "Exception", "KeyError", "TypeError", "ValueError")
        )
        or "facilitate" in text.lower()
    ), text
    assert result.returncode in CODES, (result.returncode, text)
    if allowed:
        assert result.returncode in allowed, (result.returncode, text)
    if result.returncode:
        message = result.stderr.strip() or result.stdout.strip()
        assert message, "a failure must say why"
        assert len(message.splitlines()) <= 12, message


def test_every_command_is_in_the_matrix() -> None:
    names = {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    names |= {g.name or "" for g in app.registered_groups}
    assert names == set(COHORT_COMMANDS) | set(OTHER_COMMANDS) or names <= set(
        COHORT_COMMANDS
    ) | set(OTHER_COMMANDS), names - set(COHORT_COMMANDS) - set(OTHER_COMMANDS)
    assert not names - set(COHORT_COMMANDS) - set(OTHER_COMMANDS)


def registered() -> set[str]:
    return {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}


def cohort_cases() -> list[tuple[str, list[str]]]:
    return [
        (name, args)
        for name, runs in COHORT_COMMANDS.items()
        if name in registered()
        for args in runs
    ]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("robust") / "demo"
    result = run(["demo", str(folder)], folder.parent, timeout=120)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def mentoring(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("robust") / "mentoring"
    result = run(
        ["demo", str(folder), "--programme", "mentorsprogram-vasternorrland"],
        folder.parent,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return folder


def damaged(demo: Path, tmp_path: Path, damage: Callable[[Path], None]) -> Path:
    folder = tmp_path / "cohort"
    shutil.copytree(demo, folder)
    damage(folder)
    return folder


# ---------------------------------------------------------------------------
# No cohort, and a damaged one


@pytest.mark.parametrize(("name", "args"), cohort_cases())
def test_no_cohort(name: str, args: list[str], tmp_path: Path) -> None:
    result = run([name, *args], tmp_path)
    assert_plain_failure(result, ExitStatus.NO_COHORT)
    assert "cohort.yaml" in result.stderr


def _syntax_error(folder: Path) -> None:
    (folder / "cohort.yaml").write_text("id: [unclosed\nprogramme: x\n", encoding="utf-8")


def _wrong_types(folder: Path) -> None:
    path = folder / "cohort.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("first_date: ", "first_date: someday #"), encoding="utf-8")


def _unknown_programme(folder: Path) -> None:
    path = folder / "cohort.yaml"
    lines = [
        "programme: no-such-programme" if line.startswith("programme:") else line
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _empty(folder: Path) -> None:
    (folder / "cohort.yaml").write_text("", encoding="utf-8")


def _binary(folder: Path) -> None:
    (folder / "cohort.yaml").write_bytes(b"\x00\xff\xfe garbage \x00" * 50)


BROKEN_COHORTS = {
    "syntax": (_syntax_error, {ExitStatus.BAD_INPUT}),
    "types": (_wrong_types, {ExitStatus.BAD_INPUT}),
    "programme": (_unknown_programme, {ExitStatus.BAD_PROGRAMME, ExitStatus.BAD_INPUT}),
    "empty": (_empty, {ExitStatus.BAD_INPUT}),
    "binary": (_binary, {ExitStatus.BAD_INPUT}),
}


@pytest.mark.parametrize("broken", sorted(BROKEN_COHORTS))
@pytest.mark.parametrize(("name", "args"), cohort_cases())
def test_damaged_cohort_yaml(
    demo: Path, mentoring: Path, tmp_path: Path, broken: str, name: str, args: list[str]
) -> None:
    damage, codes = BROKEN_COHORTS[broken]
    folder = damaged(mentoring if mentoring_case(name, args) else demo, tmp_path, damage)
    result = run([name, *args], folder)
    assert_plain_failure(result, *codes)
    assert "cohort.yaml" in result.stderr


# ---------------------------------------------------------------------------
# Files the cohort refers to: missing or not what they should be


def _no_list(folder: Path) -> None:
    (folder / "participants.xlsx").unlink()


def _garbage_list(folder: Path) -> None:
    (folder / "participants.xlsx").write_bytes(os.urandom(3000))


def _missing_templates(folder: Path) -> None:
    path = folder / "cohort.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("templates: null", 'templates: "no-such-folder"'), encoding="utf-8"
    )


def _out_is_a_file(folder: Path) -> None:
    shutil.rmtree(folder / "out")
    (folder / "out").write_text("not a folder", encoding="utf-8")


@pytest.mark.parametrize(("name", "args"), cohort_cases())
@pytest.mark.parametrize(
    "damage",
    [_no_list, _garbage_list, _missing_templates, _out_is_a_file],
    ids=lambda f: f.__name__,
)
def test_missing_and_garbage_files(
    demo: Path,
    mentoring: Path,
    tmp_path: Path,
    damage: Callable[[Path], None],
    name: str,
    args: list[str],
) -> None:
    folder = damaged(mentoring if mentoring_case(name, args) else demo, tmp_path, damage)
    result = run([name, *args], folder)
    assert_plain_failure(result)
    if (
        damage in (_no_list, _garbage_list)
        and name in READS_LIST
        and args[:1] not in (["applications"], ["pair-log"])
    ):
        assert result.returncode == ExitStatus.BAD_INPUT, result.stderr
        assert "participants" in result.stderr
    if damage is _missing_templates and name in ("handouts", "prepare"):
        assert result.returncode == ExitStatus.BAD_INPUT, result.stderr
        assert "no-such-folder" in result.stderr
    if damage is _out_is_a_file and name in WRITES_OUT:
        assert result.returncode != 0
        assert "out" in result.stderr


@pytest.mark.skipif(
    os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root writes anyway"
)
@pytest.mark.parametrize("name", sorted(WRITES_OUT))
def test_read_only_out(demo: Path, tmp_path: Path, name: str) -> None:
    folder = damaged(demo, tmp_path, lambda f: None)
    for path in [folder / "out", *(p for p in (folder / "out").rglob("*") if p.is_dir())]:
        path.chmod(0o555)
    try:
        result = run([name, *COHORT_COMMANDS[name][0], "--force"], folder)
    finally:
        for path in [folder / "out", *(p for p in (folder / "out").rglob("*") if p.is_dir())]:
            path.chmod(0o755)
    assert_plain_failure(result, ExitStatus.FILE_BUSY)


# ---------------------------------------------------------------------------
# Commands that need no cohort, given wrong things


@pytest.mark.parametrize(
    ("name", "args"), [(n, a) for n, runs in OTHER_COMMANDS.items() for a in runs]
)
def test_other_commands_with_wrong_input(
    demo: Path, tmp_path: Path, name: str, args: list[str]
) -> None:
    folder = damaged(demo, tmp_path, lambda f: None)
    result = run([name, *args], folder)
    assert_plain_failure(result)
    assert result.returncode != 0, result.stdout


def test_init_without_answers_and_stdin_closed(tmp_path: Path) -> None:
    result = run(["init", "toimiva-monialainen-ohjaamo", "new", "--no-input"], tmp_path)
    assert_plain_failure(result, ExitStatus.USAGE, ExitStatus.BAD_INPUT)
    assert "--organisation" in result.stderr
    result = run(["init", "toimiva-monialainen-ohjaamo", "new"], tmp_path)  # prompts, stdin closed
    assert_plain_failure(result, ExitStatus.USAGE, ExitStatus.BAD_INPUT, ExitStatus.INTERRUPTED)
    assert not (tmp_path / "new" / "cohort.yaml").exists()


def test_prepare_with_stdin_closed(demo: Path, tmp_path: Path) -> None:
    folder = damaged(demo, tmp_path, lambda f: None)
    result = run(["prepare", "module-1"], folder)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode in CODES


# ---------------------------------------------------------------------------
# Ctrl-C in the middle of a bulk generation


def test_ctrl_c_during_handouts_all(demo: Path, tmp_path: Path) -> None:
    folder = damaged(demo, tmp_path, lambda f: shutil.rmtree(f / "out"))
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "facilitate", "handouts", "all"],
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and not any((folder / "out").rglob("*.docx")):
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=TIMEOUT)
    text = stdout + stderr
    assert "Traceback" not in text, text
    if process.returncode == 0:
        pytest.skip("handouts finished before Ctrl-C arrived")
    assert process.returncode == ExitStatus.INTERRUPTED, text
    assert "Interrupted" in stderr
    for path in (folder / "out").rglob("*"):
        if path.is_file():
            assert path.suffix in (".docx", ".json", ".ics"), path  # no temp file left
            if path.suffix == ".docx":
                with zipfile.ZipFile(path) as docx:
                    assert docx.testzip() is None
