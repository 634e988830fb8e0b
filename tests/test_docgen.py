"""Word templates: the same documents as docxtpl makes, checks at load, clear errors."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import canonicalize

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docxtpl import DocxTemplate

from facilitate import docgen
from facilitate.docgen import KINDS, REQUIRED_STYLES, Template, TemplateError, Templates

from .office import convert

# A paragraph is a text, (style, text), or a list of runs (texts) to split a tag across
# runs as Word does; a table is a list of rows of cell texts.
Item = str | tuple[str, str] | list[str] | dict[str, Any]


def make_template(
    path: Path,
    items: Sequence[Item],
    header: str | None = "{{ cohort.name }}",
    footer: str | None = "{{ L.page }} {{ lang }}",
    drop_styles: Sequence[str] = (),
    title: str | None = None,
) -> Path:
    """A .docx template as a facilitator would make in Word, with python-docx."""
    doc = Document()
    doc.styles.add_style("Facilitate Table", WD_STYLE_TYPE.TABLE)
    for name in drop_styles:
        element = doc.styles[name].element
        element.getparent().remove(element)
    for item in items:
        if isinstance(item, str):
            doc.add_paragraph(item)
        elif isinstance(item, tuple):
            doc.add_paragraph(item[1], style=item[0])
        elif isinstance(item, list):
            paragraph = doc.add_paragraph()
            for i, text in enumerate(item):
                paragraph.add_run(text).bold = i % 2 == 1
        else:
            rows = item["table"]
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            if "Facilitate Table" not in drop_styles:
                table.style = "Facilitate Table"
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
    section = doc.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    if title is not None:
        doc.core_properties.title = title
    doc.save(str(path))
    return path


HANDOUT: list[Item] = [
    ("Title", "{{ session.heading }}"),
    ["Date: {{ sess", "ion.date }}", ", {{ session.time }}"],
    ("Heading 1", "{{ L.goals }}"),
    "{%p for goal in session.goals %}",
    ("List Bullet", "{{ goal }}"),
    "{%p endfor %}",
    "{%p if session.link %}",
    "Teams: {{ session.link }}",
    "{%p endif %}",
    {
        "table": [
            ["{{ L.time }}", "{{ L.agenda }}"],
            ["{%tr for block in session.agenda %}", ""],
            ["{{ block.time }}", "{{ block.title }}"],
            ["{%tr endfor %}", ""],
        ]
    },
    ("Heading 2", "{{ L.tasks }}"),
    "{%p for task in session.tasks %}",
    ("List Number", "{{ task.title }}: {{ task.description }}"),
    "{%p endfor %}",
    "{{ session.notes }}",
]

CONTEXT: dict[str, Any] = {
    "L": {
        "goals": "Tavoitteet",
        "time": "Aika",
        "agenda": "Ohjelma",
        "tasks": "Tehtävät",
        "page": "Sivu",
    },
    "lang": "fi",
    "cohort": {"name": "Ohjaamo Järvenranta, kevät 2027"},
    "session": {
        "heading": "Moduuli 3: Monialaiset työtavat",
        "date": "tiistai 23. helmikuuta 2027",
        "time": "9.00–12.20",
        "goals": ["Tunnistaa oma osaaminen", "Sopia yhteiset pelisäännöt"],
        "link": "https://teams.example/meet",
        "agenda": [
            {"time": "9.00–9.25", "title": "Aloitus"},
            {"time": "9.25–10.30", "title": "Ryhmätyö"},
            {"time": "10.30–12.20", "title": "Purku"},
        ],
        "tasks": [{"title": "Haastattelu", "description": "Haastattele kollegaa.\nKirjaa."}],
        "notes": "Muista\ttauot",
    },
}
KNOWN = {name: None for name in CONTEXT}


def docxtpl_render(path: Path, context: dict[str, Any]) -> bytes:
    """What docxtpl itself makes of the template: the naive way, one document at a time."""
    template = DocxTemplate(str(path))
    template.render(context, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def text_of(data: bytes) -> list[str]:
    """Every paragraph, table row, header and footer of a .docx, as text."""
    doc = Document(io.BytesIO(data))
    lines = [f"[{p.style.name if p.style else None}] {p.text}" for p in doc.paragraphs]
    for table in doc.tables:
        lines += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    for section in doc.sections:
        lines += [f"header: {p.text}" for p in section.header.paragraphs]
        lines += [f"footer: {p.text}" for p in section.footer.paragraphs]
    return lines


def canonical(data: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        return canonicalize(docx.read(part).decode("utf-8"))


# --- the same documents as docxtpl ----------------------------------------------------


def test_same_text_as_docxtpl(tmp_path: Path) -> None:
    path = make_template(tmp_path / "handout.docx", HANDOUT)
    ours = Template.load(path, "handout", KNOWN).render(CONTEXT)
    theirs = docxtpl_render(path, CONTEXT)
    assert text_of(ours) == text_of(theirs)
    assert text_of(ours)[:9] == [
        "[Title] Moduuli 3: Monialaiset työtavat",
        "[Normal] Date: tiistai 23. helmikuuta 2027, 9.00–12.20",
        "[Heading 1] Tavoitteet",
        "[List Bullet] Tunnistaa oma osaaminen",
        "[List Bullet] Sopia yhteiset pelisäännöt",
        "[Normal] Teams: https://teams.example/meet",
        "[Heading 2] Tehtävät",
        "[List Number] Haastattelu: Haastattele kollegaa.\nKirjaa.",
        "[Normal] Muista\ttauot",
    ]
    assert "9.25–10.30 | Ryhmätyö" in text_of(ours)
    assert "header: Ohjaamo Järvenranta, kevät 2027" in text_of(ours)
    assert "footer: Sivu fi" in text_of(ours)


def test_same_xml_as_docxtpl(tmp_path: Path) -> None:
    """Beyond the text: the body, header and footer XML are the same, canonically."""
    path = make_template(tmp_path / "handout.docx", HANDOUT)
    context = {**CONTEXT, "session": {**CONTEXT["session"], "link": ""}}
    ours = Template.load(path, "handout").render(context)
    theirs = docxtpl_render(path, context)
    rendered = ("word/document.xml", "word/header1.xml", "word/footer1.xml")
    for part in rendered:
        assert canonical(ours, part) == canonical(theirs, part), part
    with zipfile.ZipFile(io.BytesIO(ours)) as a, zipfile.ZipFile(io.BytesIO(theirs)) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        for name in a.namelist():
            # python-docx writes the core properties in its own way
            if name not in (*rendered, "docProps/core.xml"):
                assert a.read(name) == b.read(name), name


def test_column_loop_fixes_the_table_grid_as_docxtpl_does(tmp_path: Path) -> None:
    path = make_template(
        tmp_path / "certificate.docx",
        [
            {
                "table": [
                    ["{%tc for s in sessions %}", "{{ s }}", "{%tc endfor %}"],
                    ["a", "b", "c"],
                ]
            }
        ],
        header=None,
        footer=None,
    )
    context = {"sessions": ["M1", "M2", "M3", "M4", "M5"]}
    ours = Template.load(path, "certificate").render(context)
    theirs = docxtpl_render(path, context)
    assert text_of(ours) == text_of(theirs)
    assert canonical(ours, "word/document.xml") == canonical(theirs, "word/document.xml")
    assert "M5" in canonical(ours, "word/document.xml")


def test_rendering_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    """So regenerating an unchanged document leaves the file as it is."""
    template = Template.load(make_template(tmp_path / "handout.docx", HANDOUT), "handout")
    assert template.render(CONTEXT) == template.render(CONTEXT)


def test_a_template_serves_many_documents(tmp_path: Path) -> None:
    template = Template.load(
        make_template(tmp_path / "certificate.docx", ["{{ name }}"]), "certificate"
    )
    names = [f"Osallistuja {i}" for i in range(5)]
    made = [
        template.render({"name": name, "cohort": {"name": "C"}, "L": {"page": "p"}, "lang": "fi"})
        for name in names
    ]
    assert [text_of(data)[0] for data in made] == [f"[Normal] {name}" for name in names]


def test_values_are_escaped(tmp_path: Path) -> None:
    path = make_template(
        tmp_path / "handout.docx", ["{{ session.heading }}"], title="{{ session.heading }}"
    )
    context = {**CONTEXT, "session": {"heading": "<b> & \"x\" 'y' </w:t>"}}
    data = Template.load(path, "handout").render(context)
    doc = Document(io.BytesIO(data))  # still a document Word can open
    assert doc.paragraphs[0].text == "<b> & \"x\" 'y' </w:t>"
    assert doc.core_properties.title == "<b> & \"x\" 'y' </w:t>"
    assert "header: Ohjaamo Järvenranta, kevät 2027" in text_of(data)


def test_document_properties_can_hold_variables(tmp_path: Path) -> None:
    path = make_template(
        tmp_path / "handout.docx", ["x"], title="{{ session.heading }} – {{ cohort.name }}"
    )
    data = Template.load(path, "handout").render(CONTEXT)
    title = Document(io.BytesIO(data)).core_properties.title
    assert title == "Moduuli 3: Monialaiset työtavat – Ohjaamo Järvenranta, kevät 2027"


def test_the_variables_a_template_uses(tmp_path: Path) -> None:
    path = make_template(
        tmp_path / "handout.docx", [*HANDOUT, "{% for i in range(2) %}{{ i }}{% endfor %}"]
    )
    assert Template.load(path, "handout").variables == {"session", "L", "cohort", "lang"}


# --- checks at load -------------------------------------------------------------------


def test_unknown_variable_is_named_with_a_suggestion(tmp_path: Path) -> None:
    path = make_template(tmp_path / "handout.docx", ["{{ sesion.title }}"])
    with pytest.raises(TemplateError) as caught:
        Template.load(
            path, "handout", KNOWN, display="templates/handout.docx (your template folder)"
        )
    assert str(caught.value) == (
        "templates/handout.docx (your template folder): unknown variable 'sesion' "
        "(did you mean 'session'?); handout templates get L, cohort, lang, session "
        "(docs/template-variables.md lists them)"
    )
    assert caught.value.exit_status == 4


def test_unknown_variables_in_a_footer_are_found_too(tmp_path: Path) -> None:
    path = make_template(tmp_path / "handout.docx", ["x"], footer="{{ paage }} {{ organisation }}")
    with pytest.raises(TemplateError, match=r"unknown variables 'organisation'; 'paage'; handout"):
        Template.load(path, "handout", KNOWN, display="handout.docx")


def test_missing_style_is_named(tmp_path: Path) -> None:
    path = make_template(tmp_path / "handout.docx", ["x"], drop_styles=["Heading 2"])
    with pytest.raises(TemplateError) as caught:
        Template.load(
            path, "handout", KNOWN, display="templates/handout.docx (your template folder)"
        )
    assert str(caught.value) == (
        "templates/handout.docx (your template folder): the style 'Heading 2' is missing; "
        "facilitate writes with these styles, so define them in Word (Styles pane, New Style) "
        "or start from a copy of the shipped template"
    )


def test_missing_styles_are_named_together(tmp_path: Path) -> None:
    path = make_template(
        tmp_path / "handout.docx", ["x"], drop_styles=["Title", "Facilitate Table"]
    )
    with pytest.raises(
        TemplateError, match=r"^t: the styles 'Title', 'Facilitate Table' are missing;"
    ):
        Template.load(path, "handout", display="t")


def test_required_styles_are_found_under_words_own_names(tmp_path: Path) -> None:
    """Word keeps built-in styles as 'heading 1' and shows them as 'Heading 1'."""
    path = make_template(tmp_path / "handout.docx", ["x"])
    with zipfile.ZipFile(path) as docx:
        styles = docx.read("word/styles.xml")
    assert b'w:val="heading 1"' in styles
    Template.load(path, "handout")
    assert len(REQUIRED_STYLES) == 7


def test_a_tag_that_does_not_close_is_named_with_its_paragraph(tmp_path: Path) -> None:
    path = make_template(tmp_path / "handout.docx", ["{%p if session.link %}", "Teams"])
    with pytest.raises(TemplateError) as caught:
        Template.load(path, "handout", display="h.docx")
    assert str(caught.value).startswith("h.docx: the document: Unexpected end of template.")


def test_an_unknown_filter_is_refused_at_load(tmp_path: Path) -> None:
    path = make_template(tmp_path / "handout.docx", ["{{ session.title|shout }}"])
    with pytest.raises(TemplateError) as caught:
        Template.load(path, "handout", display="h.docx")
    assert (
        str(caught.value)
        == "h.docx: the document: No filter named 'shout', in “{{ session.title|shout }}”"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"just text",
            "h.docx is not a Word document (.docx) that facilitate can read; save it from Word as a .docx, without a password",
        ),
        (
            None,
            "h.docx is not a Word document (.docx) that facilitate can read; save it from Word as a .docx, without a password",
        ),
        (
            b"PK\x03\x04 broken",
            "h.docx is not a Word document (.docx) that facilitate can read; save it from Word as a .docx, without a password",
        ),
    ],
)
def test_a_file_that_is_not_a_docx(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "handout.docx"
    if content is None:  # a zip, but not a Word document
        with zipfile.ZipFile(path, "w") as other:
            other.writestr("content.xml", "<x/>")
    else:
        path.write_bytes(content)
    with pytest.raises(TemplateError) as caught:
        Template.load(path, "handout", display="h.docx")
    assert str(caught.value) == message


def test_a_missing_template(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        Template.load(tmp_path / "handout.docx", "handout", display="h.docx")
    assert str(caught.value) == "h.docx does not exist"


def test_a_users_template_is_named_as_theirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "brand").mkdir()
    path = make_template(tmp_path / "brand" / "handout.docx", ["{{ x }}"])
    with pytest.raises(
        TemplateError, match=r"^brand/handout.docx \(your template folder\): unknown variable 'x'"
    ):
        Template.load(path, "handout", KNOWN)


# --- errors while rendering -----------------------------------------------------------


def test_misspelt_attribute_names_the_expression(tmp_path: Path) -> None:
    path = make_template(tmp_path / "handout.docx", ["{{ session.titel }}"])
    template = Template.load(path, "handout", KNOWN, display="h.docx")
    context = {**CONTEXT, "session": {"title": "Moduuli", "time": "9.00"}}
    with pytest.raises(TemplateError) as caught:
        template.render(context)
    assert (
        str(caught.value)
        == "h.docx: {{ session.titel }}: session has no 'titel' (did you mean 'title'?)"
    )


def test_misspelt_attribute_of_a_loop_variable(tmp_path: Path) -> None:
    path = make_template(
        tmp_path / "handout.docx",
        [
            {
                "table": [
                    ["{%tr for block in session.agenda %}"],
                    ["{{ block.tilte }}"],
                    ["{%tr endfor %}"],
                ]
            }
        ],
    )
    template = Template.load(path, "handout", KNOWN, display="h.docx")
    with pytest.raises(TemplateError) as caught:
        template.render(CONTEXT)
    assert (
        str(caught.value)
        == "h.docx: {{ block.tilte }}: block has no 'tilte' (did you mean 'title'?)"
    )


def test_attribute_of_an_empty_value(tmp_path: Path) -> None:
    path = make_template(
        tmp_path / "handout.docx", ["{{ session.next.date }}"], header=None, footer=None
    )
    with pytest.raises(TemplateError) as caught:
        Template.load(path, "handout", display="h.docx").render({"session": {"next": ""}})
    assert str(caught.value) == (
        "h.docx: {{ session.next.date }}: session.next has no 'date' "
        "(it is empty here: put this inside {%p if session.next %})"
    )


def test_misspelt_attribute_in_a_header(tmp_path: Path) -> None:
    path = make_template(tmp_path / "handout.docx", ["x"], header="{{ cohort.nmae }}")
    with pytest.raises(
        TemplateError,
        match=r"^h.docx: \{\{ cohort.nmae \}\}: cohort has no 'nmae' \(did you mean 'name'\?\)$",
    ):
        Template.load(path, "handout", display="h.docx").render(CONTEXT)


@pytest.mark.parametrize(
    ("expression", "shown"),
    [
        ("L.__class__", "L.__class__"),
        ("L.__class__.__mro__", "L.__class__"),
        ("lang.__len__()", "lang.__len__"),
        ("cohort.name.__class__.__subclasses__()", "cohort.name.__class__"),
    ],
)
def test_names_with_underscores_are_refused(tmp_path: Path, expression: str, shown: str) -> None:
    path = make_template(tmp_path / "handout.docx", ["{{ " + expression + " }}"])
    template = Template.load(path, "handout", KNOWN, display="h.docx")
    with pytest.raises(TemplateError) as caught:
        template.render(CONTEXT)
    assert str(caught.value) == (
        f"h.docx: {{{{ {shown} }}}} is not allowed: a template may not use names that start with '_'"
    )


def test_a_template_may_not_change_its_context(tmp_path: Path) -> None:
    path = make_template(tmp_path / "handout.docx", ["{{ session.goals.append('x') }}"])
    template = Template.load(path, "handout", KNOWN, display="h.docx")
    with pytest.raises(TemplateError) as caught:
        template.render(CONTEXT)
    assert str(caught.value) == (
        "h.docx: {{ session.goals.append }} is not allowed: "
        "a template may not change the values it is given"
    )
    assert CONTEXT["session"]["goals"] == ["Tunnistaa oma osaaminen", "Sopia yhteiset pelisäännöt"]


def test_python_errors_in_a_template_are_template_errors(tmp_path: Path) -> None:
    path = make_template(tmp_path / "handout.docx", ["{{ session.time + 1 }}"])
    with pytest.raises(TemplateError) as caught:
        Template.load(path, "handout", display="h.docx").render(CONTEXT)
    assert str(caught.value).startswith("h.docx: the document: ")
    assert str(caught.value).endswith("(TypeError), in “{{ session.time + 1 }}”")


# --- which template, loaded once ------------------------------------------------------


def test_template_path_prefers_the_users_folder(tmp_path: Path) -> None:
    own = make_template(tmp_path / "handout.docx", ["x"])
    assert docgen.template_path("handout", tmp_path) == own
    shipped = docgen.template_path("overview", tmp_path)
    assert shipped.parent.name == "templates" and shipped.name == "overview.docx"
    assert docgen.template_path("overview", None) == shipped


def test_template_path_of_a_folder_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        docgen.template_path("handout", tmp_path / "brand")
    assert str(caught.value) == (
        f"the template folder {tmp_path / 'brand'} does not exist; "
        "check `templates:` in cohort.yaml or --templates"
    )


def test_kinds() -> None:
    assert KINDS == (
        "handout",
        "runsheet",
        "task-sheet",
        "overview",
        "diary",
        "pair-guide",
        "certificate",
        "letter",
    )
    with pytest.raises(ValueError):
        docgen.template_path("poster", None)


def test_templates_are_loaded_once_per_run(tmp_path: Path) -> None:
    make_template(tmp_path / "handout.docx", ["{{ session.heading }}"])
    make_template(tmp_path / "certificate.docx", ["{{ cohort.name }}"])
    loads: list[str] = []

    def counting(path: Path, kind: str, known: Any = None) -> Template:
        loads.append(kind)
        return Template.load(path, kind, known)

    templates = Templates(tmp_path, load=counting)
    for _ in range(3):
        templates.render("handout", CONTEXT)
        templates.render("certificate", CONTEXT)
    assert loads == ["handout", "certificate"]
    assert templates.get("handout") is templates.get("handout")


def test_templates_check_the_names_of_the_first_context(tmp_path: Path) -> None:
    make_template(tmp_path / "handout.docx", ["{{ sesion.heading }}"])
    with pytest.raises(
        TemplateError, match="unknown variable 'sesion' \\(did you mean 'session'\\?\\)"
    ):
        Templates(tmp_path).render("handout", CONTEXT)


def test_one_environment_for_every_template() -> None:
    from jinja2.sandbox import SandboxedEnvironment

    env = docgen.environment()
    assert env is docgen.environment()
    assert isinstance(env, SandboxedEnvironment) and env.autoescape is True


# --- the shipped templates, and Word's view of the result ------------------------------


def test_shipped_templates_make_what_docxtpl_makes(tmp_path: Path) -> None:
    """Every document of the demo cohort (with a travel diary added), both ways."""
    import dataclasses
    from datetime import date

    from facilitate import cohort, demo, documents

    demo.build(tmp_path / "demo", date(2026, 11, 2))
    loaded = cohort.load(tmp_path / "demo")
    programme = loaded.programme.model_copy(update={"travel_diary": True})
    jobs = documents.plan(dataclasses.replace(loaded, programme=programme), date(2026, 11, 2)).jobs
    templates = Templates(None)
    seen: dict[str, int] = {}
    for job in jobs:
        if seen.setdefault(job.kind, 0) >= 2:  # two of each kind is enough
            continue
        seen[job.kind] += 1
        ours = templates.render(job.kind, job.context)
        theirs = docxtpl_render(docgen.template_path(job.kind, None), job.context)
        assert text_of(ours) == text_of(theirs), job.path
        assert canonical(ours, "word/document.xml") == canonical(theirs, "word/document.xml")
    assert set(seen) >= {"handout", "runsheet", "task-sheet", "overview", "diary", "certificate"}


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_libreoffice_opens_a_rendered_document(tmp_path: Path) -> None:
    """The zip is put together by hand from copied entries: an office suite reads it."""
    template = Template.load(make_template(tmp_path / "handout.docx", HANDOUT), "handout")
    document = tmp_path / "out" / "moniste.docx"
    document.parent.mkdir()
    document.write_bytes(template.render(CONTEXT))
    with zipfile.ZipFile(document) as docx:
        assert docx.testzip() is None  # every entry's CRC checks out
    convert([document], tmp_path, to="txt:Text")
    text = (tmp_path / "moniste.txt").read_text(encoding="utf-8-sig")
    assert "Moduuli 3: Monialaiset työtavat" in text
    assert "Ryhmätyö" in text
