"""Word documents from .docx templates: finding, checking, compiling and rendering them.

A template is read and compiled once, then rendered for every document of a run. The
XML of the parts that hold text (document, headers, footers, footnotes) goes through
docxtpl's own preprocessing (`patch_xml`: `{%p %}`, `{%tr %}`, `{%tc %}`, `{%r %}` tags
and tags split across runs) and is compiled with one sandboxed Jinja environment. A
render fills those parts in and adds them to a zip of every other entry, put together
at load from the template's own compressed data; nothing is parsed or compressed
again but the rendered parts. The result has the content docxtpl itself gives (the
tests compare the two), in a fraction of the time.
"""

from __future__ import annotations

import copy
import functools
import html
import importlib
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .errors import ExitStatus, FacilitateError

if TYPE_CHECKING:
    import jinja2
    from jinja2 import nodes

KINDS = (
    "handout",
    "runsheet",
    "task-sheet",
    "overview",
    "diary",
    "pair-guide",
    "certificate",
    "letter",
)
REQUIRED_STYLES = (
    "Title",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "List Bullet",
    "List Number",
    "Facilitate Table",
)
DOCUMENT = "word/document.xml"
STYLES = "word/styles.xml"
CORE = "docProps/core.xml"
# Parts docxtpl renders besides the body; headers and footers are found by name.
_TEXT_PARTS = re.compile(r"word/(header|footer)\d*\.xml|word/footnotes\.xml")
# The core properties docxtpl renders as templates (the others are not plain strings).
_CORE_PROPERTIES = (
    "{http://purl.org/dc/elements/1.1/}creator",
    "{http://purl.org/dc/elements/1.1/}description",
    "{http://purl.org/dc/elements/1.1/}identifier",
    "{http://purl.org/dc/elements/1.1/}language",
    "{http://purl.org/dc/elements/1.1/}subject",
    "{http://purl.org/dc/elements/1.1/}title",
)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BODY_MARK = "FACILITATE-BODY-GOES-HERE"
_TEMPLATE_FILE = "<template>"  # what Jinja calls a template compiled from a string


class TemplateError(FacilitateError):
    """A Word template that cannot be used, or that fails while a document is made."""

    exit_status = ExitStatus.BAD_INPUT


def template_path(kind: str, templates_dir: Path | None) -> Path:
    """The template of `kind`: the facilitator's own if their folder has one, else ours."""
    from .library import shipped_templates

    _check_kind(kind)
    if templates_dir is not None:
        if not templates_dir.is_dir():
            raise TemplateError(
                f"the template folder {templates_dir} does not exist; "
                "check `templates:` in cohort.yaml or --templates"
            )
        own = templates_dir / f"{kind}.docx"
        if own.is_file():
            return own
    return shipped_templates() / f"{kind}.docx"


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"no template kind {kind!r}; kinds: {', '.join(KINDS)}")


def display_name(path: Path) -> str:
    """How messages name a template: ours by its place in the repository, theirs as a path
    and saying so, since a facilitator fixes the one but reports the other."""
    from .library import shipped_templates

    shipped = shipped_templates().resolve()
    resolved = path.resolve()
    if resolved.is_relative_to(shipped):
        return str(resolved.relative_to(shipped.parent))
    try:
        shown = resolved.relative_to(Path.cwd().resolve())
    except ValueError:
        shown = path
    return f"{shown} (your template folder)"


# --- the Jinja environment ------------------------------------------------------------


class _MissingValue(Exception):
    """Raised by `_Strict`: what was looked up, on what, and the exception Jinja wanted."""

    def __init__(self, message: str, name: Any, obj: Any, top: bool, unsafe: bool) -> None:
        super().__init__(message)
        self.message, self.name, self.obj = message, name, obj
        self.top, self.unsafe = top, unsafe


@functools.cache
def environment() -> jinja2.Environment:
    """The one sandboxed, autoescaping environment every template is compiled in.

    Immutable as well: the documents of a session share one context, so a template
    must not change it (`{{ session.goals.append(...) }}`) for the next.
    """
    from jinja2 import StrictUndefined, UndefinedError
    from jinja2.runtime import missing
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

    class _Strict(StrictUndefined):
        """StrictUndefined whose error remembers the name and object, for the message."""

        __slots__ = ()

        def __init__(
            self,
            hint: str | None = None,
            obj: Any = missing,
            name: str | None = None,
            exc: type[Exception] = UndefinedError,
        ) -> None:
            raised = functools.partial(
                _MissingValue,
                name=name,
                obj=obj,
                top=obj is missing,
                unsafe=exc is SecurityError,
            )
            super().__init__(hint, obj, name, raised)  # type: ignore[arg-type]

    return ImmutableSandboxedEnvironment(autoescape=True, undefined=_Strict)


@functools.cache
def _docxtpl() -> Any:
    """A bare DocxTemplate: its methods are the preprocessing docxtpl's render does."""
    from docxtpl import DocxTemplate

    return DocxTemplate(None)


# --- parts ------------------------------------------------------------------------------


@dataclass
class _Part:
    """One XML part of the .docx that is rendered for each document."""

    name: str
    info: zipfile.ZipInfo
    source: str  # the Jinja source after docxtpl's preprocessing
    ast: nodes.Template
    template: jinja2.Template
    how: str  # "body", "xml" (header, footer) or "raw" (footnotes)
    before: bytes = b""  # for the body: the document around <w:body>
    after: bytes = b""


@dataclass
class _CoreProperties:
    """docProps/core.xml when one of its text properties is a template."""

    info: zipfile.ZipInfo
    root: Any
    templates: dict[str, tuple[jinja2.Template, nodes.Template]]


class Template:
    """A .docx template, checked and compiled once, rendered as many times as needed."""

    def __init__(
        self,
        path: Path,
        kind: str,
        display: str,
        parts: list[_Part],
        core: _CoreProperties | None,
        static: bytes,
    ) -> None:
        self.path, self.kind, self.display = path, kind, display
        self._parts, self._core, self._static = parts, core, static

    @functools.cached_property
    def variables(self) -> frozenset[str]:
        """The top-level names the template uses."""
        from jinja2 import meta

        names: set[str] = set()
        for ast in self._asts():
            names |= meta.find_undeclared_variables(ast)
        return frozenset(names - set(environment().globals))

    def _asts(self) -> Iterator[nodes.Template]:
        for part in self._parts:
            yield part.ast
        if self._core is not None:
            for _, ast in self._core.templates.values():
                yield ast

    @classmethod
    def load(
        cls,
        path: Path,
        kind: str,
        known: Mapping[str, object] | None = None,
        display: str | None = None,
    ) -> Template:
        """Read, check and compile the template at `path`.

        `known` holds the names documents of this kind provide; a template that uses
        another name is refused. Every style of REQUIRED_STYLES must be defined.
        """
        _check_kind(kind)
        shown = display or display_name(path)
        whole, infos, data = _read_zip(path, shown)
        _check_styles(data[STYLES], shown)
        parts = [_body_part(infos[DOCUMENT], data[DOCUMENT], shown)]
        parts += [
            _xml_part(infos[name], blob, shown)
            for name, blob in data.items()
            if _TEXT_PARTS.fullmatch(name)
        ]
        core = _core_properties(infos.get(CORE), data.get(CORE), shown)
        rendered = {part.name for part in parts} | ({CORE} if core else set())
        static = _zip_of(whole, [i for n, i in infos.items() if n not in rendered], shown)
        template = cls(path, kind, shown, parts, core, static)
        if known is not None:
            template._check_variables(known)
        return template

    def _check_variables(self, known: Mapping[str, object]) -> None:
        from .programme import did_you_mean

        unknown = sorted(self.variables - set(known))
        if not unknown:
            return
        names = sorted(known)
        described = "; ".join(f"'{name}'{did_you_mean(name, names)}" for name in unknown)
        plural = "s" if len(unknown) > 1 else ""
        raise TemplateError(
            f"{self.display}: unknown variable{plural} {described}; "
            f"{self.kind} templates get {', '.join(names)} "
            "(docs/template-variables.md lists them)"
        )

    def render(self, context: Mapping[str, Any]) -> bytes:
        """The .docx made from this template and `context`, as bytes."""
        out = io.BytesIO(self._static)
        with zipfile.ZipFile(out, "a") as docx:
            for part in self._parts:
                docx.writestr(_entry(part.info), self._render_part(part, context))
            if self._core is not None:
                docx.writestr(_entry(self._core.info), self._render_core(context))
        return out.getvalue()

    def _render_part(self, part: _Part, context: Mapping[str, Any]) -> bytes:
        etree = _etree()

        xml = self._run(part.template, part.ast, context, part.name, part.source)
        # What docxtpl's render_xml_part does after Jinja.
        xml = _UNMARK_PARAGRAPH.sub(r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%")
        xml = xml.replace("%_}", "%}")
        if _LISTING_CHARS.search(xml):  # resolve_listing changes nothing else
            xml = _docxtpl().resolve_listing(xml)
        if part.how == "raw":
            return xml.encode("utf-8")
        if part.how == "xml":
            # docxtpl hands these to python-docx, which parses and serialises them.
            try:
                root = etree.fromstring(xml.encode("utf-8"), _parser())
            except etree.XMLSyntaxError as exc:
                raise self._broken(part, exc) from None
            return etree.tostring(root, encoding="UTF-8", standalone=True)
        # The body: docxtpl parses it leniently, mends tables whose rows gained cells
        # and numbers drawings afresh.
        helper = _docxtpl()
        try:
            tree = helper.fix_tables(xml)
        except (etree.XMLSyntaxError, AttributeError, TypeError) as exc:
            raise self._broken(part, exc) from None
        helper.docx_ids_index = 1000
        helper.fix_docpr_ids(tree)
        body: bytes = etree.tostring(tree, encoding="UTF-8")
        return part.before + body + part.after

    def _render_core(self, context: Mapping[str, Any]) -> bytes:
        etree = _etree()
        from markupsafe import Markup

        assert self._core is not None
        root = copy.deepcopy(self._core.root)
        for tag, (template, ast) in self._core.templates.items():
            element = root.find(tag)
            assert element is not None
            # The value is text, not markup: what autoescape made of '&' is undone.
            element.text = Markup(self._run(template, ast, context, CORE)).unescape()
        return etree.tostring(root, encoding="UTF-8", standalone=True)

    def _run(
        self,
        template: jinja2.Template,
        ast: nodes.Template,
        context: Mapping[str, Any],
        part: str,
        source: str = "",
    ) -> str:
        from jinja2 import TemplateError as JinjaError

        try:
            return template.render(context)
        except _MissingValue as exc:
            raise self._missing(exc, ast, _template_line(exc.__traceback__)) from None
        except JinjaError as exc:
            message, line = exc.message or type(exc).__name__, _template_line(exc.__traceback__)
        except Exception as exc:  # a template can make Python raise anything: 1/0, "a" + 1
            message, line = f"{exc} ({type(exc).__name__})", _template_line(exc.__traceback__)
        raise TemplateError(f"{self.display}: {_where(part)}: {_near(message, source, line)}")

    def _missing(self, exc: _MissingValue, ast: nodes.Template, line: int | None) -> TemplateError:
        from .programme import did_you_mean

        name = exc.name
        expression = _expression(ast, name, line)
        if exc.unsafe:
            why = (
                "use names that start with '_'"
                if str(name).startswith("_")
                else "change the values it is given"
            )
            return TemplateError(
                f"{self.display}: {{{{ {expression} }}}} is not allowed: a template may not {why}"
            )
        if exc.top:
            return TemplateError(f"{self.display}: the variable '{name}' has no value here")
        if isinstance(exc.obj, Mapping):
            keys = [str(key) for key in exc.obj]
            hint = did_you_mean(str(name), keys) or f"; it has {', '.join(sorted(keys))}"
        elif exc.obj is None or exc.obj == "":
            hint = f" (it is empty here: put this inside {{%p if {_owner(expression)} %}})"
        else:
            hint = ""
        owner = _owner(expression)
        return TemplateError(
            f"{self.display}: {{{{ {expression} }}}}: {owner} has no '{name}'{hint}"
        )

    def _broken(self, part: _Part, exc: Exception) -> TemplateError:
        return TemplateError(
            f"{self.display}: {_where(part.name)} does not come out as valid Word XML "
            f"({exc}); check that each {{%p if %}} or {{%p for %}} has its {{%p endif %}} "
            "or {%p endfor %} in a paragraph of its own"
        )


_MARK_PARAGRAPH = re.compile(r"<w:p([ >])")
_UNMARK_PARAGRAPH = re.compile(r"\n<w:p([ >])")
_LISTING_CHARS = re.compile("[\t\a\n\f]")


def _etree() -> Any:
    # lxml (which python-docx and docxtpl are built on) has no type stubs installed.
    return importlib.import_module("lxml.etree")


@functools.cache
def _parser() -> Any:
    etree = _etree()

    # python-docx's parser: documents it has read have no whitespace between elements.
    return etree.XMLParser(remove_blank_text=True, resolve_entities=False)


_NOT_DOCX = (
    "{} is not a Word document (.docx) that facilitate can read; "
    "save it from Word as a .docx, without a password"
)


def _read_zip(path: Path, shown: str) -> tuple[bytes, dict[str, zipfile.ZipInfo], dict[str, bytes]]:
    """The .docx file, its entries, and the content of those facilitate reads (the text
    parts and the styles; the others are copied as they are). The limits on size and
    the refusal of DOCTYPEs (`workbook.check_archive`) come before anything is unpacked."""
    from .errors import InputError
    from .workbook import check_archive, read_limited

    try:
        whole = read_limited(path, shown)
        check_archive(whole, shown, "save it from Word as a .docx", "a Word document")
        with zipfile.ZipFile(io.BytesIO(whole)) as docx:
            infos = {info.filename: info for info in docx.infolist() if not info.is_dir()}
            data = {name: docx.read(info) for name, info in infos.items() if _needed(name)}
    except FileNotFoundError:
        raise TemplateError(f"{shown} does not exist") from None
    except IsADirectoryError:
        raise TemplateError(f"{shown} is a folder, not a Word document") from None
    except PermissionError:
        raise TemplateError(f"{shown} cannot be read: permission denied") from None
    except InputError as exc:
        raise TemplateError(exc.message) from None
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError):
        raise TemplateError(_NOT_DOCX.format(shown)) from None
    if DOCUMENT not in data or STYLES not in data:
        raise TemplateError(_NOT_DOCX.format(shown))
    return whole, infos, data


def _needed(name: str) -> bool:
    return name in (DOCUMENT, STYLES, CORE) or _TEXT_PARTS.fullmatch(name) is not None


def _parse(blob: bytes, name: str, shown: str) -> Any:
    etree = _etree()

    try:
        return etree.fromstring(blob, _parser())
    except etree.XMLSyntaxError as exc:
        raise TemplateError(
            f"{shown}: {name} is damaged ({exc}); open it in Word and save it again"
        ) from None


# <w:name w:val="heading 1"/> inside a <w:style>; latent styles name theirs in an
# attribute (<w:lsdException w:name=...>), which this does not match.
_STYLE_NAME = re.compile(rb"""<(?:[\w.-]+:)?name\s+(?:[\w.-]+:)?val\s*=\s*["']([^"']*)["']""")


def _check_styles(blob: bytes, shown: str) -> None:
    # A pattern, not a parse: styles.xml runs to hundreds of kilobytes. Word stores
    # built-in styles under lower-case names ("heading 1") and shows them capitalised;
    # names compare without case.
    defined = {
        html.unescape(match.group(1).decode("utf-8", "replace")).casefold()
        for match in _STYLE_NAME.finditer(blob)
    }
    missing = [style for style in REQUIRED_STYLES if style.casefold() not in defined]
    if not missing:
        return
    names = ", ".join(f"'{style}'" for style in missing)
    which = f"the style {names} is" if len(missing) == 1 else f"the styles {names} are"
    raise TemplateError(
        f"{shown}: {which} missing; facilitate writes with these styles, so define "
        "them in Word (Styles pane, New Style) or start from a copy of the shipped template"
    )


def _compile(source: str, shown: str, part: str) -> tuple[jinja2.Template, nodes.Template]:
    from jinja2 import TemplateError as JinjaError
    from jinja2 import TemplateSyntaxError

    env = environment()
    try:
        ast = env.parse(source)
        # Compiled from the tree just parsed: the source is parsed once.
        return env.from_string(ast), ast
    except TemplateSyntaxError as exc:
        message = _near(exc.message or "", source, exc.lineno)
        raise TemplateError(f"{shown}: {_where(part)}: {message}") from None
    except JinjaError as exc:
        raise TemplateError(f"{shown}: {_where(part)}: {exc.message}") from None


def _near(message: str, source: str, line: int | None) -> str:
    """`message` and the text of the paragraph at `line` of the template source (each
    paragraph is a line of its own)."""
    lines = source.splitlines()
    text = re.sub(r"<[^>]+>", "", lines[line - 1]).strip() if line and line <= len(lines) else ""
    message = message.rstrip(".")
    return f"{message}, in “{text[:80]}”" if text else message


def _where(part: str) -> str:
    if part == DOCUMENT:
        return "the document"
    if part == CORE:
        return "the document properties"
    match = re.fullmatch(r"word/(header|footer|footnotes)\d*\.xml", part)
    return f"a {match.group(1)}" if match and match.group(1) != "footnotes" else "the footnotes"


def _prepare(xml: str) -> str:
    """docxtpl's preprocessing, then its one newline per paragraph (which decides where
    Jinja's whitespace goes, so it must be the same)."""
    return _MARK_PARAGRAPH.sub(r"\n<w:p\1", _docxtpl().patch_xml(xml))


def _body_part(info: zipfile.ZipInfo, blob: bytes, shown: str) -> _Part:
    etree = _etree()

    root = _parse(blob, DOCUMENT, shown)
    body = root.find(f"{_W}body")
    if body is None:
        raise TemplateError(f"{shown} has no document body; open it in Word and save it again")
    source = _prepare(etree.tostring(body, encoding="unicode"))
    template, ast = _compile(source, shown, DOCUMENT)
    shell = copy.deepcopy(root)
    empty = shell.find(f"{_W}body")
    assert empty is not None
    for child in list(empty):
        empty.remove(child)
    empty.text = _BODY_MARK
    around = etree.tostring(shell, encoding="UTF-8", standalone=True)
    mark = around.index(_BODY_MARK.encode())
    start, end = around.rindex(b"<", 0, mark), around.index(b">", mark) + 1
    return _Part(
        DOCUMENT, info, source, ast, template, "body", before=around[:start], after=around[end:]
    )


def _xml_part(info: zipfile.ZipInfo, blob: bytes, shown: str) -> _Part:
    etree = _etree()

    if info.filename == "word/footnotes.xml":
        # docxtpl takes the footnotes as they are stored, without parsing them.
        try:
            source, how = _prepare(blob.decode("utf-8")), "raw"
        except UnicodeDecodeError:
            raise TemplateError(
                f"{shown}: {info.filename} is damaged; open it in Word and save it again"
            ) from None
    else:
        root = _parse(blob, info.filename, shown)
        source, how = _prepare(etree.tostring(root, encoding="unicode")), "xml"
    template, ast = _compile(source, shown, info.filename)
    return _Part(info.filename, info, source, ast, template, how)


def _core_properties(
    info: zipfile.ZipInfo | None, blob: bytes | None, shown: str
) -> _CoreProperties | None:
    if info is None or blob is None:
        return None
    root = _parse(blob, CORE, shown)
    templates = {}
    for tag in _CORE_PROPERTIES:
        element = root.find(tag)
        if element is not None and element.text and re.search(r"{[{%#]", element.text):
            templates[tag] = _compile(element.text, shown, CORE)
    return _CoreProperties(info, root, templates) if templates else None


def _entry(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """A fresh entry for a rendered part, named and dated as in the template (so that
    the same context gives the same bytes)."""
    entry = zipfile.ZipInfo(info.filename, info.date_time)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = info.external_attr
    return entry


def _zip_of(whole: bytes, infos: list[zipfile.ZipInfo], shown: str) -> bytes:
    """A zip of the entries that are the same in every document: each entry's compressed
    data copied from the template as it is, so that nothing is compressed again."""
    out = bytearray()
    directory = bytearray()
    for info in infos:
        offset = info.header_offset
        if (
            whole[offset : offset + 4] != b"PK\x03\x04"
            or info.flag_bits & 0x1  # encrypted
            or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
            or max(info.compress_size, info.file_size, len(out)) >= 0xFFFFFFFF
        ):
            raise TemplateError(_NOT_DOCX.format(shown))
        name_length, extra_length = struct.unpack_from("<HH", whole, offset + 26)
        start = offset + 30 + name_length + extra_length
        data = whole[start : start + info.compress_size]
        name = info.filename.encode("utf-8")
        year, month, day, hour, minute, second = info.date_time
        # Sizes and CRC go in the local header, so no data descriptor follows (bit 3);
        # bit 11 says the name is UTF-8.
        fields = (
            20,
            info.flag_bits & 0x0806,
            info.compress_type,
            hour << 11 | minute << 5 | second // 2,
            (year - 1980) << 9 | month << 5 | day,
            info.CRC,
            info.compress_size,
            info.file_size,
            len(name),
        )
        directory += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, info.external_attr, len(out)
        )
        directory += name
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields, 0)
        out += name
        out += data
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(infos), len(infos), len(directory), len(out), 0
    )
    return bytes(out + directory + end)


# --- naming what went wrong -----------------------------------------------------------


def _template_line(tb: TracebackType | None) -> int | None:
    """The template line being rendered when an error was raised (Jinja rewrites the
    traceback so that template frames carry template line numbers)."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == _TEMPLATE_FILE:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _expression(ast: nodes.Template, name: Any, line: int | None) -> str:
    """The expression that looked up `name`: `session.titel`, preferring one on `line`."""
    from jinja2 import nodes

    found: list[tuple[int, str]] = []
    for node in ast.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
        if (isinstance(node, nodes.Getattr) and node.attr == name) or (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and node.arg.value == name
        ):
            found.append((node.lineno, _format(node)))
        elif isinstance(node, nodes.Name) and node.name == name and node.ctx == "load":
            found.append((node.lineno, name))
    on_line = [text for lineno, text in found if lineno == line]
    if on_line:
        return on_line[0]
    return found[0][1] if found else str(name)


def _format(node: nodes.Node) -> str:
    from jinja2 import nodes

    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_format(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        arg = repr(node.arg.value) if isinstance(node.arg, nodes.Const) else "…"
        return f"{_format(node.node)}[{arg}]"
    return "…"


def _owner(expression: str) -> str:
    cut = max(expression.rfind("."), expression.rfind("["))
    return expression[:cut] if cut > 0 else "it"


# --- a run's templates ----------------------------------------------------------------


class Templates:
    """The templates of one run, each loaded (read, checked, compiled) once."""

    def __init__(
        self,
        templates_dir: Path | None = None,
        load: Callable[..., Template] | None = None,
    ) -> None:
        self.templates_dir = templates_dir
        self._load = load or Template.load
        self._loaded: dict[str, Template] = {}

    def get(self, kind: str, known: Mapping[str, object] | None = None) -> Template:
        """The compiled template of `kind`; `known` (the names documents of this kind
        get, usually a context) is checked against it when it is first loaded."""
        template = self._loaded.get(kind)
        if template is None:
            path = template_path(kind, self.templates_dir)
            template = self._load(path, kind, known)
            self._loaded[kind] = template
        return template

    def render(self, kind: str, context: Mapping[str, Any]) -> bytes:
        """A document of `kind` for `context`; the template is checked against its names."""
        return self.get(kind, context).render(context)
