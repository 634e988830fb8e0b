"""The shipped library and the library commands: programmes, show, --version, --help."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from facilitate import __version__
from facilitate.cli import app
from facilitate.errors import ExitStatus
from facilitate.library import load, shipped_programmes
from facilitate.validation import validate_files

from .conftest import DATA, REPO

SHIPPED = shipped_programmes()
PROGRAMMES = sorted(SHIPPED.glob("*.yaml"))
QUESTIONNAIRES = sorted((SHIPPED / "questionnaires").glob("*.yaml"))


def flat(text: str) -> str:
    """Text with every run of whitespace made one space: rich wraps long lines."""
    return " ".join(text.split())


# -- the shipped library ---------------------------------------------------------------


def test_library_has_programmes_and_questionnaires() -> None:
    assert PROGRAMMES, "no programme files in programmes/"
    assert (SHIPPED / "questionnaires" / "feedback.yaml") in QUESTIONNAIRES


@pytest.mark.parametrize(
    "path", [*PROGRAMMES, *QUESTIONNAIRES], ids=lambda p: str(p.relative_to(SHIPPED))
)
def test_shipped_file_validates(path: Path) -> None:
    report = validate_files([path])
    assert report.problems == [], "\n".join(str(p) for p in report.problems)
    assert report.valid == [path]


@pytest.mark.parametrize("path", PROGRAMMES, ids=lambda p: p.stem)
def test_shipped_programme_shows_in_each_language(runner: CliRunner, path: Path) -> None:
    programme = load(path)
    for lang in programme.languages:
        result = runner.invoke(app, ["show", programme.id, "--lang", lang])
        assert result.exit_code == 0, result.stderr
        title = programme.text(programme.title, lang)
        assert flat(title) in flat(result.stdout)


def test_shipped_programmes_are_listed(runner: CliRunner) -> None:
    result = runner.invoke(app, ["programmes", "--json"])
    assert result.exit_code == 0, result.stderr
    listed = {row["id"] for row in json.loads(result.stdout)}
    assert listed == {load(path).id for path in PROGRAMMES}


# -- `facilitate programmes` -------------------------------------------------------------


@pytest.fixture
def mine(tmp_path: Path, fixed_library: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's programme folder (named `mine`, the working directory its parent) beside
    a fixed library that holds no programmes."""
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(DATA / "programme.yaml", folder / "test-mentoring.yaml")
    monkeypatch.chdir(tmp_path)
    return folder


TABLE = """\
┏━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━┓
┃ Id / Title / Kind ┃ Languages ┃ Sessions ┃ Duration ┃
┡━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━┩
│ test-mentoring    │ fi en     │      5–7 │ 6 months │
│ Test mentoring    │           │          │          │
│ pair mentoring    │           │          │          │
└───────────────────┴───────────┴──────────┴──────────┘
"""


def test_programmes_table(runner: CliRunner, mine: Path) -> None:
    result = runner.invoke(app, ["programmes", "--programmes", "mine"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == TABLE
    assert result.stderr == ""


def test_programmes_table_in_finnish(runner: CliRunner, mine: Path) -> None:
    result = runner.invoke(app, ["programmes", "--programmes", "mine", "--lang", "fi"])
    assert result.exit_code == 0
    assert "Testimentorointi" in result.stdout
    assert "6 kuukautta" in result.stdout


def test_programmes_folder_from_the_environment(runner: CliRunner, mine: Path) -> None:
    result = runner.invoke(app, ["programmes"], env={"FACILITATE_PROGRAMMES": "mine"})
    assert result.exit_code == 0
    assert result.stdout == TABLE


def test_programmes_json(runner: CliRunner, mine: Path) -> None:
    result = runner.invoke(app, ["programmes", "--programmes", "mine", "--json"])
    assert result.exit_code == 0
    [row] = json.loads(result.stdout)
    assert {"id", "title", "languages", "kind", "sessions", "duration"} <= set(row)
    assert row["id"] == "test-mentoring"
    assert row["title"] == "Test mentoring"
    assert row["languages"] == ["fi", "en"]
    assert row["kind"] == "pair-mentoring"
    assert row["sessions"] == "5–7"
    assert row["duration"] == "6 months"


def test_programmes_json_of_the_shipped_library_is_valid(runner: CliRunner) -> None:
    result = runner.invoke(app, ["programmes", "--json", "--lang", "sv"])
    rows = json.loads(result.stdout)  # long titles must not be wrapped
    for row in rows:
        assert {"id", "title", "languages", "kind", "sessions", "duration"} <= set(row)
        assert isinstance(row["languages"], list)


def test_broken_file_in_user_folder(runner: CliRunner, mine: Path) -> None:
    """Its problems go to stderr and the exit is 3; the good programmes are still listed."""
    (mine / "broken.yaml").write_text("id: broken\nkind: coaching\n", encoding="utf-8")
    result = runner.invoke(app, ["programmes", "--programmes", "mine"])
    assert result.exit_code == ExitStatus.BAD_PROGRAMME
    assert result.stdout == TABLE
    errors = flat(result.stderr)  # rich wraps the long lines on stderr
    assert errors.startswith("mine/broken.yaml:1: delivery: is required but missing ")
    assert "mine/broken.yaml:1: sessions: is required but missing" in errors
    assert errors.endswith(
        "mine/broken.yaml:2: kind: must be one of 'team-coaching', 'leadership-coaching', "
        "'peer-mentoring-group', 'pair-mentoring', 'leadership-support' or 'co-development', "
        "got 'coaching' (did you mean 'team-coaching'?)"
    )
    assert "Traceback" not in errors


def test_user_programme_shadows_shipped_id(runner: CliRunner, tmp_path: Path) -> None:
    """A programme of the user's with a shipped programme's id is the one listed and shown."""
    shipped = load(PROGRAMMES[0])
    folder = tmp_path / "mine"
    folder.mkdir()
    text = (DATA / "programme.yaml").read_text(encoding="utf-8")
    (folder / f"{shipped.id}.yaml").write_text(
        text.replace("id: test-mentoring", f"id: {shipped.id}"), encoding="utf-8"
    )
    result = runner.invoke(app, ["programmes", "--programmes", str(folder), "--json"])
    rows = [row for row in json.loads(result.stdout) if row["id"] == shipped.id]
    assert [row["title"] for row in rows] == ["Test mentoring"]
    result = runner.invoke(app, ["show", shipped.id, "--programmes", str(folder), "--lang", "en"])
    assert result.exit_code == 0
    assert "Test mentoring" in result.stdout


# -- `facilitate show` -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fi", "en"])
@pytest.mark.parametrize("how", ["id", "path"])
def test_show(runner: CliRunner, mine: Path, how: str, lang: str) -> None:
    name = "test-mentoring" if how == "id" else "mine/test-mentoring.yaml"
    result = runner.invoke(app, ["show", name, "--programmes", "mine", "--lang", lang])
    assert result.exit_code == 0, result.stderr
    title = {"fi": "Testimentorointi", "en": "Test mentoring"}[lang]
    assert result.stdout.startswith(f"{title} (test-mentoring)\n")
    meeting = {"fi": "Tapaaminen n", "en": "Meeting n"}[lang]
    assert meeting in result.stdout


def test_show_tree(runner: CliRunner, mine: Path) -> None:
    result = runner.invoke(app, ["show", "test-mentoring", "--programmes", "mine", "--lang", "en"])
    out = result.stdout
    for text in (
        "pair mentoring",
        "Adept: at least 6 months as a manager",
        "120 min  Pairs – Discussion",
        "Mentoring guide https://example.org/guide",
        "Evaluation evaluation · evaluation · scale 1–4",
        "What was best?",
    ):
        assert text in out


def test_show_defaults_to_the_programmes_first_language(runner: CliRunner, mine: Path) -> None:
    result = runner.invoke(app, ["show", "mine/test-mentoring.yaml"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Testimentorointi (test-mentoring)\n")


def test_show_unknown_id(runner: CliRunner, mine: Path) -> None:
    result = runner.invoke(app, ["show", "tset-mentoring", "--programmes", "mine"])
    assert result.exit_code == ExitStatus.BAD_PROGRAMME
    assert result.stdout == ""
    assert flat(result.stderr) == (
        "no programme 'tset-mentoring' in the library or in mine (did you mean 'test-mentoring'?); "
        "`facilitate programmes` lists them, or give the path to a .yaml file"
    )


def test_show_missing_path(runner: CliRunner, mine: Path) -> None:
    result = runner.invoke(app, ["show", "mine/nothing.yaml"])
    assert result.exit_code == ExitStatus.BAD_PROGRAMME
    assert result.stderr == "mine/nothing.yaml: no such file\n"


def test_show_broken_file(runner: CliRunner, mine: Path) -> None:
    (mine / "broken.yaml").write_text("- a list\n", encoding="utf-8")
    result = runner.invoke(app, ["show", "mine/broken.yaml"])
    assert result.exit_code == ExitStatus.BAD_PROGRAMME
    assert flat(result.stderr) == (
        "mine/broken.yaml:1: a programme file must be a mapping (id:, title:, sessions: ...), got a list"
    )


@pytest.mark.parametrize("command", ["show test-mentoring", "programmes"])
def test_unknown_language_is_a_usage_error(runner: CliRunner, mine: Path, command: str) -> None:
    args = [*command.split(), "--programmes", "mine", "--lang", "xx"]
    result = runner.invoke(app, args)
    assert result.exit_code == ExitStatus.USAGE
    assert "--lang" in result.stderr
    assert "'xx' is not one of fi, sv, nb, en" in result.stderr
    assert result.stdout == ""


# -- the program as a whole ---------------------------------------------------------------------

COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"facilitate {__version__}\n"


def test_help_lists_every_command(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "Prepare, run and evaluate coaching" in result.stdout
    for name in COMMANDS:
        assert name in result.stdout


def test_no_arguments_shows_help(runner: CliRunner) -> None:
    result = runner.invoke(app, [])
    assert "Usage" in result.stdout + result.stderr
    assert "programmes" in result.stdout + result.stderr


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help(runner: CliRunner, name: str) -> None:
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    assert command.help, f"`facilitate {name}` has no help text"
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0
    assert f"Usage: facilitate {name}" in flat(result.stdout)
    assert flat(command.help.split("\n\n")[0]) in flat(result.stdout)


@pytest.mark.slow
def test_python_m_facilitate_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "facilitate", "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        cwd=REPO,
        env={"COLUMNS": "100", "NO_COLOR": "1", "PATH": "", "LANG": "C.UTF-8"},
    )
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout
    assert "validate" in result.stdout
