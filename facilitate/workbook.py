"""Writing Excel cells and sheets the way facilitate does it: formula-safe text, dropdown
lists kept on a hidden sheet, and a print set-up that fits the page width.

Shared by the participant list template (`participants`) and the answer sheets
(`sheets`); openpyxl is imported only inside the functions that need it.
"""

from __future__ import annotations

import os
import re
import struct
import zlib
from typing import TYPE_CHECKING, NamedTuple

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


# Characters of Calibri 11 per unit of column width, and points per line: Excel does not
# grow a row for text a program wrote, so every workbook sizes its rows from these.
PER_UNIT = {"plain": 1.25, "italic": 1.25, "bold": 1.15}
LINE = 15.0


def row_height(text: str, width: float, style: str = "plain") -> float:
    """A row height (points) that shows `text` wrapped in a column `width` wide: Excel
    does not grow a row to fit text a program wrote, nor a merged cell at all."""
    per_line = max(1, int((width - 1) * PER_UNIT[style]))
    lines = 0
    for part in text.split("\n"):
        count, length = 1, 0
        for word in part.split():
            while len(word) > per_line:  # a word longer than the column is broken
                count += 1 if length else 0
                word, length = word[per_line:], per_line
            if length and length + 1 + len(word) > per_line:
                count += 1
                length = len(word)
            else:
                length += len(word) + (1 if length else 0)
        lines += count
    return lines * LINE + 4


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

# Limits of what facilitate reads from an .xlsx or .docx (a zip of XML parts), checked in
# the zip's directory before any part is unpacked: a file of a few kilobytes can unpack
# to gigabytes (a zip bomb). A participant list or a filled sheet is a few dozen kB, a
# Word template with logos a few MB.
MAX_FILE_BYTES = 20_000_000
MAX_UNPACKED_BYTES = 200_000_000
MAX_ENTRIES = 5_000  # parts in the zip; a workbook has a dozen or two
# The most a part larger than RATIO_FROM may shrink when packed. Spreadsheet XML packs
# ten to fifty times; a stream of zeros packs a thousand times.
MAX_RATIO = 200
RATIO_FROM = 1_000_000
# How much of an XML part is read to find where its first element starts.
PROLOG_BYTES = 65_536


def megabytes(size: int) -> str:
    """`size` bytes for a message: "4.2 GB", "25 MB", "0.3 MB"."""
    if size >= 1_000_000_000:
        return f"{size / 1_000_000_000:.1f} GB"
    return f"{size / 1_000_000:.0f} MB" if size >= 10_000_000 else f"{size / 1_000_000:.1f} MB"


# The parts python-calamine parses in an .xlsx: the workbook, its relationships, shared
# strings, styles, sheets and tables all live under xl/. The package's own parts
# ([Content_Types].xml, _rels/.rels, docProps/) are never parsed by it.
WORKBOOK_PARTS = ("xl/",)


def check_archive(
    source: Path | bytes,
    name: str,
    advice: str,
    kind: str = "an Excel workbook",
    parsed: tuple[str, ...] = ("",),
) -> None:
    """Refuse, in one sentence naming `name`, a zip (.xlsx, .docx) that is larger than
    facilitate reads, unpacks to more, or has an XML part declaring a DOCTYPE (where
    entity bombs live; Office never writes one). Only the zip's directory and the start
    of each XML part whose name starts with one of `parsed` (every part, by default)
    are read. A file that is not a zip is left to the reader, which says what it is
    instead; a damaged zip cannot be read as `kind`, and `advice` says what to do."""
    import zipfile

    from .errors import InputError

    data = source if isinstance(source, bytes) else read_limited(source, name)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(_too_large(name, len(data)))
    if not data.startswith(ZIP_MAGIC):
        return
    parts = _directory(data)
    if parts is None:
        return  # no zip directory to check: the reader refuses the file, in its words
    try:
        _check_sizes(parts, name)
        view = memoryview(data)
        for part in parts:
            # As a reader would look the part up: a / or \\ in front, any case.
            lookup = part.filename.replace("\\", "/").lstrip("/").lower()
            if lookup.startswith(parsed) and lookup.endswith((".xml", ".rels", ".vml")):
                _check_prolog(view, part, name)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, struct.error) as exc:
        raise InputError(f"{name} cannot be read as {kind} ({exc}); {advice}") from None


class _Part(NamedTuple):
    """A part as the zip's central directory describes it (the fields of a ZipInfo)."""

    filename: str
    compress_type: int
    compress_size: int
    file_size: int
    header_offset: int


_END = struct.Struct("<4s4xHHII")  # end of central directory: signature, counts, size, offset
_ENTRY = struct.Struct("<4s6xH8xIIHHH8xI")  # central directory entry


def _directory(data: bytes) -> list[_Part] | None:
    """The parts of the zip in `data`, read from its central directory with `struct`
    (several times quicker than zipfile for a small workbook); zipfile reads the unusual
    ones (zip64, a comment at the end). None when there is no directory at all."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65_535))
    if end < 0 or end + 22 != len(data):
        return _zipfile_directory(data)
    _, _, count, _, position = _END.unpack_from(data, end)
    parts = []
    try:
        for _ in range(count):
            signature, method, packed, unpacked, name_len, extra_len, comment_len, header = (
                _ENTRY.unpack_from(data, position)
            )
            if signature != b"PK\x01\x02" or 0xFFFFFFFF in (packed, unpacked, header):
                return _zipfile_directory(data)
            start = position + _ENTRY.size
            filename = data[start : start + name_len].decode("utf-8", errors="replace")
            parts.append(_Part(filename, method, packed, unpacked, header))
            position = start + name_len + extra_len + comment_len
    except struct.error:
        return _zipfile_directory(data)
    return parts


def _zipfile_directory(data: bytes) -> list[_Part] | None:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [
                _Part(i.filename, i.compress_type, i.compress_size, i.file_size, i.header_offset)
                for i in archive.infolist()
            ]
    except (zipfile.BadZipFile, ValueError, struct.error):
        return None


def _too_large(name: str, size: int) -> str:
    return (
        f"{name} is {megabytes(size)}, more than the {megabytes(MAX_FILE_BYTES)} "
        "facilitate reads; is it the right file?"
    )


def _check_sizes(infos: list[_Part], name: str) -> None:
    """The zip's own account of its parts, against the limits."""
    from .errors import InputError

    if len(infos) > MAX_ENTRIES:
        raise InputError(
            f"{name} holds {len(infos):,} parts, more than the {MAX_ENTRIES:,} facilitate "
            "reads; is it the right file?"
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(
            f"{name} unpacks to {megabytes(unpacked)}, more than the "
            f"{megabytes(MAX_UNPACKED_BYTES)} facilitate reads; is it the right file?"
        )
    for info in infos:
        # Packing never grows data by more than a little; a part whose packed data is
        # larger than its stated size hides more than it says.
        lying = info.compress_size > info.file_size + info.file_size // 100 + 1024
        packed = info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * info.compress_size
        if lying or packed:
            raise InputError(
                f"{name} has a part ({info.filename}) packed in a way no Excel or Word "
                "file is (a zip bomb?); facilitate does not read it"
            )


_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*", re.DOTALL)


_STORED, _DEFLATED = 0, 8  # zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED


def _packed(data: memoryview, info: _Part, size: int) -> memoryview:
    """The packed bytes that hold the first `size` unpacked bytes of a part, found
    straight from its local header: a thousand workbooks of a dozen parts each are
    checked in a blink."""
    offset = info.header_offset
    if data[offset : offset + 4] != b"PK\x03\x04":
        import zipfile

        raise zipfile.BadZipFile(f"no local header for {info.filename}")
    name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
    start = offset + 30 + name_length + extra_length
    # Deflate never packs `size` bytes into more than about `size` bytes.
    return data[start : start + min(info.compress_size, size + 1024)]


def _unpacked(packed: memoryview, info: _Part, size: int) -> bytes:
    if info.compress_type == _STORED:
        return bytes(packed[:size])
    if info.compress_type == _DEFLATED:
        return zlib.decompressobj(-15).decompress(packed, size)
    raise NotImplementedError(f"{info.filename} is packed with method {info.compress_type}")


# Parts whose first 256 unpacked bytes were found clean, by their packed bytes: the
# sheets of one `facilitate sheets` run share their styles, theme and workbook parts,
# so a collect of a thousand unpacks each of those once. The verdict depends on those
# bytes alone, so the same bytes in another file get the same verdict.
_CLEAN: set[tuple[int, bytes]] = set()
_CLEAN_MAX = 4_096


def _check_prolog(data: memoryview, info: _Part, name: str) -> None:
    """Refuse an XML part whose prolog declares a DOCTYPE: entities (a billion laughs)
    are declared there, and the Office formats forbid it. The first 256 bytes hold the
    prolog of any part Office writes; a longer one (comments) is read up to 64 KB, and
    one longer still is refused."""
    packed = _packed(data, info, 256)
    key = (info.compress_type, packed.tobytes())
    if key in _CLEAN:
        return
    head = _unpacked(packed, info, 256)
    rest = _after_prolog(head)
    if not rest and info.file_size > len(head):
        head = _unpacked(_packed(data, info, PROLOG_BYTES), info, PROLOG_BYTES)
        rest = _after_prolog(head)
        if not rest and info.file_size > len(head):
            from .errors import InputError

            raise InputError(
                f"{name} has a part ({info.filename}) whose opening runs past 64 KB, which "
                "Excel and Word never write; facilitate does not read it"
            )
        key = (-1, b"")  # decided by more than the first 256 bytes: not remembered
    if rest.startswith(b"<!") or b"<!ENTITY" in rest[:1024]:
        from .errors import InputError

        raise InputError(
            f"{name} has a part ({info.filename}) that declares a DOCTYPE or XML entities, "
            "which Excel and Word never write (an XML bomb?); facilitate does not read it"
        )
    if key[0] >= 0:
        if len(_CLEAN) >= _CLEAN_MAX:
            _CLEAN.clear()
        _CLEAN.add(key)


_WIDE = {b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16", b"<\x00": "utf-16-le", b"\x00<": "utf-16-be"}


def _after_prolog(head: bytes) -> bytes:
    """What follows the XML declaration, comments and spaces at the start of a part
    (as UTF-8); empty when they fill all of `head`."""
    if head[:2] in _WIDE:
        head = head.decode(_WIDE[head[:2]], errors="ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf")
    rest = head[_PROLOG.match(head).end() :]  # type: ignore[union-attr]
    cut_short = (rest.startswith(b"<!--") and b"-->" not in rest) or (
        rest.startswith(b"<?") and b"?>" not in rest
    )
    return b"" if cut_short else rest  # a comment that goes on past `head`


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
    check_archive(data, name, save_as, parsed=WORKBOOK_PARTS)
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except CalamineError as exc:
        raise InputError(f"{name} cannot be read as an Excel workbook ({exc}); {save_as}") from None


def read_limited(path: Path, name: str) -> bytes:
    """The bytes of the file at `path`, read once; a file larger than facilitate reads is
    refused (InputError naming `name`) before it is read. OSError if it cannot be read."""
    from .errors import InputError

    with path.open("rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise InputError(_too_large(name, size))
        return file.read()


def open_workbook_file(path: Path, name: str, save_as: str) -> CalamineWorkbook:
    """The workbook at `path` (see `open_workbook`): read once, checked against the
    limits, handed to python-calamine as bytes (quicker than letting it open the file)."""
    return open_workbook(read_limited(path, name), name, save_as)
