"""The participant list: the Excel template, and reading xlsx and csv back with every problem."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from facilitate import participants as module
from facilitate.errors import ExitStatus, FileBusyError, InputError
from facilitate.loader import load_programme
from facilitate.participants import Participant, columns, read_participants, write_template
from facilitate.programme import Programme

from .conftest import DATA, TINY

MENTORING = """\
id: network-mentoring
languages: [fi, sv, nb, en]
title: {fi: Mentorointi, sv: Mentorskap, nb: Mentorprogram, en: Mentoring}
description: {fi: Kuvaus., sv: Beskrivning., nb: Beskrivelse., en: Description.}
kind: pair-mentoring
delivery: [on-site]
roles:
  - id: coordinator
    title: {fi: Koordinaattori, sv: Koordinator, nb: Koordinator, en: Coordinator}
    facilitator: true
  - id: mentor
    title: {fi: Mentori, sv: Mentor, nb: Mentor, en: Mentor}
  - id: adept
    title: {fi: Aktori, sv: Adept, nb: Adept, en: Adept}
sessions:
  - id: kick-off
    kind: kick-off
    title: {fi: Aloitus, sv: Start, nb: Oppstart, en: Kick-off}
    duration: 3 h
eligibility:
  - role: adept
    field: months_as_manager
    at_least: 6
    unit: months
    label: {fi: esihenkilönä, sv: som chef, nb: som leder, en: as a manager}
  - role: mentor
    field: years_as_manager
    at_least: 3
    unit: years
  - role: mentor
    other_organisation: true
schedule:
  interval: 1 month
"""

HEADERS = {
    "fi": "Nimi;Sähköposti;Organisaatio;Rooli;Kuukausia esihenkilönä (months_as_manager);years_as_manager;Osallistuttuja tapaamisia",
    "sv": "Namn;E-post;Organisation;Roll;Månader som chef (months_as_manager);years_as_manager;Deltagit i träffar",
    "nb": "Navn;E-post;Organisasjon;Rolle;Måneder som leder (months_as_manager);years_as_manager;Deltatt på samlinger",
    "en": "Name;Email;Organisation;Role;Months as a manager (months_as_manager);years_as_manager;Sessions attended",
}


@pytest.fixture
def programme(tmp_path: Path) -> Programme:
    path = tmp_path / "programme.yaml"
    path.write_text(MENTORING, encoding="utf-8")
    return load_programme(path)


@pytest.fixture
def tiny(tmp_path: Path) -> Programme:
    """One participant role ('member')."""
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return load_programme(path)


def csv_file(
    tmp_path: Path, lines: list[str], name: str = "participants.csv", bom: bool = True
) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "\r\n".join(lines).encode("utf-8"))
    return path


def problems(path: Path, programme: Programme) -> str:
    with pytest.raises(InputError) as caught:
        read_participants(path, programme)
    assert caught.value.exit_status == ExitStatus.BAD_INPUT
    return caught.value.message


def fill(path: Path, rows: list[list[Any]], start: int = 2) -> None:
    """Type rows into a workbook the way a coordinator would, with openpyxl."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    for r, values in enumerate(rows, start=start):
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=value)
    workbook.save(path)


# --- columns and the template


def test_columns_are_the_base_columns_then_each_eligibility_field_once(
    programme: Programme, tiny: Programme
) -> None:
    assert columns(programme) == [
        "name",
        "email",
        "organisation",
        "role",
        "months_as_manager",
        "years_as_manager",
        "attended",
    ]
    assert columns(tiny) == ["name", "email", "organisation", "role", "attended"]


@pytest.mark.parametrize("lang", ["fi", "sv", "nb", "en"])
def test_template_header_in_the_cohort_language(
    programme: Programme, tmp_path: Path, lang: str
) -> None:
    path = write_template(tmp_path / "participants.xlsx", programme, lang)

    sheet = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header == HEADERS[lang].split(";")
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G2"
    assert sheet.max_row == 1
    assert sheet.column_dimensions["B"].width >= 30  # room to type an email address


def validations(path: Path) -> dict[str, Any]:
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return {str(v.sqref): v for v in sheet.data_validations.dataValidation}


def list_values(path: Path, formula: str) -> list[str]:
    workbook = openpyxl.load_workbook(path)
    sheet_name, cells = formula.split("!")
    sheet = workbook[sheet_name.strip("'")]
    assert sheet.sheet_state == "hidden"
    return [c.value for row in sheet[cells.replace("$", "")] for c in row]


def test_template_role_dropdown_lists_participant_roles_only(
    programme: Programme, tmp_path: Path
) -> None:
    path = write_template(tmp_path / "participants.xlsx", programme, "sv")

    role = validations(path)["D2:D1000"]
    assert role.type == "list"
    assert role.errorStyle == "stop"
    assert role.showErrorMessage
    assert role.error == "Välj en roll i listan."
    assert list_values(path, role.formula1) == ["Mentor", "Adept"]


def test_template_number_checks_on_eligibility_fields(programme: Programme, tmp_path: Path) -> None:
    path = write_template(tmp_path / "participants.xlsx", programme, "fi")

    checks = validations(path)
    for column in ("E2:E1000", "F2:F1000"):
        check = checks[column]
        assert (check.type, check.operator, check.formula1) == (
            "decimal",
            "greaterThanOrEqual",
            "0",
        )
        assert check.showErrorMessage
        assert check.error == "Kirjoita luku, 0 tai enemmän (esim. 6 tai 6,5)."
        assert len(check.errorTitle) <= 32  # longer, and Excel offers to repair the file
    assert checks["E2:E1000"].errorTitle == "Kuukausia esihenkilönä (months_a"
    assert "C2:C1000" not in checks  # no organisation given: no organisation dropdown


def test_template_organisation_dropdown_warns_but_allows_others(
    programme: Programme, tmp_path: Path
) -> None:
    path = write_template(
        tmp_path / "participants.xlsx", programme, "en", organisation="Ohjaamo Varkaus"
    )

    check = validations(path)["C2:C1000"]
    assert check.type == "list"
    assert check.errorStyle == "warning"
    assert check.showErrorMessage
    assert list_values(path, check.formula1) == ["Ohjaamo Varkaus"]


def test_template_writes_through_write_atomic(
    programme: Programme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[Path] = []
    original = module.write_atomic

    def spy(path: Path, content: Any) -> Path:
        written.append(path)
        return original(path, content)

    monkeypatch.setattr(module, "write_atomic", spy)
    target = tmp_path / "participants.xlsx"
    write_template(target, programme, "en")
    assert written == [target]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["participants.xlsx", "programme.yaml"]


def test_template_prefilled_rows_read_back(programme: Programme, tmp_path: Path) -> None:
    people = [
        Participant(
            "Päivi Ahonen",
            "paivi.ahonen@varkaus.fi",
            "Ohjaamo Varkaus",
            "adept",
            {"months_as_manager": 8},
        ),
        Participant("Seán O'Brien", None, "Kuopion kaupunki", "mentor", {"years_as_manager": 4.5}),
    ]
    path = write_template(
        tmp_path / "participants.xlsx", programme, "fi", "Ohjaamo Varkaus", participants=people
    )

    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert [c.value for c in sheet[2]] == [
        "Päivi Ahonen",
        "paivi.ahonen@varkaus.fi",
        "Ohjaamo Varkaus",
        "Aktori",
        8,
        None,
        None,
    ]
    check = validations(path)["C2:C1000"]
    assert list_values(path, check.formula1) == ["Ohjaamo Varkaus", "Kuopion kaupunki"]
    assert read_participants(path, programme) == [
        Participant("Päivi Ahonen", "paivi.ahonen@varkaus.fi", "Ohjaamo Varkaus", "adept", {"months_as_manager": 8.0}, 2),
        Participant("Seán O'Brien", None, "Kuopion kaupunki", "mentor", {"years_as_manager": 4.5}, 3),
    ]  # fmt: skip


def test_formula_like_text_is_stored_as_text(programme: Programme, tmp_path: Path) -> None:
    risky = ['=HYPERLINK("http://x","y")', "+358 40 123 4567", "-Anna-", "@Anna", "\tAnna"]
    people = [Participant(text, None, text, "mentor") for text in risky]
    path = write_template(
        tmp_path / "participants.xlsx", programme, "en", "=cmd|' /C calc'!A0", people
    )

    sheet = openpyxl.load_workbook(path).worksheets[0]
    for row, text in enumerate(risky, start=2):
        for column in ("A", "C"):
            cell = sheet[f"{column}{row}"]
            assert cell.data_type == "s"
            assert cell.value == text
            assert cell.quotePrefix
    lists = openpyxl.load_workbook(path)["lists"]
    assert lists["B1"].data_type == "s"
    assert lists["B1"].value == "=cmd|' /C calc'!A0"

    values = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert [row[0] for row in values[1:]] == risky
    # Leading and trailing spaces (the tab) are trimmed on reading, nothing else.
    assert [p.name for p in read_participants(path, programme)] == [*risky[:4], "Anna"]


# --- reading xlsx


ROWS = [
    ["Päivi Ahonen", "paivi.ahonen@varkaus.fi", "Ohjaamo Varkaus", "Aktori", "6,5", None],
    ["Seán O'Brien", "sean.obrien@example.ie", "Kuopion kaupunki", "Mentori", None, 4],
    ["Åsa Öhman-D'Angelo", None, "Jyväskylä", "mentor", None, " 12 "],
    ["Ärjä Ääninen", "arja@example.fi", None, "ADEPT", 6.0, None],
]
EXPECTED = [
    Participant("Päivi Ahonen", "paivi.ahonen@varkaus.fi", "Ohjaamo Varkaus", "adept", {"months_as_manager": 6.5}, 2),
    Participant("Seán O'Brien", "sean.obrien@example.ie", "Kuopion kaupunki", "mentor", {"years_as_manager": 4.0}, 3),
    Participant("Åsa Öhman-D'Angelo", None, "Jyväskylä", "mentor", {"years_as_manager": 12.0}, 4),
    Participant("Ärjä Ääninen", "arja@example.fi", None, "adept", {"months_as_manager": 6.0}, 5),
]  # fmt: skip


def test_round_trip(programme: Programme, tmp_path: Path) -> None:
    path = write_template(tmp_path / "participants.xlsx", programme, "fi", "Ohjaamo Varkaus")
    fill(path, ROWS)

    assert read_participants(path, programme) == EXPECTED


@pytest.mark.parametrize("lang", ["fi", "sv", "nb", "en"])
def test_headers_of_every_language_are_read(
    programme: Programme, tmp_path: Path, lang: str
) -> None:
    path = write_template(tmp_path / "participants.xlsx", programme, lang)
    fill(path, ROWS)

    assert read_participants(path, programme) == EXPECTED


def test_header_only_is_zero_participants(programme: Programme, tmp_path: Path) -> None:
    path = write_template(tmp_path / "participants.xlsx", programme, "en")
    assert read_participants(path, programme) == []


def test_blank_rows_are_skipped_and_rows_keep_their_numbers(
    programme: Programme, tmp_path: Path
) -> None:
    path = write_template(tmp_path / "participants.xlsx", programme, "en")
    fill(path, [ROWS[0], [None, None, "   ", None], [], ROWS[1]])

    people = read_participants(path, programme)
    assert [(p.name, p.row) for p in people] == [("Päivi Ahonen", 2), ("Seán O'Brien", 5)]


def test_header_below_a_title_row_and_extra_columns(programme: Programme, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "Mentorointiohjelma 2027"
    sheet.append([])
    sheet.append(["Notes", " NAME ", "E-mail address", "Organization", "rooli", "as a manager"])
    sheet.append(["first call done", "Liisa Lehto", "liisa@example.fi", "Savonia", "aktori", 24])
    path = tmp_path / "participants.xlsx"
    workbook.save(path)

    assert read_participants(path, programme) == [
        Participant(
            "Liisa Lehto", "liisa@example.fi", "Savonia", "adept", {"months_as_manager": 24.0}, 4
        )
    ]


def test_first_visible_sheet_is_read(programme: Programme, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "old"
    workbook.active.append(["Name", "Role"])
    workbook.active.append(["Hidden Person", "mentor"])
    workbook.active.sheet_state = "hidden"
    sheet = workbook.create_sheet("current")
    sheet.append(["Name", "Role"])
    sheet.append(["Visible Person", "mentor"])
    path = tmp_path / "participants.xlsx"
    workbook.save(path)

    assert [p.name for p in read_participants(path, programme)] == ["Visible Person"]


def test_xlsm_is_read(programme: Programme, tmp_path: Path) -> None:
    path = write_template(tmp_path / "participants.xlsm", programme, "en")
    fill(path, [ROWS[0]])
    assert read_participants(path, programme) == EXPECTED[:1]


# --- reading csv


def test_csv_with_bom_and_semicolons(programme: Programme, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        [
            HEADERS["fi"],
            "Päivi Ahonen;paivi.ahonen@varkaus.fi;Ohjaamo Varkaus;Aktori;6,5;",
            "Seán O'Brien;sean.obrien@example.ie;Kuopion kaupunki;Mentori;;4",
            "Åsa Öhman-D'Angelo;;Jyväskylä;mentor;; 12 ",
            "Ärjä Ääninen;arja@example.fi;;ADEPT;6.0;",
            ";;;;;",
        ],
    )
    assert read_participants(path, programme) == EXPECTED


def test_csv_with_commas_and_quotes_without_bom(programme: Programme, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        [
            "name,email,organisation,role,months_as_manager",
            '"Ahonen, Päivi",paivi@example.fi,"Varkaus, Ohjaamo",adept,"6,5"',
            '"D\'Angelo, ""Dino""",,Kuopio,Mentor,',
        ],
        bom=False,
    )
    assert read_participants(path, programme) == [
        Participant("Ahonen, Päivi", "paivi@example.fi", "Varkaus, Ohjaamo", "adept", {"months_as_manager": 6.5}, 2),
        Participant('D\'Angelo, "Dino"', None, "Kuopio", "mentor", {}, 3),
    ]  # fmt: skip


def test_csv_with_excel_sep_line(programme: Programme, tmp_path: Path) -> None:
    path = csv_file(tmp_path, ["sep=;", "Name;Role", "Anna Berg;mentor", "Bo, Karlsson;adept"])
    assert [(p.name, p.row) for p in read_participants(path, programme)] == [
        ("Anna Berg", 2),
        ("Bo, Karlsson", 3),
    ]


def test_csv_header_only(programme: Programme, tmp_path: Path) -> None:
    assert read_participants(csv_file(tmp_path, [HEADERS["sv"]]), programme) == []


def test_csv_from_nordic_excel_is_windows_1252(programme: Programme, tmp_path: Path) -> None:
    """Excel's "CSV (semicolon delimited)" in Finland, Sweden and Norway writes
    Windows-1252, not UTF-8: ø, æ, å, ä, ö and € read as written."""
    path = tmp_path / "participants.csv"
    lines = [
        HEADERS["nb"],
        "Bjørn Sæther;bjorn@example.no;Tromsø kommune;adept;7;",
        "Åse Ødegård-Müller;;Bodø & Omegn – €-senteret;Mentor;;4",
        "Päivi Ahonen;;Ohjaamo Varkaus;mentor;;3",
    ]
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    assert [(p.name, p.organisation, p.role) for p in read_participants(path, programme)] == [
        ("Bjørn Sæther", "Tromsø kommune", "adept"),
        ("Åse Ødegård-Müller", "Bodø & Omegn – €-senteret", "mentor"),
        ("Päivi Ahonen", "Ohjaamo Varkaus", "mentor"),
    ]


def test_csv_utf16_with_bom(programme: Programme, tmp_path: Path) -> None:
    """Excel's "Unicode Text": UTF-16 with a byte-order mark, tab-delimited."""
    path = tmp_path / "participants.csv"
    path.write_bytes("Navn\tRolle\r\nBjørn Sæther\tadept\r\n".encode("utf-16"))
    assert [p.name for p in read_participants(path, programme)] == ["Bjørn Sæther"]


@pytest.mark.parametrize(
    "data",
    [
        "Nimi;Rooli\r\nPäivi Ahonen;mentor\r\n".encode("cp1252") + b"\x81\r\n",
        b"Nimi;Rooli\r\n\xe4\x00\x00\x01binary\r\n",
    ],
)
def test_csv_neither_utf8_nor_windows_1252(
    programme: Programme, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "participants.csv"
    path.write_bytes(data)
    assert problems(path, programme) == (
        "participants.csv is neither UTF-8 nor Windows-1252 text (line 2); in Excel, choose "
        'Save As and the type "CSV UTF-8 (Comma delimited) (*.csv)"'
    )


def test_csv_utf16_that_is_not_text(programme: Programme, tmp_path: Path) -> None:
    path = tmp_path / "participants.csv"
    path.write_bytes(b"\xff\xfe" + "Navn\x00\x01".encode("utf-16-le"))
    assert problems(path, programme) == (
        "participants.csv is not readable text; in Excel, choose Save As and the type "
        '"CSV UTF-8 (Comma delimited) (*.csv)"'
    )


def test_csv_that_is_a_workbook(programme: Programme, tmp_path: Path) -> None:
    workbook = write_template(tmp_path / "participants.xlsx", programme, "en")
    path = tmp_path / "participants.csv"
    path.write_bytes(workbook.read_bytes())
    assert problems(path, programme) == (
        "participants.csv is an Excel workbook, not CSV text; name it .xlsx, or in Excel "
        'save it as "CSV UTF-8 (Comma delimited) (*.csv)"'
    )


# --- files that are not a participant list


SAVE_AS = 'save it as .xlsx (Excel Workbook) or .csv ("CSV UTF-8")'


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("participants.xls", f"participants.xls is an old Excel 97-2003 file; {SAVE_AS}"),
        ("participants.ods", f"participants.ods is an OpenDocument spreadsheet; {SAVE_AS}"),
        (
            "participants.txt",
            "participants.txt is a .txt file, not a participant list; the list is an .xlsx "
            f"workbook or a .csv file ({SAVE_AS})",
        ),
        (
            "participants",
            "participants is a file without an extension, not a participant list; the list is "
            f"an .xlsx workbook or a .csv file ({SAVE_AS})",
        ),
    ],
)
def test_wrong_kind_of_file(programme: Programme, tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(600))
    assert problems(path, programme) == message


def test_renamed_text_file(programme: Programme, tmp_path: Path) -> None:
    path = tmp_path / "participants.xlsx"
    path.write_text("Name;Role\nAnna;mentor\n", encoding="utf-8")
    assert problems(path, programme) == (
        f"participants.xlsx is not an Excel workbook (it is text: a renamed .csv or .txt?); {SAVE_AS}"
    )


def test_renamed_old_excel_file(programme: Programme, tmp_path: Path) -> None:
    path = tmp_path / "participants.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(600))
    assert problems(path, programme) == (
        "participants.xlsx is not an .xlsx workbook: it is an old Excel 97-2003 file or a "
        f"password-protected workbook; remove the password and {SAVE_AS}"
    )


def test_corrupt_workbook(programme: Programme, tmp_path: Path) -> None:
    good = write_template(tmp_path / "good.xlsx", programme, "en").read_bytes()
    path = tmp_path / "participants.xlsx"
    path.write_bytes(good[: len(good) // 2])
    message = problems(path, programme)
    assert message.startswith("participants.xlsx cannot be read as an Excel workbook (")
    assert message.endswith(f"); {SAVE_AS}")


@pytest.mark.parametrize("name", ["participants.xlsx", "participants.csv"])
@pytest.mark.parametrize("content", [b"", b"\r\n \r\n", b"\xef\xbb\xbf"])
def test_empty_file(programme: Programme, tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    message = problems(path, programme)
    if content == b"\xef\xbb\xbf" and name.endswith(".csv"):
        expected = f"{name} has no header row: it is empty; "
    elif content == b"\xef\xbb\xbf":
        expected = (
            f"{name} is not an Excel workbook (it is text: a renamed .csv or .txt?); {SAVE_AS}"
        )
        assert message == expected
        return
    else:
        expected = f"{name} is empty; "
    assert message == expected + (
        "it needs a header row naming the columns (Name, Email, Organisation, Role, "
        "Months as a manager (months_as_manager), years_as_manager) and one row per participant"
    )


def test_workbook_with_empty_sheet(programme: Programme, tmp_path: Path) -> None:
    path = tmp_path / "participants.xlsx"
    openpyxl.Workbook().save(path)
    assert problems(path, programme).startswith(
        "participants.xlsx has no header row: it is empty; "
    )


def test_missing_file(programme: Programme, tmp_path: Path) -> None:
    assert problems(tmp_path / "participants.csv", programme) == "participants.csv: no such file"


def test_folder_instead_of_file(programme: Programme, tmp_path: Path) -> None:
    (tmp_path / "participants.xlsx").mkdir()
    assert problems(tmp_path / "participants.xlsx", programme) == (
        "participants.xlsx is a folder, not a participant list"
    )


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever the mode"
)
def test_unreadable_file(programme: Programme, tmp_path: Path) -> None:
    path = csv_file(tmp_path, ["Name;Role"])
    path.chmod(0)
    try:
        with pytest.raises(FileBusyError) as caught:
            read_participants(path, programme)
    finally:
        path.chmod(0o644)
    assert caught.value.exit_status == ExitStatus.FILE_BUSY
    assert str(path) in caught.value.message


def test_locked_file(programme: Programme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_template(tmp_path / "participants.xlsx", programme, "en")

    def locked(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", locked)
    with pytest.raises(FileBusyError) as caught:
        read_participants(path, programme)
    assert caught.value.message == (
        f"{path} is open in another program (Word or Excel?) or cannot be accessed; "
        "close it and run the command again."
    )


def test_display_name_in_messages(programme: Programme, tmp_path: Path) -> None:
    path = csv_file(tmp_path, ["Name;Role", ";mentor"])
    with pytest.raises(InputError) as caught:
        read_participants(path, programme, display="cohort/participants.csv")
    assert caught.value.message == "cohort/participants.csv: row 2: the name is missing"


# --- the header row


def test_missing_required_columns(programme: Programme, tmp_path: Path) -> None:
    path = csv_file(tmp_path, ["Nimi2;Email;Rooli x", "Anna;anna@example.fi;mentor"])
    assert problems(path, programme) == (
        "participants.csv: row 1: no name or role column; the columns found are 'Nimi2', "
        "'Email', 'Rooli x'; the header row names the columns, e.g. Name, Email, Organisation, "
        "Role, Months as a manager (months_as_manager), years_as_manager"
    )


def test_role_column_optional_with_one_participant_role(tiny: Programme, tmp_path: Path) -> None:
    path = csv_file(tmp_path, ["Name,Email", "Anna Berg,anna@example.se"])
    assert read_participants(path, tiny) == [
        Participant("Anna Berg", "anna@example.se", None, "member", {}, 2)
    ]


def test_column_given_twice(programme: Programme, tmp_path: Path) -> None:
    path = csv_file(tmp_path, ["Name;Role;E-post;Email", "Anna;mentor;a@example.fi;b@example.fi"])
    assert problems(path, programme) == (
        "participants.csv: row 1: columns C and D are both email; keep one"
    )


def test_field_column_by_name_label_or_edited_header(programme: Programme, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        [
            "Name;Role;months as manager;Vuosina esihenkilönä (years_as_manager)",
            "Anna;mentor;3;7",
        ],
    )
    assert read_participants(path, programme)[0].fields == {
        "months_as_manager": 3.0,
        "years_as_manager": 7.0,
    }


# --- the rows


def test_roles_by_id_or_title_in_any_language(programme: Programme, tmp_path: Path) -> None:
    titles = ["mentor", "Mentori", "ADEPT", "aktori", " Adept ", "Mentor"]
    path = csv_file(tmp_path, ["Name;Role", *(f"Person {i};{r}" for i, r in enumerate(titles))])
    roles = [p.role for p in read_participants(path, programme)]
    assert roles == ["mentor", "mentor", "adept", "adept", "adept", "mentor"]


def test_blank_role_with_one_participant_role(tiny: Programme, tmp_path: Path) -> None:
    path = csv_file(tmp_path, ["Name;Role", "Anna;", "Bo;Team member"])
    assert [p.role for p in read_participants(path, tiny)] == ["member", "member"]


def test_every_row_problem_at_once(programme: Programme, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        [
            "Name;Email;Organisation;Role;months_as_manager;years_as_manager",
            "Päivi Ahonen;paivi@example.fi;Varkaus;adept;6;",  # 2
            ";x@example.fi;Varkaus;adept;;",  # 3 missing name
            "Anna Berg;anna@;Kuopio;adept;;",  # 4 invalid email
            "Bo Ek;bo@example.fi;Kuopio;mentr;;",  # 5 unknown role
            "Cai Dahl;cai@example.fi;Kuopio;coordinator;;",  # 6 a facilitator role
            "Dan Eno;dan@example.fi;Kuopio;;;",  # 7 missing role
            "Eva Falk;eva@example.fi;Kuopio;adept;six;",  # 8 not a number
            "Fia Gran;fia@example.fi;Kuopio;mentor;;-3",  # 9 negative
            "Päivi Ahonen;PAIVI@example.fi;Varkaus;adept;6;",  # 10 duplicate by email
            "Gun Holm;;Lund;mentor;;",  # 11
            "gun  holm;;lund;adept;;",  # 12 duplicate by name + organisation
            "Gun Holm;;Malmö;mentor;;",  # 13 another organisation: not a duplicate
            "Hans Ivar;paivi@example.fi;Varkaus;adept;;",  # 14 same email, another name
            "Ida Jern;ida@example;Kuopio;adept;1.2.3;",  # 15 two problems
        ],
    )
    roles = "the roles are mentor (Mentori), adept (Aktori)"
    assert problems(path, programme).splitlines() == [
        "participants.csv: row 3: the name is missing",
        "participants.csv: row 4: invalid email 'anna@'; write it as name@example.fi",
        f"participants.csv: row 5: unknown role 'mentr' (did you mean 'mentor'?); {roles}",
        f"participants.csv: row 6: 'coordinator' is a facilitator's role, not a participant's; {roles}",
        f"participants.csv: row 7: the role is missing; {roles}",
        "participants.csv: row 8: months_as_manager must be a number (such as 6 or 6,5), got 'six'",
        "participants.csv: row 9: years_as_manager must be 0 or more, got -3",
        "participants.csv: row 10: 'Päivi Ahonen' appears twice (also row 2)",
        "participants.csv: row 12: 'gun  holm' appears twice (also row 11)",
        "participants.csv: row 14: 'paivi@example.fi' appears twice (also row 2)",
        "participants.csv: row 15: invalid email 'ida@example'; write it as name@example.fi",
        "participants.csv: row 15: months_as_manager must be a number (such as 6 or 6,5), got '1.2.3'",
    ]


def test_number_problems_in_a_workbook(programme: Programme, tmp_path: Path) -> None:
    from datetime import datetime

    path = write_template(tmp_path / "participants.xlsx", programme, "en")
    fill(
        path,
        [
            ["Anna Berg", None, None, "Adept", datetime(2027, 5, 6)],
            ["Bo Ek", None, None, "Adept", True],
            ["Cai Dahl", None, None, "Mentor", None, -0.5],
        ],
    )
    header = "Months as a manager (months_as_manager)"
    assert problems(path, programme).splitlines() == [
        f"participants.xlsx: row 2: {header} must be a number, got the date 2027-05-06 "
        "(Excel turns 6.5 into a date in a Nordic locale; write 6,5, or format the column as Number)",
        f"participants.xlsx: row 3: {header} must be a number, got TRUE",
        "participants.xlsx: row 4: years_as_manager must be 0 or more, got -0.5",
    ]


def test_numbers_in_every_form(programme: Programme, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        [
            "Name;Role;months_as_manager",
            "A;adept;6",
            "B;adept;6.0",
            "C;adept;6,5",
            "D;adept; 12 ",
            "E;adept;0",
        ],
    )
    values = [p.fields["months_as_manager"] for p in read_participants(path, programme)]
    assert values == [6.0, 6.0, 6.5, 12.0, 0.0]


def test_names_with_nordic_letters_and_apostrophes(programme: Programme, tmp_path: Path) -> None:
    names = ["Åke Öberg", "Päivi Ähtäri", "Seán O'Brien", "Dino D'Angelo", "Niamh O’Connor"]
    path = write_template(
        tmp_path / "participants.xlsx",
        programme,
        "sv",
        participants=[Participant(n, None, None, "mentor") for n in names],
    )
    assert [p.name for p in read_participants(path, programme)] == names
    csv_path = csv_file(tmp_path, ["Namn;Roll", *(f"{n};Mentor" for n in names)])
    assert [p.name for p in read_participants(csv_path, programme)] == names


def test_valid_email_forms(programme: Programme, tmp_path: Path) -> None:
    emails = ["sean.o'brien@example.ie", "a.b+c@sub.example.co.uk", "ÅSA@EXAMPLE.SE"]
    path = csv_file(
        tmp_path, ["Name;Email;Role", *(f"P{i};{e};mentor" for i, e in enumerate(emails))]
    )
    assert [p.email for p in read_participants(path, programme)] == emails


def test_the_shipped_test_programme(tmp_path: Path) -> None:
    """A programme with two languages: titles of both are read, headers of all four."""
    programme = load_programme(DATA / "programme.yaml", [DATA / "library" / "questionnaires"])
    path = write_template(tmp_path / "participants.xlsx", programme, "fi")
    fill(path, [["Päivi", None, None, "Aktori", 7], ["Pekka", None, None, "Mentor", None]])
    assert [(p.role, p.fields) for p in read_participants(path, programme)] == [
        ("adept", {"months_as_manager": 7.0}),
        ("mentor", {}),
    ]


def test_sessions_attended_is_read(tiny: Programme, tmp_path: Path) -> None:
    """Until attendance sheets are collected, certificates go by this column."""
    path = csv_file(tmp_path, ["Nimi;Osallistuttuja tapaamisia", "Anna Berg;4", "Emil Ek;"])
    people = read_participants(path, tiny)
    assert [p.fields.get("attended") for p in people] == [4.0, None]
