"""The shipped Word templates render with the variables of docs/template-variables.md.

Each template is rendered with a realistic Finnish context (as the contract describes it:
plain dicts, lists and texts, already translated) and read back with python-docx: the
expected paragraphs in their styles, the tables in "Facilitate Table" with a repeating
header row, no tag left over, and nothing for an optional part that is empty. Where
LibreOffice is installed, all seven are converted to PDF in one run and their pages counted.
"""

from __future__ import annotations

import copy
import importlib.util
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from facilitate.docgen import KINDS, REQUIRED_STYLES

from .conftest import REPO
from .office import convert

TEMPLATES = REPO / "templates"
TABLE_STYLE = "Facilitate Table"

# --- sample contexts, as docs/template-variables.md describes them ------------------------

LABELS = {
    "agenda": "Ohjelma",
    "time": "Aika",
    "minutes": "Min",
    "goals": "Tavoitteet",
    "place": "Paikka",
    "date": "Päivämäärä",
    "tasks": "Välitehtävät",
    "due": "Palautus",
    "resources": "Materiaalit",
    "method": "Menetelmä",
    "materials": "Tarvikkeet",
    "notes": "Valmentajan muistiinpanot",
    "checklist": "Valmistelun muistilista",
    "next_session": "Seuraava tapaaminen",
    "handout": "Osallistujan moniste",
    "runsheet": "Valmentajan käsikirjoitus",
    "task_sheet": "Välitehtävä",
    "overview": "Ohjelman esittely",
    "diary": "Matkapäiväkirja",
    "pair_guide": "Mentoriparin opas",
    "certificate": "Osallistumistodistus",
    "suits": "Kenelle",
    "contents": "Sisältö",
    "schedule": "Aikataulu",
    "roles": "Roolit",
    "cost": "Hinta",
    "themes": "Teemat",
    "duration": "Kesto",
    "delivery": "Toteutus",
    "pre_assignment": "Ennakkotehtävä",
    "facilitators": "Valmentajat",
    "coordinator": "Koordinaattori",
    "session": "Tapaaminen",
    "your_answer": "Vastauksesi",
    "suggested": "ehdotus",
    "meeting_structure": "Tapaamisen rakenne",
    "meeting_dates": "Tapaamisajat",
    "joint_sessions": "Yhteiset tapaamiset",
    "reading": "Lukusuosituksia",
    "certificate_text": "on osallistunut ohjelmaan",
    "attended": "Läsnä tapaamisissa",
    "signature": "Allekirjoitus",
    "participant": "Osallistuja",
    "organisation": "Organisaatio",
    "diary_intro": (
        "Kirjoita matkapäiväkirjaan jokaisen tapaamisen jälkeen: mitä opit, mitä kokeilet "
        "työssäsi ja mitä haluat ottaa esiin seuraavalla kerralla."
    ),
    "page_of": "sivu",
    "letter": "Esittelykirje",
    "why_paired": "Miksi juuri te",
    "meeting_plan": "Tapaamissuunnitelma",
    "before_first": "Ennen ensimmäistä tapaamista",
    "email": "Sähköposti",
    "focus": "Painopisteet ja pohdittavaa",
}

COMMON: dict[str, Any] = {
    "L": LABELS,
    "lang": "fi",
    "programme": {
        "title": "Ohjaamon valmentajaparien työnohjaus",
        "description": (
            "Valmentajaparit kehittävät yhteistä työtään monialaisessa Ohjaamossa: "
            "työnjakoa, asiakkaan kohtaamista ja omaa jaksamista."
        ),
        "kind": "tiimivalmennus",
        "provider": "Järvenrannan kaupunki",
        "suits": [
            "Ohjaamon valmentajapareille, jotka ovat aloittaneet yhteistyön",
            "Esihenkilöille, jotka haluavat tukea parityötä",
        ],
        "themes": ["Työnjako ja roolit", "Asiakkaan kohtaaminen", "Työssä jaksaminen"],
        "cost": "Maksuton osallistujille (ESR-rahoitus)",
        "duration": "6 kuukautta",
        "delivery": "lähitapaaminen, Teams",
    },
    "cohort": {
        "name": "Ohjaamo Järvenranta, kevät 2027",
        "organisation": "Ohjaamo Järvenranta",
        "facilitators": "Anna Virtanen ja Kalle Nieminen",
        "coordinator": "Päivi Häkkinen",
        "place": "Kauppakatu 4, Järvenranta",
        "teams_link": "https://teams.microsoft.com/l/meetup-join/abc",
    },
    "today": "1. joulukuuta 2026",
}

AGENDA = [
    ("9.00–9.20", "Aloitus ja kuulumiskierros", 20, "kierros", ["nimikortit"], ""),
    (
        "9.20–9.45",
        "Välitehtävän purku pareittain",
        25,
        "parikeskustelu",
        ["välitehtävä"],
        "Kysy pareilta, mitä he kokeilivat ja mikä yllätti.",
    ),
    (
        "9.45–10.30",
        "Monialainen asiakastyö: kolme tapausta",
        45,
        "tapauskeskustelu",
        ["tapauskortit", "fläppitaulu", "tussit"],
        "Jaa ryhmät niin, että saman Ohjaamon parit ovat eri ryhmissä. Pyydä jokaista "
        "ryhmää kirjaamaan yksi toimiva käytäntö ja yksi ristiriita.",
    ),
    ("10.30–10.45", "Tauko", 15, "", [], ""),
    (
        "10.45–11.20",
        "Työnjako parin kesken – kuka tekee mitä ja miksi?",
        35,
        "janatyöskentely",
        ["maalarinteippi"],
        "Lattialle jana 0–10. Anna aikaa hiljaiseen pohdintaan ennen keskustelua.",
    ),
    ("11.20–11.50", "Yhteinen keskustelu", 30, "kalatorni", [], ""),
    ("11.50–12.10", "Välitehtävän esittely", 20, "alustus", ["diat"], "Jaa välitehtävälomake."),
    ("12.10–12.20", "Päätös ja palaute", 10, "pikapalaute", ["QR-koodi"], ""),
]


def agenda() -> list[dict[str, Any]]:
    return [
        {
            "time": time,
            "start": time.split("–")[0],
            "end": time.split("–")[1],
            "title": title,
            "minutes": minutes,
            "method": method,
            "materials": materials,
            "materials_text": ", ".join(materials),
            "notes": notes,
        }
        for time, title, minutes, method, materials, notes in AGENDA
    ]


LONG_TITLE = (
    "Monialaiset työtavat ja asiakkaan polku Ohjaamon, TE-palvelujen ja sosiaalitoimen "
    "rajapinnoilla"
)


def session_context() -> dict[str, Any]:
    return {
        **copy.deepcopy(COMMON),
        "session": {
            "title": LONG_TITLE,
            "kind": "moduuli",
            "number": 3,
            "heading": f"Moduuli 3: {LONG_TITLE}",
            "date": "tiistai 23. helmikuuta 2027",
            "time": "9.00–12.20",
            "place": "Kauppakatu 4, Järvenranta, neuvotteluhuone Häränsilmä & Teams",
            "link": "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc?context=x",
            "goals": [
                "Tunnistaa parityön vahvuudet ja kehittämiskohteet",
                "Sopia työnjaosta, joka näkyy asiakkaalle selkeänä",
            ],
            "agenda": agenda(),
            "agenda_suggested": True,
            "focus": [
                "Missä kohdin työnjakonne näkyy asiakkaalle?",
                "Mitä pidät parisi vahvuutena?",
            ],
            "tasks": [
                {
                    "title": "Asiakaspolun kuvaus",
                    "description": (
                        "Valitse yksi asiakas, jonka kanssa olette työskennelleet yhdessä. "
                        "Piirtäkää hänen polkunsa Ohjaamossa ja merkitkää, missä kohdin "
                        "työnjako oli epäselvä."
                    ),
                    "due": "ti 23.3.2027",
                },
                {
                    "title": "Pariharjoitus: palautekeskustelu",
                    "description": "Käykää kahdenkeskinen palautekeskustelu ja kirjatkaa yksi sopimus.",
                    "due": "",
                },
            ],
            "resources": [
                {
                    "title": "Ohjaamo-käsikirja",
                    "link": "https://ohjaamot.fi/kasikirja",
                    "file": "",
                    "description": "luku 4: monialainen työ",
                    "type": "verkkosivu",
                    "shared": "jaetaan ennen tapaamista",
                    "about": "Verkkosivu, jaetaan ennen tapaamista",
                },
                {
                    "title": "Parityön sopimuspohja",
                    "link": "",
                    "file": "parityon-sopimus.docx",
                    "description": "",
                    "type": "",
                    "shared": "",
                    "about": "",
                },
            ],
            "checklist": [
                "Varaa tila ja tarkista Teams-yhteys",
                "Tulosta tapauskortit (3 sarjaa)",
                "Lähetä muistutus osallistujille viikkoa ennen",
            ],
            "next": {"title": "Moduuli 4: Asiakkaan kohtaaminen", "date": "ti 23.3.2027"},
        },
    }


def bare_session_context() -> dict[str, Any]:
    """The last session: no goals, tasks, resources, checklist or next session, no link."""
    context = session_context()
    context["session"].update(
        goals=[],
        focus=[],
        tasks=[],
        resources=[],
        checklist=[],
        next="",
        link="",
        agenda_suggested=False,
    )
    return context


SCHEDULE = [
    {
        "heading": f"Moduuli {n}: {title}",
        "date": date,
        "time": "9.00–12.20",
        "place": "Kauppakatu 4, Järvenranta",
    }
    for n, (title, date) in enumerate(
        [
            ("Aloitus ja tavoitteet", "ti 15.12.2026"),
            ("Parityön perusta", "ti 19.1.2027"),
            ("Monialaiset työtavat", "ti 23.2.2027"),
            ("Asiakkaan kohtaaminen", "ti 23.3.2027"),
            ("Työssä jaksaminen", "ti 20.4.2027"),
            ("Päätös ja jatko", "ti 3.8.2027"),
        ],
        start=1,
    )
]


def overview_context() -> dict[str, Any]:
    return {
        **copy.deepcopy(COMMON),
        "roles": [
            {
                "title": "Valmentajapari",
                "description": "Kaksi Ohjaamon valmentajaa, jotka tekevät työtä yhdessä.",
            },
            {"title": "Koordinaattori", "description": "Sopii ajat ja tilat ja kerää palautteen."},
        ],
        "pre_assignment": {
            "title": "Parin esittely",
            "description": "Kirjoittakaa puolen sivun esittely parityöstänne.",
            "due": "ti 8.12.2026",
        },
        "schedule": copy.deepcopy(SCHEDULE),
    }


def diary_context() -> dict[str, Any]:
    return {
        **copy.deepcopy(COMMON),
        "participant": "Noora O'Connor-Mäkinen",
        "schedule": copy.deepcopy(SCHEDULE[:3]),
        "prompts": [
            "Mikä jäi mieleen tapaamisesta?",
            "Mitä kokeilen työssäni ennen seuraavaa kertaa?",
            "Mitä haluan kysyä tai ottaa esiin?",
        ],
    }


def pair_guide_context() -> dict[str, Any]:
    blocks = agenda()[:4]
    return {
        **copy.deepcopy(COMMON),
        "meeting": {
            "title": "Mentorointitapaaminen",
            "agenda": blocks,
            "goals": ["Aktori tuo tapaamiseen oman kysymyksen", "Sovitaan seuraava askel"],
        },
        "meetings": [
            {"heading": f"Paritapaaminen {n}", "date": f"viikko {week}"}
            for n, week in enumerate((4, 8, 12, 16), start=1)
        ],
        "seminars": [
            {
                "heading": "Aloitusseminaari",
                "date": "ti 19.1.2027",
                "time": "13.00–16.00",
                "place": "Teams",
            }
        ],
        "reading": [
            {
                "title": "Mentoroinnin käsikirja",
                "link": "https://example.org/mentorointi",
                "description": "hyvä johdanto",
            },
            {"title": "Työnohjauksen perusteet", "link": "", "description": ""},
        ],
    }


def certificate_context() -> dict[str, Any]:
    return {
        **copy.deepcopy(COMMON),
        "participant": {"name": "Noora O'Connor-Mäkinen", "organisation": "Ohjaamo Järvenranta"},
        "attended": 5,
        "total": 6,
        "period": "15.12.2026–3.8.2027",
        "sessions": [{"heading": s["heading"], "date": s["date"]} for s in SCHEDULE],
        "signatories": ["Anna Virtanen", "Kalle Nieminen"],
        "place_date": "Järvenranta, 3.8.2027",
    }


def letter_context() -> dict[str, Any]:
    adept = {
        "name": "Noora O'Connor-Mäkinen",
        "role": "Aktori",
        "organisation": "Ohjaamo Järvenranta",
        "email": "noora.oconnor@jarvenranta.example",
    }
    mentor = {
        "name": "Päivi Häkkinen",
        "role": "Mentori",
        "organisation": "TE-palvelut",
        "email": "paivi.hakkinen@te.example",
    }
    return {
        **copy.deepcopy(COMMON),
        "adept": adept,
        "mentor": mentor,
        "people": [adept, mentor],
        "reasons": [
            "2 yhteistä teemaa: Työnjako ja roolit ja Työssä jaksaminen",
            "molemmat Varkaudessa",
        ],
        "shared_themes": ["Työnjako ja roolit", "Työssä jaksaminen"],
        "schedule": copy.deepcopy(SCHEDULE[:3]),
        "pre_assignment": {
            "title": "Parin esittely",
            "description": "Kirjoittakaa puolen sivun esittely parityöstänne.",
            "due": "ti 8.12.2026",
        },
        "letter": {
            "greeting": "Hei Noora O'Connor-Mäkinen ja Päivi Häkkinen!",
            "intro": "Teidät on valittu pariksi ohjelmaan Ohjaamon valmentajaparien työnohjaus.",
            "weeks": "Paritapaamisten viikot ovat ehdotuksia.",
            "first_step": "Ottakaa yhteyttä toisiinne.",
            "closing": "Onnea mentorointiin!",
            "regards": "Ystävällisin terveisin",
        },
        "signatory": "Päivi Häkkinen",
        "signatory_role": "Koordinaattori, Ohjaamo Järvenranta",
    }


CONTEXTS = {
    "handout": session_context,
    "runsheet": session_context,
    "task-sheet": session_context,
    "overview": overview_context,
    "diary": diary_context,
    "pair-guide": pair_guide_context,
    "certificate": certificate_context,
    "letter": letter_context,
}

# --- helpers --------------------------------------------------------------------------------


def render(kind: str, context: dict[str, Any], out: Path) -> Path:
    """Render as the tool does: a sandbox, autoescape, and an error for an unknown name."""
    template = DocxTemplate(TEMPLATES / f"{kind}.docx")
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    template.render(context, jinja_env=env, autoescape=True)
    path = out / f"{kind}.docx"
    template.save(path)
    return path


def paragraphs(doc: DocumentObject) -> list[tuple[str, str]]:
    """(style, text) of every body paragraph, tables excluded, in order."""
    return [(p.style.name, p.text) for p in doc.paragraphs]


def styled(doc: DocumentObject, style: str) -> list[str]:
    return [text for name, text in paragraphs(doc) if name == style]


def all_texts(doc: DocumentObject) -> list[str]:
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    for section in doc.sections:
        texts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return texts


def rows(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DocumentObject]:
    out = tmp_path_factory.mktemp("rendered")
    return {kind: Document(str(render(kind, CONTEXTS[kind](), out))) for kind in KINDS}


# --- every template ------------------------------------------------------------------------

# The names each kind may use (docs/template-variables.md): the common ones and its own.
COMMON_NAMES = {"L", "lang", "programme", "cohort", "today"}
NAMES = {
    "handout": {"session"},
    "runsheet": {"session"},
    "task-sheet": {"session"},
    "overview": {"roles", "pre_assignment", "schedule"},
    "diary": {"participant", "schedule", "prompts"},
    "pair-guide": {"meeting", "meetings", "seminars", "reading"},
    "certificate": {
        "participant",
        "attended",
        "total",
        "period",
        "sessions",
        "signatories",
        "place_date",
    },
    "letter": {
        "adept",
        "mentor",
        "people",
        "reasons",
        "shared_themes",
        "schedule",
        "pre_assignment",
        "letter",
        "signatory",
        "signatory_role",
    },
}


def test_shipped_templates_are_what_the_script_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """templates/*.docx are rebuilt by scripts/make_templates.py, byte for byte: edit the
    script, not the files, and run it."""
    spec = importlib.util.spec_from_file_location(
        "make_templates", REPO / "scripts" / "make_templates.py"
    )
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, script)  # dataclasses look their module up
    spec.loader.exec_module(script)
    built = script.build(tmp_path)
    # report.docx is no docxtpl template: facilitate/results.py writes its body.
    assert sorted(p.name for p in built) == sorted(f"{kind}.docx" for kind in (*KINDS, "report"))
    for path in built:
        assert path.read_bytes() == (TEMPLATES / path.name).read_bytes(), (
            f"templates/{path.name} is stale: run python scripts/make_templates.py"
        )


# The order ECMA-376 gives the children of the property elements we write; Word asks to
# repair a file whose elements are out of order, LibreOffice does not mind.
ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike "
    "outline shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w kern "
    "position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang "
    "eastAsianLayout specVanish oMath",
    "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc "
    "pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi "
    "rtlGutter docGrid printerSettings sectPrChange",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
    "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
    "tcFitText vAlign hideMark",
}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def out_of_order(docx: Path) -> list[str]:
    """Property elements in `docx` whose children are not in the schema's order."""
    from lxml import etree

    problems = []
    with zipfile.ZipFile(docx) as package:
        for name in package.namelist():
            if not (name.startswith("word/") and name.endswith(".xml")):
                continue
            root = etree.fromstring(package.read(name))
            for parent, sequence in ORDER.items():
                order = sequence.split()
                for element in root.iter(W + parent):
                    tags = [c.tag.removeprefix(W) for c in element if c.tag.startswith(W)]
                    # headerReference and footerReference may come in any order
                    ranks = [
                        min(order.index(t), 1) if t.endswith("Reference") else order.index(t)
                        for t in tags
                    ]
                    if ranks != sorted(ranks):
                        problems.append(f"{name}: w:{parent} has {tags}")
    return problems


@pytest.mark.parametrize("kind", KINDS)
def test_xml_in_schema_order(kind: str, tmp_path: Path) -> None:
    assert out_of_order(TEMPLATES / f"{kind}.docx") == []
    assert out_of_order(render(kind, CONTEXTS[kind](), tmp_path)) == []


@pytest.mark.parametrize("kind", KINDS)
def test_template_uses_only_its_variables(kind: str) -> None:
    used = DocxTemplate(TEMPLATES / f"{kind}.docx").get_undeclared_template_variables()
    assert used <= COMMON_NAMES | NAMES[kind]


def test_labels_cover_the_contract() -> None:
    """The sample labels are the contract's list, so a template using another one fails."""
    text = (REPO / "docs" / "template-variables.md").read_text(encoding="utf-8")
    section = text.split("## Labels: `L`", 1)[1]
    assert set(re.findall(r"`L\.(\w+)`", section)) == set(LABELS)


@pytest.mark.parametrize("kind", KINDS)
def test_template_has_the_required_styles(kind: str) -> None:
    doc = Document(str(TEMPLATES / f"{kind}.docx"))
    names = {style.name for style in doc.styles}
    assert set(REQUIRED_STYLES) <= names
    assert doc.styles["Normal"].font.name == "Calibri"
    width, height = doc.sections[0].page_width, doc.sections[0].page_height
    assert sorted((round(width.cm, 1), round(height.cm, 1))) == [21.0, 29.7]


@pytest.mark.parametrize("kind", KINDS)
def test_template_writes_no_words_of_its_own(kind: str) -> None:
    """Every word a reader sees comes from the context (so from `L` in the document's
    language); the only fixed word is the product name Teams."""
    doc = Document(str(TEMPLATES / f"{kind}.docx"))
    for text in all_texts(doc):
        outside = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", text).replace("Teams", "")
        assert not re.search(r"[^\W\d_]", outside), f"{kind}: fixed text in {text!r}"


@pytest.mark.parametrize("kind", KINDS)
def test_rendered_has_no_tags_left(rendered: dict[str, DocumentObject], kind: str) -> None:
    for text in all_texts(rendered[kind]):
        assert "{{" not in text and "{%" not in text and "}}" not in text, text


@pytest.mark.parametrize("kind", KINDS)
def test_tables_use_the_table_style_with_a_repeating_header(
    rendered: dict[str, DocumentObject], kind: str
) -> None:
    doc = rendered[kind]
    for table in doc.tables:
        assert table.style.name == TABLE_STYLE
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
        # only the header row repeats
        assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


@pytest.mark.parametrize("kind", KINDS)
def test_no_empty_heading_or_list_item(rendered: dict[str, DocumentObject], kind: str) -> None:
    for style, text in paragraphs(rendered[kind]):
        if style.startswith(("Heading", "Title", "List")):
            assert text.strip(), f"{kind}: empty {style}"


@pytest.mark.parametrize("kind", KINDS)
def test_footer_names_organisation_and_programme(
    rendered: dict[str, DocumentObject], kind: str
) -> None:
    footer = rendered[kind].sections[0].footer.paragraphs[0]
    assert footer.text.startswith("Ohjaamo Järvenranta · Ohjaamon valmentajaparien työnohjaus")
    assert ("\tsivu 1 / 1" in footer.text) == (kind != "certificate")  # field results
    has_page = any("PAGE" in (el.text or "") for el in footer._p.iter(qn("w:instrText")))
    assert has_page == (kind != "certificate")


# --- each kind ------------------------------------------------------------------------------


def test_handout(rendered: dict[str, DocumentObject]) -> None:
    doc = rendered["handout"]
    assert styled(doc, "Title") == [f"Moduuli 3: {LONG_TITLE}"]
    assert styled(doc, "Subtitle") == [
        "Ohjaamon valmentajaparien työnohjaus · Ohjaamo Järvenranta, kevät 2027"
    ]
    # Focus areas under their own heading, apart from the tasks (no due date, no answer).
    assert styled(doc, "Heading 1") == [
        "Tavoitteet",
        "Ohjelma (ehdotus)",
        "Painopisteet ja pohdittavaa",
        "Välitehtävät",
        "Materiaalit",
    ]
    assert styled(doc, "Heading 2") == [
        "Asiakaspolun kuvaus",
        "Pariharjoitus: palautekeskustelu",
        "Seuraava tapaaminen",
    ]
    assert styled(doc, "List Bullet") == [
        "Tunnistaa parityön vahvuudet ja kehittämiskohteet",
        "Sopia työnjaosta, joka näkyy asiakkaalle selkeänä",
        "Missä kohdin työnjakonne näkyy asiakkaalle?",
        "Mitä pidät parisi vahvuutena?",
        "Ohjaamo-käsikirja (Verkkosivu, jaetaan ennen tapaamista) – luku 4: monialainen työ",
        "Parityön sopimuspohja",
    ]
    assert styled(doc, "List Continue") == [
        "https://ohjaamot.fi/kasikirja",
        "parityon-sopimus.docx",
    ]
    assert styled(doc, "Details") == [
        "Päivämäärä\ttiistai 23. helmikuuta 2027",
        "Aika\t9.00–12.20",
        "Paikka\tKauppakatu 4, Järvenranta, neuvotteluhuone Häränsilmä & Teams",
        "Teams\thttps://teams.microsoft.com/l/meetup-join/19%3ameeting_abc?context=x",
        "Palautus\tti 23.3.2027",  # the second task has no due date: no line
    ]
    (table,) = doc.tables
    cells = rows(table)
    assert cells[0] == ["Aika", "Sisältö", "Menetelmä"]
    assert cells[1] == ["9.00–9.20", "Aloitus ja kuulumiskierros", "kierros"]
    assert len(cells) == 1 + 8
    # participants do not see the facilitator notes
    assert not any("Kysy pareilta" in text for text in all_texts(doc))


def test_handout_without_optional_parts(tmp_path: Path) -> None:
    doc = Document(str(render("handout", bare_session_context(), tmp_path)))
    assert styled(doc, "Heading 1") == ["Ohjelma"]
    assert styled(doc, "Heading 2") == []
    assert styled(doc, "List Bullet") == []
    assert [t for t in styled(doc, "Details") if t.startswith("Teams")] == []


def test_runsheet(rendered: dict[str, DocumentObject]) -> None:
    doc = rendered["runsheet"]
    section = doc.sections[0]
    assert section.page_width > section.page_height
    assert styled(doc, "Subtitle")[0].startswith("Valmentajan käsikirjoitus · ")
    assert styled(doc, "Heading 1") == [
        "Tavoitteet",
        "Ohjelma (ehdotus)",
        "Valmistelun muistilista",
        "Painopisteet ja pohdittavaa",
        "Välitehtävät",
        "Materiaalit",
    ]
    assert "Mitä pidät parisi vahvuutena?" in styled(doc, "List Bullet")
    assert "Valmentajat\tAnna Virtanen ja Kalle Nieminen" in styled(doc, "Details")
    assert "Varaa tila ja tarkista Teams-yhteys" in styled(doc, "List Bullet")
    assert "Asiakaspolun kuvaus (Palautus ti 23.3.2027)" in styled(doc, "List Bullet")
    (table,) = doc.tables
    cells = rows(table)
    assert cells[0] == [
        "Aika",
        "Sisältö",
        "Min",
        "Menetelmä",
        "Tarvikkeet",
        "Valmentajan muistiinpanot",
    ]
    assert cells[3][2:5] == ["45", "tapauskeskustelu", "tapauskortit, fläppitaulu, tussit"]
    assert cells[3][5].startswith("Jaa ryhmät")
    assert len(cells) == 1 + 8


def test_runsheet_without_optional_parts(tmp_path: Path) -> None:
    doc = Document(str(render("runsheet", bare_session_context(), tmp_path)))
    assert styled(doc, "Heading 1") == ["Ohjelma"]
    assert styled(doc, "List Bullet") == []


def test_task_sheet(rendered: dict[str, DocumentObject]) -> None:
    doc = rendered["task-sheet"]
    assert styled(doc, "Heading 1") == ["Asiakaspolun kuvaus", "Pariharjoitus: palautekeskustelu"]
    assert styled(doc, "Writing Line") == ["Osallistuja\t"]
    assert styled(doc, "Details") == ["Palautus\tti 23.3.2027"]
    assert [rows(t) for t in doc.tables] == [[["Vastauksesi"], [""]]] * 2
    for table in doc.tables:  # room to write: a tall answer box
        assert table.rows[1].height.cm >= 8


def test_task_sheet_without_tasks(tmp_path: Path) -> None:
    doc = Document(str(render("task-sheet", bare_session_context(), tmp_path)))
    assert styled(doc, "Heading 1") == []
    assert doc.tables == []


def test_overview(rendered: dict[str, DocumentObject]) -> None:
    doc = rendered["overview"]
    assert styled(doc, "Title") == ["Ohjaamon valmentajaparien työnohjaus"]
    assert styled(doc, "Heading 1") == [
        "Kenelle",
        "Sisältö",
        "Aikataulu",
        "Roolit",
        "Ennakkotehtävä",
    ]
    assert styled(doc, "Heading 2") == ["Valmentajapari", "Koordinaattori", "Parin esittely"]
    assert "Hinta\tMaksuton osallistujille (ESR-rahoitus)" in styled(doc, "Details")
    assert "Työssä jaksaminen" in styled(doc, "List Bullet")
    (table,) = doc.tables
    cells = rows(table)
    assert cells[0] == ["Tapaaminen", "Päivämäärä", "Aika", "Paikka"]
    assert cells[1] == [
        "Moduuli 1: Aloitus ja tavoitteet",
        "ti 15.12.2026",
        "9.00–12.20",
        "Kauppakatu 4, Järvenranta",
    ]
    assert len(cells) == 1 + 6


def test_overview_without_optional_parts(tmp_path: Path) -> None:
    context = overview_context()
    context["programme"].update(themes=[], cost="", duration="")
    context["cohort"].update(coordinator="", place="")
    context.update(pre_assignment="", roles=[])
    doc = Document(str(render("overview", context, tmp_path)))
    assert styled(doc, "Heading 1") == ["Kenelle", "Aikataulu"]
    assert [t.split("\t")[0] for t in styled(doc, "Details")] == ["Toteutus", "Valmentajat"]


def test_diary(rendered: dict[str, DocumentObject]) -> None:
    doc = rendered["diary"]
    assert styled(doc, "Title") == ["Matkapäiväkirja"]
    assert styled(doc, "Details") == ["Osallistuja\tNoora O'Connor-Mäkinen"]
    assert LABELS["diary_intro"] in styled(doc, "Normal")
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in headings] == [s["heading"] for s in SCHEDULE[:3]]
    # a page per session
    assert all(p.paragraph_format.page_break_before for p in headings)
    prompts = diary_context()["prompts"]
    assert styled(doc, "Heading 3") == prompts * 3
    assert len(styled(doc, "Writing Line")) == 6 * 3 * 3


def test_blank_diary_has_a_line_for_the_name(tmp_path: Path) -> None:
    context = diary_context()
    context["participant"] = ""
    doc = Document(str(render("diary", context, tmp_path)))
    assert styled(doc, "Details") == []
    assert styled(doc, "Writing Line")[0] == "Osallistuja\t"


def test_pair_guide(rendered: dict[str, DocumentObject]) -> None:
    doc = rendered["pair-guide"]
    assert styled(doc, "Title") == ["Mentoriparin opas"]
    assert styled(doc, "Heading 1") == [
        "Tapaamisen rakenne",
        "Tapaamisajat",
        "Yhteiset tapaamiset",
        "Lukusuosituksia",
    ]
    assert styled(doc, "Heading 2") == ["Mentorointitapaaminen"]
    assert styled(doc, "List Bullet") == [
        "Aktori tuo tapaamiseen oman kysymyksen",
        "Sovitaan seuraava askel",
        "Mentoroinnin käsikirja – hyvä johdanto",
        "Työnohjauksen perusteet",
    ]
    structure, dates, seminars = (rows(t) for t in doc.tables)
    assert structure[0] == ["Min", "Sisältö", "Menetelmä"]
    assert structure[1] == ["20", "Aloitus ja kuulumiskierros", "kierros"]
    assert dates == [["Tapaaminen", "Päivämäärä"]] + [
        [f"Paritapaaminen {n}", f"viikko {w}"] for n, w in enumerate((4, 8, 12, 16), start=1)
    ]
    assert seminars[1] == ["Aloitusseminaari", "ti 19.1.2027", "13.00–16.00", "Teams"]


def test_pair_guide_without_optional_parts(tmp_path: Path) -> None:
    context = pair_guide_context()
    context.update(seminars=[], reading=[])
    doc = Document(str(render("pair-guide", context, tmp_path)))
    assert styled(doc, "Heading 1") == ["Tapaamisen rakenne", "Tapaamisajat"]
    assert len(doc.tables) == 2


def test_certificate(rendered: dict[str, DocumentObject]) -> None:
    doc = rendered["certificate"]
    assert styled(doc, "Certificate Title") == ["Osallistumistodistus"]
    assert styled(doc, "Certificate Name") == ["Noora O'Connor-Mäkinen"]
    assert styled(doc, "Heading 1") == ["Ohjaamon valmentajaparien työnohjaus"]
    assert styled(doc, "Certificate Text") == [
        "Ohjaamo Järvenranta",
        "on osallistunut ohjelmaan",
        "15.12.2026–3.8.2027",
        "Läsnä tapaamisissa: 5/6",
        "Järvenranta, 3.8.2027",
    ]
    assert styled(doc, "Signature") == []
    assert styled(doc, "Signature Lines") == ["\t\t\t\t"]  # two lines side by side
    assert styled(doc, "Signature Names") == ["\tAnna Virtanen\tKalle Nieminen"]
    (table,) = doc.tables
    assert rows(table)[0] == ["Tapaaminen", "Päivämäärä"]
    assert len(table.rows) == 1 + 6


def test_letter(rendered: dict[str, DocumentObject]) -> None:
    doc = rendered["letter"]
    assert styled(doc, "Title") == ["Esittelykirje"]
    assert styled(doc, "Heading 1") == [
        "Miksi juuri te",
        "Tapaamissuunnitelma",
        "Ennen ensimmäistä tapaamista",
    ]
    assert styled(doc, "Heading 2") == ["Parin esittely"]
    assert styled(doc, "List Bullet") == [
        "2 yhteistä teemaa: Työnjako ja roolit ja Työssä jaksaminen",
        "molemmat Varkaudessa",
    ]
    people, plan = doc.tables
    assert rows(people) == [
        ["Osallistuja", "Organisaatio", "Sähköposti"],
        [
            "Noora O'Connor-Mäkinen (Aktori)",
            "Ohjaamo Järvenranta",
            "noora.oconnor@jarvenranta.example",
        ],
        ["Päivi Häkkinen (Mentori)", "TE-palvelut", "paivi.hakkinen@te.example"],
    ]
    assert len(plan.rows) == 1 + 3
    texts = [text for _, text in paragraphs(doc)]
    assert texts[-3:] == [
        "Ystävällisin terveisin",
        "Päivi Häkkinen",
        "Koordinaattori, Ohjaamo Järvenranta",
    ]


def test_letter_without_optional_parts(tmp_path: Path) -> None:
    context = letter_context()
    context.update(reasons=[], schedule=[], pre_assignment="", signatory="")
    doc = Document(str(render("letter", context, tmp_path)))
    assert styled(doc, "Heading 1") == ["Ennen ensimmäistä tapaamista"]
    assert len(doc.tables) == 1
    assert "Ystävällisin terveisin" not in [text for _, text in paragraphs(doc)]


# --- in LibreOffice -------------------------------------------------------------------------


def long_certificate_context() -> dict[str, Any]:
    """As much as a certificate is likely to carry: twelve sessions, a name that wraps,
    three signatories."""
    context = certificate_context()
    context["participant"]["name"] = "Noora-Maria O'Connor-Mäkinen-Söderström"
    context["sessions"] = [
        {"heading": f"Moduuli {n}: {LONG_TITLE[:38]}", "date": f"tiistai {n}. maaliskuuta 2027"}
        for n in range(1, 13)
    ]
    context["signatories"] = ["Anna Virtanen", "Kalle Nieminen", "Päivi Häkkinen-Lindqvist"]
    return context


def test_three_signatories_two_to_a_row(tmp_path: Path) -> None:
    doc = Document(str(render("certificate", long_certificate_context(), tmp_path)))
    assert styled(doc, "Signature Lines") == ["\t\t\t\t", "\t\t"]
    assert styled(doc, "Signature Names") == [
        "\tAnna Virtanen\tKalle Nieminen",
        "\tPäivi Häkkinen-Lindqvist",
    ]


def test_one_signatory_centred(tmp_path: Path) -> None:
    context = certificate_context()
    context["signatories"] = ["Anna Virtanen"]
    doc = Document(str(render("certificate", context, tmp_path)))
    assert styled(doc, "Signature") == ["Anna Virtanen"]
    assert styled(doc, "Signature Lines") == styled(doc, "Signature Names") == []


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
    reason="LibreOffice (soffice) and poppler-utils (pdfinfo) are needed",
)
def test_pages_in_libreoffice(tmp_path: Path) -> None:
    """All seven, and a certificate at its fullest, converted in one soffice run: the
    certificates fit on one page, the diary has a cover and a page per session, each task
    has its page."""
    docs = [render(kind, CONTEXTS[kind](), tmp_path) for kind in KINDS]
    long = tmp_path / "long"
    long.mkdir()
    docs.append(
        render("certificate", long_certificate_context(), long).rename(
            tmp_path / "certificate-long.docx"
        )
    )
    convert(docs, tmp_path)
    pages = {doc.stem: pdf_pages(tmp_path / f"{doc.stem}.pdf") for doc in docs}
    assert pages == {
        "handout": 2,
        "runsheet": 2,
        "task-sheet": 2,
        "overview": 2,
        "diary": 1 + 3,
        "pair-guide": 1,
        "certificate": 1,
        "certificate-long": 1,
        "letter": 1,
    }


def pdf_pages(pdf: Path) -> int:
    assert pdf.exists(), f"LibreOffice made no {pdf.name}"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(
        next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:"))
    )
