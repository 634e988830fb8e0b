"""The participant list of a cohort: its Excel template, and reading it back (xlsx or csv).

The list is what a coordinator keeps in Excel: one row per participant with name, email,
organisation, role and the numbers the programme's eligibility rules need. Reading is
strict but forgiving about form: headers in any of our languages, roles by id or title,
`6,5` with a decimal comma. Every problem is reported with its row as Excel shows it,
all at once; nothing is skipped silently except blank rows.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from .errors import FileBusyError, InputError
from .i18n import LANGUAGES, t
from .output import write_atomic
from .programme import Programme, Role, Rule, did_you_mean
from .workbook import LISTS_SHEET, TITLE_MAX, font, list_source, print_setup, put

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
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # Excel 97-2003, or a password-protected workbook
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
    and the sessions each person attended (filled in as the programme runs)."""
    keys = list(BASE_COLUMNS)
    for rule in programme.eligibility:
        if rule.field is not None and rule.field not in keys:
            keys.append(rule.field)
    keys.append(ATTENDED)
    return keys


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
    rules = _field_rules(programme)
    out = []
    for key in columns(programme):
        if key in (*BASE_COLUMNS, ATTENDED):
            out.append(t(lang, f"participant.{key}"))
        else:
            labelled = next((r for r in rules[key] if r.label is not None), rules[key][0])
            out.append(_field_header(key, labelled, lang))
    return out


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
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    keys = columns(programme)
    titles = {r.id: programme.text(r.title, lang) for r in programme.participant_roles()}
    role_titles = _unique(titles.values())
    organisations = _unique([organisation, *(p.organisation for p in participants)])

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = t(lang, "participant.sheet")
    header = headers(programme, lang)
    for col, text in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=col)
        put(cell, text)
        cell.font = font(bold=True)
    for row, person in enumerate(participants, start=2):
        values: dict[str, str | float | None] = {
            "name": person.name,
            "email": person.email,
            "organisation": person.organisation,
            "role": titles.get(person.role, person.role),
            **person.fields,
        }
        for col, key in enumerate(keys, start=1):
            put(sheet.cell(row=row, column=col), values.get(key))

    # The dropdown values live on a hidden sheet: an inline list breaks on commas and
    # quotes in titles and is limited to 255 characters.
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    last_row = max(TEMPLATE_ROWS, len(participants) + 1)
    letter = {key: get_column_letter(i) for i, key in enumerate(keys, start=1)}

    def dropdown(values: list[str], list_col: str, key: str, warn: bool, message: str) -> None:
        check = DataValidation(
            type="list",
            formula1=list_source(lists, list_col, values),
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning" if warn else "stop",
            errorTitle=header[keys.index(key)][:TITLE_MAX],
            error=message,
        )
        check.add(f"{letter[key]}2:{letter[key]}{last_row}")
        sheet.add_data_validation(check)

    if role_titles:
        dropdown(role_titles, "A", "role", False, t(lang, "participant.choose_role"))
    if organisation:
        dropdown(
            organisations, "B", "organisation", True, t(lang, "participant.other_organisation")
        )
    for key in keys[len(BASE_COLUMNS) :]:
        check = DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=header[keys.index(key)][:TITLE_MAX],
            error=t(lang, "participant.number"),
        )
        check.add(f"{letter[key]}2:{letter[key]}{last_row}")
        sheet.add_data_validation(check)

    for col, key in enumerate(keys, start=1):
        cells = [header[col - 1], *(str(c.value) for c in sheet[letter[key]][1:] if c.value)]
        if key == "role":
            cells += role_titles
        width = max(len(text) for text in cells) + 3
        sheet.column_dimensions[letter[key]].width = min(max(width, _MIN_WIDTH.get(key, 14)), 48)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{letter[keys[-1]]}{max(2, len(participants) + 1)}"
    # Printed, the list fits one page wide, however many columns the programme needs.
    print_setup(sheet, f"A1:{letter[keys[-1]]}{max(2, len(participants) + 1)}", "1:1")
    return write_atomic(path, lambda tmp: workbook.save(tmp))


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
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    if data.startswith(_OLE):
        raise InputError(
            f"{name} is not an .xlsx workbook: it is an old Excel 97-2003 file or a "
            f"password-protected workbook; remove the password and {_SAVE_AS}"
        )
    if not data.startswith(_ZIP):
        hint = " (it is text: a renamed .csv or .txt?)" if _looks_like_text(data) else ""
        raise InputError(f"{name} is not an Excel workbook{hint}; {_SAVE_AS}")
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
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


def _looks_like_text(data: bytes) -> bool:
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _csv_rows(data: bytes, name: str) -> Rows:
    if data.startswith((_ZIP, _OLE)):
        raise InputError(
            f"{name} is an Excel workbook, not CSV text; name it .xlsx, or in Excel "
            'save it as "CSV UTF-8 (Comma delimited) (*.csv)"'
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{name} is not UTF-8 text (line {line}); in Excel, choose Save As and the type "
            '"CSV UTF-8 (Comma delimited) (*.csv)"'
        ) from None
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
    field_keys = [k for k in found if k not in BASE_COLUMNS]
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
        if len(problems) > before or role is None:
            continue
        person = Participant(person_name, email, organisation, role.id, values, row)
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
