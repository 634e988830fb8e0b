"""Writing Excel cells and sheets the way facilitate does it: formula-safe text, dropdown
lists kept on a hidden sheet, and a print set-up that fits the page width.

Shared by the participant list template (`participants`) and the answer sheets
(`sheets`); openpyxl is imported only inside the functions that need it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet
    from python_calamine import CalamineWorkbook

# Excel declares a workbook corrupt when a validation message's title is longer.
TITLE_MAX = 32
# Excel's limit for the text of a validation message.
MESSAGE_MAX = 255
# The hidden sheet holding the values of dropdown lists.
LISTS_SHEET = "lists"
# A value Excel would take for a formula (or DDE) if it were typed into a cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Page margins in inches: narrower than Excel's, so a form keeps a readable size.
MARGINS = {"left": 0.6, "right": 0.6, "top": 0.7, "bottom": 0.8, "header": 0.3, "footer": 0.4}


def font(**style: object) -> Font:
    """The workbook's font (Calibri 11) with `style` (bold=True, size=14...). A font
    written without a name and size is shown in the reader's default font: a serif
    one in LibreOffice."""
    from openpyxl.styles import Font

    return Font(**{"name": "Calibri", "size": 11, "family": 2, **style})


def clean(text: str) -> str:
    """`text` without the control characters an xlsx file cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


def put(cell: Cell, value: str | float | None) -> None:
    """Write a value; text that Excel would run as a formula is stored as plain text."""
    if isinstance(value, str):
        value = clean(value)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        # openpyxl takes a leading '=' for a formula; the quote prefix keeps Excel from
        # turning the text into one when the cell is edited.
        cell.data_type = "s"
        cell.quotePrefix = True


def list_source(lists: Worksheet, column: str, values: list[str]) -> str:
    """Write `values` down `column` of the hidden lists sheet; the reference a list
    validation takes. An inline list would break on commas and quotes in the values and
    is limited to 255 characters."""
    from openpyxl.utils import quote_sheetname

    for row, value in enumerate(values, start=1):
        put(lists[f"{column}{row}"], value)
    return f"{quote_sheetname(lists.title)}!${column}$1:${column}${max(1, len(values))}"


def print_setup(
    sheet: Worksheet, area: str, title_rows: str | None = None, landscape: bool = True
) -> None:
    """Print `area` on A4, one page wide however many columns it has, repeating
    `title_rows` ("5:6") at the top of every page."""
    from openpyxl.worksheet.page import PageMargins

    sheet.print_area = area
    sheet.page_margins = PageMargins(**MARGINS)
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


# ---------------------------------------------------------------------------
# Reading. python-calamine reads the values Excel or LibreOffice saved with the file;
# it never evaluates a formula, and nothing in a workbook is run.

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003, or a password-protected (encrypted) workbook


def looks_like_text(data: bytes) -> bool:
    """Whether `data` starts as UTF-8 text (a .csv or .txt renamed .xlsx)."""
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > 4090  # a character cut in two at the end of the sample
    return True


def open_workbook(data: bytes, name: str, save_as: str) -> CalamineWorkbook:
    """The workbook in `data`, to read with python-calamine; an InputError in one
    sentence for a file that is not one: empty, an old .xls or a password-protected
    workbook, text renamed .xlsx, a damaged file. `save_as` ends the message with what
    to do ("save it as .xlsx (Excel Workbook)")."""
    import io

    from python_calamine import CalamineError, CalamineWorkbook

    from .errors import InputError

    if not data:
        raise InputError(f"{name} is empty (0 bytes); {save_as}")
    if data.startswith(OLE_MAGIC):
        raise InputError(
            f"{name} is not an .xlsx workbook: it is an old Excel 97-2003 file or a "
            f"password-protected workbook; remove the password and {save_as}"
        )
    if not data.startswith(ZIP_MAGIC):
        hint = " (it is text: a renamed .csv or .txt?)" if looks_like_text(data) else ""
        raise InputError(f"{name} is not an Excel workbook{hint}; {save_as}")
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except CalamineError as exc:
        raise InputError(f"{name} cannot be read as an Excel workbook ({exc}); {save_as}") from None


def open_workbook_file(path: Path, name: str, save_as: str) -> CalamineWorkbook:
    """The workbook at `path`, read by python-calamine itself (the quick way); only when
    that fails are the file's bytes looked at, to say in one sentence what it is instead
    (see `open_workbook`). OSError if the file cannot be read at all."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except CalamineError:
        pass
    # Not an .xlsx by its name or its content, or damaged: the bytes tell which.
    return open_workbook(path.read_bytes(), name, save_as)
