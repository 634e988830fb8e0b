"""The participant list of a cohort: its Excel template, and reading it back (xlsx or csv).

The list is what a coordinator keeps in Excel: one row per participant with name, email,
organisation, role and the numbers the programme's eligibility rules need. In a programme
with matching the list is also the application list: a column per theme (ticked with x),
the preferred meeting format, the location and a mentor's capacity. Reading is
strict but forgiving about form: headers in any of our languages, roles by id or title,
`6,5` with a decimal comma. Every problem is reported with its row as Excel shows it,
all at once; nothing is skipped silently except blank rows.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from .errors import FileBusyError, InputError
from .i18n import LANGUAGES, t
from .output import write_atomic
from .programme import Programme, Role, Rule, did_you_mean
from .workbook import (
    LISTS_SHEET,
    MESSAGE_MAX,
    OLE_MAGIC,
    TITLE_MAX,
    ZIP_MAGIC,
    font,
    list_source,
    open_workbook,
    print_setup,
    put,
    row_height,
)

BASE_COLUMNS = ("name", "email", "organisation", "role")
# Sessions attended, until attendance sheets are collected: decides certificates.
ATTENDED = "attended"
# Other headers people give these columns, compared case-insensitively.
_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("full name", "koko nimi", "namn", "fullständigt namn", "fullt navn"),
    "email": (
        "e-mail",
        "email address",
        "e-mail address",
        "sähköpostiosoite",
        "s-posti",
        "e-postadress",
        "e-postadresse",
        "epost",
    ),
    "organisation": ("organization", "organisaatio", "organisasjon", "employer", "työnantaja"),
    "role": ("rooli", "roll", "rolle"),
}
# The application columns of a programme with matching, after the eligibility fields.
THEME = "theme:"  # a theme column's key: "theme:0" is programme.themes[0]
FORMAT = "format"
LOCATION = "location"
CAPACITY = "capacity"
MENTOR = "mentor"  # the role a capacity is for (as in `matching`)
FORMATS = ("on-site", "online", "either")
MAX_CAPACITY = 5
# What people type in a theme column, in any of our languages (compared normalised).
_TICKED = {"x", "✓", "✔", "☑", "✗", "yes", "y", "kyllä", "k", "ja", "j", "1", "true", "sann"}
_NOT_TICKED = {"no", "n", "ei", "e", "nej", "nei", "0", "false", "usann"}
# Words people write for a format, besides its label in each language.
_FORMAT_WORDS: dict[str, tuple[str, ...]] = {
    "on-site": (
        "on site", "onsite", "in person", "face to face", "paikan päällä",
        "lähi", "lähitapaaminen", "kasvokkain", "på plats", "fysiskt", "fysisk",
        "fysisk oppmøte", "på stedet",
    ),
    "online": (
        "teams", "remote", "video", "etä", "etänä", "etätapaaminen", "verkossa", "distans",
        "på distans", "digitalt", "digital", "nett", "på nett",
    ),
    "either": (
        "both", "any", "no preference", "hybrid", "molemmat", "kumpi tahansa", "ei väliä",
        "båda", "vilket som", "båda går bra", "begge", "begge deler", "hva som helst",
    ),
}  # fmt: skip
# Rows given dropdowns and number checks in the template.
TEMPLATE_ROWS = 1000
# How many filled rows may stand above the header row (a title, a date).
_HEADER_SEARCH = 5
# Room to type into an empty template.
_MIN_WIDTH = {"name": 28, "email": 32, "organisation": 26}
# Deliberately simple: one @, no spaces, a dot in the domain. Apostrophes are allowed
# (o'brien@example.ie is a real address).
_EMAIL = re.compile(r"^[^@\s,;<>()\"]+@[^@\s,;<>()\"']+\.[^@\s,;<>()\"'.]{2,}$")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_SAVE_AS = 'save it as .xlsx (Excel Workbook) or .csv ("CSV UTF-8")'


@dataclass(frozen=True)
class Participant:
    """One row of the participant list."""

    name: str
    email: str | None
    organisation: str | None
    role: str  # a role id of the programme
    fields: dict[str, float] = field(default_factory=dict)  # eligibility fields given
    row: int = 0  # 1-based, as Excel shows it; 0 when not read from a file
    # The application, in a programme with matching (mentor and adept roles):
    themes: tuple[int, ...] = ()  # indexes into programme.themes: wanted (adept), offered (mentor)
    format: str | None = None  # "on-site", "online" or "either"
    location: str | None = None  # where they work (a town), as typed
    capacity: int | None = None  # a mentor: how many adepts (None: 1)


def columns(programme: Programme) -> list[str]:
    """The column keys of the list: name, email, organisation, role, eligibility fields,
    the application columns of a programme with matching, and the sessions each person
    attended (filled in as the programme runs)."""
    keys = list(BASE_COLUMNS)
    for rule in programme.eligibility:
        if rule.field is not None and rule.field not in keys:
            keys.append(rule.field)
    keys += application_columns(programme)
    keys.append(ATTENDED)
    return keys


def application_columns(programme: Programme) -> list[str]:
    """A column per theme, then format, location and capacity; none without matching."""
    if programme.matching is None:
        return []
    return [f"{THEME}{i}" for i in range(len(programme.themes))] + [FORMAT, LOCATION, CAPACITY]


def format_labels(lang: str) -> dict[str, str]:
    """The dropdown of the format column: 'on-site' -> 'På plats'."""
    return {key: t(lang, f"applications.format.{key}") for key in FORMATS}


def _field_rules(programme: Programme) -> dict[str, list[Rule]]:
    rules: dict[str, list[Rule]] = {}
    for rule in programme.eligibility:
        if rule.field is not None and rule.field not in BASE_COLUMNS:
            rules.setdefault(rule.field, []).append(rule)
    return rules


def _field_header(name: str, rule: Rule, lang: str) -> str:
    """'Months as a manager (months_as_manager)': readable, and the field name stays."""
    if rule.label is None or not rule.label.has(lang):
        return name
    label = rule.label.get(lang).strip()
    text = f"{t(lang, f'participant.{rule.unit}')} {label}" if rule.unit else label
    return f"{text[:1].upper()}{text[1:]} ({name})"


def headers(programme: Programme, lang: str) -> list[str]:
    """The header row of the template in `lang`, in the order of `columns`."""
    return [_header_text(programme, key, lang) for key in columns(programme)]


def _header_text(programme: Programme, key: str, lang: str) -> str:
    if key in (*BASE_COLUMNS, ATTENDED):
        return t(lang, f"participant.{key}")
    if key.startswith(THEME):
        return programme.text(programme.themes[int(key[len(THEME) :])], lang)
    if key in (FORMAT, LOCATION, CAPACITY):
        return t(lang, f"applications.col.{key}")
    rules = _field_rules(programme)[key]
    labelled = next((r for r in rules if r.label is not None), rules[0])
    return _field_header(key, labelled, lang)


# ---------------------------------------------------------------------------
# The template


def _unique(values: Iterable[str | None]) -> list[str]:
    out: list[str] = []
    for value in values:
        if value and value.strip() and value.strip() not in out:
            out.append(value.strip())
    return out


def write_template(
    path: Path,
    programme: Programme,
    lang: str,
    organisation: str | None = None,
    participants: Sequence[Participant] = (),
) -> Path:
    """Write the participant list to fill in: headers, dropdowns, number checks."""
    workbook = template_book(programme, lang, organisation, participants)
    return write_atomic(path, lambda tmp: workbook.save(tmp))


def template_book(
    programme: Programme,
    lang: str,
    organisation: str | None = None,
    participants: Sequence[Participant] = (),
    title: str = "",
    instructions: str = "",
    attended: bool = True,
) -> Any:
    """The participant list as an openpyxl workbook. A `title` and `instructions` stand
    above the header row (the reader finds the header below them); without `attended`
    the column of sessions attended is left out (an application has none)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    keys = [key for key in columns(programme) if attended or key != ATTENDED]
    titles = {r.id: programme.text(r.title, lang) for r in programme.participant_roles()}
    role_titles = _unique(titles.values())
    organisations = _unique([organisation, *(p.organisation for p in participants)])
    formats = format_labels(lang)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = t(lang, "participant.sheet")
    header = [_header_text(programme, key, lang) for key in keys]
    letter = {key: get_column_letter(i) for i, key in enumerate(keys, start=1)}
    top = 1 + bool(title) + bool(instructions)  # the header row
    wrapped = Alignment(wrap_text=True, vertical="top")
    for col, text in enumerate(header, start=1):
        cell = sheet.cell(row=top, column=col)
        put(cell, text)
        cell.font = font(bold=True)
        cell.alignment = wrapped
    for row, person in enumerate(participants, start=top + 1):
        values = _row_values(person, titles, formats)
        for col, key in enumerate(keys, start=1):
            put(sheet.cell(row=row, column=col), values.get(key))
    widths: dict[str, float] = {}
    for key, text in zip(keys, header, strict=True):
        filled = [str(c.value) for c in sheet[letter[key]][top:] if c.value is not None]
        widths[key] = _width(key, text, filled + (role_titles if key == "role" else []))
        sheet.column_dimensions[letter[key]].width = widths[key]
    sheet.row_dimensions[top].height = max(
        row_height(text, widths[key], "bold") for key, text in zip(keys, header, strict=True)
    )
    if title:
        put(sheet["A1"], title)
        sheet["A1"].font = font(bold=True, size=14)
        sheet.row_dimensions[1].height = 22
    if instructions:
        _above(sheet, top - 1, instructions, [widths[key] for key in keys])

    # The dropdown values live on a hidden sheet: an inline list breaks on commas and
    # quotes in titles and is limited to 255 characters.
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    first_row, last_row = top + 1, max(TEMPLATE_ROWS, top + len(participants))

    def check(key: str, message: str, **rule: Any) -> None:
        validation = DataValidation(
            allow_blank=True,
            showErrorMessage=True,
            errorStyle=rule.pop("errorStyle", "stop"),
            errorTitle=header[keys.index(key)][:TITLE_MAX],
            error=message[:MESSAGE_MAX],
            **rule,
        )
        validation.add(f"{letter[key]}{first_row}:{letter[key]}{last_row}")
        sheet.add_data_validation(validation)

    if role_titles:
        source = list_source(lists, "A", role_titles)
        check("role", t(lang, "participant.choose_role"), type="list", formula1=source)
    if organisation:
        source = list_source(lists, "B", organisations)
        warn = t(lang, "participant.other_organisation")
        check("organisation", warn, type="list", formula1=source, errorStyle="warning")
    numbers = {*_field_rules(programme), ATTENDED}
    for key in keys:
        if key in numbers:
            check(
                key,
                t(lang, "participant.number"),
                type="decimal",
                operator="greaterThanOrEqual",
                formula1="0",
            )
    if programme.matching is not None:
        _application_checks(check, keys, lists, lang)

    last = letter[keys[-1]]
    sheet.freeze_panes = f"A{first_row}"
    sheet.auto_filter.ref = f"A{top}:{last}{max(first_row, top + len(participants))}"
    # Printed, the list fits one page wide, however many columns the programme needs.
    print_setup(sheet, f"A1:{last}{max(first_row, top + len(participants))}", f"{top}:{top}")
    return workbook


def _application_checks(check: Any, keys: list[str], lists: Any, lang: str) -> None:
    """Theme columns take an x (others are warned, as the reader takes yes and ✓ too),
    the format one of its labels, the capacity a whole number from 1 to the most."""
    tick = list_source(lists, "C", ["x"])
    for key in keys:
        if key.startswith(THEME):
            message = t(lang, "applications.tick")
            check(key, message, type="list", formula1=tick, errorStyle="warning")
    labels = list(format_labels(lang).values())
    choose = t(lang, "applications.choose_format", formats=", ".join(labels))
    check(FORMAT, choose, type="list", formula1=list_source(lists, "D", labels))
    check(
        CAPACITY,
        t(lang, "applications.capacity_check", most=MAX_CAPACITY),
        type="whole",
        operator="between",
        formula1="1",
        formula2=str(MAX_CAPACITY),
    )


def _row_values(
    person: Participant, titles: dict[str, str], formats: dict[str, str]
) -> dict[str, str | float | None]:
    """A participant's cells by column key, as the template shows them."""
    return {
        "name": person.name,
        "email": person.email,
        "organisation": person.organisation,
        "role": titles.get(person.role, person.role),
        **person.fields,
        **{f"{THEME}{i}": "x" for i in person.themes},
        FORMAT: formats.get(person.format) if person.format else None,
        LOCATION: person.location,
        CAPACITY: person.capacity,
    }


# A theme's column is narrow, its title wrapped over a few lines: five themes side by
# side must not push the rest of the list off the screen.
_THEME_WIDTH = 18
_HEADER_WIDTH = 24


def _width(key: str, header: str, values: list[str]) -> float:
    """A column wide enough for its header and values, within limits."""
    if key.startswith(THEME):
        return max(_THEME_WIDTH, max((len(word) for word in header.split()), default=0) + 2)
    # A long header wraps onto a second line rather than widening the column.
    width = max([min(len(header), _HEADER_WIDTH), *(len(text) for text in values)]) + 3
    return min(max(width, _MIN_WIDTH.get(key, 14)), 48)


def _above(sheet: Any, row: int, text: str, widths: list[float]) -> None:
    """`text` above the header, wrapped across the first columns (about a screen wide)."""
    from openpyxl.styles import Alignment

    span, room = 1, widths[0]
    while span < len(widths) and room < 120:
        room += widths[span]
        span += 1
    cell = sheet.cell(row=row, column=1)
    put(cell, text)
    cell.font = font(italic=True)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if span > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
    sheet.row_dimensions[row].height = row_height(text, room, "italic")


# ---------------------------------------------------------------------------
# Reading


def read_participants(
    path: Path, programme: Programme, display: str | None = None
) -> list[Participant]:
    """The participants in `path` (.xlsx, .xlsm or .csv); InputError lists every problem.

    `display` is how the file is named in messages (default: its name).
    """
    name = display or path.name
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        raise InputError(_wrong_kind(name, suffix))
    try:
        data = path.read_bytes()
    except PermissionError:
        raise FileBusyError(path) from None
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name} is a folder, not a participant list") from None
    except OSError as exc:
        raise InputError(f"{name} cannot be read: {exc.strerror}") from None
    if not data.strip():
        raise InputError(f"{name} is empty; {_needs_header(programme)}")
    rows = _csv_rows(data, name) if suffix == ".csv" else _xlsx_rows(data, name)
    return _participants(rows, programme, name)


def _wrong_kind(name: str, suffix: str) -> str:
    if suffix == ".xls":
        return f"{name} is an old Excel 97-2003 file; {_SAVE_AS}"
    if suffix == ".ods":
        return f"{name} is an OpenDocument spreadsheet; {_SAVE_AS}"
    if suffix == ".xlsb":
        return f"{name} is an Excel binary workbook; {_SAVE_AS}"
    kind = f"a {suffix} file" if suffix else "a file without an extension"
    return f"{name} is {kind}, not a participant list; the list is an .xlsx workbook or a .csv file ({_SAVE_AS})"


def _needed_headers(programme: Programme) -> str:
    """The columns a list is made of, in English, for messages (attendance comes later)."""
    pairs = zip(columns(programme), headers(programme, "en"), strict=True)
    return ", ".join(header for key, header in pairs if key != ATTENDED)


def _needs_header(programme: Programme) -> str:
    return (
        "it needs a header row naming the columns ("
        + _needed_headers(programme)
        + ") and one row per participant"
    )


Rows = list[tuple[int, list[Any]]]


def _xlsx_rows(data: bytes, name: str) -> Rows:
    """The rows of the first visible sheet, each with its row number."""
    from python_calamine import CalamineError, SheetTypeEnum, SheetVisibleEnum

    workbook = open_workbook(data, name, _SAVE_AS)
    try:
        sheets = [
            m.name
            for m in workbook.sheets_metadata
            if m.typ == SheetTypeEnum.WorkSheet and m.visible == SheetVisibleEnum.Visible
        ]
        if not sheets:
            raise InputError(f"{name} has no visible worksheet")
        values = workbook.get_sheet_by_name(sheets[0]).to_python(skip_empty_area=False)
    except CalamineError as exc:
        raise InputError(
            f"{name} cannot be read as an Excel workbook ({exc}); {_SAVE_AS}"
        ) from None
    return list(enumerate(values, start=1))


def _csv_rows(data: bytes, name: str) -> Rows:
    if data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        raise InputError(
            f"{name} is an Excel workbook, not CSV text; name it .xlsx, or in Excel "
            'save it as "CSV UTF-8 (Comma delimited) (*.csv)"'
        )
    text = _csv_text(data, name)
    lines = text.splitlines()
    # Excel reads (and some tools write) a first line "sep=;" naming the delimiter.
    directive = re.match(r"^sep=(.)$", lines[0].strip()) if lines else None
    if directive:
        delimiter = directive.group(1)
        text = text.split("\n", 1)[1] if "\n" in text else ""
    else:
        header = next((line for line in lines if line.strip()), "")
        delimiter = max((";", ",", "\t"), key=lambda d: _count_outside_quotes(header, d))
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"{name} is not a readable CSV file: {exc}") from None
    return list(enumerate(records, start=1))


# Control characters no spreadsheet writes into a CSV: a file that has them after
# decoding is not text in that encoding (tab, line feed and carriage return are text).
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _csv_text(data: bytes, name: str) -> str:
    """The text of a CSV file: UTF-8 with or without a byte-order mark ("CSV UTF-8"),
    else Windows-1252, which Nordic Excel writes for "CSV (semicolon delimited)"."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode Text": UTF-16 with its byte-order mark, unambiguous.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            pass
        else:
            if not _NOT_TEXT.search(text):
                return text
    else:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            utf8_error = exc
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            if not _NOT_TEXT.search(text):
                return text
        line = data[: utf8_error.start].count(b"\n") + 1
        raise InputError(
            f"{name} is neither UTF-8 nor Windows-1252 text (line {line}); in Excel, choose "
            'Save As and the type "CSV UTF-8 (Comma delimited) (*.csv)"'
        )
    raise InputError(
        f"{name} is not readable text; in Excel, choose Save As and the type "
        '"CSV UTF-8 (Comma delimited) (*.csv)"'
    )


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _header_names(programme: Programme) -> dict[str, str]:
    """Every header we recognise (normalised) and the column key it stands for."""
    names: dict[str, str] = {}
    for lang in LANGUAGES:
        for key in (*BASE_COLUMNS, ATTENDED):
            names.setdefault(_norm(t(lang, f"participant.{key}")), key)
    names.setdefault(ATTENDED, ATTENDED)
    for key, aliases in _ALIASES.items():
        names.setdefault(key, key)
        for alias in aliases:
            names.setdefault(_norm(alias), key)
    for key, rules in _field_rules(programme).items():
        names.setdefault(key, key)
        names.setdefault(key.replace("_", " "), key)
        for rule in rules:
            for lang in LANGUAGES:
                names.setdefault(_norm(_field_header(key, rule, lang)), key)
            if rule.label is not None:
                for text in (*rule.label.values.values(), rule.label.neutral):
                    if text:
                        names.setdefault(_norm(text), key)
    if programme.matching is not None:
        for text, key in _application_names(programme).items():
            names.setdefault(text, key)
    return names


def _application_names(programme: Programme) -> dict[str, str]:
    """The headers of the application columns: a theme by its title in any of the
    programme's languages; format, location and capacity in any of ours."""
    names: dict[str, str] = {}
    for i, theme in enumerate(programme.themes):
        for text in (*theme.values.values(), theme.neutral):
            if text:
                names.setdefault(_norm(text), f"{THEME}{i}")
    for key in (FORMAT, LOCATION, CAPACITY):
        names.setdefault(key, key)
        for lang in LANGUAGES:
            names.setdefault(_norm(t(lang, f"applications.col.{key}")), key)
    return names


def _format_names() -> dict[str, str]:
    """Every way of writing a format we take (normalised), and its id."""
    names = {key: key for key in FORMATS}
    for lang in LANGUAGES:
        for key, label in format_labels(lang).items():
            names.setdefault(_norm(label), key)
    for key, words in _FORMAT_WORDS.items():
        for word in words:
            names.setdefault(_norm(word), key)
    return names


def _text(value: Any) -> str:
    """A cell as text: '' for empty, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _column_name(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _header(rows: Rows, programme: Programme, name: str) -> tuple[int, dict[str, int], list[str]]:
    """The header row's number, the column index of each known key, and its texts."""
    filled = [(n, cells) for n, cells in rows if any(_text(c) for c in cells)]
    if not filled:
        raise InputError(f"{name} has no header row: it is empty; {_needs_header(programme)}")
    known = _header_names(programme)
    # A title row or two above the header is common; the header is the first row that
    # names a column we know (else the first row, to report what it lacks).
    number, cells = next(
        (
            (n, cells)
            for n, cells in filled[:_HEADER_SEARCH]
            if any(_norm(_text(c)) in known for c in cells)
        ),
        filled[0],
    )
    texts = [_text(c) for c in cells]
    found: dict[str, int] = {}
    problems = []
    for i, text in enumerate(texts):
        normal = _norm(text)
        key = known.get(normal)
        if key is None and (m := re.search(r"\(([a-z][a-z0-9_]*)\)$", normal)):
            key = m.group(1) if m.group(1) in _field_rules(programme) else None
        if key is None:
            continue
        if key in found:
            problems.append(
                f"{name}: row {number}: columns {_column_name(found[key])} and "
                f"{_column_name(i)} are both {key}; keep one"
            )
        else:
            found[key] = i
    required = ["name"]
    if len(programme.participant_roles()) > 1:
        required.append("role")
    missing = [key for key in required if key not in found]
    if missing:
        columns_found = ", ".join(repr(text) for text in texts if text) or "none"
        problems.append(
            f"{name}: row {number}: no {' or '.join(missing)} column; the columns found are "
            f"{columns_found}; the header row names the columns, e.g. " + _needed_headers(programme)
        )
    if problems:
        raise InputError("\n".join(problems))
    return number, found, texts


def _roles(programme: Programme) -> dict[str, Role]:
    """Role ids and titles in every language, normalised, for participant roles."""
    out: dict[str, Role] = {}
    for role in programme.participant_roles():
        out.setdefault(_norm(role.id), role)
    for role in programme.participant_roles():
        for text in (*role.title.values.values(), role.title.neutral):
            if text:
                out.setdefault(_norm(text), role)
    return out


def _role_list(programme: Programme) -> str:
    lang = programme.languages[0]
    return ", ".join(
        f"{r.id} ({programme.text(r.title, lang)})" for r in programme.participant_roles()
    )


def _number(value: Any, header: str) -> tuple[float | None, str | None]:
    """A cell's number, or the problem with it."""
    if isinstance(value, bool):
        return None, f"{header} must be a number, got {str(value).upper()}"
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, (date, datetime, time, timedelta)):
        if isinstance(value, datetime):
            shown = value.isoformat(" ", "minutes") if value.time() else value.date().isoformat()
        else:
            shown = str(value) if isinstance(value, timedelta) else value.isoformat()
        return None, (
            f"{header} must be a number, got the date {shown} (Excel turns 6.5 into a date "
            "in a Nordic locale; write 6,5, or format the column as Number)"
        )
    else:
        text = _text(value).replace("\u2212", "-")
        if not _NUMBER.match(text):
            return None, f"{header} must be a number (such as 6 or 6,5), got {text!r}"
        number = float(text.replace(",", "."))
    if number < 0:
        return None, f"{header} must be 0 or more, got {number:g}"
    return number, None


def _participants(rows: Rows, programme: Programme, name: str) -> list[Participant]:
    number, found, header_texts = _header(rows, programme, name)
    role_names = _roles(programme)
    facilitator_names = {
        _norm(text)
        for r in programme.roles
        if r.facilitator
        for text in (r.id, *r.title.values.values(), r.title.neutral)
        if text
    }
    participant_roles = programme.participant_roles()
    numbers = {*_field_rules(programme), ATTENDED}
    field_keys = [k for k in found if k in numbers]
    formats = _format_names()
    problems: list[str] = []
    people: list[Participant] = []
    seen: dict[tuple[str, ...], Participant] = {}

    for row, cells in rows:
        if row <= number or not any(_text(c) for c in cells):
            continue

        def cell(key: str, cells: list[Any] = cells) -> Any:
            i = found.get(key)
            return cells[i] if i is not None and i < len(cells) else None

        def report(message: str, row: int = row) -> None:
            problems.append(f"{name}: row {row}: {message}")

        before = len(problems)
        person_name = _text(cell("name"))
        email = _text(cell("email")) or None
        organisation = _text(cell("organisation")) or None
        if not person_name:
            report("the name is missing")
        if email is not None and not _EMAIL.match(email):
            report(f"invalid email {email!r}; write it as name@example.fi")
        role_text = _text(cell("role"))
        role: Role | None = None
        if role_text:
            role = role_names.get(_norm(role_text))
            if role is None and _norm(role_text) in facilitator_names:
                report(
                    f"{role_text!r} is a facilitator's role, not a participant's; "
                    f"the roles are {_role_list(programme)}"
                )
            elif role is None:
                hint = did_you_mean(_norm(role_text), list(role_names))
                report(f"unknown role {role_text!r}{hint}; the roles are {_role_list(programme)}")
        elif len(participant_roles) == 1:
            role = participant_roles[0]
        else:
            report(f"the role is missing; the roles are {_role_list(programme)}")
        values: dict[str, float] = {}
        for key in field_keys:
            raw = cell(key)
            if _text(raw) == "":
                continue  # not known yet: matching reports who lacks what it needs
            value, problem = _number(raw, header_texts[found[key]])
            if problem:
                report(problem)
            elif value is not None:
                values[key] = value
        application = _Application(cell, found, header_texts, report)
        themes = application.themes()
        preferred = application.format(formats)
        capacity = application.capacity(role)
        if len(problems) > before or role is None:
            continue
        person = Participant(
            person_name,
            email,
            organisation,
            role.id,
            values,
            row,
            themes=themes,
            format=preferred,
            location=_text(cell(LOCATION)) or None,
            capacity=capacity,
        )
        duplicate_keys = (
            [("email", email.casefold())]
            if email
            else [("name", _norm(person_name), _norm(organisation or ""))]
        )
        for dup_key in duplicate_keys:
            other = seen.get(dup_key)
            if other is not None:
                what = person_name if _norm(other.name) == _norm(person_name) else email
                report(f"{what!r} appears twice (also row {other.row})")
                break
            seen[dup_key] = person
        else:
            people.append(person)
    if problems:
        raise InputError("\n".join(problems))
    return people


class _Application:
    """The application cells of one row: themes, format and capacity, each problem
    reported with the column's header as the file has it."""

    def __init__(
        self,
        cell: Callable[[str], Any],
        found: dict[str, int],
        header_texts: list[str],
        report: Callable[[str], None],
    ) -> None:
        self.cell, self.found, self.report = cell, found, report
        self.header_texts = header_texts

    def header(self, key: str) -> str:
        return self.header_texts[self.found[key]]

    def themes(self) -> tuple[int, ...]:
        ticked = []
        for key in sorted(k for k in self.found if k.startswith(THEME)):
            raw = self.cell(key)
            if isinstance(raw, bool):
                yes: bool | None = raw
            elif isinstance(raw, (int, float)):
                yes = True if raw == 1 else False if raw == 0 else None
            else:
                text = _norm(_text(raw))
                yes = (
                    True if text in _TICKED else False if text in _NOT_TICKED or not text else None
                )
            if yes is None:
                self.report(
                    f"column {self.header(key)!r}: tick the theme with x or leave the cell "
                    f"blank, got {_text(raw)!r}"
                )
            elif yes:
                ticked.append(int(key[len(THEME) :]))
        return tuple(sorted(ticked))

    def format(self, names: dict[str, str]) -> str | None:
        text = _text(self.cell(FORMAT))
        if not text:
            return None
        found = names.get(_norm(text))
        if found is None:
            labels = ", ".join(format_labels("en").values())
            self.report(
                f"column {self.header(FORMAT)!r}: unknown format {text!r}; "
                f"write {labels} (or the word in Finnish, Swedish or Norwegian)"
            )
        return found

    def capacity(self, role: Role | None) -> int | None:
        raw = self.cell(CAPACITY)
        if _text(raw) == "":
            return None
        header = self.header(CAPACITY)
        if role is not None and role.id != MENTOR:
            self.report(f"column {header!r}: the capacity is for mentors; leave it blank")
            return None
        value, problem = _number(raw, f"column {header!r}")
        if (
            problem is None
            and value is not None
            and (not value.is_integer() or not 1 <= value <= MAX_CAPACITY)
        ):
            problem = f"column {header!r}: a mentor takes 1 to {MAX_CAPACITY} adepts, got {value:g}"
        if problem is not None:
            self.report(problem)
            return None
        return int(value) if value is not None else None
