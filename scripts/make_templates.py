"""Builds the shipped Word templates in templates/ with python-docx, so that they are reproducible.

    python scripts/make_templates.py            # writes templates/*.docx
    python scripts/make_templates.py --out DIR

The look is defined once (`Look`, `base_document`): A4, Calibri, one accent colour for the
title, headings and the table header, and one table style, "Facilitate Table", that every
table uses. Everything else is real Word styles, so that a facilitator restyles all
documents by editing a style (see docs/branding.md). The variables the tags use are the
ones in docs/template-variables.md; the tags are written as docxtpl wants them:
`{{ }}` inside a run, `{%p %}` and `{%tr %}` alone in their own paragraph or table row.
"""

from __future__ import annotations

import argparse
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import CharacterStyle, ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph

REPO = Path(__file__).resolve().parent.parent
TABLE_STYLE = "Facilitate Table"


@dataclass(frozen=True)
class Look:
    """The few choices the whole set shares."""

    font: str = "Calibri"  # LibreOffice substitutes the metric-compatible Carlito
    text: str = "262626"  # near-black body text
    accent: str = "1B4F72"  # title, headings, table header, bullets
    muted: str = "5D6D7E"  # subtitles, details labels, footer
    rule: str = "B8C4CE"  # table borders, footer rule
    writing: str = "98A5B3"  # lines to write on: light, but still there when printed
    band: str = "EEF3F7"  # every second table row
    margin_cm: float = 2.0


LOOK = Look()
A4 = (Cm(21.0), Cm(29.7))
# Where the schema puts the elements we add (Word asks to repair a file whose elements
# are out of order): what may follow w:pBdr in w:pPr, and w:pgBorders in w:sectPr.
AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
AFTER_PGBORDERS = (
    "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt", "w:vAlign", "w:noEndnote",
    "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid",
    "w:printerSettings", "w:sectPrChange",
)  # fmt: skip
# Width between the margins, in twentieths of a point (Word's "dxa").
PORTRAIT_WIDTH = round((21.0 - 2 * LOOK.margin_cm) / 2.54 * 1440)
LANDSCAPE_WIDTH = round((29.7 - 2 * LOOK.margin_cm) / 2.54 * 1440)


# --- the shared base: page, styles, header and footer ------------------------------------


def base_document(*, landscape: bool = False, page_numbers: bool = True) -> DocumentObject:
    """python-docx's default document with our page, styles and footer."""
    doc = Document()
    _page(doc, landscape)
    _fonts_and_defaults(doc)
    _paragraph_styles(doc)
    _character_styles(doc)
    _bullets(doc)
    _table_style(doc)
    _header_footer(doc, landscape, page_numbers)
    _properties(doc)
    # python-docx's default document starts with one empty paragraph; drop it.
    body = doc.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    return doc


def _page(doc: DocumentObject, landscape: bool) -> None:
    section = doc.sections[0]
    width, height = A4
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(LOOK.margin_cm))
    section.header_distance = Cm(1.0)
    section.footer_distance = Cm(1.0)


def _strip_theme_fonts(element: BaseOxmlElement) -> None:
    """Theme font attributes win over named fonts in Word; remove them so Calibri holds."""
    for rfonts in element.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)


def _fonts_and_defaults(doc: DocumentObject) -> None:
    styles = doc.styles.element
    _strip_theme_fonts(styles)
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), LOOK.font)
    # No proofing language: Word then checks spelling in the writer's own language
    # instead of marking every Finnish or Swedish word as misspelt English.
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        rpr.remove(lang)
    # Size and colour live in the defaults too, not in Normal: a table style's header
    # colour (white on the accent) would lose to a colour set in Normal.
    for size in ("w:sz", "w:szCs"):
        rpr.find(qn(size)).set(qn("w:val"), "21")
    rpr.insert(
        rpr.index(rpr.find(qn("w:sz"))), parse_xml(f'<w:color {nsdecls("w")} w:val="{LOOK.text}"/>')
    )
    # Paragraph spacing lives in the defaults, not in Normal, so that the table style's
    # tighter spacing applies inside tables (Word lets Normal's spacing beat the table's).
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    spacing.set(qn("w:after"), "120")
    spacing.set(qn("w:line"), "264")
    doc.styles["Normal"].font.name = LOOK.font


def _set_font(
    style: CharacterStyle, *, size: float, bold: bool, color: str, italic: bool = False
) -> None:
    style.font.name = LOOK.font
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    color_el = style.element.get_or_add_rPr().find(qn("w:color"))
    if color_el is not None:  # drop the theme colour, which would win over ours
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            color_el.attrib.pop(qn(attr), None)
    style.font.color.rgb = RGBColor.from_string(color)


def _border(style: ParagraphStyle, side: str, *, sz: int, space: int, color: str) -> None:
    """A line above or below every paragraph of `style`, placed where the schema wants
    w:pBdr (Word asks to repair a file whose elements are out of order)."""
    ppr = style.element.get_or_add_pPr()
    ppr.insert_element_before(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:{side} w:val="single" w:sz="{sz}" w:space="{space}" '
            f'w:color="{color}"/></w:pBdr>'
        ),
        *AFTER_PBDR,
    )


def _paragraph_styles(doc: DocumentObject) -> None:
    styles = doc.styles

    title = styles["Title"]
    _set_font(title, size=24, bold=True, color=LOOK.accent)
    title_rpr = title.element.get_or_add_rPr()
    for name in ("w:spacing", "w:kern"):
        el = title_rpr.find(qn(name))
        if el is not None:
            title_rpr.remove(el)
    title.paragraph_format.space_before = Pt(0)
    title.paragraph_format.space_after = Pt(4)
    title.paragraph_format.keep_with_next = True
    border = title.element.pPr.find(qn("w:pBdr"))
    if border is not None:
        title.element.pPr.remove(border)

    subtitle = styles["Subtitle"]
    _set_font(subtitle, size=12, bold=False, color=LOOK.muted)
    sub_ppr = subtitle.element.get_or_add_pPr()
    for el in list(sub_ppr):  # the default Subtitle is numbered (numPr); ours is not
        sub_ppr.remove(el)
    sub_rpr = subtitle.element.get_or_add_rPr()
    for name in ("w:spacing", "w:iCs"):
        el = sub_rpr.find(qn(name))
        if el is not None:
            sub_rpr.remove(el)
    subtitle.paragraph_format.space_after = Pt(14)
    # A rule under the title block separates it from the text.
    _border(subtitle, "bottom", sz=8, space=8, color=LOOK.accent)
    subtitle.paragraph_format.keep_with_next = True

    for level, size, before, after, color in (
        (1, 15, 18, 6, LOOK.accent),
        (2, 12.5, 12, 4, LOOK.accent),
        (3, 11, 10, 3, LOOK.text),
    ):
        heading = styles[f"Heading {level}"]
        _set_font(heading, size=size, bold=True, color=color)
        heading.paragraph_format.space_before = Pt(before)
        heading.paragraph_format.space_after = Pt(after)
        heading.paragraph_format.keep_with_next = True
        _set_font(styles[f"Heading {level} Char"], size=size, bold=True, color=color)
    _set_font(styles["Title Char"], size=24, bold=True, color=LOOK.accent)
    _set_font(styles["Subtitle Char"], size=12, bold=False, color=LOOK.muted)

    for name in ("List Bullet", "List Number"):
        styles[name].paragraph_format.space_after = Pt(3)

    styles["List Continue"].paragraph_format.space_after = Pt(3)

    # "Label  value" lines under the title: date, time, place.
    details = styles.add_style("Details", WD_STYLE_TYPE.PARAGRAPH)
    details.base_style = styles["Normal"]
    details.paragraph_format.space_after = Pt(2)
    details.paragraph_format.tab_stops.add_tab_stop(Cm(3.5))
    details.paragraph_format.left_indent = Cm(3.5)
    details.paragraph_format.first_line_indent = Cm(-3.5)

    # Lines to write on: a tab to the right margin drawn as a line (its leader).
    writing = styles.add_style("Writing Line", WD_STYLE_TYPE.PARAGRAPH)
    writing.base_style = styles["Normal"]
    writing.font.color.rgb = RGBColor.from_string(LOOK.writing)
    # Spacing before, not an exact line height: LibreOffice ignores the line height of a
    # paragraph that holds only a tab.
    writing.paragraph_format.space_before = Pt(14)
    writing.paragraph_format.space_after = Pt(0)
    writing.paragraph_format.line_spacing = 1.0
    writing.paragraph_format.tab_stops.add_tab_stop(
        PORTRAIT_WIDTH * 635, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.LINES
    )

    # The certificate's own large, centred text; its title follows Title's font and colour.
    cert_title = styles.add_style("Certificate Title", WD_STYLE_TYPE.PARAGRAPH)
    cert_title.base_style = title
    cert_title.font.size = Pt(32)
    cert_title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cert_title.paragraph_format.space_before = Pt(6)
    cert_title.paragraph_format.space_after = Pt(10)

    name = styles.add_style("Certificate Name", WD_STYLE_TYPE.PARAGRAPH)
    name.base_style = styles["Normal"]
    name.next_paragraph_style = styles["Normal"]
    _set_font(name, size=26, bold=True, color=LOOK.text)
    name.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    name.paragraph_format.space_before = Pt(10)
    name.paragraph_format.space_after = Pt(4)

    text = styles.add_style("Certificate Text", WD_STYLE_TYPE.PARAGRAPH)
    text.base_style = styles["Normal"]
    text.font.size = Pt(13)
    text.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    text.paragraph_format.space_after = Pt(6)

    # One signature, centred: the line is the paragraph's top border, the name under it.
    signature = styles.add_style("Signature", WD_STYLE_TYPE.PARAGRAPH)
    signature.base_style = styles["Normal"]
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    signature.paragraph_format.space_before = Pt(36)
    signature.paragraph_format.space_after = Pt(0)
    signature.paragraph_format.left_indent = Cm(4.5)
    signature.paragraph_format.right_indent = Cm(4.5)
    signature.paragraph_format.keep_with_next = True
    _border(signature, "top", sz=6, space=4, color=LOOK.text)
    # Two or more signatures, two side by side: each line is a tab to its start and a tab
    # drawn as a line (its leader) to its end; the names are centred under the lines.
    start, length, gap = 1.0, 6.5, 2.0  # cm
    lines = styles.add_style("Signature Lines", WD_STYLE_TYPE.PARAGRAPH)
    lines.base_style = styles["Normal"]
    lines.paragraph_format.space_before = Pt(32)
    lines.paragraph_format.space_after = Pt(2)
    lines.paragraph_format.keep_with_next = True
    names = styles.add_style("Signature Names", WD_STYLE_TYPE.PARAGRAPH)
    names.base_style = styles["Normal"]
    names.paragraph_format.space_after = Pt(0)
    for left in (start, start + length + gap):
        stops = lines.paragraph_format.tab_stops
        stops.add_tab_stop(Cm(left), WD_TAB_ALIGNMENT.LEFT)
        stops.add_tab_stop(Cm(left + length), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.LINES)
        names.paragraph_format.tab_stops.add_tab_stop(
            Cm(left + length / 2), WD_TAB_ALIGNMENT.CENTER
        )

    footer = styles["Footer"]
    footer.font.size = Pt(8.5)
    footer.font.color.rgb = RGBColor.from_string(LOOK.muted)
    footer_ppr = footer.element.get_or_add_pPr()
    default_tabs = footer_ppr.find(qn("w:tabs"))  # Letter-width centre and right tabs
    if default_tabs is not None:
        footer_ppr.remove(default_tabs)
    _border(footer, "top", sz=4, space=6, color=LOOK.rule)


def _character_styles(doc: DocumentObject) -> None:
    styles = doc.styles
    strong = styles["Strong"]
    strong.font.bold = True
    label = styles.add_style("Label", WD_STYLE_TYPE.CHARACTER)
    label.base_style = styles["Default Paragraph Font"]
    label.font.bold = True
    label.font.color.rgb = RGBColor.from_string(LOOK.muted)
    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.base_style = styles["Default Paragraph Font"]
    link.font.color.rgb = RGBColor.from_string(LOOK.accent)
    link.font.underline = True


def _bullets(doc: DocumentObject) -> None:
    """List Bullet's bullet: a round bullet of the text font in the accent colour (the
    default is a Symbol-font glyph) so that Word and LibreOffice draw the same mark."""
    numbering = doc.part.numbering_part.element
    for lvl in numbering.iter(qn("w:lvl")):
        pstyle = lvl.find(qn("w:pStyle"))
        if pstyle is None or pstyle.get(qn("w:val")) != "ListBullet":
            continue
        lvl.find(qn("w:lvlText")).set(qn("w:val"), "•")
        rpr = lvl.find(qn("w:rPr"))
        if rpr is not None:
            lvl.remove(rpr)
        lvl.append(
            parse_xml(
                f'<w:rPr {nsdecls("w")}><w:rFonts w:ascii="{LOOK.font}" w:hAnsi="{LOOK.font}" '
                f'w:hint="default"/><w:color w:val="{LOOK.accent}"/></w:rPr>'
            )
        )


def _table_style(doc: DocumentObject) -> None:
    border = f'w:val="single" w:sz="4" w:space="0" w:color="{LOOK.rule}"'
    header_border = f'w:val="single" w:sz="4" w:space="0" w:color="{LOOK.accent}"'
    style = parse_xml(
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="FacilitateTable">'
        f'<w:name w:val="{TABLE_STYLE}"/><w:basedOn w:val="TableGrid"/>'
        '<w:uiPriority w:val="59"/><w:qFormat/>'
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>'
        '<w:tblPr><w:tblStyleRowBandSize w:val="1"/><w:tblInd w:w="0" w:type="dxa"/>'
        f"<w:tblBorders><w:top {border}/><w:left {border}/><w:bottom {border}/>"
        f"<w:right {border}/><w:insideH {border}/><w:insideV {border}/></w:tblBorders>"
        '<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr>"
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>'
        "<w:tblPr/><w:trPr><w:tblHeader/></w:trPr>"
        f"<w:tcPr><w:tcBorders><w:top {header_border}/><w:left {header_border}/>"
        f"<w:bottom {header_border}/><w:right {header_border}/><w:insideV {header_border}/>"
        f'</w:tcBorders><w:shd w:val="clear" w:color="auto" w:fill="{LOOK.accent}"/></w:tcPr>'
        "</w:tblStylePr>"
        '<w:tblStylePr w:type="band2Horz"><w:tblPr/>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{LOOK.band}"/></w:tcPr>'
        "</w:tblStylePr></w:style>"
    )
    doc.styles.element.append(style)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) as begin/instruction/separate/result/end runs."""
    p = paragraph._p
    for xml in (
        '<w:fldChar w:fldCharType="begin"/>',
        f'<w:instrText xml:space="preserve"> {instruction} </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        "<w:t>1</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    ):
        p.append(parse_xml(f"<w:r {nsdecls('w')}>{xml}</w:r>"))


def _header_footer(doc: DocumentObject, landscape: bool, page_numbers: bool) -> None:
    section = doc.sections[0]
    # An empty header of its own, where an organisation puts its logos.
    section.header.is_linked_to_previous = False
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = doc.styles["Footer"]
    paragraph.add_run("{{ cohort.organisation }} · {{ programme.title }}")
    if page_numbers:
        width = LANDSCAPE_WIDTH if landscape else PORTRAIT_WIDTH
        paragraph.paragraph_format.tab_stops.add_tab_stop(width * 635, WD_TAB_ALIGNMENT.RIGHT)
        paragraph.add_run("\t{{ L.page_of }} ")  # "sivu 2 / 3"
        _field(paragraph, "PAGE")
        paragraph.add_run(" / ")
        _field(paragraph, "NUMPAGES")
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _properties(doc: DocumentObject) -> None:
    """Fixed, neutral document properties (python-docx's say "python-docx", 2013)."""
    props = doc.core_properties
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.title = ""
    props.keywords = ""
    props.created = props.modified = datetime(2026, 1, 1, tzinfo=UTC)
    props.revision = 1


# --- building blocks ------------------------------------------------------------------------


Runs = Sequence[tuple[str, str | None]]


def para(doc: DocumentObject, text: str | Runs, style: str = "Normal") -> Paragraph:
    """A paragraph in `style`; `text` is one run, or (text, character style) runs."""
    paragraph = doc.add_paragraph(style=style)
    for run_text, char_style in [(text, None)] if isinstance(text, str) else text:
        run = paragraph.add_run(run_text)
        if char_style:
            run.style = doc.styles[char_style]
    return paragraph


def tag(doc: DocumentObject, statement: str) -> None:
    """A docxtpl paragraph tag (`{%p if x %}`): the whole paragraph is replaced by it."""
    para(doc, f"{{%p {statement} %}}")


def sessions_table(
    doc: DocumentObject, loop: str, *, date_cm: float = 3.2, place_cm: float = 5.2
) -> None:
    """The sessions in `loop` ("schedule", "seminars"): heading, date, time and place."""
    table(
        doc,
        [
            Column("{{ L.session }}", "{{ s.heading }}", 6.4),
            Column("{{ L.date }}", "{{ s.date }}", date_cm),
            Column("{{ L.time }}", "{{ s.time }}", 2.2),
            Column("{{ L.place }}", "{{ s.place }}", place_cm),
        ],
        f"s in {loop}",
    )


def details(doc: DocumentObject, label: str, value: str, *, guard: str | None = None) -> None:
    """A "label  value" line; with `guard`, only when that value is not empty."""
    if guard:
        tag(doc, f"if {guard}")
    para(
        doc,
        [(f"{{{{ {label} }}}}", "Label"), ("\t", None), (f"{{{{ {value} }}}}", None)],
        "Details",
    )
    if guard:
        tag(doc, "endif")


def section_heading(doc: DocumentObject, label: str, level: int = 1) -> None:
    para(doc, f"{{{{ {label} }}}}", f"Heading {level}")


def bullets(doc: DocumentObject, items: str, item: Runs | str, *, var: str = "item") -> None:
    """One List Bullet paragraph per element of `items`."""
    tag(doc, f"for {var} in {items}")
    para(doc, item, "List Bullet")
    tag(doc, "endfor")


@dataclass(frozen=True)
class Column:
    header: str  # a tag, e.g. "{{ L.time }}"
    cell: str  # a tag, e.g. "{{ block.time }}"
    width_cm: float


def table(
    doc: DocumentObject,
    columns: Sequence[Column],
    loop: str | None,
    *,
    centred: bool = False,
    row_height_cm: float | None = None,
) -> Table:
    """A "Facilitate Table": a header row repeated on each page, then one row per element
    of `loop` ("block in session.agenda") between `{%tr %}` rows, or one row without it."""
    rows = 4 if loop else 2
    tbl = doc.add_table(rows=rows, cols=len(columns))
    tbl.style = doc.styles[TABLE_STYLE]
    tbl.autofit = False  # fixed layout: the widths below hold, nothing overflows the page
    if centred:
        tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Cm(c.width_cm) for c in columns]
    tbl_pr = tbl._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(round(w.twips) for w in widths)))
    look = tbl_pr.find(qn("w:tblLook"))
    for attr, value in (
        ("w:val", "0420"),
        ("w:firstRow", "1"),
        ("w:lastRow", "0"),
        ("w:firstColumn", "0"),
        ("w:lastColumn", "0"),
        ("w:noHBand", "0"),
        ("w:noVBand", "1"),
    ):
        look.set(qn(attr), value)
    for grid_col, width in zip(tbl._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        grid_col.set(qn("w:w"), str(round(width.twips)))
    for row in tbl.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
        row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
    header = tbl.rows[0]
    header._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    for cell, column in zip(header.cells, columns, strict=True):
        cell.paragraphs[0].add_run(column.header)
    body = tbl.rows[2] if loop else tbl.rows[1]
    for cell, column in zip(body.cells, columns, strict=True):
        cell.paragraphs[0].add_run(column.cell)
    if row_height_cm:
        body.height = Cm(row_height_cm)
        body.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    if loop:
        tbl.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
        tbl.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    spacer(doc)
    return tbl


def spacer(doc: DocumentObject) -> None:
    """A small empty paragraph: after a table it keeps the next table or heading apart
    (and Word wants a paragraph after a table)."""
    paragraph = para(doc, "", "Normal")
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(6)


def title_block(doc: DocumentObject, title: str, subtitle: str) -> None:
    para(doc, title, "Title")
    para(doc, subtitle, "Subtitle")


def writing_lines(doc: DocumentObject, count: int) -> None:
    for _ in range(count):
        para(doc, "\t", "Writing Line")


# --- the eight templates --------------------------------------------------------------------

AGENDA_HEADING = "{{ L.agenda }}{% if session.agenda_suggested %} ({{ L.suggested }}){% endif %}"


def session_details(doc: DocumentObject, *, facilitators: bool = False) -> None:
    details(doc, "L.date", "session.date")
    details(doc, "L.time", "session.time")
    details(doc, "L.place", "session.place", guard="session.place")
    tag(doc, "if session.link")
    para(
        doc,
        [("Teams", "Label"), ("\t", None), ("{{ session.link }}", "Hyperlink")],
        "Details",
    )
    tag(doc, "endif")
    if facilitators:
        details(doc, "L.facilitators", "cohort.facilitators", guard="cohort.facilitators")
    spacer(doc)


def goals(doc: DocumentObject, items: str = "session.goals") -> None:
    tag(doc, f"if {items}")
    section_heading(doc, "L.goals")
    bullets(doc, items, "{{ goal }}", var="goal")
    tag(doc, "endif")


def focus(doc: DocumentObject) -> None:
    """Focus areas and questions to reflect on: no due date, nothing to hand in, so apart
    from the tasks."""
    tag(doc, "if session.focus")
    section_heading(doc, "L.focus")
    bullets(doc, "session.focus", "{{ item }}")
    tag(doc, "endif")


def resources(doc: DocumentObject) -> None:
    tag(doc, "if session.resources")
    section_heading(doc, "L.resources")
    tag(doc, "for resource in session.resources")
    para(
        doc,
        [
            ("{{ resource.title }}", "Strong"),
            ("{% if resource.about %} ({{ resource.about }}){% endif %}", None),
            ("{% if resource.description %} – {{ resource.description }}{% endif %}", None),
        ],
        "List Bullet",
    )
    tag(doc, "if resource.link")
    para(doc, [("{{ resource.link }}", "Hyperlink")], "List Continue")
    tag(doc, "endif")
    tag(doc, "if resource.file")
    para(doc, "{{ resource.file }}", "List Continue")
    tag(doc, "endif")
    tag(doc, "endfor")
    tag(doc, "endif")


def next_session(doc: DocumentObject) -> None:
    tag(doc, "if session.next")
    section_heading(doc, "L.next_session", 2)
    para(doc, "{{ session.next.title }}, {{ session.next.date }}")
    tag(doc, "endif")


def handout() -> DocumentObject:
    """For participants: what, when, where, goals, agenda, tasks and resources."""
    doc = base_document()
    title_block(doc, "{{ session.heading }}", "{{ programme.title }} · {{ cohort.name }}")
    session_details(doc)
    goals(doc)
    tag(doc, "if session.agenda")
    para(doc, AGENDA_HEADING, "Heading 1")
    table(
        doc,
        [
            Column("{{ L.time }}", "{{ block.time }}", 2.6),
            Column("{{ L.contents }}", "{{ block.title }}", 9.2),
            Column("{{ L.method }}", "{{ block.method }}", 5.2),
        ],
        "block in session.agenda",
    )
    tag(doc, "endif")
    focus(doc)
    tag(doc, "if session.tasks")
    section_heading(doc, "L.tasks")
    tag(doc, "for task in session.tasks")
    para(doc, "{{ task.title }}", "Heading 2")
    para(doc, "{{ task.description }}")
    details(doc, "L.due", "task.due", guard="task.due")
    tag(doc, "endfor")
    tag(doc, "endif")
    resources(doc)
    next_session(doc)
    return doc


def runsheet() -> DocumentObject:
    """For the facilitator: the agenda with methods, materials and notes, and a checklist."""
    doc = base_document(landscape=True)
    title_block(
        doc,
        "{{ session.heading }}",
        "{{ L.runsheet }} · {{ programme.title }} · {{ cohort.name }}",
    )
    session_details(doc, facilitators=True)
    goals(doc)
    tag(doc, "if session.agenda")
    para(doc, AGENDA_HEADING, "Heading 1")
    table(
        doc,
        [
            Column("{{ L.time }}", "{{ block.time }}", 2.4),
            Column("{{ L.contents }}", "{{ block.title }}", 5.0),
            Column("{{ L.minutes }}", "{{ block.minutes }}", 1.5),
            Column("{{ L.method }}", "{{ block.method }}", 4.0),
            Column("{{ L.materials }}", "{{ block.materials_text }}", 4.3),
            Column("{{ L.notes }}", "{{ block.notes }}", 8.5),
        ],
        "block in session.agenda",
    )
    tag(doc, "endif")
    tag(doc, "if session.checklist")
    section_heading(doc, "L.checklist")
    bullets(doc, "session.checklist", "{{ item }}")
    tag(doc, "endif")
    focus(doc)
    tag(doc, "if session.tasks")
    section_heading(doc, "L.tasks")
    tag(doc, "for task in session.tasks")
    para(
        doc,
        [
            ("{{ task.title }}", "Strong"),
            ("{% if task.due %} ({{ L.due }} {{ task.due }}){% endif %}", None),
        ],
        "List Bullet",
    )
    tag(doc, "endfor")
    tag(doc, "endif")
    resources(doc)
    next_session(doc)
    return doc


def task_sheet() -> DocumentObject:
    """The between-session tasks with room to write the answers."""
    doc = base_document()
    title_block(doc, "{{ session.heading }}", "{{ L.task_sheet }} · {{ programme.title }}")
    para(doc, [("{{ L.participant }}", "Label"), ("\t", None)], "Writing Line")
    spacer(doc)
    tag(doc, "for task in session.tasks")
    para(doc, "{{ task.title }}", "Heading 1")
    # The task's text stays on the page of its answer box.
    para(doc, "{{ task.description }}").paragraph_format.keep_with_next = True
    tag(doc, "if task.due")
    para(
        doc, [("{{ L.due }}", "Label"), ("\t", None), ("{{ task.due }}", None)], "Details"
    ).paragraph_format.keep_with_next = True
    tag(doc, "endif")
    table(
        doc,
        [Column("{{ L.your_answer }}", "", 17.0)],
        None,
        row_height_cm=11.0,
    )
    tag(doc, "endfor")
    return doc


def overview() -> DocumentObject:
    """The programme for people deciding whether to take part: who, what, when, roles, cost."""
    doc = base_document()
    title_block(doc, "{{ programme.title }}", "{{ cohort.name }}")
    para(doc, "{{ programme.description }}").paragraph_format.space_after = Pt(10)
    details(doc, "L.duration", "programme.duration", guard="programme.duration")
    details(doc, "L.delivery", "programme.delivery", guard="programme.delivery")
    details(doc, "L.place", "cohort.place", guard="cohort.place")
    details(doc, "L.cost", "programme.cost", guard="programme.cost")
    details(doc, "L.facilitators", "cohort.facilitators", guard="cohort.facilitators")
    details(doc, "L.coordinator", "cohort.coordinator", guard="cohort.coordinator")
    tag(doc, "if programme.suits")
    section_heading(doc, "L.suits")
    bullets(doc, "programme.suits", "{{ item }}")
    tag(doc, "endif")
    tag(doc, "if programme.themes")
    section_heading(doc, "L.contents")
    bullets(doc, "programme.themes", "{{ theme }}", var="theme")
    tag(doc, "endif")
    tag(doc, "if schedule")
    section_heading(doc, "L.schedule")
    sessions_table(doc, "schedule")
    tag(doc, "endif")
    tag(doc, "if roles")
    section_heading(doc, "L.roles")
    tag(doc, "for role in roles")
    para(doc, "{{ role.title }}", "Heading 2")
    tag(doc, "if role.description")
    para(doc, "{{ role.description }}")
    tag(doc, "endif")
    tag(doc, "endfor")
    tag(doc, "endif")
    tag(doc, "if pre_assignment")
    section_heading(doc, "L.pre_assignment")
    para(doc, "{{ pre_assignment.title }}", "Heading 2")
    para(doc, "{{ pre_assignment.description }}")
    details(doc, "L.due", "pre_assignment.due", guard="pre_assignment.due")
    tag(doc, "endif")
    return doc


def diary() -> DocumentObject:
    """The travel diary: a cover, then a page per session with the prompts and lines."""
    doc = base_document()
    title_block(doc, "{{ L.diary }}", "{{ programme.title }} · {{ cohort.name }}")
    tag(doc, "if participant")
    details(doc, "L.participant", "participant")
    tag(doc, "else")
    para(doc, [("{{ L.participant }}", "Label"), ("\t", None)], "Writing Line")
    tag(doc, "endif")
    spacer(doc)
    para(doc, "{{ L.diary_intro }}")
    tag(doc, "if schedule")
    section_heading(doc, "L.schedule", 2)
    table(
        doc,
        [
            Column("{{ L.session }}", "{{ s.heading }}", 7.0),
            Column("{{ L.date }}", "{{ s.date }}", 5.0),
            Column("{{ L.time }}", "{{ s.time }}", 5.0),
        ],
        "s in schedule",
    )
    tag(doc, "endif")
    tag(doc, "for s in schedule")
    heading = para(doc, "{{ s.heading }}", "Heading 1")
    heading.paragraph_format.page_break_before = True
    para(doc, "{{ s.date }}{% if s.time %} · {{ s.time }}{% endif %}", "Subtitle")
    tag(doc, "for prompt in prompts")
    para(doc, "{{ prompt }}", "Heading 3")
    writing_lines(doc, 6)  # three prompts (the diary's usual) fill the page
    tag(doc, "endfor")
    tag(doc, "endfor")
    return doc


def pair_guide() -> DocumentObject:
    """For a mentoring pair: how a meeting goes, when to meet, joint sessions, reading."""
    doc = base_document()
    title_block(doc, "{{ L.pair_guide }}", "{{ programme.title }} · {{ cohort.name }}")
    details(doc, "L.coordinator", "cohort.coordinator", guard="cohort.coordinator")
    details(doc, "L.facilitators", "cohort.facilitators", guard="cohort.facilitators")
    tag(doc, "if meeting")
    section_heading(doc, "L.meeting_structure")
    tag(doc, "if meeting.title")
    para(doc, "{{ meeting.title }}", "Heading 2")
    tag(doc, "endif")
    tag(doc, "if meeting.goals")
    section_heading(doc, "L.goals", 3)
    bullets(doc, "meeting.goals", "{{ goal }}", var="goal")
    tag(doc, "endif")
    tag(doc, "if meeting.agenda")
    section_heading(doc, "L.agenda", 3)
    table(
        doc,
        [
            Column("{{ L.minutes }}", "{{ block.minutes }}", 2.2),
            Column("{{ L.contents }}", "{{ block.title }}", 9.3),
            Column("{{ L.method }}", "{{ block.method }}", 5.5),
        ],
        "block in meeting.agenda",
    )
    tag(doc, "endif")
    tag(doc, "endif")
    tag(doc, "if meetings")
    section_heading(doc, "L.meeting_dates")
    table(
        doc,
        [
            Column("{{ L.session }}", "{{ m.heading }}", 9.0),
            Column("{{ L.date }}", "{{ m.date }}", 8.0),
        ],
        "m in meetings",
    )
    tag(doc, "endif")
    tag(doc, "if seminars")
    section_heading(doc, "L.joint_sessions")
    sessions_table(doc, "seminars")
    tag(doc, "endif")
    tag(doc, "if reading")
    section_heading(doc, "L.reading")
    tag(doc, "for book in reading")
    para(
        doc,
        [
            ("{{ book.title }}", "Strong"),
            ("{% if book.description %} – {{ book.description }}{% endif %}", None),
        ],
        "List Bullet",
    )
    tag(doc, "if book.link")
    para(doc, [("{{ book.link }}", "Hyperlink")], "List Continue")
    tag(doc, "endif")
    tag(doc, "endfor")
    tag(doc, "endif")
    return doc


def certificate() -> DocumentObject:
    """One page per participant: who took part in what, when, how much, signed."""
    doc = base_document(page_numbers=False)
    section = doc.sections[0]
    section.top_margin = Cm(2.5)
    section.bottom_margin = Cm(2.5)
    section.footer_distance = Cm(1.5)  # inside the frame
    # A frame round the page, in the accent colour.
    sect_pr = section._sectPr
    sect_pr.insert_element_before(
        parse_xml(
            f'<w:pgBorders {nsdecls("w")} w:offsetFrom="page">'
            + "".join(
                f'<w:{side} w:val="single" w:sz="12" w:space="24" w:color="{LOOK.accent}"/>'
                for side in ("top", "left", "bottom", "right")
            )
            + "</w:pgBorders>"
        ),
        *AFTER_PGBORDERS,
    )
    para(doc, "{{ L.certificate }}", "Certificate Title")
    para(doc, "{{ participant.name }}", "Certificate Name")
    tag(doc, "if participant.organisation")
    para(doc, "{{ participant.organisation }}", "Certificate Text")
    tag(doc, "endif")
    para(doc, "{{ L.certificate_text }}", "Certificate Text").paragraph_format.space_before = Pt(12)
    programme = para(doc, "{{ programme.title }}", "Heading 1")
    programme.alignment = WD_ALIGN_PARAGRAPH.CENTER
    programme.paragraph_format.space_before = Pt(4)
    para(doc, "{{ period }}", "Certificate Text")
    para(doc, "{{ L.attended }}: {{ attended }}/{{ total }}", "Certificate Text")
    tag(doc, "if sessions")
    spacer(doc)
    table(
        doc,
        [
            Column("{{ L.session }}", "{{ s.heading }}", 8.0),
            Column("{{ L.date }}", "{{ s.date }}", 4.5),
        ],
        "s in sessions",
        centred=True,
    )
    tag(doc, "endif")
    place = para(doc, "{{ place_date }}", "Certificate Text")
    place.paragraph_format.space_before = Pt(12)
    tag(doc, "if signatories|length == 1")
    para(doc, "{{ signatories[0] }}", "Signature")
    tag(doc, "else")
    tag(doc, "for pair in signatories|batch(2)")
    para(
        doc,
        [("{% for name in pair %}", None), ("\t\t", None), ("{% endfor %}", None)],
        "Signature Lines",
    )
    para(
        doc,
        [("{% for name in pair %}", None), ("\t", None), ("{{ name }}{% endfor %}", None)],
        "Signature Names",
    )
    tag(doc, "endfor")
    tag(doc, "endif")
    return doc


def letter() -> DocumentObject:
    """For a mentoring pair of `facilitate match`: who the other is, why they were paired,
    the meeting plan and what to do before the first meeting, signed by the coordinator."""
    doc = base_document()
    title_block(doc, "{{ L.letter }}", "{{ programme.title }} · {{ cohort.name }}")
    para(doc, "{{ letter.greeting }}")
    para(doc, "{{ letter.intro }}")
    table(
        doc,
        [
            Column("{{ L.participant }}", "{{ p.name }} ({{ p.role }})", 5.2),
            Column("{{ L.organisation }}", "{{ p.organisation }}", 4.8),
            Column("{{ L.email }}", "{{ p.email }}", 7.0),
        ],
        "p in people",
    )
    tag(doc, "if reasons")
    section_heading(doc, "L.why_paired")
    bullets(doc, "reasons", "{{ reason }}", var="reason")
    tag(doc, "endif")
    tag(doc, "if schedule")
    section_heading(doc, "L.meeting_plan")
    sessions_table(doc, "schedule", date_cm=3.6, place_cm=4.8)
    tag(doc, "if letter.weeks")
    para(doc, "{{ letter.weeks }}")
    tag(doc, "endif")
    tag(doc, "endif")
    section_heading(doc, "L.before_first")
    tag(doc, "if pre_assignment")
    para(doc, "{{ pre_assignment.title }}", "Heading 2")
    para(doc, "{{ pre_assignment.description }}")
    details(doc, "L.due", "pre_assignment.due", guard="pre_assignment.due")
    tag(doc, "endif")
    para(doc, "{{ letter.first_step }}")
    closing = para(doc, "{{ letter.closing }}")
    closing.paragraph_format.space_before = Pt(12)
    tag(doc, "if signatory")
    para(doc, "{{ letter.regards }}").paragraph_format.space_before = Pt(12)
    para(doc, [("{{ signatory }}", "Strong")]).paragraph_format.space_after = Pt(0)
    para(doc, "{{ signatory_role }}")
    tag(doc, "endif")
    return doc


def report() -> DocumentObject:
    """The results report (`facilitate results`): the styles, page, header and footer
    only. Its body is written by facilitate/results.py with python-docx (charts are
    images and the tables grow with the questionnaire), so it holds no tags but the
    footer's, which results.py fills in."""
    return base_document()


TEMPLATES: dict[str, Callable[[], DocumentObject]] = {
    "handout": handout,
    "runsheet": runsheet,
    "task-sheet": task_sheet,
    "overview": overview,
    "diary": diary,
    "pair-guide": pair_guide,
    "certificate": certificate,
    "letter": letter,
    "report": report,
}


def save(doc: DocumentObject, path: Path) -> None:
    """Save with fixed zip timestamps, so that rebuilding unchanged templates changes no bytes."""
    buffer = io.BytesIO()
    doc.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))


def build(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in TEMPLATES.items():
        path = out / f"{name}.docx"
        save(make(), path)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "templates", help="folder to write to")
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(path)


if __name__ == "__main__":
    main()
