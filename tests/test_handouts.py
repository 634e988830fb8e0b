"""`facilitate handouts` through the command line: what it writes, what it prints, and
how it refuses, on a cohort of Osaava ja oppiva Ohjaamo made in a temporary folder."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from rich.console import Console
from typer.testing import CliRunner, Result

from facilitate import cohort as cohorts
from facilitate import documents, generated
from facilitate.cli import app
from facilitate.context import Environment
from facilitate.docgen import Templates
from facilitate.errors import ExitStatus
from facilitate.generated import GeneratedFiles, sha256
from facilitate.library import shipped_templates

from .test_golden import make_ohjaamo
from .test_init import snapshot

MODULE_3 = [
    "out/module-3/kasikirjoitus.docx",
    "out/module-3/moniste.docx",
    "out/module-3/valitehtava.docx",
]
SKIPPED = (
    "Aleksi Räsänen: no certificate, attended 2 of 6 sessions (the programme asks for 80 %)\n"
    "Emil Björkqvist: no certificate, the number of sessions attended is not filled in\n"
)
BUSY = "is open in another program (Word or Excel?) or cannot be accessed; close it and run the command again."


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cohort, made once; each test works on a copy."""
    return make_ohjaamo(tmp_path_factory.mktemp("handouts") / "koskela").folder


@pytest.fixture
def koskela(made: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the cohort in tmp_path, which is the current folder."""
    shutil.copytree(made, tmp_path / "koskela")
    monkeypatch.chdir(tmp_path)
    return Path("koskela")


def handouts(runner: CliRunner, *args: str, obj: Any = None) -> Result:
    return runner.invoke(app, ["handouts", *args, "--cohort", "koskela"], obj=obj)


def documents_in(folder: Path) -> list[str]:
    """Every file under out/, as the manifest names them."""
    return sorted(
        p.relative_to(folder).as_posix() for p in (folder / "out").rglob("*") if p.is_file()
    )


def manifest(folder: Path) -> dict[str, str]:
    path = folder / ".facilitate" / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def opens(path: Path) -> bool:
    Document(str(path))
    return True


# --- what is written ----------------------------------------------------------------------


def test_one_session_writes_its_three_documents(runner: CliRunner, koskela: Path) -> None:
    result = handouts(runner, "module-3")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓",
        "┃ Tiedosto                        ┃ Asiakirja                 ┃ Tapaaminen tai henkilö          ┃",
        "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩",
        "│ out/module-3/moniste.docx       │ Osallistujan moniste      │ Moduuli 3: Monialaiset työtavat │",
        "│ out/module-3/kasikirjoitus.docx │ Valmentajan käsikirjoitus │ Moduuli 3: Monialaiset työtavat │",
        "│ out/module-3/valitehtava.docx   │ Välitehtävä               │ Moduuli 3: Monialaiset työtavat │",
        "└─────────────────────────────────┴───────────────────────────┴─────────────────────────────────┘",
        "3 documents written in koskela/out.",
    ]
    assert result.stderr == ""
    assert documents_in(koskela) == MODULE_3
    assert manifest(koskela) == {name: sha256((koskela / name).read_bytes()) for name in MODULE_3}
    handout = Document(str(koskela / "out/module-3/moniste.docx"))
    assert handout.paragraphs[0].text == "Moduuli 3: Monialaiset työtavat"
    assert not (koskela / ".facilitate" / generated.PENDING).exists()


def test_a_session_by_its_number(runner: CliRunner, koskela: Path) -> None:
    result = handouts(runner, "3")
    assert result.exit_code == 0, result.output
    assert documents_in(koskela) == MODULE_3


def test_every_document_with_a_progress_bar_on_the_terminal(
    runner: CliRunner, koskela: Path
) -> None:
    """The bar is drawn on stderr and erased; stdout holds only the table."""
    out, err = io.StringIO(), io.StringIO()
    env = Environment(
        stdout=Console(file=out, width=100, color_system=None, highlight=False),
        stderr=Console(file=err, width=100, color_system=None, force_terminal=True),
        interactive=False,
    )
    result = handouts(runner, obj=env)
    assert result.exit_code == 0, result.output
    cohort = cohorts.load(koskela)
    expected = sorted(
        f"out/{job.path.as_posix()}" for job in documents.plan(cohort, date.today()).jobs
    )
    assert len(expected) == 24  # 6 handouts, 10 run-sheets, 4 task sheets, overview, 3 certificates
    assert documents_in(koskela) == expected
    assert all(opens(koskela / name) for name in expected)
    assert sorted(manifest(koskela)) == expected
    printed = out.getvalue()
    assert "\x1b" not in printed and "Writing documents" not in printed
    assert printed.startswith("┏━")
    assert printed.endswith("┘\n24 documents written in koskela/out.\n")
    # A row per document (a long name may fold onto a second line of its own row).
    assert len(re.findall(r"^│ out/", printed, re.M)) == 24
    bar = err.getvalue()
    assert "Writing documents" in bar and "100%" in bar
    # Transient: the cursor goes back up and the bar's line is cleared before anything else.
    drawn, _, after = bar.rpartition("\x1b[1A\x1b[2K")
    assert "Writing documents" in drawn
    assert after == SKIPPED


def test_without_a_terminal_no_bar_is_drawn(runner: CliRunner, koskela: Path) -> None:
    result = handouts(runner, "all")
    assert result.exit_code == 0, result.output
    assert result.stderr == SKIPPED
    assert result.stdout.endswith("\n24 documents written in koskela/out.\n")
    assert "Writing documents" not in result.output


def test_stderr_holds_only_messages(runner: CliRunner, koskela: Path) -> None:
    """Without a terminal (a log file, CI) stderr holds the messages and nothing else."""
    result = handouts(runner, "module-3", "--only", "bogus")
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.stderr.startswith("unknown document kind 'bogus'")


def test_only_certificates(runner: CliRunner, koskela: Path) -> None:
    result = handouts(runner, "--only", "certificate")
    assert result.exit_code == 0, result.output
    assert documents_in(koskela) == [
        "out/todistukset/todistus-noora-o-connor.docx",
        "out/todistukset/todistus-paivi-ahonen.docx",
        "out/todistukset/todistus-sari-laanela.docx",
    ]
    assert "Osallistumistodistus" in result.stdout and "Noora O'Connor" in result.stdout
    assert result.stdout.endswith("\n3 documents written in koskela/out.\n")
    assert result.stderr == SKIPPED


def test_only_two_kinds(runner: CliRunner, koskela: Path) -> None:
    result = handouts(runner, "module-3", "--only", "handout", "--only", "task-sheet")
    assert result.exit_code == 0, result.output
    assert documents_in(koskela) == ["out/module-3/moniste.docx", "out/module-3/valitehtava.docx"]


# --- what is refused before anything is written -------------------------------------------


def test_an_unknown_kind_names_the_kinds(runner: CliRunner, koskela: Path) -> None:
    result = handouts(runner, "--only", "bogus")
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.stderr == (
        "unknown document kind 'bogus'; the kinds are handout, runsheet, task-sheet, "
        "overview, diary, pair-guide, certificate\n"
    )
    assert result.stdout == ""
    assert documents_in(koskela) == []


def test_an_unknown_session_lists_the_sessions(runner: CliRunner, koskela: Path) -> None:
    result = handouts(runner, "module-9")
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.stderr == (
        "no session 'module-9' in osaava-ja-oppiva-ohjaamo; the sessions are: module-1, "
        "sparring-1, module-2, sparring-2, module-3, sparring-3, module-4, sparring-4, "
        "module-5, follow-up\n"
    )
    assert documents_in(koskela) == []


def test_a_language_the_programme_lacks_falls_back_with_a_warning(
    runner: CliRunner, koskela: Path
) -> None:
    result = handouts(runner, "module-3", "--lang", "nb")
    assert result.exit_code == 0, result.output
    assert documents_in(koskela) == [
        "out/module-3/deltakermateriell.docx",
        "out/module-3/kjoreplan.docx",
        "out/module-3/oppgave.docx",
    ]
    assert "│ out/module-3/deltakermateriell.docx │ Deltakermateriell " in result.stdout
    assert result.stderr == (
        "Warning: 33 texts of osaava-ja-oppiva-ohjaamo are not written in nb; they are shown "
        "in fi: title, description, sessions.module-3.title, sessions.module-3.goals[0], "
        "sessions.module-3.goals[1] and 28 more.\n"
    )
    text = [
        p.text for p in Document(str(koskela / "out/module-3/deltakermateriell.docx")).paragraphs
    ]
    assert (
        text[0] == "Modul 3: Monialaiset työtavat"
    )  # the label in Norwegian, the title in Finnish
    assert "Mål" in text


def test_a_language_the_programme_has_gives_no_warning(runner: CliRunner, koskela: Path) -> None:
    result = handouts(runner, "module-3", "--lang", "sv")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert documents_in(koskela) == [
        "out/module-3/deltagarmaterial.docx",
        "out/module-3/korschema.docx",
        "out/module-3/uppgift.docx",
    ]


# --- documents edited by hand -------------------------------------------------------------


def edit(path: Path) -> bytes:
    """Change a document as a facilitator would in Word; return what it now holds."""
    doc = Document(str(path))
    doc.add_paragraph("Muistiinpano: tuokaa omat kahvikupit.")
    doc.save(str(path))
    return path.read_bytes()


def test_an_edited_document_is_not_replaced(runner: CliRunner, koskela: Path) -> None:
    assert handouts(runner, "module-3").exit_code == 0
    edit(koskela / "out/module-3/moniste.docx")
    # Another document is gone: a refused run must not write it back either.
    (koskela / "out/module-3/kasikirjoitus.docx").unlink()
    before = snapshot(koskela)
    result = handouts(runner, "module-3")
    assert result.exit_code == ExitStatus.REFUSED
    assert result.stderr == (
        "out/module-3/moniste.docx was changed after facilitate wrote it; pass --force to "
        "replace it (your version is kept as moniste.docx.bak)\n"
    )
    assert result.stdout == ""
    assert snapshot(koskela) == before


def test_an_edited_document_by_appended_bytes(runner: CliRunner, koskela: Path) -> None:
    assert handouts(runner, "module-3").exit_code == 0
    with (koskela / "out/module-3/valitehtava.docx").open("ab") as handle:
        handle.write(b"\0")
    before = snapshot(koskela)
    result = handouts(runner, "all")
    assert result.exit_code == ExitStatus.REFUSED
    assert result.stderr.startswith("out/module-3/valitehtava.docx was changed after facilitate")
    assert snapshot(koskela) == before


def test_force_replaces_an_edited_document_and_keeps_it(runner: CliRunner, koskela: Path) -> None:
    assert handouts(runner, "module-3").exit_code == 0
    handout = koskela / "out/module-3/moniste.docx"
    fresh = handout.read_bytes()
    edited = edit(handout)
    result = handouts(runner, "module-3", "--force")
    assert result.exit_code == 0, result.output
    assert handout.read_bytes() == fresh
    backup = koskela / "out/module-3/moniste.docx.bak"
    assert backup.read_bytes() == edited
    assert Document(str(backup)).paragraphs[-1].text == "Muistiinpano: tuokaa omat kahvikupit."
    assert manifest(koskela) == {name: sha256((koskela / name).read_bytes()) for name in MODULE_3}
    # The next run finds everything as facilitate wrote it.
    assert handouts(runner, "module-3").exit_code == 0


def test_a_document_open_in_word(
    runner: CliRunner, koskela: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Word locks the run-sheet: the handout before it is written and recorded, and the
    task sheet after it is not written at all."""
    import os

    replace = os.replace

    def locked(source: Any, target: Any) -> None:
        if Path(target).name == "kasikirjoitus.docx":
            raise PermissionError(13, "Permission denied", str(target))
        replace(source, target)

    monkeypatch.setattr(os, "replace", locked)
    result = handouts(runner, "module-3")
    assert result.exit_code == ExitStatus.FILE_BUSY
    assert result.stderr == f"out/module-3/kasikirjoitus.docx {BUSY}\n"
    assert documents_in(koskela) == ["out/module-3/moniste.docx"]
    assert manifest(koskela) == {
        "out/module-3/moniste.docx": sha256((koskela / "out/module-3/moniste.docx").read_bytes())
    }
    assert not (koskela / ".facilitate" / generated.PENDING).exists()
    monkeypatch.setattr(os, "replace", replace)
    assert handouts(runner, "module-3").exit_code == 0  # closed in Word: the run completes
    assert documents_in(koskela) == MODULE_3


# --- the facilitator's own templates ------------------------------------------------------


def own_template(
    folder: Path, kind: str = "handout", change: Callable[[str, str], str] = lambda name, xml: xml
) -> Path:
    """A copy of the shipped template of `kind` in `folder`, its XML parts changed by `change`."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{kind}.docx"
    with (
        zipfile.ZipFile(shipped_templates() / f"{kind}.docx") as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".xml"):
                data = change(info.filename, data.decode("utf-8")).encode("utf-8")
            copy.writestr(info, data)
    return target


def without_heading_2(name: str, xml: str) -> str:
    if name != "word/styles.xml":
        return xml
    changed = re.sub(r'<w:style [^>]*w:styleId="Heading2">.*?</w:style>', "", xml, flags=re.S)
    assert changed != xml
    return changed


def test_a_template_without_a_required_style(runner: CliRunner, koskela: Path) -> None:
    own_template(Path("brand"), change=without_heading_2)
    result = handouts(runner, "module-3", "--templates", "brand")
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.stderr == (
        "brand/handout.docx (your template folder): the style 'Heading 2' is missing; "
        "facilitate writes with these styles, so define them in Word (Styles pane, New Style) "
        "or start from a copy of the shipped template\n"
    )
    assert documents_in(koskela) == []


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        (
            "{{ session.titel }}",
            "{{ session.titel }}: session has no 'titel' (did you mean 'title'?)",
        ),
        (
            "{{ sesion.title }}",
            "unknown variable 'sesion' (did you mean 'session'?); handout templates get L, "
            "cohort, lang, programme, session, today (docs/template-variables.md lists them)",
        ),
    ],
)
def test_a_template_with_a_misspelt_name(
    runner: CliRunner, koskela: Path, tag: str, message: str
) -> None:
    def misspelt(name: str, xml: str) -> str:
        return xml.replace("{{ session.heading }}", tag) if name == "word/document.xml" else xml

    own_template(Path("brand"), change=misspelt)
    result = handouts(runner, "module-3", "--templates", "brand")
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.stderr == f"brand/handout.docx (your template folder): {message}\n"
    assert documents_in(koskela) == []


def test_templates_named_in_cohort_yaml(runner: CliRunner, koskela: Path) -> None:
    """`templates: branding` is read from the cohort folder; kinds it has no file for
    use the shipped template."""

    def branded(name: str, xml: str) -> str:
        if name != "word/document.xml":
            return xml
        return xml.replace(
            "{{ programme.title }} · {{ cohort.name }}", "Koskelan Ohjaamo · {{ cohort.name }}"
        )

    own_template(koskela / "branding", change=branded)
    settings = koskela / "cohort.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("templates: null", "templates: branding"), encoding="utf-8")
    result = handouts(runner, "module-3")
    assert result.exit_code == 0, result.output
    handout = Document(str(koskela / "out/module-3/moniste.docx"))
    assert handout.paragraphs[1].text == "Koskelan Ohjaamo · Ohjaamo Koskela, kevät 2030"
    runsheet = Document(str(koskela / "out/module-3/kasikirjoitus.docx"))
    assert "Osaava ja oppiva Ohjaamo" in runsheet.paragraphs[1].text


def test_templates_flag_wins_over_cohort_yaml(runner: CliRunner, koskela: Path) -> None:
    settings = koskela / "cohort.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("templates: null", "templates: branding"), encoding="utf-8")
    own_template(Path("brand"), change=without_heading_2)
    result = handouts(runner, "module-3", "--templates", "brand")
    # Not "the template folder koskela/branding does not exist": --templates is used.
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.stderr.startswith("brand/handout.docx (your template folder): the style")


# --- interrupted --------------------------------------------------------------------------


def test_interrupted_while_rendering(
    runner: CliRunner, koskela: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Everything is rendered before anything is written: Ctrl+C midway leaves out/ as it was."""
    assert handouts(runner, "module-3").exit_code == 0
    before = snapshot(koskela)
    render = Templates.render
    calls = 0

    def interrupted(self: Templates, kind: str, context: Any) -> bytes:
        nonlocal calls
        calls += 1
        if calls == 12:
            raise KeyboardInterrupt
        return render(self, kind, context)

    monkeypatch.setattr(Templates, "render", interrupted)
    result = handouts(runner)
    assert result.exit_code == ExitStatus.INTERRUPTED
    assert result.stderr == "Interrupted; nothing was left half-written.\n"
    assert snapshot(koskela) == before


def test_interrupted_while_writing(
    runner: CliRunner, koskela: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+C just after a file is renamed into place, before it is recorded: every file
    in out/ is whole, and the next run knows them all as facilitate's own."""
    write_atomic = generated.write_atomic
    documents_written = 0

    def interrupted(path: Path, content: Any) -> Path:
        nonlocal documents_written
        written = write_atomic(path, content)
        if path.suffix == ".docx":
            documents_written += 1
            if documents_written == 4:
                raise KeyboardInterrupt
        return written

    monkeypatch.setattr(generated, "write_atomic", interrupted)
    result = handouts(runner)
    assert result.exit_code == ExitStatus.INTERRUPTED
    assert result.stderr == "Interrupted; nothing was left half-written.\n"
    written = documents_in(koskela)
    assert len(written) == 4
    assert all(name.endswith(".docx") and opens(koskela / name) for name in written)
    assert not list((koskela / "out").rglob("*.tmp"))
    # The fourth was written but not yet recorded; the record of the run settles it.
    assert len(manifest(koskela)) == 3
    hashes = GeneratedFiles(koskela).hashes
    assert hashes == {name: sha256((koskela / name).read_bytes()) for name in written}
    monkeypatch.setattr(generated, "write_atomic", write_atomic)
    result = handouts(runner)  # no "changed after facilitate wrote it"
    assert result.exit_code == 0, result.output
    assert len(documents_in(koskela)) == 24
