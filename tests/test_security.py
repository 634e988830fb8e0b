"""The security review, one test per promise: zip and XML bombs refused quickly, no formula
made from what people typed, resource paths kept inside the programme, templates in
Jinja's sandbox, and no network connection from any command.

YAML tags, anchors (billion laughs), %YAML 1.1 and deep nesting are refused by the loader;
their tests are in test_loader.py and the tests/data/bad corpus (billion-laughs.yaml,
anchor-alias.yaml, tag-python-object.yaml ...).
"""

from __future__ import annotations

import io
import random
import re
import socket
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from facilitate import cohort as cohorts
from facilitate import docgen, library
from facilitate.answers import META_SHEET, Meta
from facilitate.cli import app
from facilitate.collect import collect
from facilitate.docgen import Template, TemplateError
from facilitate.errors import ExitStatus, InputError
from facilitate.participants import Participant, read_participants, write_template
from facilitate.sheets import choices
from facilitate.workbook import (
    MAX_ENTRIES,
    MAX_FILE_BYTES,
    WORKBOOK_PARTS,
    check_archive,
    megabytes,
)

from .conftest import TERMINAL
from .test_docgen import make_template

# What people may type that a spreadsheet would take for a formula (or DDE).
INJECTIONS = ('=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "\tTab", "\rCR")
# Enough of each to recognise it inside a formula.
MARKERS = ("HYPERLINK", "1+1", "-2", "SUM(A1)")
SAVE_AS = "save it as .xlsx (Excel Workbook)"
QUICKLY = 2.0  # seconds to refuse a bomb


# -- building bombs -------------------------------------------------------------------------


def replace_part(source: Path, target: Path, part: str, data: bytes | None = None) -> Path:
    """A copy of the zip `source` with `part` replaced by `data`, or (None) by 50 MB of
    zeros streamed in: a zip bomb a few tens of kB on disk."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != part:
                new.writestr(info, old.read(info))
            elif data is not None:
                new.writestr(part, data)
            else:
                with new.open(part, "w") as stream:
                    zeros = bytes(1_000_000)
                    for _ in range(50):
                        stream.write(zeros)
    return target


def declare_size(path: Path, part: str, size: int) -> Path:
    """Rewrite the unpacked size the zip's directory declares for `part` (a lie)."""
    raw = bytearray(path.read_bytes())
    name = part.encode()
    at = raw.find(b"PK\x01\x02")
    while at >= 0:
        length = int.from_bytes(raw[at + 28 : at + 30], "little")
        if raw[at + 46 : at + 46 + length] == name:
            raw[at + 24 : at + 28] = size.to_bytes(4, "little")
        at = raw.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(raw))
    return path


LAUGHS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>
"""
BOMBS = {
    "zeros": "has a part (xl/worksheets/sheet1.xml) packed in a way no Excel or Word file is (a zip bomb?); facilitate does not read it",
    "declared": "unpacks to 4.3 GB, more than the 200 MB facilitate reads; is it the right file?",
    "laughs": "has a part (xl/worksheets/sheet1.xml) that declares a DOCTYPE or XML entities, which Excel and Word never write (an XML bomb?); facilitate does not read it",
}


def bomb(kind: str, source: Path, target: Path, part: str = "xl/worksheets/sheet1.xml") -> Path:
    if kind == "zeros":
        return replace_part(source, target, part)
    if kind == "declared":
        return declare_size(replace_part(source, target, part, b"<x/>"), part, 0xFFFF_FFF0)
    return replace_part(source, target, part, LAUGHS)


def timed(call: Callable[[], Any]) -> tuple[BaseException, float]:
    start = time.perf_counter()
    with pytest.raises(Exception) as caught:
        call()
    return caught.value, time.perf_counter() - start


# -- the cohort the tests share ---------------------------------------------------------------

PEOPLE = [
    Participant(name, f"p{i}@example.fi", organisation, "member")
    for i, (name, organisation) in enumerate(
        zip(INJECTIONS, reversed(INJECTIONS), strict=True), start=1
    )
]


def block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every way of opening a connection fail loudly."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a network connection was attempted: {args!r}")

    class NoSocket(socket.socket):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            refuse(*args)

    monkeypatch.setattr(socket, "socket", NoSocket)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "gethostbyname", refuse)


def fill_meter(folder: Path, responses: Path, lang: str, cohort: cohorts.Cohort) -> int:
    """Answer every sheet in `folder` as a respondent would, the open questions with the
    injections; the number of sheets filled."""
    questionnaire = next(q for q in cohort.programme.questionnaires if q.kind == "meter")
    labels = choices(questionnaire, lang)
    rng = random.Random(7)
    responses.mkdir(parents=True, exist_ok=True)
    filled = 0
    for path in sorted(folder.glob("*.xlsx")):
        book = openpyxl.load_workbook(path)
        meta = Meta.from_rows([list(row) for row in book[META_SHEET].iter_rows(values_only=True)])
        if meta.layout != "person":
            continue
        for item in meta.fields:
            cell = book[item.sheet][item.cell]
            if item.kind == "scale":
                cell.value = labels[rng.randrange(len(labels))]
            elif item.kind == "text" and item.id != "respondent":
                # as Excel stores text typed with a leading quote
                cell.value = INJECTIONS[filled % len(INJECTIONS)]
                cell.data_type = "s"
        book.save(responses / path.name)
        filled += 1
    return filled


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Every main command run in-process with the network blocked, on a cohort whose
    names, organisation and answers are all formula-like text; the results by command."""
    base = tmp_path_factory.mktemp("security")
    runner = CliRunner(env=TERMINAL)
    results: dict[str, Any] = {}
    with pytest.MonkeyPatch.context() as patch:
        for name in ("LANG", "FACILITATE_PROGRAMMES", "FACILITATE_LANG"):
            patch.delenv(name, raising=False)
        block_network(patch)
        with pytest.raises(AssertionError, match="network connection"):
            socket.create_connection(("example.org", 80))
        patch.chdir(base)

        def run(*args: str) -> None:
            results[" ".join(args)] = runner.invoke(app, list(args))

        folder = base / "cohort"
        run(
            "init", "osaava-ja-oppiva-ohjaamo", str(folder), "--no-input", "--lang", "fi",
            "--organisation", INJECTIONS[0], "--name", INJECTIONS[1],
            "--facilitator", INJECTIONS[2], "--facilitator", INJECTIONS[3],
            "--coordinator", "Sari Läänelä", "--delivery", "on-site", "--place", INJECTIONS[4],
            "--first-date", "2030-01-15", "--start-time", "09:00", "--country", "FI",
        )  # fmt: skip
        results["template"] = (folder / "participants.xlsx").read_bytes()
        cohort = cohorts.load(folder)
        write_template(folder / "participants.xlsx", cohort.programme, "fi", INJECTIONS[0], PEOPLE)
        patch.chdir(folder)
        run("programmes")
        run("show", "osaava-ja-oppiva-ohjaamo", "--lang", "sv")
        run("validate", str(cohort.programme_path))
        run("schedule", "--ics", "kalenteri.ics")
        run("status")
        run("prepare", "1", "--no-input")
        run("handouts", "all")
        run("sheets", "meter")
        run("sheets", "meter", "--layout", "collection")
        run("sheets", "feedback", "1")
        run("sheets", "attendance")
        filled = fill_meter(
            folder / "out" / "sheets" / "pre-assignment",
            folder / "responses" / "meter",
            "fi",
            cohort,
        )
        results["filled"] = filled
        run("collect", "meter")
        run("results", "meter")
        run("demo", str(base / "demo"))
        results["folders"] = [folder, base / "demo"]
    yield results


def test_no_command_opens_a_network_connection(ran: dict[str, Any]) -> None:
    commands = [key for key in ran if key not in ("template", "filled", "folders")]
    assert len(commands) >= 15
    for command in commands:
        result = ran[command]
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            command,
            result.exception,
        )
        assert result.exit_code == 0, (command, result.stdout[-1500:])


def cells(data: bytes) -> Iterator[tuple[str, Any]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield f"{sheet.title}!{cell.coordinate}", cell


def test_no_written_cell_is_a_formula_made_from_text(ran: dict[str, Any]) -> None:
    """Names, organisations, places and open answers that look like formulas are text in
    every workbook facilitate writes; the only formulas are the attendance counts
    (COUNTIF, and IF for a rate)."""
    assert ran["filled"] == len(PEOPLE)
    books = {"init participants.xlsx": ran["template"]}
    for folder in ran["folders"]:
        for path in sorted(folder.rglob("*.xlsx")):
            books[str(path.relative_to(folder.parent))] = path.read_bytes()
    kinds = {re.sub(r"-[^/]*\.xlsx$|\.xlsx$", "", name).split("/")[-1] for name in books}
    assert len(books) > 40 and len(kinds) >= 5, sorted(kinds)
    texts: dict[str, set[str]] = {}
    for name, data in books.items():
        for where, cell in cells(data):
            if cell.data_type == "f":
                functions = set(re.findall(r"([A-Z]+)\(", str(cell.value)))
                assert functions <= {"COUNTIF", "IF"}, (name, where, cell.value)
                assert not any(marker in str(cell.value) for marker in MARKERS), (name, where)
            elif isinstance(cell.value, str):
                texts.setdefault(name, set()).add(cell.value)
    everything = set().union(*texts.values())
    kept = [text for text in INJECTIONS if text in everything or text.strip() in everything]
    assert kept == list(INJECTIONS)
    results = next(name for name in books if "/out/results/" in name and "cohort" in name)
    assert set(INJECTIONS[:4]) <= texts[results], "open answers are listed as written"


# -- zip and XML bombs ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("book") / "participants.xlsx"
    _, programme = library.find("osaava-ja-oppiva-ohjaamo")
    write_template(path, programme, "fi", "Ohjaamo", PEOPLE[:2])
    return path


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_a_bombed_participant_list_is_refused_quickly(
    kind: str, workbook: Path, tmp_path: Path
) -> None:
    _, programme = library.find("osaava-ja-oppiva-ohjaamo")
    path = bomb(kind, workbook, tmp_path / "participants.xlsx")
    assert path.stat().st_size < 200_000
    error, seconds = timed(lambda: read_participants(path, programme))
    assert isinstance(error, InputError)
    assert str(error) == f"participants.xlsx {BOMBS[kind]}"
    assert seconds < QUICKLY


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_a_bombed_filled_sheet_is_refused_quickly(
    kind: str, ran: dict[str, Any], tmp_path: Path
) -> None:
    folder = ran["folders"][0]
    cohort = cohorts.load(folder)
    sheet = sorted((folder / "responses" / "meter").glob("*.xlsx"))[0]
    path = bomb(kind, sheet, tmp_path / "filled.xlsx")
    start = time.perf_counter()
    report = collect(cohort, "meter", [path])
    assert time.perf_counter() - start < QUICKLY
    [refused] = report.refused
    assert refused.endswith(BOMBS[kind]), refused


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_a_bombed_word_template_is_refused_quickly(kind: str, tmp_path: Path) -> None:
    source = make_template(tmp_path / "source.docx", ["{{ cohort.name }}"])
    part = "word/document.xml"
    path = bomb(kind, source, tmp_path / "handout.docx", part)
    error, seconds = timed(lambda: Template.load(path, "handout", display="handout.docx"))
    assert isinstance(error, TemplateError)
    assert str(error) == "handout.docx " + BOMBS[kind].replace("xl/worksheets/sheet1.xml", part)
    assert seconds < QUICKLY


def test_the_cli_refuses_a_bombed_template_in_the_cohorts_folder(
    ran: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    folder = tmp_path / "cohort"
    shutil.copytree(ran["folders"][0], folder)
    templates = folder / "templates"
    templates.mkdir()
    source = make_template(tmp_path / "source.docx", ["{{ cohort.name }}"])
    bomb("laughs", source, templates / "handout.docx", "word/document.xml")
    text = (folder / "cohort.yaml").read_text(encoding="utf-8")
    (folder / "cohort.yaml").write_text(
        text.replace("templates: null", "templates: templates"), encoding="utf-8"
    )
    monkeypatch.chdir(folder)
    result = CliRunner(env=TERMINAL).invoke(app, ["handouts", "1", "--force"])
    assert result.exit_code == ExitStatus.BAD_INPUT, result.output
    assert (
        "templates/handout.docx (your template folder) has a part (word/document.xml) that declares a DOCTYPE"
        in result.stderr
    )
    assert "Traceback" not in result.output


def test_limits_of_the_file_and_of_its_parts(tmp_path: Path) -> None:
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"PK\x03\x04" + bytes(MAX_FILE_BYTES))
    with pytest.raises(InputError) as caught:
        check_archive(big, "big.xlsx", SAVE_AS)
    assert str(caught.value) == (
        "big.xlsx is 20 MB, more than the 20 MB facilitate reads; is it the right file?"
    )
    many = tmp_path / "many.xlsx"
    with zipfile.ZipFile(many, "w") as archive:
        for i in range(MAX_ENTRIES + 1):
            archive.writestr(f"x/{i}.bin", b"")
    with pytest.raises(InputError, match=r"^many.xlsx holds 5,001 parts, more than the 5,000 "):
        check_archive(many.read_bytes(), "many.xlsx", SAVE_AS)
    damaged = b"PK\x03\x04" + b"\x00" * 100
    check_archive(damaged, "d.xlsx", SAVE_AS)  # no directory to check: left to the reader
    with pytest.raises(InputError, match=r"^d.xlsx cannot be read as an Excel workbook \("):
        (tmp_path / "d.xlsx").write_bytes(damaged)
        read_participants(tmp_path / "d.xlsx", library.find("osaava-ja-oppiva-ohjaamo")[1])
    assert [megabytes(n) for n in (300_000, 25_000_000, 4_294_967_280)] == [
        "0.3 MB",
        "25 MB",
        "4.3 GB",
    ]


@pytest.mark.parametrize(
    "prolog",
    [
        b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- note -->\n<!DOCTYPE x [<!ENTITY a "b">]><x/>',
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><x/>'.encode("utf-16"),
        b"<!--" + b"x" * 3_000 + b"-->\n<!DOCTYPE x><x/>",  # past the first kilobyte
        ("<!--" + "x" * 3_000 + "--><!DOCTYPE x><x/>").encode("utf-16"),
    ],
)
def test_a_doctype_is_found_behind_comments_and_in_utf16(
    prolog: bytes, workbook: Path, tmp_path: Path
) -> None:
    path = replace_part(workbook, tmp_path / "p.xlsx", "xl/styles.xml", prolog)
    with pytest.raises(InputError, match=r"xl/styles.xml\) that declares a DOCTYPE"):
        check_archive(path, "p.xlsx", SAVE_AS)


def test_an_opening_longer_than_is_read_is_refused(workbook: Path, tmp_path: Path) -> None:
    prolog = b"<!--" + b"x" * 70_000 + b"--><x/>"
    path = replace_part(workbook, tmp_path / "p.xlsx", "xl/styles.xml", prolog)
    with pytest.raises(InputError, match=r"xl/styles.xml\) whose opening runs past 64 KB"):
        check_archive(path, "p.xlsx", SAVE_AS)


def test_a_long_comment_before_the_first_element_is_fine(workbook: Path, tmp_path: Path) -> None:
    original = zipfile.ZipFile(workbook).read("xl/styles.xml")
    declaration, _, body = original.partition(b"?>")
    prolog = declaration + b"?>\n<!--" + b" note" * 1_000 + b" -->" + body
    path = replace_part(workbook, tmp_path / "p.xlsx", "xl/styles.xml", prolog)
    check_archive(path, "p.xlsx", SAVE_AS)


def test_a_workbook_read_for_its_cells_is_checked_where_the_reader_looks(
    workbook: Path, tmp_path: Path
) -> None:
    """python-calamine parses the parts under xl/ and never docProps/; a DOCTYPE there
    cannot reach it. A Word template is checked in every part."""
    bad = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'
    props = replace_part(workbook, tmp_path / "props.xlsx", "docProps/core.xml", bad)
    check_archive(props, "props.xlsx", SAVE_AS, parsed=WORKBOOK_PARTS)
    with pytest.raises(InputError, match=r"docProps/core.xml\) that declares a DOCTYPE"):
        check_archive(props, "props.xlsx", SAVE_AS)
    sheet = replace_part(workbook, tmp_path / "sheet.xlsx", "xl/worksheets/sheet1.xml", bad)
    with pytest.raises(InputError, match=r"sheet1.xml\) that declares a DOCTYPE"):
        check_archive(sheet, "sheet.xlsx", SAVE_AS, parsed=WORKBOOK_PARTS)


def test_a_part_found_clean_before_does_not_let_a_bad_one_through(
    workbook: Path, tmp_path: Path
) -> None:
    """Clean parts are remembered by their packed bytes: the same styles in a thousand
    sheets are unpacked once, and a part that differs is unpacked and refused."""
    check_archive(workbook, "a.xlsx", SAVE_AS)
    bad = b"<!DOCTYPE x>" + zipfile.ZipFile(workbook).read("xl/styles.xml")
    path = replace_part(workbook, tmp_path / "b.xlsx", "xl/styles.xml", bad)
    for _ in range(2):
        with pytest.raises(InputError, match=r"styles.xml\) that declares a DOCTYPE"):
            check_archive(path, "b.xlsx", SAVE_AS)
    check_archive(workbook, "a.xlsx", SAVE_AS)


def test_real_files_pass(workbook: Path, ran: dict[str, Any]) -> None:
    """What facilitate, Excel's own format and Word templates hold is not refused."""
    check_archive(workbook, "participants.xlsx", SAVE_AS)
    for path in ran["folders"][1].rglob("*.xlsx"):
        check_archive(path.read_bytes(), path.name, SAVE_AS)
    for path in docgen.template_path("handout", None).parent.glob("*.docx"):
        check_archive(path, path.name, SAVE_AS)


def test_openpyxl_reads_with_defusedxml() -> None:
    """openpyxl uses defusedxml when it is installed (a dependency of facilitate)."""
    from openpyxl import DEFUSEDXML

    assert DEFUSEDXML is True


# -- templates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "shown"),
    [("''.__class__.__mro__", "….__class__"), ("cycler.__init__.__globals__", "cycler.__init__")],
)
def test_a_template_cannot_reach_python(tmp_path: Path, expression: str, shown: str) -> None:
    path = make_template(tmp_path / "handout.docx", ["{{ " + expression + " }}"])
    with pytest.raises(TemplateError) as caught:
        Template.load(path, "handout", display="h.docx").render({"cohort": {}})
    assert str(caught.value) == (
        f"h.docx: {{{{ {shown} }}}} is not allowed: a template may not use names that start with '_'"
    )


@pytest.mark.parametrize("kind", ["../../etc/passwd", "/etc/passwd", "handout.docx", "..\\x"])
def test_template_file_names_are_fixed(kind: str, tmp_path: Path) -> None:
    """The templates folder is the facilitator's choice; the names inside it are ours."""
    with pytest.raises(ValueError, match=r"^no template kind"):
        docgen.template_path(kind, tmp_path)
