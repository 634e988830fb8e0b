"""The documentation is tested: every command has help text, and every `facilitate ...`
example in the README's ```sh blocks runs, in order, in one folder."""

from __future__ import annotations

import inspect
import re
import shlex
import shutil
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from facilitate import library
from facilitate.cli import app
from facilitate.init import questions

from .conftest import DATA, REPO
from .test_init import ENTER, flat, type_in, working_tuesday

COMMAND = typer.main.get_command(app)
# Files the README's examples take the reader to have made: "validate my-programme.yaml".
READERS_FILES = {"my-programme.yaml": DATA / "programme.yaml"}


def readme_examples() -> list[list[str]]:
    """The arguments of every `facilitate` command in README.md's ```sh blocks, in order.

    A line ending in a backslash goes on on the next; `a && facilitate b` gives `b`;
    comments are dropped; other programs (pip, pytest, ruff) are left out.
    """
    text = (REPO / "README.md").read_text(encoding="utf-8")
    examples = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            command: list[str] = []
            for word in [*words, "&&"]:
                if word != "&&":
                    command.append(word)
                    continue
                if command[:1] == ["facilitate"]:
                    examples.append(command[1:])
                command = []
    return examples


def answers_for(args: list[str]) -> str:
    """What a facilitator types at the prompts of `init` as the README shows it: the
    organisation and first date, Enter for the rest."""
    _, programme = library.find(args[1])
    given = {
        "organisation": "Ohjaamo Varkaus" + ENTER,
        "first_date": working_tuesday().isoformat() + ENTER,
    }
    keys = []
    for question in questions(programme, programme.languages[0]):
        if question.key in given:
            keys.append(given[question.key])
        else:
            assert question.choices or question.default or not question.required, (
                f"the README test does not know what to answer to {question.message!r}"
            )
            keys.append(ENTER)
    return "".join(keys)


def test_every_command_has_help() -> None:
    assert app.registered_commands
    for info in app.registered_commands:
        callback = info.callback
        assert callback is not None
        name = info.name or callback.__name__.replace("_", "-")
        text = info.help or inspect.getdoc(callback)
        assert text and text.strip(), f"`facilitate {name}` has no help text"
        command = COMMAND.commands[name]  # type: ignore[attr-defined]
        for param in command.params:
            assert getattr(param, "help", None), f"`facilitate {name}`: {param.name} has no help"


@pytest.mark.parametrize("name", sorted(COMMAND.commands))  # type: ignore[attr-defined]
def test_help_of_every_command_shows(runner: CliRunner, name: str) -> None:
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0, result.output
    first_line = COMMAND.commands[name].help.split("\n")[0]  # type: ignore[attr-defined]
    assert flat(first_line) in flat(result.stdout)


def test_the_readme_shows_every_command() -> None:
    examples = readme_examples()
    assert ["demo"] in examples
    shown = {example[0] for example in examples}
    assert shown == set(COMMAND.commands)  # type: ignore[attr-defined]


def test_readme_examples_run(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, source in READERS_FILES.items():
        shutil.copy(source, tmp_path / name)
    cohort: Path | None = None  # the last cohort folder an example made
    failures = []
    for args in readme_examples():
        # Commands that work on a cohort run inside the one made before them.
        params = {p.name for p in COMMAND.commands[args[0]].params}  # type: ignore[attr-defined]
        here = cohort if "cohort_dir" in params and cohort is not None else tmp_path
        monkeypatch.chdir(here)
        before = set(tmp_path.glob("*/cohort.yaml"))
        if args[0] == "init" and "--no-input" not in args:
            result = type_in(runner, args, answers_for(args))
        else:
            result = runner.invoke(app, args)
        if result.exit_code != 0:
            failures.append(
                f"facilitate {shlex.join(args)} (in {here.relative_to(tmp_path.parent)}): "
                f"exit {result.exit_code}\n{result.output}"
            )
        made = set(tmp_path.glob("*/cohort.yaml")) - before
        if made:
            cohort = made.pop().parent
    assert not failures, "\n".join(failures)


def _complete_examples() -> list[str]:
    """The YAML blocks of docs/programme-format.md that are whole programmes or questionnaires."""
    text = (REPO / "docs" / "programme-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    return [
        block
        for block in blocks
        if re.search(r"^id:", block, re.M) and re.search(r"^(sessions|dimensions):", block, re.M)
    ]


def test_the_format_reference_has_its_examples() -> None:
    assert len(_complete_examples()) >= 3


def test_format_reference_examples_validate(tmp_path: Path) -> None:
    """Every whole example in docs/programme-format.md passes `facilitate validate`,
    laid out as the doc says: programmes beside a questionnaires/ folder."""
    from facilitate.validation import validate_files

    (tmp_path / "questionnaires").mkdir()
    paths = []
    for block in _complete_examples():
        name = re.search(r"^id: *(\S+)", block, re.M)
        assert name is not None
        is_programme = re.search(r"^sessions:", block, re.M) is not None
        folder = tmp_path if is_programme else tmp_path / "questionnaires"
        path = folder / f"{name.group(1)}.yaml"
        path.write_text(block, encoding="utf-8")
        paths.append(path)
    report = validate_files(paths)
    assert report.problems == []
    assert len(report.valid) == len(paths)


def test_every_runtime_dependency_is_bounded_below_its_next_major_version() -> None:
    """A fresh install takes the newest release pip resolves; a breaking one is taken on purpose."""
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    unbounded = [spec for spec in project["dependencies"] if not re.search(r"<\s*[\d.]+", spec)]
    assert unbounded == []
